"""Incoming letters through the API against the emulator: registration with agenda numbers and
a presigned upload, corrections kept in the history, who may see what, listing with filters,
and the LetterRegistered event."""

from __future__ import annotations

import itertools
import json
from datetime import date
from typing import Any

import httpx
import pytest
from eoffice import aws, clock
from eoffice_local.aws_calls import counting
from support.api import Api, Intake

from bench.scans import make_scan

_seeds = itertools.count(9000)


def metadata(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "sender_agency": "Dinas Pendidikan Provinsi Sulawesi Selatan",
        "sender_name": "Kepala Dinas",
        "sender_number": "005/123/DISDIK/2026",
        "sender_date": "2026-11-20",
        "subject": "Undangan rapat koordinasi",
        "summary": "Rapat koordinasi digitalisasi sekolah",
        "classification_code": "005",
        "sifat": "biasa",
        "urgensi": "segera",
        "attachment_count": 1,
        "addressee": "Kepala Dinas Kominfo-SP",
        "tembusan": ["Sekretaris Daerah"],
    }
    body.update(overrides)
    return body


def register(api: Api, user: str = "tu.kominfo", **overrides: Any) -> dict[str, Any]:
    answer = api.post("/letters", user=user, json_body=metadata(**overrides))
    assert answer.status == 201, answer.body
    return answer.json  # type: ignore[no-any-return]


def upload(registration: dict[str, Any], data: bytes) -> int:
    form = registration["upload"]
    sent = httpx.post(
        form["url"], data=form["fields"], files={"file": ("scan.pdf", data)}, timeout=30
    )
    return sent.status_code


def test_register_upload_and_download(api: Api, intake: Intake) -> None:
    registration = register(api)
    letter = registration["letter"]
    assert letter["status"] == "awaiting_file"
    assert letter["agenda_number"] >= 1 and letter["agenda_year"] == clock.today().year
    assert letter["received_on"] == clock.today().isoformat()
    form = registration["upload"]
    assert form["method"] == "POST" and form["max_bytes"] == 25 * 1024 * 1024
    assert form["fields"]["key"].startswith(f"uploads/{letter['letter_id']}/")
    scan = make_scan(3, with_text=True, seed=next(_seeds))
    assert upload(registration, scan) in {200, 201, 204}
    intake.drain()
    done = api.get(f"/letters/{letter['letter_id']}", user="tu.kominfo").json
    assert done["status"] == "registered"
    (file,) = done["files"]
    assert (file["pages"], file["size"], file["has_text"]) == (3, len(scan), True)
    download = api.get(f"/letters/{letter['letter_id']}/file", user="kadis.kominfo").json
    assert httpx.get(download["url"], timeout=30).content == scan
    actions = [
        e["action"]
        for e in api.get(f"/letters/{letter['letter_id']}/history", user="tu.kominfo").json
    ]
    assert actions == ["registered", "file_attached"]


def test_register_needs_the_units_clerk_or_head(api: Api) -> None:
    assert api.post("/letters", user="staf.kominfo", json_body=metadata()).status == 403
    setda = next(u for u in api.get("/units", user="tu.kominfo").json if u["code"] == "SETDA")
    answer = api.post("/letters", user="tu.kominfo", json_body=metadata(unit_id=setda["unit_id"]))
    assert answer.status == 403 and answer.json["code"] == "not_unit_handler"
    assert register(api, user="kadis.kominfo")["letter"]["registered_by"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("sifat", "rahasia banget"),
        ("urgensi", "kilat"),
        ("classification_code", "abc"),
        ("sender_date", "kemarin"),
        ("attachment_count", -1),
    ],
)
def test_invalid_metadata_is_refused(api: Api, field: str, value: Any) -> None:
    answer = api.post("/letters", user="tu.kominfo", json_body=metadata(**{field: value}))
    assert answer.status == 422 and answer.json["code"] == "validation_failed"
    assert any(field in error["location"] for error in answer.json["errors"])


def test_corrections_are_kept_in_the_history(api: Api) -> None:
    letter = register(api)["letter"]
    changed = api.patch(
        f"/letters/{letter['letter_id']}",
        user="tu.kominfo",
        json_body={"subject": "Undangan rapat (ralat)", "urgensi": "amat_segera"},
    )
    assert changed.status == 200
    assert changed.json["subject"] == "Undangan rapat (ralat)"
    history = api.get(f"/letters/{letter['letter_id']}/history", user="tu.kominfo").json
    assert history[-1]["action"] == "corrected"
    assert history[-1]["details"]["urgensi"] == {"from": "segera", "to": "amat_segera"}
    assert history[-1]["actor_nip"] == changed.json["registered_by"]
    assert history[0]["action"] == "registered", "history is never rewritten"
    refused = api.patch(
        f"/letters/{letter['letter_id']}", user="staf.kominfo", json_body={"subject": "x"}
    )
    assert refused.status == 404, "staff do not see the unit's letters"


def test_completing_a_scanned_letter_registers_it(api: Api, intake: Intake) -> None:
    intake.put(
        "inbox/DISKOMINFO-SP/tanpa-metadata.pdf", make_scan(1, with_text=False, seed=next(_seeds))
    )
    intake.drain()
    waiting = api.get("/letters?status=needs_metadata&limit=200", user="tu.kominfo").json["items"]
    scanned = next(letter for letter in waiting if letter["source"] == "scanner")
    fields = {k: v for k, v in metadata().items() if k not in {"tembusan"}}
    completed = api.patch(f"/letters/{scanned['letter_id']}", user="tu.kominfo", json_body=fields)
    assert completed.status == 200 and completed.json["status"] == "registered"
    history = api.get(f"/letters/{scanned['letter_id']}/history", user="tu.kominfo").json
    assert history[-1]["action"] == "metadata_completed"


def test_secret_letters_are_seen_only_by_addressee_clerk_and_recipients(api: Api) -> None:
    head = api.get("/me", user="kadis.kominfo").json["employee"]
    secret = register(api, sifat="rahasia", addressee_nip=None)["letter"]
    addressed = register(api, sifat="sangat_rahasia", addressee_nip=head["nip"])["letter"]
    assert api.get(f"/letters/{secret['letter_id']}", user="tu.kominfo").status == 200
    hidden = api.get(f"/letters/{secret['letter_id']}", user="kadis.kominfo")
    assert hidden.status == 404 and hidden.json["code"] == "letter_not_found"
    assert api.get(f"/letters/{addressed['letter_id']}", user="kadis.kominfo").status == 200
    assert api.get(f"/letters/{secret['letter_id']}/file", user="kadis.kominfo").status == 404
    listed = {
        item["letter_id"]
        for item in api.get("/letters?limit=200", user="kadis.kominfo").json["items"]
    }
    assert addressed["letter_id"] in listed and secret["letter_id"] not in listed


def test_other_units_and_staff_get_404(api: Api) -> None:
    letter = register(api)["letter"]
    for user in ("staf.kominfo", "kepala.bkpsdm", "tpp.bkpsdm", "admin"):
        answer = api.get(f"/letters/{letter['letter_id']}", user=user)
        assert answer.status == 404, user
    assert api.get("/letters/0123456789abcdef0123456789abcdef", user="tu.kominfo").status == 404


def test_acting_head_sees_the_units_letters(api: Api) -> None:
    letter = register(api)["letter"]
    head_position = api.get("/me", user="kadis.kominfo").json["employee"]["position_id"]
    actor = api.get("/me", user="kepala.bkpsdm").json["employee"]["nip"]
    today = clock.today().isoformat()
    assert api.get(f"/letters/{letter['letter_id']}", user="kepala.bkpsdm").status == 404
    acting = {
        "actor_nip": actor,
        "position_id": head_position,
        "capacity": "plh",
        "starts_on": today,
        "ends_on": today,
    }
    assert api.post("/acting-assignments", user="admin", json_body=acting).status == 201
    assert api.get(f"/letters/{letter['letter_id']}", user="kepala.bkpsdm").status == 200


def test_listing_filters_newest_first_and_pages(api: Api) -> None:
    unique = f"Badan Uji Filter {next(_seeds)}"
    older = register(
        api, sender_agency=unique, received_on="2026-01-05", classification_code="800.1.2"
    )["letter"]
    newer = register(api, sender_agency=unique, received_on="2026-02-10", sifat="terbatas")[
        "letter"
    ]
    base = f"/letters?sender={unique.split()[-1]}"
    found = [i["letter_id"] for i in api.get(base, user="tu.kominfo").json["items"]]
    assert found == [newer["letter_id"], older["letter_id"]]
    assert [
        i["letter_id"]
        for i in api.get(f"{base}&classification=800", user="tu.kominfo").json["items"]
    ] == [older["letter_id"]]
    assert [
        i["letter_id"] for i in api.get(f"{base}&sifat=terbatas", user="tu.kominfo").json["items"]
    ] == [newer["letter_id"]]
    ranged = api.get(
        f"{base}&received_from=2026-02-01&received_to=2026-02-28", user="tu.kominfo"
    ).json
    assert [i["letter_id"] for i in ranged["items"]] == [newer["letter_id"]]
    assert api.get(f"{base}&status=awaiting_file", user="tu.kominfo").json["items"]
    seen: list[str] = []
    cursor = None
    for _ in range(200):
        page = api.get(
            "/letters?limit=3" + (f"&cursor={cursor}" if cursor else ""), user="tu.kominfo"
        ).json
        seen.extend(item["letter_id"] for item in page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) and older["letter_id"] in seen
    with counting() as calls:
        assert api.get(f"{base}&sifat=terbatas", user="tu.kominfo").status == 200
    assert not any(name.endswith(":Scan") for name in calls), calls


def test_received_year_cannot_move_the_agenda(api: Api) -> None:
    letter = register(api)["letter"]
    answer = api.patch(
        f"/letters/{letter['letter_id']}",
        user="tu.kominfo",
        json_body={"received_on": "2020-01-02"},
    )
    assert answer.status == 422 and answer.json["code"] == "received_year_fixed"


def test_cover_sheet_is_a_pdf_for_those_who_see_the_letter(api: Api) -> None:
    letter = register(api)["letter"]
    answer = api.get(f"/letters/{letter['letter_id']}/cover-sheet", user="tu.kominfo")
    assert answer.status == 200 and answer.content_type == "application/pdf"
    assert answer.body.startswith(b"%PDF-")
    from eoffice.letters.file_rules import inspect, letter_id_from_codes

    assert letter_id_from_codes(inspect(answer.body, max_bytes=10**7).codes) == letter["letter_id"]
    assert api.get(f"/letters/{letter['letter_id']}/cover-sheet", user="staf.kominfo").status == 404


def test_rejections_are_for_admins(api: Api) -> None:
    assert api.get("/intake/rejections", user="tu.kominfo").status == 403
    assert api.get("/intake/rejections", user="admin").status == 200


def test_registration_publishes_an_event(api: Api) -> None:
    events, sqs = aws.client("events"), aws.client("sqs")
    bus = api.env.stack.refs["EventBus"]
    queue = sqs.create_queue(QueueName="letter-events-test")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    events.put_rule(
        Name="letters-test",
        EventBusName=bus,
        EventPattern=json.dumps({"source": ["eoffice.letters"]}),
    )
    events.put_targets(Rule="letters-test", EventBusName=bus, Targets=[{"Id": "q", "Arn": arn}])
    letter = register(api)["letter"]
    received = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=2, MaxNumberOfMessages=10).get(
        "Messages", []
    )
    details = [json.loads(m["Body"]) for m in received]
    mine = [d for d in details if d["detail"]["letter_id"] == letter["letter_id"]]
    assert mine and mine[0]["detail-type"] == "LetterRegistered"
    assert mine[0]["detail"]["agenda_number"] == letter["agenda_number"]


def test_dates_default_to_today_in_the_regency(api: Api) -> None:
    letter = register(api)["letter"]
    assert date.fromisoformat(letter["received_on"]) == clock.today()


def test_a_lost_agenda_ticket_holds_up_the_line_once(api: Api) -> None:
    """A registration that died after taking its ticket delays the next one (at most 5 s), and
    none after it."""
    import time

    from eoffice.letters import store

    unit_id = api.get("/me", user="tu.kominfo").json["unit"]["unit_id"]
    store._take_ticket(f"AGENDA#{unit_id}#{clock.today().year}")  # taken, never served
    started = time.monotonic()
    first = register(api)["letter"]
    waited = time.monotonic() - started
    started = time.monotonic()
    second = register(api)["letter"]
    assert second["agenda_number"] == first["agenda_number"] + 1, "no gap, no duplicate"
    assert waited < 8
    assert time.monotonic() - started < 2, "the line moves again"


def test_null_for_a_field_a_letter_must_have_is_refused(api: Api) -> None:
    """Found by the fuzzer (issue 14): ``"sifat": null`` in a correction used to reach the store
    and fail there (500). A field a letter may lack is still cleared by null."""
    letter = register(api)["letter"]
    path = f"/letters/{letter['letter_id']}"
    answer = api.patch(path, user="tu.kominfo", json_body={"sifat": None, "subject": "Baru"})
    assert (answer.status, answer.json["code"]) == (422, "validation_failed"), answer.body
    assert [e["location"] for e in answer.json["errors"]] == ["body.sifat"]
    assert api.get(path, user="tu.kominfo").json == letter
    cleared = api.patch(path, user="tu.kominfo", json_body={"addressee_nip": None})
    assert cleared.status == 200, cleared.body
