"""The organisation API against the emulator: admins change it, everyone reads the org chart,
personnel records stay with admins and hr, and bad input changes nothing."""

from __future__ import annotations

import base64
import os
import uuid
from typing import Any

import pytest
from eoffice import aws
from eoffice.attendance.geo import Circle, Polygon
from eoffice.errors import Conflict
from eoffice.org import store
from support.api import Api
from support.nips import fresh_nip


@pytest.fixture(scope="module")
def kominfo(api: Api) -> dict[str, Any]:
    units = api.get("/units", user="staf.kominfo").json
    return next(unit for unit in units if unit["code"] == "DISKOMINFO-SP")


def new_unit(api: Api, parent_id: str, code: str) -> dict[str, Any]:
    answer = api.post(
        "/units",
        user="admin",
        json_body={
            "code": code,
            "name": f"Bidang Uji {code}",
            "kind": "section",
            "parent_id": parent_id,
        },
    )
    assert answer.status == 201, answer.body
    return answer.json  # type: ignore[no-any-return]


def test_admin_builds_a_unit_position_office_and_employee(
    api: Api, kominfo: dict[str, Any]
) -> None:
    unit = new_unit(api, kominfo["unit_id"], "kominfo.uji")
    assert unit["code"] == "KOMINFO.UJI"
    position = api.post(
        "/positions",
        user="admin",
        json_body={
            "name": "Kepala Bidang Uji",
            "unit_id": unit["unit_id"],
            "is_head": True,
            "echelon": "III.b",
        },
    )
    assert position.status == 201, position.body
    office = api.post(
        "/offices",
        user="admin",
        json_body={
            "name": "Kantor Uji",
            "unit_id": unit["unit_id"],
            "latitude": -2.64,
            "longitude": 121.1,
        },
    )
    assert office.status == 201 and office.json["radius_m"] == 100
    nip = fresh_nip()
    employee = api.post(
        "/employees",
        user="admin",
        json_body={
            "nip": nip,
            "name": "Andi Uji Coba",
            "unit_id": unit["unit_id"],
            "position_id": position.json["position_id"],
            "roles": ["head"],
            "tpp_amount": 7_500_000,
            "office_ids": [office.json["office_id"]],
            "username": "Andi.Uji",
            "email": "andi.uji@lutimkab.go.id",
        },
    )
    assert employee.status == 201, employee.body
    assert employee.json["username"] == "andi.uji"
    assert employee.json["office_ids"] == [office.json["office_id"]]
    me = api.get("/me", user="andi.uji").json
    assert me["unit"]["code"] == "KOMINFO.UJI"
    assert me["roles"] == ["head"]
    listed = api.get(f"/employees?unit={unit['unit_id']}", user="tpp.bkpsdm").json["items"]
    assert [e["nip"] for e in listed] == [nip]
    assert (
        api.get(f"/positions?unit={unit['unit_id']}", user="staf.kominfo").json[0]["is_head"]
        is True
    )
    assert (
        api.get(f"/offices?unit={unit['unit_id']}", user="staf.kominfo").json[0]["name"]
        == "Kantor Uji"
    )


def test_unit_codes_are_unique(api: Api, kominfo: dict[str, Any]) -> None:
    answer = api.post(
        "/units",
        user="admin",
        json_body={
            "code": "DISKOMINFO-SP",
            "name": "Duplikat",
            "kind": "section",
            "parent_id": kominfo["unit_id"],
        },
    )
    assert answer.status == 409
    assert answer.content_type == "application/problem+json"


def test_unit_rename_and_code_change_frees_the_old_code(api: Api, kominfo: dict[str, Any]) -> None:
    unit = new_unit(api, kominfo["unit_id"], "OLD-CODE")
    changed = api.patch(
        f"/units/{unit['unit_id']}",
        user="admin",
        json_body={"code": "NEW-CODE", "name": "Bidang Baru"},
    )
    assert changed.status == 200 and changed.json["code"] == "NEW-CODE"
    assert new_unit(api, kominfo["unit_id"], "OLD-CODE")["code"] == "OLD-CODE"


def test_a_unit_cannot_move_below_itself(api: Api, kominfo: dict[str, Any]) -> None:
    parent = new_unit(api, kominfo["unit_id"], "CYCLE-A")
    child = new_unit(api, parent["unit_id"], "CYCLE-B")
    answer = api.patch(
        f"/units/{parent['unit_id']}", user="admin", json_body={"parent_id": child["unit_id"]}
    )
    assert answer.status == 422
    assert answer.json["code"] == "invalid_parent"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"nip": "12345"}, "nip"),
        ({"nip": "199013012015011001"}, "nip"),  # month 13
        ({"username": "a b"}, "username"),
        ({"roles": ["king"]}, "roles"),
        ({"tpp_amount": -1}, "tpp_amount"),
    ],
)
def test_invalid_employee_is_refused_with_field_errors(
    api: Api, kominfo: dict[str, Any], change: dict[str, Any], field: str
) -> None:
    body = {
        "nip": fresh_nip(),
        "name": "Salah Isian",
        "unit_id": kominfo["unit_id"],
        "username": "salah.isian",
    }
    body.update(change)
    answer = api.post("/employees", user="admin", json_body=body)
    assert answer.status == 422
    assert answer.content_type == "application/problem+json"
    assert answer.json["code"] == "validation_failed"
    assert any(field in error["location"] for error in answer.json["errors"])
    assert api.get(f"/employees/{body['nip']}", user="admin").status == 404


def test_duplicate_nip_or_username_conflicts(api: Api, kominfo: dict[str, Any]) -> None:
    first = {
        "nip": fresh_nip(),
        "name": "Pertama",
        "unit_id": kominfo["unit_id"],
        "username": "pertama.uji",
    }
    assert api.post("/employees", user="admin", json_body=first).status == 201
    same_username = {**first, "nip": fresh_nip()}
    answer = api.post("/employees", user="admin", json_body=same_username)
    assert answer.status == 409 and answer.json["code"] == "employee_exists"
    assert api.get(f"/employees/{same_username['nip']}", user="admin").status == 404


def test_employee_in_unknown_unit_is_refused(api: Api) -> None:
    body = {"nip": fresh_nip(), "name": "Tanpa Unit", "unit_id": "nope", "username": "tanpa.unit"}
    answer = api.post("/employees", user="admin", json_body=body)
    assert answer.status == 404 and answer.json["code"] == "unit_not_found"


def test_personnel_records_are_for_admin_hr_and_oneself(api: Api) -> None:
    me = api.get("/me", user="staf.kominfo").json["employee"]
    assert api.get(f"/employees/{me['nip']}", user="staf.kominfo").status == 200
    other = api.get("/me", user="tu.kominfo").json["employee"]["nip"]
    assert api.get(f"/employees/{other}", user="staf.kominfo").status == 403
    assert api.get(f"/employees/{other}", user="tpp.bkpsdm").status == 200
    assert api.get("/employees", user="kadis.kominfo").status == 403


def test_employee_list_pages_with_a_cursor(api: Api) -> None:
    seen: list[str] = []
    cursor = None
    for _ in range(100):
        query = "/employees?limit=7" + (f"&cursor={cursor}" if cursor else "")
        page = api.get(query, user="admin").json
        seen.extend(e["nip"] for e in page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) >= 20
    assert api.get("/employees?cursor=%%%", user="admin").json["code"] == "invalid_cursor"


def test_made_up_or_foreign_cursors_are_client_errors(api: Api, kominfo: dict[str, Any]) -> None:
    made_up = base64.urlsafe_b64encode(b'{"foo": {"S": "x"}}').decode()
    assert api.get(f"/employees?cursor={made_up}", user="admin").json["code"] == "invalid_cursor"
    page = api.get("/employees?limit=1", user="admin").json
    other_unit = f"/employees?unit={kominfo['unit_id']}&cursor={page['next_cursor']}"
    answer = api.get(other_unit, user="admin")
    assert answer.status == 422 and answer.json["code"] == "invalid_cursor"


def test_update_refuses_a_stale_version(api: Api, kominfo: dict[str, Any]) -> None:
    body = {
        "nip": fresh_nip(),
        "name": "Dua Penyunting",
        "unit_id": kominfo["unit_id"],
        "username": "dua.penyunting",
    }
    assert api.post("/employees", user="admin", json_body=body).status == 201
    record = store.employee_record(body["nip"])
    assert record is not None
    employee, version = record
    assert (
        api.patch(
            f"/employees/{body['nip']}", user="admin", json_body={"tpp_amount": 5_000_000}
        ).status
        == 200
    )
    with pytest.raises(Conflict):
        store.update_employee(employee.model_copy(update={"tpp_amount": 1}), version)
    assert api.get(f"/employees/{body['nip']}", user="admin").json["tpp_amount"] == 5_000_000


def test_acting_assignment_shows_in_me(api: Api) -> None:
    head_position = api.get("/me", user="kadis.kominfo").json["employee"]["position_id"]
    actor = api.get("/me", user="tu.kominfo").json["employee"]["nip"]
    from eoffice import clock

    today = clock.today().isoformat()
    answer = api.post(
        "/acting-assignments",
        user="admin",
        json_body={
            "actor_nip": actor,
            "position_id": head_position,
            "capacity": "plh",
            "starts_on": today,
            "ends_on": today,
            "decree_number": "800/1/KOMINFO/2026",
        },
    )
    assert answer.status == 201, answer.body
    me = api.get("/me", user="tu.kominfo").json
    assert [(a["capacity"], a["position_id"]) for a in me["acting"]] == [("plh", head_position)]
    listed = api.get("/acting-assignments", user="admin").json
    assert any(a["acting_id"] == answer.json["acting_id"] for a in listed)


def test_acting_needs_a_head_position_and_ordered_dates(api: Api) -> None:
    staff = api.get("/me", user="staf.kominfo").json["employee"]
    body = {
        "actor_nip": staff["nip"],
        "position_id": staff["position_id"],
        "capacity": "plt",
        "starts_on": "2026-01-02",
        "ends_on": "2026-01-03",
    }
    assert (
        api.post("/acting-assignments", user="admin", json_body=body).json["code"]
        == "not_a_head_position"
    )
    body["ends_on"] = "2026-01-01"
    assert api.post("/acting-assignments", user="admin", json_body=body).status == 422


# ---------------------------------------------------------------- fences and employees' offices
def fresh_unit(api: Api, kominfo: dict[str, Any]) -> dict[str, Any]:
    return new_unit(api, kominfo["unit_id"], f"GEO-{uuid.uuid4().hex[:8]}")


def new_office(api: Api, unit_id: str, **fields: Any) -> dict[str, Any]:
    body = {"name": "Kantor Uji", "unit_id": unit_id, "latitude": -2.6396, "longitude": 121.1006}
    answer = api.post("/offices", user="admin", json_body={**body, **fields})
    assert answer.status == 201, answer.body
    return answer.json  # type: ignore[no-any-return]


def new_person(api: Api, unit_id: str, **fields: Any) -> Any:
    number = fresh_nip()
    body = {
        "nip": number,
        "name": "Pegawai Kantor",
        "unit_id": unit_id,
        "username": f"kantor.{number[-6:]}.{uuid.uuid4().hex[:4]}",
    }
    return api.post("/employees", user="admin", json_body={**body, **fields})


def points(*pairs: tuple[float, float]) -> list[dict[str, float]]:
    return [{"latitude": lat, "longitude": lon} for lat, lon in pairs]


# About 110 m by 100 m around the Kantor Bupati hilltop, Malili.
BLOCK = ((-2.6400, 121.1000), (-2.6400, 121.1009), (-2.6390, 121.1009), (-2.6390, 121.1000))


def test_office_with_a_polygon_fences_by_the_polygon(api: Api, kominfo: dict[str, Any]) -> None:
    unit = fresh_unit(api, kominfo)
    office = new_office(
        api, unit["unit_id"], latitude=-2.6395, longitude=121.10045, polygon=points(*BLOCK)
    )
    assert office["polygon"] == points(*BLOCK)
    listed = api.get(f"/offices?unit={unit['unit_id']}", user="staf.kominfo").json
    assert [o["polygon"] for o in listed] == [points(*BLOCK)]
    # The check-in reads offices with the low-level client, in a BatchGetItem of its own.
    raw = aws.client("dynamodb").get_item(
        TableName=os.environ["ORG_TABLE"], Key=store.office_key(office["office_id"])
    )["Item"]
    stored = store.office_from_raw(raw)
    assert stored.polygon is not None
    fence = stored.fence()
    assert isinstance(fence, Polygon)
    assert fence.distance_outside(-2.6395, 121.10045) == 0.0
    assert 100 < fence.distance_outside(-2.6395, 121.1020) < 130  # ~123 m east of the east edge
    # Redrawn: the new polygon is the fence.
    smaller = BLOCK[:3]
    redrawn = api.patch(
        f"/offices/{office['office_id']}", user="admin", json_body={"polygon": points(*smaller)}
    )
    assert redrawn.status == 200 and redrawn.json["polygon"] == points(*smaller)
    triangle = store.get_office(office["office_id"])
    assert triangle is not None and triangle.polygon == stored.polygon[:3]
    assert triangle.fence().distance_outside(-2.6392, 121.1001) > 0  # beyond the diagonal
    assert triangle.fence().distance_outside(-2.6399, 121.1008) == 0.0
    # Back to the circle: the point and radius were kept.
    changed = api.patch(
        f"/offices/{office['office_id']}", user="admin", json_body={"polygon": None}
    )
    assert changed.status == 200 and changed.json["polygon"] is None
    circle = store.get_office(office["office_id"])
    assert circle is not None and isinstance(circle.fence(), Circle)
    assert circle.fence().distance_outside(-2.6395, 121.1020) > 0


@pytest.mark.parametrize(
    ("polygon", "problem"),
    [
        (((-2.64, 121.10), (-2.639, 121.101), (-2.64, 121.101), (-2.639, 121.10)), "crosses"),
        (((-2.64, 121.10), (-2.639, 121.101)), "got 2"),
        (((-2.64, 121.10), (-2.64, 121.16), (-2.639, 121.10)), "km from vertex 1"),
    ],
)
def test_invalid_polygon_is_refused_and_nothing_saved(
    api: Api, kominfo: dict[str, Any], polygon: tuple[tuple[float, float], ...], problem: str
) -> None:
    unit = fresh_unit(api, kominfo)
    body = {
        "name": "Kantor Salah",
        "unit_id": unit["unit_id"],
        "latitude": -2.64,
        "longitude": 121.10,
        "polygon": points(*polygon),
    }
    answer = api.post("/offices", user="admin", json_body=body)
    assert answer.status == 422 and answer.json["code"] == "invalid_polygon"
    assert problem in answer.json["detail"]
    assert api.get(f"/offices?unit={unit['unit_id']}", user="admin").json == []
    office = new_office(api, unit["unit_id"], polygon=points(*BLOCK))
    answer = api.patch(
        f"/offices/{office['office_id']}", user="admin", json_body={"polygon": points(*polygon)}
    )
    assert answer.status == 422 and answer.json["code"] == "invalid_polygon"
    assert api.get(f"/offices?unit={unit['unit_id']}", user="admin").json == [office]


def test_a_new_employee_gets_every_office_of_his_unit(api: Api, kominfo: dict[str, Any]) -> None:
    unit = fresh_unit(api, kominfo)
    first = new_office(api, unit["unit_id"], name="Gedung A")
    second = new_office(api, unit["unit_id"], name="Gedung B", polygon=points(*BLOCK))
    answer = new_person(api, unit["unit_id"])
    assert answer.status == 201, answer.body
    assert sorted(answer.json["office_ids"]) == sorted([first["office_id"], second["office_id"]])
    stored = api.get(f"/employees/{answer.json['nip']}", user="admin").json
    assert sorted(stored["office_ids"]) == sorted(answer.json["office_ids"])
    # A section without offices of its own works in its agency's building.
    empty = fresh_unit(api, kominfo)
    agency = api.get(f"/offices?unit={kominfo['unit_id']}", user="admin").json
    assert agency, "the demo agency has an office"
    expected = sorted(office["office_id"] for office in agency)
    assert sorted(new_person(api, empty["unit_id"]).json["office_ids"]) == expected


def test_explicit_office_ids_are_kept(api: Api, kominfo: dict[str, Any]) -> None:
    unit = fresh_unit(api, kominfo)
    own = new_office(api, unit["unit_id"])
    elsewhere = new_office(api, fresh_unit(api, kominfo)["unit_id"], name="Gedung Bersama")
    named = new_person(api, unit["unit_id"], office_ids=[elsewhere["office_id"]])
    assert named.status == 201 and named.json["office_ids"] == [elsewhere["office_id"]]
    none = new_person(api, unit["unit_id"], office_ids=[])
    assert none.status == 201 and none.json["office_ids"] == []
    nip = named.json["nip"]
    # A change that names no offices keeps them; naming them replaces them.
    kept = api.patch(f"/employees/{nip}", user="admin", json_body={"tpp_amount": 1_000_000})
    assert kept.json["office_ids"] == [elsewhere["office_id"]]
    both = [own["office_id"], elsewhere["office_id"]]
    replaced = api.patch(f"/employees/{nip}", user="admin", json_body={"office_ids": both})
    assert replaced.status == 200 and replaced.json["office_ids"] == both
    assert api.get(f"/employees/{nip}", user="admin").json["office_ids"] == both


def test_moving_to_another_unit_takes_its_offices(api: Api, kominfo: dict[str, Any]) -> None:
    old_unit, new_unit_ = fresh_unit(api, kominfo), fresh_unit(api, kominfo)
    old_office = new_office(api, old_unit["unit_id"])
    new_offices = [new_office(api, new_unit_["unit_id"], name=f"Gedung {n}") for n in "AB"]
    person = new_person(api, old_unit["unit_id"]).json
    assert person["office_ids"] == [old_office["office_id"]]
    moved = api.patch(
        f"/employees/{person['nip']}", user="admin", json_body={"unit_id": new_unit_["unit_id"]}
    )
    assert moved.status == 200, moved.body
    assert sorted(moved.json["office_ids"]) == sorted(o["office_id"] for o in new_offices)
    # Moving back while naming the offices keeps the ones named.
    back = api.patch(
        f"/employees/{person['nip']}",
        user="admin",
        json_body={"unit_id": old_unit["unit_id"], "office_ids": [new_offices[0]["office_id"]]},
    )
    assert back.json["unit_id"] == old_unit["unit_id"]
    assert back.json["office_ids"] == [new_offices[0]["office_id"]]


def test_unknown_or_repeated_office_ids_are_refused(api: Api, kominfo: dict[str, Any]) -> None:
    unit = fresh_unit(api, kominfo)
    office = new_office(api, unit["unit_id"])
    unknown = new_person(api, unit["unit_id"], office_ids=[office["office_id"], "no-such-office"])
    assert unknown.status == 422 and unknown.json["code"] == "invalid_office"
    assert "no-such-office" in unknown.json["detail"]
    assert api.get(f"/employees?unit={unit['unit_id']}", user="admin").json["items"] == []
    repeated = new_person(api, unit["unit_id"], office_ids=[office["office_id"]] * 2)
    assert repeated.status == 422 and repeated.json["code"] == "validation_failed"
    too_many = new_person(api, unit["unit_id"], office_ids=[f"o{i}" for i in range(11)])
    assert too_many.status == 422 and too_many.json["code"] == "validation_failed"
    person = new_person(api, unit["unit_id"]).json
    answer = api.patch(
        f"/employees/{person['nip']}", user="admin", json_body={"office_ids": ["no-such-office"]}
    )
    assert answer.status == 422 and answer.json["code"] == "invalid_office"
    assert api.get(f"/employees/{person['nip']}", user="admin").json["office_ids"] == [
        office["office_id"]
    ]


def test_an_employee_stored_with_one_office_id_reads_as_a_list(
    api: Api, kominfo: dict[str, Any]
) -> None:
    unit = fresh_unit(api, kominfo)
    office = new_office(api, unit["unit_id"])
    person = new_person(api, unit["unit_id"], office_ids=[]).json
    # An item as written before employees had several offices.
    aws.client("dynamodb").update_item(
        TableName=os.environ["ORG_TABLE"],
        Key={"pk": {"S": f"EMP#{person['nip']}"}, "sk": {"S": "EMPLOYEE"}},
        UpdateExpression="REMOVE office_ids SET office_id = :office",
        ExpressionAttributeValues={":office": {"S": office["office_id"]}},
    )
    stored = api.get(f"/employees/{person['nip']}", user="admin").json
    assert stored["office_ids"] == [office["office_id"]]
    # Saving it again writes the list.
    api.patch(f"/employees/{person['nip']}", user="admin", json_body={"tpp_amount": 1})
    item = aws.client("dynamodb").get_item(
        TableName=os.environ["ORG_TABLE"],
        Key={"pk": {"S": f"EMP#{person['nip']}"}, "sk": {"S": "EMPLOYEE"}},
    )["Item"]
    assert item["office_ids"] == {"L": [{"S": office["office_id"]}]}
    assert "office_id" not in item


def test_a_new_office_reaches_the_employees_who_have_none(api: Api) -> None:
    root = next(u for u in api.get("/units", user="admin").json if u["parent_id"] is None)
    unit, other = (new_unit(api, root["unit_id"], f"LATE-{uuid.uuid4().hex[:8]}") for _ in "12")
    below = new_unit(api, unit["unit_id"], f"LATE-{uuid.uuid4().hex[:8]}")
    elsewhere = new_office(api, other["unit_id"], name="Gedung Lain")
    # Imported before the unit had any office: they hold none.
    early = new_person(api, unit["unit_id"], office_ids=[]).json
    early_below = new_person(api, below["unit_id"], office_ids=[]).json
    placed = new_person(api, below["unit_id"], office_ids=[elsewhere["office_id"]]).json
    gone = new_person(api, unit["unit_id"], office_ids=[]).json
    api.patch(f"/employees/{gone['nip']}", user="admin", json_body={"active": False})
    assert early["office_ids"] == early_below["office_ids"] == []

    office = new_office(api, unit["unit_id"], name="Kantor Baru")

    def offices(person: dict[str, Any]) -> list[str]:
        stored = api.get(f"/employees/{person['nip']}", user="admin").json["office_ids"]
        return stored  # type: ignore[no-any-return]

    assert offices(early) == offices(early_below) == [office["office_id"]]
    assert offices(placed) == [elsewhere["office_id"]]
    assert offices(gone) == []
    # A unit below with an office of its own defaults to it, not to a later one above.
    new_office(api, below["unit_id"], name="Kantor Bidang")
    later = new_person(api, below["unit_id"], office_ids=[]).json
    new_office(api, unit["unit_id"], name="Kantor Baru 2")
    assert offices(later) == []
    assert offices(early_below) == [office["office_id"]]


# ---------------------------------------------------------------- employment dates (TMT)
def test_employment_dates_on_create_update_and_the_stored_item(
    api: Api, kominfo: dict[str, Any]
) -> None:
    created = new_person(api, kominfo["unit_id"], employed_from="2026-11-11")
    assert created.status == 201, created.body
    nip = created.json["nip"]
    assert (created.json["employed_from"], created.json["employed_until"]) == ("2026-11-11", None)
    item = aws.client("dynamodb").get_item(
        TableName=os.environ["ORG_TABLE"],
        Key={"pk": {"S": f"EMP#{nip}"}, "sk": {"S": "EMPLOYEE"}},
    )["Item"]
    assert item["employed_from"] == {"S": "2026-11-11"} and "employed_until" not in item
    # A change of one date keeps the other; null clears.
    left = api.patch(f"/employees/{nip}", user="admin", json_body={"employed_until": "2027-03-31"})
    assert left.status == 200, left.body
    assert (left.json["employed_from"], left.json["employed_until"]) == ("2026-11-11", "2027-03-31")
    kept = api.patch(f"/employees/{nip}", user="admin", json_body={"tpp_amount": 2_000_000})
    assert kept.json["employed_until"] == "2027-03-31"
    cleared = api.patch(f"/employees/{nip}", user="admin", json_body={"employed_from": None})
    assert (cleared.json["employed_from"], cleared.json["employed_until"]) == (None, "2027-03-31")
    stored = api.get(f"/employees/{nip}", user="tpp.bkpsdm").json
    assert (stored["employed_from"], stored["employed_until"]) == (None, "2027-03-31")


def test_an_employee_without_dates_answers_nulls(api: Api, kominfo: dict[str, Any]) -> None:
    created = new_person(api, kominfo["unit_id"])
    assert (created.json["employed_from"], created.json["employed_until"]) == (None, None)
    item = aws.client("dynamodb").get_item(
        TableName=os.environ["ORG_TABLE"],
        Key={"pk": {"S": f"EMP#{created.json['nip']}"}, "sk": {"S": "EMPLOYEE"}},
    )["Item"]
    assert "employed_from" not in item and "employed_until" not in item


def test_employment_ending_before_it_starts_is_refused(api: Api, kominfo: dict[str, Any]) -> None:
    backwards = new_person(
        api, kominfo["unit_id"], employed_from="2026-11-11", employed_until="2026-11-10"
    )
    assert backwards.status == 422 and backwards.json["code"] == "invalid_employment_dates"
    # The same day is a one-day employment.
    one_day = new_person(
        api, kominfo["unit_id"], employed_from="2026-11-11", employed_until="2026-11-11"
    )
    assert one_day.status == 201, one_day.body
    nip = one_day.json["nip"]
    # A change is judged against the date it leaves in place, and changes nothing when refused.
    answer = api.patch(
        f"/employees/{nip}", user="admin", json_body={"employed_until": "2026-11-01"}
    )
    assert answer.status == 422 and answer.json["code"] == "invalid_employment_dates"
    answer = api.patch(f"/employees/{nip}", user="admin", json_body={"employed_from": "2026-12-01"})
    assert answer.status == 422 and answer.json["code"] == "invalid_employment_dates"
    stored = api.get(f"/employees/{nip}", user="admin").json
    assert (stored["employed_from"], stored["employed_until"]) == ("2026-11-11", "2026-11-11")
    not_a_date = api.patch(f"/employees/{nip}", user="admin", json_body={"employed_from": "11/11"})
    assert not_a_date.status == 422 and not_a_date.json["code"] == "validation_failed"


def test_attendance_days_outside_employment_are_not_employed(
    api: Api, kominfo: dict[str, Any]
) -> None:
    person = new_person(
        api, kominfo["unit_id"], employed_from="2025-05-14", employed_until="2025-05-27"
    )
    assert person.status == 201, person.body
    nip = person.json["nip"]
    answer = api.get(f"/attendance/employees/{nip}?month=2025-05", user="tpp.bkpsdm")
    assert answer.status == 200, answer.body
    status = {int(day["day"][-2:]): day["status"] for day in answer.json["days"]}
    outside = {n: s for n, s in status.items() if n < 14 or n > 27}
    inside = {n: s for n, s in status.items() if 14 <= n <= 27}
    # Outside: his schedule's working days are not his; days off stay days off.
    assert set(outside.values()) == {"not_employed", "day_off"}
    assert (outside[2], outside[28], outside[3]) == ("not_employed", "not_employed", "day_off")
    # Inside, nothing recorded: TK on every working day, as for anyone.
    assert set(inside.values()) == {"absent", "day_off"}
    assert (inside[14], inside[27]) == ("absent", "absent")
    # Without dates the same month is TK throughout.
    api.patch(
        f"/employees/{nip}",
        user="admin",
        json_body={"employed_from": None, "employed_until": None},
    )
    again = api.get(f"/attendance/employees/{nip}?month=2025-05", user="tpp.bkpsdm").json
    assert "not_employed" not in {day["status"] for day in again["days"]}
    assert again["days"][1]["status"] == "absent"


# ---------------------------------------------------------------- found by the fuzzer (issue 14)
def test_null_for_a_field_a_record_must_have_is_refused(api: Api, kominfo: dict[str, Any]) -> None:
    """PATCH with ``"active": null`` used to reach DynamoDB and fail there (500); a field a
    record may lack (a position's echelon) is still cleared by null."""
    unit = fresh_unit(api, kominfo)
    path = f"/units/{unit['unit_id']}"
    answer = api.patch(path, user="admin", json_body={"active": None, "name": "Nama Baru"})
    assert (answer.status, answer.json["code"]) == (422, "validation_failed"), answer.body
    assert [e["location"] for e in answer.json["errors"]] == ["body.active"]
    assert api.get(path, user="admin").json == unit
    position = api.post(
        "/positions",
        user="admin",
        json_body={"name": "Kepala Uji", "unit_id": unit["unit_id"], "echelon": "IV.a"},
    ).json
    path = f"/positions/{position['position_id']}"
    answer = api.patch(path, user="admin", json_body={"is_head": None})
    assert (answer.status, answer.json["code"]) == (422, "validation_failed"), answer.body
    cleared = api.patch(path, user="admin", json_body={"echelon": None})
    assert (cleared.status, cleared.json["echelon"]) == (200, None), cleared.body
    nip = new_person(api, unit["unit_id"]).json["nip"]
    answer = api.patch(f"/employees/{nip}", user="admin", json_body={"active": None})
    assert (answer.status, answer.json["code"]) == (422, "validation_failed"), answer.body
    assert api.get(f"/employees/{nip}", user="admin").json["active"] is True


def test_coordinates_keep_seven_decimals(api: Api, kominfo: dict[str, Any]) -> None:
    """2e-190 is a latitude DynamoDB cannot store (magnitude below 1e-130): it used to fail the
    write (500). Seven decimals are about a centimetre."""
    unit = fresh_unit(api, kominfo)
    office = new_office(api, unit["unit_id"], latitude=2.1436923855781087e-190)
    assert office["latitude"] == 0.0
    moved = api.patch(
        f"/offices/{office['office_id']}",
        user="admin",
        json_body={"latitude": -2.63961234567, "longitude": 121.10061234567},
    )
    assert (moved.json["latitude"], moved.json["longitude"]) == (-2.6396123, 121.1006123)


def test_an_email_must_be_ascii_with_a_real_domain(api: Api, kominfo: dict[str, Any]) -> None:
    """It goes into signing certificates (IA5String) and Cognito's mail: a non-ASCII one used to
    fail the CSR of a new signing key (500)."""
    for email in ("\U0003520c@lutimkab.go.id", "budi@lutimkab..go.id", "budi@-x.id"):
        answer = api.post(
            "/signing/keys", user="admin", json_body={"common_name": "Segel Uji", "email": email}
        )
        assert (answer.status, answer.json["code"]) == (422, "validation_failed"), email
        answer = new_person(api, kominfo["unit_id"], email=email)
        assert (answer.status, answer.json["code"]) == (422, "validation_failed"), email
    assert new_person(api, kominfo["unit_id"], email="budi.s+tte@lutimkab.go.id").status == 201
