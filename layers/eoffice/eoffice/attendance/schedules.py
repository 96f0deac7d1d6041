"""Work schedules: the regency default and unit exceptions, kept in the organisation table, and
the planner the daily status uses to know each unit's hours.

Items: ``SCHEDULE#default`` / ``SCHEDULE`` and ``SCHEDULE#{unit_id}`` / ``SCHEDULE``, the entry as
JSON; all of them sit on gsi1 under ``SCHEDULES`` so the whole set is one Query (never a Scan).
Everyone signed in may read schedules (they decide everyone's day); admins and hr maintain them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pynamodb.attributes import UnicodeAttribute
from pynamodb.exceptions import DeleteError

from eoffice import clock
from eoffice.attendance.schedule import DayPlanner as DayPlanner  # re-exported: days.py
from eoffice.attendance.schedule import (
    EffectiveSchedule,
    ScheduleEntry,
    ScheduleOverview,
    WorkSchedule,
    regency_default,
    resolve,
    working_calendar,
)
from eoffice.auth import Principal, require_role
from eoffice.calendar import store as calendar_store
from eoffice.calendar.working_time import WorkingCalendar
from eoffice.dynamo import get_or_none
from eoffice.errors import NotFound
from eoffice.org import store as org_store
from eoffice.org.models import Role, Unit
from eoffice.org.store import OrgItem

COLLECTION = "SCHEDULES"
SK = "SCHEDULE"
DEFAULT = "default"
MAINTAINERS = (Role.admin, Role.hr)


class ScheduleItem(OrgItem, discriminator="schedule"):
    body = UnicodeAttribute()


# ---------------------------------------------------------------- storage
def _key(unit_id: str | None) -> str:
    return f"SCHEDULE#{unit_id or DEFAULT}"


def raw_key(unit_id: str | None) -> dict[str, dict[str, str]]:
    """A schedule's key (the default's for None) in the low-level client's form, for the
    check-in's BatchGetItem across tables."""
    return {"pk": {"S": _key(unit_id)}, "sk": {"S": SK}}


def from_raw(item: dict[str, Any]) -> WorkSchedule:
    """The schedule of an item the low-level client returned under ``raw_key``."""
    return ScheduleEntry.model_validate_json(item["body"]["S"]).schedule


def _save(entry: ScheduleEntry) -> None:
    ScheduleItem(
        _key(entry.unit_id),
        SK,
        gsi1pk=COLLECTION,
        gsi1sk=f"UNIT#{entry.unit_id}" if entry.unit_id else DEFAULT,
        body=entry.model_dump_json(),
    ).save()


def _get(unit_id: str | None) -> ScheduleEntry | None:
    item = get_or_none(OrgItem, _key(unit_id), SK)
    return ScheduleEntry.model_validate_json(item.body) if isinstance(item, ScheduleItem) else None


def _all() -> tuple[ScheduleEntry | None, list[ScheduleEntry]]:
    """The stored default (None: built-in) and every unit exception, in one Query."""
    default, units = None, []
    for item in OrgItem.by_collection.query(COLLECTION):
        if isinstance(item, ScheduleItem):
            entry = ScheduleEntry.model_validate_json(item.body)
            if entry.unit_id is None:
                default = entry
            else:
                units.append(entry)
    return default, units


def _default_entry(stored: ScheduleEntry | None) -> ScheduleEntry:
    return stored or ScheduleEntry(schedule=regency_default())


# ---------------------------------------------------------------- reading
def overview(principal: Principal) -> ScheduleOverview:
    """The default and every unit exception (any signed-in employee)."""
    default, units = _all()
    return ScheduleOverview(default=_default_entry(default), units=units)


def get_default() -> ScheduleEntry:
    return _default_entry(_get(None))


def effective(unit_id: str, units: list[Unit] | None = None) -> EffectiveSchedule:
    """The unit's schedule and where it comes from: its exception, its nearest ancestor's, else
    the default (one Query of the schedules, one of the units unless given)."""
    every_unit = units if units is not None else org_store.list_units()
    if unit_id not in {unit.unit_id for unit in every_unit}:
        raise NotFound(f"no unit has id {unit_id}", code="unit_not_found")
    default, exceptions = _all()
    by_unit = {entry.unit_id: entry.schedule for entry in exceptions if entry.unit_id}
    return resolve(unit_id, by_unit, _default_entry(default).schedule, every_unit)


def effective_schedule(unit_id: str, units: list[Unit] | None = None) -> WorkSchedule:
    return effective(unit_id, units).schedule


# ---------------------------------------------------------------- maintaining
def put_default(principal: Principal, schedule: WorkSchedule) -> ScheduleEntry:
    require_role(principal, *MAINTAINERS)
    entry = ScheduleEntry(schedule=schedule, updated_at=clock.utcnow(), updated_by=principal.nip)
    _save(entry)
    return entry


def put_unit(principal: Principal, unit_id: str, schedule: WorkSchedule) -> ScheduleEntry:
    """Set a unit's exception; its sub-units inherit it unless they have their own."""
    require_role(principal, *MAINTAINERS)
    if org_store.get_unit(unit_id) is None:
        raise NotFound(f"no unit has id {unit_id}", code="unit_not_found")
    entry = ScheduleEntry(
        unit_id=unit_id, schedule=schedule, updated_at=clock.utcnow(), updated_by=principal.nip
    )
    _save(entry)
    return entry


def delete_unit(principal: Principal, unit_id: str) -> EffectiveSchedule:
    """Drop a unit's exception; the answer is the schedule in force for it afterwards."""
    require_role(principal, *MAINTAINERS)
    try:
        ScheduleItem(_key(unit_id), SK).delete(condition=OrgItem.pk.exists())
    except DeleteError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            raise NotFound(
                f"unit {unit_id} has no schedule of its own", code="schedule_not_found"
            ) from error
        raise
    return effective(unit_id)


# ---------------------------------------------------------------- the daily status's planner
def planner(first: date, last: date, units: list[Unit] | None = None) -> DayPlanner:
    """A planner for every unit from ``first`` to ``last``: one Query of the schedules, one of
    the units (unless given) and one GetItem per calendar year (the year before ``first`` too,
    for a Ramadan that began in December)."""
    default, exceptions = _all()
    by_unit = {entry.unit_id: entry.schedule for entry in exceptions if entry.unit_id}
    calendars = [calendar_store.get_year(year) for year in range(first.year - 1, last.year + 1)]
    return DayPlanner(
        _default_entry(default).schedule,
        by_unit,
        units if units is not None else org_store.list_units(),
        calendars,
    )


# ---------------------------------------------------------------- deadlines' working time
def regency_working_calendar(first_year: int, last_year: int) -> WorkingCalendar:
    """The regency's working time from ``first_year`` to ``last_year``, for deadlines: its
    default schedule (one GetItem) and one GetItem per calendar year (the year before too, for
    a Ramadan that began in December)."""
    years = range(first_year, last_year + 1)
    calendars = [calendar_store.get_year(year) for year in range(first_year - 1, last_year + 1)]
    return working_calendar(get_default().schedule, calendars, years)
