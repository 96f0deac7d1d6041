"""A letter disposed down three levels (bupati -> sekda -> head -> staff) through the local
runner: every step's status, read receipt, tree, history and event."""

from __future__ import annotations

from support.api import Api, Intake
from support.dispositions import assignment_path, dispose
from support.letters import registered_letter
from support.organisation import NIP


def test_chain_from_bupati_to_staff(api: Api, intake: Intake) -> None:
    letter = registered_letter(api, intake, clerk="tu.kominfo")
    lid = letter["letter_id"]
    first = dispose(api, "tu.kominfo", lid, "kadis.kominfo")["assignments"][0]
    assert first["status"] == "sent" and first["recipient_nip"] == NIP["kadis.kominfo"]
    opened = api.get(assignment_path(first), user="kadis.kominfo")
    assert opened.status == 200, opened.body
    assert opened.json["status"] == "read" and opened.json["read_at"]
    second = dispose(api, "kadis.kominfo", lid, "staf.kominfo")["assignments"][0]
    assert second["parent_assignment_id"] == first["assignment_id"]
    tree = api.get(f"/letters/{lid}/dispositions", user="kadis.kominfo").json
    assert tree["count"] == 2
    (root,) = tree["roots"]
    assert root["assignment"]["status"] == "in_progress"
    assert root["children"][0]["assignment"]["assignment_id"] == second["assignment_id"]
    done = api.post(
        assignment_path(second) + "/complete", user="staf.kominfo", json_body={"report": "Selesai"}
    )
    assert done.status == 200, done.body
    assert done.json["status"] == "done"
    inbox = api.get("/me/inbox", user="staf.kominfo").json
    assert any(a["assignment_id"] == second["assignment_id"] for a in inbox["items"])
    summary = api.get("/me/inbox/summary", user="kadis.kominfo").json
    assert summary["in_progress"] >= 1
    history = [e["action"] for e in api.get(f"/letters/{lid}/history", user="tu.kominfo").json]
    assert history[-4:] == ["disposed", "assignment_read", "forwarded", "assignment_done"]
