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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

from eoffice import clock
from eoffice.attendance import day_rules, days, ledger
from eoffice.attendance.leave_models import Leave
from eoffice.attendance.leaves import approved_leave_in_unit, approved_leave_of
from eoffice.attendance.models import AttendanceDay, CheckState, Correction
from eoffice.attendance.schedules import DayPlanner
from eoffice.org import store as org_store
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
        planner = DayPlanner.load(first, last, units)
        phases.add("read", started)
        return cls(month, first, last, planner, positions, clock.utcnow(), phases)

    @property
    def began(self) -> datetime:
        return datetime.combine(self.first, time(), tzinfo=clock.regency_tz())


@dataclass(frozen=True)
class EmployeeDays:
    info: EmployeeInfo
    days: list[AttendanceDay]


def unit_months(context: MonthContext, unit: Unit) -> Iterator[EmployeeDays]:
    """Every active employee of the unit with his month's days, by NIP."""
    started = timer.perf_counter()
    employees = sorted(
        (e for e in org_store.unit_employees(unit.unit_id) if e.active), key=lambda e: e.nip
    )
    if not employees:
        context.phases.add("read", started)
        return
    checkins, corrections = ledger.unit_month(unit.unit_id, context.month)
    leave = approved_leave_in_unit(unit.unit_id, context.first, context.last)
    context.phases.add("read", started)
    by_nip = _group(checkins, corrections, leave)
    for employee in employees:
        if employee.updated_at >= context.began:
            started = timer.perf_counter()
            records = _own_records(context, employee.nip)
            context.phases.add("read", started)
        else:
            records = by_nip[employee.nip]
        started = timer.perf_counter()
        found = _employee_month(context, employee, *records)
        context.phases.add("compute", started)
        yield found


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
        list(ledger.checkins_of(nip, context.first, context.last)),
        ledger.corrections_of(nip, context.first, context.last),
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
        status = days.evaluate(
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
        tpp_amount=employee.tpp_amount,
    )
