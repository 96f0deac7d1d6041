"""Acting officials (Plt/Plh) and dispositions through the local runner: the Plt reads the absent
head's inbox, opens and forwards his assignments in his name (recorded as acted by the Plt),
and a unit whose head post is vacant is addressed to the Plt in force."""

from __future__ import annotations

from typing import Any

import pytest
from support.api import Api, Intake
from support.dispositions import assignment_path, dispose
from support.letters import registered_letter
from support.organisation import NIP, make_acting, new_employee, new_unit, unit_of

HEAD = "kadis.kominfo"


@pytest.fixture
def section(api: Api) -> dict[str, Any]:
    """A fresh section below kominfo: its head, a staff member, and a Plt for the head today."""
    kominfo = unit_of(api, HEAD)
    unit = new_unit(api, kominfo)
    head = new_employee(api, unit["unit_id"], roles=["head"], position_id=unit["head_position_id"])
    staff = new_employee(api, unit["unit_id"])
    plt = new_employee(api, kominfo)
    bystander = new_employee(api, kominfo)
    make_acting(api, plt["nip"], unit["head_position_id"], "plt")
    return {"unit": unit, "head": head, "staff": staff, "plt": plt, "bystander": bystander}


def inbox(api: Api, user: str, query: str = "") -> Any:
    return api.get(f"/me/inbox{query}", user=user)


def test_plt_reads_opens_and_forwards_the_heads_assignment(
    api: Api, intake: Intake, section: dict[str, Any]
) -> None:
    head, staff, plt = section["head"], section["staff"], section["plt"]
    lid = registered_letter(api, intake)["letter_id"]
    to_head = dispose(api, HEAD, lid, head["nip"])["assignments"][0]
    assert to_head["recipient_position_id"] == section["unit"]["head_position_id"]

    behalf = f"?on_behalf_of={head['nip']}"
    listed = inbox(api, plt["username"], behalf)
    assert listed.status == 200, listed.body
    assert [a["assignment_id"] for a in listed.json["items"]] == [to_head["assignment_id"]]
    assert inbox(api, plt["username"]).json["items"] == []  # his own inbox is apart
    badge = api.get(f"/me/inbox/summary{behalf}", user=plt["username"])
    assert badge.status == 200 and badge.json["unread"] == 1 and badge.json["open"] == 1
    for outsider in (section["bystander"]["username"], staff["username"], "staf.kominfo"):
        for path in (f"/me/inbox{behalf}", f"/me/inbox/summary{behalf}"):
            refused = api.get(path, user=outsider)
            assert refused.status == 403, (outsider, path)
            assert refused.json["code"] == "not_acting_for", (outsider, path)
        refused = api.get(f"/me/prepared-dispositions{behalf}", user=outsider)
        assert refused.status == 403 and refused.json["code"] == "not_acting_for", outsider

    opened = api.get(assignment_path(to_head), user=plt["username"])
    assert opened.status == 200, opened.body
    assert opened.json["status"] == "read"
    assert opened.json["read_by_nip"] == plt["nip"] and opened.json["read_at"]
    assert api.get(f"/letters/{lid}", user=plt["username"]).status == 200
    # The head's own opening later does not rewrite the receipt.
    again = api.get(assignment_path(to_head), user=head["username"]).json
    assert again["read_by_nip"] == plt["nip"] and again["read_at"] == opened.json["read_at"]

    # A bystander cannot forward it, even naming the head.
    refused = api.post(
        f"/letters/{lid}/dispositions",
        user=section["bystander"]["username"],
        json_body={
            "recipients": [{"nip": staff["nip"]}],
            "instructions": ["tindak_lanjuti"],
            "parent_assignment_id": to_head["assignment_id"],
        },
    )
    assert refused.status == 404 and refused.json["code"] == "letter_not_found", refused.body

    forwarded = dispose(
        api,
        plt["username"],
        lid,
        staff["nip"],
        parent_assignment_id=to_head["assignment_id"],
        note="Segera ditindaklanjuti",
    )
    (child,) = forwarded["assignments"]
    assert child["parent_assignment_id"] == to_head["assignment_id"]
    assert child["sender_nip"] == head["nip"]
    assert child["acted_by_nip"] == plt["nip"]
    assert child["acted_as"] == "plt"
    assert child["recipient_nip"] == staff["nip"]
    assert child["deadline"] <= to_head["deadline"]
    parent = api.get(assignment_path(to_head), user=head["username"]).json
    assert parent["status"] == "in_progress"
    staff_inbox = inbox(api, staff["username"]).json["items"]
    assert [a["assignment_id"] for a in staff_inbox] == [child["assignment_id"]]
    assert api.get(f"/letters/{lid}", user=staff["username"]).status == 200

    history = api.get(f"/letters/{lid}/history", user="tu.kominfo").json
    read_entry, forward_entry = history[-2:]
    assert read_entry["action"] == "assignment_read"
    assert read_entry["actor_nip"] == plt["nip"]
    assert read_entry["details"]["acted_as"] == "plt"
    assert forward_entry["action"] == "forwarded"
    assert forward_entry["actor_nip"] == plt["nip"]
    assert forward_entry["details"]["acted_as"] == "plt"
    assert forward_entry["details"]["sender_nip"] == head["nip"]
    assert forward_entry["details"]["parent_assignment_id"] == to_head["assignment_id"]

    tree = api.get(f"/letters/{lid}/dispositions", user="tu.kominfo").json
    (root,) = tree["roots"]
    assert root["assignment"]["assignment_id"] == to_head["assignment_id"]
    assert [c["assignment"]["assignment_id"] for c in root["children"]] == [child["assignment_id"]]


def test_plt_disposes_in_the_heads_name_with_on_behalf_of(
    api: Api, intake: Intake, section: dict[str, Any]
) -> None:
    """Without naming the assignment: ``on_behalf_of`` finds the head's open one and forwards
    it; a bystander naming the head is refused."""
    head, staff, plt = section["head"], section["staff"], section["plt"]
    bystander = section["bystander"]
    lid = registered_letter(api, intake)["letter_id"]
    to_head = dispose(api, HEAD, lid, head["nip"])["assignments"][0]
    dispose(api, HEAD, lid, bystander["nip"])  # he may see the letter, but not act for the head
    refused = api.post(
        f"/letters/{lid}/dispositions",
        user=section["bystander"]["username"],
        json_body={
            "recipients": [{"nip": staff["nip"]}],
            "instructions": ["tindak_lanjuti"],
            "on_behalf_of": head["nip"],
        },
    )
    assert refused.status == 403 and refused.json["code"] == "not_acting_for", refused.body
    # Straight from the head's inbox, without opening it first.
    assert api.get(f"/letters/{lid}", user=plt["username"]).status == 404
    (child,) = dispose(api, plt["username"], lid, staff["nip"], on_behalf_of=head["nip"])[
        "assignments"
    ]
    assert api.get(f"/letters/{lid}", user=plt["username"]).status == 200
    assert child["parent_assignment_id"] == to_head["assignment_id"]
    assert (child["sender_nip"], child["acted_by_nip"], child["acted_as"]) == (
        head["nip"],
        plt["nip"],
        "plt",
    )
    # The Plt completes the head's assignment; it is recorded as closed by him.
    done = api.post(
        assignment_path(to_head) + "/complete", user=plt["username"], json_body={"report": "Oke"}
    )
    assert done.status == 200, done.body
    assert done.json["status"] == "done" and done.json["closed_by_nip"] == plt["nip"]
    closed = inbox(api, plt["username"], f"?on_behalf_of={head['nip']}&status=done").json
    assert [a["assignment_id"] for a in closed["items"]] == [to_head["assignment_id"]]


def test_a_vacant_units_letters_go_to_its_plt(api: Api, intake: Intake) -> None:
    kominfo = unit_of(api, HEAD)
    vacant = new_unit(api, kominfo)
    plt = new_employee(api, kominfo)
    make_acting(api, plt["nip"], vacant["head_position_id"], "plh")
    lid = registered_letter(api, intake)["letter_id"]
    answer = api.post(
        f"/letters/{lid}/dispositions",
        user=HEAD,
        json_body={"recipients": [{"unit_id": vacant["unit_id"]}], "instructions": ["arsipkan"]},
    )
    assert answer.status == 201, answer.body
    (assignment,) = answer.json["assignments"]
    assert assignment["recipient_nip"] == plt["nip"]
    assert assignment["recipient_position_id"] == vacant["head_position_id"]
    assert assignment["sender_nip"] == NIP[HEAD]
    listed = inbox(api, plt["username"]).json["items"]
    assert [a["assignment_id"] for a in listed] == [assignment["assignment_id"]]
    opened = api.get(assignment_path(assignment), user=plt["username"]).json
    assert opened["status"] == "read" and opened["read_by_nip"] == plt["nip"]

    # A unit with neither a head nor anyone acting cannot be addressed.
    empty = new_unit(api, kominfo)
    refused = api.post(
        f"/letters/{lid}/dispositions",
        user=HEAD,
        json_body={"recipients": [{"unit_id": empty["unit_id"]}], "instructions": ["arsipkan"]},
    )
    assert refused.status == 422 and refused.json["code"] == "unit_without_head"
    # Once someone holds the post, the unit's letters go to him instead.
    holder = new_employee(
        api, vacant["unit_id"], roles=["head"], position_id=vacant["head_position_id"]
    )
    second = api.post(
        f"/letters/{lid}/dispositions",
        user=HEAD,
        json_body={"recipients": [{"unit_id": vacant["unit_id"]}], "instructions": ["arsipkan"]},
    )
    assert second.status == 201, second.body
    assert second.json["assignments"][0]["recipient_nip"] == holder["nip"]


def test_the_senders_plt_cancels_an_unread_disposition_in_his_place(
    api: Api, intake: Intake, section: dict[str, Any]
) -> None:
    head, staff, plt = section["head"], section["staff"], section["plt"]
    lid = registered_letter(api, intake)["letter_id"]
    dispose(api, HEAD, lid, head["nip"])
    sent = dispose(api, head["username"], lid, staff["nip"])["assignments"][0]
    assert sent["sender_position_id"] == section["unit"]["head_position_id"]
    bystander = api.post(assignment_path(sent) + "/cancel", user=section["bystander"]["username"])
    assert bystander.status == 404  # he may not even see the letter
    recipient = api.post(assignment_path(sent) + "/cancel", user=staff["username"])
    assert recipient.status == 403 and recipient.json["code"] == "not_sender"
    cancelled = api.post(assignment_path(sent) + "/cancel", user=plt["username"])
    assert cancelled.status == 200, cancelled.body
    assert cancelled.json["status"] == "cancelled"
    assert cancelled.json["closed_by_nip"] == plt["nip"]
    history = api.get(f"/letters/{lid}/history", user=head["username"]).json
    assert history[-1]["action"] == "assignment_cancelled"
    assert history[-1]["details"]["acted_as"] == "plt"
