"""Whom one may dispose to, as the web app offers it (``GET /me/recipients``), and whose work a
Plt/Plh does (``acting_for`` in ``GET /me``): the same reach the disposition itself checks."""

from __future__ import annotations

from typing import Any

from conftest import Api, Intake
from dispositions_support import (
    NIP,
    make_acting,
    new_employee,
    new_unit,
    registered_letter,
    unit_of,
)


def recipients(api: Api, user: str, query: str = "") -> Any:
    answer = api.get(f"/me/recipients{query}", user=user)
    assert answer.status == 200, answer.body
    return answer.json


def test_a_head_reaches_the_units_below_and_the_people_of_his_unit(
    api: Api, intake: Intake
) -> None:
    kominfo = unit_of(api, "kadis.kominfo")
    section = new_unit(api, kominfo)
    new_employee(api, section["unit_id"], roles=["head"], position_id=section["head_position_id"])
    got = recipients(api, "kadis.kominfo")
    unit_ids = {u["unit_id"] for u in got["units"]}
    assert section["unit_id"] in unit_ids
    assert kominfo not in unit_ids  # his own unit is its people
    assert unit_of(api, "kepala.bkpsdm") not in unit_ids  # another agency is out of reach
    people = {p["nip"] for p in got["people"]}
    assert NIP["staf.kominfo"] in people and NIP["kadis.kominfo"] not in people
    assert got["sender_nip"] == NIP["kadis.kominfo"]
    # Every choice offered is one the API accepts.
    lid = registered_letter(api, intake)["letter_id"]
    body = {
        "recipients": [{"unit_id": section["unit_id"]}, {"nip": NIP["staf.kominfo"]}],
        "instructions": ["tindak_lanjuti"],
    }
    answer = api.post(f"/letters/{lid}/dispositions", user="kadis.kominfo", json_body=body)
    assert answer.status == 201, answer.body


def test_the_bupati_reaches_every_unit(api: Api) -> None:
    got = recipients(api, "bupati")
    all_units = {u["unit_id"] for u in api.get("/units", user="admin").json if u["active"]}
    assert {u["unit_id"] for u in got["units"]} == all_units - {unit_of(api, "bupati")}


def test_a_plt_chooses_in_the_absent_heads_name(api: Api) -> None:
    kominfo = unit_of(api, "kadis.kominfo")
    unit = new_unit(api, kominfo)
    head = new_employee(api, unit["unit_id"], roles=["head"], position_id=unit["head_position_id"])
    staff = new_employee(api, unit["unit_id"])
    plt = new_employee(api, kominfo)
    make_acting(api, plt["nip"], unit["head_position_id"], "plt")

    me = api.get("/me", user=plt["username"]).json
    (acting,) = me["acting_for"]
    assert acting["nip"] == head["nip"] and acting["name"] == head["name"]
    assert acting["capacity"] == "plt" and acting["unit_id"] == unit["unit_id"]
    assert acting["position_id"] == unit["head_position_id"] and acting["position_name"]

    got = recipients(api, plt["username"], f"?on_behalf_of={head['nip']}")
    assert got["sender_nip"] == head["nip"]
    assert {p["nip"] for p in got["people"]} == {staff["nip"]}
    refused = api.get(f"/me/recipients?on_behalf_of={head['nip']}", user="staf.kominfo")
    assert refused.status == 403 and refused.json["code"] == "not_acting_for"


def test_without_acting_me_lists_nobody(api: Api) -> None:
    assert api.get("/me", user="staf.kominfo").json["acting_for"] == []
