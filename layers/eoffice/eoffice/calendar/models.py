"""Pydantic models of the working calendar (hari libur nasional and cuti bersama per year)."""

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


class CalendarUpdate(InputModel):
    """The whole list of a year's days off; it replaces the previous list."""

    days_off: list[DayOff] = Field(max_length=100)


class YearCalendar(OutputModel):
    year: int
    days_off: list[DayOff] = Field(default_factory=list)
    updated_at: datetime | None = None
    updated_by: str | None = None

    @model_validator(mode="after")
    def _sorted(self) -> YearCalendar:
        self.days_off.sort(key=lambda day: day.on)
        return self
