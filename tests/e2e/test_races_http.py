"""Races through the runner's HTTP port, where each request runs in an execution environment of
its own as in Lambda: the conditional writes, not a lock of the runner, keep the records right.
Each test also asserts that invocations really overlapped (the runtime's peak counter), so it
would fail if the runner served one request at a time again."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from eoffice_local.environment import LocalEnvironment
from eoffice_local.gateway import Server
from support.api import Api, Intake
from support.dispositions import assignment_path, dispose
from support.events import EventTap
from support.letters import letter_metadata, registered_letter
from support.organisation import KOMINFO, new_employee, new_unit
from support.outgoing import draft

pytestmark = pytest.mark.e2e
PROBLEM = "application/problem+json"


def at_once(count: int, call: Callable[[httpx.Client, int], httpx.Response], url: str) -> list[Any]:
    """``call(client, i)`` from ``count`` threads, each with its own connection, released
    together by a barrier once all are connected."""
    start = threading.Barrier(count)

    def one(index: int) -> httpx.Response:
        with httpx.Client(base_url=url, timeout=120) as client:
            client.get("/health")  # connected before the start
            start.wait(timeout=120)
            return call(client, index)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(one, range(count)))


def overlapped(env: LocalEnvironment, function: str) -> int:
    return env.workers.usage()[function].peak


def bearer(api: Api, user: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {api.token(user)}"}


def test_fifty_concurrent_registrations_number_one_to_fifty(
    api: Api, server: Server, local_env: LocalEnvironment
) -> None:
    kominfo = next(u for u in api.get("/units", user="admin").json if u["code"] == "DISKOMINFO-SP")
    unit = new_unit(api, kominfo["unit_id"], head=False)  # a fresh agenda: numbers from 1
    clerk = new_employee(api, unit["unit_id"], roles=["tu"])["username"]
    headers = bearer(api, clerk)
    local_env.workers.reset_peaks()

    answers = at_once(
        50,
        lambda client, i: client.post(
            "/letters", json=letter_metadata(subject=f"Surat {i}"), headers=headers
        ),
        server.url,
    )

    assert [a.status_code for a in answers] == [201] * 50, [a.text for a in answers[:3]]
    numbers = sorted(a.json()["letter"]["agenda_number"] for a in answers)
    assert numbers == list(range(1, 51)), "consecutive, no gap, no duplicate"
    listed = api.get(f"/letters?unit={unit['unit_id']}&limit=200", user=clerk).json
    assert sorted(letter["agenda_number"] for letter in listed["items"]) == list(range(1, 51))
    assert overlapped(local_env, "ApiFunction") > 1, "the registrations ran one at a time"


def test_of_two_concurrent_updates_of_an_assignment_one_wins_and_one_gets_409(
    api: Api, intake: Intake, server: Server, local_env: LocalEnvironment
) -> None:
    letter = registered_letter(api, intake)
    staff = bearer(api, "staf.kominfo")
    tap = EventTap(api)
    rounds: list[tuple[str, str]] = []
    bodies = {
        "complete": {"report": "Selesai dikerjakan"},
        "return": {"reason": "Bukan kewenangan kami"},
    }
    local_env.workers.reset_peaks()
    for _ in range(4):
        (assignment,) = dispose(api, "kadis.kominfo", letter["letter_id"], "staf.kominfo")[
            "assignments"
        ]
        path = assignment_path(assignment)
        verbs = list(bodies)
        done, back = at_once(
            2,
            lambda client, i, path=path, verbs=verbs: client.post(
                f"{path}/{verbs[i]}", json=bodies[verbs[i]], headers=staff
            ),
            server.url,
        )
        assert sorted([done.status_code, back.status_code]) == [200, 409], (done.text, back.text)
        winner, loser = (done, back) if done.status_code == 200 else (back, done)
        assert loser.headers["content-type"].startswith(PROBLEM)
        assert loser.json()["code"] in {"invalid_transition", "disposition_conflict"}
        assert loser.json()["current"]["status"] == winner.json()["status"]
        final = api.get(path, user="kadis.kominfo").json
        assert final["status"] == winner.json()["status"] in {"done", "returned"}
        entries = api.get(f"/letters/{letter['letter_id']}/history", user="tu.kominfo").json
        closing = [
            e["action"]
            for e in entries
            if e["details"].get("assignment_id") == assignment["assignment_id"]
        ]
        assert closing == [f"assignment_{final['status']}"], "one transition recorded"
        rounds.append((assignment["assignment_id"], final["status"]))
    assert overlapped(local_env, "ApiFunction") > 1, "the updates ran one at a time"
    events = tap.drain()
    for assignment_id, status in rounds:
        published = [
            e["detail-type"]
            for e in events
            if e["detail"].get("assignment_id") == assignment_id
            and e["detail-type"] in {"AssignmentDone", "AssignmentReturned"}
        ]
        assert published == [{"done": "AssignmentDone", "returned": "AssignmentReturned"}[status]]


def test_two_concurrent_signs_of_one_letter_give_one_signature(
    api: Api, intake: Intake, server: Server, local_env: LocalEnvironment
) -> None:
    from eoffice import clock
    from eoffice.outgoing import store

    outgoing = draft(api, intake, reviewers=[])
    assert outgoing["status"] == "ready_to_sign", outgoing
    path = f"/outgoing/{outgoing['outgoing_id']}/sign"
    signer = bearer(api, "kadis.kominfo")
    before = store.last_number(KOMINFO, clock.today().year)
    local_env.workers.reset_peaks()

    answers = at_once(2, lambda client, _: client.post(path, json={}, headers=signer), server.url)

    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200, 409], [a.text for a in answers]
    refused = next(a for a in answers if a.status_code == 409).json()
    assert refused["code"] in {
        "signing_in_progress",
        "signed_meanwhile",
        "not_signable",
        "already_signed",
    }
    letter = api.get(f"/outgoing/{outgoing['outgoing_id']}", user="staf.kominfo").json
    assert letter["status"] == "signed" and len(letter["signatures"]) == 1
    assert store.last_number(KOMINFO, clock.today().year) == before + 1, "one number taken"
    actions = [
        e["action"]
        for e in api.get(f"/outgoing/{outgoing['outgoing_id']}/history", user="staf.kominfo").json
    ]
    assert actions.count("signed") == 1 and actions.count("numbered") == 1
    assert overlapped(local_env, "SigningFunction") > 1, "the two signs ran one at a time"


def test_letters_signed_at_once_take_consecutive_numbers(
    api: Api, intake: Intake, server: Server, local_env: LocalEnvironment
) -> None:
    from eoffice import clock
    from eoffice.outgoing import store

    letters = [draft(api, intake, reviewers=[])["outgoing_id"] for _ in range(3)]
    signer = bearer(api, "kadis.kominfo")
    before = store.last_number(KOMINFO, clock.today().year)
    local_env.workers.reset_peaks()

    answers = at_once(
        3,
        lambda client, i: client.post(f"/outgoing/{letters[i]}/sign", json={}, headers=signer),
        server.url,
    )

    assert [a.status_code for a in answers] == [200] * 3, [a.text for a in answers]
    sequences = sorted(a.json()["sequence"] for a in answers)
    assert sequences == list(range(before + 1, before + 4)), sequences
    assert store.last_number(KOMINFO, clock.today().year) == before + 3
    assert overlapped(local_env, "SigningFunction") > 1, "the signs ran one at a time"


def test_concurrent_resends_with_one_idempotency_key_dispose_once(
    api: Api, intake: Intake, server: Server, local_env: LocalEnvironment
) -> None:
    """A client that lost its answer and resends while the first request still runs: of five
    requests with one key, exactly one disposes; the others answer the first answer (marked
    replayed) or 409 ``idempotency_in_progress``, never a second disposition nor a 5xx."""
    import uuid

    letter = registered_letter(api, intake)
    path = f"/letters/{letter['letter_id']}/dispositions"
    body = {"recipients": [{"nip": "199402112019031011"}], "instructions": ["tindak_lanjuti"]}
    headers = {**bearer(api, "kadis.kominfo"), "Idempotency-Key": str(uuid.uuid4())}
    local_env.workers.reset_peaks()

    answers = at_once(
        5, lambda client, _: client.post(path, json=body, headers=headers), server.url
    )

    assert {a.status_code for a in answers} <= {201, 409}, [a.text for a in answers]
    fresh = [a for a in answers if a.status_code == 201 and "idempotent-replayed" not in a.headers]
    assert len(fresh) == 1, [(a.status_code, dict(a.headers)) for a in answers]
    first = fresh[0].json()
    for answer in answers:
        if answer.status_code == 409:
            assert answer.headers["content-type"].startswith(PROBLEM)
            assert answer.json()["code"] == "idempotency_in_progress", answer.text
        elif answer is not fresh[0]:
            assert answer.headers["idempotent-replayed"] == "true"
            assert answer.json() == first
    tree = api.get(f"/letters/{letter['letter_id']}/dispositions", user="tu.kominfo").json
    assert {root["assignment"]["disposition_id"] for root in tree["roots"]} == {
        first["disposition_id"]
    }
    entries = api.get(f"/letters/{letter['letter_id']}/history", user="tu.kominfo").json
    assert [e["action"] for e in entries].count("disposed") == 1
    assert overlapped(local_env, "ApiFunction") > 1, "the resends ran one at a time"

    # Once the first is done, a resend is always its answer again.
    late = httpx.post(f"{server.url}{path}", json=body, headers=headers, timeout=30)
    assert late.status_code == 201 and late.headers["idempotent-replayed"] == "true"
    assert late.json() == first
