"""Loads the demo regency (``demo_data``) into a provisioned stack through the org data layer.

Ids are derived from codes and keys (UUID v5), so the demo has the same ids on every machine and a
second run finds the first one's data and leaves it alone.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from eoffice import clock
from eoffice.calendar import store as calendar_store
from eoffice.calendar.models import DayOff, DayOffKind, YearCalendar
from eoffice.org import store
from eoffice.org.models import Employee, Office, Position, Unit
from eoffice.tpp import rule_sets

from eoffice_local import demo_data

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


def load_demo(employee_count: int = 200, *, seed: int = 7) -> SeedResult:
    """Write the demo organisation unless it is already there."""
    org = demo_data.generate(employee_count, seed=seed)
    load_calendar()
    rule_sets.ensure_default()
    if store.get_unit(demo_id("unit", demo_data.ROOT_CODE)) is not None:
        return SeedResult(
            len(org.units), len(org.positions), len(org.offices), 0, already_there=True
        )
    now = clock.utcnow()
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
    return SeedResult(len(org.units), len(org.positions), len(org.offices), len(employees))


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
