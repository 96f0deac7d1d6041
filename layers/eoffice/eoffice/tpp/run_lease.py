"""The month's run lease: a conditional update of the month's head, so that one run at a time
computes a month and none computes a frozen one.

A lease outlives the function's 15 minutes, so one left by a run that timed out expires and the
next run takes it over. A scheduled run that meets another live run is retried later (it must
not leave the month without its report); hr's request is refused instead.
"""

from __future__ import annotations

from eoffice import clock
from eoffice.errors import Conflict
from eoffice.observability import logger
from eoffice.tpp import store
from eoffice.tpp.report_models import REGENCY, ReportRun, RunState, Trigger

LEASE_SECONDS = 930
"""The function's 900 s and a margin: a lease left by an attempt that was stopped has expired
by the time SQS delivers the request again (visibility 960 s)."""

_REFUSALS = {
    "month_frozen": "bulan ini sudah dikunci",
    "run_in_progress": "laporan bulan ini sedang dihitung",
}


class RunBusy(RuntimeError):
    """The scheduled run met another run computing the month: raised, so that the invocation
    is retried later rather than the month left without its report."""


def take(run: ReportRun, lease: str) -> ReportRun | None:
    """None when the lease is ours; else the run refused (frozen, or busy for a request).
    A unit's month is frozen with the regency's."""
    if run.scope != REGENCY and _frozen(run.month, REGENCY):
        return _refuse(run, "month_frozen")
    now = int(clock.utcnow().timestamp())
    # Lambda retries a scheduled invocation only after it ended in error: a live lease of the
    # same run is then a crashed attempt's (out of memory, stopped), taken over at once.
    take_over = run.run_id if run.trigger == Trigger.schedule else None
    try:
        store.take_lease(run.month, run.scope, lease, now, now + LEASE_SECONDS, take_over=take_over)
    except Conflict:
        head = store.head(run.month, run.scope)
        if head is not None and head.frozen:
            return _refuse(run, "month_frozen")
        if head is not None and str(head.lease_run).startswith(f"{run.run_id}#"):
            return run  # another delivery of this request is computing it: leave it be
        if run.trigger == Trigger.schedule:
            store.save_run(run)
            raise RunBusy(f"another run is computing {run.month}; retry later") from None
        return _refuse(run, "run_in_progress")
    return None


def release(run: ReportRun, lease: str) -> None:
    """End our lease; one another run took over meanwhile stays."""
    try:
        store.drop_lease(run.month, run.scope, lease)
    except Conflict:
        logger.warning("tpp lease already taken over", run_id=run.run_id)


def _frozen(month: str, scope: str) -> bool:
    head = store.head(month, scope)
    return bool(head and head.frozen)


def _refuse(run: ReportRun, code: str) -> ReportRun:
    logger.info("tpp run refused", run_id=run.run_id, month=run.month, code=code)
    refused = run.model_copy(
        update={
            "state": RunState.refused,
            "error_code": code,
            "message": _REFUSALS[code],
            "finished_at": clock.utcnow(),
        }
    )
    store.save_run(refused)
    return refused
