"""Loads the demo regency (``demo_data``) into a provisioned stack through the org data layer,
and (``eoffice dev``) a past month of its attendance (``demo_attendance``).

Ids are derived from codes and keys (UUID v5), so the demo has the same ids on every machine and a
second run finds the first one's data and leaves it alone.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from eoffice import clock
from eoffice.calendar import store as calendar_store
from eoffice.calendar.models import DayOff, DayOffKind, YearCalendar
from eoffice.org import store
from eoffice.org.models import Employee, Office, Position, Unit
from eoffice.tpp import rule_sets

from eoffice_local import demo_attendance, demo_data

_NAMESPACE = uuid.UUID("0b8f5a52-4e1e-4c55-9d0e-6a1f3c7d2e90")


def demo_id(kind: str, key: str) -> str:
    return uuid.uuid5(_NAMESPACE, f"{kind}:{key}").hex


@dataclass(frozen=True)
class SeedResult:
    units: int
    positions: int
    offices: int
    employees: int
    already_there: bool = False


Staff = list[list[tuple[Employee, Office]]]
"""The active employees, each with his first office, unit by unit (:func:`staff_by_unit`)."""


def load_demo(
    employee_count: int = 200, *, seed: int = 7, recorded_at: datetime | None = None
) -> SeedResult:
    """Write the demo organisation unless it is already there. ``recorded_at``: when its
    records were made (default now); ``eoffice dev`` dates them before the month of attendance
    it loads, as in a regency whose records are older than its attendance."""
    return _load_demo(employee_count, seed, recorded_at)[0]


def _load_demo(
    employee_count: int, seed: int, recorded_at: datetime | None
) -> tuple[SeedResult, Staff | None]:
    """:func:`load_demo`, and the staff it wrote (None when the demo was there already)."""
    org = demo_data.generate(employee_count, seed=seed)
    load_calendar()
    rule_sets.ensure_default()
    if store.get_unit(demo_id("unit", demo_data.ROOT_CODE)) is not None:
        there = SeedResult(
            len(org.units), len(org.positions), len(org.offices), 0, already_there=True
        )
        return there, None
    now = recorded_at or clock.utcnow()
    stamps = {"created_at": now, "updated_at": now}
    units = [
        Unit(
            unit_id=demo_id("unit", spec.code),
            **stamps,
            **spec.to_create(
                demo_id("unit", spec.parent_code) if spec.parent_code else None
            ).model_dump(),
        )
        for spec in org.units
    ]
    positions = [
        Position(
            position_id=demo_id("position", spec.key),
            **stamps,
            **spec.to_create(demo_id("unit", spec.unit_code)).model_dump(),
        )
        for spec in org.positions
    ]
    offices = [
        Office(
            office_id=demo_id("office", spec.key),
            **stamps,
            **spec.to_create(demo_id("unit", spec.unit_code)).model_dump(),
        )
        for spec in org.offices
    ]
    store.load_structure(units, positions, offices)
    employees = [
        Employee(
            **stamps,
            **spec.to_create(
                demo_id("unit", spec.unit_code),
                demo_id("position", spec.position_key) if spec.position_key else None,
                [demo_id("office", key) for key in spec.office_keys],
            ).model_dump(),
        )
        for spec in org.employees
    ]
    store.write_employees(employees, [])
    written = SeedResult(len(org.units), len(org.positions), len(org.offices), len(employees))
    return written, staff_by_unit(employees, offices)


def load_calendar() -> None:
    """The 2026 national holidays and cuti bersama (SKB 3 Menteri), as an admin would enter them."""
    days = [
        DayOff(
            on=day,
            name=name,
            kind=DayOffKind.cuti_bersama
            if name.startswith("Cuti bersama")
            else DayOffKind.national,
        )
        for day, name in demo_data.HOLIDAYS_2026
    ]
    calendar_store.save_year(YearCalendar(year=2026, days_off=days, updated_at=clock.utcnow()))


@dataclass(frozen=True)
class MonthResult:
    month: str
    employees: int
    checkins: int
    leave: int
    corrections: int
    penalties: int = 0
    already_there: bool = False


PENALTIES = (Decimal("5"), Decimal("10"))
"""Disciplinary penalties (hukuman disiplin) of the demo month: a TPP cut of 5 % and of 10 %."""
PENALISED_BY = "198912032014022004"
"""BKPSDM's TPP officer (``tpp.bkpsdm``) enters them."""


def last_full_month(today: date) -> tuple[date, date]:
    """The first and last day of the month before ``today``'s (a regency date)."""
    last = today.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


def load_demo_with_month(employee_count: int = 200) -> tuple[SeedResult, MonthResult]:
    """What ``eoffice dev`` loads: the demo organisation, its records dated the day before the
    last full month (WITA), and that month's attendance."""
    first, last = last_full_month(clock.today())
    before = datetime.combine(first - timedelta(days=1), time(9), tzinfo=clock.regency_tz())
    org, staff = _load_demo(employee_count, 7, before)
    return org, load_demo_month(first, last, staff=staff)


def load_demo_month(
    first: date, last: date, *, seed: int = 7, staff: Staff | None = None
) -> MonthResult:
    """A month of attendance (``first`` to ``last``) for every active demo employee, so that the
    month's TPP report has something to deduct. Skipped when the month already has attendance
    (an external emulator keeps the first run's). ``staff``: the employees just written, which
    saves reading them back (seconds of the start-up); else they are read."""
    from eoffice.attendance.table import AttendanceRow, unit_month_key

    month = first.strftime("%Y-%m")
    root = demo_id("unit", demo_data.ROOT_CODE)
    probe = demo_id("unit", "DISKOMINFO-SP")
    if next(iter(AttendanceRow.by_unit_month.query(unit_month_key(probe, month), limit=1)), None):
        return MonthResult(month, 0, 0, 0, 0, already_there=True)
    groups = staff if staff is not None else _stored_staff()
    plan = demo_attendance.working_days(root, first, last)
    rates = demo_attendance.DEMO_RATES
    rng = random.Random(seed)
    drawn = demo_attendance.write_months(groups, plan, rng, rates)
    demo_attendance.write_leave_and_corrections(drawn)
    penalised = _add_penalties(groups, month, rng)
    employees = sum(len(group) for group in groups)
    return MonthResult(
        month, employees, drawn.checkins, len(drawn.leave), len(drawn.corrections), penalised
    )


def _add_penalties(groups: Staff, month: str, rng: random.Random) -> int:
    """A few staff members under a disciplinary penalty for three months from ``month``."""
    from eoffice.org.models import Role
    from eoffice.tpp import store as tpp_store
    from eoffice.tpp.models import Penalty
    from eoffice.tpp.penalties import last_month

    staff = [e for group in groups for e, _ in group if e.roles == [Role.staff]]
    chosen = rng.sample(staff, min(len(staff), len(PENALTIES)))
    for n, (employee, percent) in enumerate(zip(chosen, PENALTIES, strict=False)):
        tpp_store.add_penalty(
            Penalty(
                penalty_id=f"{month}_{employee.nip}_{n:08x}",
                nip=employee.nip,
                percent=percent,
                from_month=month,
                months=3,
                until_month=last_month(month, 3),
                reason="Hukuman disiplin ringan: tidak masuk kerja tanpa keterangan",
                decree_number=f"800.1.6.4/{17 + n:03d}/BKPSDM/{month[:4]}",
                created_by=PENALISED_BY,
                created_at=clock.utcnow(),
            )
        )
    return len(chosen)


def _stored_staff() -> Staff:
    """The staff of the demo as the tables hold it."""
    employees: list[Employee] = []
    cursor: str | None = None
    while True:
        page, cursor = store.list_employees(None, limit=200, cursor=cursor)
        employees += page
        if cursor is None:
            return staff_by_unit(employees, store.list_offices())


def staff_by_unit(employees: Iterable[Employee], offices: Iterable[Office]) -> Staff:
    """The active employees, each with his first office, unit by unit (sorted, so a seed draws
    the same month)."""
    by_id = {office.office_id: office for office in offices}
    groups: defaultdict[str, list[tuple[Employee, Office]]] = defaultdict(list)
    for employee in employees:
        office = by_id.get(employee.office_ids[0]) if employee.office_ids else None
        if employee.active and office is not None:
            groups[employee.unit_id].append((employee, office))
    return [sorted(groups[unit_id], key=lambda pair: pair[0].nip) for unit_id in sorted(groups)]
