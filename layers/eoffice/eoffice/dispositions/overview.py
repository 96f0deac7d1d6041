"""The leaders' overview: per unit, open, overdue and done assignments and the median time to
done, for the bupati and sekda (any unit) and heads (their unit and below)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from eoffice import clock
from eoffice.auth import Principal
from eoffice.dispositions import store
from eoffice.dispositions.models import (
    Assignment,
    AssignmentStatus,
    DispositionsSummary,
    UnitCounts,
)
from eoffice.errors import Forbidden, NotFound
from eoffice.org import store as org_store
from eoffice.org.hierarchy import descendants
from eoffice.org.models import Role, Unit

DEFAULT_DAYS = 90
_PARALLEL_QUERIES = 8


def summary(principal: Principal, unit_id: str | None, since: date | None) -> DispositionsSummary:
    units = org_store.list_units()
    by_id = {unit.unit_id: unit for unit in units}
    asked = unit_id or principal.unit_id
    if asked not in by_id:
        raise NotFound(f"unit {asked} does not exist", code="unit_not_found")
    _require_overseer(principal, asked, units)
    start = since or clock.today() - timedelta(days=DEFAULT_DAYS)
    subtree = [asked, *sorted(descendants(asked, units), key=lambda u: by_id[u].code)]
    start_at = datetime.combine(start, time(), tzinfo=clock.regency_tz())
    from concurrent.futures import ThreadPoolExecutor  # only this request needs threads

    with ThreadPoolExecutor(_PARALLEL_QUERIES) as pool:
        per_unit = list(pool.map(lambda u: store.unit_assignments(u, start_at), subtree))
    now = clock.utcnow()
    rows = [_counts(by_id[u], items, now) for u, items in zip(subtree, per_unit, strict=True)]
    everything = [a for items in per_unit for a in items]
    total = _counts(by_id[asked], everything, now).model_copy(update={"unit_name": "Total"})
    return DispositionsSummary(unit_id=asked, since=start, units=rows, total=total)


def _require_overseer(principal: Principal, unit_id: str, units: list[Unit]) -> None:
    if principal.has_any(Role.bupati, Role.sekda):
        return
    heads_of = set()
    if principal.has_any(Role.head):
        heads_of.add(principal.unit_id)
    heads_of.update(acting.unit_id for acting in principal.acting)
    if any(unit_id == top or unit_id in descendants(top, units) for top in heads_of):
        return
    raise Forbidden(
        "the overview is for the bupati, the sekda and heads of the unit or above",
        code="not_overseer",
    )


def _counts(unit: Unit, items: list[Assignment], now: datetime) -> UnitCounts:
    from statistics import median  # not at start-up: it pulls in fractions and decimal

    done = [a for a in items if a.status is AssignmentStatus.done and a.done_at]
    hours = [(a.done_at - a.created_at).total_seconds() / 3600 for a in done if a.done_at]
    return UnitCounts(
        unit_id=unit.unit_id,
        unit_name=unit.name,
        parent_id=unit.parent_id,
        open=sum(a.status.open for a in items),
        overdue=sum(a.is_overdue(now) for a in items),
        done=len(done),
        median_hours_to_done=round(median(hours), 2) if hours else None,
    )
