"""Correcting a day: admins say what a day was, with a reason; the check-ins and earlier
corrections stay as they were (a new item each time), and the day's status reads the latest."""

from __future__ import annotations

from datetime import date

from eoffice import clock
from eoffice.attendance import access, ledger_store
from eoffice.attendance.correction_rules import check_correction
from eoffice.attendance.models import Correction, CorrectionCreate
from eoffice.auth import Principal, require_role
from eoffice.errors import InvalidInput
from eoffice.org.models import Role


def correct_day(principal: Principal, nip: str, day: date, data: CorrectionCreate) -> Correction:
    """Admins correct a day with a reason; the check-ins and earlier corrections stay. Nobody
    corrects his own day."""
    require_role(principal, Role.admin)
    access.require_not_own(principal, nip)
    employee = access.employee_or_404(nip)
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
