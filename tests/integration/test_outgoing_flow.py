"""An outgoing letter from draft to signed, delivered and verified, through the API and the
signing function (in-process gateway, moto over HTTP, the test PKI's TSA on 127.0.0.1)."""

from __future__ import annotations

import hashlib

import httpx
from support.api import Api, Intake
from support.organisation import BKPSDM, NIP
from support.outgoing import approve_all, draft, sign


def test_draft_to_signed_delivered_and_verified(api: Api, intake: Intake) -> None:
    outgoing = draft(api, intake)
    assert outgoing["status"] == "in_review"
    assert outgoing["provisional_number"].startswith("800.1.2.2/.../")
    # The signer cannot sign before the paraf.
    refused = api.post(
        f"/outgoing/{outgoing['outgoing_id']}/sign", user="kadis.kominfo", json_body={}
    )
    assert refused.status == 409 and refused.json["code"] == "reviews_pending"
    outgoing = approve_all(api, outgoing)
    assert outgoing["status"] == "ready_to_sign"

    signed = sign(api, outgoing["outgoing_id"], "kadis.kominfo")
    assert signed["status"] == "signed"
    assert signed["number"].startswith("800.1.2.2/") and signed["number"].endswith("/2026")
    [signature] = signed["signatures"]
    assert signature["signer_nip"] == NIP["kadis.kominfo"] and signature["capacity"] == "self"
    assert signature["level"] in {"B-T", "B-LT"} and signature["backend"] == "kms"

    # Delivered to BKPSDM as a registered incoming letter, and a link for the external one.
    [delivery] = signed["deliveries"]
    assert delivery["unit_id"] == BKPSDM and delivery["agenda_number"] >= 1
    incoming = api.get(f"/letters/{delivery['letter_id']}", user="kepala.bkpsdm")
    assert incoming.status == 200, incoming.body
    assert incoming.json["status"] == "registered"
    assert incoming.json["sender_number"] == signed["number"]
    [link] = signed["external_links"]
    assert link["url"].startswith("http://127.0.0.1:3000/shared/")
    shared = api.get(link["url"].removeprefix("http://127.0.0.1:3000"))  # no sign-in
    assert shared.status == 302, shared.body
    pdf = httpx.get(shared.headers["location"], timeout=30).content
    assert hashlib.sha256(pdf).hexdigest() == signed["signed_file"]["sha256"]
    assert api.get("/shared/" + "x" * 43).status == 404

    # Public verification: the record, and the file itself.
    record = api.get(f"/verify/{signed['outgoing_id']}")
    assert record.status == 200 and record.json["status"] == "valid"
    assert record.json["number"] == signed["number"]
    page = api.get(f"/verify/{signed['outgoing_id']}", headers={"accept": "text/html"})
    assert "Verifikasi Dokumen" in page.body.decode() and signed["number"] in page.body.decode()
    check = api.post("/verify", body=pdf, headers={"content-type": "application/pdf"})
    assert check.status == 200, check.body
    report = check.json["report"]
    assert report["signature_count"] == 1 and report["all_valid"], report
    assert check.json["known_document"]["document_id"] == signed["outgoing_id"]
    assert check.json["known_document"]["same_file"] is True
