"""Disciplinary penalties (hukuman disiplin) entered by BKPSDM: a percentage of the TPP for a
number of months, cut on top of the attendance deduction (after its cap)."""

from __future__ import annotations

import re
import secrets

from eoffice import clock
from eoffice.attendance import access
from eoffice.attendance.day_rules import month_bounds
from eoffice.auth import Principal, require_role
from eoffice.errors import Conflict, NotFound
from eoffice.org.models import Role
from eoffice.tpp import store
from eoffice.tpp.models import Penalty, PenaltyCancel, PenaltyCancelCreate, PenaltyCreate

_PENALTY_ID = re.compile(r"^[12][0-9]{3}-[01][0-9]_[0-9]{18}_[0-9a-f]{8}$")


def add(principal: Principal, data: PenaltyCreate) -> Penalty:
    require_role(principal, Role.hr)
    access.require_not_own(principal, data.nip)
    access.employee_or_404(data.nip)
    penalty = Penalty(
        penalty_id=f"{data.from_month}_{data.nip}_{secrets.token_hex(4)}",
        until_month=last_month(data.from_month, data.months),
        created_by=principal.nip,
        created_at=clock.utcnow(),
        **data.model_dump(),
    )
    store.add_penalty(penalty)
    return penalty


def cancel(principal: Principal, penalty_id: str, data: PenaltyCancelCreate) -> Penalty:
    """Withdraw a penalty entered in error (hr, not his own); a second cancel is 409."""
    require_role(principal, Role.hr)
    found = store.penalty(penalty_id) if _PENALTY_ID.match(penalty_id) else None
    if found is None:
        raise NotFound(f"penalty {penalty_id} does not exist", code="penalty_not_found")
    penalty, was = found
    access.require_not_own(principal, penalty.nip)
    if penalty.cancelled is not None:
        raise Conflict("the penalty was withdrawn already", code="penalty_cancelled")
    cancelled = PenaltyCancel(reason=data.reason, by=principal.nip, at=clock.utcnow())
    updated = penalty.model_copy(update={"cancelled": cancelled})
    store.save_penalty(updated, was)
    return updated


def last_month(from_month: str, months: int) -> str:
    """``2026-11`` and 3 months: ``2027-01``."""
    index = int(from_month[:4]) * 12 + int(from_month[5:]) - 1 + months - 1
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def covering(month: str) -> list[Penalty]:
    """Every penalty in force in ``month`` (one Query)."""
    return [p for p in store.penalties_from(month) if p.covers(month)]


def in_force(principal: Principal, month: str, nip: str | None) -> list[Penalty]:
    """hr's list for a month, optionally of one employee (withdrawn ones too, marked)."""
    require_role(principal, Role.hr)
    month_bounds(month)
    found = store.penalties_from(month)
    return [
        p for p in found if p.from_month <= month <= p.until_month and (nip is None or p.nip == nip)
    ]
