"""The leaders' overview (GET /dispositions/summary) over a fresh unit subtree, who may read it,
and the disposition settings (GET/PUT /dispositions/settings)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from eoffice import clock
from support.api import Api, Intake
from support.dispositions import assignment_path, dispose
from support.letters import registered_letter
from support.organisation import make_acting, new_employee, new_unit, unit_of

HEAD = "kadis.kominfo"
DEFAULT_CODES = [
    "untuk_diketahui",
    "tindak_lanjuti",
    "tanggapan_dan_saran",
    "proses_lebih_lanjut",
    "koordinasikan",
    "siapkan_jawaban",
    "hadiri_wakili",
    "arsipkan",
]


@pytest.fixture
def tree(api: Api) -> dict[str, Any]:
    """kominfo > top > child > grand (no head post), and a sibling of top; heads and staff."""
    kominfo = unit_of(api, HEAD)
    top = new_unit(api, kominfo)
    child = new_unit(api, top["unit_id"])
    grand = new_unit(api, child["unit_id"], head=False)
    sibling = new_unit(api, kominfo)

    def head_of(unit: dict[str, Any]) -> dict[str, Any]:
        return new_employee(
            api, unit["unit_id"], roles=["head"], position_id=unit["head_position_id"]
        )

    return {
        "kominfo": kominfo,
        "top": top,
        "child": child,
        "grand": grand,
        "sibling": sibling,
        "head_top": head_of(top),
        "head_child": head_of(child),
        "head_sibling": head_of(sibling),
        "staff_top": new_employee(api, top["unit_id"]),
        "staff_child": new_employee(api, child["unit_id"]),
        "staff_grand": new_employee(api, grand["unit_id"]),
    }


def summary(api: Api, user: str, query: str = "", *, expect: int = 200) -> Any:
    answer = api.get(f"/dispositions/summary{query}", user=user)
    assert answer.status == expect, answer.body
    return answer.json


def counts(row: dict[str, Any]) -> tuple[int, int, int]:
    return row["open"], row["overdue"], row["done"]


def test_overview_counts_a_subtree(api: Api, intake: Intake, tree: dict[str, Any]) -> None:
    top, child, grand = tree["top"]["unit_id"], tree["child"]["unit_id"], tree["grand"]["unit_id"]
    lid = registered_letter(api, intake)["letter_id"]
    first = dispose(
        api,
        HEAD,
        lid,
        tree["head_top"]["nip"],
        tree["staff_top"]["nip"],
        tree["staff_child"]["nip"],
        tembusan=[{"nip": tree["staff_grand"]["nip"]}],  # a copy is not counted
    )["assignments"]
    by_recipient = {a["recipient_nip"]: a for a in first if a["kind"] == "assignment"}
    due = (datetime.now(UTC) + timedelta(seconds=5)).isoformat()
    dispose(api, HEAD, lid, tree["staff_child"]["nip"], deadline=due)
    to_grand = dispose(api, HEAD, lid, tree["staff_grand"]["nip"])["assignments"][0]
    withdrawn = dispose(api, HEAD, lid, tree["head_child"]["nip"])["assignments"][0]
    # Elsewhere: not in this subtree.
    dispose(api, HEAD, lid, tree["head_sibling"]["nip"])

    done = api.post(
        assignment_path(by_recipient[tree["staff_top"]["nip"]]) + "/complete",
        user=tree["staff_top"]["username"],
        json_body={"report": "Selesai"},
    )
    assert done.status == 200, done.body
    returned = api.post(
        assignment_path(to_grand) + "/return",
        user=tree["staff_grand"]["username"],
        json_body={"reason": "Bukan kewenangan kami"},
    )
    assert returned.status == 200, returned.body
    assert api.post(assignment_path(withdrawn) + "/cancel", user=HEAD).status == 200
    time.sleep(max(0.0, (datetime.fromisoformat(due) - datetime.now(UTC)).total_seconds()) + 0.5)

    today = clock.today().isoformat()
    answer = summary(api, "bupati", f"?unit={top}&since={today}")
    assert answer["unit_id"] == top and answer["since"] == today
    rows = {row["unit_id"]: row for row in answer["units"]}
    assert answer["units"][0]["unit_id"] == top
    assert set(rows) == {top, child, grand}
    assert counts(rows[top]) == (1, 0, 1)
    assert counts(rows[child]) == (2, 1, 0)
    assert counts(rows[grand]) == (0, 0, 0)
    assert rows[child]["parent_id"] == top and rows[grand]["parent_id"] == child
    assert rows[top]["unit_name"] == tree["top"]["name"]
    median = rows[top]["median_hours_to_done"]
    assert median is not None and 0 <= median < 1
    assert rows[child]["median_hours_to_done"] is None
    assert rows[grand]["median_hours_to_done"] is None
    total = answer["total"]
    assert total["unit_name"] == "Total" and total["unit_id"] == top
    assert counts(total) == (3, 1, 1) and total["median_hours_to_done"] == median

    # A lower unit counts only its own subtree.
    lower = summary(api, "bupati", f"?unit={child}&since={today}")
    assert [row["unit_id"] for row in lower["units"]] == [child, grand]
    assert counts(lower["total"]) == (2, 1, 0)
    # Assignments sent before ``since`` are left out.
    tomorrow = (clock.today() + timedelta(days=1)).isoformat()
    later = summary(api, "bupati", f"?unit={top}&since={tomorrow}")
    assert all(counts(row) == (0, 0, 0) for row in [*later["units"], later["total"]])
    # Without ``since``: the last 90 days.
    default = summary(api, "bupati", f"?unit={top}")
    assert default["since"] == (clock.today() - timedelta(days=90)).isoformat()
    assert default["units"] == answer["units"]

    # The sekda and the heads above see the same numbers.
    for user in ("sekda", HEAD, tree["head_top"]["username"]):
        assert summary(api, user, f"?unit={top}&since={today}") == answer, user
    own = summary(api, tree["head_top"]["username"], f"?since={today}")
    assert own == answer  # a head's default is his own unit
    upper = summary(api, HEAD, f"?since={today}")
    assert upper["unit_id"] == tree["kominfo"]
    assert {row["unit_id"]: row for row in upper["units"]}[top] == rows[top]


def test_overview_is_for_leaders_and_heads_above(api: Api, tree: dict[str, Any]) -> None:
    top, child = tree["top"]["unit_id"], tree["child"]["unit_id"]
    sibling, kominfo = tree["sibling"]["unit_id"], tree["kominfo"]
    allowed = [
        ("bupati", top),
        ("sekda", sibling),
        (HEAD, child),
        (tree["head_top"]["username"], child),
        (tree["head_child"]["username"], child),
    ]
    for user, unit in allowed:
        assert summary(api, user, f"?unit={unit}")["unit_id"] == unit, user
    refused = [
        (tree["staff_top"]["username"], top),
        (tree["staff_top"]["username"], ""),
        (tree["staff_child"]["username"], child),
        (tree["head_child"]["username"], top),
        (tree["head_top"]["username"], kominfo),
        (tree["head_top"]["username"], sibling),
        (tree["head_sibling"]["username"], top),
        ("staf.kominfo", kominfo),
        ("tpp.bkpsdm", top),
    ]
    for user, unit in refused:
        answer = summary(api, user, f"?unit={unit}" if unit else "", expect=403)
        assert answer["code"] == "not_overseer", (user, unit)
    # A Plt oversees the unit he heads today, and only that subtree.
    plt = new_employee(api, kominfo)
    assert summary(api, plt["username"], f"?unit={sibling}", expect=403)["code"] == "not_overseer"
    make_acting(api, plt["nip"], tree["sibling"]["head_position_id"], "plt")
    assert summary(api, plt["username"], f"?unit={sibling}")["unit_id"] == sibling
    assert summary(api, plt["username"], f"?unit={top}", expect=403)["code"] == "not_overseer"

    missing = summary(api, "bupati", "?unit=no-such-unit", expect=404)
    assert missing["code"] == "unit_not_found"
    assert api.get(f"/dispositions/summary?unit={top}&since=kemarin", user="bupati").status == 422
    assert api.get(f"/dispositions/summary?unit={top}").status == 401


# ---------------------------------------------------------------- settings
def test_everyone_reads_the_settings_and_only_admins_change_them(api: Api) -> None:
    for user in ("staf.kominfo", "bupati", "tpp.bkpsdm"):
        answer = api.get("/dispositions/settings", user=user)
        assert answer.status == 200, answer.body
        settings = answer.json
        assert [i["code"] for i in settings["instructions"]] == DEFAULT_CODES
        assert all(i["label"] for i in settings["instructions"])
        assert settings["amat_segera_hours"] == 24 and settings["segera_hours"] == 48
        assert settings["dispose_to_anyone"] == ["bupati", "sekda"]
    assert api.get("/dispositions/settings").status == 401
    for user in ("staf.kominfo", HEAD, "bupati", "sekda", "tu.kominfo"):
        answer = api.call("PUT", "/dispositions/settings", user=user, json_body=settings)
        assert answer.status == 403 and answer.json["code"] == "role_required", user
    assert api.get("/dispositions/settings", user="admin").json == settings


def test_a_new_checklist_decides_which_codes_are_valid(api: Api, intake: Intake) -> None:
    original = api.get("/dispositions/settings", user="admin").json
    assert "arsipkan" in [i["code"] for i in original["instructions"]]
    person = new_employee(api, unit_of(api, HEAD))
    lid = registered_letter(api, intake)["letter_id"]
    changed = {
        **original,
        "instructions": [
            *(i for i in original["instructions"] if i["code"] != "arsipkan"),
            {"code": "pantau_khusus", "label": "Pantau secara khusus"},
        ],
    }

    def put(body: Any) -> Any:
        return api.call("PUT", "/dispositions/settings", user="admin", json_body=body)

    try:
        saved = put(changed)
        assert saved.status == 200, saved.body
        assert saved.json == changed
        assert api.get("/dispositions/settings", user="staf.kominfo").json == changed
        sent = dispose(api, HEAD, lid, person["nip"], instructions=["pantau_khusus"])
        assert sent["assignments"][0]["instructions"] == ["pantau_khusus"]
        refused = dispose(api, HEAD, lid, person["nip"], instructions=["arsipkan"], expect=422)
        assert refused["code"] == "unknown_instruction"
        assert "arsipkan" in refused["detail"]
        prepared = api.post(
            f"/letters/{lid}/prepared-dispositions",
            user="tu.kominfo",
            json_body={"recipients": [{"nip": person["nip"]}], "instructions": ["arsipkan"]},
        )
        assert prepared.status == 422 and prepared.json["code"] == "unknown_instruction"

        # Invalid settings are refused and change nothing.
        twice = {**changed, "instructions": [*changed["instructions"], changed["instructions"][0]]}
        for bad in (
            twice,
            {**changed, "instructions": []},
            {**changed, "instructions": [{"code": "Bad Code", "label": "Salah"}]},
            {**changed, "segera_hours": 0},
        ):
            assert put(bad).status == 422, bad
        assert api.get("/dispositions/settings", user="admin").json == changed
    finally:
        restored = put(original)
        assert restored.status == 200, restored.body
    assert api.get("/dispositions/settings", user="admin").json == original
    refused = dispose(api, HEAD, lid, person["nip"], instructions=["pantau_khusus"], expect=422)
    assert refused["code"] == "unknown_instruction"
    dispose(api, HEAD, lid, person["nip"], instructions=["arsipkan"])
