"""The monthly TPP schedule end to end through the local runner: the template's cron schedule,
played by the runner's clock at 01:00 WITA on 1 March 2024, invokes the report function with
the scheduler's event, which reports February (not January, as the UTC date would say) for the
whole regency. A replayed event publishes nothing twice; a frozen month is refused quietly."""

from __future__ import annotations

import csv
import io
import threading
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from eoffice_local.environment import LocalEnvironment
from eoffice_local.events import scheduled_event
from eoffice_local.scheduler import CronRunner
from support.api import Api
from support.attendance import Site
from support.organisation import unit_of
from support.tpp import seed_month, with_tpp

FIRES_AT = datetime(2024, 2, 29, 17, 0, tzinfo=UTC)  # 01:00 WITA on 1 March 2024


class Clock:
    def __init__(self, start: datetime) -> None:
        self.at = start

    def __call__(self) -> datetime:
        return self.at


def test_the_schedule_reports_the_previous_month_in_wita(
    api: Api, local_env: LocalEnvironment
) -> None:
    site = Site(api, unit_of(api, "kadis.kominfo"))
    staff = with_tpp(api, site.staff(), 3_000_000)
    seed_month(staff, site.unit_id, date(2024, 2, 1), skip={14})  # one TK: 3 %

    trigger = local_env.schedule("TppReportFunction")
    assert (trigger.expression, trigger.timezone) == ("cron(0 1 1 * ? *)", "Asia/Makassar")
    results: list[Any] = []
    fired = threading.Event()

    def invoke(function: str, event: Any) -> Any:
        results.append((function, event, local_env.runtime.invoke(function, event)))
        fired.set()
        return results[-1][2]

    clock = Clock(FIRES_AT - timedelta(seconds=2))
    runner = CronRunner(trigger, local_env.stack, invoke, now=clock, poll=0.05).start()
    try:
        assert not fired.wait(0.5)  # 00:59:58 WITA: not yet
        clock.at = FIRES_AT + timedelta(seconds=1)
        assert fired.wait(300)
    finally:
        runner.stop()
    function, event, run = results[0]
    assert function == "TppReportFunction"
    assert event == {"action": "tpp-monthly", "scheduled_time": "2024-02-29T17:00:00Z"}
    assert (run["month"], run["scope"], run["state"], run["trigger"]) == (
        "2024-02",
        "all",
        "complete",
        "schedule",
    )

    status = api.get("/tpp/reports/2024-02", user="tpp.bkpsdm")
    assert status.status == 200 and status.json["latest_version"] == run["version"]
    links = {
        f["name"]: f["url"] for f in api.get("/tpp/reports/2024-02/files", user="tpp.bkpsdm").json
    }
    rows = csv.DictReader(
        io.StringIO(httpx.get(links["tpp-2024-02.csv"]).content.decode("utf-8-sig"))
    )
    mine = next(row for row in rows if row["NIP"] == staff.nip)
    assert (mine["Hari kerja"], mine["TK"], mine["Dibayar (Rp)"]) == ("29", "1", "2910000")

    # Scheduler delivers at least once: the same event again publishes nothing new.
    again = local_env.runtime.invoke("TppReportFunction", event)
    assert again["run_id"] == run["run_id"] and again["version"] == run["version"]
    assert (
        api.get("/tpp/reports/2024-02", user="tpp.bkpsdm").json["latest_version"] == run["version"]
    )

    # Once hr froze the paid month, a later firing is refused without an error.
    assert api.post("/tpp/reports/2024-02/freeze", user="tpp.bkpsdm").status == 200
    late = scheduled_event(trigger, local_env.stack, at=FIRES_AT + timedelta(hours=2))
    refused = local_env.runtime.invoke("TppReportFunction", late)
    assert (refused["month"], refused["state"], refused["error_code"]) == (
        "2024-02",
        "refused",
        "month_frozen",
    )
