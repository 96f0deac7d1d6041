"""Attendance as the tests make it: a fresh unit with an office (and a schedule that works
every day, so that tests do not depend on the weekday they run), its staff, and check-ins."""

from __future__ import annotations

import math
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from support.api import Api
from support.organisation import new_employee, new_unit

MALILI = (-2.6343, 121.1050)  # Kantor Bupati Luwu Timur (approximate)
SOROWAKO = (-2.5300, 121.3600)  # ~30 km away
_A, _F = 6378137.0, 1 / 298.257223563
_E2 = _F * (2 - _F)


def moved(
    point: tuple[float, float], north_m: float = 0.0, east_m: float = 0.0
) -> tuple[float, float]:
    """The point ``north_m`` metres north and ``east_m`` east of ``point`` (WGS84 radii)."""
    lat = math.radians(point[0])
    w = 1 - _E2 * math.sin(lat) ** 2
    per_deg_lat = math.radians(1) * _A * (1 - _E2) / w**1.5
    per_deg_lon = math.radians(1) * _A / math.sqrt(w) * math.cos(lat)
    return point[0] + north_m / per_deg_lat, point[1] + east_m / per_deg_lon


def every_day_schedule(api: Api, unit_id: str) -> None:
    """The unit works every day, holidays included: any date is a working day in tests."""
    body = {
        "name": "Uji: setiap hari",
        "workdays": [1, 2, 3, 4, 5, 6, 7],
        "observes_holidays": False,
    }
    answer = api.call("PUT", f"/attendance/schedules/units/{unit_id}", user="admin", json_body=body)
    assert answer.status == 200, answer.body


def office(
    api: Api, unit_id: str, point: tuple[float, float] = MALILI, radius_m: int = 100, **extra: Any
) -> dict[str, Any]:
    body = {
        "name": f"Kantor {uuid.uuid4().hex[:6]}",
        "unit_id": unit_id,
        "latitude": point[0],
        "longitude": point[1],
        "radius_m": radius_m,
        **extra,
    }
    answer = api.post("/offices", user="admin", json_body=body)
    assert answer.status == 201, answer.body
    return answer.json  # type: ignore[no-any-return]


class Site:
    """A fresh unit with a head, an office at ``point`` and a schedule of every day."""

    def __init__(self, api: Api, parent_id: str, point: tuple[float, float] = MALILI) -> None:
        self.api = api
        self.unit = new_unit(api, parent_id)
        self.unit_id: str = self.unit["unit_id"]
        self.office = office(api, self.unit_id, point)
        every_day_schedule(api, self.unit_id)
        self.head = new_employee(
            api, self.unit_id, roles=["staff", "head"], position_id=self.unit["head_position_id"]
        )

    def staff(self) -> Staff:
        return Staff(self.api, new_employee(self.api, self.unit_id))


class Staff:
    def __init__(self, api: Api, employee: dict[str, Any]) -> None:
        self.api = api
        self.employee = employee
        self.user: str = employee["username"]
        self.nip: str = employee["nip"]
        self.device = f"android-{uuid.uuid4().hex[:16]}"

    def check(
        self,
        kind: str = "in",
        point: tuple[float, float] = MALILI,
        *,
        expect: int | None = None,
        **fields: Any,
    ) -> dict[str, Any]:
        body = fix(kind, point, **fields)
        body.setdefault("client_id", uuid.uuid4().hex)
        body.setdefault("device_id", self.device)
        answer = self.api.post("/attendance/check-ins", user=self.user, json_body=body)
        if expect is not None:
            assert answer.status == expect, answer.body
        else:
            assert answer.status in {200, 201}, answer.body
        return answer.json  # type: ignore[no-any-return]

    def batch(
        self,
        items: list[dict[str, Any]],
        *,
        sent_at: datetime | None = None,
        device: str | None = None,
        **fields: Any,
    ) -> dict[str, Any]:
        sent = sent_at or datetime.now(UTC)
        body = {
            "device_id": device or self.device,
            "sent_at": sent.isoformat(),
            "sent_elapsed_ms": elapsed_ms(sent),
            "boot_count": BOOT_COUNT,
            "items": items,
            **fields,
        }
        answer = self.api.post("/attendance/check-ins/batch", user=self.user, json_body=body)
        assert answer.status == 200, answer.body
        return answer.json  # type: ignore[no-any-return]


def fix(
    kind: str = "in",
    point: tuple[float, float] = MALILI,
    *,
    accuracy_m: float = 8.0,
    phone_time: datetime | None = None,
    mock_location: bool = False,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "kind": kind,
        "latitude": point[0],
        "longitude": point[1],
        "accuracy_m": accuracy_m,
        "phone_time": (phone_time or datetime.now(UTC)).isoformat(),
        "mock_location": mock_location,
        **extra,
    }


def queued(
    kind: str, at: datetime, point: tuple[float, float] = MALILI, **extra: Any
) -> dict[str, Any]:
    """A check-in kept offline, with the phone's monotonic clock as a real phone sends it
    (``elapsed_ms`` since a boot ``BOOTED`` ago; the wall clock ``at`` may be skewed: both the
    item's and the batch's elapsed times come from the phone's wall clock, so a constant skew
    cancels out)."""
    timing = {"elapsed_ms": elapsed_ms(at), "boot_count": BOOT_COUNT}
    return {"client_id": uuid.uuid4().hex, **fix(kind, point, phone_time=at), **timing, **extra}


BOOTED = datetime.now(UTC) - timedelta(days=60)
BOOT_COUNT = 4


def elapsed_ms(at: datetime) -> int:
    """SystemClock.elapsedRealtime() at ``at`` for a phone booted at ``BOOTED``."""
    return int((at - BOOTED).total_seconds() * 1000)


WITA = timedelta(hours=8)


def wita(day: Any, hh: int, mm: int, ss: int = 0) -> datetime:
    """``day`` at hh:mm:ss WITA, as an aware UTC datetime."""
    return datetime(day.year, day.month, day.day, hh, mm, ss, tzinfo=UTC) - WITA


def seed_checkins(nip: str, unit_id: str, checkins: list[tuple[str, str, datetime]]) -> None:
    """Check-ins (kind, state, when) of a past month, written through the check-in store as the
    check-in function records them (the API only takes the last 72 hours of phone time)."""
    from eoffice import clock
    from eoffice.attendance import checkin_store
    from eoffice.attendance.checkin import _result as result_of
    from eoffice.attendance.models import CheckIn, CheckKind, CheckState, TimeSource

    records = []
    for kind, state, at in checkins:
        client_id = uuid.uuid4().hex
        day = at.astimezone(clock.regency_tz()).date()
        checkin = CheckIn(
            checkin_id=f"{day}-{client_id}",
            client_id=client_id,
            nip=nip,
            unit_id=unit_id,
            kind=CheckKind(kind),
            state=CheckState(state),
            latitude=MALILI[0],
            longitude=MALILI[1],
            accuracy_m=5,
            mock_location=False,
            device="seeded",
            phone_time=at,
            received_at=at,
            effective_at=at,
            time_source=TimeSource.server,
        )
        nothing_read = checkin_store.Snapshot(checkin_store.Profile(), None, {}, {}, [])
        records.append((checkin, result_of(checkin, nothing_read)))
    writes = checkin_store.Writes(nip, "seeded", records, checkin_store.Profile())
    checkin_store.commit(writes, datetime.now(UTC))
