"""This project's default TPP rule set, exactly as the domain reference states it; loaded with
the demo data and published as version 1 of a new regency."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from eoffice.attendance.models import LeaveType
from eoffice.tpp.rule_set_models import Band, CltnRule, Rounding, RuleSetCreate

_BANDS = [(30, "0.5"), (60, "1"), (90, "1.25"), (None, "2.5")]


def default_rule_set() -> RuleSetCreate:
    """TL/PSW 1-30 0.5 %, 31-60 1 %, 61-90 1.25 %, 91+ 2.5 %; no check-in TL4, no check-out
    PSW4; TK 3 %; izin 1 %; dinas luar and cuti 0 %; cap 40 %; no presence, no TPP; CLTN pro
    rata; round half up once."""
    bands = [Band(up_to_minutes=limit, percent=Decimal(pct)) for limit, pct in _BANDS]
    leave = {kind: Decimal(0) for kind in LeaveType}
    leave[LeaveType.izin] = Decimal(1)
    return RuleSetCreate(
        name="Aturan bawaan TPP (Perbup Luwu Timur 7/2021)",
        effective_from=date(2021, 1, 1),
        legal_basis="Perbup Luwu Timur 7/2021",
        late_bands=bands,
        early_bands=[band.model_copy() for band in bands],
        missing_check_in_band=4,
        missing_check_out_band=4,
        absent_percent=Decimal(3),
        leave_percent=leave,
        max_day_percent=None,
        discipline_cap_percent=Decimal(40),
        zero_without_presence=True,
        cltn=CltnRule.pro_rata,
        rounding=Rounding.half_up,
    )
