"""An outgoing letter end to end through the runner's real HTTP port: drafted by a staff member,
uploaded through the presigned form, taken in, given its paraf, signed, delivered to BKPSDM as
an incoming letter its head disposes further, and checked by anyone on the public page."""

from __future__ import annotations

import hashlib

import httpx
from support.api import Api, Intake
from support.organisation import BKPSDM, NIP
from support.outgoing import draft_body, upload
from support.pdfs import one_page_pdf


def _as(api: Api, user: str) -> dict[str, str]:
    return {"authorization": f"Bearer {api.token(user)}"}


def test_outgoing_letter_over_http(http: httpx.Client, api: Api, intake: Intake) -> None:
    staff, clerk, head = _as(api, "staf.kominfo"), _as(api, "tu.kominfo"), _as(api, "kadis.kominfo")
    body = draft_body(subject="Undangan uji ujung ke ujung")
    created = http.post("/outgoing", headers=staff, json=body)
    assert created.status_code == 201, created.text
    outgoing_id = created.json()["outgoing"]["outgoing_id"]
    upload(created.json()["upload"], one_page_pdf())
    intake.drain()

    waiting = http.get("/outgoing", headers=clerk, params={"box": "waiting"}).json()["items"]
    [mine] = [item for item in waiting if item["outgoing_id"] == outgoing_id]
    paraf = http.post(
        f"/outgoing/{outgoing_id}/reviews",
        headers=clerk,
        json={"decision": "approve", "version": mine["versions"][-1]["version"]},
    )
    assert paraf.status_code == 200 and paraf.json()["status"] == "ready_to_sign", paraf.text

    signed = http.post(f"/outgoing/{outgoing_id}/sign", headers=head, json={})
    assert signed.status_code == 200, signed.text
    letter = signed.json()
    assert (
        letter["status"] == "signed"
        and letter["signatures"][0]["signer_nip"] == NIP["kadis.kominfo"]
    )

    # BKPSDM received it as a registered incoming letter; its head disposes it further.
    [delivery] = letter["deliveries"]
    assert delivery["unit_id"] == BKPSDM
    bkpsdm = _as(api, "kepala.bkpsdm")
    incoming = http.get(f"/letters/{delivery['letter_id']}", headers=bkpsdm)
    assert incoming.status_code == 200, incoming.text
    assert incoming.json()["status"] == "registered"
    assert incoming.json()["sender_number"] == letter["number"]
    disposed = http.post(
        f"/letters/{delivery['letter_id']}/dispositions",
        headers=bkpsdm,
        json={
            "recipients": [{"nip": NIP["tpp.bkpsdm"]}],
            "instructions": ["tindak_lanjuti"],
            "note": "Siapkan peserta rapat",
        },
    )
    assert disposed.status_code == 201, disposed.text
    [assignment] = disposed.json()["assignments"]
    assert assignment["recipient_nip"] == NIP["tpp.bkpsdm"]

    # Anyone checks it without signing in: the page the QR code opens, and the file itself.
    page = http.get(f"/verify/{outgoing_id}", headers={"accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert letter["number"] in page.text and "Dokumen ini sah" in page.text
    download = http.get(f"/outgoing/{outgoing_id}/file", headers=staff).json()
    pdf = httpx.get(download["url"], timeout=30).content
    assert hashlib.sha256(pdf).hexdigest() == letter["signed_file"]["sha256"]
    check = http.post("/verify", content=pdf, headers={"content-type": "application/pdf"})
    assert check.status_code == 200, check.text
    assert check.json()["report"]["all_valid"]
    assert check.json()["known_document"]["same_file"] is True
