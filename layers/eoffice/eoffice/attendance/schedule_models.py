"""Work schedules, the types: a unit's working weekdays and hours, the stored entries and where
a unit's schedule comes from. The decisions on them are in ``schedule_rules.py``, the storage in
``schedule_store.py``.

The regency keeps one default schedule (Perpres 21/2023, 37.5 hours a week): Monday-Thursday
07:30-16:00, Friday 07:30-16:30, and in Ramadan 08:00-15:00, Friday 08:00-15:30. A unit may have an
exception (a hospital, a school, a district office with other hours); its sub-units inherit it.

Every time is a wall-clock time in WITA (Asia/Makassar). A schedule's hours never cross midnight
(start < end): shifts across midnight (a hospital's night shift) are not modelled in v1.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints, field_validator, model_validator

from eoffice.models import InputModel, OutputModel

ClockTime = Annotated[
    str,
    StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$"),
    Field(description="HH:MM, WITA", examples=["07:30"]),
]
ScheduleName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=2, max_length=100)
]

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
