"""The report's files in the reports bucket: ``tpp/{month}/{scope}/v{version}/...``.

Each file's SHA-256 is computed here and kept in the version's record (moto's S3 does not check
``ChecksumSHA256``; AWS does, and it is sent too). The record also keeps the S3 object version
written: readers follow the record, never a listing, so the files of a run that did not publish
are never shown, and a later run cannot change what a published version's links return.
"""

from __future__ import annotations

import base64
import hashlib
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


def _bucket() -> str:
    return settings.resource("REPORTS_BUCKET")


def prefix(month: str, scope: str, version: int) -> str:
    return f"tpp/{month}/{scope}/v{version}/"


def put_all(
    month: str, scope: str, version: int, files: Iterable[tuple[str, bytes]]
) -> list[TppReportFile]:
    """Write every (name, body) under the version's prefix, a few at a time; overwriting what a
    failed attempt left there is harmless (the bucket keeps versions; nothing pointed at them)."""
    base = prefix(month, scope, version)
    client = aws.client("s3")  # one client, made before the threads (each would make its own)
    bucket = _bucket()
    with ThreadPoolExecutor(PUT_THREADS) as pool:
        written = list(pool.map(lambda item: _put(client, bucket, base, *item), files))
    return sorted(written, key=lambda f: f.name)


def _put(client: Any, bucket: str, base: str, name: str, body: bytes) -> TppReportFile:
    digest = hashlib.sha256(body)
    media_type = MEDIA_TYPES[name.rsplit(".", 1)[-1]]
    answer = client.put_object(
        Bucket=bucket,
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
    params = {"Bucket": _bucket(), "Key": file.key}
    if file.version_id:
        params["VersionId"] = file.version_id
    body: bytes = aws.client("s3").get_object(**params)["Body"].read()
    return body


def download_url(file: TppReportFile, expires_in: int) -> str:
    """A presigned GET of a published file, pinned to the S3 object version the run wrote (a
    later run cannot change what the link returns), offered as an attachment."""
    params = {
        "Bucket": _bucket(),
        "Key": file.key,
        "ResponseContentType": file.media_type,
        "ResponseContentDisposition": f'attachment; filename="{file.name.split("/")[-1]}"',
    }
    if file.version_id:
        params["VersionId"] = file.version_id
    url: str = aws.client("s3").generate_presigned_url(
        "get_object", Params=params, ExpiresIn=expires_in
    )
    return url
