"""The organisation as tests find and grow it: the demo's people (``NIP`` by username) and
units, a user's unit, fresh units with a head position, fresh employees, acting officials.

Fresh people get their NIP from ``support.nips``, the suite's one generator."""

from __future__ import annotations

import uuid
from typing import Any

from eoffice_local.seed import demo_id

from support.api import Api
from support.nips import fresh_nip

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

# The demo's units (by code) that the tests address letters to.
BKPSDM = demo_id("unit", "BKPSDM")
KOMINFO = demo_id("unit", "DISKOMINFO-SP")


def unit_of(api: Api, user: str) -> str:
    """The unit id of a (demo or fresh) user, from his /me."""
    return api.get("/me", user=user).json["employee"]["unit_id"]  # type: ignore[no-any-return]


def new_unit(
    api: Api, parent_id: str, *, kind: str = "section", head: bool = True
) -> dict[str, Any]:
    """A new unit below ``parent_id`` (admin), with a head position when ``head``."""
    code = f"T{uuid.uuid4().hex[:8].upper()}"
    unit = api.post(
        "/units",
        user="admin",
        json_body={
            "code": code,
            "name": f"Bidang Uji {code}",
            "kind": kind,
            "parent_id": parent_id,
        },
    )
    assert unit.status == 201, unit.body
    result: dict[str, Any] = unit.json
    if head:
        position = api.post(
            "/positions",
            user="admin",
            json_body={"name": f"Kepala {code}", "unit_id": result["unit_id"], "is_head": True},
        )
        assert position.status == 201, position.body
        result["head_position_id"] = position.json["position_id"]
    return result


def new_employee(
    api: Api, unit_id: str, *, roles: list[str] | None = None, position_id: str | None = None
) -> dict[str, Any]:
    """A new active employee (admin); log in with the returned ``username``."""
    username = f"uji.{uuid.uuid4().hex[:10]}"
    body = {
        "nip": fresh_nip(),
        "name": f"Pegawai {username}",
        "unit_id": unit_id,
        "position_id": position_id,
        "roles": roles or ["staff"],
        "username": username,
    }
    answer = api.post("/employees", user="admin", json_body=body)
    assert answer.status == 201, answer.body
    return answer.json  # type: ignore[no-any-return]


def make_acting(api: Api, actor_nip: str, position_id: str, capacity: str = "plt") -> None:
    """Make ``actor_nip`` Plt/Plh in ``position_id`` for today (admin)."""
    from eoffice import clock

    today = clock.today().isoformat()
    body = {
        "actor_nip": actor_nip,
        "position_id": position_id,
        "capacity": capacity,
        "starts_on": today,
        "ends_on": today,
    }
    answer = api.post("/acting-assignments", user="admin", json_body=body)
    assert answer.status == 201, answer.body
