"""Signing outgoing letters through the signing function: numbers (consecutive; under concurrent
signing: tests/e2e/test_races_http.py), Plt/Plh, several signers in order, the institution's seal, revocation,
and what happens when the timestamp authority fails or a signature is already in progress."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from typing import Any

import httpx
import pytest
from eoffice import clock, settings
from eoffice_local.pki_server import PkiServer
from support.api import Api, Intake
from support.organisation import BKPSDM, KOMINFO, NIP, make_acting, new_employee, new_unit
from support.outgoing import draft, sign
from support.pdfs import page_texts
from support.pki import PkiEnv


# ---------------------------------------------------------------- helpers
def ready(api: Api, intake: Intake, **overrides: Any) -> dict[str, Any]:
    """A letter ready to sign: no reviewers, so version 1 makes it ready."""
    overrides.setdefault("reviewers", [])
    outgoing = draft(api, intake, **overrides)
    assert outgoing["status"] == "ready_to_sign", outgoing
    return outgoing


def issue_key(api: Api, pki_env: PkiEnv, owner_nip: str | None, common_name: str) -> str:
    """A KMS key with a certificate from the trusted test PKI, through the admin routes."""
    body = {"owner_nip": owner_nip, "common_name": common_name}
    created = api.post("/signing/keys", user="admin", json_body=body)
    assert created.status == 201, created.body
    certificate = pki_env.pki.sign_csr(created.json["csr_pem"].encode())
    chain = pki_env.pki.chain_pem(certificate).decode()
    imported = api.call(
        "PUT",
        f"/signing/keys/{created.json['key_id']}/certificate",
        user="admin",
        json_body={"chain_pem": chain},
    )
    assert imported.status == 200, imported.body
    assert imported.json["status"] == "active"
    return str(created.json["key_id"])


def signed_pdf(api: Api, outgoing_id: str, user: str = "staf.kominfo") -> bytes:
    answer = api.get(f"/outgoing/{outgoing_id}/file", user=user)
    assert answer.status == 200, answer.body
    return httpx.get(answer.json["url"], timeout=30).content


def verify(api: Api, pdf: bytes) -> dict[str, Any]:
    answer = api.post("/verify", body=pdf, headers={"content-type": "application/pdf"})
    assert answer.status == 200, answer.body
    return answer.json  # type: ignore[no-any-return]


def history(api: Api, outgoing_id: str) -> list[str]:
    answer = api.get(f"/outgoing/{outgoing_id}/history", user="staf.kominfo")
    assert answer.status == 200, answer.body
    return [entry["action"] for entry in answer.json]


def sequence_of(outgoing: dict[str, Any]) -> int:
    year = clock.today().year
    pattern = rf"{re.escape(outgoing['classification_code'])}/(\d+)/{outgoing['unit_code']}/{year}"
    match = re.fullmatch(pattern, outgoing["number"])
    assert match, outgoing["number"]
    assert int(match.group(1)) == outgoing["sequence"] and outgoing["number_year"] == year
    return int(match.group(1))


def last_number(unit_id: str) -> int:
    from eoffice.outgoing import store

    return store.last_number(unit_id, clock.today().year)


# ---------------------------------------------------------------- numbers
def test_numbers_are_consecutive_per_unit_and_year(api: Api, intake: Intake) -> None:
    first = sign(api, ready(api, intake)["outgoing_id"], "kadis.kominfo")
    other_unit = ready(api, intake, author="tpp.bkpsdm", classification_code="000.1")
    in_bkpsdm = sign(api, other_unit["outgoing_id"], "kadis.kominfo")
    second = sign(
        api, ready(api, intake, classification_code="005")["outgoing_id"], "kadis.kominfo"
    )

    assert first["unit_id"] == second["unit_id"] == KOMINFO and in_bkpsdm["unit_id"] == BKPSDM
    assert sequence_of(second) == sequence_of(first) + 1
    assert second["number"].startswith("005/")
    assert sequence_of(in_bkpsdm) == last_number(BKPSDM)
    assert sequence_of(second) == last_number(KOMINFO)
    assert in_bkpsdm["unit_code"] != first["unit_code"]


# ---------------------------------------------------------------- who signs
def test_plt_signs_in_place_of_the_signer(api: Api, intake: Intake, pki_env: PkiEnv) -> None:
    unit = new_unit(api, KOMINFO)
    official = new_employee(
        api, unit["unit_id"], roles=["head"], position_id=unit["head_position_id"]
    )
    plt = new_employee(api, unit["unit_id"])
    outgoing = ready(api, intake, signers=[official["nip"]])
    outgoing_id = outgoing["outgoing_id"]

    # The official has no key (and BSrE is not configured): refused, and nothing is held.
    refused = api.post(f"/outgoing/{outgoing_id}/sign", user=official["username"], json_body={})
    assert refused.status == 409 and refused.json["code"] == "no_signing_key", refused.body
    after = api.get(f"/outgoing/{outgoing_id}", user="staf.kominfo").json
    assert after["status"] == "ready_to_sign" and after["signing_claim"] is None
    assert after["signatures"] == []

    # Before his assignment, the Plt may not sign.
    early = api.post(f"/outgoing/{outgoing_id}/sign", user=plt["username"], json_body={})
    assert early.status == 404, early.body  # he cannot even see the letter yet

    make_acting(api, plt["nip"], unit["head_position_id"], "plt")
    issue_key(api, pki_env, plt["nip"], plt["name"])
    # He finds it among what waits on the official, and nobody else may look there.
    waiting = f"/outgoing?box=waiting&on_behalf_of={official['nip']}"
    listed = api.get(waiting, user=plt["username"])
    assert listed.status == 200 and outgoing_id in [o["outgoing_id"] for o in listed.json["items"]]
    stranger = api.get(waiting, user="staf.kominfo")
    assert stranger.status == 403 and stranger.json["code"] == "not_acting_for"
    signed = sign(api, outgoing_id, plt["username"])
    [signature] = signed["signatures"]
    assert signature["capacity"] == "plt"
    assert signature["signer_nip"] == official["nip"] and signature["signed_by_nip"] == plt["nip"]
    assert signature["position"].startswith("Plt. ") and unit["code"] in signature["position"]
    assert signature["name"] == plt["name"]
    record = api.get(f"/verify/{outgoing_id}").json
    assert record["signatures"][0]["capacity"] == "plt"
    assert record["signatures"][0]["position"].startswith("Plt. ")
    # In the official's place he may also revoke it.
    revoked = api.post(
        f"/outgoing/{outgoing_id}/revoke", user=plt["username"], json_body={"reason": "Salah kirim"}
    )
    assert revoked.status == 200 and revoked.json["status"] == "revoked", revoked.body


def test_three_signers_sign_in_order(api: Api, intake: Intake) -> None:
    signers = ["kadis.kominfo", "sekda", "bupati"]
    outgoing = ready(api, intake, signers=[NIP[s] for s in signers])
    outgoing_id = outgoing["outgoing_id"]

    out_of_turn = api.post(f"/outgoing/{outgoing_id}/sign", user="sekda", json_body={})
    assert out_of_turn.status == 403 and out_of_turn.json["code"] == "not_your_turn"
    first = sign(api, outgoing_id, "kadis.kominfo")
    assert first["status"] == "signing" and first["number"] and first["deliveries"] == []
    assert api.post(f"/outgoing/{outgoing_id}/sign", user="bupati", json_body={}).status == 403
    second = sign(api, outgoing_id, "sekda")
    assert second["status"] == "signing" and second["number"] == first["number"]
    final = sign(api, outgoing_id, "bupati")
    assert final["status"] == "signed" and final["number"] == first["number"]
    assert [s["signer_nip"] for s in final["signatures"]] == [NIP[s] for s in signers]
    assert [s["order"] for s in final["signatures"]] == [0, 1, 2]
    assert len({s["field_name"] for s in final["signatures"]}) == 3
    assert history(api, outgoing_id).count("numbered") == 1
    assert history(api, outgoing_id).count("signed") == 3

    pdf = signed_pdf(api, outgoing_id)
    # Each signature is an incremental update of the previous file.
    earlier = signed_pdf_revision(pdf, first["signed_file"]["size"])
    assert earlier == first["signed_file"]["sha256"]
    assert page_text(pdf).count(final["number"]) == 1  # stamped once, with the first signature

    check = verify(api, pdf)
    report = check["report"]
    assert report["signature_count"] == 3 and report["all_valid"], report
    for entry in report["signatures"]:
        assert entry["intact"] and entry["trusted"], entry
        assert not entry["modified_after_signing"], entry
    assert check["known_document"]["document_id"] == outgoing_id
    assert check["known_document"]["same_file"] is True


def test_a_letter_from_the_template_reads_with_its_real_number_and_date(
    api: Api, intake: Intake
) -> None:
    """The signed file's text layer (search, copy, screen readers) after each of two
    signatures: the letter's number and place-and-date line, and no placeholder."""
    from eoffice_local.sample_letters import letter_with_placeholders

    signers = [NIP["kadis.kominfo"], NIP["sekda"]]
    outgoing = ready(api, intake, signers=signers, pdf=letter_with_placeholders(2))
    outgoing_id = outgoing["outgoing_id"]
    first = sign(api, outgoing_id, "kadis.kominfo")
    after_first = signed_pdf(api, outgoing_id)
    final = sign(api, outgoing_id, "sekda")
    after_both = signed_pdf(api, outgoing_id)
    assert after_both.startswith(after_first)
    for pdf in (after_first, after_both):
        for text in page_texts(pdf):
            assert first["number"] in text and final["signed_on"] in text, text
            assert "[[" not in text and "]]" not in text, text
    report = verify(api, after_both)["report"]
    assert report["signature_count"] == 2 and report["all_valid"], report


def signed_pdf_revision(pdf: bytes, size: int) -> str:
    import hashlib

    return hashlib.sha256(pdf[:size]).hexdigest()


def page_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_seal_follows_the_last_signature(
    api: Api, intake: Intake, pki_env: PkiEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    seal = issue_key(api, pki_env, None, "Pemerintah Kabupaten Luwu Timur")
    monkeypatch.setenv("SEAL_SIGNER_ID", seal)
    settings.reset()
    signed = sign(api, ready(api, intake)["outgoing_id"], "kadis.kominfo")
    assert signed["status"] == "signed"
    assert [s["capacity"] for s in signed["signatures"]] == ["self", "seal"]
    assert signed["signatures"][-1]["position"] == "Segel elektronik"

    report = verify(api, signed_pdf(api, signed["outgoing_id"]))["report"]
    assert report["signature_count"] == 2 and report["all_valid"], report
    assert [s["kind"] for s in report["signatures"]] == ["signature", "seal"]
    assert report["signatures"][-1]["trusted"] and report["signatures"][-1]["intact"]


def test_a_signer_revokes_and_verification_says_so(api: Api, intake: Intake) -> None:
    signed = sign(api, ready(api, intake)["outgoing_id"], "kadis.kominfo")
    outgoing_id = signed["outgoing_id"]
    path = f"/outgoing/{outgoing_id}/revoke"
    body = {"reason": "Salah alamat tujuan surat"}
    refused = api.post(path, user="staf.kominfo", json_body=body)
    assert refused.status == 403 and refused.json["code"] == "revoke_not_allowed"
    revoked = api.post(path, user="kadis.kominfo", json_body=body)
    assert revoked.status == 200, revoked.body
    assert revoked.json["status"] == "revoked"
    assert revoked.json["revocation"]["by_nip"] == NIP["kadis.kominfo"]

    record = api.get(f"/verify/{outgoing_id}").json
    assert record["status"] == "revoked" and record["revocation_reason"] == body["reason"]
    page = api.get(f"/verify/{outgoing_id}", headers={"accept": "text/html"}).body.decode()
    assert "DICABUT" in page and body["reason"] in page
    check = verify(api, signed_pdf(api, outgoing_id))
    assert check["known_document"]["status"] == "revoked"
    [link] = signed["external_links"]
    shared = api.get(link["url"].removeprefix("http://127.0.0.1:3000"))
    assert shared.status == 410 and shared.json["code"] == "letter_revoked", shared.body
    again = api.post(path, user="kadis.kominfo", json_body=body)
    assert again.status == 409 and again.json["code"] == "not_signed"


# ---------------------------------------------------------------- failures and claims
def test_a_tsa_failure_records_nothing_and_the_retry_keeps_the_number(
    api: Api, intake: Intake, pki_knobs: PkiServer
) -> None:
    outgoing_id = ready(api, intake)["outgoing_id"]
    pki_knobs.tsa_mode = "refuse"
    failed = api.post(f"/outgoing/{outgoing_id}/sign", user="kadis.kominfo", json_body={})
    assert failed.status == 502 and failed.json["code"] == "signing_failed", failed.body
    after = api.get(f"/outgoing/{outgoing_id}", user="staf.kominfo").json
    assert after["status"] == "ready_to_sign" and after["signatures"] == []
    assert after["signed_file"] is None and after["signing_claim"] is None
    assert after["number"] is not None  # the number stays with the letter for the retry
    assert "signed" not in history(api, outgoing_id)
    counter = last_number(KOMINFO)
    # Numbered for the approved version: the draft no longer changes.
    patched = api.patch(
        f"/outgoing/{outgoing_id}", user="staf.kominfo", json_body={"subject": "Perihal lain"}
    )
    assert patched.status == 409 and patched.json["code"] == "not_a_draft", patched.body
    resent = api.post(
        f"/outgoing/{outgoing_id}/versions",
        user="staf.kominfo",
        body=b"%PDF-1.4",
        headers={"content-type": "application/pdf"},
    )
    assert resent.status == 409 and resent.json["code"] == "not_a_draft", resent.body

    pki_knobs.tsa_mode = "answer"
    signed = sign(api, outgoing_id, "kadis.kominfo")
    assert signed["number"] == after["number"] and signed["status"] == "signed"
    assert last_number(KOMINFO) == counter  # no second number was taken
    assert history(api, outgoing_id).count("numbered") == 1


def test_a_fresh_claim_keeps_others_from_signing_and_a_stale_one_does_not(
    api: Api, intake: Intake
) -> None:
    from eoffice.outgoing import store
    from eoffice.outgoing.models import SigningClaim

    outgoing_id = ready(api, intake)["outgoing_id"]

    def claim(age_seconds: int) -> None:
        found = store.get(outgoing_id, consistent=True)
        assert found is not None
        at = clock.utcnow() - timedelta(seconds=age_seconds)
        held = SigningClaim(by_nip=NIP["kadis.kominfo"], at=at)
        store.save(found[0].model_copy(update={"signing_claim": held}), found[1])

    claim(5)
    busy = api.post(f"/outgoing/{outgoing_id}/sign", user="kadis.kominfo", json_body={})
    assert busy.status == 409 and busy.json["code"] == "signing_in_progress", busy.body
    assert api.get(f"/outgoing/{outgoing_id}", user="staf.kominfo").json["number"] is None

    claim(600)  # a crashed attempt long ago: it does not block for ever
    signed = sign(api, outgoing_id, "kadis.kominfo")
    assert signed["status"] == "signed" and signed["signing_claim"] is None


# ---------------------------------------------------------------- delivery again
def test_delivering_again_finds_the_incoming_letters_it_made(api: Api, intake: Intake) -> None:
    outgoing = ready(api, intake, tembusan=[{"kind": "unit", "unit_id": KOMINFO}])
    path = f"/outgoing/{outgoing['outgoing_id']}/deliver"
    early = api.post(path, user="staf.kominfo")
    assert early.status == 409 and early.json["code"] == "not_signed"
    signed = sign(api, outgoing["outgoing_id"], "kadis.kominfo")
    first = {d["unit_id"]: d for d in signed["deliveries"]}
    assert set(first) == {BKPSDM, KOMINFO}  # the recipient unit and the tembusan unit

    # A fresh stranger: other tests make kepala.bkpsdm Plh of the signer's post for the day.
    outsider = new_employee(api, BKPSDM)
    stranger = api.post(path, user=outsider["username"])
    assert stranger.status in {403, 404}
    again = api.post(path, user="staf.kominfo")
    assert again.status == 200, again.body
    assert {d["unit_id"]: d for d in again.json["deliveries"]} == first  # same letters, same agenda
    agenda = api.get(f"/letters?unit={BKPSDM}&limit=200", user="kepala.bkpsdm").json["items"]
    copies = [item for item in agenda if item["sender_number"] == signed["number"]]
    assert len(copies) == 1
    assert "delivered" in history(api, outgoing["outgoing_id"])


# ---------------------------------------------------------------- the PKCS#12 backend
def test_a_pkcs12_signer_signs_through_the_endpoint(
    api: Api, intake: Intake, pki_env: PkiEnv
) -> None:
    """Every backend signs a letter that verifies: KMS (above), BSrE (its own file), PKCS#12."""
    import base64
    import json
    import os
    import uuid

    from eoffice import aws

    signer = new_employee(api, KOMINFO)
    private, certificate = pki_env.signer(signer["name"], "rsa")
    password = "p12-" + uuid.uuid4().hex[:8]
    blob = pki_env.pki.pkcs12(private, certificate, password.encode())
    name = f"eoffice/{os.environ['STAGE']}/signing/{uuid.uuid4().hex}"
    secret = {"pkcs12": base64.b64encode(blob).decode(), "password": password}
    aws.client("secretsmanager").create_secret(Name=name, SecretString=json.dumps(secret))
    body = {"owner_nip": signer["nip"], "secret_name": name}
    registered = api.post("/signing/keys/pkcs12", user="admin", json_body=body)
    assert registered.status == 201, registered.body

    outgoing = ready(api, intake, signers=[signer["nip"]])
    signed = sign(api, outgoing["outgoing_id"], signer["username"])
    [signature] = signed["signatures"]
    assert signature["backend"] == "pkcs12" and signature["signed_by_nip"] == signer["nip"]
    report = verify(api, signed_pdf(api, outgoing["outgoing_id"]))
    [entry] = report["report"]["signatures"]
    assert entry["intact"] and entry["trusted"] and not entry["modified_after_signing"], entry
    assert report["known_document"]["document_id"] == outgoing["outgoing_id"]


def test_an_interrupted_delivery_is_finished_by_the_schedule(
    api: Api, intake: Intake, monkeypatch: pytest.MonkeyPatch
) -> None:
    from eoffice.outgoing import delivery
    from eoffice_local.events import scheduled_event

    def broken(*_: Any) -> Any:
        raise ConnectionError("the letters table went away")

    outgoing = ready(api, intake)
    with monkeypatch.context() as patched:
        patched.setattr(delivery, "_deliver_to", broken)
        signed = sign(api, outgoing["outgoing_id"], "kadis.kominfo")
    assert signed["status"] == "signed" and signed["deliveries"] == []  # signed, delivery owed

    env = api.env
    event = scheduled_event(env.schedule("SigningFunction"), env.stack)
    assert event == {"task": "deliver_pending"}
    early = env.runtime.invoke("SigningFunction", event)
    assert outgoing["outgoing_id"] not in early["delivered"]  # its own delivery may still run
    later = clock.utcnow() + timedelta(minutes=3)
    monkeypatch.setattr(clock, "utcnow", lambda: later)
    with monkeypatch.context() as patched:  # still failing: it goes to the back of the queue
        patched.setattr(delivery, "_deliver_to", broken)
        failing = env.runtime.invoke("SigningFunction", event)
    assert outgoing["outgoing_id"] in failing["failed"], failing
    postponed = api.get(f"/outgoing/{outgoing['outgoing_id']}", user="staf.kominfo").json
    assert postponed["updated_at"].startswith(later.isoformat()[:19])
    later = later + timedelta(minutes=3)
    swept = env.runtime.invoke("SigningFunction", event)
    assert outgoing["outgoing_id"] in swept["delivered"], swept
    after = api.get(f"/outgoing/{outgoing['outgoing_id']}", user="staf.kominfo").json
    assert [d["unit_id"] for d in after["deliveries"]] == [BKPSDM]
    again = env.runtime.invoke("SigningFunction", event)
    assert outgoing["outgoing_id"] not in again["delivered"]  # delivered once
