"""The daily status, computed on read from what was recorded: the check-ins, approved leave,
the work schedule and calendar, and the latest correction. Nothing stored can go stale when
leave is approved or a check-in reviewed later.

The decisions are ``day_rules`` (a day, a unit's day); this module reads what they need:

- an employee's month: two Queries of his partition (check-ins, corrections) and one of his leave;
- a unit's day: one Query of its month index, one of its leave, one of its employees.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time

from eoffice import clock
from eoffice.attendance import access, day_rules, ledger_store, schedules
from eoffice.attendance.leaves import approved_leave_in_unit, approved_leave_of
from eoffice.attendance.models import (
    AttendanceDay,
    CheckIn,
    Correction,
    DayDetail,
    DayStatus,
    MonthView,
    StaffDay,
    UnitDay,
)
from eoffice.attendance.schedule_rules import DayPlanner
from eoffice.auth import Principal
from eoffice.errors import NotFound
from eoffice.org import store as org_store
from eoffice.org.models import Employee


# ---------------------------------------------------------------- one employee
def month_of(principal: Principal, nip: str, month: str) -> MonthView:
    employee = access.employee_or_404(nip)
    access.require_see(principal, employee.nip, employee.unit_id)
    first, last = day_rules.month_bounds(month)
    return MonthView(nip=nip, month=month, days=employee_days(employee, first, last))


def employee_days(employee: Employee, first: date, last: date) -> list[AttendanceDay]:
    checkins = _by_day(ledger_store.checkins_of(employee.nip, first, last))
    corrections = _latest(ledger_store.corrections_of(employee.nip, first, last))
    leave = approved_leave_of(employee.nip, first, last)
    planner = schedules.planner(first, last)
    now = clock.utcnow()
    return [
        day_rules.evaluate(employee, day, planner, checkins[day], corrections.get(day), leave, now)
        for day in day_rules.month_days(first, last)
    ]


def day_detail(principal: Principal, nip: str, day: date) -> DayDetail:
    employee = access.employee_or_404(nip)
    access.require_see(principal, employee.nip, employee.unit_id)
    checkins = ledger_store.checkins_of(nip, day, day)
    corrections = ledger_store.corrections_of(nip, day, day)
    status = day_rules.evaluate(
        employee,
        day,
        schedules.planner(day, day),
        checkins,
        _latest(corrections).get(day),
        approved_leave_of(nip, day, day),
        clock.utcnow(),
    )
    flags = ledger_store.flags_of(nip, day, day)
    return DayDetail(status=status, checkins=checkins, corrections=corrections, flags=flags)


# ---------------------------------------------------------------- a unit
def unit_day(principal: Principal, unit_id: str, day: date) -> UnitDay:
    if org_store.get_unit(unit_id) is None:
        raise NotFound(f"unit {unit_id} does not exist", code="unit_not_found")
    access.require_overseer_of(principal, unit_id)
    planner = schedules.planner(day, day)
    return UnitDay(unit_id=unit_id, day=day, employees=unit_statuses(unit_id, day, planner))


def unit_statuses(unit_id: str, day: date, planner: DayPlanner) -> list[StaffDay]:
    """Every active employee of the unit on ``day``: three Queries, and more for each employee
    found absent, who may have records indexed under another unit (records are indexed under
    the unit of the moment they were made): three for his own records if his record changed
    since the day began (he may have moved here today); else one for his own leave (filed
    before he moved here), and two more if he has some."""
    employees = [e for e in org_store.unit_employees(unit_id) if e.active]
    checkins, corrections = ledger_store.unit_day(unit_id, day)
    leave = approved_leave_in_unit(unit_id, day, day)
    now = clock.utcnow()
    found = day_rules.statuses(employees, day, planner, checkins, corrections, leave, now)
    by_nip = {employee.nip: employee for employee in employees}
    began = datetime.combine(day, time(), tzinfo=clock.regency_tz())
    return [
        _settled(by_nip[row.nip], row, began, planner, now)
        if row.status is DayStatus.absent
        else row
        for row in found
    ]


def _settled(
    employee: Employee, row: StaffDay, began: datetime, planner: DayPlanner, now: datetime
) -> StaffDay:
    """An absent employee's day, read again from his own records when some may be elsewhere."""
    if employee.updated_at >= began:
        return _second_look(employee, row.day, planner, now)
    own_leave = approved_leave_of(employee.nip, row.day, row.day)
    return _second_look(employee, row.day, planner, now, own_leave) if own_leave else row


def _second_look(
    employee: Employee,
    day: date,
    planner: DayPlanner,
    now: datetime,
    leave: Sequence[day_rules.LeaveLike] | None = None,
) -> StaffDay:
    """An absent employee's day read from his own records (wherever they are indexed);
    ``leave``: his own approved leave when already read."""
    corrections = _latest(ledger_store.corrections_of(employee.nip, day, day))
    status = day_rules.evaluate(
        employee,
        day,
        planner,
        ledger_store.checkins_of(employee.nip, day, day),
        corrections.get(day),
        approved_leave_of(employee.nip, day, day) if leave is None else leave,
        now,
    )
    return day_rules.staff_day(employee, status)


# ---------------------------------------------------------------- helpers
def _by_day(checkins: Iterable[CheckIn]) -> defaultdict[date, list[CheckIn]]:
    days: defaultdict[date, list[CheckIn]] = defaultdict(list)
    for checkin in checkins:
        days[checkin.day].append(checkin)
    return days


def _latest(corrections: Iterable[Correction]) -> dict[date, Correction]:
    return {c.day: c for c in sorted(corrections, key=lambda c: c.at)}
