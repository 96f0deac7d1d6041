"""Work schedules, the decisions: the hours of a unit's day (or the name of its day off), which
schedule a unit works by, and working time for deadlines. Pure: the callers give what was read
(``schedules.py`` reads it through ``schedule_store.py`` and the calendar's store).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, time

from eoffice.attendance.models import DayHours
from eoffice.attendance.schedule_models import (
    EffectiveSchedule,
    ScheduleSource,
    WorkSchedule,
)
from eoffice.calendar.models import RamadanPeriod, YearCalendar
from eoffice.calendar.working_time import WorkingCalendar
from eoffice.org.hierarchy import ancestors
from eoffice.org.models import Unit

WEEKEND_DAY_OFF = "Hari libur akhir pekan"  # Saturday or Sunday off under the schedule
SCHEDULE_DAY_OFF = "Hari libur sesuai jadwal kerja"  # another weekday the schedule does not work


# ---------------------------------------------------------------- the hours of a day
def days_off_of(calendars: Iterable[YearCalendar]) -> dict[date, str]:
    """The days off of the calendars by date, with their names."""
    return {day.on: day.name for calendar in calendars for day in calendar.days_off}


def ramadan_of(calendars: Iterable[YearCalendar]) -> list[RamadanPeriod]:
    return [calendar.ramadan for calendar in calendars if calendar.ramadan is not None]


def hours_on(
    day: date,
    schedule: WorkSchedule,
    days_off: Mapping[date, str],
    ramadan: RamadanPeriod | Sequence[RamadanPeriod] | None,
) -> tuple[DayHours | None, str | None]:
    """The day's working hours, or None and the name of the day off.

    ``days_off``: the calendar's days off by date (``days_off_of``); ``ramadan``: the period(s)
    entered in the calendar (a period that starts in December covers January days too). A holiday
    falling on a weekend is named after the holiday.
    """
    if schedule.observes_holidays and day in days_off:
        return None, days_off[day]
    weekday = day.isoweekday()
    if weekday not in schedule.workdays:
        return None, WEEKEND_DAY_OFF if weekday >= 6 else SCHEDULE_DAY_OFF
    periods = [ramadan] if isinstance(ramadan, RamadanPeriod) else list(ramadan or [])
    in_ramadan = any(period.covers(day) for period in periods)
    hours = schedule.hours_of(day, in_ramadan)
    return DayHours(start=hours.start, end=hours.end, ramadan=in_ramadan), None


def working_calendar(
    schedule: WorkSchedule, calendars: Iterable[YearCalendar], counted: Iterable[int]
) -> WorkingCalendar:
    """Working time by ``schedule`` (the regency's: deadlines are the regency's, not a unit's):
    its workdays, the calendar's days off it observes, and the end of each working day's hours
    (``hours_on``, Ramadan's included). Of the ``counted`` years, those nobody entered are
    flagged as counted without days off."""
    calendars = list(calendars)
    days_off = days_off_of(calendars)
    ramadan = ramadan_of(calendars)
    entered = {calendar.year for calendar in calendars if calendar.configured}

    def closes(day: date) -> time:
        hours, _ = hours_on(day, schedule, days_off, ramadan)
        if hours is None:
            raise ValueError(f"{day} is not a working day of {schedule.name}")
        return time.fromisoformat(hours.end)

    return WorkingCalendar(
        days_off=frozenset(days_off) if schedule.observes_holidays else frozenset(),
        weekend=frozenset(range(7)) - {weekday - 1 for weekday in schedule.workdays},
        closes=closes,
        unconfigured_years=frozenset(set(counted) - entered),
    )


# ---------------------------------------------------------------- which schedule applies
def resolve(
    unit_id: str, exceptions: Mapping[str, WorkSchedule], default: WorkSchedule, units: list[Unit]
) -> EffectiveSchedule:
    """The unit's own exception, else its nearest ancestor's, else the default."""
    if unit_id in exceptions:
        return EffectiveSchedule(
            unit_id=unit_id,
            schedule=exceptions[unit_id],
            source=ScheduleSource.unit,
            source_unit_id=unit_id,
        )
    for above in ancestors(unit_id, units):
        if above in exceptions:
            return EffectiveSchedule(
                unit_id=unit_id,
                schedule=exceptions[above],
                source=ScheduleSource.ancestor,
                source_unit_id=above,
            )
    return EffectiveSchedule(unit_id=unit_id, schedule=default, source=ScheduleSource.default)


class DayPlanner:
    """Answers "what are this unit's hours on this day" for many units and days from data read
    once (the schedules, the units, the year calendars), given to it: no AWS call per employee or
    per day. ``schedules.planner(first, last)`` reads what it needs; answers are cached per unit
    and day.
    """

    def __init__(
        self,
        default: WorkSchedule,
        exceptions: Mapping[str, WorkSchedule],
        units: list[Unit],
        calendars: Iterable[YearCalendar],
    ) -> None:
        calendars = list(calendars)
        self._default = default
        self._exceptions = dict(exceptions)
        self._units = units
        self._days_off = days_off_of(calendars)
        self._ramadan = ramadan_of(calendars)
        self._years = {calendar.year for calendar in calendars}
        self._schedules: dict[str, EffectiveSchedule] = {}
        self._hours: dict[tuple[str, date], tuple[DayHours | None, str | None]] = {}

    def effective(self, unit_id: str) -> EffectiveSchedule:
        found = self._schedules.get(unit_id)
        if found is None:
            found = resolve(unit_id, self._exceptions, self._default, self._units)
            self._schedules[unit_id] = found
        return found

    def schedule_of(self, unit_id: str) -> WorkSchedule:
        return self.effective(unit_id).schedule

    def hours_on(self, unit_id: str, day: date) -> tuple[DayHours | None, str | None]:
        """The unit's hours on ``day`` or None and the day off's name (see ``hours_on``)."""
        key = (unit_id, day)
        found = self._hours.get(key)
        if found is None:
            if day.year not in self._years:
                raise ValueError(f"the planner has no calendar for {day.year}")
            found = hours_on(day, self.schedule_of(unit_id), self._days_off, self._ramadan)
            self._hours[key] = found
        return found
