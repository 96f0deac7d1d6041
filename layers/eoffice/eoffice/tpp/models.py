"""TPP models at the boundary: penalties, and the month's result per employee and per unit.

Money is whole Rupiah (``int``); percentages are ``Decimal`` (JSON: strings such as ``"2.50"``
once rendered). Nothing here holds a float, so the same inputs always give the same bytes.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import Field, StringConstraints

from eoffice.attendance.models import CheckInSource, DayStatus, LeaveType
from eoffice.models import InputModel, Month, OutputModel


# ---------------------------------------------------------------- penalties
class PenaltyCreate(InputModel):
    """A disciplinary penalty (hukuman disiplin) entered by BKPSDM: ``percent`` of the TPP for
    ``months`` months from ``from_month``, on top of the attendance deduction."""

    nip: Annotated[str, StringConstraints(pattern=r"^[0-9]{18}$")]
    percent: Annotated[Decimal, Field(gt=0, le=100, max_digits=5, decimal_places=2)]
    from_month: Month
    months: int = Field(ge=1, le=36)
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=5, max_length=500)]
    decree_number: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=3, max_length=100)
    ] = Field(description="Nomor SK of the penalty")


class Penalty(OutputModel):
    penalty_id: str
    nip: str
    percent: Decimal
    from_month: str
    months: int
    until_month: str = Field(description="The last month it covers")
    reason: str
    decree_number: str
    created_by: str
    created_at: datetime
    cancelled: PenaltyCancel | None = Field(None, description="Entered in error, withdrawn")

    def covers(self, month: str) -> bool:
        return self.cancelled is None and self.from_month <= month <= self.until_month


class PenaltyCancelCreate(InputModel):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=5, max_length=500)]


class PenaltyCancel(OutputModel):
    """Why and by whom a penalty was withdrawn. Frozen months keep what they paid; months
    computed again leave it out (a new version shows the change)."""

    reason: str
    by: str
    at: datetime


class PenaltyApplied(OutputModel):
    penalty_id: str
    percent: Decimal
    decree_number: str


# ---------------------------------------------------------------- the month's result
class EmployeeInfo(OutputModel):
    """Who is paid: taken from the organisation when the report runs."""

    nip: str
    name: str
    unit_id: str
    position: str | None = None
    tpp_amount: int = Field(ge=0, description="Full monthly TPP, whole Rupiah")


class DayCharge(OutputModel):
    """One day of the explanation: its attendance status and what it costs."""

    day: date
    status: DayStatus
    working: bool = Field(description="A working day of his schedule")
    hours: str | None = Field(None, description="HH:MM-HH:MM WITA; null on a day off")
    first_in: datetime | None = None
    last_out: datetime | None = None
    minutes_late: int = 0
    minutes_early: int = 0
    late_band: str | None = Field(None, description="TL1... under the rule set")
    early_band: str | None = Field(None, description="PSW1... under the rule set")
    leave_type: LeaveType | None = None
    corrected: bool = False
    pending_checkins: int = Field(0, description="Check-ins awaiting review, left out")
    sources: list[CheckInSource] = Field(
        default_factory=list, description="Where the day's check-ins came from (native, web)"
    )
    percent: Decimal = Field(description="What the day costs, % of the TPP")
    note: str = Field(description="The day in words (Bahasa Indonesia)")


class EmployeeMonth(OutputModel):
    """An employee's month under one rule set: counts, percentages and amounts."""

    nip: str
    name: str
    unit_id: str
    position: str | None = None
    tpp_amount: int
    working_days: int = Field(
        description="Working days of his schedule in the month, employed or not: the pro rata base"
    )
    days_present: int
    late_counts: dict[str, int] = Field(description="Days per TL band, e.g. {'TL1': 2}")
    early_counts: dict[str, int] = Field(description="Days per PSW band")
    absent_days: int = Field(description="TK days")
    leave_days: dict[LeaveType, int] = Field(description="Days per leave type (every type)")
    pending_days: int = Field(description="Days with check-ins still awaiting review")
    cltn_days: int
    not_employed_days: int = Field(
        0, description="Working days before his TMT or after his last day: not paid, not charged"
    )
    day_percent_sum: Decimal = Field(description="The days' percentages added up")
    attendance_percent: Decimal = Field(description="After the cap, or 100 with no presence")
    cap_applied: bool
    no_presence: bool = Field(
        description="No employed working day present or on approved leave (CLTN aside): no TPP"
    )
    penalties: list[PenaltyApplied] = Field(default_factory=list)
    penalty_percent: Decimal
    total_percent: Decimal = Field(description="Attendance + penalties, at most 100")
    deduction: int = Field(description="TPP less the amount paid, whole Rupiah")
    paid: int = Field(description="Rounded once, per the rule set")
    days: list[DayCharge] = Field(default_factory=list)


class UnitTotals(OutputModel):
    unit_id: str
    code: str
    name: str
    employees: int
    tpp_total: int
    deduction_total: int
    paid_total: int


class RuleSetRef(OutputModel):
    name: str
    version: int
    effective_from: date


class ReportData(OutputModel):
    """Everything the month's files are rendered from. Inputs only: no run id, version or
    time of computation (those live in the run record and the XLSX), so equal data renders
    equal CSV and JSON bytes."""

    month: str
    scope: str = Field(description="'all' (the regency) or a unit id")
    rule_set: RuleSetRef
    units: list[UnitTotals] = Field(description="Sorted by unit code")
    employees: list[EmployeeMonth] = Field(description="Sorted by unit code, then NIP")
    tpp_total: int
    deduction_total: int
    paid_total: int
