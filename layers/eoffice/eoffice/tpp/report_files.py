"""The report's files in the reports bucket: ``tpp/{month}/{scope}/v{version}/...``.

Each file's SHA-256 is computed here and kept in the version's record (moto's S3 does not check
``ChecksumSHA256``; AWS does, and it is sent too). The record also keeps the S3 object version
written: readers follow the record, never a listing, so the files of a run that did not publish
are never shown, and a later run cannot change what a published version's links return.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from eoffice import aws, settings
from eoffice.tpp.report_models import TppReportFile

MEDIA_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
PUT_THREADS = 8


def prefix(month: str, scope: str, version: int) -> str:
    return f"tpp/{month}/{scope}/v{version}/"


def unit_names(codes: dict[str, str]) -> dict[str, str]:
    """A file name per unit id from its code (codes may hold '/' or spaces); two codes that
    come out the same get ``~2``, ``~3`` in the order given."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for unit_id, code in codes.items():
        base = re.sub(r"[^A-Za-z0-9._-]+", "_", code).strip("_") or "unit"
        name, number = base, 1
        while name.lower() in taken:
            number += 1
            name = f"{base}~{number}"
        taken.add(name.lower())
        names[unit_id] = name
    return names


def put_all(
    month: str, scope: str, version: int, files: Iterable[tuple[str, bytes]]
) -> list[TppReportFile]:
    """Write every (name, body) under the version's prefix, a few at a time; overwriting what a
    failed attempt left there is harmless (the bucket keeps versions; nothing pointed at them)."""
    base = prefix(month, scope, version)
    client = aws.client("s3")  # one client, made before the threads (each would make its own)
    with ThreadPoolExecutor(PUT_THREADS) as pool:
        written = list(pool.map(lambda item: _put(client, base, *item), files))
    return sorted(written, key=lambda f: f.name)


def sha256(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def _put(client: Any, base: str, name: str, body: bytes) -> TppReportFile:
    digest = hashlib.sha256(body)
    media_type = MEDIA_TYPES[name.rsplit(".", 1)[-1]]
    answer = client.put_object(
        Bucket=settings.resource("REPORTS_BUCKET"),
        Key=base + name,
        Body=body,
        ContentType=media_type,
        ChecksumSHA256=base64.b64encode(digest.digest()).decode(),
    )
    return TppReportFile(
        name=name,
        key=base + name,
        version_id=answer.get("VersionId"),
        sha256=digest.hexdigest(),
        bytes=len(body),
        media_type=media_type,
    )


def read(file: TppReportFile) -> bytes:
    """A published file as it was written (its S3 object version)."""
    params = {"Bucket": settings.resource("REPORTS_BUCKET"), "Key": file.key}
    if file.version_id:
        params["VersionId"] = file.version_id
    body: bytes = aws.client("s3").get_object(**params)["Body"].read()
    return body
