"""Signing an outgoing letter through BSrE (the local stand-in of the esign service) from the
sign endpoint: a signer without a KMS key, refusals, and the rule that a request whose outcome
is unknown is never sent again until someone resolves it. Passphrases never reach the logs."""

from __future__ import annotations

import io
import json
import logging
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from eoffice_local.bsre_standin import BsreStandIn, start_bsre_standin
from support.api import Api, Intake
from support.organisation import KOMINFO, new_employee
from support.outgoing import draft, signed_file
from support.pki import PkiEnv

PASSPHRASE = "Kunci#Rahasia-BSrE-7731"
WRONG = "Salah#Tebak-0000"
CLIENT_PASSWORD = "esign-uji-keluar"
TIMEOUT_SECONDS = 1.0


@pytest.fixture(scope="module")
def standin(api: Api, pki_env: PkiEnv) -> Iterator[BsreStandIn]:
    """The stand-in, and its root trusted for the duration (the earlier roots restored)."""
    service = start_bsre_standin(password=CLIENT_PASSWORD)
    before = api.get("/signing/trust-roots", user="admin").json["roots"]
    pems = [pki_env.pki.root_pem.decode(), service.pki.root_pem.decode()]
    trusted = api.call("PUT", "/signing/trust-roots", user="admin", json_body={"pems": pems})
    assert trusted.status == 200, trusted.body
    yield service
    restored = [root["pem"] for root in before] or [pki_env.pki.root_pem.decode()]
    api.call("PUT", "/signing/trust-roots", user="admin", json_body={"pems": restored})
    service.stop()


@pytest.fixture
def bsre_env(standin: BsreStandIn, monkeypatch: pytest.MonkeyPatch) -> BsreStandIn:
    """The signing function pointed at the stand-in, credentials in Secrets Manager."""
    from eoffice import aws, settings

    name = f"eoffice/test/bsre-{uuid.uuid4().hex[:8]}"
    body = {"username": "esign", "password": CLIENT_PASSWORD}
    aws.client("secretsmanager").create_secret(Name=name, SecretString=json.dumps(body))
    monkeypatch.setenv("BSRE_URL", standin.base_url)
    monkeypatch.setenv("BSRE_CREDENTIALS_SECRET", name)
    monkeypatch.setenv("BSRE_TIMEOUT_SECONDS", str(TIMEOUT_SECONDS))
    settings.reset()
    standin.delay_seconds = 0
    standin.fail_next = False
    return standin


def bsre_signer(api: Api, standin: BsreStandIn) -> tuple[dict[str, Any], str]:
    """A fresh employee without a KMS key, registered at BSrE; and his NIK."""
    employee = new_employee(api, KOMINFO)
    nik = f"7324{uuid.uuid4().int % 10**12:012d}"
    standin.add_user(nik, employee["name"], PASSPHRASE)
    return employee, nik


def attempt(api: Api, outgoing_id: str, user: str, **body: Any) -> Any:
    return api.post(f"/outgoing/{outgoing_id}/sign", user=user, json_body=body)


def state(api: Api, outgoing_id: str) -> dict[str, Any]:
    return api.get(f"/outgoing/{outgoing_id}", user="staf.kominfo").json  # type: ignore[no-any-return]


def page_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join((page.extract_text() or "").split()) for page in pages)


def test_a_signer_without_a_key_signs_through_bsre(
    api: Api,
    intake: Intake,
    bsre_env: BsreStandIn,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    employee, nik = bsre_signer(api, bsre_env)
    outgoing_id = draft(api, intake, reviewers=[], signers=[employee["nip"]])["outgoing_id"]
    user = employee["username"]

    refused = attempt(api, outgoing_id, user, nik=nik, passphrase=WRONG)
    assert refused.status == 403 and refused.json["code"] == "bsre_rejected", refused.body
    after = state(api, outgoing_id)
    assert after["status"] == "ready_to_sign" and after["signatures"] == []
    assert after["signed_file"] is None and after["signing_claim"] is None

    signed = attempt(api, outgoing_id, user, nik=nik, passphrase=PASSPHRASE)
    assert signed.status == 200, signed.body
    letter = signed.json
    assert letter["status"] == "signed" and letter["number"] == after["number"]
    [signature] = letter["signatures"]
    assert signature["backend"] == "bsre" and signature["signed_by_nip"] == employee["nip"]
    assert signature["level"] in {"B-T", "B-LT"}

    pdf = signed_file(api, outgoing_id)
    text = page_text(pdf)
    assert "Balai Sertifikasi Elektronik (BSrE), Badan Siber dan Sandi Negara" in text, text
    assert letter["number"] in text
    check = api.post("/verify", body=pdf, headers={"content-type": "application/pdf"}).json
    [entry] = check["report"]["signatures"]
    assert entry["intact"] and entry["trusted"], entry
    assert entry["signer"]["serial_number"] == nik
    assert check["known_document"]["document_id"] == outgoing_id

    captured = capsys.readouterr()
    logged = caplog.text + captured.out + captured.err
    assert "request" in caplog.text  # the logs were captured at all
    assert PASSPHRASE not in logged and WRONG not in logged


def test_a_resent_signature_signs_once_and_its_record_keeps_no_secret(
    api: Api, intake: Intake, bsre_env: BsreStandIn
) -> None:
    """The app resends a sign request whose answer it lost, with the same Idempotency-Key: one
    signature, the first answer again; the idempotency table holds neither the passphrase nor
    the NIK (not even in the request's hash: they are left out of it). A refusal (the wrong
    passphrase) is not kept, so the signer retries with the right one under the same key."""
    from eoffice import aws

    employee, nik = bsre_signer(api, bsre_env)
    outgoing_id = draft(api, intake, reviewers=[], signers=[employee["nip"]])["outgoing_id"]
    user = employee["username"]
    path = f"/outgoing/{outgoing_id}/sign"
    key = {"Idempotency-Key": str(uuid.uuid4())}

    wrong = api.post(path, user=user, json_body={"nik": nik, "passphrase": WRONG}, headers=key)
    assert wrong.status == 403 and wrong.json["code"] == "bsre_rejected", wrong.body
    requests = bsre_env.sign_requests
    body = {"nik": nik, "passphrase": PASSPHRASE}
    signed = api.post(path, user=user, json_body=body, headers=key)
    assert signed.status == 200 and "idempotent-replayed" not in signed.headers, signed.body
    again = api.post(path, user=user, json_body=body, headers=key)

    assert again.status == 200 and again.headers.get("idempotent-replayed") == "true"
    assert again.json == signed.json
    assert len(state(api, outgoing_id)["signatures"]) == 1
    assert bsre_env.sign_requests == requests + 1, "BSrE was asked to sign once"
    # The payload hash leaves the secrets out: another passphrase is the same request.
    other = api.post(path, user=user, json_body={"nik": nik, "passphrase": "x"}, headers=key)
    assert other.status == 200 and other.headers.get("idempotent-replayed") == "true"

    table = api.env.stack.refs["IdempotencyTable"]
    pages = aws.client("dynamodb").get_paginator("scan").paginate(TableName=table)
    stored = json.dumps([item for page in pages for item in page["Items"]])
    assert outgoing_id in stored, "the answer was kept"
    assert PASSPHRASE not in stored and WRONG not in stored
    # The NIK is in the answer only where the letter itself shows it (the BSrE certificate's
    # subject), never from the request.
    assert nik in signed.json["signatures"][0]["certificate_subject"]
    assert stored.count(nik) == json.dumps(signed.json).count(nik)


def test_an_unknown_outcome_is_never_retried_until_resolved(
    api: Api,
    intake: Intake,
    bsre_env: BsreStandIn,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    employee, nik = bsre_signer(api, bsre_env)
    outgoing_id = draft(api, intake, reviewers=[], signers=[employee["nip"]])["outgoing_id"]
    user = employee["username"]

    bsre_env.delay_seconds = TIMEOUT_SECONDS * 3
    requests = bsre_env.sign_requests
    lost = attempt(api, outgoing_id, user, nik=nik, passphrase=PASSPHRASE)
    assert lost.status == 504 and lost.json["code"] == "signing_outcome_unknown", lost.body
    assert bsre_env.sign_requests == requests + 1
    held = state(api, outgoing_id)
    assert held["signing_claim"]["outcome_unknown"] is True and held["signatures"] == []

    again = attempt(api, outgoing_id, user, nik=nik, passphrase=PASSPHRASE)
    assert again.status == 409 and again.json["code"] == "signing_outcome_unknown", again.body
    assert bsre_env.sign_requests == requests + 1  # nothing more reached BSrE

    resolve = f"/outgoing/{outgoing_id}/sign/resolve"
    body = {"outcome": "not_signed", "note": "Dicek di portal BSrE: belum ada dokumen"}
    stranger = api.post(resolve, user="staf.kominfo", json_body=body)
    assert stranger.status == 403 and stranger.json["code"] == "resolve_not_allowed"
    resolved = api.post(resolve, user=user, json_body=body)
    assert resolved.status == 200, resolved.body
    assert resolved.json["signing_claim"] is None
    nothing = api.post(resolve, user=user, json_body=body)
    assert nothing.status == 409 and nothing.json["code"] == "nothing_to_resolve"

    bsre_env.delay_seconds = 0
    signed = attempt(api, outgoing_id, user, nik=nik, passphrase=PASSPHRASE)
    assert signed.status == 200, signed.body
    assert signed.json["status"] == "signed" and signed.json["number"] == held["number"]
    assert bsre_env.sign_requests == requests + 2
    history = api.get(f"/outgoing/{outgoing_id}/history", user=user).json
    assert [e["action"] for e in history].count("signing_attempt_resolved") == 1

    captured = capsys.readouterr()
    assert PASSPHRASE not in caplog.text + captured.out + captured.err


def test_totp_signs_and_a_revoked_certificate_is_refused_before_signing(
    api: Api, intake: Intake, bsre_env: BsreStandIn
) -> None:
    employee = new_employee(api, KOMINFO)
    nik = f"7324{uuid.uuid4().int % 10**12:012d}"
    bsre_env.add_user(nik, employee["name"], PASSPHRASE, totp="123456", revoked=True)
    outgoing_id = draft(api, intake, reviewers=[], signers=[employee["nip"]])["outgoing_id"]
    requests = bsre_env.sign_requests
    refused = attempt(api, outgoing_id, employee["username"], nik=nik, totp="123456")
    assert refused.status == 409 and refused.json["code"] == "bsre_certificate_revoked", (
        refused.body
    )
    assert bsre_env.sign_requests == requests  # refused on the status call, nothing sent to sign

    other = new_employee(api, KOMINFO)
    other_nik = f"7324{uuid.uuid4().int % 10**12:012d}"
    bsre_env.add_user(other_nik, other["name"], PASSPHRASE, totp="654321")
    outgoing_id = draft(api, intake, reviewers=[], signers=[other["nip"]])["outgoing_id"]
    both = attempt(
        api, outgoing_id, other["username"], nik=other_nik, totp="654321", passphrase="x"
    )
    assert both.status == 422  # exactly one secret
    signed = attempt(api, outgoing_id, other["username"], nik=other_nik, totp="654321")
    assert signed.status == 200, signed.body
    assert signed.json["signatures"][0]["backend"] == "bsre"


def test_an_unknown_outcome_is_resolved_by_the_file_bsre_signed(
    api: Api, intake: Intake, bsre_env: BsreStandIn
) -> None:
    """The signer fetched from BSrE's portal the file the lost request signed: verified as this
    letter with his one new signature, it counts, and BSrE is not asked again."""
    import base64

    employee, nik = bsre_signer(api, bsre_env)
    user = employee["username"]
    outgoing_id = draft(api, intake, reviewers=[], signers=[employee["nip"]])["outgoing_id"]
    other_id = draft(api, intake, reviewers=[], signers=[employee["nip"]])["outgoing_id"]

    bsre_env.delay_seconds = TIMEOUT_SECONDS * 3
    lost = attempt(api, other_id, user, nik=nik, passphrase=PASSPHRASE)
    assert lost.status == 504, lost.body
    foreign_file = bsre_env.last_signed  # the other letter's signed file
    lost = attempt(api, outgoing_id, user, nik=nik, passphrase=PASSPHRASE)
    assert lost.status == 504, lost.body
    returned = bsre_env.last_signed
    assert returned is not None and foreign_file is not None
    requests = bsre_env.sign_requests

    resolve = f"/outgoing/{outgoing_id}/sign/resolve"

    def hand_in(pdf: bytes, who: str, as_nik: str = nik) -> Any:
        body = {"outcome": "signed", "signed_pdf": base64.b64encode(pdf).decode(), "nik": as_nik}
        return api.post(resolve, user=who, json_body=body)

    wrong = hand_in(foreign_file, user)
    assert wrong.status == 422 and wrong.json["code"] == "not_this_letter", wrong.body
    someone_else = hand_in(returned, user, as_nik="7324000000000001")
    assert someone_else.status == 422 and someone_else.json["code"] == "not_this_signer"
    by_admin = hand_in(returned, "admin")
    assert by_admin.status == 403 and by_admin.json["code"] == "resolve_not_allowed"
    missing = api.post(resolve, user=user, json_body={"outcome": "signed"})
    assert missing.status == 422

    accepted = hand_in(returned, user)
    assert accepted.status == 200, accepted.body
    letter = accepted.json
    assert letter["status"] == "signed" and letter["signing_claim"] is None
    [signature] = letter["signatures"]
    assert signature["backend"] == "bsre" and signature["signed_by_nip"] == employee["nip"]
    assert bsre_env.sign_requests == requests  # resolved without asking BSrE again
    assert [d["unit_id"] for d in letter["deliveries"]]  # and delivered
    bsre_env.delay_seconds = 0


def test_a_bsre_request_cut_short_leaves_the_outcome_unknown(
    api: Api, intake: Intake, bsre_env: BsreStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The function was stopped while BSrE was asked (Lambda's timeout: no clean-up runs). The
    claim says the request went out, so once stale it is an unknown outcome, not a new try."""
    from datetime import timedelta

    from eoffice import clock
    from eoffice.outgoing import signing_by_bsre, signing_claims, store

    employee, nik = bsre_signer(api, bsre_env)
    user = employee["username"]
    outgoing_id = draft(api, intake, reviewers=[], signers=[employee["nip"]])["outgoing_id"]

    def stopped(*_: Any) -> Any:
        raise SystemExit("the function was stopped")

    with monkeypatch.context() as patched:
        patched.setattr(signing_by_bsre, "send", stopped)
        patched.setattr(signing_claims, "settle", lambda *_, **__: None)  # a killed process
        with pytest.raises(SystemExit):
            attempt(api, outgoing_id, user, nik=nik, passphrase=PASSPHRASE)
    found = store.get(outgoing_id, consistent=True)
    assert found is not None and found[0].signing_claim is not None
    assert found[0].signing_claim.sent_to_bsre and not found[0].signing_claim.outcome_unknown

    soon = attempt(api, outgoing_id, user, nik=nik, passphrase=PASSPHRASE)
    assert soon.status == 409 and soon.json["code"] == "signing_in_progress", soon.body
    later = clock.utcnow() + timedelta(minutes=5)
    monkeypatch.setattr(clock, "utcnow", lambda: later)
    stale = attempt(api, outgoing_id, user, nik=nik, passphrase=PASSPHRASE)
    assert stale.status == 409 and stale.json["code"] == "signing_outcome_unknown", stale.body
    resolved = api.post(
        f"/outgoing/{outgoing_id}/sign/resolve", user=user, json_body={"outcome": "not_signed"}
    )
    assert resolved.status == 200, resolved.body


def test_a_wrong_passphrase_after_the_mark_releases_the_claim(
    api: Api, intake: Intake, bsre_env: BsreStandIn
) -> None:
    """BSrE said no: nothing was signed, so the signer may try again at once."""
    employee, nik = bsre_signer(api, bsre_env)
    user = employee["username"]
    outgoing_id = draft(api, intake, reviewers=[], signers=[employee["nip"]])["outgoing_id"]
    refused = attempt(api, outgoing_id, user, nik=nik, passphrase=WRONG)
    assert refused.status == 403, refused.body
    assert state(api, outgoing_id)["signing_claim"] is None
    signed = attempt(api, outgoing_id, user, nik=nik, passphrase=PASSPHRASE)
    assert signed.status == 200, signed.body
