"""Work schedules through the API: everyone reads them; admins and hr set the regency default and
unit exceptions, which sub-units inherit; the calendar carries each year's Ramadan period.

Unit exceptions use fresh units. The regency default is shared by every test running at the same
time, so the one test that replaces it keeps the built-in hours and changes only its name.
Calendar writes use years no other test touches (2095-2097).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from support.api import Api
from support.organisation import NIP, new_unit, unit_of

HOSPITAL: dict[str, Any] = {
    "name": "RSUD: pelayanan setiap hari",
    "workdays": [1, 2, 3, 4, 5, 6, 7],
    "regular": {"start": "07:00", "end": "14:00"},
    "friday": {"start": "07:00", "end": "14:00"},
    "ramadan": {"start": "07:30", "end": "13:30"},
    "ramadan_friday": {"start": "07:30", "end": "13:30"},
    "observes_holidays": False,
}
BUILT_IN_HOURS = {
    "workdays": [1, 2, 3, 4, 5],
    "regular": {"start": "07:30", "end": "16:00"},
    "friday": {"start": "07:30", "end": "16:30"},
    "ramadan": {"start": "08:00", "end": "15:00"},
    "ramadan_friday": {"start": "08:00", "end": "15:30"},
    "observes_holidays": True,
}


def put_unit(api: Api, unit_id: str, body: dict[str, Any], user: str = "tpp.bkpsdm") -> Any:
    return api.call("PUT", f"/attendance/schedules/units/{unit_id}", user=user, json_body=body)


def effective(api: Api, unit_id: str, user: str = "staf.kominfo") -> dict[str, Any]:
    answer = api.get(f"/attendance/schedules/units/{unit_id}", user=user)
    assert answer.status == 200, answer.body
    return answer.json  # type: ignore[no-any-return]


@pytest.fixture
def tree(api: Api) -> tuple[str, str, str]:
    """A fresh unit under Dinas Kominfo, a sub-unit and a sub-sub-unit."""
    dinas = unit_of(api, "kadis.kominfo")
    top = new_unit(api, dinas, head=False)["unit_id"]
    middle = new_unit(api, top, head=False)["unit_id"]
    bottom = new_unit(api, middle, head=False)["unit_id"]
    return top, middle, bottom


# ---------------------------------------------------------------- reading
def test_everyone_reads_the_schedules(api: Api) -> None:
    answer = api.get("/attendance/schedules", user="staf.kominfo")
    assert answer.status == 200, answer.body
    default = answer.json["default"]
    assert default["unit_id"] is None
    assert {k: default["schedule"][k] for k in BUILT_IN_HOURS} == BUILT_IN_HOURS
    assert isinstance(answer.json["units"], list)
    assert api.get("/attendance/schedules").status == 401


def test_a_unit_without_exception_works_by_the_default(
    api: Api, tree: tuple[str, str, str]
) -> None:
    got = effective(api, tree[2])
    assert got["unit_id"] == tree[2]
    assert got["source"] == "default" and got["source_unit_id"] is None
    assert {k: got["schedule"][k] for k in BUILT_IN_HOURS} == BUILT_IN_HOURS


def test_an_unknown_unit(api: Api) -> None:
    missing = f"no-such-unit-{uuid.uuid4().hex[:8]}"
    answer = api.get(f"/attendance/schedules/units/{missing}", user="staf.kominfo")
    assert answer.status == 404 and answer.json["code"] == "unit_not_found", answer.body
    put = put_unit(api, missing, HOSPITAL)
    assert put.status == 404 and put.json["code"] == "unit_not_found", put.body


# ---------------------------------------------------------------- unit exceptions
def test_an_exception_is_inherited_and_falls_back_when_deleted(
    api: Api, tree: tuple[str, str, str]
) -> None:
    top, middle, bottom = tree
    saved = put_unit(api, top, HOSPITAL)
    assert saved.status == 200, saved.body
    assert saved.json["unit_id"] == top
    assert saved.json["schedule"] == HOSPITAL
    assert saved.json["updated_by"] == NIP["tpp.bkpsdm"] and saved.json["updated_at"]

    own = effective(api, top)
    assert (own["source"], own["source_unit_id"], own["schedule"]) == ("unit", top, HOSPITAL)
    inherited = effective(api, bottom)
    assert (inherited["source"], inherited["source_unit_id"]) == ("ancestor", top)
    assert inherited["schedule"] == HOSPITAL

    # The nearest exception wins; the admin may set one too.
    shorter = {**HOSPITAL, "name": "IGD: jaga pagi", "regular": {"start": "06:00", "end": "13:00"}}
    assert put_unit(api, middle, shorter, user="admin").status == 200
    nearest = effective(api, bottom)
    assert (nearest["source"], nearest["source_unit_id"]) == ("ancestor", middle)
    assert nearest["schedule"]["regular"] == {"start": "06:00", "end": "13:00"}

    listed = api.get("/attendance/schedules", user="kadis.kominfo").json["units"]
    mine = {entry["unit_id"]: entry["schedule"]["name"] for entry in listed}
    assert mine[top] == HOSPITAL["name"] and mine[middle] == "IGD: jaga pagi"

    # Deleting the middle unit's exception: the top one applies again; then the default.
    dropped = api.call("DELETE", f"/attendance/schedules/units/{middle}", user="tpp.bkpsdm")
    assert dropped.status == 200, dropped.body
    assert (dropped.json["source"], dropped.json["source_unit_id"]) == ("ancestor", top)
    assert effective(api, bottom)["source_unit_id"] == top
    dropped = api.call("DELETE", f"/attendance/schedules/units/{top}", user="admin")
    assert dropped.status == 200, dropped.body
    assert dropped.json["source"] == "default"
    assert effective(api, bottom)["source"] == "default"
    listed = api.get("/attendance/schedules", user="staf.kominfo").json["units"]
    assert not {top, middle} & {entry["unit_id"] for entry in listed}

    again = api.call("DELETE", f"/attendance/schedules/units/{top}", user="admin")
    assert again.status == 404 and again.json["code"] == "schedule_not_found", again.body


def test_the_planner_reads_exceptions_and_ramadan(api: Api, tree: tuple[str, str, str]) -> None:
    """What the daily status uses: the stored exception, holiday and Ramadan period."""
    from eoffice.attendance import schedules

    top, _, bottom = tree
    assert put_unit(api, top, HOSPITAL).status == 200
    calendar = {
        "days_off": [{"on": "2095-03-01", "name": "Hari libur uji", "kind": "national"}],
        "ramadan": {"first": "2095-02-21", "last": "2095-03-22"},  # illustrative
    }
    assert api.call("PUT", "/calendar/2095", user="admin", json_body=calendar).status == 200
    planner = schedules.planner(date(2095, 2, 28), date(2095, 3, 2))
    # 2095-03-01 is a Tuesday, a holiday in Ramadan: the hospital works, Kominfo does not.
    holiday = date(2095, 3, 1)
    hours, name = planner.hours_on(bottom, holiday)
    assert name is None and hours is not None
    assert (hours.start, hours.end, hours.ramadan) == ("07:30", "13:30", True)
    dinas = unit_of(api, "kadis.kominfo")
    assert planner.hours_on(dinas, holiday) == (None, "Hari libur uji")
    monday = planner.hours_on(dinas, date(2095, 2, 28))[0]
    assert monday is not None and (monday.start, monday.end, monday.ramadan) == (
        "08:00",
        "15:00",
        True,
    )


# ---------------------------------------------------------------- who may change them
@pytest.mark.parametrize("user", ["staf.kominfo", "kadis.kominfo", "tu.kominfo"])
def test_others_may_not_change_schedules(api: Api, tree: tuple[str, str, str], user: str) -> None:
    top = tree[0]
    refused = put_unit(api, top, HOSPITAL, user=user)
    assert refused.status == 403 and refused.json["code"] == "role_required", refused.body
    default = {"name": "Jam kerja lain", **BUILT_IN_HOURS}
    refused = api.call("PUT", "/attendance/schedules/default", user=user, json_body=default)
    assert refused.status == 403, refused.body
    assert effective(api, top)["source"] == "default"

    assert put_unit(api, top, HOSPITAL).status == 200
    refused = api.call("DELETE", f"/attendance/schedules/units/{top}", user=user)
    assert refused.status == 403, refused.body
    assert effective(api, top)["source"] == "unit"


def test_changing_needs_a_sign_in(api: Api, tree: tuple[str, str, str]) -> None:
    answer = api.call("PUT", f"/attendance/schedules/units/{tree[0]}", json_body=HOSPITAL)
    assert answer.status == 401


@pytest.mark.parametrize(
    "change",
    [
        {"regular": {"start": "16:00", "end": "07:30"}},
        {"regular": {"start": "22:00", "end": "06:00"}},  # across midnight: not in v1
        {"friday": {"start": "07:30", "end": "07:30"}},
        {"ramadan": {"start": "8:00", "end": "15:00"}},
        {"ramadan_friday": {"start": "08:00", "end": "24:00"}},
        {"regular": {"start": "07:30"}},
        {"workdays": [1, 8]},
        {"workdays": []},
        {"workdays": [1, 1, 2]},
        {"name": ""},
        {"shift": "malam"},
    ],
)
def test_invalid_schedules_are_refused(
    api: Api, tree: tuple[str, str, str], change: dict[str, Any]
) -> None:
    answer = put_unit(api, tree[0], {**HOSPITAL, **change})
    assert answer.status == 422 and answer.json["code"] == "validation_failed", answer.body
    assert effective(api, tree[0])["source"] == "default"
    default = {"name": "Jam kerja", **BUILT_IN_HOURS, **change}
    answer = api.call("PUT", "/attendance/schedules/default", user="admin", json_body=default)
    assert answer.status == 422, answer.body


def test_hr_replaces_the_default(api: Api, tree: tuple[str, str, str]) -> None:
    # Other tests run meanwhile on the default: keep its hours, change only its name.
    name = f"Jam kerja Pemkab Luwu Timur ({uuid.uuid4().hex[:6]})"
    answer = api.call(
        "PUT",
        "/attendance/schedules/default",
        user="tpp.bkpsdm",
        json_body={"name": name, **BUILT_IN_HOURS},
    )
    assert answer.status == 200, answer.body
    assert answer.json["unit_id"] is None
    assert answer.json["updated_by"] == NIP["tpp.bkpsdm"]
    read = api.get("/attendance/schedules", user="staf.kominfo").json["default"]
    assert read == answer.json
    got = effective(api, tree[2])
    assert (got["source"], got["schedule"]["name"]) == ("default", name)
    # Omitted fields take the regency's usual hours.
    minimal = api.call(
        "PUT", "/attendance/schedules/default", user="admin", json_body={"name": name}
    )
    assert minimal.status == 200, minimal.body
    assert {k: minimal.json["schedule"][k] for k in BUILT_IN_HOURS} == BUILT_IN_HOURS


# ---------------------------------------------------------------- the calendar's Ramadan
def test_the_calendar_keeps_the_ramadan_period(api: Api) -> None:
    ramadan = {"first": "2096-02-10", "last": "2096-03-10"}
    body = {"days_off": [{"on": "2096-03-11", "name": "Idul Fitri (uji)"}], "ramadan": ramadan}
    saved = api.call("PUT", "/calendar/2096", user="tpp.bkpsdm", json_body=body)
    assert saved.status == 200, saved.body
    assert saved.json["ramadan"] == ramadan
    read = api.get("/calendar/2096", user="staf.kominfo").json
    assert read == saved.json and read["ramadan"] == ramadan
    # The whole year is replaced: sent without a period, it has none.
    cleared = api.call("PUT", "/calendar/2096", user="admin", json_body={"days_off": []})
    assert cleared.status == 200 and cleared.json["ramadan"] is None
    assert api.get("/calendar/2096", user="staf.kominfo").json["ramadan"] is None
    # A period may run into the next year; it starts in its own.
    across = {"first": "2096-12-20", "last": "2097-01-18"}
    answer = api.call(
        "PUT", "/calendar/2096", user="admin", json_body={"days_off": [], "ramadan": across}
    )
    assert answer.status == 200 and answer.json["ramadan"] == across


@pytest.mark.parametrize(
    ("ramadan", "code"),
    [
        ({"first": "2097-03-10", "last": "2097-02-10"}, "validation_failed"),
        ({"first": "2097-01-01", "last": "2097-02-01"}, "validation_failed"),  # 32 days
        ({"first": "2096-12-20", "last": "2097-01-18"}, "ramadan_outside_year"),
        ({"first": "2097-02-10"}, "validation_failed"),
        ({"first": "2097-02-10", "last": "2097-03-10", "hijri": 1519}, "validation_failed"),
    ],
)
def test_an_invalid_ramadan_period_is_refused(api: Api, ramadan: dict[str, Any], code: str) -> None:
    before = api.get("/calendar/2097", user="admin").json
    answer = api.call(
        "PUT", "/calendar/2097", user="admin", json_body={"days_off": [], "ramadan": ramadan}
    )
    assert answer.status == 422 and answer.json["code"] == code, answer.body
    assert api.get("/calendar/2097", user="admin").json == before
