"""The daily status, computed on read from what was recorded: the check-ins, approved leave,
the work schedule and calendar, and the latest correction. Nothing stored can go stale when
leave is approved or a check-in reviewed later.

- an employee's month: two Queries of his partition (check-ins, corrections) and one of his leave;
- a unit's day: one Query of its month index, one of its leave, one of its employees.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from typing import Protocol

from eoffice import clock
from eoffice.attendance import day_rules, ledger_store, policy, schedules
from eoffice.attendance.leaves import approved_leave_in_unit, approved_leave_of
from eoffice.attendance.models import (
    AttendanceDay,
    CheckIn,
    Correction,
    CorrectionCreate,
    DayDetail,
    DayStatus,
    LeaveType,
    MonthView,
    StaffDay,
    UnitDay,
)
from eoffice.attendance.schedule_rules import DayPlanner
from eoffice.auth import Principal, require_role
from eoffice.errors import InvalidInput, NotFound
from eoffice.org import store as org_store
from eoffice.org.models import Employee, Role


class LeaveLike(Protocol):
    """What the status needs of approved leave (``eoffice.attendance.leave_models.Leave``)."""

    nip: str
    leave_id: str
    type: LeaveType

    def covers(self, day: date) -> bool: ...


# ---------------------------------------------------------------- one employee
def month_of(principal: Principal, nip: str, month: str) -> MonthView:
    employee = policy.employee_or_404(nip)
    policy.require_see(principal, employee.nip, employee.unit_id)
    first, last = day_rules.month_bounds(month)
    return MonthView(nip=nip, month=month, days=employee_days(employee, first, last))


def employee_days(employee: Employee, first: date, last: date) -> list[AttendanceDay]:
    checkins = _by_day(ledger_store.checkins_of(employee.nip, first, last))
    corrections = _latest(ledger_store.corrections_of(employee.nip, first, last))
    leave = approved_leave_of(employee.nip, first, last)
    planner = schedules.planner(first, last)
    now = clock.utcnow()
    return [
        evaluate(employee, day, planner, checkins[day], corrections.get(day), leave, now)
        for day in day_rules.month_days(first, last)
    ]


def day_detail(principal: Principal, nip: str, day: date) -> DayDetail:
    employee = policy.employee_or_404(nip)
    policy.require_see(principal, employee.nip, employee.unit_id)
    checkins = ledger_store.checkins_of(nip, day, day)
    corrections = ledger_store.corrections_of(nip, day, day)
    status = evaluate(
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
    policy.require_overseer_of(principal, unit_id)
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
    found = statuses(employees, day, planner, checkins, corrections, leave, now)
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
    leave: Sequence[LeaveLike] | None = None,
) -> StaffDay:
    """An absent employee's day read from his own records (wherever they are indexed);
    ``leave``: his own approved leave when already read."""
    corrections = _latest(ledger_store.corrections_of(employee.nip, day, day))
    status = evaluate(
        employee,
        day,
        planner,
        ledger_store.checkins_of(employee.nip, day, day),
        corrections.get(day),
        approved_leave_of(employee.nip, day, day) if leave is None else leave,
        now,
    )
    return _staff_day(employee, status)


def statuses(
    employees: Sequence[Employee],
    day: date,
    planner: DayPlanner,
    checkins: Sequence[CheckIn],
    corrections: Sequence[Correction],
    leave: Sequence[LeaveLike],
    now: datetime,
) -> list[StaffDay]:
    """The pure part of a unit's day: what the benchmark measures for 5,000 employees."""
    by_nip: dict[str, list[CheckIn]] = defaultdict(list)
    for checkin in checkins:
        by_nip[checkin.nip].append(checkin)
    latest = {c.nip: c for c in sorted(corrections, key=lambda c: c.at)}
    leave_by_nip: dict[str, list[LeaveLike]] = defaultdict(list)
    for item in leave:
        leave_by_nip[item.nip].append(item)
    return [
        _staff_day(
            employee,
            evaluate(
                employee,
                day,
                planner,
                by_nip[employee.nip],
                latest.get(employee.nip),
                leave_by_nip[employee.nip],
                now,
            ),
        )
        for employee in sorted(employees, key=lambda e: e.name)
    ]


def _staff_day(employee: Employee, status: AttendanceDay) -> StaffDay:
    """The day with who it is: its fields are validated already, so they are not again
    (validating them twice was a large share of a regency's day: docs/performance.md)."""
    return StaffDay.model_construct(name=employee.name, unit_id=employee.unit_id, **dict(status))


# ---------------------------------------------------------------- corrections
def correct_day(principal: Principal, nip: str, day: date, data: CorrectionCreate) -> Correction:
    """Admins correct a day with a reason; the check-ins and earlier corrections stay. Nobody
    corrects his own day."""
    require_role(principal, Role.admin)
    policy.require_not_own(principal, nip)
    employee = policy.employee_or_404(nip)
    if day > clock.today():
        raise InvalidInput("a day still to come cannot be corrected", code="future_day")
    _check_correction(day, data)
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


CORRECTABLE = frozenset({DayStatus.present, DayStatus.absent, DayStatus.leave})


def _check_correction(day: date, data: CorrectionCreate) -> None:
    """A correction says what the day was: present (with times on that day, in order),
    absent, or on leave of a named type."""
    if data.status not in CORRECTABLE:
        raise InvalidInput(
            "a correction makes a day present, absent or leave", code="invalid_correction"
        )
    if (data.status is DayStatus.leave) != (data.leave_type is not None):
        raise InvalidInput(
            "leave_type is given exactly when the status is leave", code="invalid_correction"
        )
    times = [t for t in (data.first_in, data.last_out) if t is not None]
    if times and data.status is not DayStatus.present:
        raise InvalidInput("times are given only for present", code="invalid_correction")
    if any(t.astimezone(clock.regency_tz()).date() != day for t in times):
        raise InvalidInput("the times must fall on that day (WITA)", code="invalid_correction")
    if data.first_in and data.last_out and data.last_out <= data.first_in:
        raise InvalidInput("last_out must be after first_in", code="invalid_correction")


# ---------------------------------------------------------------- helpers
def evaluate(
    employee: Employee,
    day: date,
    planner: DayPlanner,
    checkins: Sequence[day_rules.CheckInLike],
    correction: Correction | None,
    leave: Sequence[LeaveLike],
    now: datetime,
) -> AttendanceDay:
    """His day under his unit's hours and within his employment, with the leave that covers
    it."""
    hours, day_off = planner.hours_on(employee.unit_id, day)
    covering = next((item for item in leave if item.covers(day)), None)
    return day_rules.evaluate_day(
        day,
        employee.nip,
        hours=hours,
        day_off_name=day_off,
        checkins=checkins,
        leave=(covering.type, covering.leave_id) if covering else None,
        correction=correction,
        now=now,
        employed_from=employee.employed_from,
        employed_until=employee.employed_until,
    )


def _by_day(checkins: Iterable[CheckIn]) -> defaultdict[date, list[CheckIn]]:
    days: defaultdict[date, list[CheckIn]] = defaultdict(list)
    for checkin in checkins:
        days[checkin.day].append(checkin)
    return days


def _latest(corrections: Iterable[Correction]) -> dict[date, Correction]:
    return {c.day: c for c in sorted(corrections, key=lambda c: c.at)}
