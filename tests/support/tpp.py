"""The TPP report as the tests drive it: a unit's staff with TPP amounts and a seeded month, and
the report function driven the way Lambda's SQS mapping would, on demand."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from eoffice_local.environment import LocalEnvironment

from support.api import Api, QueueDriver
from support.attendance import Staff, seed_checkins, wita


class ReportRuns(QueueDriver):
    """Hands hr's queued report requests to the report function, when a test says so."""

    def __init__(self, env: LocalEnvironment) -> None:
        super().__init__(env, "TppReportFunction")


def with_tpp(api: Api, staff: Staff, amount: int) -> Staff:
    answer = api.patch(f"/employees/{staff.nip}", user="admin", json_body={"tpp_amount": amount})
    assert answer.status == 200, answer.body
    return staff


def unchanged_since(nip: str, when: datetime) -> None:
    """Back-date his record's last change: an employee who did not move during the month is
    read from his unit's partition (a fresh one would be read from his own)."""
    from eoffice.org import store

    employee, version = store.employee_record(nip) or (None, 0)
    assert employee is not None
    store.update_employee(employee.model_copy(update={"updated_at": when}), version)


def month_days(first: date) -> list[date]:
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return [first + timedelta(days=n) for n in range((following - first).days)]


def seed_month(
    staff: Staff,
    unit_id: str,
    first: date,
    *,
    skip: set[int] = frozenset(),
    **odd: Any,  # type: ignore[assignment]
) -> None:
    """In at 07:20 and out at 16:35 (after Friday's 16:30) every day of the month but ``skip``; ``odd`` maps
    ``d{n}`` to the day's (kind, state, (hh, mm)) list instead."""
    checkins: list[tuple[str, str, datetime]] = []
    for day in month_days(first):
        if day.day in skip:
            continue
        special = odd.get(f"d{day.day}")
        if special is not None:
            checkins.extend((kind, state, wita(day, *at)) for kind, state, at in special)
            continue
        checkins.append(("in", "accepted", wita(day, 7, 20)))
        checkins.append(("out", "accepted", wita(day, 16, 35)))
    seed_checkins(staff.nip, unit_id, checkins)


def correct(api: Api, nip: str, day: date, **body: Any) -> None:
    body.setdefault("reason", "Koreksi uji laporan TPP")
    answer = api.post(
        f"/attendance/days/{nip}/{day.isoformat()}/corrections", user="admin", json_body=body
    )
    assert answer.status == 201, answer.body
