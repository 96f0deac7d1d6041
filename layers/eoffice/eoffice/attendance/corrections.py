"""Correcting a day: his heads or an admin say what a day was, with a reason; the check-ins and
earlier corrections stay as they were (a new item each time), and the day's status reads the
latest. A head corrects this month's and last month's days of the units he oversees (ADR 0028:
``correction_rules.head_may_correct``) unless BKPSDM froze that month's TPP report; older or
frozen ones, which BKPSDM has paid, go through an admin on BKPSDM's written word."""

from __future__ import annotations

from datetime import date

from eoffice import clock
from eoffice.attendance import access, ledger_store
from eoffice.attendance.correction_rules import check_correction, head_may_correct
from eoffice.attendance.models import Correction, CorrectionCreate
from eoffice.auth import Principal
from eoffice.errors import Forbidden, InvalidInput, NotFound
from eoffice.org.models import Role


def correct_day(principal: Principal, nip: str, day: date, data: CorrectionCreate) -> Correction:
    """His heads or an admin correct a day with a reason; the check-ins and earlier corrections
    stay. Nobody corrects his own day."""
    access.require_not_own(principal, nip)
    admin = principal.has_any(Role.admin)
    if not admin and not access.headed_units(principal):
        raise Forbidden(
            "only the employee's heads and admins correct his days", code="not_a_corrector"
        )
    employee = access.employee_or_404(nip)
    if not admin:
        _require_head_of(principal, employee.unit_id, day)
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


def _require_head_of(principal: Principal, unit_id: str, day: date) -> None:
    """A head over his unit, within the window: another unit's employee is one he may not know
    exists (404, as for a NIP nobody has)."""
    if not access.headed_oversight(principal).covers(unit_id):
        raise NotFound("no employee has this NIP", code="employee_not_found")
    if not head_may_correct(day, clock.today()) or _frozen(day):
        raise Forbidden(
            "a head corrects this month's and last month's days while BKPSDM has not frozen "
            "the month's TPP report; older ones go through BKPSDM",
            code="correction_window_closed",
        )


def _frozen(day: date) -> bool:
    from eoffice.tpp import store as tpp_store

    return tpp_store.month_frozen(day.isoformat()[:7])
