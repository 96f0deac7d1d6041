"""A refused file, for letters and drafts alike: quarantined with its reason, once per object
version, and the words the history of the letter (or draft) it concerned records of it."""

from __future__ import annotations

from collections.abc import Mapping

from eoffice import clock, events, object_store
from eoffice.intake.models import StoredObject
from eoffice.letters import store
from eoffice.letters.models import HistoryEntry, Rejection
from eoffice.observability import logger


def unit_code(key: str) -> str | None:
    if key.startswith(object_store.INBOX_PREFIX):
        parts = key[len(object_store.INBOX_PREFIX) :].split("/", 1)
        return parts[0].upper() if len(parts) == 2 and parts[0] else None
    return None


def refuse(
    item: StoredObject,
    reason: str,
    detail: str,
    *,
    letter_id: str | None = None,
    duplicate_of: str | None = None,
    tell: Mapping[str, str] | None = None,
) -> tuple[Rejection, bool]:
    """Quarantine a refused file and record why (once per object version), for the admins'
    list of refused files, with an entry of action ``tell[letter_id]`` in each letter's history.
    Returns the rejection as recorded, and whether this delivery recorded it (False: an earlier
    one did)."""
    quarantine_key = object_store.quarantine(item.key, item.version, item.event_id)
    rejection = Rejection(
        rejection_id=item.event_id,
        unit_code=unit_code(item.key),
        original_key=item.key,
        quarantine_key=quarantine_key,
        reason=reason,
        detail=detail,
        size=item.size,
        duplicate_of=duplicate_of,
        letter_id=letter_id,
        rejected_at=clock.utcnow(),
    )
    details = refusal_details(rejection)
    told = {
        lid: HistoryEntry(at=rejection.rejected_at, action=action, details=details)
        for lid, action in (tell or {}).items()
    }
    first = store.save_rejection(rejection, told)
    if not first:
        rejection = store.get_rejection(item.event_id) or rejection
    logger.info("file refused", reason=reason, rejection_id=item.event_id)
    events.publish(  # every delivery: the one that recorded it may have stopped before this
        "intake",
        "FileRefused",
        {
            "rejection_id": rejection.rejection_id,
            "key": rejection.original_key,
            "reason": rejection.reason,
            "letter_id": rejection.letter_id,
            "unit_code": rejection.unit_code,
        },
    )
    return rejection, first


def refusal_details(rejection: Rejection) -> dict[str, object]:
    """What the history of the letter (or draft) a refused file was meant for records of it:
    why, in the rejection's own words, and which upload it was (its key: the scanner's file
    name, or the upload's id). Nothing of any other letter."""
    return {
        "rejection_id": rejection.rejection_id,
        "reason": rejection.reason,
        "detail": rejection.detail,
        "key": rejection.original_key,
    }
