"""Outgoing letters as the tests make them: a draft with its PDF uploaded and taken in, reviewed,
signed, and the signed file downloaded."""

from __future__ import annotations

from typing import Any

import httpx

from support.api import Api, Intake
from support.organisation import BKPSDM, NIP
from support.pdfs import one_page_pdf


def draft_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "surat_undangan",
        "classification_code": "800.1.2.2",
        "subject": "Undangan rapat koordinasi TTE",
        "summary": "Rapat persiapan tanda tangan elektronik",
        "recipients": [
            {"kind": "unit", "unit_id": BKPSDM},
            {
                "kind": "external",
                "name": "Balai Sertifikasi Elektronik",
                "address": "bsre@bssn.go.id",
            },
        ],
        "signers": [NIP["kadis.kominfo"]],
        "reviewers": [NIP["tu.kominfo"]],
    }
    body.update(overrides)
    return body


def upload(form: dict[str, Any], pdf: bytes) -> None:
    sent = httpx.post(form["url"], data=form["fields"], files={"file": ("d.pdf", pdf)}, timeout=30)
    assert sent.status_code in {200, 201, 204}, sent.text


def draft(
    api: Api,
    intake: Intake,
    author: str = "staf.kominfo",
    pdf: bytes | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    """A draft by ``author`` with version 1 uploaded and taken in by the intake function."""
    answer = api.post("/outgoing", user=author, json_body=draft_body(**overrides))
    assert answer.status == 201, answer.body
    upload(answer.json["upload"], pdf or one_page_pdf())
    intake.drain()
    outgoing = api.get(f"/outgoing/{answer.json['outgoing']['outgoing_id']}", user=author).json
    assert outgoing["versions"], outgoing
    return outgoing  # type: ignore[no-any-return]


def approve_all(api: Api, outgoing: dict[str, Any]) -> dict[str, Any]:
    for review in outgoing["reviews"]:
        user = next(name for name, nip in NIP.items() if nip == review["nip"])
        body = {"decision": "approve", "version": outgoing["versions"][-1]["version"]}
        answer = api.post(f"/outgoing/{outgoing['outgoing_id']}/reviews", user=user, json_body=body)
        assert answer.status == 200, answer.body
        outgoing = answer.json
    return outgoing


def sign(api: Api, outgoing_id: str, user: str, expect: int = 200, **body: Any) -> dict[str, Any]:
    answer = api.post(f"/outgoing/{outgoing_id}/sign", user=user, json_body=body)
    assert answer.status == expect, answer.body
    return answer.json  # type: ignore[no-any-return]


def signed_file(api: Api, outgoing_id: str, user: str = "staf.kominfo") -> bytes:
    """The signed letter as its author downloads it."""
    answer = api.get(f"/outgoing/{outgoing_id}/file", user=user)
    assert answer.status == 200, answer.body
    return httpx.get(answer.json["url"], timeout=30).content
