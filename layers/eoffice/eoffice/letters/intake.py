"""The letters' part of the intake (``eoffice.intake.dispatch`` hands it its objects): scans under ``inbox/{unit_code}/`` and
clerks' uploads under ``uploads/{letter_id}/``.

Every S3 event may arrive twice and out of order, so each object version is handled under an id
derived from (bucket, key, version): the scan's letter, or its rejection, has that id, and a
second delivery finds it and only finishes the clean-up. Nothing accepted is lost: a file is
stored in the letters bucket (or quarantine) before its record is written, and removed from the
intake bucket last.
"""

from __future__ import annotations

from typing import Any

from eoffice import clock, events, object_store
from eoffice.errors import Conflict
from eoffice.intake.models import Handled, Outcome, StoredObject
from eoffice.intake.refusals import refuse, unit_code
from eoffice.letters import access_rules, store
from eoffice.letters.file_rules import (
    Inspection,
    RejectedFile,
    inspect,
    letter_id_from_codes,
)
from eoffice.letters.models import (
    HistoryAction,
    HistoryEntry,
    Letter,
    LetterFile,
    LetterStatus,
    Source,
)
from eoffice.letters.service import complete, registered_event
from eoffice.org import store as org_store

_ATTACH_ATTEMPTS = 5
Record = tuple[Letter, int]  # a letter and its revision, as the store reads them


class _Refused(Exception):
    def __init__(self, reason: str, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.reason, self.detail, self.extra = reason, detail, extra


def accept(item: StoredObject) -> Handled:
    """Handle one object version of ``inbox/`` or ``uploads/``; returns what happened (for the
    log). The dispatcher (``eoffice.intake.dispatch``) has already named its version."""
    # The upload's letter, or the letter a scan became on an earlier delivery: read once.
    record = store.get_letter(_target_letter_id(item.key) or item.event_id)
    if _already_handled(item, record):
        object_store.remove_from_intake(item.key)
        return Handled(Outcome.already_handled)
    try:
        outcome = _take(item, record)
    except _Refused as refusal:
        outcome = _refuse(item, refusal)
    object_store.remove_from_intake(item.key)
    return outcome


def _already_handled(item: StoredObject, record: Record | None) -> bool:
    if record is not None and any(f.file_id == item.event_id for f in record[0].files):
        return True
    return store.get_rejection(item.event_id) is not None


def _target_letter_id(key: str) -> str | None:
    if key.startswith(object_store.UPLOADS_PREFIX):
        return key[len(object_store.UPLOADS_PREFIX) :].split("/", 1)[0]
    return None


def _take(item: StoredObject, record: Record | None) -> Handled:
    target = _target_letter_id(item.key)
    if target is not None and record is None:
        raise _Refused("unknown_letter", f"no letter {target} awaits this upload")
    unit_id = record[0].unit_id if target is not None and record else _inbox_unit(item)
    data, inspection = _inspect(item)
    if target is None:
        cover = letter_id_from_codes(inspection.codes)
        record = store.get_letter(cover) if cover else None
        if record is not None and not access_rules.inbox_files_into(unit_id, record[0]):
            raise _Refused(
                "cover_sheet_other_unit",
                f"page 1 is the cover sheet of a letter of another unit; a scanner in "
                f"inbox/{unit_code(item.key)}/ files only into that unit's letters: scan it "
                "into the inbox of the unit that registered the letter",
            )
    if record is not None:
        return _attach(item, record, data, inspection)
    return _create(item, unit_id, data, inspection)


def _inbox_unit(item: StoredObject) -> str:
    code = unit_code(item.key)
    unit = org_store.unit_by_code(code) if code else None
    if unit is None:
        raise _Refused("unknown_unit", f"no unit has the code {code!r} (inbox/{{unit_code}}/...)")
    return unit.unit_id


def _inspect(item: StoredObject) -> tuple[bytes, Inspection]:
    limit = object_store.max_upload_bytes()
    if item.size is not None and item.size > limit:
        raise _Refused("too_large", f"{item.size} bytes; the limit is {limit}")
    data = object_store.read(item.bucket, item.key, item.version)
    try:
        return data, inspect(data, max_bytes=limit)
    except RejectedFile as rejected:
        raise _Refused(rejected.reason.value, rejected.detail) from rejected


def _keep(letter_id: str, item: StoredObject, data: bytes, inspection: Inspection) -> None:
    """Store the file and its text before any record points at them."""
    object_store.keep_letter_file(
        letter_id, item.event_id, data, inspection.media_type, inspection.sha256
    )
    if inspection.text:
        store.save_text(letter_id, item.event_id, inspection.text)


def _letter_file(item: StoredObject, inspection: Inspection, source: Source) -> LetterFile:
    return LetterFile(
        file_id=item.event_id,
        media_type=inspection.media_type,
        size=inspection.size,
        sha256=inspection.sha256,
        pages=inspection.pages,
        has_text=bool(inspection.text),
        attached_at=clock.utcnow(),
        source=source,
    )


def _create(item: StoredObject, unit_id: str, data: bytes, inspection: Inspection) -> Handled:
    fingerprint = store.fingerprint_key(unit_id, inspection.sha256)
    first = store.fingerprint_owner(fingerprint)
    if first is not None and first != item.event_id:
        raise _Refused("duplicate", "this unit already has this file", duplicate_of=first)
    now = clock.utcnow()
    letter = Letter(
        letter_id=item.event_id,
        unit_id=unit_id,
        agenda_number=0,
        agenda_year=0,
        status=LetterStatus.needs_metadata,
        source=Source.scanner,
        received_on=clock.today(),
        files=[_letter_file(item, inspection, Source.scanner)],
        registered_at=now,
        updated_at=now,
    )
    _keep(letter.letter_id, item, data, inspection)
    entry = HistoryEntry(
        at=now, action=HistoryAction.registered, details={"source": "scanner", "key": item.key}
    )
    try:
        letter = store.register(letter, entry, fingerprint=fingerprint)
    except store.LetterExistsError:
        return Handled(Outcome.already_registered, letter.letter_id)
    except store.DuplicateFileError as duplicate:
        raise _Refused(
            "duplicate", "this unit already has this file", duplicate_of=duplicate.first_letter_id
        ) from duplicate
    events.publish("letters", "LetterRegistered", registered_event(letter))
    return Handled(Outcome.registered, letter.letter_id, letter.agenda_label)


def _attach(item: StoredObject, found: Record, data: bytes, inspection: Inspection) -> Handled:
    letter = found[0]
    letter_id = letter.letter_id
    if any(f.file_id == item.event_id for f in letter.files):
        return Handled(Outcome.already_attached, letter_id)  # a redelivery: nothing to store
    owner = store.claim_fingerprint(
        store.fingerprint_key(letter.unit_id, inspection.sha256), letter_id
    )
    # The letter's own claim is ours from an interrupted delivery, unless it holds the file.
    if owner not in {None, letter_id} or any(f.sha256 == inspection.sha256 for f in letter.files):
        raise _Refused(
            "duplicate",
            "this unit already has this file",
            duplicate_of=owner or letter_id,
            letter_id=letter_id,
        )
    _keep(letter_id, item, data, inspection)
    source = Source.api if _target_letter_id(item.key) else Source.scanner
    for _ in range(_ATTACH_ATTEMPTS):
        letter, version = found
        if any(f.file_id == item.event_id for f in letter.files):
            return Handled(Outcome.already_attached, letter_id)
        updated = _with_file(letter, _letter_file(item, inspection, source))
        entry = HistoryEntry(
            at=updated.updated_at,
            action=HistoryAction.file_attached,
            details={
                "file_id": item.event_id,
                "sha256": inspection.sha256,
                "pages": inspection.pages,
                "via": "cover_sheet" if source is Source.scanner else "upload",
            },
        )
        try:
            store.save_letter(updated, version, entry)
            return Handled(Outcome.attached, letter_id)
        except Conflict:
            found = store.get_letter(letter_id) or found
    raise Conflict(f"letter {letter_id} kept changing; the file will be retried")


def _with_file(letter: Letter, file: LetterFile) -> Letter:
    status = letter.status
    if status is LetterStatus.awaiting_file:
        status = LetterStatus.registered if complete(letter) else LetterStatus.needs_metadata
    return letter.model_copy(
        update={"files": [*letter.files, file], "status": status, "updated_at": clock.utcnow()}
    )


def _refuse(item: StoredObject, refusal: _Refused) -> Handled:
    """Quarantine the file with its reason; the letters it concerns hear of it in the same
    write (the one it was meant for: ``file_rejected``; the one it duplicates:
    ``duplicate_received``), so once however often the event comes."""
    extra = refusal.extra
    letter_id = extra.get("letter_id") or _target_letter_id(item.key)
    duplicate_of = extra.get("duplicate_of")
    concerned = {
        duplicate_of: HistoryAction.duplicate_received,
        letter_id: HistoryAction.file_rejected,
    }
    rejection, _ = refuse(
        item,
        refusal.reason,
        refusal.detail,
        letter_id=letter_id,
        duplicate_of=duplicate_of,
        tell={lid: action for lid, action in concerned.items() if lid and store.get_letter(lid)},
    )
    return Handled(Outcome.refused, letter_id, rejection.reason)
