"""Dispositions as the tests make them: a letter disposed by a user to people named by username
or NIP, and the path of an assignment."""

from __future__ import annotations

from typing import Any

from support.api import Api
from support.organisation import NIP


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
