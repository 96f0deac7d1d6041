"""Rules of incoming letters as people use them through the API: register, read, correct,
download, print a cover sheet, follow the history, list, and review refused files."""

from __future__ import annotations

import uuid
from typing import Any

from eoffice import clock, events
from eoffice import object_store as objects
from eoffice.auth import Principal, require_role
from eoffice.errors import InvalidInput, NotFound
from eoffice.letters import access_rules, store
from eoffice.letters.models import (
    HistoryAction,
    HistoryEntry,
    Letter,
    LetterCreate,
    LetterQuery,
    LetterStatus,
    LetterUpdate,
    Registration,
    Rejection,
    Source,
)
from eoffice.models import Download, Upload, refuse_nulls
from eoffice.org import store as org_store
from eoffice.org.models import Role

# What a letter needs before it is "registered" (ready to be disposed).
REQUIRED_METADATA = (
    "sender_agency",
    "sender_number",
    "sender_date",
    "subject",
    "classification_code",
    "addressee",
)


_EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/tiff": ".tif",
}


def new_letter_id() -> str:
    return uuid.uuid4().hex


def registered_event(letter: Letter) -> dict[str, Any]:
    return {
        "letter_id": letter.letter_id,
        "unit_id": letter.unit_id,
        "agenda_number": letter.agenda_number,
        "agenda_year": letter.agenda_year,
        "status": letter.status.value,
        "source": letter.source.value,
        "sifat": letter.sifat.value,
        "urgensi": letter.urgensi.value,
    }


# ---------------------------------------------------------------- registration
def register(principal: Principal, data: LetterCreate) -> Registration:
    """A clerk (or head) registers a letter of his unit; the scan follows by presigned upload."""
    unit_id = data.unit_id or principal.unit_id
    access_rules.require_handler(principal, unit_id)
    now = clock.utcnow()
    fields = data.model_dump(exclude={"unit_id", "received_on"})
    letter = Letter(
        letter_id=new_letter_id(),
        unit_id=unit_id,
        agenda_number=0,
        agenda_year=0,
        status=LetterStatus.awaiting_file,
        source=Source.api,
        received_on=data.received_on or clock.today(),
        registered_by=principal.nip,
        registered_at=now,
        updated_at=now,
        **fields,
    )
    entry = HistoryEntry(at=now, action=HistoryAction.registered, actor_nip=principal.nip)
    letter = store.register(letter, entry)
    events.publish("letters", "LetterRegistered", registered_event(letter))
    return Registration(letter=letter, upload=upload_for(letter))


def upload_for(letter: Letter) -> Upload:
    return upload_form(f"{objects.UPLOADS_PREFIX}{letter.letter_id}/{uuid.uuid4().hex}")


def upload_form(key: str) -> Upload:
    """A presigned form upload of one file to ``key`` in the intake bucket, within the limit."""
    limit = objects.max_upload_bytes()
    post = objects.presigned_upload(key, limit)
    return Upload(url=post.url, fields=post.fields, expires_at=post.expires_at, max_bytes=limit)


def new_upload(principal: Principal, letter_id: str) -> Upload:
    """Another upload form for a letter (the first expired, or a better scan)."""
    letter = get(principal, letter_id)
    access_rules.require_handler(principal, letter.unit_id)
    return upload_for(letter)


# ---------------------------------------------------------------- reading
def get(principal: Principal, letter_id: str) -> Letter:
    return _visible_record(principal, letter_id)[0]


def _visible_record(principal: Principal, letter_id: str) -> tuple[Letter, int]:
    """The letter and its revision, or 404 when it does not exist or the caller may not see it."""
    found = store.get_letter(letter_id)
    access_rules.require_visible(principal, found[0] if found else None, letter_id)
    assert found is not None  # require_visible raised otherwise
    return found


def history(principal: Principal, letter_id: str) -> list[HistoryEntry]:
    get(principal, letter_id)
    return store.history(letter_id)


def download(principal: Principal, letter_id: str) -> Download:
    letter = get(principal, letter_id)
    if not letter.files:
        raise NotFound("this letter has no file yet", code="file_not_found")
    latest = letter.files[-1]
    url, expires = objects.presigned_download(
        objects.letters_bucket(),
        f"letters/{letter.letter_id}/{latest.file_id}",
        filename=f"surat-{letter.agenda_number}-{letter.agenda_year}{_EXTENSIONS.get(latest.media_type, '')}",
        media_type=latest.media_type,
    )
    return Download(url=url, expires_at=expires, media_type=latest.media_type, size=latest.size)


def cover_sheet(principal: Principal, letter_id: str) -> bytes:
    """The printable cover sheet whose QR code routes a later scan to this letter."""
    from eoffice.letters.cover_sheet import CoverSheet, render

    letter = get(principal, letter_id)
    unit = org_store.get_unit(letter.unit_id)
    return render(
        CoverSheet(
            letter_id=letter.letter_id,
            agenda_number=letter.agenda_label,
            unit_name=unit.name if unit else "",
            received_on=letter.received_on,
            sender=letter.sender_agency or "-",
            sender_number=letter.sender_number or "-",
            subject=letter.subject or "-",
            sifat=letter.sifat.value.replace("_", " "),
            urgensi=letter.urgensi.value.replace("_", " "),
        )
    )


def list_letters(
    principal: Principal, query: LetterQuery, *, limit: int, cursor: str | None
) -> tuple[list[Letter], str | None]:
    """A unit's letters the caller may see, newest first. Secret letters are left out of a
    page for those who may not see them, so a page can be shorter than ``limit``."""
    letters, next_cursor = store.list_letters(query, limit=limit, cursor=cursor)
    return [letter for letter in letters if access_rules.can_see(principal, letter)], next_cursor


# ---------------------------------------------------------------- corrections
def correct(principal: Principal, letter_id: str, data: LetterUpdate) -> Letter:
    """Change metadata; the history keeps each field's old and new value. A scanned letter
    whose metadata becomes complete is registered."""
    letter, rev = _visible_record(principal, letter_id)
    access_rules.require_handler(principal, letter.unit_id)
    changes = {
        name: value
        for name, value in data.model_dump(exclude_unset=True).items()
        if getattr(letter, name) != value
    }
    if not changes:
        return letter
    refuse_nulls(Letter, changes)
    if data.received_on and data.received_on.year != letter.agenda_year:
        raise InvalidInput(
            "the agenda number belongs to the year received; register it anew instead",
            code="received_year_fixed",
        )
    updated = letter.model_copy(
        update={
            **changes,
            "updated_at": clock.utcnow(),
            "registered_by": letter.registered_by or principal.nip,
        }
    )
    action = HistoryAction.corrected
    if updated.status is LetterStatus.needs_metadata and complete(updated):
        updated = updated.model_copy(update={"status": LetterStatus.registered})
        action = HistoryAction.metadata_completed
    details = {
        name: {"from": _plain(getattr(letter, name)), "to": _plain(value)}
        for name, value in changes.items()
    }
    entry = HistoryEntry(
        at=updated.updated_at, action=action, actor_nip=principal.nip, details=details
    )
    store.save_letter(updated, rev, entry)
    return updated


def complete(letter: Letter) -> bool:
    return all(getattr(letter, name) for name in REQUIRED_METADATA)


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value.isoformat() if hasattr(value, "isoformat") else getattr(value, "value", value)


# ---------------------------------------------------------------- refused files
def rejections(
    principal: Principal, *, limit: int, cursor: str | None
) -> tuple[list[Rejection], str | None]:
    """Files intake refused, newest first, each with a short-lived download (admins only)."""
    require_role(principal, Role.admin)
    items, next_cursor = store.list_rejections(limit=limit, cursor=cursor)
    with_links = []
    for item in items:
        url, _ = objects.presigned_download(
            objects.intake_bucket(),
            item.quarantine_key,
            filename=item.original_key.rsplit("/", 1)[-1] or item.rejection_id,
            media_type="application/octet-stream",
        )
        with_links.append(item.model_copy(update={"download_url": url}))
    return with_links, next_cursor
