"""A TPP rule set: every number of a regency's deduction rules, as data (versioned, never edited).

The default is the domain reference's ("This project's default TPP rule set",
``eoffice.tpp.defaults``). A regency changes a number by publishing a new version with an
effective date; a month uses the version effective on its first day unless a report asks for
another. Percentages are ``Decimal`` with at most two decimals, of the full monthly TPP.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from itertools import pairwise
from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from eoffice.attendance.models import LeaveType
from eoffice.models import InputModel

Percent = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)]


class Band(InputModel):
    """A late (TL) or early-leave (PSW) band: from the previous band's limit + 1 minute up to
    ``up_to_minutes`` (inclusive); the last band has no limit."""

    up_to_minutes: int | None = Field(None, ge=1, le=24 * 60)
    percent: Percent


class CltnRule(StrEnum):
    """How CLTN (cuti di luar tanggungan negara: no TPP) days cut the month."""

    pro_rata = "pro_rata"  # TPP x (working days outside CLTN) / (working days)
    zero_month = "zero_month"  # any CLTN day in the month: no TPP that month


class Rounding(StrEnum):
    """Applied once, per employee, to the amount paid; the deduction is the TPP less that."""

    half_up = "half_up"
    down = "down"


class RuleSetCreate(InputModel):
    """What hr publishes: the rule set's numbers. Versions are numbered by the server."""

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=120)]
    effective_from: date
    legal_basis: str | None = Field(None, max_length=200, description="e.g. Perbup 7/2021")
    late_bands: list[Band] = Field(min_length=1, max_length=8, description="TL1, TL2, ...")
    early_bands: list[Band] = Field(min_length=1, max_length=8, description="PSW1, PSW2, ...")
    missing_check_in_band: int = Field(
        ge=1, description="The TL band (1-based) of a working day with a check-out but no check-in"
    )
    missing_check_out_band: int = Field(
        ge=1, description="The PSW band (1-based) of a working day with a check-in but no check-out"
    )
    absent_percent: Percent = Field(description="TK: a working day with neither, no leave")
    leave_percent: dict[LeaveType, Percent] = Field(
        description="Per day of approved leave or travel, for every leave type (CLTN: 0, see cltn)"
    )
    max_day_percent: Percent | None = Field(
        None, description="At most this much for one day (TL + PSW); none: no limit"
    )
    discipline_cap_percent: Percent = Field(
        description="The month's attendance deduction is capped at the discipline share"
    )
    zero_without_presence: bool = Field(
        description="A month with no day present and no approved leave or travel pays no TPP"
    )
    cltn: CltnRule
    rounding: Rounding

    @model_validator(mode="after")
    def _consistent(self) -> RuleSetCreate:
        for name, bands in (("late_bands", self.late_bands), ("early_bands", self.early_bands)):
            _check_bands(name, bands)
        if self.missing_check_in_band > len(self.late_bands):
            raise ValueError("missing_check_in_band names a band that does not exist")
        if self.missing_check_out_band > len(self.early_bands):
            raise ValueError("missing_check_out_band names a band that does not exist")
        missing = sorted(set(LeaveType) - set(self.leave_percent))
        if missing:
            raise ValueError(f"leave_percent lacks {', '.join(missing)}: every type needs a rate")
        return self

    def late_percent(self, minutes: int) -> tuple[int, Decimal]:
        """(band number, percent) of a late arrival; (0, 0) when on time."""
        return _banded(self.late_bands, minutes)

    def early_percent(self, minutes: int) -> tuple[int, Decimal]:
        """(band number, percent) of an early leave; (0, 0) when not early."""
        return _banded(self.early_bands, minutes)


def _check_bands(name: str, bands: list[Band]) -> None:
    """Limits rise strictly; only the last band is open-ended."""
    limits = [band.up_to_minutes for band in bands]
    if limits[-1] is not None:
        raise ValueError(f"the last of {name} has no up_to_minutes (it takes every longer time)")
    bounded = [limit for limit in limits[:-1] if limit is not None]
    if len(bounded) != len(limits) - 1:
        raise ValueError(f"only the last of {name} may omit up_to_minutes")
    if any(a >= b for a, b in pairwise(bounded)):
        raise ValueError(f"the limits of {name} must rise")


def _banded(bands: list[Band], minutes: int) -> tuple[int, Decimal]:
    if minutes <= 0:
        return 0, Decimal(0)
    for number, band in enumerate(bands, start=1):
        if band.up_to_minutes is None or minutes <= band.up_to_minutes:
            return number, band.percent
    raise AssertionError("the last band is open-ended")  # _check_bands guarantees it


class RuleSet(RuleSetCreate):
    """A published version: never changes."""

    version: int = Field(ge=1)
    published_at: datetime
    published_by: str = Field(description="NIP of the hr officer, or 'system' for the default")
