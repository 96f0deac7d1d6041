"""Delivery of a signed letter: each internal recipient unit receives it as an incoming letter
in its intake (registered, numbered in its agenda, ready for disposition) without anyone
re-scanning; external recipients get a download link in the letter's record.

Idempotent: the incoming letter of a unit has an id derived from (letter, unit), so a second
delivery (a retry after a crash, ``POST /outgoing/{id}/deliver``) finds it instead of
registering it twice.
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from eoffice import clock, events
from eoffice import object_store as objects
from eoffice.auth import Principal
from eoffice.errors import Conflict, Forbidden, Gone, NotFound
from eoffice.letters import store as letters_store
from eoffice.letters.models import (
    HistoryAction,
    HistoryEntry,
    Letter,
    LetterFile,
    LetterStatus,
    Source,
)
from eoffice.letters.service import registered_event
from eoffice.observability import logger
from eoffice.org import store as org_store
from eoffice.outgoing import drafts, rules, store
from eoffice.outgoing.models import (
    Delivery,
    ExternalLink,
    Outgoing,
    OutgoingRecipient,
    OutgoingStatus,
    RecipientKind,
)
from eoffice.outgoing.wording import public_url

_NAMESPACE = uuid.UUID("0b6f4a3e-5c1d-4f7e-9a62-3d8e1c5b7a90")
LINK_DAYS = 30
SETTLE = timedelta(minutes=2)  # a signature's own delivery is still running before this
_ATTEMPTS = 5


@dataclass(frozen=True)
class _Target:
    unit_id: str
    addressee: str
    addressee_nip: str | None
    copy: bool


def deliver(
    outgoing_id: str,
    *,
    just_signed: Outgoing | None = None,
    data: bytes | None = None,
    public_base: str = "",
) -> Outgoing:
    """Deliver (again) a signed letter; answers the letter with its deliveries. Right after
    signing, the signer passes the letter and file it holds (two reads fewer)."""
    outgoing = just_signed
    if outgoing is None:
        found = store.get(outgoing_id, consistent=True)
        outgoing = found[0] if found else None
    signed = outgoing.signed_file if outgoing else None
    if outgoing is None or signed is None or outgoing.status is not OutgoingStatus.signed:
        raise Conflict("only a signed letter is delivered", code="not_signed")
    if data is None:
        data = objects.read(objects.letters_bucket(), signed.key, signed.version_id)
    deliveries = [_deliver_to(outgoing, target, data) for target in _targets(outgoing)]
    links = outgoing.external_links or [
        _link(outgoing, r, public_base)
        for r in outgoing.recipients
        if r.kind is RecipientKind.external
    ]
    return _save(outgoing_id, deliveries, links)


@dataclass(frozen=True)
class Sweep:
    delivered: list[str]
    failed: list[str]


def deliver_pending(now: datetime) -> Sweep:
    """Deliver the signed letters whose delivery a crash or a failure interrupted (run by a
    schedule): nothing signed stays undelivered."""
    delivered, failed = [], []
    for outgoing in store.pending_deliveries(now - SETTLE):
        try:
            deliver(outgoing.outgoing_id)
        except Exception:  # one letter's failure must not stop the others; retried next run
            logger.exception("delivery failed", outgoing_id=outgoing.outgoing_id)
            failed.append(outgoing.outgoing_id)
            _postpone(outgoing.outgoing_id, now)
        else:
            delivered.append(outgoing.outgoing_id)
    return Sweep(delivered, failed)


def _postpone(outgoing_id: str, now: datetime) -> None:
    """Move a letter that failed to the back of the queue, so that letters which keep failing
    never hold back the others (the owed-delivery index is ordered by last change)."""
    found = store.get(outgoing_id, consistent=True)
    if found is None or found[0].delivered_at is not None:
        return
    with contextlib.suppress(Conflict):  # it changed meanwhile: it moved anyway
        store.save(found[0].model_copy(update={"updated_at": now}), found[1])


def redeliver(principal: Principal, outgoing_id: str) -> Outgoing:
    """Deliver again after a failure part-way (its author, a signer or an admin)."""
    outgoing, _ = drafts.load_visible(principal, outgoing_id)
    if not rules.can_deliver(principal, outgoing, drafts.acting_for(principal)):
        raise Forbidden(
            "its author, a signer or an admin delivers a letter", code="deliver_not_allowed"
        )
    return deliver(outgoing_id)


def _targets(outgoing: Outgoing) -> list[_Target]:
    """One incoming letter per internal unit: recipients first, then tembusan."""
    targets: dict[str, _Target] = {}
    for copy, recipients in ((False, outgoing.recipients), (True, outgoing.tembusan)):
        for recipient in recipients:
            if recipient.kind is RecipientKind.external or not recipient.unit_id:
                continue
            if recipient.unit_id not in targets:
                targets[recipient.unit_id] = _target(recipient, copy)
    return list(targets.values())


def _target(recipient: OutgoingRecipient, copy: bool) -> _Target:
    nip = recipient.nip if recipient.kind is RecipientKind.employee else None
    addressee = recipient.name if nip else f"Kepala {recipient.name}"
    return _Target(recipient.unit_id or "", addressee, nip, copy)


def incoming_letter_id(outgoing_id: str, unit_id: str) -> str:
    return uuid.uuid5(_NAMESPACE, f"{outgoing_id}/{unit_id}").hex


def _deliver_to(outgoing: Outgoing, target: _Target, data: bytes) -> Delivery:
    letter_id = incoming_letter_id(outgoing.outgoing_id, target.unit_id)
    existing = letters_store.get_letter(letter_id)
    letter = existing[0] if existing else _register(outgoing, target, letter_id, data)
    return Delivery(
        unit_id=target.unit_id,
        letter_id=letter.letter_id,
        agenda_number=letter.agenda_number,
        agenda_year=letter.agenda_year,
        addressee=target.addressee,
    )


def _register(outgoing: Outgoing, target: _Target, letter_id: str, data: bytes) -> Letter:
    signed = outgoing.signed_file
    assert signed is not None and outgoing.number is not None
    file_id = signed.sha256[:32]
    objects.keep_letter_file(letter_id, file_id, data, "application/pdf", signed.sha256)
    now = clock.utcnow()
    sender_unit = org_store.get_unit(outgoing.unit_id)
    last = [s for s in outgoing.signatures if s.capacity != "seal"][-1]
    letter = Letter(
        letter_id=letter_id,
        unit_id=target.unit_id,
        agenda_number=0,
        agenda_year=0,
        status=LetterStatus.registered,
        source=Source.internal,
        sender_agency=sender_unit.name if sender_unit else outgoing.unit_code,
        sender_name=f"{last.name}, {last.position}",
        sender_number=outgoing.number,
        sender_date=last.signed_at.astimezone(clock.regency_tz()).date(),
        received_on=clock.today(),
        subject=outgoing.subject,
        summary=outgoing.summary,
        classification_code=outgoing.classification_code,
        sifat=outgoing.sifat,
        urgensi=outgoing.urgensi,
        addressee=target.addressee,
        addressee_nip=target.addressee_nip,
        tembusan=[t.name for t in outgoing.tembusan],
        files=[_file(file_id, signed.sha256, len(data), now)],
        registered_at=now,
        updated_at=now,
    )
    details = {
        "outgoing_id": outgoing.outgoing_id,
        "number": outgoing.number,
        "tembusan": target.copy,
    }
    entry = HistoryEntry(at=now, action=HistoryAction.delivered_signed, details=details)
    try:
        letter = letters_store.register(letter, entry)
    except letters_store.LetterExistsError:
        found = letters_store.get_letter(letter_id)
        assert found is not None
        return found[0]
    events.publish("letters", "LetterRegistered", registered_event(letter))
    return letter


def _file(file_id: str, sha256: str, size: int, now: datetime) -> LetterFile:
    return LetterFile(
        file_id=file_id,
        media_type="application/pdf",
        size=size,
        sha256=sha256,
        pages=0,
        has_text=True,
        attached_at=now,
        source=Source.internal,
    )


def _link(outgoing: Outgoing, recipient: OutgoingRecipient, public_base: str) -> ExternalLink:
    """A link that stays valid for :data:`LINK_DAYS`: it opens a fresh short-lived download each
    time (a presigned URL made with a function's temporary credentials dies with them), and
    stops working when the letter is revoked."""
    token = secrets.token_urlsafe(32)
    expires = clock.utcnow() + timedelta(days=LINK_DAYS)
    store.save_share(share_hash(token), outgoing.outgoing_id, expires)
    url = public_url(public_base, f"/shared/{token}")
    return ExternalLink(name=recipient.name, address=recipient.address, url=url, expires_at=expires)


def share_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_share(token: str) -> str:
    """A short-lived download of the signed letter a shared link names (public)."""
    owner = store.share_owner(share_hash(token), clock.utcnow())
    found = store.get(owner) if owner else None
    if found is None or found[0].signed_file is None:
        raise NotFound("this link does not exist or has expired", code="link_not_found")
    outgoing = found[0]
    if outgoing.status is OutgoingStatus.revoked:
        raise Gone("the letter was revoked by its signer", code="letter_revoked")
    signed = outgoing.signed_file
    assert signed is not None
    url, _ = objects.presigned_download(
        objects.letters_bucket(),
        signed.key,
        filename=drafts.signed_filename(outgoing),
        media_type="application/pdf",
        version=signed.version_id,
    )
    return url


def _save(outgoing_id: str, deliveries: list[Delivery], links: list[ExternalLink]) -> Outgoing:
    for _ in range(_ATTEMPTS):
        found = store.get(outgoing_id, consistent=True)
        assert found is not None
        outgoing, rev = found
        now = clock.utcnow()
        updated = outgoing.model_copy(
            update={
                "deliveries": deliveries,
                "external_links": links,
                "delivered_at": now,
                "updated_at": now,
            }
        )
        details = {
            "units": [d.unit_id for d in deliveries],
            "external": [link.name for link in links],
        }
        entry = HistoryEntry(at=now, action=HistoryAction.delivered, details=details)
        try:
            store.save(updated, rev, entry)
        except Conflict:
            continue
        events.publish("outgoing", "OutgoingDelivered", {"outgoing_id": outgoing_id, **details})
        return updated
    raise Conflict(
        "the letter kept changing during delivery; deliver it again", code="delivery_busy"
    )
