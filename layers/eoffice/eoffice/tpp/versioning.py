"""A new version of a month's report: what changed against the latest version, and the record
that publishes it (its totals, its files and their digests)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from eoffice.tpp import render, report_file_store, store
from eoffice.tpp.change_models import ChangeSet
from eoffice.tpp.change_rules import diff
from eoffice.tpp.models import EmployeeMonth, ReportData
from eoffice.tpp.report_models import ReportRun, ReportVersion, TppReportFile


def changes(
    data: ReportData, body: bytes, latest: int | None
) -> tuple[list[EmployeeMonth], list[str], ChangeSet | None]:
    """The employees whose month differs from the latest version (all for the first), the NIPs
    it had that this one has not, and what changed for each. ``body`` is this run's JSON: each
    employee's entry carries the digest of his days, so a changed day shows without comparing
    the days themselves."""
    if latest is None:
        return data.employees, [], None
    versions = {v.version: v for v in store.versions(data.month, data.scope)}
    published = {number: v.run_id for number, v in versions.items()}
    previous = versions[latest]
    document = render.read_report_json(report_file_store.read(report_json_file(previous)))
    before = {doc["nip"]: doc for doc in document.get("employees", [])}
    after = {doc["nip"]: doc for doc in render.read_report_json(body)["employees"]}
    changed = [e for e in data.employees if before.get(e.nip) != after[e.nip]]
    removed = sorted(set(before) - set(after))

    def previous_days(nip: str) -> list[Any] | None:
        found = store.explanation(data.month, data.scope, nip, latest, published)
        return found.days if found else None

    return changed, removed, diff(document, data, previous_days, current_json=body)


def report_json_file(version: ReportVersion) -> TppReportFile:
    """The version's machine-readable report (not its change list, also JSON)."""
    name = f"tpp-{version.month}.json"
    return next(f for f in version.files if f.name == name)


def new_version(
    data: ReportData,
    run: ReportRun,
    number: int,
    computed_at: datetime,
    files: list[TppReportFile],
    change_set: ChangeSet | None,
) -> ReportVersion:
    """The record of version ``number``: written once, when the run publishes."""
    by_name = {f.name: f for f in files}
    base = f"tpp-{data.month}"
    return ReportVersion(
        month=data.month,
        scope=data.scope,
        version=number,
        run_id=run.run_id,
        computed_at=computed_at,
        rule_set=data.rule_set,
        employees=len(data.employees),
        tpp_total=data.tpp_total,
        deduction_total=data.deduction_total,
        paid_total=data.paid_total,
        pending_days=sum(e.pending_days for e in data.employees),
        changed_employees=len(change_set.employees) if change_set else None,
        json_sha256=by_name[f"{base}.json"].sha256,
        csv_sha256=by_name[f"{base}.csv"].sha256,
        files=files,
    )
