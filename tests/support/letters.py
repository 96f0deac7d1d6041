"""Incoming letters as the tests register them: the clerk's metadata, and a letter registered
with its scan attached and taken in by the intake function (ready to be disposed)."""

from __future__ import annotations

import itertools
from typing import Any

import httpx

from bench.scans import make_scan
from support.api import Api, Intake

_seeds = itertools.count(70_000)


def letter_metadata(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "sender_agency": "Kementerian Dalam Negeri",
        "sender_number": f"100.3/{next(_seeds)}/SJ",
        "sender_date": "2026-11-20",
        "subject": "Percepatan transformasi digital pemerintah daerah",
        "classification_code": "100.3",
        "sifat": "biasa",
        "urgensi": "biasa",
        "addressee": "Bupati Luwu Timur",
    }
    body.update(overrides)
    return body


def registered_letter(
    api: Api, intake: Intake, clerk: str = "tu.kominfo", **overrides: Any
) -> dict[str, Any]:
    """A letter registered by ``clerk`` with its scan attached: ready to be disposed."""
    answer = api.post("/letters", user=clerk, json_body=letter_metadata(**overrides))
    assert answer.status == 201, answer.body
    form = answer.json["upload"]
    scan = make_scan(1, with_text=True, seed=next(_seeds))
    sent = httpx.post(form["url"], data=form["fields"], files={"file": ("s.pdf", scan)}, timeout=30)
    assert sent.status_code in {200, 201, 204}
    intake.drain()
    letter = api.get(f"/letters/{answer.json['letter']['letter_id']}", user=clerk).json
    assert letter["status"] == "registered", letter
    return letter  # type: ignore[no-any-return]
