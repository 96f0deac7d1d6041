"""Pydantic models of the working calendar (hari libur nasional and cuti bersama per year, and the
year's Ramadan period, which changes the working hours)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from eoffice.models import InputModel, OutputModel


class DayOffKind(StrEnum):
    national = "national"  # hari libur nasional
    cuti_bersama = "cuti_bersama"  # collective leave set by the SKB 3 Menteri
    regional = "regional"  # a holiday the regency declares itself


class DayOff(InputModel):
    on: date
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=200)]
    kind: DayOffKind = DayOffKind.national


MAX_RAMADAN_DAYS = 31


class RamadanPeriod(InputModel):
    """The first and last day of Ramadan, both included, as the government's isbat set them: the
    dates are entered each year, never derived, because the isbat decides them."""

    first: date
    last: date

    @model_validator(mode="after")
    def _ordered(self) -> RamadanPeriod:
        if self.last < self.first:
            raise ValueError("ramadan.last is before ramadan.first")
        if (self.last - self.first).days + 1 > MAX_RAMADAN_DAYS:
            raise ValueError(f"Ramadan lasts at most {MAX_RAMADAN_DAYS} days")
        return self

    def covers(self, day: date) -> bool:
        return self.first <= day <= self.last


class CalendarUpdate(InputModel):
    """The whole list of a year's days off and its Ramadan period; it replaces the previous ones
    (a year sent without ``ramadan`` has none)."""

    days_off: list[DayOff] = Field(max_length=100)
    ramadan: RamadanPeriod | None = Field(
        None, description="Working hours are shorter in Ramadan; its first day lies in the year"
    )


class YearCalendar(OutputModel):
    year: int
    configured: bool = Field(
        False,
        description="Whether an admin or hr entered this year; a year not entered counts its "
        "weekends only, and deadlines counted on it say so",
    )
    days_off: list[DayOff] = Field(default_factory=list)
    ramadan: RamadanPeriod | None = None
    updated_at: datetime | None = None
    updated_by: str | None = None

    @model_validator(mode="after")
    def _sorted(self) -> YearCalendar:
        self.days_off.sort(key=lambda day: day.on)
        return self
