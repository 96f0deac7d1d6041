"""Disciplinary penalties (hukuman disiplin) entered by BKPSDM: a percentage of the TPP for a
number of months, cut on top of the attendance deduction (after its cap)."""

from __future__ import annotations

import secrets

from eoffice import clock
from eoffice.attendance import policy
from eoffice.attendance.day_rules import month_bounds
from eoffice.auth import Principal, require_role
from eoffice.org.models import Role
from eoffice.tpp import store
from eoffice.tpp.models import Penalty, PenaltyCreate


def add(principal: Principal, data: PenaltyCreate) -> Penalty:
    require_role(principal, Role.hr)
    policy.require_not_own(principal, data.nip)
    policy.employee_or_404(data.nip)
    penalty = Penalty(
        penalty_id=f"{clock.utcnow():%Y%m%d%H%M%S}-{secrets.token_hex(4)}",
        until_month=last_month(data.from_month, data.months),
        created_by=principal.nip,
        created_at=clock.utcnow(),
        **data.model_dump(),
    )
    store.add_penalty(penalty)
    return penalty


def last_month(from_month: str, months: int) -> str:
    """``2026-11`` and 3 months: ``2027-01``."""
    index = int(from_month[:4]) * 12 + int(from_month[5:]) - 1 + months - 1
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def covering(month: str) -> list[Penalty]:
    """Every penalty in force in ``month`` (one Query)."""
    return [p for p in store.penalties_from(month) if p.covers(month)]


def in_force(principal: Principal, month: str, nip: str | None) -> list[Penalty]:
    """hr's list for a month, optionally of one employee."""
    require_role(principal, Role.hr)
    month_bounds(month)
    return [p for p in covering(month) if nip is None or p.nip == nip]
