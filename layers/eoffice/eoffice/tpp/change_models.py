"""What changed from one version of a month's report to the next: the change list hr reads
(``perubahan.json``), employee by employee and day by day."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import Field

from eoffice.models import OutputModel

ChangeKind = Literal["added", "removed", "changed"]


class DayChange(OutputModel):
    day: date
    was: str | None = Field(description="Short code in the previous version; null: no such day")
    now: str | None = Field(description="Short code now; null: the day is gone")


class EmployeeChange(OutputModel):
    nip: str
    name: str
    change: ChangeKind
    fields: dict[str, tuple[Any, Any]] = Field(
        default_factory=dict,
        description="Summary fields that differ (dotted for a band or leave type): [old, new]",
    )
    days: list[DayChange] = Field(default_factory=list, description="Days whose code changed")
    days_compared: bool = Field(
        False,
        description="True when his days are known equal or were compared; false for the added "
        "and the removed, and when his days changed but the previous ones were not at hand",
    )


class ChangeSet(OutputModel):
    month: str
    scope: str
    report: dict[str, tuple[Any, Any]] = Field(
        default_factory=dict, description="Report-wide fields that differ (rule set, totals)"
    )
    employees: list[EmployeeChange] = Field(description="Sorted by NIP")
