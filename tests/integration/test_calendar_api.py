"""The working calendar through the API: everyone reads a year's days off; admins and hr replace
them. Writes use years far from the ones dispositions count on (2026, 2027), one per test."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from eoffice.attendance.schedules import regency_working_calendar
from support.api import Api
from support.organisation import NIP


def put_year(api: Api, year: int | str, days: list[dict[str, Any]], user: str = "admin") -> Any:
    return api.call("PUT", f"/calendar/{year}", user=user, json_body={"days_off": days})


def day(on: str, name: str = "Hari libur uji", kind: str = "regional") -> dict[str, str]:
    return {"on": on, "name": name, "kind": kind}


# ---------------------------------------------------------------- reading
@pytest.mark.parametrize("user", ["staf.kominfo", "tu.kominfo", "bupati"])
def test_everyone_reads_the_2026_calendar(api: Api, user: str) -> None:
    answer = api.get("/calendar/2026", user=user)
    assert answer.status == 200, answer.body
    calendar = answer.json
    assert calendar["year"] == 2026
    days = {d["on"]: d for d in calendar["days_off"]}
    assert days["2026-12-24"]["kind"] == "cuti_bersama"
    assert days["2026-12-25"]["kind"] == "national"
    assert "Natal" in days["2026-12-25"]["name"]
    for idul_fitri in ["2026-03-20", "2026-03-21", "2026-03-22", "2026-03-23", "2026-03-24"]:
        assert idul_fitri in days, idul_fitri
        assert "Idul Fitri" in days[idul_fitri]["name"]
    assert days["2026-03-20"]["kind"] == "cuti_bersama"
    assert days["2026-03-21"]["kind"] == "national"
    listed = [d["on"] for d in calendar["days_off"]]
    assert listed == sorted(listed) and len(set(listed)) == len(listed)
    assert all(on.startswith("2026-") for on in listed)


def test_reading_needs_a_sign_in(api: Api) -> None:
    assert api.get("/calendar/2026").status == 401


def test_a_year_never_entered_has_weekends_only(api: Api) -> None:
    answer = api.get("/calendar/2086", user="staf.kominfo")
    assert answer.status == 200, answer.body
    assert answer.json["year"] == 2086
    assert answer.json["days_off"] == []
    assert answer.json["ramadan"] is None
    assert answer.json.get("updated_at") is None
    # Not silently a year without holidays: it says nobody entered it.
    assert answer.json["configured"] is False
    assert api.get("/calendar/2026", user="staf.kominfo").json["configured"] is True


@pytest.mark.parametrize("year", [1999, 2101, 0])
def test_a_year_out_of_range_is_rejected(api: Api, year: int) -> None:
    got = api.get(f"/calendar/{year}", user="staf.kominfo")
    assert got.status == 422 and got.json["code"] == "invalid_year", got.body
    put = put_year(api, year, [])
    assert put.status == 422 and put.json["code"] == "invalid_year", put.body


def test_a_year_that_is_no_number_is_rejected(api: Api) -> None:
    answer = api.get("/calendar/tahun-ini", user="staf.kominfo")
    assert answer.status == 422, answer.body
    assert answer.json["code"] == "validation_failed"


# ---------------------------------------------------------------- maintaining
def test_admin_replaces_a_year(api: Api) -> None:
    days = [
        day("2087-12-25", "Hari Raya Natal", "national"),
        day("2087-01-01", "Tahun Baru", "national"),
        day("2087-05-08", "Hari jadi Luwu Timur"),
    ]
    answer = put_year(api, 2087, days)
    assert answer.status == 200, answer.body
    saved = answer.json
    assert saved["year"] == 2087
    assert [d["on"] for d in saved["days_off"]] == ["2087-01-01", "2087-05-08", "2087-12-25"]
    assert saved["updated_by"] == NIP["admin"] and saved["updated_at"]
    assert saved["ramadan"] is None  # none sent: none kept
    assert api.get("/calendar/2087", user="staf.kominfo").json == saved

    # The list replaces the previous one as a whole.
    again = put_year(api, 2087, [day("2087-08-18", "Cuti bersama Kemerdekaan", "cuti_bersama")])
    assert again.status == 200, again.body
    read = api.get("/calendar/2087", user="kadis.kominfo").json
    assert [(d["on"], d["kind"]) for d in read["days_off"]] == [("2087-08-18", "cuti_bersama")]

    # The stored calendar is what the deadlines count on.
    counted = regency_working_calendar(2087, 2087)
    assert counted.unconfigured_years == set()
    assert not counted.is_working_day(date(2087, 8, 18))  # a Monday, now a day off
    assert counted.is_working_day(date(2087, 8, 19))
    assert counted.is_working_day(date(2087, 12, 25))  # no longer listed (a Thursday)

    cleared = put_year(api, 2087, [])
    assert cleared.status == 200 and cleared.json["days_off"] == []
    read = api.get("/calendar/2087", user="staf.kominfo").json
    assert read["days_off"] == [] and read["configured"] is True  # entered: a year without any


def test_hr_maintains_the_calendar(api: Api) -> None:
    answer = put_year(
        api, 2088, [day("2088-03-02", "Cuti bersama uji", "cuti_bersama")], "tpp.bkpsdm"
    )
    assert answer.status == 200, answer.body
    assert answer.json["updated_by"] == NIP["tpp.bkpsdm"]
    assert api.get("/calendar/2088", user="tpp.bkpsdm").json["days_off"][0]["kind"] == (
        "cuti_bersama"
    )


@pytest.mark.parametrize("user", ["staf.kominfo", "tu.kominfo", "kadis.kominfo", "sekda"])
def test_others_may_not_change_it(api: Api, user: str) -> None:
    before = api.get("/calendar/2089", user="admin").json
    answer = put_year(api, 2089, [day("2089-06-01")], user)
    assert answer.status == 403, answer.body
    assert api.get("/calendar/2089", user="admin").json == before


def test_changing_needs_a_sign_in(api: Api) -> None:
    answer = api.call("PUT", "/calendar/2089", json_body={"days_off": []})
    assert answer.status == 401


def test_a_day_outside_the_year_is_rejected(api: Api) -> None:
    assert put_year(api, 2090, [day("2090-04-01")]).status == 200
    answer = put_year(api, 2090, [day("2090-05-01"), day("2091-01-01"), day("2089-12-31")])
    assert answer.status == 422, answer.body
    assert answer.json["code"] == "day_off_outside_year"
    assert "2091-01-01" in answer.json["detail"] and "2089-12-31" in answer.json["detail"]
    # Nothing was saved.
    assert [d["on"] for d in api.get("/calendar/2090", user="admin").json["days_off"]] == [
        "2090-04-01"
    ]


def test_a_date_listed_twice_is_rejected(api: Api) -> None:
    assert put_year(api, 2092, [day("2092-04-01")]).status == 200
    twice = [day("2092-06-01", "Satu"), day("2092-06-01", "Dua", "national")]
    answer = put_year(api, 2092, twice)
    assert answer.status == 422, answer.body
    assert answer.json["code"] == "duplicate_day_off"
    assert [d["on"] for d in api.get("/calendar/2092", user="admin").json["days_off"]] == [
        "2092-04-01"
    ]


@pytest.mark.parametrize(
    "days_off",
    [
        [day("2093-01-02", kind="harpitnas")],  # not a kind of day off
        [day("2093-01-02", name="X")],  # name too short
        [{"on": "2093-02-30", "name": "Tanggal salah"}],  # no such date
        [{"name": "Tanpa tanggal"}],
        [{**day("2093-01-02"), "extra": 1}],
        "2093-01-02",
    ],
)
def test_malformed_days_are_rejected(api: Api, days_off: Any) -> None:
    answer = api.call("PUT", "/calendar/2093", user="admin", json_body={"days_off": days_off})
    assert answer.status == 422, answer.body
    assert answer.json["code"] == "validation_failed"


def test_at_most_a_hundred_days_off(api: Api) -> None:
    first = date(2094, 1, 1).toordinal()
    days = [day(date.fromordinal(first + n).isoformat()) for n in range(101)]
    answer = put_year(api, 2094, days)
    assert answer.status == 422, answer.body
    assert answer.json["code"] == "validation_failed"
    assert put_year(api, 2094, days[:100]).status == 200
