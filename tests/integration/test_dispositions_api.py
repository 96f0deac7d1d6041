"""The disposition API through the local runner and the emulator: disposing and forwarding, acting
on assignments (read, start, done with a report file, return, cancel), races, history and events,
rahasia letters along the chain, and the problem answers of every refusal."""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from eoffice import aws, clock
from support import hostile_pdfs
from support.api import Answer, Api, Intake
from support.dispositions import assignment_path, dispose
from support.events import EventTap
from support.letters import letter_metadata, registered_letter
from support.nips import fresh_nip
from support.organisation import NIP, new_employee, new_unit, unit_of

from bench.scans import make_scan

PROBLEM = "application/problem+json"


# ---------------------------------------------------------------- small helpers
def problem(answer: Answer, status: int, code: str) -> dict[str, Any]:
    """Assert an RFC 9457 problem with ``status`` and ``code``; returns its body."""
    assert answer.status == status, answer.body
    assert answer.content_type.startswith(PROBLEM), answer.headers
    body: dict[str, Any] = answer.json
    assert body["status"] == status and body["code"] == code, body
    assert body["title"] and body["detail"]
    return body


def at(value: str) -> datetime:
    return datetime.fromisoformat(value)


def history(api: Api, letter_id: str, user: str = "tu.kominfo") -> list[dict[str, Any]]:
    answer = api.get(f"/letters/{letter_id}/history", user=user)
    assert answer.status == 200, answer.body
    return answer.json  # type: ignore[no-any-return]


def actions_on(entries: list[dict[str, Any]], assignment_id: str) -> list[str]:
    """The history actions of one assignment, in order."""
    return [e["action"] for e in entries if e["details"].get("assignment_id") == assignment_id]


def tree(api: Api, letter_id: str, user: str) -> dict[str, Any]:
    answer = api.get(f"/letters/{letter_id}/dispositions", user=user)
    assert answer.status == 200, answer.body
    return answer.json  # type: ignore[no-any-return]


def act(api: Api, assignment: dict[str, Any], verb: str, user: str, **body: Any) -> Answer:
    return api.post(f"{assignment_path(assignment)}/{verb}", user=user, json_body=body or {})


def png_bytes(seed: int) -> bytes:
    """A small valid greyscale PNG whose pixels depend on ``seed``."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    width, height = 8, 4
    rows = b"".join(b"\x00" + bytes([(seed + y) % 256]) * width for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def upload_report(api: Api, assignment: dict[str, Any], user: str, name: str, data: bytes) -> str:
    """Ask for a report upload form and post ``data`` to it; returns the file_id."""
    form = api.post(f"{assignment_path(assignment)}/report-uploads", user=user)
    assert form.status == 201, form.body
    upload = form.json["upload"]
    assert set(form.json) >= {"file_id", "upload"} and upload["url"] and upload["fields"]
    sent = httpx.post(
        upload["url"], data=upload["fields"], files={"file": (name, data)}, timeout=30
    )
    assert sent.status_code in {200, 201, 204}, sent.text
    return form.json["file_id"]  # type: ignore[no-any-return]


# ---------------------------------------------------------------- disposing
def test_dispose_to_people_unit_heads_and_tembusan(api: Api, intake: Intake) -> None:
    letter = registered_letter(api, intake)
    lid, kominfo = letter["letter_id"], letter["unit_id"]
    section = new_unit(api, kominfo)
    section_head = new_employee(
        api, section["unit_id"], roles=["head"], position_id=section["head_position_id"]
    )
    tap = EventTap(api)
    body = {
        "recipients": [{"nip": NIP["staf.kominfo"]}, {"unit_id": section["unit_id"]}],
        "tembusan": [{"nip": NIP["admin"]}],
        "instructions": ["tindak_lanjuti", "untuk_diketahui"],
        "note": "  Mohon segera dikoordinasikan  ",
    }
    answer = api.post(f"/letters/{lid}/dispositions", user="kadis.kominfo", json_body=body)
    assert answer.status == 201, answer.body
    disposed = answer.json
    by_nip = {a["recipient_nip"]: a for a in disposed["assignments"]}
    assert set(by_nip) == {NIP["staf.kominfo"], section_head["nip"], NIP["admin"]}
    staff, head, copy = (
        by_nip[NIP["staf.kominfo"]],
        by_nip[section_head["nip"]],
        by_nip[NIP["admin"]],
    )
    for a in (staff, head):
        assert a["kind"] == "assignment" and a["status"] == "sent"
        assert a["instructions"] == ["tindak_lanjuti", "untuk_diketahui"]
        assert a["note"] == "Mohon segera dikoordinasikan"
        assert a["sender_nip"] == a["acted_by_nip"] == NIP["kadis.kominfo"]
        assert a["acted_as"] == "self" and a["parent_assignment_id"] is None
        assert a["disposition_id"] == disposed["disposition_id"]
        assert at(a["deadline"]) > at(a["created_at"]) and a["remind_at"]
        assert a["letter"]["letter_id"] == lid
    assert head["recipient_unit_id"] == section["unit_id"]
    assert head["recipient_position_id"] == section["head_position_id"]
    assert staff["deadline"] == head["deadline"]
    assert copy["kind"] == "tembusan" and copy["deadline"] is None and copy["remind_at"] is None
    assert copy["disposition_id"] == disposed["disposition_id"]

    # Everyone it went to may now see the letter; the history tells recipients from copies.
    seen = api.get(f"/letters/{lid}", user="tu.kominfo").json["disposed_to"]
    assert set(seen) >= set(by_nip)
    assert api.get(f"/letters/{lid}", user=section_head["username"]).status == 200
    (entry,) = [e for e in history(api, lid) if e["action"] == "disposed"]
    assert entry["actor_nip"] == NIP["kadis.kominfo"]
    assert sorted(entry["details"]["recipients"]) == sorted(
        [staff["recipient_nip"], head["recipient_nip"]]
    )
    assert entry["details"]["tembusan"] == [NIP["admin"]]
    assert entry["details"]["disposition_id"] == disposed["disposition_id"]
    (event,) = tap.of("LetterDisposed", letter_id=lid)
    assert event["disposition_id"] == disposed["disposition_id"]
    assert event["tembusan"] == [NIP["admin"]]

    # A tembusan informs only: it is read, never started, reported or forwarded.
    assert api.get(assignment_path(copy), user="admin").json["status"] == "read"
    for verb, extra in (("start", {}), ("complete", {"report": "Sudah"})):
        refused = problem(act(api, copy, verb, "admin", **extra), 409, "tembusan_not_actionable")
        assert refused["current"]["assignment_id"] == copy["assignment_id"]
    refused = api.post(
        f"/letters/{lid}/dispositions",
        user="admin",
        json_body={"recipients": [{"nip": NIP["staf.kominfo"]}], "instructions": ["arsipkan"]},
    )
    problem(refused, 403, "not_letter_holder")
    inbox = api.get("/me/inbox", user="admin").json["items"]
    assert any(
        i["assignment_id"] == copy["assignment_id"] and i["kind"] == "tembusan" for i in inbox
    )


def test_default_deadline_follows_urgensi(
    api: Api, intake: Intake, monkeypatch: pytest.MonkeyPatch
) -> None:
    letter = registered_letter(api, intake, urgensi="biasa")
    lid = letter["letter_id"]
    # Disposed on a Monday morning (09:00 WITA), well before the day's close: deadlines are
    # whole working days after it, whatever time the suite runs at.
    monday = datetime(2026, 12, 14, 1, 0, tzinfo=UTC)
    monkeypatch.setattr(clock, "utcnow", lambda: monday)
    deadlines: dict[str, timedelta] = {}
    for urgensi in ("biasa", "segera", "amat_segera"):
        if urgensi != "biasa":
            fixed = api.patch(f"/letters/{lid}", user="tu.kominfo", json_body={"urgensi": urgensi})
            assert fixed.status == 200, fixed.body
        # A note of its own: the same disposition again would be 409 already_disposed.
        (a,) = dispose(api, "kadis.kominfo", lid, "staf.kominfo", note=urgensi)["assignments"]
        assert a["letter"]["urgensi"] == urgensi
        assert at(a["created_at"]) == monday
        deadlines[urgensi] = at(a["deadline"]) - at(a["created_at"])
        assert at(a["created_at"]) < at(a["remind_at"]) < at(a["deadline"])
    assert timedelta(hours=24) <= deadlines["amat_segera"] < deadlines["segera"]
    assert timedelta(hours=48) <= deadlines["segera"] < deadlines["biasa"]
    assert deadlines["biasa"] >= timedelta(days=5)

    asked = (monday + timedelta(days=2)).replace(microsecond=0)
    (a,) = dispose(api, "kadis.kominfo", lid, "staf.kominfo", deadline=asked.isoformat())[
        "assignments"
    ]
    assert at(a["deadline"]) == asked


def test_dispose_refusals_are_problems_and_create_nothing(api: Api, intake: Intake) -> None:
    letter = registered_letter(api, intake)
    lid = letter["letter_id"]
    before = history(api, lid)

    def refused(status: int, code: str, **body: Any) -> dict[str, Any]:
        sent = {"recipients": [{"nip": NIP["staf.kominfo"]}], "instructions": ["tindak_lanjuti"]}
        sent.update(body)
        answer = api.post(f"/letters/{lid}/dispositions", user="kadis.kominfo", json_body=sent)
        return problem(answer, status, code)

    assert (
        "bukan_instruksi"
        in refused(422, "unknown_instruction", instructions=["bukan_instruksi"])["detail"]
    )
    past = (datetime.now().astimezone() - timedelta(hours=1)).isoformat()
    refused(422, "deadline_in_past", deadline=past)
    naive = (datetime.now() + timedelta(days=1)).replace(tzinfo=None).isoformat()
    refused(422, "validation_failed", deadline=naive)
    refused(422, "validation_failed", recipients=[])
    refused(422, "validation_failed", recipients=[{"nip": NIP["staf.kominfo"], "unit_id": "x"}])
    refused(422, "recipient_is_sender", recipients=[{"nip": NIP["kadis.kominfo"]}])
    # Several recipients, one unknown: nothing at all is written.
    unknown = fresh_nip()
    body = refused(
        422,
        "unknown_employee",
        recipients=[{"nip": NIP["staf.kominfo"]}, {"nip": unknown}, {"nip": NIP["admin"]}],
    )
    assert unknown in body["detail"]
    refused(
        403,
        "recipient_out_of_reach",
        recipients=[{"nip": NIP["staf.kominfo"]}, {"nip": NIP["tpp.bkpsdm"]}],
    )
    assert tree(api, lid, "kadis.kominfo")["count"] == 0
    assert history(api, lid) == before
    assert api.get(f"/letters/{lid}", user="staf.kominfo").status == 404
    inbox = api.get("/me/inbox", user="staf.kominfo").json["items"]
    assert all(i["letter_id"] != lid for i in inbox)


def test_only_holders_of_a_registered_letter_dispose(api: Api, intake: Intake) -> None:
    letter = registered_letter(api, intake)
    lid = letter["letter_id"]
    body = {"recipients": [{"nip": NIP["admin"]}], "instructions": ["tindak_lanjuti"]}
    # Another unit's staff cannot even see the letter.
    problem(
        api.post(f"/letters/{lid}/dispositions", user="tpp.bkpsdm", json_body=body),
        404,
        "letter_not_found",
    )
    problem(api.get(f"/letters/{lid}/dispositions", user="tpp.bkpsdm"), 404, "letter_not_found")
    # A staff member of the unit who holds nothing does not see it either.
    problem(
        api.post(f"/letters/{lid}/dispositions", user="staf.kominfo", json_body=body),
        404,
        "letter_not_found",
    )
    (a,) = dispose(api, "kadis.kominfo", lid, "staf.kominfo")["assignments"]
    done = act(api, a, "complete", "staf.kominfo", report="Sudah ditindaklanjuti")
    assert done.status == 200, done.body
    # He still sees the letter, but with his assignment closed he holds nothing to dispose.
    assert api.get(f"/letters/{lid}", user="staf.kominfo").status == 200
    problem(
        api.post(f"/letters/{lid}/dispositions", user="staf.kominfo", json_body=body),
        403,
        "not_letter_holder",
    )
    problem(
        api.post(
            f"/letters/{lid}/dispositions",
            user="kadis.kominfo",
            json_body={**body, "parent_assignment_id": a["assignment_id"]},
        ),
        403,
        "not_recipient",
    )
    # The clerk and the head hold the letter; the clerk disposes it too.
    dispose(api, "tu.kominfo", lid, "admin")
    # A letter still waiting for its file cannot be disposed.
    pending = api.post("/letters", user="tu.kominfo", json_body=letter_metadata())
    assert pending.status == 201, pending.body
    pending_id = pending.json["letter"]["letter_id"]
    assert pending.json["letter"]["status"] == "awaiting_file"
    answer = api.post(f"/letters/{pending_id}/dispositions", user="kadis.kominfo", json_body=body)
    problem(answer, 409, "letter_not_registered")
    assert tree(api, pending_id, "tu.kominfo")["count"] == 0


def test_reach_is_the_unit_and_below_except_for_bupati_and_sekda(api: Api, intake: Intake) -> None:
    letter = registered_letter(api, intake)
    lid = letter["letter_id"]
    for outsider in ("kepala.bkpsdm", "tpp.bkpsdm"):
        answer = api.post(
            f"/letters/{lid}/dispositions",
            user="kadis.kominfo",
            json_body={"recipients": [{"nip": NIP[outsider]}], "instructions": ["tindak_lanjuti"]},
        )
        assert NIP[outsider] in problem(answer, 403, "recipient_out_of_reach")["detail"]
    answer = api.post(
        f"/letters/{lid}/dispositions",
        user="kadis.kominfo",
        json_body={
            "recipients": [{"unit_id": unit_of(api, "kepala.bkpsdm")}],
            "instructions": ["koordinasikan"],
        },
    )
    problem(answer, 403, "recipient_out_of_reach")
    assert tree(api, lid, "kadis.kominfo")["count"] == 0

    # The regency's own clerk sends a letter to the bupati and the sekda, who reach anyone.
    root = unit_of(api, "bupati")
    clerk = new_employee(api, root, roles=["tu"])
    top = registered_letter(api, intake, clerk=clerk["username"])
    tid = top["letter_id"]
    to_leaders = dispose(api, clerk["username"], tid, "sekda", "bupati")["assignments"]
    assert {a["recipient_nip"] for a in to_leaders} == {NIP["sekda"], NIP["bupati"]}
    by_sekda = dispose(api, "sekda", tid, "kepala.bkpsdm", "tpp.bkpsdm")["assignments"]
    sekda_assignment = next(a for a in to_leaders if a["recipient_nip"] == NIP["sekda"])
    assert {a["parent_assignment_id"] for a in by_sekda} == {sekda_assignment["assignment_id"]}
    (by_bupati,) = dispose(api, "bupati", tid, "staf.kominfo")["assignments"]
    assert by_bupati["sender_nip"] == NIP["bupati"]
    assert api.get(f"/letters/{tid}", user="kepala.bkpsdm").status == 200
    assert api.get(f"/letters/{tid}", user="staf.kominfo").status == 200
    # Down the chain the usual reach applies again.
    answer = api.post(
        f"/letters/{tid}/dispositions",
        user="kepala.bkpsdm",
        json_body={
            "recipients": [{"nip": NIP["staf.kominfo"]}],
            "instructions": ["tindak_lanjuti"],
        },
    )
    problem(answer, 403, "recipient_out_of_reach")
    assert tree(api, tid, clerk["username"])["count"] == 5


# ---------------------------------------------------------------- acting on assignments
def test_read_receipt_only_when_the_recipient_opens_it(api: Api, intake: Intake) -> None:
    letter = registered_letter(api, intake)
    lid = letter["letter_id"]
    tap = EventTap(api)
    (a,) = dispose(api, "kadis.kominfo", lid, "staf.kominfo")["assignments"]
    by_sender = api.get(assignment_path(a), user="kadis.kominfo")
    assert by_sender.status == 200, by_sender.body
    assert by_sender.json["status"] == "sent" and by_sender.json["read_at"] is None
    assert api.get(assignment_path(a), user="tu.kominfo").json["status"] == "sent"

    opened = api.get(assignment_path(a), user="staf.kominfo")
    assert opened.status == 200, opened.body
    read = opened.json
    assert read["status"] == "read" and read["read_by_nip"] == NIP["staf.kominfo"]
    assert at(read["read_at"]) >= at(a["created_at"])
    again = api.get(assignment_path(a), user="staf.kominfo").json
    assert again["read_at"] == read["read_at"] and again["status"] == "read"

    (seen,) = tree(api, lid, "kadis.kominfo")["roots"]
    assert seen["assignment"]["read_at"] == read["read_at"]
    assert seen["assignment"]["read_by_nip"] == NIP["staf.kominfo"]
    assert actions_on(history(api, lid), a["assignment_id"]) == ["assignment_read"]
    (event,) = tap.of("AssignmentRead", assignment_id=a["assignment_id"])
    assert event["letter_id"] == lid and event["acted_by_nip"] == NIP["staf.kominfo"]
    problem(
        api.get(f"/letters/{lid}/assignments/{'0' * 32}", user="kadis.kominfo"),
        404,
        "assignment_not_found",
    )


def test_start_and_complete_with_a_png_report(api: Api, intake: Intake) -> None:
    letter = registered_letter(api, intake)
    lid = letter["letter_id"]
    (a,) = dispose(api, "kadis.kominfo", lid, "staf.kominfo")["assignments"]
    started = act(api, a, "start", "staf.kominfo")
    assert started.status == 200, started.body
    assert started.json["status"] == "in_progress" and started.json["started_at"]
    assert started.json["read_at"] and started.json["read_by_nip"] == NIP["staf.kominfo"]
    problem(act(api, a, "start", "staf.kominfo"), 409, "invalid_transition")
    problem(act(api, a, "start", "kadis.kominfo"), 403, "not_recipient")
    problem(
        api.post(f"{assignment_path(a)}/report-uploads", user="kadis.kominfo"), 403, "not_recipient"
    )

    image = png_bytes(int(lid[:4], 16))
    file_id = upload_report(api, a, "staf.kominfo", "laporan.png", image)
    problem(
        act(api, a, "complete", "staf.kominfo", report="Selesai", file_id="f" * 32),
        422,
        "unknown_report_file",
    )
    done = act(
        api, a, "complete", "staf.kominfo", report="Rapat koordinasi selesai", file_id=file_id
    )
    assert done.status == 200, done.body
    result = done.json
    assert result["status"] == "done" and result["report"] == "Rapat koordinasi selesai"
    assert result["closed_by_nip"] == NIP["staf.kominfo"] and result["done_at"]
    kept = result["report_file"]
    assert kept["file_id"] == file_id and kept["media_type"] == "image/png"
    assert kept["size"] == len(image)
    assert kept["sha256"] == hashlib.sha256(image).hexdigest()
    # The sender downloads exactly what was uploaded.
    link = api.get(f"{assignment_path(a)}/report-file", user="kadis.kominfo")
    assert link.status == 200, link.body
    assert link.json["media_type"] == "image/png" and link.json["size"] == len(image)
    downloaded = httpx.get(link.json["url"], timeout=30)
    assert downloaded.status_code == 200 and downloaded.content == image
    assert api.get(assignment_path(a), user="kadis.kominfo").json["status"] == "done"
    # Done is final: no return, no second report, no new upload form.
    body = problem(
        act(api, a, "return", "staf.kominfo", reason="Bukan kewenangan"), 409, "invalid_transition"
    )
    assert body["current"]["status"] == "done" and body["current"]["report"] == result["report"]
    problem(act(api, a, "complete", "staf.kominfo", report="Lagi"), 409, "invalid_transition")
    problem(
        api.post(f"{assignment_path(a)}/report-uploads", user="staf.kominfo"),
        409,
        "invalid_transition",
    )
    assert actions_on(history(api, lid), a["assignment_id"]) == [
        "assignment_started",
        "assignment_done",
    ]


def test_report_file_must_be_pdf_or_image(api: Api, intake: Intake) -> None:
    letter = registered_letter(api, intake)
    lid = letter["letter_id"]
    (a,) = dispose(api, "kadis.kominfo", lid, "staf.kominfo")["assignments"]
    text = upload_report(api, a, "staf.kominfo", "laporan.txt", b"Laporan dalam teks biasa\n" * 20)
    problem(
        act(api, a, "complete", "staf.kominfo", report="Selesai", file_id=text),
        415,
        "report_file_type",
    )
    still = api.get(assignment_path(a), user="kadis.kominfo").json
    assert still["status"] == "sent" and still["report"] is None and still["report_file"] is None
    problem(
        api.get(f"{assignment_path(a)}/report-file", user="kadis.kominfo"), 404, "file_not_found"
    )

    pdf = make_scan(1, with_text=True, seed=int(lid[:4], 16))
    file_id = upload_report(api, a, "staf.kominfo", "laporan.pdf", pdf)
    done = act(api, a, "complete", "staf.kominfo", report="Selesai", file_id=file_id)
    assert done.status == 200, done.body
    assert done.json["report_file"]["media_type"] == "application/pdf"
    assert done.json["read_at"] and done.json["read_by_nip"] == NIP["staf.kominfo"]
    link = api.get(f"{assignment_path(a)}/report-file", user="staf.kominfo").json
    assert httpx.get(link["url"], timeout=30).content == pdf


def kept_report_files(api: Api, assignment: dict[str, Any]) -> list[str]:
    """The keys kept in the letters bucket for ``assignment``'s report."""
    prefix = f"letters/{assignment['letter_id']}/reports/{assignment['assignment_id']}/"
    listed = aws.client("s3").list_objects_v2(
        Bucket=api.env.stack.refs["LettersBucket"], Prefix=prefix
    )
    return [item["Key"] for item in listed.get("Contents", [])]


@pytest.mark.parametrize(
    ("hostile", "code", "said"),
    [
        (hostile_pdfs.javascript_on_open, "active_content", "JavaScript"),
        (hostile_pdfs.decompression_bomb, "too_complex", "too complex"),
    ],
)
def test_a_hostile_pdf_is_refused_as_a_report_file(
    api: Api, intake: Intake, hostile: Any, code: str, said: str
) -> None:
    """The report's file is checked as a letter's file is (ADR 0015): a PDF that runs script or
    inflates past the bounds is refused, and the assignment stays as it was, with no file kept."""
    letter = registered_letter(api, intake)
    lid = letter["letter_id"]
    (a,) = dispose(api, "kadis.kominfo", lid, "staf.kominfo")["assignments"]
    seed = int(lid[:6], 16)
    file_id = upload_report(api, a, "staf.kominfo", "laporan.pdf", hostile(seed))
    body = problem(
        act(api, a, "complete", "staf.kominfo", report="Selesai", file_id=file_id), 422, code
    )
    assert said in body["detail"], body
    still = api.get(assignment_path(a), user="kadis.kominfo").json
    assert still["status"] == "sent" and still["report"] is None and still["report_file"] is None
    assert kept_report_files(api, a) == []
    assert "assignment_done" not in actions_on(history(api, lid), a["assignment_id"])

    # The same report with a plain scan goes through.
    plain = make_scan(1, with_text=True, seed=seed)
    file_id = upload_report(api, a, "staf.kominfo", "laporan.pdf", plain)
    done = act(api, a, "complete", "staf.kominfo", report="Selesai", file_id=file_id)
    assert done.status == 200, done.body
    assert done.json["report_file"]["sha256"] == hashlib.sha256(plain).hexdigest()
    assert kept_report_files(api, a) == [f"letters/{lid}/reports/{a['assignment_id']}/{file_id}"]


def test_return_with_a_reason(api: Api, intake: Intake) -> None:
    letter = registered_letter(api, intake)
    lid = letter["letter_id"]
    tap = EventTap(api)
    (a,) = dispose(api, "kadis.kominfo", lid, "staf.kominfo")["assignments"]
    problem(act(api, a, "return", "staf.kominfo", reason=""), 422, "validation_failed")
    problem(act(api, a, "return", "kadis.kominfo", reason="Salah alamat"), 403, "not_recipient")
    answer = act(api, a, "return", "staf.kominfo", reason="Bukan urusan bidang kami")
    assert answer.status == 200, answer.body
    returned = answer.json
    assert returned["status"] == "returned" and returned["returned_at"]
    assert returned["return_reason"] == "Bukan urusan bidang kami"
    assert returned["closed_by_nip"] == NIP["staf.kominfo"]
    # Returned unopened: acting on it is reading it, by whoever acted.
    assert returned["read_at"] and returned["read_by_nip"] == NIP["staf.kominfo"]
    (seen,) = tree(api, lid, "kadis.kominfo")["roots"]
    assert seen["assignment"]["status"] == "returned"
    (entry,) = [e for e in history(api, lid) if e["action"] == "assignment_returned"]
    assert entry["details"]["reason"] == "Bukan urusan bidang kami"
    (event,) = tap.of("AssignmentReturned", assignment_id=a["assignment_id"])
    assert event["letter_id"] == lid and event["reason"] == "Bukan urusan bidang kami"
    problem(act(api, a, "complete", "staf.kominfo", report="Sudah"), 409, "invalid_transition")


def test_cancel_only_by_the_sender_while_unread(api: Api, intake: Intake) -> None:
    letter = registered_letter(api, intake)
    lid = letter["letter_id"]
    tap = EventTap(api)
    unread, opened = dispose(api, "kadis.kominfo", lid, "staf.kominfo", "admin")["assignments"]
    # Neither a recipient nor another recipient may withdraw it.
    problem(act(api, unread, "cancel", "staf.kominfo"), 403, "not_sender")
    problem(act(api, unread, "cancel", "admin"), 403, "not_sender")
    problem(act(api, unread, "cancel", "tpp.bkpsdm"), 404, "letter_not_found")
    answer = act(api, unread, "cancel", "kadis.kominfo")
    assert answer.status == 200, answer.body
    assert answer.json["status"] == "cancelled" and answer.json["cancelled_at"]
    assert answer.json["closed_by_nip"] == NIP["kadis.kominfo"]
    assert api.get(assignment_path(unread), user="staf.kominfo").json["status"] == "cancelled"
    problem(act(api, unread, "start", "staf.kominfo"), 409, "invalid_transition")

    assert api.get(assignment_path(opened), user="admin").json["status"] == "read"
    body = problem(act(api, opened, "cancel", "kadis.kominfo"), 409, "already_read")
    current = body["current"]
    assert current["assignment_id"] == opened["assignment_id"]
    assert current["status"] == "read" and current["read_by_nip"] == NIP["admin"]
    assert api.get(assignment_path(opened), user="kadis.kominfo").json["status"] == "read"

    entries = history(api, lid)
    assert actions_on(entries, unread["assignment_id"]) == ["assignment_cancelled"]
    assert actions_on(entries, opened["assignment_id"]) == ["assignment_read"]
    (event,) = tap.of("AssignmentCancelled", letter_id=lid)
    assert event["assignment_id"] == unread["assignment_id"]


def test_forwarding_builds_the_tree(api: Api, intake: Intake) -> None:
    letter = registered_letter(api, intake, urgensi="segera")
    lid, kominfo = letter["letter_id"], letter["unit_id"]
    section = new_unit(api, kominfo)
    chief = new_employee(
        api, section["unit_id"], roles=["head"], position_id=section["head_position_id"]
    )
    worker = new_employee(api, section["unit_id"])
    tap = EventTap(api)
    (top,) = api.post(
        f"/letters/{lid}/dispositions",
        user="kadis.kominfo",
        json_body={
            "recipients": [{"unit_id": section["unit_id"]}],
            "instructions": ["proses_lebih_lanjut"],
        },
    ).json["assignments"]
    assert top["recipient_nip"] == chief["nip"]
    # A forward may not be due after the assignment it forwards.
    late = (at(top["deadline"]) + timedelta(hours=1)).isoformat()
    answer = api.post(
        f"/letters/{lid}/dispositions",
        user=chief["username"],
        json_body={
            "recipients": [{"nip": worker["nip"]}],
            "instructions": ["siapkan_jawaban"],
            "deadline": late,
        },
    )
    problem(answer, 422, "deadline_after_parent")
    (child,) = dispose(
        api,
        chief["username"],
        lid,
        worker["nip"],
        instructions=["siapkan_jawaban"],
        note="Draf jawaban",
    )["assignments"]
    assert child["parent_assignment_id"] == top["assignment_id"]
    assert child["sender_nip"] == chief["nip"] and at(child["deadline"]) <= at(top["deadline"])
    parent = api.get(assignment_path(top), user="kadis.kominfo").json
    assert parent["status"] == "in_progress" and parent["started_at"] and parent["read_at"]
    assert parent["read_by_nip"] == chief["nip"]
    # The worker forwards nothing further (no one below him); he reports, the chief reports.
    assert act(api, child, "complete", worker["username"], report="Draf siap").status == 200
    assert act(api, top, "complete", chief["username"], report="Jawaban terkirim").status == 200
    # A closed assignment cannot be forwarded any more.
    answer = api.post(
        f"/letters/{lid}/dispositions",
        user=chief["username"],
        json_body={
            "recipients": [{"nip": worker["nip"]}],
            "instructions": ["arsipkan"],
            "parent_assignment_id": top["assignment_id"],
        },
    )
    assert problem(answer, 409, "invalid_transition")["current"]["status"] == "done"

    for viewer in ("kadis.kominfo", chief["username"], worker["username"]):
        shown = tree(api, lid, viewer)
        assert shown["count"] == 2 and shown["letter_id"] == lid
        (root,) = shown["roots"]
        assert root["assignment"]["assignment_id"] == top["assignment_id"]
        (leaf,) = root["children"]
        assert leaf["assignment"]["assignment_id"] == child["assignment_id"]
        assert leaf["assignment"]["status"] == "done" and leaf["children"] == []
    (entry,) = [e for e in history(api, lid) if e["action"] == "forwarded"]
    assert entry["details"]["parent_assignment_id"] == top["assignment_id"]
    assert entry["details"]["recipients"] == [worker["nip"]]
    (event,) = tap.of("DispositionForwarded", letter_id=lid)
    assert event["parent_assignment_id"] == top["assignment_id"]
    assert event["disposition_id"] == child["disposition_id"]


# ---------------------------------------------------------------- consistency
def test_a_write_that_lost_the_race_gets_409_with_the_current_state(
    api: Api, intake: Intake, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other writer is made to land between this request's read and its conditional write,
    as it may in Lambda, at a chosen moment (tests/e2e/test_races_http.py races them for real)."""
    from eoffice.callers import principal_from_claims
    from eoffice.dispositions import assignments, store
    from eoffice.dispositions.models import ReturnRequest

    letter = registered_letter(api, intake)
    lid = letter["letter_id"]
    (a,) = dispose(api, "kadis.kominfo", lid, "staf.kominfo")["assignments"]
    write = store.update
    raced: list[str] = []

    def other_writer_first(record: store.Versioned, entry: Any) -> None:
        if not raced and record.assignment.assignment_id == a["assignment_id"]:
            raced.append(record.assignment.status.value)
            recipient = principal_from_claims({"username": "staf.kominfo"})
            assignments.return_assignment(
                recipient, lid, a["assignment_id"], ReturnRequest(reason="Salah alamat")
            )
        write(record, entry)

    monkeypatch.setattr(store, "update", other_writer_first)
    answer = act(api, a, "complete", "staf.kominfo", report="Selesai")
    monkeypatch.undo()
    assert raced == ["done"]
    body = problem(answer, 409, "disposition_conflict")
    assert body["current"]["status"] == "returned"
    assert body["current"]["return_reason"] == "Salah alamat"
    final = api.get(assignment_path(a), user="kadis.kominfo").json
    assert final["status"] == "returned" and final["report"] is None
    assert actions_on(history(api, lid), a["assignment_id"]) == ["assignment_returned"]


# ---------------------------------------------------------------- history and events
def test_every_step_is_in_the_history_and_published(api: Api, intake: Intake) -> None:
    letter = registered_letter(api, intake)
    lid = letter["letter_id"]
    tap = EventTap(api)
    first, spare = dispose(api, "tu.kominfo", lid, "staf.kominfo", "admin")["assignments"]
    assert act(api, spare, "cancel", "tu.kominfo").status == 200
    assert api.get(assignment_path(first), user="staf.kominfo").status == 200
    assert act(api, first, "start", "staf.kominfo").status == 200
    (forwarded,) = dispose(api, "staf.kominfo", lid, "admin")["assignments"]
    assert act(api, forwarded, "return", "admin", reason="Perlu disposisi ulang").status == 200
    assert act(api, first, "complete", "staf.kominfo", report="Selesai").status == 200

    steps = [
        (e["action"], e["details"].get("assignment_id"))
        for e in history(api, lid)
        if e["action"] not in {"registered", "file_attached"}
    ]
    assert steps == [
        ("disposed", None),
        ("assignment_cancelled", spare["assignment_id"]),
        ("assignment_read", first["assignment_id"]),
        ("assignment_started", first["assignment_id"]),
        ("forwarded", None),
        ("assignment_returned", forwarded["assignment_id"]),
        ("assignment_done", first["assignment_id"]),
    ]
    published = [(e["detail-type"], e["detail"]) for e in tap.drain()]
    mine: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for kind, detail in published:
        if detail.get("letter_id") == lid:
            mine[kind].append(detail)
    assert Counter((kind, d.get("assignment_id")) for kind, ds in mine.items() for d in ds) == {
        ("LetterDisposed", None): 1,
        ("AssignmentCancelled", spare["assignment_id"]): 1,
        ("AssignmentRead", first["assignment_id"]): 1,
        ("AssignmentStarted", first["assignment_id"]): 1,
        ("DispositionForwarded", None): 1,
        ("AssignmentReturned", forwarded["assignment_id"]): 1,
        ("AssignmentDone", first["assignment_id"]): 1,
    }
    assert mine["LetterDisposed"][0]["disposition_id"] == first["disposition_id"]
    assert mine["DispositionForwarded"][0]["parent_assignment_id"] == first["assignment_id"]
    assert mine["DispositionForwarded"][0]["disposition_id"] == forwarded["disposition_id"]
    assert mine["AssignmentDone"][0]["report"] == "Selesai"
    assert mine["AssignmentReturned"][0]["reason"] == "Perlu disposisi ulang"


# ---------------------------------------------------------------- rahasia
def test_rahasia_letter_is_seen_only_along_the_chain(api: Api, intake: Intake) -> None:
    letter = registered_letter(api, intake, sifat="rahasia")
    lid, kominfo = letter["letter_id"], letter["unit_id"]
    on_chain = new_employee(api, kominfo)
    bystander = new_employee(api, kominfo)
    (first,) = dispose(api, "tu.kominfo", lid, "staf.kominfo")["assignments"]
    (second,) = dispose(api, "staf.kominfo", lid, on_chain["nip"])["assignments"]
    assert second["parent_assignment_id"] == first["assignment_id"]
    assert second["letter"]["sifat"] == "rahasia"

    for viewer in ("tu.kominfo", "staf.kominfo", on_chain["username"]):
        assert api.get(f"/letters/{lid}", user=viewer).status == 200, viewer
        assert tree(api, lid, viewer)["count"] == 2
    assert api.get(assignment_path(first), user=on_chain["username"]).status == 200

    # Neither a colleague off the chain nor the unit head (not the addressee) learns it exists.
    for outsider in (bystander["username"], "kadis.kominfo"):
        for path in (
            f"/letters/{lid}",
            f"/letters/{lid}/dispositions",
            f"/letters/{lid}/history",
            assignment_path(first),
            assignment_path(second),
        ):
            problem(api.get(path, user=outsider), 404, "letter_not_found")
        for assignment in (first, second):
            problem(act(api, assignment, "cancel", outsider), 404, "letter_not_found")
            problem(act(api, assignment, "start", outsider), 404, "letter_not_found")
        answer = api.post(
            f"/letters/{lid}/dispositions",
            user=outsider,
            json_body={"recipients": [{"nip": NIP["admin"]}], "instructions": ["arsipkan"]},
        )
        problem(answer, 404, "letter_not_found")
    # Once named the addressee, the head may see it.
    fixed = api.patch(
        f"/letters/{lid}", user="tu.kominfo", json_body={"addressee_nip": NIP["kadis.kominfo"]}
    )
    assert fixed.status == 200, fixed.body
    assert api.get(f"/letters/{lid}", user="kadis.kominfo").status == 200
    assert api.get(f"/letters/{lid}", user=bystander["username"]).status == 404
