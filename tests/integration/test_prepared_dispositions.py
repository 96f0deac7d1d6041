"""Prepared dispositions through the local runner: the records clerk drafts a disposition for
his head, who edits and approves it (sent in his name, recorded as prepared by the clerk) or
discards it (nothing sent); who may prepare, see and decide."""

from __future__ import annotations

from typing import Any

from support.api import Api, Intake
from support.letters import registered_letter
from support.organisation import NIP, new_employee, unit_of

CLERK, HEAD = "tu.kominfo", "kadis.kominfo"


def prepare(api: Api, letter_id: str, *nips: str, user: str = CLERK, **fields: Any) -> Any:
    body = {
        "recipients": [{"nip": nip} for nip in nips],
        "instructions": fields.pop("instructions", ["tindak_lanjuti"]),
        **fields,
    }
    return api.post(f"/letters/{letter_id}/prepared-dispositions", user=user, json_body=body)


def path(draft: dict[str, Any]) -> str:
    return f"/letters/{draft['letter_id']}/prepared-dispositions/{draft['prepared_id']}"


def pending_ids(api: Api, user: str) -> list[str]:
    answer = api.get("/me/prepared-dispositions", user=user)
    assert answer.status == 200, answer.body
    return [draft["prepared_id"] for draft in answer.json]


def test_clerk_prepares_head_edits_and_approves(api: Api, intake: Intake) -> None:
    kominfo = unit_of(api, HEAD)
    first, second, copied = (new_employee(api, kominfo) for _ in range(3))
    outsider = new_employee(api, kominfo)
    lid = registered_letter(api, intake, clerk=CLERK)["letter_id"]

    made = prepare(api, lid, first["nip"], note="Mohon dipelajari")
    assert made.status == 201, made.body
    draft = made.json
    assert draft["head_nip"] == NIP[HEAD] and draft["prepared_by_nip"] == NIP[CLERK]
    assert draft["status"] == "pending" and draft["letter"]["letter_id"] == lid
    assert draft["content"]["note"] == "Mohon dipelajari"
    # Preparing sends nothing: the recipient has nothing and cannot see the letter.
    assert api.get("/me/inbox", user=first["username"]).json["items"] == []
    assert api.get(f"/letters/{lid}", user=first["username"]).status == 404
    assert api.get(f"/letters/{lid}/dispositions", user=CLERK).json["count"] == 0

    assert draft["prepared_id"] in pending_ids(api, HEAD)
    assert draft["prepared_id"] not in pending_ids(api, CLERK)
    assert api.get(path(draft), user=CLERK).json == draft
    for stranger in (outsider["username"], "staf.kominfo", "tpp.bkpsdm"):
        answer = api.get(path(draft), user=stranger)
        assert answer.status == 404 and answer.json["code"] == "prepared_not_found", stranger
        assert api.post(path(draft) + "/approve", user=stranger).status == 404, stranger
        assert api.post(path(draft) + "/discard", user=stranger).status == 404, stranger
    assert draft["prepared_id"] not in pending_ids(api, outsider["username"])

    edited = api.patch(
        path(draft),
        user=HEAD,
        json_body={
            "recipients": [{"nip": second["nip"]}],
            "tembusan": [{"nip": copied["nip"]}],
            "instructions": ["koordinasikan", "siapkan_jawaban"],
        },
    )
    assert edited.status == 200, edited.body
    content = edited.json["content"]
    assert content["recipients"] == [{"nip": second["nip"], "unit_id": None}]
    assert content["instructions"] == ["koordinasikan", "siapkan_jawaban"]
    assert content["note"] == "Mohon dipelajari"  # what the edit left out stays
    assert api.get(path(draft), user=HEAD).json["content"] == content
    bad = api.patch(path(draft), user=HEAD, json_body={"instructions": ["bukan_instruksi"]})
    assert bad.status == 422 and bad.json["code"] == "unknown_instruction"
    assert api.get(path(draft), user=HEAD).json["content"] == content

    approved = api.post(path(draft) + "/approve", user=HEAD)
    assert approved.status == 201, approved.body
    sent = approved.json["assignments"]
    assert [(a["kind"], a["recipient_nip"]) for a in sent] == [
        ("assignment", second["nip"]),
        ("tembusan", copied["nip"]),
    ]
    for a in sent:
        assert a["sender_nip"] == NIP[HEAD] and a["acted_by_nip"] == NIP[HEAD]
        assert a["prepared_by_nip"] == NIP[CLERK] and a["acted_as"] == "self"
        assert a["instructions"] == ["koordinasikan", "siapkan_jawaban"]
        assert a["note"] == "Mohon dipelajari"
    assignment = sent[0]
    inbox = api.get("/me/inbox", user=second["username"]).json["items"]
    assert [a["assignment_id"] for a in inbox] == [assignment["assignment_id"]]
    for reader in (second, copied):
        assert api.get(f"/letters/{lid}", user=reader["username"]).status == 200
    assert api.get(f"/letters/{lid}", user=first["username"]).status == 404

    decided = api.get(path(draft), user=CLERK).json
    assert decided["status"] == "approved" and decided["decided_by_nip"] == NIP[HEAD]
    assert decided["disposition_id"] == approved.json["disposition_id"]
    assert draft["prepared_id"] not in pending_ids(api, HEAD)
    for action in ("approve", "discard"):
        again = api.post(path(draft) + f"/{action}", user=HEAD)
        assert again.status == 409 and again.json["code"] == "prepared_decided", action
    late = api.patch(path(draft), user=HEAD, json_body={"note": "Terlambat"})
    assert late.status == 409 and late.json["code"] == "prepared_decided"
    assert api.get(f"/letters/{lid}/dispositions", user=CLERK).json["count"] == 2

    history = api.get(f"/letters/{lid}/history", user=CLERK).json
    actions = [entry["action"] for entry in history]
    assert actions[-3:] == ["disposition_prepared", "prepared_disposition_edited", "disposed"]
    prepared_entry, edit_entry, disposed = history[-3:]
    assert prepared_entry["actor_nip"] == NIP[CLERK] and edit_entry["actor_nip"] == NIP[HEAD]
    assert prepared_entry["details"]["prepared_id"] == draft["prepared_id"]
    assert disposed["actor_nip"] == NIP[HEAD]
    assert disposed["details"]["prepared_by_nip"] == NIP[CLERK]
    assert disposed["details"]["prepared_id"] == draft["prepared_id"]
    assert disposed["details"]["sender_nip"] == NIP[HEAD]
    assert disposed["details"]["recipients"] == [second["nip"]]
    assert disposed["details"]["tembusan"] == [copied["nip"]]

    # A staff member (now able to see the letter) and the head himself are not the clerk.
    for user in (second["username"], HEAD):
        refused = prepare(api, lid, first["nip"], user=user)
        assert refused.status == 403 and refused.json["code"] == "not_unit_clerk", user
    # Someone who cannot see the letter does not learn it exists.
    assert prepare(api, lid, first["nip"], user="staf.kominfo").status == 404


def test_discarded_or_withdrawn_drafts_send_nothing(api: Api, intake: Intake) -> None:
    kominfo = unit_of(api, HEAD)
    person = new_employee(api, kominfo)
    lid = registered_letter(api, intake, clerk=CLERK)["letter_id"]
    before = api.get(f"/letters/{lid}/history", user=CLERK).json

    discarded_draft = prepare(api, lid, person["nip"]).json
    withdrawn_draft = prepare(api, lid, person["nip"], tembusan=[{"nip": NIP["staf.kominfo"]}]).json
    pending = pending_ids(api, HEAD)
    assert {discarded_draft["prepared_id"], withdrawn_draft["prepared_id"]} <= set(pending)
    # Newest first.
    assert pending.index(withdrawn_draft["prepared_id"]) < pending.index(
        discarded_draft["prepared_id"]
    )

    discarded = api.post(path(discarded_draft) + "/discard", user=HEAD)
    assert discarded.status == 200, discarded.body
    assert discarded.json["status"] == "discarded"
    assert discarded.json["decided_by_nip"] == NIP[HEAD]
    withdrawn = api.post(path(withdrawn_draft) + "/discard", user=CLERK)
    assert withdrawn.status == 200, withdrawn.body
    assert withdrawn.json["decided_by_nip"] == NIP[CLERK]

    pending = pending_ids(api, HEAD)
    assert discarded_draft["prepared_id"] not in pending
    assert withdrawn_draft["prepared_id"] not in pending
    for draft in (discarded_draft, withdrawn_draft):
        again = api.post(path(draft) + "/approve", user=HEAD)
        assert again.status == 409 and again.json["code"] == "prepared_decided"
        assert again.json.get("current", {}).get("status") == "discarded"
        assert api.get(path(draft), user=HEAD).json["status"] == "discarded"

    assert api.get(f"/letters/{lid}/dispositions", user=CLERK).json["count"] == 0
    assert api.get("/me/inbox", user=person["username"]).json["items"] == []
    assert api.get(f"/letters/{lid}", user=person["username"]).status == 404
    history = api.get(f"/letters/{lid}/history", user=CLERK).json
    added = [entry["action"] for entry in history[len(before) :]]
    assert added == [
        "disposition_prepared",
        "disposition_prepared",
        "prepared_disposition_discarded",
        "prepared_disposition_discarded",
    ]
    assert "disposed" not in added


def test_prepare_checks_its_content_and_head(api: Api, intake: Intake) -> None:
    kominfo = unit_of(api, HEAD)
    person = new_employee(api, kominfo)
    lid = registered_letter(api, intake, clerk=CLERK)["letter_id"]
    unknown = prepare(api, lid, person["nip"], instructions=["bukan_instruksi"])
    assert unknown.status == 422 and unknown.json["code"] == "unknown_instruction"
    nobody = prepare(api, lid, "199001012015011999")
    assert nobody.status == 422 and nobody.json["code"] == "unknown_employee"
    to_self = prepare(api, lid, person["nip"], head_nip=NIP[CLERK])
    assert to_self.status == 422 and to_self.json["code"] == "head_is_preparer"
    drafts = api.get("/me/prepared-dispositions", user=HEAD).json
    assert [d for d in drafts if d["letter_id"] == lid] == []  # nothing half-written


def test_a_draft_is_prepared_for_a_head_only(api: Api, intake: Intake) -> None:
    letter = registered_letter(api, intake, clerk="tu.kominfo")
    body = {
        "recipients": [{"nip": NIP["staf.kominfo"]}],
        "instructions": ["tindak_lanjuti"],
        "head_nip": NIP["admin"],
    }
    path = f"/letters/{letter['letter_id']}/prepared-dispositions"
    refused = api.post(path, user="tu.kominfo", json_body=body)
    assert refused.status == 422 and refused.json["code"] == "not_a_head"
    body["head_nip"] = NIP["kadis.kominfo"]
    assert api.post(path, user="tu.kominfo", json_body=body).status == 201
