"""The inbox (GET /me/inbox) and its badge (GET /me/inbox/summary) through the local runner:
a fresh recipient's assignments and tembusan, every filter and order, cursor paging, and the
DynamoDB calls a page costs."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from eoffice_local.aws_calls import counting, total
from support.api import Api, Intake
from support.dispositions import assignment_path, dispose
from support.letters import registered_letter
from support.organisation import NIP, new_employee, unit_of

HEAD = "kadis.kominfo"


@pytest.fixture
def recipient(api: Api) -> dict[str, Any]:
    """A fresh staff member of the kominfo unit: his inbox holds only what a test sends."""
    return new_employee(api, unit_of(api, HEAD))


def soon(seconds: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat()


def wait_past(deadline: str) -> None:
    left = (datetime.fromisoformat(deadline) - datetime.now(UTC)).total_seconds()
    time.sleep(max(0.0, left) + 0.5)


def ids(api: Api, user: str, query: str = "", *, expect: int = 200) -> list[str]:
    answer = api.get(f"/me/inbox{query}", user=user)
    assert answer.status == expect, answer.body
    return [item["assignment_id"] for item in answer.json["items"]]


def one(disposed: dict[str, Any], kind: str = "assignment") -> dict[str, Any]:
    (found,) = [a for a in disposed["assignments"] if a["kind"] == kind]
    return found


def test_inbox_lists_filters_and_orders(
    api: Api, intake: Intake, recipient: dict[str, Any]
) -> None:
    me, nip = recipient["username"], recipient["nip"]
    plain = registered_letter(api, intake, urgensi="biasa")["letter_id"]
    urgent = registered_letter(api, intake, urgensi="segera")["letter_id"]
    later = one(dispose(api, HEAD, plain, nip, deadline=soon(3 * 86400), note="Pelajari"))
    sooner = one(dispose(api, HEAD, urgent, nip, deadline=soon(86400)))
    copy = one(dispose(api, HEAD, plain, "staf.kominfo", tembusan=[{"nip": nip}]), "tembusan")
    assert {later["recipient_nip"], copy["recipient_nip"]} == {nip}
    assert copy["deadline"] is None

    newest = [copy, sooner, later]
    assert ids(api, me) == [a["assignment_id"] for a in newest]
    assert ids(api, me, "?sort=newest") == ids(api, me)
    listed = api.get("/me/inbox", user=me).json["items"]
    assert [(a["kind"], a["letter"]["letter_id"]) for a in listed] == [
        ("tembusan", plain),
        ("assignment", urgent),
        ("assignment", plain),
    ]
    assert listed[2]["sender_nip"] == NIP[HEAD] and listed[2]["note"] == "Pelajari"
    # Someone else's inbox holds none of them.
    assert not set(ids(api, "staf.kominfo")) & set(ids(api, me))

    # Open ones by nearest deadline; tembusan (no deadline) last.
    by_deadline = [sooner, later, copy]
    assert ids(api, me, "?sort=deadline") == [a["assignment_id"] for a in by_deadline]

    assert ids(api, me, "?urgensi=segera") == [sooner["assignment_id"]]
    assert ids(api, me, "?urgensi=biasa&sort=deadline") == [
        a["assignment_id"] for a in (later, copy)
    ]
    assert ids(api, me, "?urgensi=amat_segera") == []
    assert api.get("/me/inbox?urgensi=kilat", user=me).status == 422

    # Acting on them moves them between statuses.
    assert api.get(assignment_path(later), user=me).json["status"] == "read"
    done = api.post(assignment_path(sooner) + "/complete", user=me, json_body={"report": "Beres"})
    assert done.status == 200, done.body
    assert ids(api, me, "?status=done") == [sooner["assignment_id"]]
    assert ids(api, me, "?status=read") == [later["assignment_id"]]
    assert ids(api, me, "?status=sent") == [copy["assignment_id"]]
    assert ids(api, me, "?status=read,done") == [sooner["assignment_id"], later["assignment_id"]]
    assert ids(api, me, "?status=%20read%20,%20done") == ids(api, me, "?status=read,done")
    assert ids(api, me, "?status=read&urgensi=segera") == []
    assert ids(api, me, "?status=returned,cancelled") == []
    # A done assignment leaves the deadline order.
    assert ids(api, me, "?sort=deadline") == [a["assignment_id"] for a in (later, copy)]
    assert ids(api, me, "?sort=deadline&status=read") == [later["assignment_id"]]

    for query in ("?status=bogus", "?status=read,finished"):
        answer = api.get(f"/me/inbox{query}", user=me)
        assert answer.status == 422 and answer.json["code"] == "invalid_status", query
    for query in ("?sort=deadline&status=done", "?overdue=true&status=read,cancelled"):
        answer = api.get(f"/me/inbox{query}", user=me)
        assert answer.status == 422 and answer.json["code"] == "open_statuses_only", query
    assert api.get("/me/inbox?sort=oldest", user=me).status == 422

    # Open with deadlines days ahead: nothing overdue. A short deadline passes: only that one.
    assert ids(api, me, "?overdue=true") == []
    due = soon(5)
    lapsing = one(dispose(api, HEAD, plain, nip, deadline=due))
    wait_past(due)
    assert ids(api, me, "?overdue=true") == [lapsing["assignment_id"]]
    assert ids(api, me, "?overdue=true&status=sent") == [lapsing["assignment_id"]]
    assert ids(api, me, "?overdue=true&status=read") == []
    assert ids(api, me, "?overdue=true&urgensi=segera") == []
    assert ids(api, me, "?overdue=true&urgensi=biasa") == [lapsing["assignment_id"]]
    assert ids(api, me, "?overdue=false") == [a["assignment_id"] for a in [lapsing, *newest]]
    assert ids(api, me, "?sort=deadline") == [a["assignment_id"] for a in (lapsing, later, copy)]
    # Reported late, it is no longer overdue.
    late = api.post(assignment_path(lapsing) + "/complete", user=me, json_body={"report": "Telat"})
    assert late.status == 200, late.body
    assert ids(api, me, "?overdue=true") == []


def walk(api: Api, user: str, query: str, limit: int) -> tuple[list[str], list[int]]:
    """Every page of a listing: the ids in order and each page's size."""
    seen: list[str] = []
    sizes: list[int] = []
    cursor = None
    for _ in range(50):
        answer = api.get(
            f"/me/inbox?limit={limit}{query}" + (f"&cursor={cursor}" if cursor else ""), user=user
        )
        assert answer.status == 200, answer.body
        page = answer.json
        assert len(page["items"]) <= limit
        seen.extend(item["assignment_id"] for item in page["items"])
        sizes.append(len(page["items"]))
        cursor = page["next_cursor"]
        if not cursor:
            return seen, sizes
    raise AssertionError("the cursor never ran out")


def test_cursor_pages_walk_every_item_once(api: Api, intake: Intake) -> None:
    kominfo = unit_of(api, HEAD)
    person, other = new_employee(api, kominfo), new_employee(api, kominfo)
    letter = registered_letter(api, intake)["letter_id"]
    sent = [
        one(dispose(api, HEAD, letter, person["nip"], deadline=soon((6 - i) * 86400)))
        for i in range(5)
    ]
    dispose(api, HEAD, letter, other["nip"])
    me = person["username"]
    everything = ids(api, me)
    assert everything == [a["assignment_id"] for a in reversed(sent)]

    for limit in (1, 2, 3, 5):
        seen, sizes = walk(api, me, "", limit)
        assert seen == everything, limit
        assert all(size == limit for size in sizes[:-1]), (limit, sizes)
    seen, _ = walk(api, me, "&sort=deadline", 2)
    assert seen == everything  # the later sent ones are due sooner
    seen, _ = walk(api, me, "&status=sent", 2)
    assert seen == everything

    first = api.get("/me/inbox?limit=2", user=me).json
    assert len(first["items"]) == 2 and first["next_cursor"]
    # The cursor belongs to this listing: another person's inbox, or the deadline order,
    # refuses it, as it does one made up.
    theirs = api.get(f"/me/inbox?cursor={first['next_cursor']}", user=other["username"])
    assert theirs.status == 422 and theirs.json["code"] == "invalid_cursor"
    other_order = api.get(f"/me/inbox?sort=deadline&cursor={first['next_cursor']}", user=me)
    assert other_order.status == 422 and other_order.json["code"] == "invalid_cursor"
    deadline_page = api.get("/me/inbox?sort=deadline&limit=2", user=me).json
    swapped = api.get(f"/me/inbox?cursor={deadline_page['next_cursor']}", user=me)
    assert swapped.status == 422 and swapped.json["code"] == "invalid_cursor"
    for made_up in ("bm90LWpzb24", "e30=", "%%%"):
        answer = api.get(f"/me/inbox?cursor={made_up}", user=me)
        assert answer.status == 422 and answer.json["code"] == "invalid_cursor", made_up
    for limit in (0, 201):
        assert api.get(f"/me/inbox?limit={limit}", user=me).status == 422


def test_an_inbox_page_is_two_queries_and_no_scan(api: Api, intake: Intake) -> None:
    person = new_employee(api, unit_of(api, HEAD))
    letter = registered_letter(api, intake)["letter_id"]
    for i in range(3):  # three dispositions, not one sent again (409 already_disposed)
        dispose(api, HEAD, letter, person["nip"], note=f"Bagian {i + 1}")
    me = person["username"]
    api.get("/me/inbox", user=me)  # load the handler first
    for query in ("?limit=2", "?sort=deadline&limit=2", "?status=sent", "?overdue=true"):
        with counting() as calls:
            answer = api.get(f"/me/inbox{query}", user=me)
        assert answer.status == 200, answer.body
        assert answer.json["items"] or query == "?overdue=true"
        assert total(calls, "dynamodb") == 2, (query, calls)
        assert calls["dynamodb:Query"] == 2, (query, calls)
    with counting() as calls:
        assert api.get("/me/inbox/summary", user=me).status == 200
    assert total(calls, "dynamodb") == 2 and calls["dynamodb:Query"] == 2, calls


def test_summary_counts_follow_the_assignments(api: Api, intake: Intake) -> None:
    person = new_employee(api, unit_of(api, HEAD))
    me, nip = person["username"], person["nip"]

    def summary() -> dict[str, int]:
        answer = api.get("/me/inbox/summary", user=me)
        assert answer.status == 200, answer.body
        return answer.json  # type: ignore[no-any-return]

    assert summary() == {"unread": 0, "in_progress": 0, "overdue": 0, "open": 0}
    letter = registered_letter(api, intake)["letter_id"]
    first = one(dispose(api, HEAD, letter, nip))
    second = one(dispose(api, HEAD, letter, nip, note="Yang kedua"))
    copy = one(dispose(api, HEAD, letter, "staf.kominfo", tembusan=[{"nip": nip}]), "tembusan")
    # A tembusan is unread until read, but it is nothing to act on.
    assert summary() == {"unread": 3, "in_progress": 0, "overdue": 0, "open": 2}

    assert api.get(assignment_path(first), user=me).json["status"] == "read"
    assert summary() == {"unread": 2, "in_progress": 0, "overdue": 0, "open": 2}
    started = api.post(assignment_path(second) + "/start", user=me)
    assert started.status == 200, started.body
    assert summary() == {"unread": 1, "in_progress": 1, "overdue": 0, "open": 2}
    assert api.get(assignment_path(copy), user=me).json["status"] == "read"
    assert summary() == {"unread": 0, "in_progress": 1, "overdue": 0, "open": 2}

    due = soon(5)
    lapsing = one(dispose(api, HEAD, letter, nip, deadline=due))
    wait_past(due)
    assert summary() == {"unread": 1, "in_progress": 1, "overdue": 1, "open": 3}
    done = api.post(assignment_path(second) + "/complete", user=me, json_body={"report": "Ok"})
    assert done.status == 200, done.body
    assert summary() == {"unread": 1, "in_progress": 0, "overdue": 1, "open": 2}
    returned = api.post(
        assignment_path(lapsing) + "/return", user=me, json_body={"reason": "Bukan bidang saya"}
    )
    assert returned.status == 200, returned.body
    assert summary() == {"unread": 0, "in_progress": 0, "overdue": 0, "open": 1}
    # The sender's withdrawal of an unread one takes it off the badge too.
    fresh = one(dispose(api, HEAD, letter, nip, note="Satu lagi"))
    assert summary()["unread"] == 1
    cancelled = api.post(assignment_path(fresh) + "/cancel", user=HEAD)
    assert cancelled.status == 200, cancelled.body
    assert summary() == {"unread": 0, "in_progress": 0, "overdue": 0, "open": 1}
    # Someone else's inbox cannot be read without acting for him.
    refused = api.get(f"/me/inbox/summary?on_behalf_of={nip}", user="staf.kominfo")
    assert refused.status == 403 and refused.json["code"] == "not_acting_for"
    own = api.get(f"/me/inbox/summary?on_behalf_of={nip}", user=me)
    assert own.status == 200 and own.json == summary()


def test_a_filtered_page_is_still_one_query(api: Api, intake: Intake) -> None:
    """Filters are FilterExpressions (ADR 0010): a page that matches little is shorter than
    ``limit``, even empty, and its cursor continues; it never reads on to fill itself."""
    person = new_employee(api, unit_of(api, HEAD))
    me = person["username"]
    letter = registered_letter(api, intake)["letter_id"]
    sent = [one(dispose(api, HEAD, letter, person["nip"], note=f"Bagian {i}")) for i in range(5)]
    finished = api.post(assignment_path(sent[0]) + "/complete", user=me, json_body={"report": "Ok"})
    assert finished.status == 200, finished.body
    api.get("/me/inbox", user=me)  # load the handler first
    with counting() as calls:
        first = api.get("/me/inbox?status=done&limit=2", user=me)
    assert first.status == 200, first.body
    assert calls["dynamodb:Query"] == 2 and total(calls, "dynamodb") == 2, calls
    assert first.json["items"] == [] and first.json["next_cursor"]
    seen, sizes = walk(api, me, "&status=done", 2)
    assert seen == [sent[0]["assignment_id"]]
    assert all(size <= 2 for size in sizes)
