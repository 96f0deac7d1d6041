"""The rules of outgoing letters, in one place and free of AWS: whose turn it is, who may see,
edit, review, sign and revoke, and how numbers and printed capacities read."""

from __future__ import annotations

from eoffice.auth import Principal
from eoffice.errors import Conflict, Forbidden, NotFound
from eoffice.letters.models import Sifat
from eoffice.org import acting_rules
from eoffice.org.models import Role
from eoffice.outgoing.models import Outgoing, OutgoingStatus, ParafStep, ReviewStatus, SignerSlot

EDITABLE = frozenset(
    {
        OutgoingStatus.draft,
        OutgoingStatus.in_review,
        OutgoingStatus.returned,
        OutgoingStatus.ready_to_sign,
    }
)
SIGNABLE = frozenset({OutgoingStatus.ready_to_sign, OutgoingStatus.signing})


def turn_of(outgoing: Outgoing) -> str | None:
    """The NIP of whoever must act next: the author (no file yet, or returned), the next
    reviewer, the next signer; nobody once signed or revoked."""
    status = outgoing.status
    if status in {OutgoingStatus.draft, OutgoingStatus.returned}:
        return outgoing.author_nip
    if status is OutgoingStatus.in_review:
        reviewer = outgoing.next_reviewer()
        return reviewer.nip if reviewer else None
    if status in SIGNABLE:
        signer = outgoing.next_signer()
        return signer.nip if signer else None
    return None


def provisional_number(classification: str, unit_code: str, year: int) -> str:
    return f"{classification}/.../{unit_code}/{year}"


def number(classification: str, sequence: int, unit_code: str, year: int) -> str:
    """``{classification}/{sequence}/{unit_code}/{year}`` (domain reference)."""
    return f"{classification}/{sequence}/{unit_code}/{year}"


def participants(outgoing: Outgoing) -> set[str]:
    return {
        outgoing.author_nip,
        *(r.nip for r in outgoing.reviews),
        *(s.nip for s in outgoing.signers),
        *(r.acted_by_nip for r in outgoing.reviews if r.acted_by_nip),
        *(s.signed_by_nip for s in outgoing.signatures),
    }


def can_see(principal: Principal, outgoing: Outgoing, acting_for: set[str] | None = None) -> bool:
    """Its author, reviewers and signers (and their Plt/Plh) see a letter; the unit's records
    clerks and head see the unit's letters, and admins, the bupati and the sekda every unit's,
    unless the letter is secret."""
    people = participants(outgoing)
    if principal.nip in people or (acting_for and acting_for & people):
        return True
    if outgoing.sifat.secret:
        return False
    if principal.unit_id == outgoing.unit_id and principal.has_any(Role.tu, Role.head):
        return True
    return principal.has_any(Role.admin, Role.bupati, Role.sekda)


def require_visible(
    principal: Principal, outgoing: Outgoing | None, outgoing_id: str, acting_for: set[str]
) -> Outgoing:
    if outgoing is None or not can_see(principal, outgoing, acting_for):
        raise NotFound(f"no outgoing letter {outgoing_id}", code="outgoing_not_found")
    return outgoing


def require_author(principal: Principal, outgoing: Outgoing) -> None:
    if principal.nip != outgoing.author_nip:
        raise Forbidden("only the letter's author may do this", code="author_only")


def is_editable(outgoing: Outgoing) -> bool:
    """A draft changes until its signing starts: once it has a number (taken with the first
    signature attempt, kept if that attempt fails) or a signature is under way, the version the
    reviewers approved is the one that gets signed."""
    return (
        outgoing.status in EDITABLE and outgoing.number is None and outgoing.signing_claim is None
    )


def require_editable(outgoing: Outgoing) -> None:
    if not is_editable(outgoing):
        raise Conflict(
            f"the letter is {outgoing.status.value} and its signing has started: it no longer "
            "changes",
            code="not_a_draft",
        )


def require_reviewer(
    principal: Principal, outgoing: Outgoing, position_id: str | None
) -> tuple[ParafStep, str]:
    """The review the caller may act on now, and his capacity. A reviewer who already acted on
    this version and whose turn has passed (a resend of his paraf) gets 409 ``already_reviewed``
    with the draft's state, not the 403 of someone else's turn."""
    if outgoing.status is not OutgoingStatus.in_review:
        _refuse_again_if_reviewed(principal, outgoing)
        raise Conflict(
            f"the letter is {outgoing.status.value}, not in review", code="not_in_review"
        )
    review = outgoing.next_reviewer()
    assert review is not None  # in review means someone has not approved yet
    capacity = acting_rules.capacity_for(principal, review.nip, position_id)
    if capacity is None:
        _refuse_again_if_reviewed(principal, outgoing)
        raise Forbidden("it is not your turn to review this letter", code="not_your_turn")
    return review, capacity


def _refuse_again_if_reviewed(principal: Principal, outgoing: Outgoing) -> None:
    acted = [
        r
        for r in outgoing.reviews
        if r.acted_by_nip == principal.nip
        and r.status is not ReviewStatus.pending
        and r.version == outgoing.current_version
    ]
    if acted:
        raise Conflict(
            f"you already reviewed version {acted[-1].version} ({acted[-1].status.value}); "
            f"the letter is {outgoing.status.value} now",
            code="already_reviewed",
            current={"status": outgoing.status.value, "review": acted[-1].model_dump(mode="json")},
        )


def _refuse_again_if_signed(principal: Principal, outgoing: Outgoing) -> None:
    """A signer whose signature is given and whose turn has passed (a resend of his sign
    request): 409 ``already_signed`` with the letter's state."""
    mine = [s for s in outgoing.signatures if s.signed_by_nip == principal.nip]
    if mine and mine[-1].capacity != "seal":
        raise Conflict(
            f"you already signed this letter; it is {outgoing.status.value} now",
            code="already_signed",
            current={"status": outgoing.status.value, "number": outgoing.number},
        )


def require_signer(
    principal: Principal, outgoing: Outgoing, position_id: str | None
) -> tuple[SignerSlot, str]:
    """The signature the caller may give now, and his capacity (self, plt, plh)."""
    if outgoing.status not in SIGNABLE:
        _refuse_again_if_signed(principal, outgoing)
        code = "reviews_pending" if outgoing.status in EDITABLE else "not_signable"
        raise Conflict(f"the letter is {outgoing.status.value}: it cannot be signed now", code=code)
    slot = outgoing.next_signer()
    assert slot is not None  # signable means a signature is missing
    capacity = acting_rules.capacity_for(principal, slot.nip, position_id)
    if capacity is None:
        _refuse_again_if_signed(principal, outgoing)
        raise Forbidden("it is not your turn to sign this letter", code="not_your_turn")
    return slot, capacity


def printed_position(position: str, capacity: str) -> str:
    """The jabatan under a signature: ``Plt. Kepala Dinas ...`` when acting."""
    return position if capacity == "self" else f"{capacity.capitalize()}. {position}"


def can_revoke(principal: Principal, outgoing: Outgoing, acting_for: set[str]) -> bool:
    """A signer, his Plt/Plh today, or an admin."""
    signers = {s.nip for s in outgoing.signers}
    return bool(({principal.nip} | acting_for) & signers) or principal.has_any(Role.admin)


def can_deliver(principal: Principal, outgoing: Outgoing, acting_for: set[str]) -> bool:
    """Its author, a signer (or his Plt/Plh), or an admin."""
    return outgoing.author_nip == principal.nip or can_revoke(principal, outgoing, acting_for)


def shows_in_public(sifat: Sifat) -> bool:
    """What the public verification page may show of a letter: a secret one shows only that it
    is genuine, not its subject."""
    return not sifat.secret
