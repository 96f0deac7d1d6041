"""One run of the monthly report, in the report function: take the month's lease, read and
compute unit by unit, and publish a new version only if the data changed.

1. **Lease** (``run_lease``): refused (the run ends ``refused``) when the month is frozen or
   another live run holds it.
2. **Compute** every unit in code order (``computing``).
3. **Compare**: the canonical JSON's SHA-256 against the latest version's. Equal: the run ends
   ``unchanged`` and writes nothing, so the same data keeps the same files.
4. **Write** version N's files under its own prefix (``report_writing``) and the explanations
   of the employees whose month changed (``versioning``); then **publish** in one transaction
   (version record, run complete, head at N). A failure before that leaves no version
   presented; rerunning completes N.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from typing import Any

from eoffice import clock, events
from eoffice.attendance.day_rules import month_bounds
from eoffice.errors import DomainError
from eoffice.observability import logger
from eoffice.org import store as org_store
from eoffice.tpp import reading, render, rule_sets, run_lease, store, versioning
from eoffice.tpp.budget_rules import OutOfTime, require_time
from eoffice.tpp.change_models import ChangeSet
from eoffice.tpp.computing import compute_month
from eoffice.tpp.month_rules import require_month_over
from eoffice.tpp.report_file_rules import sha256
from eoffice.tpp.report_models import ENDED, ReportRun, RunOrder, RunState
from eoffice.tpp.report_writing import write_files

_MAX_TOLD = 6000
"""NIPs an event names at most: EventBridge takes 256 KB, a regency's 5,000 fit in a fifth."""


def execute(order: RunOrder, remaining_ms: Callable[[], int]) -> ReportRun:
    """Run the order once; a replayed order whose run has ended returns that run. The lease is
    this invocation's (``run_lease.take`` says what a second delivery of the same run does)."""
    run = store.run(order.month, order.scope, order.run_id) or order.queued_run(clock.utcnow())
    if run.state in ENDED:
        return run
    lease = f"{run.run_id}#{secrets.token_hex(4)}"
    refused = run_lease.take(run, lease)
    if refused is not None:
        return refused
    current = store.run(order.month, order.scope, order.run_id)
    if current is not None and current.state in ENDED:  # another delivery finished it
        run_lease.release(run, lease)
        return current
    run = _save(run, state=RunState.running, started_at=clock.utcnow(), error_code=None)
    try:
        return _compute_and_publish(run, lease, remaining_ms)
    except DomainError as error:  # bad data a retry would meet again: failed, not retried
        return _fail(run, lease, error)
    except Exception as error:
        _fail(run, lease, error)
        raise


def _save(run: ReportRun, **changes: Any) -> ReportRun:
    updated = run.model_copy(update=changes)
    store.save_run(updated)
    return updated


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
    run_lease.release(run, lease)
    return failed


def _compute_and_publish(run: ReportRun, lease: str, remaining_ms: Callable[[], int]) -> ReportRun:
    require_month_over(run.month)  # a schedule fired early, or a clock wrong: not retried
    first, _ = month_bounds(run.month)
    rules = rule_sets.for_month(first, run.rule_set_version)
    computed_at = clock.utcnow()
    phases = reading.Phases()
    started = time.perf_counter()
    units = org_store.list_units()  # once: the computation and the workbook read the same tree
    phases.add("read", started)
    data = compute_month(run.month, run.scope, rules, remaining_ms, phases, units)
    started = time.perf_counter()
    body = render.report_json(data)
    sha = sha256(body)
    phases.add("render", started)
    head = store.head(run.month, run.scope)
    latest = int(head.latest_version) if head and head.latest_version else None
    if head is not None and head.latest_sha == sha:
        done = _ended(run, RunState.unchanged, latest, phases)
        store.finish_unchanged(done, lease)
        return done
    number = (latest or 0) + 1
    require_time(remaining_ms, "comparing with the previous version")
    changed, removed, change_set = versioning.changes(data, body, latest)
    require_time(remaining_ms, "writing the files")
    files = write_files(data, body, number, computed_at, change_set, phases, units)
    started = time.perf_counter()
    store.add_explanations(run.month, run.scope, number, run.run_id, changed, removed)
    phases.add("write", started)
    published = versioning.new_version(data, run, number, computed_at, files, change_set)
    done = _ended(run, RunState.complete, number, phases)
    require_time(remaining_ms, "publishing")
    store.publish(published, done, latest, lease)
    logger.info("tpp report published", month=run.month, scope=run.scope, version=number)
    _announce(run, number, change_set)
    return done


def _announce(run: ReportRun, number: int, change_set: ChangeSet | None) -> None:
    """Tell the bus (for hr, and each employee whose paid amount changed: never the figure).
    After publishing, so a failure here loses the event, never the version."""
    changed = [e.nip for e in (change_set.employees if change_set else []) if "paid" in e.fields]
    try:
        events.publish(
            "tpp",
            "TppReportPublished",
            {
                "month": run.month,
                "scope": run.scope,
                "version": number,
                "paid_changed": changed[:_MAX_TOLD],
            },
        )
    except Exception:
        logger.exception("event not published", event="TppReportPublished")


def _ended(
    run: ReportRun, state: RunState, version: int | None, phases: reading.Phases
) -> ReportRun:
    update = {"state": state, "version": version, "finished_at": clock.utcnow()}
    logger.info("tpp run phases", run_id=run.run_id, seconds=phases.rounded())
    return run.model_copy(update={**update, "phase_seconds": phases.rounded()})
