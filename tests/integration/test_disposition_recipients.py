"""Whom one may dispose to, as the web app offers it (``GET /me/recipients``), and whose work a
Plt/Plh does (``acting_for`` in ``GET /me``): the same reach the disposition itself checks."""

from __future__ import annotations

from typing import Any

from support.api import Api, Intake
from support.letters import registered_letter
from support.organisation import NIP, make_acting, new_employee, new_unit, unit_of


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


def _vacant_unit_with_plt(api: Api) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """A unit below kominfo whose head post is vacant, one of its staff, and the Plt (of
    kominfo) who acts in that post today."""
    kominfo = unit_of(api, "kadis.kominfo")
    vacant = new_unit(api, kominfo)
    staff = new_employee(api, vacant["unit_id"])
    plt = new_employee(api, kominfo)
    make_acting(api, plt["nip"], vacant["head_position_id"], "plt")
    return vacant, staff, plt


def test_a_plt_of_a_vacant_post_reaches_the_staff_of_the_unit_he_acts_for(
    api: Api, intake: Intake
) -> None:
    vacant, staff, plt = _vacant_unit_with_plt(api)
    (acting,) = api.get("/me", user=plt["username"]).json["acting_for"]
    assert acting["nip"] is None and acting["unit_id"] == vacant["unit_id"]
    clerk = new_employee(api, vacant["unit_id"], roles=["tu"])
    lid = registered_letter(api, intake, clerk=clerk["username"])["letter_id"]

    below = new_unit(api, vacant["unit_id"])
    new_employee(api, below["unit_id"], roles=["head"], position_id=below["head_position_id"])

    got = recipients(api, plt["username"], f"?letter_id={lid}")
    assert got["sender_nip"] == plt["nip"]
    assert {p["nip"] for p in got["people"]} == {staff["nip"], clerk["nip"]}
    assert [u["unit_id"] for u in got["units"]] == [below["unit_id"]]
    # Without the letter: his own unit's people, whom he may not give this letter.
    assert NIP["staf.kominfo"] in {p["nip"] for p in recipients(api, plt["username"])["people"]}
    # The reach for the letter is what the API accepts: every choice offered, not one outside.
    outside = api.post(
        f"/letters/{lid}/dispositions",
        user=plt["username"],
        json_body={"recipients": [{"nip": NIP["staf.kominfo"]}], "instructions": ["arsipkan"]},
    )
    assert outside.status == 403 and outside.json["code"] == "recipient_out_of_reach"
    offered = [{"nip": p["nip"]} for p in got["people"]]
    offered += [{"unit_id": u["unit_id"]} for u in got["units"]]
    body = {"recipients": offered, "instructions": ["arsipkan"]}
    answer = api.post(f"/letters/{lid}/dispositions", user=plt["username"], json_body=body)
    assert answer.status == 201, answer.body
    assert len(answer.json["assignments"]) == 3
    assert answer.json["assignments"][0]["acted_as"] == "plt"


def test_a_plt_of_a_vacant_post_forwards_within_the_unit_he_acts_for(
    api: Api, intake: Intake
) -> None:
    vacant, staff, plt = _vacant_unit_with_plt(api)
    lid = registered_letter(api, intake)["letter_id"]
    to_head = api.post(
        f"/letters/{lid}/dispositions",
        user="kadis.kominfo",
        json_body={"recipients": [{"unit_id": vacant["unit_id"]}], "instructions": ["arsipkan"]},
    )
    assert to_head.status == 201, to_head.body
    (held,) = to_head.json["assignments"]
    assert held["recipient_nip"] == plt["nip"]

    query = f"?letter_id={lid}&parent_assignment_id={held['assignment_id']}"
    got = recipients(api, plt["username"], query)
    assert {p["nip"] for p in got["people"]} == {staff["nip"]}
    assert recipients(api, plt["username"], f"?letter_id={lid}") == got
    outside = api.post(
        f"/letters/{lid}/dispositions",
        user=plt["username"],
        json_body={"recipients": [{"nip": NIP["staf.kominfo"]}], "instructions": ["arsipkan"]},
    )
    assert outside.status == 403 and outside.json["code"] == "recipient_out_of_reach"
    answer = api.post(
        f"/letters/{lid}/dispositions",
        user=plt["username"],
        json_body={
            "recipients": [{"nip": staff["nip"]}],
            "instructions": ["arsipkan"],
            "parent_assignment_id": held["assignment_id"],
        },
    )
    assert answer.status == 201, answer.body


def test_a_letter_one_may_not_see_has_no_reach(api: Api, intake: Intake) -> None:
    lid = registered_letter(api, intake)["letter_id"]
    # A head of another agency, made fresh: other tests make kepala.bkpsdm Plh in Diskominfo.
    stranger = new_employee(api, unit_of(api, "kepala.bkpsdm"), roles=["head"])
    hidden = api.get(f"/me/recipients?letter_id={lid}", user=stranger["username"])
    assert hidden.status == 404 and hidden.json["code"] == "letter_not_found"
    missing = api.get("/me/recipients?letter_id=nope", user="kadis.kominfo")
    assert missing.status == 404
