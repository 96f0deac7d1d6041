"""The records of the monthly report: requests, runs, published versions and their files, and
what hr and the employee read back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Final

from pydantic import Field, GetCoreSchemaHandler
from pydantic_core import core_schema

from eoffice.models import InputModel, Month, OutputModel
from eoffice.tpp.models import EmployeeMonth, RuleSetRef


class Scope(StrEnum):
    """A report's scope that is not a unit: any other scope is a unit id (``all`` is none)."""

    regency = "all"  # the whole regency's report


REGENCY: Final = Scope.regency


class Trigger(StrEnum):
    """What started a run: the monthly schedule, or hr's request through the queue."""

    schedule = "schedule"
    request = "request"

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> Any:
        """Validated as a member, documented as the plain string the API always showed (the
        OpenAPI document keeps its shape: no enum schema of its own)."""
        return core_schema.no_info_after_validator_function(cls, core_schema.str_schema())


class ReportRequest(InputModel):
    """hr asks for a month's report: the regency's, or one unit's (with the units below it)."""

    month: Month
    unit_id: str | None = Field(None, description="Only this unit and the units below it")
    rule_set_version: int | None = Field(
        None, ge=1, description="Another rule set version than the one effective on the 1st"
    )


class RunState(StrEnum):
    queued = "queued"  # asked for, waiting for the report function
    running = "running"
    complete = "complete"  # published a new version
    unchanged = "unchanged"  # the same data as the latest version: nothing new written
    failed = "failed"  # nothing published; asking again (or the queue's retry) completes it
    refused = "refused"  # the month is frozen, or another run holds it


class ReportRun(OutputModel):
    run_id: str
    month: str
    scope: str
    state: RunState
    trigger: Trigger = Field(description="'schedule' or 'request'")
    requested_by: str = Field(description="NIP, or 'schedule'")
    requested_at: datetime
    rule_set_version: int | None = Field(None, description="Asked for; null: the effective one")
    started_at: datetime | None = None
    finished_at: datetime | None = None
    version: int | None = Field(None, description="The version published, or the same one")
    error_code: str | None = None
    message: str | None = None
    phase_seconds: dict[str, float] | None = Field(
        None, description="Seconds spent reading, computing, rendering and writing"
    )


@dataclass(frozen=True)
class RunOrder:
    """One run to carry out: the schedule's or hr's (the report function's input)."""

    month: str
    scope: str
    run_id: str
    trigger: Trigger
    requested_by: str
    rule_set_version: int | None = None

    def queued_run(self, at: datetime) -> ReportRun:
        """The run's record as it starts: queued, asked for at ``at``."""
        return ReportRun(
            run_id=self.run_id,
            month=self.month,
            scope=self.scope,
            state=RunState.queued,
            trigger=self.trigger,
            requested_by=self.requested_by,
            requested_at=at,
            rule_set_version=self.rule_set_version,
        )


ENDED = (RunState.complete, RunState.unchanged, RunState.refused)
"""A run in one of these states is over: a replayed order returns it as it is."""


class TppReportFile(OutputModel):
    name: str = Field(description="Path inside the version, e.g. tpp-2026-11.csv, units/X.xlsx")
    key: str
    version_id: str | None = Field(None, description="The S3 object version written")
    sha256: str
    bytes: int
    media_type: str


class ReportVersion(OutputModel):
    """A published version: complete, never changed; a later one does not replace its files."""

    month: str
    scope: str
    version: int
    run_id: str
    computed_at: datetime
    rule_set: RuleSetRef
    employees: int
    tpp_total: int
    deduction_total: int
    paid_total: int
    pending_days: int = Field(description="Days left out with check-ins awaiting review")
    changed_employees: int | None = Field(None, description="Against the previous version")
    json_sha256: str
    csv_sha256: str
    files: list[TppReportFile]


class ReportStatus(OutputModel):
    month: str
    scope: str
    latest_version: int | None
    frozen: bool
    frozen_version: int | None = None
    frozen_by: str | None = None
    frozen_at: datetime | None = None
    versions: list[ReportVersion]
    runs: list[ReportRun] = Field(description="The latest runs, newest first")


class FileLink(OutputModel):
    name: str
    url: str
    expires_at: datetime
    sha256: str
    bytes: int
    media_type: str


class Explanation(OutputModel):
    """An employee's month in a report version, day by day."""

    month: str
    scope: str
    version: int
    computed_at: datetime
    rule_set: RuleSetRef
    employee: EmployeeMonth
