"""Work schedules and the hours of a day. Pure: no AWS (storage is in ``schedules.py``).

The regency keeps one default schedule (Perpres 21/2023, 37.5 hours a week): Monday-Thursday
07:30-16:00, Friday 07:30-16:30, and in Ramadan 08:00-15:00, Friday 08:00-15:30. A unit may have an
exception (a hospital, a school, a district office with other hours); its sub-units inherit it.

Every time is a wall-clock time in WITA (Asia/Makassar). A schedule's hours never cross midnight
(start < end): shifts across midnight (a hospital's night shift) are not modelled in v1.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time
from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints, field_validator, model_validator

from eoffice.attendance.models import DayHours
from eoffice.calendar.models import RamadanPeriod, YearCalendar
from eoffice.calendar.working_time import WorkingCalendar
from eoffice.models import InputModel, OutputModel
from eoffice.org.hierarchy import ancestors
from eoffice.org.models import Unit

ClockTime = Annotated[
    str,
    StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$"),
    Field(description="HH:MM, WITA", examples=["07:30"]),
]
ScheduleName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=2, max_length=100)
]

WEEKEND_DAY_OFF = "Hari libur akhir pekan"  # Saturday or Sunday off under the schedule
SCHEDULE_DAY_OFF = "Hari libur sesuai jadwal kerja"  # another weekday the schedule does not work
FRIDAY = 5  # ISO weekday


def minutes_of(clock_time: str) -> int:
    """Minutes since midnight of an ``HH:MM`` time."""
    hours, minutes = clock_time.split(":")
    return int(hours) * 60 + int(minutes)


class Hours(InputModel):
    """A day's working hours: from ``start`` to ``end`` on the same day."""

    start: ClockTime
    end: ClockTime

    @model_validator(mode="after")
    def _ordered(self) -> Hours:
        if minutes_of(self.start) >= minutes_of(self.end):
            raise ValueError("start must be before end (hours may not cross midnight)")
        return self


class WorkSchedule(InputModel):
    """When a unit works: its working weekdays and the hours of a day, a Friday, a Ramadan day
    and a Ramadan Friday (WITA). Days off of the calendar are free unless ``observes_holidays``
    is off (a hospital on shifts works on holidays). No shift crosses midnight in v1."""

    name: ScheduleName
    workdays: list[Annotated[int, Field(ge=1, le=7)]] = Field(
        default_factory=lambda: [1, 2, 3, 4, 5],
        min_length=1,
        max_length=7,
        description="ISO weekdays worked: 1 Monday ... 7 Sunday",
    )
    regular: Hours = Field(default_factory=lambda: Hours(start="07:30", end="16:00"))
    friday: Hours = Field(default_factory=lambda: Hours(start="07:30", end="16:30"))
    ramadan: Hours = Field(default_factory=lambda: Hours(start="08:00", end="15:00"))
    ramadan_friday: Hours = Field(default_factory=lambda: Hours(start="08:00", end="15:30"))
    observes_holidays: bool = Field(
        True, description="Off on national holidays, cuti bersama and regional holidays"
    )

    @field_validator("workdays")
    @classmethod
    def _distinct(cls, workdays: list[int]) -> list[int]:
        if len(set(workdays)) != len(workdays):
            raise ValueError("a weekday is listed twice")
        return sorted(workdays)

    def hours_of(self, day: date, in_ramadan: bool) -> Hours:
        friday = day.isoweekday() == FRIDAY
        if in_ramadan:
            return self.ramadan_friday if friday else self.ramadan
        return self.friday if friday else self.regular


REGENCY_DEFAULT_NAME = "Jam kerja Pemerintah Kabupaten Luwu Timur"


def regency_default() -> WorkSchedule:
    """The schedule in force until admins or hr store another default (built on call: models
    are built on first use, not at import)."""
    return WorkSchedule(name=REGENCY_DEFAULT_NAME)


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
class ScheduleSource(StrEnum):
    unit = "unit"  # the unit's own exception
    ancestor = "ancestor"  # the exception of a unit above it
    default = "default"  # the regency's default


class ScheduleEntry(OutputModel):
    """A stored schedule: the regency default (``unit_id`` null) or a unit's exception."""

    unit_id: str | None = Field(None, description="Null: the regency default")
    schedule: WorkSchedule
    updated_at: datetime | None = Field(None, description="Null: the built-in default")
    updated_by: str | None = None


class ScheduleOverview(OutputModel):
    default: ScheduleEntry
    units: list[ScheduleEntry] = Field(description="Every unit exception")


class EffectiveSchedule(OutputModel):
    """The schedule a unit works by, and where it comes from."""

    unit_id: str
    schedule: WorkSchedule
    source: ScheduleSource
    source_unit_id: str | None = Field(None, description="The unit whose exception applies")


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
    once (the schedules, the units, the year calendars): no AWS call per employee or per day.
    Build it with ``DayPlanner.load(first, last)``; answers are cached per unit and day.
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

    @classmethod
    def load(cls, first: date, last: date, units: list[Unit] | None = None) -> DayPlanner:
        """Read what ``first`` to ``last`` needs, once: one Query of the schedules, one of the
        units (unless given), one GetItem per calendar year."""
        from eoffice.attendance.schedules import planner

        return planner(first, last, units)

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
