"""Work schedules, the service: reading and maintaining the regency default and unit exceptions,
and loading what the daily status's planner and the deadlines' working time are built from.

Everyone signed in may read schedules (they decide everyone's day); admins and hr maintain them.
Storage is ``schedule_store.py``; the decisions are ``schedule_rules.py``.
"""

from __future__ import annotations

from datetime import date

from eoffice import clock
from eoffice.attendance import schedule_store
from eoffice.attendance.schedule_models import (
    EffectiveSchedule,
    ScheduleEntry,
    ScheduleOverview,
    WorkSchedule,
    regency_default,
)
from eoffice.attendance.schedule_rules import DayPlanner, resolve, working_calendar
from eoffice.auth import Principal, require_role
from eoffice.calendar import store as calendar_store
from eoffice.calendar.models import YearCalendar
from eoffice.calendar.working_time import WorkingCalendar
from eoffice.errors import NotFound
from eoffice.org import store as org_store
from eoffice.org.models import Role, Unit

MAINTAINERS = (Role.admin, Role.hr)


def _default_entry(stored: ScheduleEntry | None) -> ScheduleEntry:
    return stored or ScheduleEntry(schedule=regency_default())


def _stored() -> tuple[WorkSchedule, dict[str, WorkSchedule]]:
    """The default schedule and the unit exceptions by unit, in one Query."""
    default, exceptions = schedule_store.every_entry()
    by_unit = {entry.unit_id: entry.schedule for entry in exceptions if entry.unit_id}
    return _default_entry(default).schedule, by_unit


def _calendars(first_year: int, last_year: int) -> list[YearCalendar]:
    """One GetItem per calendar year, the year before ``first_year`` too (a Ramadan that began in
    December covers January days)."""
    return [calendar_store.get_year(year) for year in range(first_year - 1, last_year + 1)]


# ---------------------------------------------------------------- reading
def overview(principal: Principal) -> ScheduleOverview:
    """The default and every unit exception (any signed-in employee)."""
    default, units = schedule_store.every_entry()
    return ScheduleOverview(default=_default_entry(default), units=units)


def get_default() -> ScheduleEntry:
    return _default_entry(schedule_store.get(None))


def effective(unit_id: str, units: list[Unit] | None = None) -> EffectiveSchedule:
    """The unit's schedule and where it comes from: its exception, its nearest ancestor's, else
    the default (one Query of the schedules, one of the units unless given)."""
    every_unit = units if units is not None else org_store.list_units()
    if unit_id not in {unit.unit_id for unit in every_unit}:
        raise NotFound(f"no unit has id {unit_id}", code="unit_not_found")
    default, by_unit = _stored()
    return resolve(unit_id, by_unit, default, every_unit)


def effective_schedule(unit_id: str, units: list[Unit] | None = None) -> WorkSchedule:
    return effective(unit_id, units).schedule


# ---------------------------------------------------------------- maintaining
def put_default(principal: Principal, schedule: WorkSchedule) -> ScheduleEntry:
    require_role(principal, *MAINTAINERS)
    entry = ScheduleEntry(schedule=schedule, updated_at=clock.utcnow(), updated_by=principal.nip)
    schedule_store.save(entry)
    return entry


def put_unit(principal: Principal, unit_id: str, schedule: WorkSchedule) -> ScheduleEntry:
    """Set a unit's exception; its sub-units inherit it unless they have their own."""
    require_role(principal, *MAINTAINERS)
    if org_store.get_unit(unit_id) is None:
        raise NotFound(f"no unit has id {unit_id}", code="unit_not_found")
    entry = ScheduleEntry(
        unit_id=unit_id, schedule=schedule, updated_at=clock.utcnow(), updated_by=principal.nip
    )
    schedule_store.save(entry)
    return entry


def delete_unit(principal: Principal, unit_id: str) -> EffectiveSchedule:
    """Drop a unit's exception; the answer is the schedule in force for it afterwards."""
    require_role(principal, *MAINTAINERS)
    schedule_store.delete(unit_id)
    return effective(unit_id)


# ---------------------------------------------------------------- the daily status's planner
def planner(first: date, last: date, units: list[Unit] | None = None) -> DayPlanner:
    """A planner for every unit from ``first`` to ``last``, from what is read once: one Query of
    the schedules, one of the units (unless given) and one GetItem per calendar year (the year
    before ``first`` too, for a Ramadan that began in December)."""
    default, by_unit = _stored()
    calendars = _calendars(first.year, last.year)
    every_unit = units if units is not None else org_store.list_units()
    return DayPlanner(default, by_unit, every_unit, calendars)


# ---------------------------------------------------------------- deadlines' working time
def regency_working_calendar(first_year: int, last_year: int) -> WorkingCalendar:
    """The regency's working time from ``first_year`` to ``last_year``, for deadlines: its
    default schedule (one GetItem) and one GetItem per calendar year (the year before too, for
    a Ramadan that began in December)."""
    years = range(first_year, last_year + 1)
    calendars = _calendars(first_year, last_year)
    return working_calendar(get_default().schedule, calendars, years)
