"""Correcting a day: his heads or an admin say what a day was, with a reason; the check-ins and
earlier corrections stay as they were (a new item each time), and the day's status reads the
latest. A head corrects this month's and last month's days of the units he oversees (ADR 0028:
``correction_rules.head_may_correct``); older ones, which BKPSDM has paid, go through an admin
on BKPSDM's written word."""

from __future__ import annotations

from datetime import date

from eoffice import clock
from eoffice.attendance import access, ledger_store
from eoffice.attendance.correction_rules import check_correction, head_may_correct
from eoffice.attendance.models import Correction, CorrectionCreate
from eoffice.auth import Principal
from eoffice.errors import Forbidden, InvalidInput
from eoffice.org.models import Role


def correct_day(principal: Principal, nip: str, day: date, data: CorrectionCreate) -> Correction:
    """His heads or an admin correct a day with a reason; the check-ins and earlier corrections
    stay. Nobody corrects his own day."""
    access.require_not_own(principal, nip)
    employee = access.employee_or_404(nip)
    _require_corrector(principal, employee.unit_id, day)
    if day > clock.today():
        raise InvalidInput("a day still to come cannot be corrected", code="future_day")
    check_correction(day, data)
    correction = Correction(
        correction_id=f"{day.isoformat()}-{clock.utcnow().strftime('%Y%m%d%H%M%S%f')}",
        nip=nip,
        day=day,
        by=principal.nip,
        at=clock.utcnow(),
        **data.model_dump(),
    )
    ledger_store.add_correction(correction, employee.unit_id)
    return correction


def _require_corrector(principal: Principal, unit_id: str, day: date) -> None:
    if principal.has_any(Role.admin):
        return
    if not access.headed_oversight(principal).covers(unit_id):
        raise Forbidden(
            "only the employee's heads and admins correct his days", code="not_a_corrector"
        )
    if not head_may_correct(day, clock.today()):
        raise Forbidden(
            "a head corrects this month's and last month's days; older ones go through BKPSDM",
            code="correction_window_closed",
        )
