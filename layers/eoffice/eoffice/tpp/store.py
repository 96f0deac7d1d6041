"""The TPP table (``TPP_TABLE``): one PynamoDB model, the key of every item kind in one place.

| item | pk / sk |
| --- | --- |
| rule set version | ``RULESETS`` / ``V#{version:04d}``: body, written once |
| penalty | ``PENALTIES`` / ``{penalty_id}`` (it starts with the first month): body |
| report head | ``REPORT#{month}#{scope}`` / ``HEAD``: latest version and its JSON's SHA-256, frozen, the run lease |
| report version | ``REPORT#{month}#{scope}`` / ``V#{version:04d}``: body (files, hashes), written once |
| report run | ``REPORT#{month}#{scope}`` / ``RUN#{run_id}``: body |
| explanation | ``EXPLAIN#{month}#{scope}#{nip}`` / ``V#{version:04d}``: his month, day by day, and the run that wrote it |

Explanations are written only for employees whose month changed since the previous version (and
an empty one for an employee the version no longer has), so a version's explanation of an
employee is his newest item up to that version written by a run that published its version: an
attempt that failed before publishing may have left items under a number published later by
another run, and those are passed over.
Rule sets and penalties are few (tens a year): each list is one Query of one partition.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pynamodb.attributes import BooleanAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.transactions import TransactWrite

from eoffice.dynamo import Row, conflicts_as, connection, get_or_none, table_meta
from eoffice.tpp.models import EmployeeMonth, Penalty
from eoffice.tpp.report_models import REGENCY, ReportRun, ReportVersion
from eoffice.tpp.rule_set_models import RuleSet

TABLE_ENV = "TPP_TABLE"
RULESETS, PENALTIES, HEAD = "RULESETS", "PENALTIES", "HEAD"


class TppRow(Row):
    Meta = table_meta(TABLE_ENV)

    latest_version = NumberAttribute(null=True)
    latest_sha = UnicodeAttribute(null=True)
    frozen = BooleanAttribute(null=True)
    frozen_version = NumberAttribute(null=True)
    frozen_by = UnicodeAttribute(null=True)
    frozen_at = UnicodeAttribute(null=True)
    lease_run = UnicodeAttribute(null=True)  # "{run_id}#{token}": one invocation's lease
    lease_until = NumberAttribute(null=True)  # epoch seconds
    run_id = UnicodeAttribute(null=True)  # an explanation's run


def version_sk(version: int) -> str:
    return f"V#{version:04d}"


def report_key(month: str, scope: str) -> str:
    return f"REPORT#{month}#{scope}"


def explain_key(month: str, scope: str, nip: str) -> str:
    return f"EXPLAIN#{month}#{scope}#{nip}"


# ---------------------------------------------------------------- rule sets
def add_rule_set(rule_set: RuleSet) -> None:
    """Written once: a second publication of the same version number is a conflict."""
    row = TppRow(RULESETS, version_sk(rule_set.version), body=rule_set.model_dump_json())
    with conflicts_as("that rule set version was published meanwhile", code="version_taken"):
        row.save(condition=TppRow.pk.does_not_exist())


def rule_sets() -> list[RuleSet]:
    """Every published version, oldest first."""
    return [RuleSet.model_validate_json(row.body or "{}") for row in TppRow.query(RULESETS)]


def rule_set(version: int) -> RuleSet | None:
    row = get_or_none(TppRow, RULESETS, version_sk(version))
    return RuleSet.model_validate_json(row.body or "{}") if row else None


# ---------------------------------------------------------------- penalties
def add_penalty(penalty: Penalty) -> None:
    row = TppRow(PENALTIES, penalty.penalty_id, body=penalty.model_dump_json())
    with conflicts_as("that penalty exists already", code="penalty_exists"):
        row.save(condition=TppRow.pk.does_not_exist())


def penalty(penalty_id: str) -> tuple[Penalty, str] | None:
    """The penalty and its stored body (for a conditional update)."""
    row = get_or_none(TppRow, PENALTIES, penalty_id, consistent=True)
    return (Penalty.model_validate_json(row.body or "{}"), row.body or "") if row else None


def save_penalty(penalty: Penalty, was: str) -> None:
    """Replace the penalty if nobody changed it since ``was`` was read."""
    row = TppRow(PENALTIES, penalty.penalty_id, body=penalty.model_dump_json())
    with conflicts_as("the penalty changed meanwhile", code="penalty_changed"):
        row.save(condition=TppRow.body == was)


def penalties_from(last_month: str) -> list[Penalty]:
    """Every penalty that starts in ``last_month`` or before (callers keep those covering it)."""
    rows = TppRow.query(PENALTIES, TppRow.sk <= f"{last_month}~")
    return [Penalty.model_validate_json(row.body or "{}") for row in rows]


# ---------------------------------------------------------------- report head and lease
def head(month: str, scope: str) -> TppRow | None:
    return get_or_none(TppRow, report_key(month, scope), HEAD, consistent=True)


def month_frozen(month: str) -> bool:
    """Whether BKPSDM froze the regency's report of ``month`` (paid: its figures stay)."""
    row = head(month, REGENCY)
    return bool(row is not None and row.frozen)


def _unfrozen() -> Any:
    return TppRow.frozen.does_not_exist() | (TppRow.frozen == False)  # noqa: E712


def take_lease(
    month: str, scope: str, lease: str, now: int, until: int, *, take_over: str | None = None
) -> TppRow:
    """The month's run lease for one invocation, unless the month is frozen or a live lease is
    held (409); ``take_over`` (a run id) also takes a live lease of that run's earlier attempt."""
    row = TppRow(report_key(month, scope), HEAD)
    free = TppRow.lease_run.does_not_exist() | (TppRow.lease_until < now)
    if take_over is not None:
        free = free | TppRow.lease_run.startswith(f"{take_over}#")
    condition = _unfrozen() & free
    with conflicts_as("the month is frozen or another run is computing it", code="month_busy"):
        row.update(
            actions=[TppRow.lease_run.set(lease), TppRow.lease_until.set(until)],
            condition=condition,
        )
    return row


def drop_lease(month: str, scope: str, lease: str) -> None:
    """Ends our lease (a run that failed or found its run ended); another one stays."""
    row = TppRow(report_key(month, scope), HEAD)
    with conflicts_as("the lease was taken over", code="lease_lost"):
        row.update(
            actions=[TppRow.lease_run.remove(), TppRow.lease_until.remove()],
            condition=TppRow.lease_run == lease,
        )


def freeze(month: str, scope: str, version: int, by: str, at: str, now: int) -> None:
    """Only a published, unfrozen month with no live run computing it can be frozen (a lease
    left by a function that was stopped does not block it once expired)."""
    row = TppRow(report_key(month, scope), HEAD)
    with conflicts_as(
        "the month is frozen already, or a run is computing it", code="cannot_freeze"
    ):
        row.update(
            actions=[
                TppRow.frozen.set(True),
                TppRow.frozen_version.set(version),
                TppRow.frozen_by.set(by),
                TppRow.frozen_at.set(at),
            ],
            condition=(TppRow.latest_version == version)
            & _unfrozen()
            & (TppRow.lease_run.does_not_exist() | (TppRow.lease_until < now)),
        )


# ---------------------------------------------------------------- runs and versions
def save_run(run: ReportRun) -> None:
    TppRow(report_key(run.month, run.scope), f"RUN#{run.run_id}", body=run.model_dump_json()).save()


def run(month: str, scope: str, run_id: str) -> ReportRun | None:
    row = get_or_none(TppRow, report_key(month, scope), f"RUN#{run_id}", consistent=True)
    return ReportRun.model_validate_json(row.body or "{}") if row else None


def runs(month: str, scope: str, limit: int) -> list[ReportRun]:
    """The latest runs, newest first (run ids sort by time)."""
    rows = TppRow.query(
        report_key(month, scope),
        TppRow.sk.startswith("RUN#"),
        scan_index_forward=False,
        limit=limit,
    )
    return [ReportRun.model_validate_json(row.body or "{}") for row in rows]


def versions(month: str, scope: str) -> list[ReportVersion]:
    rows = TppRow.query(report_key(month, scope), TppRow.sk.startswith("V#"))
    return [ReportVersion.model_validate_json(row.body or "{}") for row in rows]


def version(month: str, scope: str, number: int) -> ReportVersion | None:
    row = get_or_none(TppRow, report_key(month, scope), version_sk(number))
    return ReportVersion.model_validate_json(row.body or "{}") if row else None


def publish(published: ReportVersion, run: ReportRun, previous: int | None, lease: str) -> None:
    """One transaction: the version, the run complete, and the head moved on; on condition that
    the head is still at ``previous``, unfrozen, the lease ours, and (for a unit's report) the
    regency's month not frozen. Until this commits nothing of the run is visible."""
    key = report_key(published.month, published.scope)
    head_row = TppRow(key, HEAD)
    at_previous = (
        TppRow.latest_version.does_not_exist()
        if previous is None
        else TppRow.latest_version == previous
    )
    with (
        conflicts_as("the report changed meanwhile", code="lease_lost"),
        TransactWrite(connection=connection()) as tx,
    ):
        tx.save(
            TppRow(key, version_sk(published.version), body=published.model_dump_json()),
            condition=TppRow.pk.does_not_exist(),
        )
        tx.save(TppRow(key, f"RUN#{run.run_id}", body=run.model_dump_json()))
        tx.update(
            head_row,
            actions=[
                TppRow.latest_version.set(published.version),
                TppRow.latest_sha.set(published.json_sha256),
                TppRow.lease_run.remove(),
                TppRow.lease_until.remove(),
            ],
            condition=at_previous & (TppRow.lease_run == lease) & _unfrozen(),
        )
        if published.scope != REGENCY:
            regency = TppRow(report_key(published.month, REGENCY), HEAD)
            tx.condition_check(TppRow, regency.pk, regency.sk, condition=_unfrozen())


def finish_unchanged(run: ReportRun, lease: str) -> None:
    """The run found the latest version's data: record it and end the lease, in one go."""
    key = report_key(run.month, run.scope)
    with (
        conflicts_as("the lease was taken over", code="lease_lost"),
        TransactWrite(connection=connection()) as tx,
    ):
        tx.save(TppRow(key, f"RUN#{run.run_id}", body=run.model_dump_json()))
        tx.update(
            TppRow(key, HEAD),
            actions=[TppRow.lease_run.remove(), TppRow.lease_until.remove()],
            condition=TppRow.lease_run == lease,
        )


# ---------------------------------------------------------------- explanations
def add_explanations(
    month: str,
    scope: str,
    number: int,
    run_id: str,
    months: Iterable[EmployeeMonth],
    removed: Iterable[str],
) -> None:
    """Batched writes (25 an item call) of the changed employees' months, and an empty item for
    each one the version no longer has; all tagged with the run."""
    with TppRow.batch_write() as batch:
        for employee in months:
            body = employee.model_dump_json()
            key = explain_key(month, scope, employee.nip)
            batch.save(TppRow(key, version_sk(number), body=body, run_id=run_id))
        for nip in removed:
            key = explain_key(month, scope, nip)
            batch.save(TppRow(key, version_sk(number), run_id=run_id))


def explanation(
    month: str, scope: str, nip: str, at_most: int, published: dict[int, str]
) -> EmployeeMonth | None:
    """His month as of version ``at_most``: his newest item up to it written by the run that
    published its version (``published``: version -> run id); None when that item is empty
    (he left the report) or there is none. One Query, usually one item."""
    rows = TppRow.query(
        explain_key(month, scope, nip),
        TppRow.sk <= version_sk(at_most),
        scan_index_forward=False,
    )
    for row in rows:
        if row.run_id is not None and published.get(int(row.sk[2:])) == row.run_id:
            return EmployeeMonth.model_validate_json(row.body) if row.body else None
    return None
