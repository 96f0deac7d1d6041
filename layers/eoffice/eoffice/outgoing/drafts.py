"""Outgoing letters as their authors and reviewers use them through the API: create a draft,
upload versions, correct it, give or refuse the paraf, read, list, download, revoke."""

from __future__ import annotations

import hashlib
import uuid

from eoffice import clock, events
from eoffice import object_store as objects
from eoffice.auth import Principal
from eoffice.errors import Conflict, Forbidden, InvalidInput, NotFound, PayloadTooLarge
from eoffice.letters.models import HistoryAction, HistoryEntry
from eoffice.letters.service import upload_form
from eoffice.models import Download, Upload, refuse_nulls
from eoffice.org import store as org_store
from eoffice.org.acting import stands_in_for
from eoffice.org.models import Employee, Role
from eoffice.outgoing import rules, store
from eoffice.outgoing.models import (
    DraftCreated,
    Outgoing,
    OutgoingCreate,
    OutgoingRecipient,
    OutgoingStatus,
    OutgoingUpdate,
    ParafStep,
    RecipientIn,
    RecipientKind,
    ReviewAction,
    ReviewDecision,
    ReviewStatus,
    RevokeRequest,
    SignerSlot,
    VersionReceived,
)

DRAFTS_PREFIX = objects.DRAFTS_PREFIX
MAX_INLINE_BYTES = 4 * 1024 * 1024  # a Lambda request is 6 MB, base64 included


# ---------------------------------------------------------------- creating
def create(principal: Principal, data: OutgoingCreate) -> DraftCreated:
    """A staff member drafts a letter of his unit (admins: of any unit)."""
    unit_id = data.unit_id or principal.unit_id
    if unit_id != principal.unit_id and not principal.has_any(Role.admin):
        raise Forbidden("a letter is drafted in your own unit", code="other_unit")
    unit = org_store.get_unit(unit_id)
    if unit is None:
        raise InvalidInput(f"no unit {unit_id}", code="unknown_unit")
    now = clock.utcnow()
    outgoing = Outgoing(
        outgoing_id=uuid.uuid4().hex,
        unit_id=unit.unit_id,
        unit_code=unit.code,
        author_nip=principal.nip,
        kind=data.kind,
        sifat=data.sifat,
        urgensi=data.urgensi,
        classification_code=data.classification_code,
        subject=data.subject,
        summary=data.summary,
        recipients=resolve_recipients(data.recipients),
        tembusan=resolve_recipients(data.tembusan),
        signers=_signers(data.signers),
        reviews=_reviews(data.reviewers),
        status=OutgoingStatus.draft,
        provisional_number=rules.provisional_number(
            data.classification_code, unit.code, clock.today().year
        ),
        created_at=now,
        updated_at=now,
    )
    store.create(
        outgoing, HistoryEntry(at=now, action=HistoryAction.drafted, actor_nip=principal.nip)
    )
    events.publish("outgoing", "OutgoingDrafted", _event(outgoing))
    return DraftCreated(outgoing=outgoing, upload=upload_for(outgoing))


def _active_employee(nip: str, role: str) -> Employee:
    employee = org_store.get_employee(nip)
    if employee is None or not employee.active:
        raise InvalidInput(f"the {role} {nip} is not an active employee", code=f"unknown_{role}")
    return employee


def _position_name(employee: Employee) -> str:
    position = org_store.get_position(employee.position_id) if employee.position_id else None
    return position.name if position else "Pegawai"


def _signers(nips: list[str]) -> list[SignerSlot]:
    slots = []
    for order, nip in enumerate(nips):
        employee = _active_employee(nip, "signer")
        slots.append(
            SignerSlot(order=order, nip=nip, name=employee.name, position=_position_name(employee))
        )
    return slots


def _reviews(nips: list[str]) -> list[ParafStep]:
    return [
        ParafStep(order=order, nip=nip, name=_active_employee(nip, "reviewer").name)
        for order, nip in enumerate(nips)
    ]


def resolve_recipients(items: list[RecipientIn]) -> list[OutgoingRecipient]:
    """Names as printed: the unit's name, the person's name, or what the author wrote."""
    resolved = []
    for item in items:
        if item.kind is RecipientKind.unit:
            unit = org_store.get_unit(item.unit_id or "")
            if unit is None or not unit.active:
                raise InvalidInput(f"no active unit {item.unit_id}", code="unknown_recipient")
            resolved.append(OutgoingRecipient(kind=item.kind, unit_id=unit.unit_id, name=unit.name))
        elif item.kind is RecipientKind.employee:
            employee = _active_employee(item.nip or "", "recipient")
            resolved.append(
                OutgoingRecipient(
                    kind=item.kind, unit_id=employee.unit_id, nip=employee.nip, name=employee.name
                )
            )
        else:
            resolved.append(
                OutgoingRecipient(kind=item.kind, name=item.name or "", address=item.address)
            )
    return resolved


def upload_for(outgoing: Outgoing) -> Upload:
    """A presigned form upload of a new version (PDF only, checked by the intake function)."""
    return upload_form(f"{DRAFTS_PREFIX}{outgoing.outgoing_id}/{uuid.uuid4().hex}")


def new_upload(principal: Principal, outgoing_id: str) -> Upload:
    outgoing, _ = load_visible(principal, outgoing_id)
    rules.require_author(principal, outgoing)
    rules.require_editable(outgoing)
    return upload_for(outgoing)


def receive_version(principal: Principal, outgoing_id: str, data: bytes) -> VersionReceived:
    """A version sent in the request: stored where a presigned upload would put it, so the
    intake function checks and records it the same way."""
    outgoing, _ = load_visible(principal, outgoing_id)
    rules.require_author(principal, outgoing)
    rules.require_editable(outgoing)
    if len(data) > MAX_INLINE_BYTES:
        raise PayloadTooLarge(
            f"at most {MAX_INLINE_BYTES:,} bytes in the request; use a presigned upload",
            code="file_too_large",
        )
    key = f"{DRAFTS_PREFIX}{outgoing_id}/{uuid.uuid4().hex}"
    objects.put_intake(key, data, "application/pdf")
    sha256 = hashlib.sha256(data).hexdigest()
    return VersionReceived(outgoing_id=outgoing_id, sha256=sha256, size=len(data))


# ---------------------------------------------------------------- reading
def acting_for(principal: Principal) -> set[str]:
    """NIPs of the officials whose posts the caller holds as Plt/Plh today."""
    nips: set[str] = set()
    for acting in principal.acting:
        nips |= {
            e.nip
            for e in org_store.unit_employees(acting.unit_id)
            if e.position_id == acting.position_id
        }
    return nips


def load_visible(principal: Principal, outgoing_id: str) -> tuple[Outgoing, int]:
    found = store.get(outgoing_id)
    acting = acting_for(principal) if principal.acting else set()
    outgoing = rules.require_visible(principal, found[0] if found else None, outgoing_id, acting)
    assert found is not None
    return outgoing, found[1]


def get(principal: Principal, outgoing_id: str) -> Outgoing:
    return load_visible(principal, outgoing_id)[0]


def history(principal: Principal, outgoing_id: str) -> list[HistoryEntry]:
    get(principal, outgoing_id)
    return store.history(outgoing_id)


def list_box(
    principal: Principal,
    box: str,
    *,
    unit_id: str | None,
    limit: int,
    cursor: str | None,
    on_behalf_of: str | None = None,
) -> tuple[list[Outgoing], str | None]:
    """``waiting``: letters waiting on the caller (paraf, signature, or his returned drafts),
    or, for a Plt/Plh, on the official he stands in for (``on_behalf_of``); ``mine``: the
    caller's drafts; ``unit``: a unit's letters (its clerks and head, admins)."""
    if box == "waiting":
        nip = stands_in_for(principal, on_behalf_of)
        return store.list_by("waiting", nip, limit=limit, cursor=cursor)
    if box == "mine":
        return store.list_by("author", principal.nip, limit=limit, cursor=cursor)
    unit = unit_id or principal.unit_id
    allowed = principal.has_any(Role.admin) or (
        unit == principal.unit_id and principal.has_any(Role.tu, Role.head)
    )
    if not allowed:
        raise Forbidden("a unit's letters are for its records clerks and head", code="unit_only")
    items, next_cursor = store.list_by("unit", unit, limit=limit, cursor=cursor)
    return [item for item in items if rules.can_see(principal, item)], next_cursor


def download(principal: Principal, outgoing_id: str, version: int | None = None) -> Download:
    """The signed file, or a draft version (the latest by default)."""
    outgoing = get(principal, outgoing_id)
    if version is None and outgoing.signed_file is not None:
        signed = outgoing.signed_file
        url, expires = objects.presigned_download(
            objects.letters_bucket(),
            signed.key,
            filename=signed_filename(outgoing),
            media_type="application/pdf",
        )
        return Download(url=url, expires_at=expires, media_type="application/pdf", size=signed.size)
    chosen = [v for v in outgoing.versions if version is None or v.version == version]
    if not chosen:
        raise NotFound("no such version of this letter", code="version_not_found")
    picked = chosen[-1]
    url, expires = objects.presigned_download(
        objects.letters_bucket(),
        version_key(outgoing.outgoing_id, picked.file_id),
        filename=f"draf-{picked.version}-{outgoing.outgoing_id[:8]}.pdf",
        media_type="application/pdf",
    )
    return Download(url=url, expires_at=expires, media_type="application/pdf", size=picked.size)


def version_key(outgoing_id: str, file_id: str) -> str:
    return f"outgoing/{outgoing_id}/versions/{file_id}.pdf"


def signed_filename(outgoing: Outgoing) -> str:
    return f"surat-{(outgoing.number or outgoing.outgoing_id).replace('/', '-')}.pdf"


# ---------------------------------------------------------------- changing
def update(principal: Principal, outgoing_id: str, data: OutgoingUpdate) -> Outgoing:
    """The author corrects a draft; every paraf given so far is withdrawn."""
    outgoing, rev = load_visible(principal, outgoing_id)
    rules.require_author(principal, outgoing)
    rules.require_editable(outgoing)
    changes: dict[str, object] = data.model_dump(
        exclude_unset=True, exclude={"recipients", "tembusan", "reviewers"}
    )
    refuse_nulls(Outgoing, changes)
    if data.recipients is not None:
        changes["recipients"] = resolve_recipients(data.recipients)
    if data.tembusan is not None:
        changes["tembusan"] = resolve_recipients(data.tembusan)
    reviews = _reviews(data.reviewers) if data.reviewers is not None else outgoing.reviews
    if "classification_code" in changes:
        changes["provisional_number"] = rules.provisional_number(
            str(changes["classification_code"]), outgoing.unit_code, clock.today().year
        )
    updated = restart_chain(
        outgoing.model_copy(update={**changes, "updated_at": clock.utcnow()}), reviews
    )
    entry = HistoryEntry(
        at=updated.updated_at,
        action=HistoryAction.corrected,
        actor_nip=principal.nip,
        details={"fields": sorted(data.model_fields_set)},
    )
    store.save(updated, rev, entry)
    return updated


def restart_chain(outgoing: Outgoing, reviews: list[ParafStep]) -> Outgoing:
    """Every reviewer reviews again, from the first; without a file the draft waits on it."""
    fresh = [ParafStep(order=r.order, nip=r.nip, name=r.name) for r in reviews]
    if not outgoing.versions:
        status = OutgoingStatus.draft
    else:
        status = OutgoingStatus.in_review if fresh else OutgoingStatus.ready_to_sign
    return outgoing.model_copy(update={"reviews": fresh, "status": status})


def review(principal: Principal, outgoing_id: str, action: ReviewAction) -> Outgoing:
    """The reviewer whose turn it is gives his paraf, or returns the draft with a note."""
    outgoing, rev = load_visible(principal, outgoing_id)
    waiting = outgoing.next_reviewer()
    reviewer = org_store.get_employee(waiting.nip) if waiting else None
    current, capacity = rules.require_reviewer(
        principal, outgoing, reviewer.position_id if reviewer else None
    )
    if action.version != outgoing.current_version:
        raise Conflict(
            f"version {action.version} is not the current one ({outgoing.current_version})",
            code="stale_version",
            current_version=outgoing.current_version,
        )
    now = clock.utcnow()
    acted = current.model_copy(
        update={
            "status": ReviewStatus.approved
            if action.decision is ReviewDecision.approve
            else ReviewStatus.returned,
            "version": action.version,
            "acted_at": now,
            "acted_by_nip": principal.nip,
            "capacity": capacity,
            "note": action.note,
        }
    )
    reviews = [acted if r.order == current.order else r for r in outgoing.reviews]
    if action.decision is ReviewDecision.approve:
        done = all(r.status is ReviewStatus.approved for r in reviews)
        status = OutgoingStatus.ready_to_sign if done else OutgoingStatus.in_review
        name = HistoryAction.paraf_given
    else:
        status, name = OutgoingStatus.returned, HistoryAction.returned
    updated = outgoing.model_copy(update={"reviews": reviews, "status": status, "updated_at": now})
    details = {
        "version": action.version,
        "order": current.order,
        "capacity": capacity,
        "note": action.note,
    }
    store.save(
        updated, rev, HistoryEntry(at=now, action=name, actor_nip=principal.nip, details=details)
    )
    events.publish(
        "outgoing", "OutgoingReviewed", {**_event(updated), "decision": action.decision.value}
    )
    return updated


def revoke(principal: Principal, outgoing_id: str, request: RevokeRequest) -> Outgoing:
    """Withdraw a signed letter: its verification page says so from now on."""
    from eoffice.outgoing.models import Revocation

    outgoing, rev = load_visible(principal, outgoing_id)
    if not rules.can_revoke(principal, outgoing, acting_for(principal)):
        raise Forbidden("only a signer or an admin may revoke a letter", code="revoke_not_allowed")
    if outgoing.status is not OutgoingStatus.signed:
        raise Conflict(
            f"the letter is {outgoing.status.value}; only a signed letter is revoked",
            code="not_signed",
        )
    now = clock.utcnow()
    revocation = Revocation(at=now, by_nip=principal.nip, reason=request.reason)
    updated = outgoing.model_copy(
        update={"status": OutgoingStatus.revoked, "revocation": revocation, "updated_at": now}
    )
    store.save(
        updated,
        rev,
        HistoryEntry(
            at=now,
            action=HistoryAction.revoked,
            actor_nip=principal.nip,
            details={"reason": request.reason},
        ),
    )
    events.publish("outgoing", "OutgoingRevoked", _event(updated))
    return updated


def _event(outgoing: Outgoing) -> dict[str, object]:
    return {
        "outgoing_id": outgoing.outgoing_id,
        "unit_id": outgoing.unit_id,
        "status": outgoing.status.value,
        "number": outgoing.number,
    }
