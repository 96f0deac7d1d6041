"""The regent's chain through the runner's real HTTP port: a letter to the Bupati goes
bupati -> sekda -> head -> staff, each opening it (read receipt) and passing it down, the staff
member reports, and the tree, the inboxes and the history show every step."""

from __future__ import annotations

from typing import Any

import httpx
from support.api import Api, Intake
from support.letters import registered_letter
from support.organisation import NIP, new_employee, unit_of


def _as(api: Api, user: str) -> dict[str, str]:
    return {"authorization": f"Bearer {api.token(user)}"}


def _pass_down(http: httpx.Client, api: Api, user: str, letter_id: str, to: str) -> dict[str, Any]:
    """``user`` opens his assignment in his inbox and disposes the letter to ``to``."""
    inbox = http.get("/me/inbox", headers=_as(api, user), params={"status": "sent"}).json()
    (mine,) = [a for a in inbox["items"] if a["letter_id"] == letter_id]
    path = f"/letters/{letter_id}/assignments/{mine['assignment_id']}"
    opened = http.get(path, headers=_as(api, user)).json()
    assert opened["status"] == "read" and opened["read_by_nip"] == NIP.get(user, user)
    body = {
        "recipients": [{"nip": NIP[to]}],
        "instructions": ["tindak_lanjuti"],
        "note": f"Untuk {to}",
    }
    answer = http.post(f"/letters/{letter_id}/dispositions", headers=_as(api, user), json=body)
    assert answer.status_code == 201, answer.text
    (child,) = answer.json()["assignments"]
    assert child["parent_assignment_id"] == mine["assignment_id"]
    return child  # type: ignore[no-any-return]


def test_bupati_to_sekda_to_head_to_staff(http: httpx.Client, api: Api, intake: Intake) -> None:
    clerk = new_employee(api, unit_of(api, "bupati"), roles=["tu"])
    letter = registered_letter(
        api, intake, clerk=clerk["username"], sifat="rahasia", urgensi="segera"
    )
    lid = letter["letter_id"]
    first = http.post(
        f"/letters/{lid}/dispositions",
        headers=_as(api, clerk["username"]),
        json={"recipients": [{"nip": NIP["bupati"]}], "instructions": ["untuk_diketahui"]},
    )
    assert first.status_code == 201, first.text
    _pass_down(http, api, "bupati", lid, "sekda")
    _pass_down(http, api, "sekda", lid, "kadis.kominfo")
    last = _pass_down(http, api, "kadis.kominfo", lid, "staf.kominfo")
    staff = _as(api, "staf.kominfo")
    path = f"/letters/{lid}/assignments/{last['assignment_id']}"
    assert http.get(path, headers=staff).json()["status"] == "read"
    done = http.post(f"{path}/complete", headers=staff, json={"report": "Sudah ditindaklanjuti"})
    assert done.status_code == 200 and done.json()["status"] == "done"

    tree = http.get(f"/letters/{lid}/dispositions", headers=_as(api, "bupati")).json()
    chain, node = [], tree["roots"][0]
    while True:
        chain.append((node["assignment"]["recipient_nip"], node["assignment"]["status"]))
        if not node["children"]:
            break
        (node,) = node["children"]
    assert chain == [
        (NIP["bupati"], "in_progress"),
        (NIP["sekda"], "in_progress"),
        (NIP["kadis.kominfo"], "in_progress"),
        (NIP["staf.kominfo"], "done"),
    ]
    # Forwarded with the default deadline: each keeps the one it was given (segera, 48 working
    # hours from the first disposition), never a later one.
    deadlines = []
    node = tree["roots"][0]
    while node:
        deadlines.append(node["assignment"]["deadline"])
        node = node["children"][0] if node["children"] else None
    assert len(set(deadlines)) == 1

    # A rahasia letter: those on the chain see it, a colleague of the staff member does not.
    assert http.get(f"/letters/{lid}", headers=staff).status_code == 200
    colleague = new_employee(api, unit_of(api, "staf.kominfo"))
    hidden = http.get(f"/letters/{lid}", headers=_as(api, colleague["username"]))
    assert hidden.status_code == 404
    assert hidden.headers["content-type"] == "application/problem+json"

    history = http.get(f"/letters/{lid}/history", headers=_as(api, "bupati")).json()
    actions = [entry["action"] for entry in history]
    assert actions.count("forwarded") == 3 and actions.count("assignment_read") == 4
    assert actions[-1] == "assignment_done"
