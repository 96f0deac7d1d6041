"""The review queue: mock locations, shared devices, implausible clocks and impossible travel,
each with its evidence, for hr and the heads over the employee's unit. A review closes every
open flag of the check-in and decides whether a check-in waiting for review counts."""

from __future__ import annotations

from datetime import date

from eoffice import clock
from eoffice.attendance import access, ledger_store
from eoffice.attendance.models import CheckIn, CheckState, Flag, FlagDecision, FlagPage, Review
from eoffice.auth import Principal
from eoffice.errors import Conflict, Forbidden, InvalidInput, NotFound


def open_flags(
    principal: Principal, unit_id: str | None, limit: int, cursor: str | None
) -> FlagPage:
    """hr: every open flag, or one unit's; a head: those of the units he oversees."""
    seen = access.oversight(principal)
    if not seen.everyone and not seen.units:
        raise Forbidden("only hr and heads review attendance flags", code="not_a_reviewer")
    if unit_id is not None:
        if not seen.covers(unit_id):
            raise Forbidden("only hr and the unit's heads may see this", code="not_your_unit")
        items, next_cursor = ledger_store.open_flags(f"{unit_id}#", limit, cursor)
        return FlagPage(items=items, next_cursor=next_cursor)
    if seen.everyone:
        items, next_cursor = ledger_store.open_flags("", limit, cursor)
        return FlagPage(items=items, next_cursor=next_cursor)
    items = [
        f
        for unit in sorted(seen.units)
        for f in ledger_store.open_flags(f"{unit}#", limit, None)[0]
    ]
    return FlagPage(items=items[:limit], next_cursor=None)


def resolve(
    principal: Principal, nip: str, day: date, flag_id: str, data: FlagDecision
) -> list[Flag]:
    """Close the flag and the other open flags of its check-in. ``accepted``: a check-in waiting
    for review counts; ``rejected``: the check-in (waiting or accepted) does not. A rejected
    attempt stays rejected. Nobody reviews his own flags."""
    if data.decision is CheckState.pending_review:
        raise InvalidInput("decide accepted or rejected", code="invalid_decision")
    flag = ledger_store.get_flag(nip, day, flag_id)
    if flag is None:
        raise NotFound("no such flag", code="flag_not_found")
    access.require_overseer_of(principal, flag.unit_id)
    access.require_not_own(principal, flag.nip)
    if not flag.open:
        raise Conflict("the flag was already reviewed", code="flag_closed")
    review = Review(decision=data.decision, by=principal.nip, at=clock.utcnow(), note=data.note)
    related = [f for f in ledger_store.flags_of(nip, day, day) if f.open and _same_case(f, flag)]
    closed = [f.model_copy(update={"open": False, "resolution": review}) for f in related]
    reviewed, was = _reviewed_checkin(flag, review)
    ledger_store.save_review(closed, reviewed, was)
    return closed


def _same_case(other: Flag, flag: Flag) -> bool:
    return other.flag_id == flag.flag_id or (
        flag.checkin_id is not None and other.checkin_id == flag.checkin_id
    )


def _reviewed_checkin(flag: Flag, review: Review) -> tuple[CheckIn | None, str | None]:
    """The check-in as the review leaves it (None: unchanged), and its stored body."""
    if flag.checkin_id is None:
        return None, None
    found = ledger_store.checkin_of(flag.nip, flag.day, flag.checkin_id)
    if found is None:
        return None, None
    checkin, body = found
    if checkin.state is CheckState.rejected:
        return None, None  # a refused attempt stays refused
    if checkin.state is CheckState.accepted and review.decision is CheckState.accepted:
        return None, None
    return checkin.model_copy(update={"state": review.decision, "review": review}), body
