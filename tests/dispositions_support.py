"""Shared steps of the disposition tests: registered letters, people, and short calls."""

from __future__ import annotations

import itertools
from typing import Any

import httpx
from conftest import Api, Intake

from bench.scans import make_scan

_seeds = itertools.count(70_000)

NIP = {
    "bupati": "196805141994031007",
    "sekda": "197011231996031004",
    "kadis.kominfo": "197503082002121003",
    "tu.kominfo": "198807192011012006",
    "staf.kominfo": "199402112019031011",
    "admin": "199010052015031002",
    "kepala.bkpsdm": "197206172000032005",
    "tpp.bkpsdm": "198912032014022004",
}


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


def dispose(
    api: Api, user: str, letter_id: str, *recipients: str, expect: int = 201, **fields: Any
) -> dict[str, Any]:
    """Dispose ``letter_id`` as ``user`` to the named users (by NIP)."""
    body = {
        "recipients": [{"nip": NIP.get(r, r)} for r in recipients],
        "instructions": fields.pop("instructions", ["tindak_lanjuti"]),
        **fields,
    }
    answer = api.post(f"/letters/{letter_id}/dispositions", user=user, json_body=body)
    assert answer.status == expect, answer.body
    return answer.json  # type: ignore[no-any-return]


def assignment_path(assignment: dict[str, Any]) -> str:
    return f"/letters/{assignment['letter_id']}/assignments/{assignment['assignment_id']}"
