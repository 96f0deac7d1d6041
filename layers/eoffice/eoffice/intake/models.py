"""The object version an S3 event names, the id every delivery of it shares, and what the intake
did with it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

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


class Outcome(StrEnum):
    """What the intake did with one object version: the stable code the log carries."""

    gone = "gone"  # no such version any more: an earlier delivery handled it
    already_handled = "already_handled"  # a redelivery of a scan or upload: cleaned up only
    registered = "registered"
    already_registered = "already_registered"
    attached = "attached"
    already_attached = "already_attached"
    version_recorded = "version_recorded"
    version_already_recorded = "version_already_recorded"
    refused = "refused"  # quarantined with a reason


_SENTENCES = {
    Outcome.gone: "gone: handled by an earlier delivery",
    Outcome.already_handled: "already handled",
    Outcome.registered: "registered letter {subject} as agenda {detail}",
    Outcome.already_registered: "letter {subject} already registered",
    Outcome.attached: "attached to letter {subject}",
    Outcome.already_attached: "file already attached to {subject}",
    Outcome.version_recorded: "version {detail} of {subject}",
    Outcome.version_already_recorded: "version already recorded",
    Outcome.refused: "refused ({detail})",
}


@dataclass(frozen=True)
class Handled:
    """An outcome and what it concerns, for the log (an operator's reading, in English)."""

    outcome: Outcome
    subject: str | None = None  # the letter or outgoing letter concerned
    detail: str | None = None  # the agenda label, the version number, the refusal's reason

    def __str__(self) -> str:
        return _SENTENCES[self.outcome].format(subject=self.subject, detail=self.detail)
