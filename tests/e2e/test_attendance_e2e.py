"""The README's attendance walk-through over the local runner's HTTP port, with a demo
employee at his demo office."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import httpx
from conftest import Api

KOMINFO_OFFICE = (-2.637, 121.101)  # the demo's Dinas Kominfo office, 100 m


def test_a_demo_employee_checks_in_at_his_office_and_sees_his_month(
    http: httpx.Client, api: Api
) -> None:
    username = f"uji.{uuid.uuid4().hex[:10]}"
    admin = {"Authorization": f"Bearer {api.token('admin')}"}
    kominfo = http.get("/me", headers={"Authorization": f"Bearer {api.token('staf.kominfo')}"})
    unit_id = kominfo.json()["employee"]["unit_id"]
    offices = http.get(f"/offices?unit={unit_id}", headers=admin).json()
    assert [(o["latitude"], o["longitude"]) for o in offices] == [KOMINFO_OFFICE]
    from dispositions_support import fresh_nip

    created = http.post(
        "/employees",
        headers=admin,
        json={"nip": fresh_nip(), "name": "Pegawai Uji", "unit_id": unit_id, "username": username},
    )
    assert created.status_code == 201, created.text
    assert created.json()["office_ids"] == [offices[0]["office_id"]]
    me = {"Authorization": f"Bearer {api.token(username)}"}
    body = {
        "client_id": uuid.uuid4().hex,
        "device_id": f"android-{uuid.uuid4().hex[:12]}",
        "kind": "in",
        "latitude": KOMINFO_OFFICE[0],
        "longitude": KOMINFO_OFFICE[1],
        "accuracy_m": 8,
        "phone_time": datetime.now(UTC).isoformat(),
        "mock_location": False,
    }
    answer = http.post("/attendance/check-ins", headers=me, json=body)
    assert answer.status_code == 201, answer.text
    assert answer.json()["state"] == "accepted"
    assert answer.headers["x-correlation-id"]
    month = http.get(f"/attendance/me?month={datetime.now(UTC):%Y-%m}", headers=me)
    assert month.status_code == 200
    today = answer.json()["checkin_id"][:10]
    (day,) = [d for d in month.json()["days"] if d["day"] == today]
    assert day["first_in"] is not None
    assert http.post("/attendance/check-ins", json=body).status_code == 401
    docs = http.get("/openapi.json").json()["paths"]
    assert "/attendance/check-ins" in docs and "/leaves" in docs
