"""Leave and official travel through the local runner: filing each kind, documents uploaded by
presigned form and checked by content, overlaps, the superior's decision (in person or by his
Plt), cancellation, the head's queue, and the reads the daily status makes.

Each test works in a fresh section below Dinas Kominfo with its own head and staff, so tests
running in parallel never see each other's leave.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import httpx
import pytest
from eoffice import aws, clock
from eoffice.attendance import leave_store
from PIL import Image
from support import hostile_pdfs
from support.api import Answer, Api
from support.organisation import NIP, make_acting, new_employee, new_unit, unit_of

from bench.scans import make_scan

KADIS = "kadis.kominfo"
HR = "tpp.bkpsdm"
PDF = make_scan(1, with_text=True, seed=1404)  # a doctor's note, scanned


@pytest.fixture
def team(api: Api) -> dict[str, Any]:
    """A fresh section below kominfo: its head, two staff, and an outsider of kominfo."""
    kominfo = unit_of(api, KADIS)
    unit = new_unit(api, kominfo)
    head = new_employee(api, unit["unit_id"], roles=["head"], position_id=unit["head_position_id"])
    return {
        "kominfo": kominfo,
        "unit": unit,
        "head": head,
        "staff": new_employee(api, unit["unit_id"]),
        "colleague": new_employee(api, unit["unit_id"]),
        "outsider": new_employee(api, kominfo),
    }


def day(offset: int) -> str:
    return (clock.today() + timedelta(days=offset)).isoformat()


def body(kind: str, first: int, last: int | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "type": kind,
        "starts_on": day(first),
        "ends_on": day(first if last is None else last),
        "reason": "Keperluan keluarga",
        **extra,
    }


def file(api: Api, user: str, data: dict[str, Any], expect: int = 201) -> dict[str, Any]:
    answer = api.post("/leaves", user=user, json_body=data)
    assert answer.status == expect, answer.body
    return answer.json  # type: ignore[no-any-return]


def upload(
    api: Api, user: str, content: bytes, content_type: str = "application/pdf", **extra: Any
) -> str:
    """Upload a document through the presigned form; its ``document_id``."""
    form = api.post(
        "/leaves/documents", user=user, json_body={"content_type": content_type, **extra}
    )
    assert form.status == 201, form.body
    upload = form.json["upload"]
    assert upload["max_bytes"] == 10 * 1024 * 1024
    assert upload["fields"]["Content-Type"] == content_type
    sent = httpx.post(
        upload["url"], data=upload["fields"], files={"file": ("surat.pdf", content)}, timeout=30
    )
    assert sent.status_code in {200, 201, 204}, sent.text
    return form.json["document_id"]  # type: ignore[no-any-return]


def act(api: Api, user: str, leave: dict[str, Any], action: str, note: str | None = None) -> Answer:
    """No body without a note: the note is optional, and so is the body."""
    sent = None if note is None else {"note": note}
    return api.post(f"/leaves/{leave['leave_id']}/{action}", user=user, json_body=sent)


def mine(api: Api, user: str) -> list[dict[str, Any]]:
    answer = api.get("/leaves?mine=true", user=user)
    assert answer.status == 200, answer.body
    return answer.json["items"]  # type: ignore[no-any-return]


def waiting_ids(api: Api, user: str) -> list[str]:
    answer = api.get("/leaves/waiting", user=user)
    assert answer.status == 200, answer.body
    return [leave["leave_id"] for leave in answer.json]


def refused(answer: Answer, status: int, code: str) -> None:
    assert answer.status == status, answer.body
    assert answer.json["code"] == code, answer.body


# ---------------------------------------------------------------- filing
def test_each_kind_can_be_filed(api: Api, team: dict[str, Any]) -> None:
    staff = team["staff"]["username"]
    document_id = upload(api, staff, PDF)
    requests = [
        body("izin", 1),
        body("cuti_tahunan", 3, 5),
        body("cuti_sakit", 7, 8, document_id=document_id),
        body("cuti_melahirkan", 10, 20),
        body("cuti_besar", 30, 40),
        body("cuti_alasan_penting", 50),
        body("cltn", 60, 70),
        body("dinas_luar", 80, 82, travel_order_number="094/123/SPT/2026", destination="Makassar"),
    ]
    filed = [file(api, staff, request) for request in requests]
    for request, leave in zip(requests, filed, strict=True):
        assert leave["type"] == request["type"]
        assert leave["state"] == "pending"
        assert leave["nip"] == team["staff"]["nip"] == leave["filed_by"]
        assert leave["unit_id"] == leave["approver_unit_id"] == team["unit"]["unit_id"]
        assert (leave["starts_on"], leave["ends_on"]) == (request["starts_on"], request["ends_on"])
        assert [event["action"] for event in leave["history"]] == ["filed"]
    sick, travel = filed[2], filed[-1]
    assert sick["document_id"] == document_id
    assert sick["document_media_type"] == "application/pdf"
    assert sick["document_key"] == f"leave-documents/{team['staff']['nip']}/{document_id}"
    assert travel["travel_order_number"] == "094/123/SPT/2026"
    assert travel["destination"] == "Makassar"

    listed = [leave["leave_id"] for leave in mine(api, staff)]
    assert listed == [leave["leave_id"] for leave in reversed(filed)]  # newest first
    page = api.get("/leaves?limit=3", user=staff).json
    assert [leave["leave_id"] for leave in page["items"]] == listed[:3]
    rest = api.get(f"/leaves?limit=10&cursor={page['next_cursor']}", user=staff).json
    assert [leave["leave_id"] for leave in rest["items"]] == listed[3:]
    refused(api.get("/leaves?cursor=bm9wZQ==", user=staff), 422, "invalid_cursor")


def test_a_head_files_to_the_head_above(api: Api, team: dict[str, Any]) -> None:
    head = team["head"]["username"]
    leave = file(api, head, body("cuti_tahunan", 2, 3))
    assert leave["approver_unit_id"] == team["kominfo"]
    assert leave["leave_id"] not in waiting_ids(api, head)  # never his own
    assert leave["leave_id"] in waiting_ids(api, KADIS)
    refused(act(api, head, leave, "approve"), 403, "not_your_decision")
    assert act(api, KADIS, leave, "approve").status == 200


def test_sick_leave_needs_a_real_document(api: Api, team: dict[str, Any]) -> None:
    staff = team["staff"]["username"]
    refused(
        api.post("/leaves", user=staff, json_body=body("cuti_sakit", 0)), 422, "document_required"
    )
    fake = upload(api, staff, os.urandom(4096))
    refused(
        api.post("/leaves", user=staff, json_body=body("cuti_sakit", 0, document_id=fake)),
        422,
        "invalid_document",
    )
    empty = upload(api, staff, b"")
    refused(
        api.post("/leaves", user=staff, json_body=body("cuti_sakit", 0, document_id=empty)),
        422,
        "invalid_document",
    )
    never = "0" * 32
    refused(
        api.post("/leaves", user=staff, json_body=body("cuti_sakit", 0, document_id=never)),
        422,
        "document_not_found",
    )
    # A document under another employee's prefix is not his.
    theirs = upload(api, team["colleague"]["username"], PDF)
    refused(
        api.post("/leaves", user=staff, json_body=body("cuti_sakit", 0, document_id=theirs)),
        422,
        "document_not_found",
    )
    assert mine(api, staff) == []  # nothing was written

    photo = io.BytesIO()
    Image.new("L", (600, 800), 230).save(photo, "PNG")  # a photo of the note
    png = photo.getvalue()
    document_id = upload(api, staff, png, "image/png")
    leave = file(api, staff, body("cuti_sakit", -3, 0, document_id=document_id))
    assert leave["document_media_type"] == "image/png"


@pytest.mark.parametrize(
    ("hostile", "code", "said"),
    [
        (hostile_pdfs.javascript_on_open, "active_content", "JavaScript"),
        (hostile_pdfs.decompression_bomb, "too_complex", "too complex"),
    ],
)
def test_a_hostile_pdf_is_refused_as_a_leave_document(
    api: Api, team: dict[str, Any], hostile: Callable[[int], bytes], code: str, said: str
) -> None:
    """A leave's document is checked as a letter's file is (ADR 0015): a PDF that runs script or
    inflates past the bounds names no leave, and none is filed."""
    staff = team["staff"]["username"]
    seed = int(team["staff"]["nip"][-6:])
    document_id = upload(api, staff, hostile(seed))
    answer = api.post(
        "/leaves", user=staff, json_body=body("cuti_sakit", 0, document_id=document_id)
    )
    refused(answer, 422, code)
    assert answer.content_type.startswith("application/problem+json"), answer.headers
    assert said in answer.json["detail"], answer.json
    assert mine(api, staff) == []
    assert waiting_ids(api, team["head"]["username"]) == []

    plain = upload(api, staff, make_scan(1, with_text=True, seed=seed))
    leave = file(api, staff, body("cuti_sakit", 0, document_id=plain))
    assert leave["document_id"] == plain and leave["document_media_type"] == "application/pdf"


def test_document_link_for_employee_approver_and_hr(api: Api, team: dict[str, Any]) -> None:
    staff = team["staff"]["username"]
    document_id = upload(api, staff, PDF)
    leave = file(api, staff, body("cuti_sakit", 1, 2, document_id=document_id))
    path = f"/leaves/{leave['leave_id']}/document"
    for user in (staff, team["head"]["username"], HR):
        answer = api.get(path, user=user)
        assert answer.status == 200, (user, answer.body)
        assert answer.json["media_type"] == "application/pdf"
        assert answer.json["size"] == len(PDF)
        fetched = httpx.get(answer.json["url"], timeout=30)
        assert fetched.status_code == 200 and fetched.content == PDF
    for user in (team["colleague"]["username"], team["outsider"]["username"], "admin"):
        refused(api.get(path, user=user), 403, "not_your_leave")
    plain = file(api, staff, body("izin", 5))
    refused(api.get(f"/leaves/{plain['leave_id']}/document", user=staff), 404, "no_document")


def test_the_link_serves_the_document_as_checked(api: Api, team: dict[str, Any]) -> None:
    """The form may be posted again while valid: the leave keeps the version it checked."""
    staff = team["staff"]["username"]
    form = api.post("/leaves/documents", user=staff, json_body={"content_type": "application/pdf"})
    assert form.status == 201, form.body
    upload_ = form.json["upload"]
    valid_for = datetime.fromisoformat(upload_["expires_at"]) - clock.utcnow()
    assert timedelta(minutes=4) < valid_for <= timedelta(minutes=5)

    def send(content: bytes) -> None:
        files = {"file": ("surat.pdf", content)}
        sent = httpx.post(upload_["url"], data=upload_["fields"], files=files, timeout=30)
        assert sent.status_code in {200, 201, 204}, sent.text

    send(PDF)
    leave = file(api, staff, body("cuti_sakit", 1, 2, document_id=form.json["document_id"]))
    assert leave["document_version"]
    assert act(api, team["head"]["username"], leave, "approve").status == 200
    replacement = b"%PDF-1.7\n% another note altogether, written after the approval\n%%EOF\n"
    send(replacement)
    current = aws.client("s3").get_object(
        Bucket=api.env.stack.refs["AttendanceBucket"], Key=leave["document_key"]
    )
    assert current["Body"].read() == replacement, "the key now holds the replacement"
    answer = api.get(f"/leaves/{leave['leave_id']}/document", user=HR)
    assert answer.status == 200, answer.body
    assert answer.json["size"] == len(PDF)
    fetched = httpx.get(answer.json["url"], timeout=30)
    assert fetched.status_code == 200 and fetched.content == PDF


def test_documents_are_uploaded_for_oneself_unless_hr(api: Api, team: dict[str, Any]) -> None:
    staff, nip = team["staff"]["username"], team["staff"]["nip"]
    other = {"content_type": "application/pdf", "nip": team["colleague"]["nip"]}
    refused(api.post("/leaves/documents", user=staff, json_body=other), 403, "hr_only")
    wrong_type = {"content_type": "application/zip"}
    assert api.post("/leaves/documents", user=staff, json_body=wrong_type).status == 422
    document_id = upload(api, HR, PDF, nip=nip)
    leave = file(api, HR, body("cuti_sakit", -5, -1, document_id=document_id, nip=nip))
    assert leave["nip"] == nip and leave["filed_by"] == NIP[HR]
    assert leave["approver_unit_id"] == team["unit"]["unit_id"]


def test_travel_needs_its_travel_order(api: Api, team: dict[str, Any]) -> None:
    staff = team["staff"]["username"]
    refused(
        api.post("/leaves", user=staff, json_body=body("dinas_luar", 1)),
        422,
        "travel_order_required",
    )
    with_order = body("izin", 1, travel_order_number="094/1/SPT")
    refused(api.post("/leaves", user=staff, json_body=with_order), 422, "travel_order_not_allowed")
    somewhere = body("cuti_tahunan", 1, destination="Palopo")
    refused(api.post("/leaves", user=staff, json_body=somewhere), 422, "destination_not_allowed")
    assert mine(api, staff) == []


def test_period_rules(api: Api, team: dict[str, Any]) -> None:
    staff = team["staff"]["username"]
    cases = [
        (body("izin", 3, 2), "invalid_period"),
        (body("cltn", 1, 367), "period_too_long"),
        (body("cuti_tahunan", -1), "starts_too_early"),  # planned leave is asked beforehand
        (body("izin", -31), "starts_too_early"),
        (body("izin", 367), "starts_too_late"),
    ]
    for request, code in cases:
        refused(api.post("/leaves", user=staff, json_body=request), 422, code)
    assert mine(api, staff) == []
    file(api, staff, body("izin", -30))  # after the fact, within 30 days
    file(api, staff, body("cltn", 1, 366))  # a whole leap year at most
    refused(
        api.post("/leaves", user=staff, json_body={**body("izin", 400), "extra": 1}),
        422,
        "validation_failed",
    )


def test_hr_files_for_an_employee_others_cannot(api: Api, team: dict[str, Any]) -> None:
    nip = team["staff"]["nip"]
    colleague = team["colleague"]["username"]
    refused(api.post("/leaves", user=colleague, json_body=body("izin", 1, nip=nip)), 403, "hr_only")
    # hr records a paper approval of planned leave after the fact
    leave = file(api, HR, body("cuti_tahunan", -10, -8, nip=nip))
    assert leave["nip"] == nip and leave["filed_by"] == NIP[HR]
    assert [item["leave_id"] for item in mine(api, team["staff"]["username"])] == [
        leave["leave_id"]
    ]
    refused(act(api, HR, leave, "approve"), 403, "not_your_decision")  # hr does not decide


def test_overlapping_leave_is_refused(api: Api, team: dict[str, Any]) -> None:
    staff = team["staff"]["username"]
    first = file(api, staff, body("izin", 5, 7))
    for start, end in [(7, 9), (3, 5), (6, 6), (1, 20)]:
        answer = api.post("/leaves", user=staff, json_body=body("cuti_tahunan", start, end))
        refused(answer, 409, "leave_overlaps")
        assert answer.json["leave_id"] == first["leave_id"]
    file(api, staff, body("cuti_tahunan", 8, 9))  # the day after is free
    assert act(api, team["head"]["username"], first, "approve").status == 200
    refused(api.post("/leaves", user=staff, json_body=body("izin", 7)), 409, "leave_overlaps")
    assert act(api, staff, first, "cancel").status == 200
    file(api, staff, body("izin", 5, 7))  # free again once cancelled
    # another employee's leave never overlaps his
    file(api, team["colleague"]["username"], body("izin", 5, 7))


# ---------------------------------------------------------------- deciding
def test_the_head_approves_others_cannot(api: Api, team: dict[str, Any]) -> None:
    staff, head = team["staff"]["username"], team["head"]["username"]
    leave = file(api, staff, body("cuti_tahunan", 2, 4))
    for user in (staff, team["colleague"]["username"], team["outsider"]["username"], KADIS, HR):
        refused(act(api, user, leave, "approve"), 403, "not_your_decision")
    assert api.get(f"/leaves/{leave['leave_id']}", user=staff).json["state"] == "pending"

    answer = act(api, head, leave, "approve", "Selamat berlibur")
    assert answer.status == 200, answer.body
    approved = answer.json
    assert approved["state"] == "approved"
    event = approved["history"][-1]
    assert (event["action"], event["by"], event["note"]) == (
        "approved",
        team["head"]["nip"],
        "Selamat berlibur",
    )
    assert event["acting"] is None
    refused(act(api, head, leave, "approve"), 409, "leave_not_pending")
    refused(act(api, head, leave, "reject", "Terlambat"), 409, "leave_not_pending")
    assert api.get(f"/leaves/{leave['leave_id']}", user=staff).json["state"] == "approved"
    refused(act(api, head, {"leave_id": "f" * 32}, "approve"), 404, "leave_not_found")
    refused(act(api, head, {"leave_id": "nope"}, "approve"), 404, "leave_not_found")


def test_rejecting_needs_a_note(api: Api, team: dict[str, Any]) -> None:
    head = team["head"]["username"]
    leave = file(api, team["staff"]["username"], body("cuti_tahunan", 2))
    refused(act(api, head, leave, "reject"), 422, "note_required")
    empty = api.post(f"/leaves/{leave['leave_id']}/reject", user=head, json_body={})
    refused(empty, 422, "note_required")
    refused(act(api, head, leave, "reject", "   "), 422, "validation_failed")
    answer = act(api, head, leave, "reject", "Banyak pekerjaan minggu ini")
    assert answer.status == 200, answer.body
    assert answer.json["state"] == "rejected"
    assert answer.json["history"][-1]["note"] == "Banyak pekerjaan minggu ini"
    assert leave["leave_id"] not in waiting_ids(api, head)


def test_a_plt_of_the_head_approves(api: Api, team: dict[str, Any]) -> None:
    plt = new_employee(api, team["kominfo"])
    leave = file(api, team["staff"]["username"], body("izin", 1))
    refused(act(api, plt["username"], leave, "approve"), 403, "not_your_decision")
    make_acting(api, plt["nip"], team["unit"]["head_position_id"], "plt")
    assert leave["leave_id"] in waiting_ids(api, plt["username"])
    answer = act(api, plt["username"], leave, "approve")
    assert answer.status == 200, answer.body
    event = answer.json["history"][-1]
    assert (event["by"], event["acting"]) == (plt["nip"], "plt")


def test_cancelling(api: Api, team: dict[str, Any]) -> None:
    staff, head = team["staff"]["username"], team["head"]["username"]
    pending = file(api, staff, body("izin", 1))
    refused(act(api, team["colleague"]["username"], pending, "cancel"), 403, "not_your_leave")
    refused(act(api, head, pending, "cancel"), 403, "not_your_leave")
    answer = act(api, staff, pending, "cancel", "Tidak jadi")
    assert answer.status == 200 and answer.json["state"] == "cancelled", answer.body
    assert pending["leave_id"] not in waiting_ids(api, head)
    refused(act(api, staff, pending, "cancel"), 409, "leave_not_cancellable")
    refused(act(api, head, pending, "approve"), 409, "leave_not_pending")

    future = file(api, staff, body("cuti_tahunan", 3, 4))
    assert act(api, head, future, "approve").status == 200
    assert act(api, staff, future, "cancel").json["state"] == "cancelled"

    begun = file(api, staff, body("izin", 0))
    assert act(api, head, begun, "approve").status == 200
    refused(act(api, staff, begun, "cancel"), 409, "leave_started")
    cancelled = act(api, HR, begun, "cancel", "Salah input")
    assert cancelled.status == 200 and cancelled.json["state"] == "cancelled"
    assert [e["action"] for e in cancelled.json["history"]] == ["filed", "approved", "cancelled"]
    assert cancelled.json["history"][-1]["by"] == NIP[HR]


def test_the_waiting_list_holds_only_pending_leave_of_his_units(
    api: Api, team: dict[str, Any]
) -> None:
    head = team["head"]["username"]
    assert waiting_ids(api, head) == []
    a = file(api, team["staff"]["username"], body("izin", 4))
    b = file(api, team["colleague"]["username"], body("cuti_tahunan", 2, 3))
    c = file(api, team["staff"]["username"], body("cuti_tahunan", 10, 11))
    assert waiting_ids(api, head) == [b["leave_id"], a["leave_id"], c["leave_id"]]  # by date
    assert act(api, head, a, "approve").status == 200
    assert act(api, head, c, "reject", "Tidak bisa").status == 200
    assert waiting_ids(api, head) == [b["leave_id"]]
    for user in (team["staff"]["username"], team["outsider"]["username"], HR):
        assert b["leave_id"] not in waiting_ids(api, user)
    outside = file(api, team["outsider"]["username"], body("izin", 1))
    assert outside["leave_id"] not in waiting_ids(api, head)
    assert outside["leave_id"] in waiting_ids(api, KADIS)


# ---------------------------------------------------------------- reading
def test_who_reads_a_leave(api: Api, team: dict[str, Any]) -> None:
    leave = file(api, team["staff"]["username"], body("izin", 1))
    path = f"/leaves/{leave['leave_id']}"
    for user in (team["staff"]["username"], team["head"]["username"], KADIS, HR):
        answer = api.get(path, user=user)
        assert answer.status == 200, (user, answer.body)
        assert answer.json["leave_id"] == leave["leave_id"]
    # An admin is an operator, not a superior: like any colleague, he may not read it.
    for user in (
        team["colleague"]["username"],
        team["outsider"]["username"],
        "staf.kominfo",
        "admin",
    ):
        refused(api.get(path, user=user), 403, "not_your_leave")
    refused(api.get("/leaves/" + "a" * 32, user=HR), 404, "leave_not_found")


def test_a_units_month(api: Api, team: dict[str, Any]) -> None:
    unit_id, head = team["unit"]["unit_id"], team["head"]["username"]
    month = (clock.today().replace(day=1) + timedelta(days=40)).replace(day=1)  # next month + 1
    first = (month - clock.today()).days
    inside = file(api, team["staff"]["username"], body("cuti_tahunan", first - 2, first + 1))
    later = file(api, team["colleague"]["username"], body("cuti_besar", first + 40, first + 45))
    path = f"/leaves?unit={unit_id}&month={month:%Y-%m}"
    for user in (head, KADIS, HR):
        answer = api.get(path, user=user)
        assert answer.status == 200, (user, answer.body)
        assert [item["leave_id"] for item in answer.json["items"]] == [inside["leave_id"]]
    assert later["leave_id"] not in [i["leave_id"] for i in api.get(path, user=HR).json["items"]]
    assert api.get(f"{path}&state=approved", user=HR).json["items"] == []
    for user in (team["staff"]["username"], team["outsider"]["username"], "admin"):
        refused(api.get(path, user=user), 403, "not_your_unit")
    refused(api.get(f"/leaves?unit={unit_id}&month=2026-13", user=HR), 422, "invalid_month")
    refused(api.get(f"{path}&mine=true", user=HR), 422, "mine_or_unit")


def test_approved_leave_for_the_daily_status(api: Api, team: dict[str, Any]) -> None:
    staff, head = team["staff"], team["head"]["username"]
    approved = file(api, staff["username"], body("cuti_tahunan", 2, 4))
    pending = file(api, staff["username"], body("izin", 6))
    travel = file(api, staff["username"], body("dinas_luar", 8, 9, travel_order_number="094/7/SPT"))
    for leave in (approved, travel):
        assert act(api, head, leave, "approve").status == 200
    today = clock.today()
    span = today, today + timedelta(days=30)

    found = leave_store.approved_leave_of(staff["nip"], *span)
    assert [leave.leave_id for leave in found] == [approved["leave_id"], travel["leave_id"]]
    first = found[0]
    assert first.type.value == "cuti_tahunan" and first.state.value == "approved"
    assert [first.covers(today + timedelta(days=n)) for n in range(1, 6)] == [
        False,
        True,
        True,
        True,
        False,
    ]
    assert pending["leave_id"] not in [leave.leave_id for leave in found]
    assert leave_store.approved_leave_of(staff["nip"], today + timedelta(days=5), today) == []
    later = leave_store.approved_leave_of(staff["nip"], today + timedelta(days=9), span[1])
    assert [leave.leave_id for leave in later] == [travel["leave_id"]]

    in_unit = leave_store.approved_leave_in_unit(team["unit"]["unit_id"], *span)
    assert [leave.leave_id for leave in in_unit] == [approved["leave_id"], travel["leave_id"]]
    assert (
        leave_store.approved_leave_in_unit(
            team["unit"]["unit_id"], today + timedelta(days=5), today + timedelta(days=7)
        )
        == []
    )
    assert act(api, staff["username"], travel, "cancel").status == 200
    assert [leave.leave_id for leave in leave_store.approved_leave_of(staff["nip"], *span)] == [
        approved["leave_id"]
    ]
    assert date.fromisoformat(approved["starts_on"]) == first.starts_on
