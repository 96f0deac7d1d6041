"""Drafts of outgoing letters and their paraf chain, through the API (in-process gateway, moto
over HTTP): validation, versions through the intake, reviewers in order, returns, corrections,
the end of changes once signed, history and who may see a letter."""

from __future__ import annotations

import io
import uuid
from typing import Any
from urllib.parse import urlencode

import httpx
from eoffice.http.problems import PROBLEM_JSON
from support.api import Api, Intake
from support.nips import fresh_nip
from support.organisation import BKPSDM, KOMINFO, NIP, new_employee
from support.outgoing import approve_all, draft, draft_body, sign, upload
from support.pdfs import one_page_pdf

PDF_HEADERS = {"content-type": "application/pdf"}

AUTHOR, FIRST, SECOND = "staf.kominfo", "tu.kominfo", "tpp.bkpsdm"


def all_items(api: Api, path: str, user: str, **params: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {**params, "limit": "200", **({"cursor": cursor} if cursor else {})}
        answer = api.get(f"{path}?{urlencode(query)}", user=user)
        assert answer.status == 200, answer.body
        items += answer.json["items"]
        cursor = answer.json.get("next_cursor")
        if not cursor:
            return items


def box(api: Api, user: str, name: str) -> set[str]:
    return {item["outgoing_id"] for item in all_items(api, "/outgoing", user, box=name)}


def review(
    api: Api, outgoing: dict[str, Any], user: str, decision: str = "approve", **extra: Any
) -> Any:
    body = {"decision": decision, "version": outgoing["versions"][-1]["version"], **extra}
    return api.post(f"/outgoing/{outgoing['outgoing_id']}/reviews", user=user, json_body=body)


def current(api: Api, outgoing_id: str, user: str = AUTHOR) -> dict[str, Any]:
    answer = api.get(f"/outgoing/{outgoing_id}", user=user)
    assert answer.status == 200, answer.body
    return answer.json  # type: ignore[no-any-return]


def png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


# ---------------------------------------------------------------- validation
def test_invalid_drafts_are_refused_with_stable_codes_and_change_nothing(api: Api) -> None:
    author = new_employee(api, KOMINFO)["username"]
    cases: list[tuple[dict[str, Any], str]] = [
        ({"signers": [fresh_nip()]}, "unknown_signer"),
        ({"reviewers": [fresh_nip()]}, "unknown_reviewer"),
        ({"recipients": [{"kind": "unit", "unit_id": "no-such-unit"}]}, "unknown_recipient"),
        ({"signers": [NIP["kadis.kominfo"], NIP["kadis.kominfo"]]}, "validation_failed"),
        ({"classification_code": "80X.1"}, "validation_failed"),
        ({"recipients": [{"kind": "external"}]}, "validation_failed"),
    ]
    for overrides, code in cases:
        answer = api.post("/outgoing", user=author, json_body=draft_body(**overrides))
        assert answer.status == 422, (overrides, answer.body)
        assert answer.content_type.startswith(PROBLEM_JSON)
        assert answer.json["code"] == code, (overrides, answer.json)
    bad_code = api.post(
        "/outgoing", user=author, json_body=draft_body(classification_code="80X.1")
    ).json
    assert any("classification_code" in e["location"] for e in bad_code["errors"]), bad_code
    other_unit = api.post("/outgoing", user=author, json_body=draft_body(unit_id=BKPSDM))
    assert other_unit.status == 403 and other_unit.json["code"] == "other_unit"
    unknown_unit = api.post("/outgoing", user="admin", json_body=draft_body(unit_id="no-such"))
    assert unknown_unit.status == 422 and unknown_unit.json["code"] == "unknown_unit"
    assert box(api, author, "mine") == set()


# ---------------------------------------------------------------- versions through the intake
def test_a_non_pdf_upload_is_refused_and_adds_no_version(api: Api, intake: Intake) -> None:
    created = api.post("/outgoing", user=AUTHOR, json_body=draft_body())
    assert created.status == 201, created.body
    outgoing_id = created.json["outgoing"]["outgoing_id"]
    assert created.json["outgoing"]["status"] == "draft"
    upload(created.json["upload"], png())
    intake.drain()

    after = current(api, outgoing_id)
    assert after["versions"] == [] and after["status"] == "draft"
    refused = [
        r for r in all_items(api, "/intake/rejections", "admin") if r["letter_id"] == outgoing_id
    ]
    assert len(refused) == 1, refused
    assert refused[0]["reason"] == "unsupported_type"

    # A PDF afterwards is version 1: the refused file took no number.
    form = api.post(f"/outgoing/{outgoing_id}/uploads", user=AUTHOR)
    assert form.status == 201, form.body
    upload(form.json, one_page_pdf())
    intake.drain()
    after = current(api, outgoing_id)
    assert [v["version"] for v in after["versions"]] == [1]
    assert after["status"] == "in_review"


def _refusals_told(api: Api, outgoing_id: str, user: str = AUTHOR) -> list[dict[str, Any]]:
    answer = api.get(f"/outgoing/{outgoing_id}/history", user=user)
    assert answer.status == 200, answer.body
    return [e["details"] for e in answer.json if e["action"] == "version_refused"]


def test_a_refused_version_is_told_to_its_author_on_the_draft(api: Api, intake: Intake) -> None:
    """A non-PDF, a PDF with JavaScript and a decompression bomb sent as new versions (inline,
    as Swagger UI does): each answered 202, none becomes a version, and the draft itself says
    why, to those who may see it."""
    from support import hostile_pdfs

    created = api.post("/outgoing", user=AUTHOR, json_body=draft_body(sifat="rahasia"))
    assert created.status == 201, created.body
    outgoing_id = created.json["outgoing"]["outgoing_id"]
    path = f"/outgoing/{outgoing_id}/versions"
    sent = []
    hostile = (hostile_pdfs.javascript_on_open(731_300), hostile_pdfs.decompression_bomb(731_301))
    for data in (png(), *hostile):
        answer = api.post(path, user=AUTHOR, body=data, headers=PDF_HEADERS)
        assert answer.status == 202, answer.body
        sent.append(answer.json)
        intake.drain()

    after = current(api, outgoing_id)
    assert after["versions"] == [] and after["status"] == "draft"
    refused = after["refused_uploads"]
    assert [r["reason"] for r in refused] == ["unsupported_type", "active_content", "too_complex"]
    assert [r["size"] for r in refused] == [s["size"] for s in sent]
    assert "JavaScript" in refused[1]["detail"]
    for item in refused:
        assert item["key"].startswith(f"drafts/{outgoing_id}/") and item["rejected_at"]
    admins = {
        r["rejection_id"]: r
        for r in all_items(api, "/intake/rejections", "admin")
        if r["letter_id"] == outgoing_id
    }
    assert set(admins) == {r["rejection_id"] for r in refused}
    told = _refusals_told(api, outgoing_id)
    assert [(t["rejection_id"], t["reason"], t["detail"], t["key"]) for t in told] == [
        (r["rejection_id"], r["reason"], r["detail"], r["key"]) for r in refused
    ]
    # The reviewer sees the draft and so its refusals; the unit's clerk who is not in this
    # secret letter's chain sees neither.
    assert current(api, outgoing_id, user=FIRST)["refused_uploads"] == refused
    outsider = new_employee(api, KOMINFO, roles=["tu"])["username"]
    assert api.get(f"/outgoing/{outgoing_id}", user=outsider).status == 404
    assert api.get(f"/outgoing/{outgoing_id}/history", user=outsider).status == 404

    # A PDF afterwards is version 1; the refusals stay on record.
    answer = api.post(path, user=AUTHOR, body=one_page_pdf(), headers=PDF_HEADERS)
    assert answer.status == 202, answer.body
    intake.drain()
    after = current(api, outgoing_id)
    assert [v["version"] for v in after["versions"]] == [1]
    assert after["refused_uploads"] == refused


def test_a_refusal_delivered_again_is_told_once(api: Api, intake: Intake) -> None:
    """An earlier delivery quarantined a refused version and stopped before telling the draft;
    the event then comes twice more: the draft is told once, of the rejection on record."""
    from eoffice.intake.models import StoredObject
    from eoffice.intake.refusals import refuse
    from eoffice.outgoing import versions

    created = api.post("/outgoing", user=AUTHOR, json_body=draft_body())
    outgoing_id = created.json["outgoing"]["outgoing_id"]
    key = f"drafts/{outgoing_id}/{uuid.uuid4().hex}"
    item = StoredObject(intake.bucket, key, intake.put(key, png()), None)
    first, _ = refuse(item, "unsupported_type", "a draft to be signed must be a PDF")
    assert current(api, outgoing_id)["refused_uploads"] == []

    for _ in range(2):
        assert str(versions.accept(item)) == "refused (unsupported_type)"

    (refused,) = current(api, outgoing_id)["refused_uploads"]
    assert refused["rejection_id"] == first.rejection_id
    assert [t["rejection_id"] for t in _refusals_told(api, outgoing_id)] == [first.rejection_id]


# ---------------------------------------------------------------- the paraf chain
def test_the_paraf_chain_from_draft_to_signed(api: Api, intake: Intake) -> None:
    reviewers = [NIP[FIRST], NIP[SECOND]]
    outgoing = draft(api, intake, reviewers=reviewers, subject="Rantai paraf uji")
    outgoing_id = outgoing["outgoing_id"]
    assert outgoing["status"] == "in_review" and len(outgoing["versions"]) == 1
    assert outgoing_id in box(api, FIRST, "waiting")

    # Reviewers act in order.
    early = review(api, outgoing, SECOND)
    assert early.status == 403 and early.json["code"] == "not_your_turn"
    outgoing = review(api, outgoing, FIRST).json
    assert [r["status"] for r in outgoing["reviews"]] == ["approved", "pending"]
    assert outgoing_id in box(api, SECOND, "waiting")
    assert outgoing_id not in box(api, FIRST, "waiting")

    # A second upload is version 2 and restarts the chain.
    form = api.post(f"/outgoing/{outgoing_id}/uploads", user=AUTHOR)
    assert form.status == 201, form.body
    upload(form.json, one_page_pdf("Versi kedua dengan perbaikan redaksi."))
    intake.drain()
    outgoing = current(api, outgoing_id)
    assert [v["version"] for v in outgoing["versions"]] == [1, 2]
    assert [r["status"] for r in outgoing["reviews"]] == ["pending", "pending"]
    assert outgoing["status"] == "in_review"

    # Reviewing an older version is stale.
    stale = api.post(
        f"/outgoing/{outgoing_id}/reviews",
        user=FIRST,
        json_body={"decision": "approve", "version": 1},
    )
    assert stale.status == 409 and stale.json["code"] == "stale_version", stale.body
    assert current(api, outgoing_id)["reviews"][0]["status"] == "pending"

    # A return needs a note; with one, the draft waits on its author.
    no_note = review(api, outgoing, FIRST, "return")
    assert no_note.status == 422 and no_note.json["code"] == "validation_failed"
    assert current(api, outgoing_id)["status"] == "in_review"
    returned = review(api, outgoing, FIRST, "return", note="Perbaiki tanggal rapat").json
    assert returned["status"] == "returned"
    assert returned["reviews"][0]["status"] == "returned"
    assert returned["reviews"][0]["note"] == "Perbaiki tanggal rapat"
    assert outgoing_id in box(api, AUTHOR, "waiting")
    assert outgoing_id not in box(api, FIRST, "waiting")

    # Only the author corrects; a correction restarts the chain.
    foreign = api.patch(f"/outgoing/{outgoing_id}", user=FIRST, json_body={"subject": "Lain"})
    assert foreign.status == 403 and foreign.json["code"] == "author_only"
    corrected = api.patch(
        f"/outgoing/{outgoing_id}",
        user=AUTHOR,
        json_body={"subject": "Rantai paraf uji (perbaikan)", "classification_code": "000.1"},
    )
    assert corrected.status == 200, corrected.body
    outgoing = corrected.json
    assert outgoing["status"] == "in_review" and outgoing["subject"].endswith("(perbaikan)")
    assert outgoing["provisional_number"].startswith("000.1/.../")
    assert [r["status"] for r in outgoing["reviews"]] == ["pending", "pending"]
    assert outgoing_id in box(api, FIRST, "waiting")

    outgoing = approve_all(api, outgoing)
    assert outgoing["status"] == "ready_to_sign"
    # Even a ready letter restarts on a correction.
    outgoing = api.patch(
        f"/outgoing/{outgoing_id}", user=AUTHOR, json_body={"summary": "Ringkasan baru"}
    ).json
    assert outgoing["status"] == "in_review"
    late_form = api.post(f"/outgoing/{outgoing_id}/uploads", user=AUTHOR).json
    outgoing = approve_all(api, outgoing)
    signed = sign(api, outgoing_id, "kadis.kominfo")
    assert signed["status"] == "signed" and signed["number"].startswith("000.1/")

    # A signed letter never changes, nor takes a version (even through an earlier form).
    frozen = api.patch(f"/outgoing/{outgoing_id}", user=AUTHOR, json_body={"subject": "Ubah"})
    assert frozen.status == 409 and frozen.json["code"] == "not_a_draft"
    no_form = api.post(f"/outgoing/{outgoing_id}/uploads", user=AUTHOR)
    assert no_form.status == 409 and no_form.json["code"] == "not_a_draft"
    upload(late_form, one_page_pdf("Versi susulan"))
    intake.drain()
    after = current(api, outgoing_id)
    assert len(after["versions"]) == 2 and after["subject"] == "Rantai paraf uji (perbaikan)"
    assert after["signed_file"] == signed["signed_file"]
    refused = [
        r for r in all_items(api, "/intake/rejections", "admin") if r["letter_id"] == outgoing_id
    ]
    assert [r["reason"] for r in refused] == ["not_a_draft"]

    # History: every step, in order.
    history = api.get(f"/outgoing/{outgoing_id}/history", user=AUTHOR)
    assert history.status == 200, history.body
    actions = [entry["action"] for entry in history.json]
    assert actions == [
        "drafted",
        "version_uploaded",
        "paraf_given",
        "version_uploaded",
        "returned",
        "corrected",
        "paraf_given",
        "paraf_given",
        "corrected",
        "paraf_given",
        "paraf_given",
        "numbered",
        "signed",
        "delivered",
        "version_refused",  # the late upload: the record of a signed letter stays as signed
    ], actions
    assert history.json[-1]["details"]["reason"] == "not_a_draft"
    assert after["refused_uploads"] == []
    returned_entry = history.json[actions.index("returned")]
    assert returned_entry["actor_nip"] == NIP[FIRST]
    assert returned_entry["details"]["note"] == "Perbaiki tanggal rapat"


# ---------------------------------------------------------------- who sees what
def test_visibility_of_drafts_by_unit_and_secrecy(api: Api, intake: Intake) -> None:
    outgoing = draft(api, intake, subject="Surat biasa untuk uji visibilitas")
    outgoing_id = outgoing["outgoing_id"]
    stranger = new_employee(api, BKPSDM)["username"]
    hidden = api.get(f"/outgoing/{outgoing_id}", user=stranger)
    assert hidden.status == 404 and hidden.json["code"] == "outgoing_not_found"
    assert api.get(f"/outgoing/{outgoing_id}/history", user=stranger).status == 404
    assert api.get(f"/outgoing/{outgoing_id}/file", user=stranger).status == 404

    # The unit's clerk and head list the unit's letters; its staff may not.
    clerk_only = new_employee(api, KOMINFO, roles=["tu"])["username"]
    assert outgoing_id in box(api, clerk_only, "unit")
    assert outgoing_id in box(api, "kadis.kominfo", "unit")
    refused = api.get("/outgoing?box=unit", user=AUTHOR)
    assert refused.status == 403 and refused.json["code"] == "unit_only"
    other = api.get(f"/outgoing?box=unit&unit={KOMINFO}", user="kepala.bkpsdm")
    assert other.status == 403

    # A secret letter is hidden from the unit's clerk unless he takes part in it.
    secret = api.post(
        "/outgoing", user=AUTHOR, json_body=draft_body(sifat="rahasia", reviewers=[])
    ).json["outgoing"]
    assert api.get(f"/outgoing/{secret['outgoing_id']}", user=clerk_only).status == 404
    assert secret["outgoing_id"] not in box(api, clerk_only, "unit")
    assert api.get(f"/outgoing/{secret['outgoing_id']}", user=AUTHOR).status == 200
    with_clerk = api.post(
        "/outgoing",
        user=AUTHOR,
        json_body=draft_body(sifat="rahasia", reviewers=[NIP[FIRST]]),
    ).json["outgoing"]
    assert api.get(f"/outgoing/{with_clerk['outgoing_id']}", user=FIRST).status == 200
    assert api.get(f"/outgoing/{with_clerk['outgoing_id']}", user=clerk_only).status == 404
    # The draft's file is for those who may see it.
    download = api.get(f"/outgoing/{outgoing_id}/file", user=clerk_only)
    assert download.status == 200, download.body
    pdf = httpx.get(download.json["url"], timeout=30).content
    assert pdf.startswith(b"%PDF") and len(pdf) == outgoing["versions"][0]["size"]


def test_a_version_sent_in_the_request_goes_through_intake(api: Api, intake: Intake) -> None:
    """The inline upload (what Swagger UI uses) gets the same checks as a presigned one."""
    created = api.post("/outgoing", user="staf.kominfo", json_body=draft_body(reviewers=[]))
    outgoing_id = created.json["outgoing"]["outgoing_id"]
    path = f"/outgoing/{outgoing_id}/versions"
    pdf = one_page_pdf()
    refused = api.post(path, user="tu.kominfo", body=pdf, headers=PDF_HEADERS)
    assert refused.status in {403, 404}  # not the author
    wrong = api.post(
        path, user="staf.kominfo", body=b"plain", headers={"content-type": "text/plain"}
    )
    assert wrong.status == 415
    sent = api.post(path, user="staf.kominfo", body=pdf, headers=PDF_HEADERS)
    assert sent.status == 202, sent.body
    assert sent.json["size"] == len(pdf)
    png = api.post(
        path, user="staf.kominfo", body=b"\x89PNG\r\n\x1a\n" + bytes(64), headers=PDF_HEADERS
    )
    assert png.status == 202  # labelled PDF: the intake function checks the content
    intake.drain()
    outgoing = api.get(f"/outgoing/{outgoing_id}", user="staf.kominfo").json
    assert [v["sha256"] for v in outgoing["versions"]] == [sent.json["sha256"]]
    assert outgoing["status"] == "ready_to_sign"


def test_a_version_that_arrives_after_signing_started_is_refused(api: Api, intake: Intake) -> None:
    """The intake function read the draft, then the letter was signed before it wrote: the
    write must not turn the signed letter back into a draft."""
    import pytest
    from eoffice.intake.models import StoredObject
    from eoffice.outgoing import store, versions

    outgoing = draft(api, intake, reviewers=[])
    before = store.get(outgoing["outgoing_id"], consistent=True)
    assert before is not None
    signed = sign(api, outgoing["outgoing_id"], "kadis.kominfo")
    assert signed["status"] == "signed"
    item = StoredObject("intake", f"drafts/{outgoing['outgoing_id']}/late", "v1", 10)
    with pytest.raises(versions._Late):
        versions._record(before, item, "0" * 64, 10, 1)
    after = api.get(f"/outgoing/{outgoing['outgoing_id']}", user="staf.kominfo").json
    assert after["status"] == "signed" and len(after["versions"]) == 1


def test_an_older_upload_whose_event_comes_late_does_not_become_current(
    api: Api, intake: Intake
) -> None:
    """Two uploads of a draft, their S3 events handled newest first: the newer file is the
    current version; the older one is refused as superseded (kept in quarantine)."""
    import time

    from eoffice.intake.dispatch import accept
    from eoffice.intake.models import StoredObject

    created = api.post("/outgoing", user="staf.kominfo", json_body=draft_body(reviewers=[]))
    outgoing_id = created.json["outgoing"]["outgoing_id"]
    older, newer = one_page_pdf("Versi pertama."), one_page_pdf("Versi kedua, yang benar.")
    keys = [f"drafts/{outgoing_id}/older", f"drafts/{outgoing_id}/newer"]
    versions = []
    for key, pdf in zip(keys, (older, newer), strict=True):
        versions.append(intake.put(key, pdf))
        time.sleep(1.1)  # S3 keeps LastModified to the second
    objects = [
        StoredObject(intake.bucket, key, version, None)
        for key, version in zip(keys, versions, strict=True)
    ]
    assert str(accept(objects[1])).startswith("version 1")
    assert str(accept(objects[0])) == "refused (superseded)"
    intake.drain()  # the queued events of both uploads: nothing changes
    outgoing = api.get(f"/outgoing/{outgoing_id}", user="staf.kominfo").json
    assert len(outgoing["versions"]) == 1
    assert outgoing["versions"][0]["size"] == len(newer)


def test_null_for_a_field_a_draft_must_have_is_refused(api: Api) -> None:
    """The fuzzer's finding on letters (issue 14), for drafts too: null never reaches the store."""
    made = api.post("/outgoing", user="staf.kominfo", json_body=draft_body())
    assert made.status == 201, made.body
    outgoing = made.json["outgoing"]
    path = f"/outgoing/{outgoing['outgoing_id']}"
    answer = api.patch(path, user="staf.kominfo", json_body={"subject": None})
    assert (answer.status, answer.json["code"]) == (422, "validation_failed"), answer.body
    assert api.get(path, user="staf.kominfo").json["subject"] == outgoing["subject"]
