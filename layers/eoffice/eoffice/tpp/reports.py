"""What hr does with the monthly report over HTTP: ask for a run, follow it, freeze a paid
month, download the files; and the explanation of one employee's month, which the employee
and his heads may read too. The run itself is ``eoffice.tpp.run`` (the report function); the
queue and the files are reached through their stores."""

from __future__ import annotations

import secrets
from datetime import timedelta

from eoffice import clock
from eoffice.attendance import access
from eoffice.attendance.day_rules import month_bounds
from eoffice.auth import Principal, require_role
from eoffice.errors import Conflict, NotFound
from eoffice.org import store as org_store
from eoffice.org.models import Role
from eoffice.tpp import report_file_store, rule_sets, run_queue_store, store
from eoffice.tpp.month_rules import require_month_over
from eoffice.tpp.report_models import (
    REGENCY,
    Explanation,
    FileLink,
    ReportRequest,
    ReportRun,
    ReportStatus,
    ReportVersion,
    RunOrder,
    Trigger,
)

LINK_SECONDS = 300
RUNS_SHOWN = 10


def new_run_id() -> str:
    """Sorts by time (the run list is newest first)."""
    return f"{clock.utcnow():%Y%m%dT%H%M%S%f}-{secrets.token_hex(3)}"


def scope_of(unit_id: str | None) -> str:
    if unit_id is None:
        return REGENCY
    if org_store.get_unit(unit_id) is None:
        raise NotFound(f"unit {unit_id} does not exist", code="unit_not_found")
    return unit_id


# ---------------------------------------------------------------- asking for a run
def request_run(principal: Principal, data: ReportRequest) -> ReportRun:
    """Queue a run for the report function (202). A frozen month or one being computed: 409."""
    require_role(principal, Role.hr)
    require_month_over(data.month)
    scope = scope_of(data.unit_id)
    first, _ = month_bounds(data.month)
    rule_sets.for_month(first, data.rule_set_version)  # 404 or 422 now, not in the run
    if scope != REGENCY:
        _require_free(data.month, REGENCY, busy_too=False)
    _require_free(data.month, scope)
    order = RunOrder(
        month=data.month,
        scope=scope,
        run_id=new_run_id(),
        trigger=Trigger.request,
        requested_by=principal.nip,
        rule_set_version=data.rule_set_version,
    )
    run = order.queued_run(clock.utcnow())
    store.save_run(run)
    run_queue_store.enqueue(run.month, scope, run.run_id)
    return run


def _require_free(month: str, scope: str, *, busy_too: bool = True) -> None:
    """409 when the month is frozen (a unit's month is frozen with the regency's), or when a
    live run is computing it."""
    head = store.head(month, scope)
    if head is None:
        return
    if head.frozen:
        raise Conflict(f"the report of {month} is frozen", code="month_frozen")
    live = head.lease_run and (head.lease_until or 0) >= clock.utcnow().timestamp()
    if busy_too and live:
        run_id = str(head.lease_run).split("#")[0]
        raise Conflict(f"a run is computing {month} now", code="run_in_progress", run_id=run_id)


# ---------------------------------------------------------------- following and freezing
def status(principal: Principal, month: str, unit_id: str | None) -> ReportStatus:
    require_role(principal, Role.hr)
    month_bounds(month)
    return _status(month, scope_of(unit_id))


def _status(month: str, scope: str) -> ReportStatus:
    head = store.head(month, scope)
    return ReportStatus(
        month=month,
        scope=scope,
        latest_version=int(head.latest_version) if head and head.latest_version else None,
        frozen=bool(head and head.frozen),
        frozen_version=int(head.frozen_version) if head and head.frozen_version else None,
        frozen_by=head.frozen_by if head else None,
        frozen_at=head.frozen_at if head else None,
        versions=store.versions(month, scope),
        runs=store.runs(month, scope, RUNS_SHOWN),
    )


def freeze(principal: Principal, month: str, unit_id: str | None) -> ReportStatus:
    """Lock a paid month: it is never computed again (the schedule and hr get 409)."""
    require_role(principal, Role.hr)
    month_bounds(month)
    scope = scope_of(unit_id)
    head = store.head(month, scope)
    if head is None or not head.latest_version:
        raise NotFound(f"{month} has no report yet", code="report_not_found")
    now = clock.utcnow()
    version = int(head.latest_version)
    store.freeze(month, scope, version, principal.nip, now.isoformat(), int(now.timestamp()))
    return _status(month, scope)


# ---------------------------------------------------------------- files and explanations
def links(
    principal: Principal, month: str, unit_id: str | None, version: int | None
) -> list[FileLink]:
    """Presigned GETs of a published version's files, pinned to the S3 object versions the
    run wrote (a later run cannot change what a link returns)."""
    require_role(principal, Role.hr)
    published = _version_or_404(month, scope_of(unit_id), version)
    expires = clock.utcnow() + timedelta(seconds=LINK_SECONDS)
    return [
        FileLink(
            url=report_file_store.download_url(item, LINK_SECONDS),
            expires_at=expires,
            **item.model_dump(include=_LINKED),
        )
        for item in published.files
    ]


_LINKED = {"name", "sha256", "bytes", "media_type"}


def explain(
    principal: Principal, month: str, nip: str, unit_id: str | None, version: int | None
) -> Explanation:
    """His month day by day as a published version computed it: hr, he himself and his heads
    (pay is personal: not admins)."""
    employee = access.employee_or_404(nip)
    access.require_see_private(principal, employee.nip, employee.unit_id, "this pay")
    scope = scope_of(unit_id)
    versions = {v.version: v for v in store.versions(month, scope)}
    published = _version_or_404(month, scope, version, versions)
    runs = {number: v.run_id for number, v in versions.items()}
    found = store.explanation(month, scope, nip, published.version, runs)
    if found is None:
        raise NotFound(f"{nip} is not in this report of {month}", code="not_in_report")
    return Explanation(
        month=month,
        scope=scope,
        version=published.version,
        computed_at=published.computed_at,
        rule_set=published.rule_set,
        employee=found,
    )


def _version_or_404(
    month: str,
    scope: str,
    version: int | None,
    known: dict[int, ReportVersion] | None = None,
) -> ReportVersion:
    month_bounds(month)
    if version is None:
        head = store.head(month, scope)
        version = int(head.latest_version) if head and head.latest_version else None
    if not version:
        published = None
    elif known is not None:
        published = known.get(version)
    else:
        published = store.version(month, scope, version)
    if published is None:
        raise NotFound(f"{month} has no such report version", code="report_not_found")
    return published
