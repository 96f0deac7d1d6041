"""TPP rule sets and disciplinary penalties through the API: the default loaded with the demo
data, new versions published by hr and never changed, a report computed with the version asked
for, and penalties checked before they are stored."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest
from eoffice_local.environment import LocalEnvironment
from support.api import Api
from support.attendance import Site
from support.organisation import unit_of
from support.tpp import ReportRuns, seed_month, with_tpp


def _rule_sets(api: Api) -> list[dict[str, Any]]:
    answer = api.get("/tpp/rule-sets", user="tpp.bkpsdm")
    assert answer.status == 200, answer.body
    return answer.json  # type: ignore[no-any-return]


def test_the_default_rule_set_is_the_domain_references(api: Api) -> None:
    first = _rule_sets(api)[0]
    assert first["version"] == 1 and first["published_by"] == "system"
    assert [(b["up_to_minutes"], b["percent"]) for b in first["late_bands"]] == [
        (30, "0.5"),
        (60, "1"),
        (90, "1.25"),
        (None, "2.5"),
    ]
    assert first["early_bands"] == first["late_bands"]
    assert (first["missing_check_in_band"], first["missing_check_out_band"]) == (4, 4)
    assert first["absent_percent"] == "3"
    assert first["leave_percent"]["izin"] == "1"
    assert {k for k, v in first["leave_percent"].items() if v != "0"} == {"izin"}
    assert (first["discipline_cap_percent"], first["zero_without_presence"]) == ("40", True)
    assert (first["cltn"], first["rounding"]) == ("pro_rata", "half_up")


def _published(api: Api, **changes: Any) -> dict[str, Any]:
    body = copy.deepcopy(_rule_sets(api)[0])
    for field in ("version", "published_at", "published_by"):
        body.pop(field)
    body.update(name="Uji: TK 4 %", effective_from="2099-01-01", **changes)
    answer = api.post("/tpp/rule-sets", user="tpp.bkpsdm", json_body=body)
    assert answer.status == 201, answer.body
    return answer.json  # type: ignore[no-any-return]


def test_hr_publishes_a_new_version_that_never_changes(api: Api) -> None:
    before = _rule_sets(api)
    published = _published(api, absent_percent="4")
    assert published["version"] == max(r["version"] for r in before) + 1
    got = api.get(f"/tpp/rule-sets/{published['version']}", user="tpp.bkpsdm")
    assert got.status == 200 and got.json == published
    for method in ("PUT", "PATCH", "DELETE"):
        answer = api.call(
            method, f"/tpp/rule-sets/{published['version']}", user="tpp.bkpsdm", json_body={}
        )
        assert answer.status in {404, 405}, (method, answer.status)
    assert api.get(f"/tpp/rule-sets/{published['version']}", user="tpp.bkpsdm").json == published


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        ({"leave_percent": {"izin": "1"}}, "leave_percent lacks"),
        (
            {
                "late_bands": [
                    {"up_to_minutes": 60, "percent": "1"},
                    {"up_to_minutes": 30, "percent": "1"},
                    {"percent": "2"},
                ]
            },
            "must rise",
        ),
        ({"missing_check_in_band": 9}, "does not exist"),
        ({"absent_percent": "3.001"}, "decimal"),
        ({"discipline_cap_percent": "140"}, "100"),
    ],
)
def test_a_bad_rule_set_is_refused_and_nothing_is_published(
    api: Api, change: dict[str, Any], needle: str
) -> None:
    before = _rule_sets(api)
    body = copy.deepcopy(before[0])
    for field in ("version", "published_at", "published_by"):
        body.pop(field)
    body.update(change)
    answer = api.post("/tpp/rule-sets", user="tpp.bkpsdm", json_body=body)
    assert answer.status == 422, answer.body
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert needle in answer.body.decode()
    assert _rule_sets(api) == before


def test_only_hr_publishes(api: Api) -> None:
    body = copy.deepcopy(_rule_sets(api)[0])
    for field in ("version", "published_at", "published_by"):
        body.pop(field)
    for user in ("admin", "kadis.kominfo", "staf.kominfo"):
        answer = api.post("/tpp/rule-sets", user=user, json_body=body)
        assert answer.status == 403, (user, answer.body)
    assert api.get("/tpp/rule-sets", user="staf.kominfo").status == 403


def test_a_report_asked_with_another_version_uses_it(api: Api, local_env: LocalEnvironment) -> None:
    strict = _published(api, absent_percent="4")
    site = Site(api, unit_of(api, "kadis.kominfo"))
    staff = with_tpp(api, site.staff(), 2_000_000)
    seed_month(staff, site.unit_id, date(2024, 7, 1), skip={9})  # one TK
    runs = ReportRuns(local_env)

    def paid(**extra: Any) -> tuple[int, dict[str, Any]]:
        body = {"month": "2024-07", "unit_id": site.unit_id, **extra}
        assert api.post("/tpp/reports", user="tpp.bkpsdm", json_body=body).status == 202
        runs.drain()
        status = api.get(f"/tpp/reports/2024-07?unit={site.unit_id}", user="tpp.bkpsdm").json
        explained = api.get(
            f"/tpp/reports/2024-07/employees/{staff.nip}?unit={site.unit_id}", user="tpp.bkpsdm"
        ).json
        return explained["employee"]["paid"], status["versions"][-1]["rule_set"]

    default_paid, default_rules = paid()
    assert (default_paid, default_rules["version"]) == (1_940_000, 1)  # 3 %: effective in 2024
    strict_paid, strict_rules = paid(rule_set_version=strict["version"])
    assert (strict_paid, strict_rules["version"]) == (1_920_000, strict["version"])  # 4 %


def test_penalties_are_checked_and_listed(api: Api) -> None:
    site = Site(api, unit_of(api, "kadis.kominfo"))
    staff = site.staff()
    good = {
        "nip": staff.nip,
        "percent": "5",
        "from_month": "2024-11",
        "months": 3,
        "reason": "Hukuman disiplin ringan",
        "decree_number": "800/1/BKPSDM/2024",
    }
    created = api.post("/tpp/penalties", user="tpp.bkpsdm", json_body=good)
    assert created.status == 201, created.body
    assert created.json["until_month"] == "2025-01"
    for month, listed in (
        ("2024-10", False),
        ("2024-11", True),
        ("2025-01", True),
        ("2025-02", False),
    ):
        found = api.get(f"/tpp/penalties?month={month}&nip={staff.nip}", user="tpp.bkpsdm")
        assert found.status == 200 and bool(found.json) is listed, month
    bad = [
        ({**good, "percent": "0"}, 422),
        ({**good, "months": 0}, 422),
        ({**good, "from_month": "2024-13"}, 422),
        ({**good, "nip": "199001012020121999"}, 404),
    ]
    for body, status in bad:
        answer = api.post("/tpp/penalties", user="tpp.bkpsdm", json_body=body)
        assert answer.status == status, (body, answer.body)
    own = api.get("/me", user="tpp.bkpsdm").json["employee"]["nip"]
    assert (
        api.post("/tpp/penalties", user="tpp.bkpsdm", json_body={**good, "nip": own}).status == 403
    )
    assert api.post("/tpp/penalties", user="admin", json_body=good).status == 403
    listed = api.get(f"/tpp/penalties?month=2024-12&nip={staff.nip}", user="tpp.bkpsdm").json
    assert len(listed) == 1


def test_a_penalty_entered_in_error_is_withdrawn_and_no_longer_cuts(
    api: Api, local_env: LocalEnvironment
) -> None:
    site = Site(api, unit_of(api, "kadis.kominfo"))
    staff = with_tpp(api, site.staff(), 1_000_000)
    seed_month(staff, site.unit_id, date(2024, 8, 1))
    body = {
        "nip": staff.nip,
        "percent": "20",
        "from_month": "2024-08",
        "months": 1,
        "reason": "Salah orang, dimasukkan keliru",
        "decree_number": "800/9/BKPSDM/2024",
    }
    penalty = api.post("/tpp/penalties", user="tpp.bkpsdm", json_body=body).json
    runs = ReportRuns(local_env)

    def paid() -> int:
        asked = {"month": "2024-08", "unit_id": site.unit_id}
        assert api.post("/tpp/reports", user="tpp.bkpsdm", json_body=asked).status == 202
        runs.drain()
        path = f"/tpp/reports/2024-08/employees/{staff.nip}?unit={site.unit_id}"
        return int(api.get(path, user="tpp.bkpsdm").json["employee"]["paid"])

    assert paid() == 800_000
    path = f"/tpp/penalties/{penalty['penalty_id']}/cancel"
    reason = {"reason": "SK dibatalkan, salah pegawai"}
    cancelled = api.post(path, user="tpp.bkpsdm", json_body=reason)
    assert cancelled.status == 200, cancelled.body
    assert cancelled.json["cancelled"]["reason"] == reason["reason"]
    again = api.post(path, user="tpp.bkpsdm", json_body=reason)
    assert again.status == 409 and again.json["code"] == "penalty_cancelled"
    missing = api.post(
        "/tpp/penalties/2024-08_199001012020121999_00000000/cancel",
        user="tpp.bkpsdm",
        json_body=reason,
    )
    assert missing.status == 404 and missing.json["code"] == "penalty_not_found"
    assert api.post(path, user="staf.kominfo", json_body=reason).status == 403
    listed = api.get(f"/tpp/penalties?month=2024-08&nip={staff.nip}", user="tpp.bkpsdm").json
    assert listed[0]["cancelled"] is not None
    assert paid() == 1_000_000
