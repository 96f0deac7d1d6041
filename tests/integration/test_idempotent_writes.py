"""Writes a client may resend (``Idempotency-Key``) through the local runner and the emulator:
a resend does nothing twice and answers the first answer again, a key is its caller's and its
operation's, a key with another body or a malformed key is refused, and the record in the
idempotency table keeps what it should (docs/decisions/0019-idempotent-client-writes.md)."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from eoffice import aws
from support.api import Answer, Api, Intake
from support.dispositions import assignment_path, dispose
from support.letters import registered_letter
from support.organisation import NIP
from support.outgoing import draft

PROBLEM = "application/problem+json"
HEADER = "Idempotency-Key"


def problem(answer: Answer, status: int, code: str) -> dict[str, Any]:
    assert answer.status == status, answer.body
    assert answer.content_type.startswith(PROBLEM), answer.headers
    body: dict[str, Any] = answer.json
    assert body["code"] == code and body["status"] == status, body
    return body


def keyed(key: str) -> dict[str, str]:
    return {HEADER: key}


def disposition_body(*recipients: str, **fields: Any) -> dict[str, Any]:
    return {
        "recipients": [{"nip": NIP.get(r, r)} for r in recipients],
        "instructions": ["tindak_lanjuti"],
        **fields,
    }


def dispositions_of(api: Api, letter_id: str) -> list[str]:
    """The ids of the letter's dispositions (its tree's roots)."""
    answer = api.get(f"/letters/{letter_id}/dispositions", user="tu.kominfo")
    assert answer.status == 200, answer.body
    return sorted({root["assignment"]["disposition_id"] for root in answer.json["roots"]})


def history_actions(api: Api, letter_id: str) -> list[str]:
    entries = api.get(f"/letters/{letter_id}/history", user="tu.kominfo").json
    return [entry["action"] for entry in entries]


def records(api: Api, operation_id: str) -> list[dict[str, Any]]:
    """Every item of the idempotency table kept for ``operation_id``."""
    name = api.env.stack.refs["IdempotencyTable"]
    pages = aws.client("dynamodb").get_paginator("scan").paginate(TableName=name)
    return [i for p in pages for i in p["Items"] if i["id"]["S"].startswith(f"{operation_id}#")]


# ---------------------------------------------------------------- disposing
def test_a_resent_disposition_is_written_once_and_answered_the_same(
    api: Api, intake: Intake
) -> None:
    letter = registered_letter(api, intake)
    path = f"/letters/{letter['letter_id']}/dispositions"
    body = disposition_body("staf.kominfo", note="Segera")
    key = str(uuid.uuid4())

    first = api.post(path, user="kadis.kominfo", json_body=body, headers=keyed(key))
    again = api.post(path, user="kadis.kominfo", json_body=body, headers=keyed(key.upper()))

    assert first.status == 201, first.body
    assert "idempotent-replayed" not in first.headers
    assert again.status == 201, again.body
    assert again.headers.get("idempotent-replayed") == "true"
    assert again.content_type.startswith("application/json")
    assert again.json == first.json, "the first answer, not a new disposition"
    assert dispositions_of(api, letter["letter_id"]) == [first.json["disposition_id"]]
    assert history_actions(api, letter["letter_id"]).count("disposed") == 1

    (record,) = [
        r for r in records(api, "disposeLetter") if first.json["disposition_id"] in r["data"]["S"]
    ]
    assert record["status"]["S"] == "COMPLETED"
    assert int(record["expiration"]["N"]) > 0
    assert json.loads(record["data"]["S"])["status"] == 201


def test_the_same_key_with_another_body_is_refused_and_changes_nothing(
    api: Api, intake: Intake
) -> None:
    letter = registered_letter(api, intake)
    path = f"/letters/{letter['letter_id']}/dispositions"
    key = str(uuid.uuid4())
    first = api.post(
        path, user="kadis.kominfo", json_body=disposition_body("staf.kominfo"), headers=keyed(key)
    )
    assert first.status == 201, first.body

    other = disposition_body("staf.kominfo", note="Catatan lain")
    reused = api.post(path, user="kadis.kominfo", json_body=other, headers=keyed(key))

    problem(reused, 422, "idempotency_key_reused")
    assert len(dispositions_of(api, letter["letter_id"])) == 1


def test_a_key_is_its_callers_own(api: Api, intake: Intake) -> None:
    """The head and his records clerk both dispose the letter with the same key and body: two
    dispositions, neither a replay of the other's."""
    letter = registered_letter(api, intake)
    path = f"/letters/{letter['letter_id']}/dispositions"
    body = disposition_body("staf.kominfo")
    key = str(uuid.uuid4())

    head = api.post(path, user="kadis.kominfo", json_body=body, headers=keyed(key))
    clerk = api.post(path, user="tu.kominfo", json_body=body, headers=keyed(key))

    assert head.status == clerk.status == 201, (head.body, clerk.body)
    assert "idempotent-replayed" not in clerk.headers
    assert head.json["disposition_id"] != clerk.json["disposition_id"]
    assert len(dispositions_of(api, letter["letter_id"])) == 2


def test_a_key_is_its_operations_own(api: Api, intake: Intake) -> None:
    """One key on two letters: two dispositions (the path parameters are part of the scope)."""
    key = str(uuid.uuid4())
    body = disposition_body("staf.kominfo")
    answers = [
        api.post(
            f"/letters/{registered_letter(api, intake)['letter_id']}/dispositions",
            user="kadis.kominfo",
            json_body=body,
            headers=keyed(key),
        )
        for _ in range(2)
    ]
    assert [a.status for a in answers] == [201, 201]
    assert answers[0].json["disposition_id"] != answers[1].json["disposition_id"]
    assert all("idempotent-replayed" not in a.headers for a in answers)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "abc",
        "123",
        "{3f2b8c1e-9a4d-4e6b-8f0a-2c5d7e9b1a3f}",
        "urn:uuid:3f2b8c1e-9a4d-4e6b-8f0a-2c5d7e9b1a3f",
        "3f2b8c1e9a4d4e6b8f0a2c5d7e9b1a3f",
        "3f2b8c1e-9a4d-4e6b-8f0a-2c5d7e9b1a3f,3f2b8c1e-9a4d-4e6b-8f0a-2c5d7e9b1a3f",
        "x" * 5000,
        "3f2b8c1e-9a4d-4e6b-8f0a-2c5d7e9b1a3g",
    ],
)
def test_a_malformed_key_is_refused_before_anything_is_done(
    api: Api, intake: Intake, value: str
) -> None:
    letter = _letter_for_malformed_keys(api, intake)
    answer = api.post(
        f"/letters/{letter}/dispositions",
        user="kadis.kominfo",
        json_body=disposition_body("staf.kominfo"),
        headers=keyed(value),
    )
    body = problem(answer, 400, "invalid_idempotency_key")
    assert HEADER in body["detail"]
    assert dispositions_of(api, letter) == []


_MALFORMED_LETTER: list[str] = []


def _letter_for_malformed_keys(api: Api, intake: Intake) -> str:
    if not _MALFORMED_LETTER:
        _MALFORMED_LETTER.append(registered_letter(api, intake)["letter_id"])
    return _MALFORMED_LETTER[0]


def test_a_refusal_is_not_kept_and_the_corrected_request_may_reuse_the_key(
    api: Api, intake: Intake
) -> None:
    letter = registered_letter(api, intake)
    path = f"/letters/{letter['letter_id']}/dispositions"
    key = str(uuid.uuid4())
    wrong = disposition_body("staf.kominfo", instructions=["bukan_instruksi"])
    refused = api.post(path, user="kadis.kominfo", json_body=wrong, headers=keyed(key))
    problem(refused, 422, "unknown_instruction")

    fixed = api.post(
        path, user="kadis.kominfo", json_body=disposition_body("staf.kominfo"), headers=keyed(key)
    )

    assert fixed.status == 201, fixed.body
    assert "idempotent-replayed" not in fixed.headers


def test_without_the_header_a_write_runs_as_before(api: Api, intake: Intake) -> None:
    letter = registered_letter(api, intake)
    answer = dispose(api, "kadis.kominfo", letter["letter_id"], "staf.kominfo")
    assert answer["disposition_id"]
    assert len(dispositions_of(api, letter["letter_id"])) == 1


# ---------------------------------------------------------------- acting on assignments
def test_a_resent_completion_closes_the_assignment_once(api: Api, intake: Intake) -> None:
    letter = registered_letter(api, intake)
    (assignment,) = dispose(api, "kadis.kominfo", letter["letter_id"], "staf.kominfo")[
        "assignments"
    ]
    path = f"{assignment_path(assignment)}/complete"
    body = {"report": "Sudah ditindaklanjuti"}
    key = str(uuid.uuid4())

    first = api.post(path, user="staf.kominfo", json_body=body, headers=keyed(key))
    again = api.post(path, user="staf.kominfo", json_body=body, headers=keyed(key))

    assert first.status == again.status == 200, (first.body, again.body)
    assert first.json["status"] == "done"
    assert again.json == first.json and again.headers.get("idempotent-replayed") == "true"
    assert history_actions(api, letter["letter_id"]).count("assignment_done") == 1

    # Another action (a new key) on the closed assignment meets its current state: a 409.
    late = api.post(path, user="staf.kominfo", json_body=body, headers=keyed(str(uuid.uuid4())))
    refused = problem(late, 409, "invalid_transition")
    assert refused["current"]["status"] == "done"


def test_a_resent_start_is_answered_from_the_record(api: Api, intake: Intake) -> None:
    letter = registered_letter(api, intake)
    (assignment,) = dispose(api, "kadis.kominfo", letter["letter_id"], "staf.kominfo")[
        "assignments"
    ]
    path = f"{assignment_path(assignment)}/start"
    key = str(uuid.uuid4())
    first = api.post(path, user="staf.kominfo", headers=keyed(key))
    again = api.post(path, user="staf.kominfo", headers=keyed(key))
    assert first.status == again.status == 200, (first.body, again.body)
    assert again.json == first.json and again.headers.get("idempotent-replayed") == "true"
    assert history_actions(api, letter["letter_id"]).count("assignment_started") == 1


def test_a_resent_approval_sends_the_prepared_disposition_once(api: Api, intake: Intake) -> None:
    letter = registered_letter(api, intake)
    body = disposition_body("staf.kominfo")
    prepared = api.post(
        f"/letters/{letter['letter_id']}/prepared-dispositions", user="tu.kominfo", json_body=body
    )
    assert prepared.status == 201, prepared.body
    path = (
        f"/letters/{letter['letter_id']}/prepared-dispositions/"
        f"{prepared.json['prepared_id']}/approve"
    )
    key = str(uuid.uuid4())

    first = api.post(path, user="kadis.kominfo", headers=keyed(key))
    again = api.post(path, user="kadis.kominfo", headers=keyed(key))

    assert first.status == again.status == 201, (first.body, again.body)
    assert again.json == first.json and again.headers.get("idempotent-replayed") == "true"
    assert dispositions_of(api, letter["letter_id"]) == [first.json["disposition_id"]]
    late = api.post(path, user="kadis.kominfo", headers=keyed(str(uuid.uuid4())))
    assert problem(late, 409, "prepared_decided")["current"]["status"] == "approved"


# ---------------------------------------------------------------- paraf
def test_a_resent_paraf_is_given_once(api: Api, intake: Intake) -> None:
    outgoing = draft(api, intake)
    path = f"/outgoing/{outgoing['outgoing_id']}/reviews"
    body = {"decision": "approve", "version": outgoing["versions"][-1]["version"]}
    key = str(uuid.uuid4())

    first = api.post(path, user="tu.kominfo", json_body=body, headers=keyed(key))
    again = api.post(path, user="tu.kominfo", json_body=body, headers=keyed(key))

    assert first.status == again.status == 200, (first.body, again.body)
    assert first.json["status"] == "ready_to_sign"
    assert again.json == first.json and again.headers.get("idempotent-replayed") == "true"
    steps = api.get(f"/outgoing/{outgoing['outgoing_id']}/history", user="staf.kominfo").json
    assert [s["action"] for s in steps].count("paraf_given") == 1


# ---------------------------------------------------------------- the OpenAPI document
def test_the_document_declares_the_header_and_its_answers(api: Api) -> None:
    document = api.get("/openapi.json").json
    idempotent = {
        ("/letters/{letter_id}/dispositions", "post"),
        ("/letters/{letter_id}/assignments/{assignment_id}/start", "post"),
        ("/letters/{letter_id}/assignments/{assignment_id}/complete", "post"),
        ("/letters/{letter_id}/assignments/{assignment_id}/return", "post"),
        ("/letters/{letter_id}/prepared-dispositions/{prepared_id}/approve", "post"),
        ("/outgoing/{outgoing_id}/reviews", "post"),
        ("/outgoing/{outgoing_id}/sign", "post"),
    }
    for path, method in idempotent:
        operation = document["paths"][path][method]
        (header,) = [p for p in operation.get("parameters", []) if p["name"] == HEADER]
        assert header["in"] == "header" and header["required"] is False, path
        assert header["schema"]["format"] == "uuid"
        responses = operation["responses"]
        assert "invalid_idempotency_key" in responses["400"]["description"], path
        assert "idempotency_in_progress" in responses["409"]["description"], path
        assert "idempotency_key_reused" in responses["422"]["description"], path
        assert "idempotency_unavailable" in responses["502"]["description"], path
        success = next(s for s in responses if s.startswith("2"))
        assert "Idempotent-Replayed" in responses[success]["headers"], path
    sign = document["paths"]["/outgoing/{outgoing_id}/sign"]["post"]
    (header,) = [p for p in sign["parameters"] if p["name"] == HEADER]
    assert "`passphrase`" in header["description"]
    assert not any(
        p["name"] == HEADER for p in document["paths"]["/letters"]["post"].get("parameters", [])
    ), "only the declared writes take the header"


# ---------------------------------------------------------------- conflicts the app shows
def test_a_disposition_sent_again_while_it_is_open_is_a_conflict(api: Api, intake: Intake) -> None:
    """A queued disposition that went out meanwhile (from another device, or its key's day is
    over): 409 ``already_disposed`` with the open disposition, not a second one. Another
    disposition to him, another sender, or the same one after he closed it, are new."""
    letter = registered_letter(api, intake)
    path = f"/letters/{letter['letter_id']}/dispositions"
    body = disposition_body("staf.kominfo", note="Segera", tembusan=[{"nip": NIP["sekda"]}])
    first = api.post(path, user="kadis.kominfo", json_body=body)
    assert first.status == 201, first.body
    held = next(a for a in first.json["assignments"] if a["kind"] == "assignment")

    again = api.post(path, user="kadis.kominfo", json_body=body, headers=keyed(str(uuid.uuid4())))

    refused = problem(again, 409, "already_disposed")
    assert {a["disposition_id"] for a in refused["assignments"]} == {held["disposition_id"]}
    assert dispositions_of(api, letter["letter_id"]) == [held["disposition_id"]]
    other = api.post(
        path, user="kadis.kominfo", json_body=disposition_body("staf.kominfo", note="Juga ini")
    )
    assert other.status == 201, other.body
    assert api.post(path, user="tu.kominfo", json_body=body).status == 201, "another sender"
    done = api.post(
        f"{assignment_path(held)}/complete", user="staf.kominfo", json_body={"report": "Selesai"}
    )
    assert done.status == 200, done.body
    assert api.post(path, user="kadis.kominfo", json_body=body).status == 201, "closed: new"


def test_a_paraf_sent_again_after_the_draft_moved_on_is_a_conflict(
    api: Api, intake: Intake
) -> None:
    outgoing = draft(api, intake, reviewers=[NIP["tu.kominfo"], NIP["sekda"]])
    path = f"/outgoing/{outgoing['outgoing_id']}/reviews"
    body = {"decision": "approve", "version": outgoing["versions"][-1]["version"]}
    assert api.post(path, user="tu.kominfo", json_body=body).status == 200

    again = api.post(path, user="tu.kominfo", json_body=body, headers=keyed(str(uuid.uuid4())))

    refused = problem(again, 409, "already_reviewed")
    assert refused["current"]["status"] == "in_review"
    assert refused["current"]["review"]["status"] == "approved"
    assert api.post(path, user="sekda", json_body=body).json["status"] == "ready_to_sign"
    late = api.post(path, user="tu.kominfo", json_body=body)
    problem(late, 409, "already_reviewed")


def test_a_signature_sent_again_after_it_was_given_is_a_conflict(api: Api, intake: Intake) -> None:
    outgoing = draft(api, intake, reviewers=[])
    path = f"/outgoing/{outgoing['outgoing_id']}/sign"
    signed = api.post(path, user="kadis.kominfo", json_body={}, headers=keyed(str(uuid.uuid4())))
    assert signed.status == 200, signed.body

    again = api.post(path, user="kadis.kominfo", json_body={}, headers=keyed(str(uuid.uuid4())))

    refused = problem(again, 409, "already_signed")
    assert refused["current"] == {"status": "signed", "number": signed.json["number"]}
    assert (
        len(api.get(f"/outgoing/{outgoing['outgoing_id']}", user="staf.kominfo").json["signatures"])
        == 1
    )
