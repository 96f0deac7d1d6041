"""Which object goes where: an outgoing draft's new version (``drafts/``) to
``eoffice.outgoing.versions``, a scan or a clerk's upload to ``eoffice.letters.intake``."""

from __future__ import annotations

import json
from dataclasses import replace
from urllib.parse import unquote_plus

from eoffice import object_store
from eoffice.intake.models import StoredObject
from eoffice.letters import intake as letters_intake
from eoffice.outgoing import versions


def objects_in(message_body: str) -> list[StoredObject]:
    """The objects an S3 notification names; S3's test event names none. Keys arrive
    URL-encoded."""
    document = json.loads(message_body)
    return [
        StoredObject(
            bucket=record["s3"]["bucket"]["name"],
            key=unquote_plus(record["s3"]["object"]["key"]),
            version=record["s3"]["object"].get("versionId"),
            size=record["s3"]["object"].get("size"),
            sequencer=record["s3"]["object"].get("sequencer"),
            etag=record["s3"]["object"].get("eTag"),
        )
        for record in document.get("Records", [])
        if str(record.get("eventName", "")).startswith("ObjectCreated")
        and not record["s3"]["object"]["key"].endswith("/")  # a console's "folder" marker
    ]


def accept(item: StoredObject) -> str:
    """Handle one object version; returns what happened (for the log)."""
    found = object_store.head(item.bucket, item.key, item.version)
    if found is None:
        return "gone: handled by an earlier delivery"
    if item.version is None and found.get("VersionId") not in {None, "null"}:
        # An event without a version id (an emulator's): the bucket is versioned, so name the
        # version now, before the id that makes deliveries idempotent is derived from it.
        item = replace(item, version=found["VersionId"])
    if item.key.startswith(object_store.DRAFTS_PREFIX):
        return versions.accept(replace(item, uploaded_at=found.get("LastModified")))
    return letters_intake.accept(item)
