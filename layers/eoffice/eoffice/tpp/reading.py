"""Reading a month's attendance for the TPP report, unit by unit, so that the whole regency's
month never sits in memory at once (docs/research/tpp.md section 2).

Per unit: one Query of its employees, one paginated Query of its month's attendance partition
(check-ins and corrections, parsed into slim records) and one of its approved leave. An
employee whose record changed since the month began may have moved: his month is read from his
own partition instead (three Queries), wherever his records were indexed. Never a Scan.

Check-ins still waiting for review are left out, and counted: the report at 01:00 on the 1st has
nobody to decide them; the day is evaluated as if they were not recorded, and the report lists
them ("menunggu verifikasi"). A rerun after the review gives a new version.
"""

from __future__ import annotations

import time as timer
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import TypeVar

from eoffice import clock
from eoffice.attendance import day_rules, ledger_store, schedules
from eoffice.attendance.leave_models import Leave
from eoffice.attendance.leaves import approved_leave_in_unit, approved_leave_of
from eoffice.attendance.models import AttendanceDay, CheckState, Correction, DayStatus
from eoffice.attendance.schedule_rules import DayPlanner
from eoffice.org import store as org_store
from eoffice.org import tpp_amounts
from eoffice.org.models import Employee, Unit
from eoffice.tpp.models import EmployeeInfo

Recorded = day_rules.CheckInLike


@dataclass
class Phases:
    """Seconds spent per phase of a run: reading from DynamoDB (and parsing), computing the
    days and the months, rendering the files, writing them. Logged and kept on the run."""

    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, phase: str, started: float) -> None:
        self.seconds[phase] = self.seconds.get(phase, 0.0) + timer.perf_counter() - started

    def rounded(self) -> dict[str, float]:
        return {phase: round(value, 3) for phase, value in sorted(self.seconds.items())}


@dataclass(frozen=True)
class MonthContext:
    """What every unit of the month needs, read once."""

    month: str
    first: date
    last: date
    planner: DayPlanner
    positions: dict[str, str]
    now: datetime
    phases: Phases = field(default_factory=Phases)

    @classmethod
    def load(cls, month: str, units: list[Unit], phases: Phases) -> MonthContext:
        started = timer.perf_counter()
        first, last = day_rules.month_bounds(month)
        positions = {p.position_id: p.name for p in org_store.list_positions()}
        planner = schedules.planner(first, last, units)
        phases.add("read", started)
        return cls(month, first, last, planner, positions, clock.utcnow(), phases)

    @property
    def began(self) -> datetime:
        return datetime.combine(self.first, time(), tzinfo=clock.regency_tz())


@dataclass(frozen=True)
class EmployeeDays:
    info: EmployeeInfo
    days: list[AttendanceDay]


def regency_leave(units: Sequence[Unit], first: date, last: date) -> dict[str, list[Leave]]:
    """Every approved leave touching the month, by NIP: one Query per unit. Leave stays indexed
    under the unit it was filed in, so only the whole regency's holds an employee's leave
    filed before he moved."""
    found: defaultdict[str, list[Leave]] = defaultdict(list)
    for unit in units:
        for item in approved_leave_in_unit(unit.unit_id, first, last):
            found[item.nip].append(item)
    return dict(found)


def unit_months(
    context: MonthContext, unit: Unit, leave_by_nip: dict[str, list[Leave]] | None = None
) -> Iterator[EmployeeDays]:
    """Every employee of the unit reported for the month, with his days, by NIP.
    ``leave_by_nip``: the regency's leave (``regency_leave``); without it the unit's own is
    read, and an employee absent on some day is checked for leave filed in another unit."""
    started = timer.perf_counter()
    employees = sorted(
        (e for e in org_store.unit_employees(unit.unit_id) if _reported(context, e)),
        key=lambda e: e.nip,
    )
    if not employees:
        context.phases.add("read", started)
        return
    checkins, corrections = ledger_store.unit_month(unit.unit_id, context.month)
    own_leave = None if leave_by_nip is not None else _unit_leave(context, unit)
    context.phases.add("read", started)
    by_nip = _group(checkins, corrections, own_leave or [])
    for employee in employees:
        if employee.updated_at >= context.began:
            yield _timed(context, employee, _read(context, _own_records, employee.nip))
            continue
        found, leave = by_nip[employee.nip], (leave_by_nip or {}).get(employee.nip, [])
        records = (found[0], found[1], leave if leave_by_nip is not None else found[2])
        month = _timed(context, employee, records)
        if leave_by_nip is None and _has_absence(month):
            month = _with_leave_elsewhere(context, employee, records, month)
        yield month


def _reported(context: MonthContext, employee: Employee) -> bool:
    """Active employees, and those made inactive during the month or after it (a rerun of a
    month must still pay who worked in it)."""
    return employee.active or employee.updated_at >= context.began


def _unit_leave(context: MonthContext, unit: Unit) -> list[Leave]:
    return approved_leave_in_unit(unit.unit_id, context.first, context.last)


def _has_absence(month: EmployeeDays) -> bool:
    return any(day.status is DayStatus.absent for day in month.days)


def _with_leave_elsewhere(
    context: MonthContext, employee: Employee, records: _Records, month: EmployeeDays
) -> EmployeeDays:
    """His month again with leave filed in another unit (before he moved), if he has any."""
    leave = _read(
        context, lambda _, nip: approved_leave_of(nip, context.first, context.last), employee.nip
    )
    known = {item.leave_id for item in records[2]}
    if not any(item.leave_id not in known for item in leave):
        return month
    return _timed(context, employee, (records[0], records[1], leave))


_T = TypeVar("_T")


def _read(context: MonthContext, reader: Callable[[MonthContext, str], _T], nip: str) -> _T:
    started = timer.perf_counter()
    found = reader(context, nip)
    context.phases.add("read", started)
    return found


def _timed(context: MonthContext, employee: Employee, records: _Records) -> EmployeeDays:
    started = timer.perf_counter()
    found = _employee_month(context, employee, *records)
    context.phases.add("compute", started)
    return found


_Records = tuple[list[Recorded], list[Correction], list[Leave]]


def _group(
    checkins: Sequence[Recorded], corrections: Sequence[Correction], leave: Sequence[Leave]
) -> defaultdict[str, _Records]:
    grouped: defaultdict[str, _Records] = defaultdict(lambda: ([], [], []))
    for checkin in checkins:
        grouped[checkin.nip][0].append(checkin)
    for correction in corrections:
        grouped[correction.nip][1].append(correction)
    for item in leave:
        grouped[item.nip][2].append(item)
    return grouped


def _own_records(context: MonthContext, nip: str) -> _Records:
    return (
        list(ledger_store.checkins_of(nip, context.first, context.last)),
        ledger_store.corrections_of(nip, context.first, context.last),
        approved_leave_of(nip, context.first, context.last),
    )


def _employee_month(
    context: MonthContext,
    employee: Employee,
    checkins: Sequence[Recorded],
    corrections: Sequence[Correction],
    leave: Sequence[Leave],
) -> EmployeeDays:
    tz = clock.regency_tz()
    counted: defaultdict[date, list[Recorded]] = defaultdict(list)
    pending: defaultdict[date, int] = defaultdict(int)
    for checkin in checkins:
        day = checkin.effective_at.astimezone(tz).date()
        if checkin.state is CheckState.pending_review:
            pending[day] += 1
        else:
            counted[day].append(checkin)
    latest = {c.day: c for c in sorted(corrections, key=lambda c: c.at)}
    found = []
    for day in day_rules.month_days(context.first, context.last):
        status = day_rules.evaluate(
            employee, day, context.planner, counted[day], latest.get(day), leave, context.now
        )
        if pending[day]:
            status = status.model_copy(update={"pending_checkins": pending[day]})
        found.append(status)
    return EmployeeDays(_info(context, employee), found)


def _info(context: MonthContext, employee: Employee) -> EmployeeInfo:
    position = context.positions.get(employee.position_id or "")
    return EmployeeInfo(
        nip=employee.nip,
        name=employee.name,
        unit_id=employee.unit_id,
        position=position,
        tpp_amount=tpp_amounts.amount_for(employee, context.month),
    )
