"""The object version an S3 event names, and the id every delivery of it shares."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

_EVENT_NAMESPACE = uuid.UUID("5d0f3c52-7f0a-4d8e-b0a5-6a8f0e0c2b7e")


@dataclass(frozen=True)
class StoredObject:
    bucket: str
    key: str
    version: str | None
    size: int | None
    sequencer: str | None = None
    etag: str | None = None
    uploaded_at: datetime | None = None  # S3's LastModified, once read

    @property
    def event_id(self) -> str:
        """The same id for every delivery of this object version. Without a version id (an
        emulator's event, an unversioned bucket), S3's sequencer or else the content's ETag
        tells two uploads under one name apart."""
        revision = self.version or self.sequencer or self.etag
        return uuid.uuid5(_EVENT_NAMESPACE, f"{self.bucket}/{self.key}#{revision}").hex
