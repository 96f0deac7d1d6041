"""The report run's protocol under the failures a real month meets: several versions in a row,
an attempt that failed after writing, an employee who left the report, leave filed before a
move, a lease left by a stopped function, duplicate deliveries, and a frozen regency month."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest
from support.api import Api
from support.attendance import Site, Staff
from support.organisation import unit_of
from support.tpp import correct, seed_month, unchanged_since, with_tpp

LONG_AGO = datetime(2024, 1, 1, tzinfo=UTC)


class Unit:
    """A unit with two employees and a seeded month, run directly through the report run."""

    def __init__(self, api: Api, month: str, *, absent_b: int | None = None) -> None:
        self.api = api
        self.month = month
        self.first = date(int(month[:4]), int(month[5:]), 1)
        self.site = Site(api, unit_of(api, "kadis.kominfo"))
        self.a = with_tpp(api, self.site.staff(), 1_000_000)
        self.b = with_tpp(api, self.site.staff(), 2_000_000)
        seed_month(self.a, self.site.unit_id, self.first)
        seed_month(self.b, self.site.unit_id, self.first, skip={absent_b} if absent_b else set())
        self.runs = 0

    def order(self, **extra: Any) -> Any:
        from eoffice.tpp.report_models import RunOrder

        self.runs += 1
        fields = {"trigger": "request", "requested_by": "198001012006041001", **extra}
        run_id = fields.pop("run_id", f"20240101T000000{self.runs:06d}-{self.site.unit_id[:6]}")
        return RunOrder(self.month, self.site.unit_id, run_id, **fields)

    def run(self, **extra: Any) -> Any:
        from eoffice.tpp.run import execute

        return execute(self.order(**extra), lambda: 900_000)

    def status(self) -> dict[str, Any]:
        answer = self.api.get(
            f"/tpp/reports/{self.month}?unit={self.site.unit_id}", user="tpp.bkpsdm"
        )
        assert answer.status == 200, answer.body
        return answer.json  # type: ignore[no-any-return]

    def explained(self, staff: Staff, version: int | None = None) -> Any:
        query = f"?unit={self.site.unit_id}" + (f"&version={version}" if version else "")
        return self.api.get(
            f"/tpp/reports/{self.month}/employees/{staff.nip}{query}", user="tpp.bkpsdm"
        )

    def file(self, name: str, version: int | None = None) -> bytes:
        query = f"?unit={self.site.unit_id}" + (f"&version={version}" if version else "")
        links = self.api.get(f"/tpp/reports/{self.month}/files{query}", user="tpp.bkpsdm").json
        return httpx.get(next(link["url"] for link in links if link["name"] == name)).content


def test_each_new_version_lists_only_what_changed_since_the_one_before(api: Api) -> None:
    unit = Unit(api, "2024-09")
    assert unit.run().version == 1
    correct(api, unit.a.nip, date(2024, 9, 3), status="absent")
    assert unit.run().version == 2
    correct(api, unit.b.nip, date(2024, 9, 4), status="leave", leave_type="izin")
    third = unit.run()
    assert third.version == 3
    changes = json.loads(unit.file("perubahan.json"))
    assert [c["nip"] for c in changes["employees"]] == [unit.b.nip]
    assert changes["employees"][0]["days"] == [{"day": "2024-09-04", "was": "hadir", "now": "izin"}]
    assert unit.status()["versions"][-1]["changed_employees"] == 1
    assert unit.explained(unit.a).json["employee"]["absent_days"] == 1  # from version 2


class _Stop(RuntimeError):
    pass


def test_an_attempt_that_failed_after_writing_leaves_nothing_a_later_version_serves(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    from eoffice.tpp import store
    from eoffice.tpp.defaults import default_rule_set
    from eoffice.tpp.rule_sets import publish_as

    unit = Unit(api, "2024-10", absent_b=8)
    assert unit.run().version == 1
    paid_b = unit.explained(unit.b).json["employee"]["paid"]
    assert paid_b == 1_940_000  # one TK at 3 %
    harsh = default_rule_set().model_copy(
        update={"absent_percent": Decimal(5), "name": "Uji: TK 5 %"}
    )
    harsh = harsh.model_copy(update={"effective_from": date(2099, 1, 1)})
    version = publish_as("198001012006041001", harsh).version

    def publish_fails(*args: Any, **kwargs: Any) -> None:
        raise _Stop("stopped before publishing")

    monkeypatch.setattr(store, "publish", publish_fails)
    with pytest.raises(_Stop):
        unit.run(rule_set_version=version)  # writes version 2's files and explanations
    monkeypatch.undo()
    correct(api, unit.a.nip, date(2024, 10, 2), status="absent")
    assert unit.run().version == 2  # only A changed: B's explanation is not rewritten
    explained = unit.explained(unit.b, 2).json
    assert explained["employee"]["paid"] == paid_b
    csv_b = next(
        line
        for line in unit.file("tpp-2024-10.csv").decode("utf-8-sig").splitlines()
        if unit.b.nip in line
    )
    assert csv_b.endswith(f",{paid_b}")


def test_a_raise_leaves_earlier_months_as_they_were_and_a_back_dated_one_reaches_them(
    api: Api,
) -> None:
    from eoffice import clock

    unit, now = Unit(api, "2025-03"), clock.today().strftime("%Y-%m")
    assert unit.run().version == 1
    assert unit.explained(unit.a, 1).json["employee"]["tpp_amount"] == 1_000_000
    path = f"/employees/{unit.a.nip}"
    raised = api.patch(path, user="admin", json_body={"tpp_amount": 1_500_000})
    assert raised.status == 200, raised.body
    assert raised.json["tpp_amounts"] == [
        {"from_month": None, "amount": 1_000_000},
        {"from_month": now, "amount": 1_500_000},
    ]
    assert unit.run().state == "unchanged"  # March is paid what March had
    alone = api.patch(path, user="admin", json_body={"tpp_amount_from": "2025-03"})
    assert (alone.status, alone.json["code"]) == (422, "tpp_amount_required")
    bad = api.patch(path, user="admin", json_body={"tpp_amount": 1, "tpp_amount_from": "2025-13"})
    assert bad.status == 422
    assert api.get(path, user="admin").json["tpp_amounts"] == raised.json["tpp_amounts"]
    body = {"tpp_amount": 1_200_000, "tpp_amount_from": "2025-03"}
    back = api.patch(path, user="admin", json_body=body)
    assert back.json["tpp_amount"] == 1_500_000  # the later raise stays the latest
    assert [p["from_month"] for p in back.json["tpp_amounts"]] == [None, "2025-03", now]
    assert unit.run().version == 2
    employee = unit.explained(unit.a, 2).json["employee"]
    assert (employee["tpp_amount"], employee["paid"]) == (1_200_000, 1_200_000)
    changes = json.loads(unit.file("perubahan.json"))["employees"]
    assert [(c["nip"], c["fields"]["tpp_amount"]) for c in changes] == [
        (unit.a.nip, [1_000_000, 1_200_000])
    ]


def test_an_employee_who_left_the_report_is_not_explained_by_it(api: Api) -> None:
    unit = Unit(api, "2024-11")
    assert unit.run().version == 1
    elsewhere = Site(api, unit_of(api, "kadis.kominfo"))
    moved = api.patch(
        f"/employees/{unit.b.nip}", user="admin", json_body={"unit_id": elsewhere.unit_id}
    )
    assert moved.status == 200
    assert unit.run().version == 2
    gone = unit.explained(unit.b, 2)
    assert gone.status == 404 and gone.json["code"] == "not_in_report"
    assert unit.explained(unit.b, 1).status == 200
    changes = json.loads(unit.file("perubahan.json"))
    assert [(c["nip"], c["change"]) for c in changes["employees"]] == [(unit.b.nip, "removed")]


def test_a_lease_left_by_a_stopped_function_does_not_block_freezing(api: Api) -> None:
    from eoffice.tpp import store

    unit = Unit(api, "2024-12")
    assert unit.run().version == 1
    stopped = int(datetime.now(UTC).timestamp()) - 3600
    store.take_lease(unit.month, unit.site.unit_id, "stopped#0000", stopped - 1000, stopped)
    frozen = api.post(f"/tpp/reports/2024-12/freeze?unit={unit.site.unit_id}", user="tpp.bkpsdm")
    assert frozen.status == 200, frozen.body


def test_a_second_delivery_of_a_request_leaves_the_first_computing(api: Api) -> None:
    from eoffice.tpp import store
    from eoffice.tpp.run import execute

    unit = Unit(api, "2025-01")
    order = unit.order(run_id="20250201T000000000000-dupe")
    now = int(datetime.now(UTC).timestamp())
    store.take_lease(unit.month, unit.site.unit_id, f"{order.run_id}#first", now, now + 900)
    second = execute(order, lambda: 900_000)
    assert second.state == "queued"  # not refused, not computed
    assert store.run(unit.month, unit.site.unit_id, order.run_id) is None
    assert unit.status()["latest_version"] is None


def test_a_scheduled_retry_takes_over_the_lease_of_its_crashed_attempt(api: Api) -> None:
    from eoffice.tpp import store
    from eoffice.tpp.run import execute

    unit = Unit(api, "2025-02")
    order = unit.order(run_id="20250228T170000000000-schedule", trigger="schedule")
    now = int(datetime.now(UTC).timestamp())
    store.take_lease(unit.month, unit.site.unit_id, f"{order.run_id}#crashed", now, now + 900)
    retried = execute(order, lambda: 900_000)
    assert retried.state == "complete" and retried.version == 1


def test_a_units_month_is_frozen_with_the_regencys(api: Api) -> None:
    from eoffice.tpp.report_models import REGENCY
    from eoffice.tpp.store import HEAD, TppRow, report_key

    unit = Unit(api, "2025-03")
    TppRow(report_key("2025-03", REGENCY), HEAD, latest_version=1, frozen=True).save()
    asked = api.post(
        "/tpp/reports",
        user="tpp.bkpsdm",
        json_body={"month": "2025-03", "unit_id": unit.site.unit_id},
    )
    assert asked.status == 409 and asked.json["code"] == "month_frozen"
    run = unit.run()
    assert (run.state, run.error_code) == ("refused", "month_frozen")


def test_a_run_that_cannot_succeed_ends_failed_without_being_retried(api: Api) -> None:
    unit = Unit(api, "2025-04")
    run = unit.run(rule_set_version=9999)
    assert (run.state, run.error_code) == ("failed", "rule_set_not_found")
    assert unit.status()["runs"][0]["state"] == "failed"


def _approved_leave(nip: str, unit_id: str, first: date, last: date) -> None:
    """Leave approved while he was in ``unit_id`` (written as the leave service records it)."""
    from eoffice.attendance import leave_store
    from eoffice.attendance.leave_models import Leave
    from eoffice.attendance.models import LeaveState, LeaveType

    now = datetime.now(UTC)
    leave = Leave(
        leave_id=leave_store.new_leave_id(),
        nip=nip,
        name="Pegawai uji",
        unit_id=unit_id,
        type=LeaveType.cuti_tahunan,
        starts_on=first,
        ends_on=last,
        state=LeaveState.approved,
        reason="Cuti tahunan keluarga",
        approver_unit_id=unit_id,
        filed_by=nip,
        filed_at=now,
        updated_at=now,
    )
    _, lock_v = leave_store.filing_state(nip)
    leave_store.create(leave, lock_v)


def test_leave_approved_before_a_move_still_covers_its_days(api: Api) -> None:
    unit = Unit(api, "2025-05")
    before = Site(api, unit_of(api, "kadis.kominfo"))
    mover = with_tpp(api, before.staff(), 3_000_000)
    _approved_leave(mover.nip, before.unit_id, date(2025, 5, 5), date(2025, 5, 9))
    assert (
        api.patch(
            f"/employees/{mover.nip}", user="admin", json_body={"unit_id": unit.site.unit_id}
        ).status
        == 200
    )
    seed_month(mover, unit.site.unit_id, unit.first, skip={5, 6, 7, 8, 9})
    unchanged_since(mover.nip, LONG_AGO)  # moved before the month: read with his new unit
    assert unit.run().version == 1
    employee = unit.explained(mover).json["employee"]
    assert (employee["absent_days"], employee["leave_days"]["cuti_tahunan"]) == (0, 5)
    assert employee["paid"] == 3_000_000


def test_a_schedule_fired_before_the_month_ended_fails_without_retries(api: Api) -> None:
    from eoffice import clock
    from eoffice.tpp.report_models import RunOrder
    from eoffice.tpp.run import execute

    this_month = clock.today().strftime("%Y-%m")
    order = RunOrder(this_month, "all", f"{this_month}-early-schedule", "schedule", "schedule")
    run = execute(order, lambda: 900_000)
    assert (run.state, run.error_code) == ("failed", "month_not_over")
