"""The README's attendance walk-through over the local runner's HTTP port, with a demo
employee at his demo office."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta

import httpx
from support.api import Api

KOMINFO_OFFICE = (-2.637, 121.101)  # the demo's Dinas Kominfo office, 100 m
WITA = timedelta(hours=8)
CHECK_IN_OPENS = time(4, 0)  # before 04:00 WITA or after the day's end: recorded, no arrival


def test_a_demo_employee_checks_in_at_his_office_and_sees_his_month(
    http: httpx.Client, api: Api
) -> None:
    username = f"uji.{uuid.uuid4().hex[:10]}"
    admin = {"Authorization": f"Bearer {api.token('admin')}"}
    kominfo = http.get("/me", headers={"Authorization": f"Bearer {api.token('staf.kominfo')}"})
    unit_id = kominfo.json()["employee"]["unit_id"]
    offices = http.get(f"/offices?unit={unit_id}", headers=admin).json()
    assert [(o["latitude"], o["longitude"]) for o in offices] == [KOMINFO_OFFICE]
    from support.nips import fresh_nip

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
    today = answer.json()["checkin_id"][:10]  # the WITA day, which the month follows too
    month = http.get(f"/attendance/me?month={today[:7]}", headers=me)
    assert month.status_code == 200
    (day,) = [d for d in month.json()["days"] if d["day"] == today]
    nip = created.json()["nip"]
    detail = http.get(f"/attendance/days/{nip}/{today}", headers=me).json()
    (recorded,) = detail["checkins"]
    assert recorded["checkin_id"] == answer.json()["checkin_id"]
    at = datetime.fromisoformat(recorded["effective_at"])
    closes = time.fromisoformat(day["hours"]["end"]) if day["hours"] else time.max
    minute = (at.astimezone(UTC) + WITA).time().replace(second=0, microsecond=0)
    arrived = CHECK_IN_OPENS <= minute <= closes
    assert (day["first_in"] is not None) == arrived
    if arrived:
        assert datetime.fromisoformat(day["first_in"]) == at
    assert http.post("/attendance/check-ins", json=body).status_code == 401
    docs = http.get("/openapi.json").json()["paths"]
    assert "/attendance/check-ins" in docs and "/leaves" in docs
