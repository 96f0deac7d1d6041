"""One run of the monthly report, in the report function: take the month's lease, read and
compute unit by unit, and publish a new version only if the data changed.

1. **Lease**: a conditional update of the month's head; refused (the run ends ``refused``) when
   the month is frozen or another live run holds it. A lease outlives the function's 15 minutes,
   so one left by a run that timed out expires and the next run takes it over.
2. **Compute** every unit in code order (``eoffice.tpp.reading``, ``eoffice.tpp.compute``).
3. **Compare**: the canonical JSON's SHA-256 against the latest version's. Equal: the run ends
   ``unchanged`` and writes nothing, so the same data keeps the same files.
4. **Write** version N's files under its own prefix and the explanations of the employees whose
   month changed; then **publish** in one transaction (version record, run complete, head at
   N). A failure before that leaves no version presented; rerunning completes N.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from eoffice import clock
from eoffice.attendance.day_rules import month_bounds
from eoffice.errors import Conflict, DomainError
from eoffice.observability import logger
from eoffice.org import hierarchy
from eoffice.org import store as org_store
from eoffice.org.models import Unit
from eoffice.tpp import compute, penalties, reading, render, report_files, rule_sets, store
from eoffice.tpp.changes import ChangeSet, changes_csv, changes_json, diff
from eoffice.tpp.models import EmployeeMonth, ReportData, RuleSetRef, UnitTotals
from eoffice.tpp.report_models import REGENCY, ReportRun, ReportVersion, RunState, TppReportFile
from eoffice.tpp.reports import require_month_over
from eoffice.tpp.rules import RuleSet

SCHEDULE = "schedule"
LEASE_SECONDS = 930
"""The function's 900 s and a margin: a lease left by an attempt that was stopped has expired
by the time SQS delivers the request again (visibility 960 s)."""
RESERVE_MS = 60_000
"""Stop before a unit when less than this is left: publishing still needs its time."""


class OutOfTime(RuntimeError):
    """The function would be stopped before publishing: end cleanly as failed; rerun."""


@dataclass(frozen=True)
class RunOrder:
    month: str
    scope: str
    run_id: str
    trigger: str
    requested_by: str
    rule_set_version: int | None = None


ENDED = (RunState.complete, RunState.unchanged, RunState.refused)


class RunBusy(RuntimeError):
    """The scheduled run met another run computing the month: raised, so that the invocation
    is retried later rather than the month left without its report."""


def execute(order: RunOrder, remaining_ms: Callable[[], int]) -> ReportRun:
    """Run the order once; a replayed order whose run has ended returns that run. The lease is
    this invocation's (``_take_lease`` says what a second delivery of the same run does)."""
    run = store.run(order.month, order.scope, order.run_id) or _new_run(order)
    if run.state in ENDED:
        return run
    lease = f"{run.run_id}#{secrets.token_hex(4)}"
    refused = _take_lease(run, lease)
    if refused is not None:
        return refused
    current = store.run(order.month, order.scope, order.run_id)
    if current is not None and current.state in ENDED:  # another delivery finished it
        _release(run, lease)
        return current
    run = _save(run, state=RunState.running, started_at=clock.utcnow(), error_code=None)
    try:
        return _compute_and_publish(run, lease, remaining_ms)
    except DomainError as error:  # bad data a retry would meet again: failed, not retried
        return _fail(run, lease, error)
    except Exception as error:
        _fail(run, lease, error)
        raise


def _new_run(order: RunOrder) -> ReportRun:
    return ReportRun(
        run_id=order.run_id,
        month=order.month,
        scope=order.scope,
        state=RunState.queued,
        trigger=order.trigger,
        requested_by=order.requested_by,
        requested_at=clock.utcnow(),
        rule_set_version=order.rule_set_version,
    )


def _save(run: ReportRun, **changes: Any) -> ReportRun:
    updated = run.model_copy(update=changes)
    store.save_run(updated)
    return updated


def _take_lease(run: ReportRun, lease: str) -> ReportRun | None:
    """None when the lease is ours; else the run refused (frozen, or busy for a request).
    A unit's month is frozen with the regency's."""
    if run.scope != REGENCY and _frozen(run.month, REGENCY):
        return _refuse(run, "month_frozen")
    now = int(clock.utcnow().timestamp())
    # Lambda retries a scheduled invocation only after it ended in error: a live lease of the
    # same run is then a crashed attempt's (out of memory, stopped), taken over at once.
    take_over = run.run_id if run.trigger == SCHEDULE else None
    try:
        store.take_lease(run.month, run.scope, lease, now, now + LEASE_SECONDS, take_over=take_over)
    except Conflict:
        head = store.head(run.month, run.scope)
        if head is not None and head.frozen:
            return _refuse(run, "month_frozen")
        if head is not None and str(head.lease_run).startswith(f"{run.run_id}#"):
            return run  # another delivery of this request is computing it: leave it be
        if run.trigger == SCHEDULE:
            store.save_run(run)
            raise RunBusy(f"another run is computing {run.month}; retry later") from None
        return _refuse(run, "run_in_progress")
    return None


def _frozen(month: str, scope: str) -> bool:
    head = store.head(month, scope)
    return bool(head and head.frozen)


_REFUSALS = {
    "month_frozen": "bulan ini sudah dikunci",
    "run_in_progress": "laporan bulan ini sedang dihitung",
}


def _refuse(run: ReportRun, code: str) -> ReportRun:
    logger.info("tpp run refused", run_id=run.run_id, month=run.month, code=code)
    return _save(
        run,
        state=RunState.refused,
        error_code=code,
        message=_REFUSALS[code],
        finished_at=clock.utcnow(),
    )


def _fail(run: ReportRun, lease: str, error: Exception) -> ReportRun:
    """Record the failure (unless another delivery ended the run meanwhile) and end the lease."""
    code = getattr(error, "code", None) or (
        "out_of_time" if isinstance(error, OutOfTime) else "failed"
    )
    logger.exception("tpp run failed", run_id=run.run_id, month=run.month)
    current = store.run(run.month, run.scope, run.run_id)
    failed = run
    if current is None or current.state not in ENDED:
        failed = _save(
            run,
            state=RunState.failed,
            error_code=code,
            message=str(error)[:500],
            finished_at=clock.utcnow(),
        )
    _release(run, lease)
    return failed


def _release(run: ReportRun, lease: str) -> None:
    try:
        store.drop_lease(run.month, run.scope, lease)
    except Conflict:
        logger.warning("tpp lease already taken over", run_id=run.run_id)


# ---------------------------------------------------------------- compute and publish
def _check_time(remaining_ms: Callable[[], int], before: str) -> None:
    if remaining_ms() < RESERVE_MS:
        raise OutOfTime(f"stopped before {before}: too little time left")


def _compute_and_publish(run: ReportRun, lease: str, remaining_ms: Callable[[], int]) -> ReportRun:
    require_month_over(run.month)  # a schedule fired early, or a clock wrong: not retried
    first, _ = month_bounds(run.month)
    rules = rule_sets.for_month(first, run.rule_set_version)
    computed_at = clock.utcnow()
    phases = reading.Phases()
    data = compute_month(run.month, run.scope, rules, remaining_ms, phases)
    started = time.perf_counter()
    body = render.report_json(data)
    sha = report_files.sha256(body)
    phases.add("render", started)
    head = store.head(run.month, run.scope)
    latest = int(head.latest_version) if head and head.latest_version else None
    if head is not None and head.latest_sha == sha:
        done = _ended(run, RunState.unchanged, latest, phases)
        store.finish_unchanged(done, lease)
        return done
    number = (latest or 0) + 1
    _check_time(remaining_ms, "comparing with the previous version")
    changed, removed, change_set = _changes(data, body, latest)
    _check_time(remaining_ms, "writing the files")
    files = _write_files(data, body, number, computed_at, change_set, phases)
    started = time.perf_counter()
    store.add_explanations(run.month, run.scope, number, run.run_id, changed, removed)
    phases.add("write", started)
    published = _version(data, run, number, computed_at, files, change_set)
    done = _ended(run, RunState.complete, number, phases)
    _check_time(remaining_ms, "publishing")
    store.publish(published, done, latest, lease)
    logger.info("tpp report published", month=run.month, scope=run.scope, version=number)
    return done


def _ended(
    run: ReportRun, state: RunState, version: int | None, phases: reading.Phases
) -> ReportRun:
    update = {"state": state, "version": version, "finished_at": clock.utcnow()}
    logger.info("tpp run phases", run_id=run.run_id, seconds=phases.rounded())
    return run.model_copy(update={**update, "phase_seconds": phases.rounded()})


def compute_month(
    month: str,
    scope: str,
    rules: RuleSet,
    remaining_ms: Callable[[], int],
    phases: reading.Phases,
) -> ReportData:
    """Every employee of the scope's units, unit by unit in code order."""
    started = time.perf_counter()
    units = org_store.list_units()
    in_force = penalties.covering(month)
    phases.add("read", started)
    chosen = _units_of(scope, units)
    context = reading.MonthContext.load(month, units, phases)
    leave = None
    if scope == REGENCY:
        started = time.perf_counter()
        leave = reading.regency_leave(chosen, context.first, context.last)
        phases.add("read", started)
    employees: list[EmployeeMonth] = []
    totals: list[UnitTotals] = []
    for unit in chosen:
        if remaining_ms() < RESERVE_MS:
            raise OutOfTime(f"stopped before unit {unit.code}: too little time left")
        found = []
        for item in reading.unit_months(context, unit, leave):
            started = time.perf_counter()
            found.append(compute.employee_month(item.info, item.days, rules, in_force, month))
            phases.add("compute", started)
        if found:
            employees.extend(found)
            totals.append(_unit_totals(unit, found))
    return ReportData(
        month=month,
        scope=scope,
        rule_set=RuleSetRef(
            name=rules.name, version=rules.version, effective_from=rules.effective_from
        ),
        units=totals,
        employees=employees,
        tpp_total=sum(e.tpp_amount for e in employees),
        deduction_total=sum(e.deduction for e in employees),
        paid_total=sum(e.paid for e in employees),
    )


def _units_of(scope: str, units: list[Unit]) -> list[Unit]:
    if scope == REGENCY:
        chosen = units
    else:
        wanted = hierarchy.descendants(scope, units) | {scope}
        chosen = [unit for unit in units if unit.unit_id in wanted]
    return sorted(chosen, key=lambda unit: (unit.code, unit.unit_id))


def _unit_totals(unit: Unit, employees: list[EmployeeMonth]) -> UnitTotals:
    return UnitTotals(
        unit_id=unit.unit_id,
        code=unit.code,
        name=unit.name,
        employees=len(employees),
        tpp_total=sum(e.tpp_amount for e in employees),
        deduction_total=sum(e.deduction for e in employees),
        paid_total=sum(e.paid for e in employees),
    )


def _changes(
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
    document = render.read_report_json(report_files.read(report_json_file(previous)))
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


def _write_files(
    data: ReportData,
    body: bytes,
    number: int,
    computed_at: datetime,
    change_set: ChangeSet | None,
    phases: reading.Phases,
) -> list[TppReportFile]:
    from eoffice.tpp import workbook  # the report writer: only this function loads it

    started = time.perf_counter()
    meta = workbook.WorkbookMeta(computed_at=computed_at, version=number, **signer())
    base = f"tpp-{data.month}"
    files: list[tuple[str, bytes]] = [
        (f"{base}.json", body),
        (f"{base}.csv", render.report_csv(data)),
        (f"{base}.xlsx", workbook.report_xlsx(data, meta)),
    ]
    unit_csvs = render.unit_csvs(data)
    names = report_files.unit_names({unit.unit_id: unit.code for unit in data.units})
    for unit in data.units:
        name = f"units/{names[unit.unit_id]}"
        files.append((f"{name}.csv", unit_csvs[unit.unit_id]))
        files.append((f"{name}.xlsx", workbook.unit_xlsx(data, unit.unit_id, meta)))
    if change_set is not None:
        files.append(("perubahan.json", changes_json(change_set)))
        files.append(("perubahan.csv", changes_csv(change_set)))
    phases.add("render", started)
    started = time.perf_counter()
    written = report_files.put_all(data.month, data.scope, number, files)
    phases.add("write", started)
    return written


def signer() -> dict[str, Any]:
    """The head of BKPSDM signs the report: the holder of its head position, else who acts
    for him today (Plt./Plh.), else a blank line to sign on."""
    unit = org_store.unit_by_code("BKPSDM")
    if unit is None:
        return {}
    heads = {p.position_id for p in org_store.list_positions(unit.unit_id) if p.is_head}
    for employee in org_store.unit_employees(unit.unit_id):
        if employee.active and employee.position_id in heads:
            return {"signer_name": employee.name, "signer_nip": employee.nip}
    for acting in org_store.list_acting(clock.today()):
        official = org_store.get_employee(acting.actor_nip)
        if acting.position_id in heads and acting.covers(clock.today()) and official:
            title = f"{acting.capacity.value.capitalize()}. Kepala BKPSDM"
            return {"signer_title": title, "signer_name": official.name, "signer_nip": official.nip}
    return {}


def _version(
    data: ReportData,
    run: ReportRun,
    number: int,
    computed_at: datetime,
    files: list[TppReportFile],
    change_set: ChangeSet | None,
) -> ReportVersion:
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
