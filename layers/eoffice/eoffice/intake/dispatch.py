"""Which object goes where: an outgoing draft's new version (``drafts/``) to
``eoffice.outgoing.versions``, a scan or a clerk's upload to ``eoffice.letters.intake``."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import unquote_plus

from eoffice import object_store
from eoffice.intake.models import Handled, Outcome, StoredObject
from eoffice.letters import intake as letters_intake


def objects_in(message_body: str) -> list[StoredObject]:
    """The objects created that an S3 notification names, checked by Powertools' parser models
    (a body that is neither a notification nor S3's test event is refused, so the message is
    retried and then kept in the dead-letter queue). Keys arrive URL-encoded."""
    from eoffice.intake.notification_models import MESSAGE, Notification

    message = MESSAGE.validate_json(message_body)
    if not isinstance(message, Notification):
        return []  # S3's test event
    return [
        StoredObject(
            bucket=record.s3.bucket.name,
            key=unquote_plus(created.key),
            version=created.versionId,
            size=None if created.size is None else int(created.size),
            sequencer=created.sequencer,
            etag=created.eTag,
        )
        for record in message.Records
        if record.eventName.startswith("ObjectCreated")
        and (created := record.s3.object) is not None
        and not created.key.endswith("/")  # a console's "folder" marker
    ]


def accept(item: StoredObject) -> Handled:
    """Handle one object version; returns what happened (for the log)."""
    found = object_store.head(item.bucket, item.key, item.version)
    if found is None:
        return Handled(Outcome.gone)
    if item.version is None and found.get("VersionId") not in {None, "null"}:
        # An event without a version id (an emulator's): the bucket is versioned, so name the
        # version now, before the id that makes deliveries idempotent is derived from it.
        item = replace(item, version=found["VersionId"])
    if item.key.startswith(object_store.DRAFTS_PREFIX):
        from eoffice.outgoing import versions  # on the first draft: most files are letters

        return versions.accept(replace(item, uploaded_at=found.get("LastModified")))
    return letters_intake.accept(item)
