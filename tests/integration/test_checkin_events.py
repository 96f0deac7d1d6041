"""What a recorded check-in announces (``attendance.checkin_events``), on the emulator's bus: its
flags and a phone waiting, each in one event (test_notifications: who is told, and that a bus
refusing the event fails no check-in)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from eoffice.attendance import checkin_events
from eoffice.attendance.checkin_store import Profile, Writes
from eoffice.attendance.models import DeviceRequestView, Flag, FlagKind
from support.api import Api
from support.events import EventTap

NOW = datetime(2026, 12, 7, 0, 30, tzinfo=UTC)


def _writes(nip: str, *, flags: int = 2, device: bool = True) -> Writes:
    raised = [
        Flag(
            flag_id=f"{kind.value}-c{n}",
            kind=kind,
            nip=nip,
            unit_id="u-1",
            day=date(2026, 12, 7),
            raised_at=NOW,
            checkin_id=f"2026-12-07-c{n}",
        )
        for n, kind in enumerate([FlagKind.mock_location, FlagKind.reused_selfie][:flags])
    ]
    request = DeviceRequestView(nip=nip, unit_id="u-1", device="d" * 32, requested_at=NOW)
    return Writes(
        nip,
        "d" * 32,
        [],
        Profile(),
        flags=raised,
        device_request=request if device else None,
        device_request_new=device,
    )


def test_flags_and_a_waiting_phone_are_one_event_each(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    tap = EventTap(api, "eoffice.attendance")
    monkeypatch.setenv("EVENT_BUS", api.env.stack.refs["EventBus"])
    checkin_events.announce(_writes("199001012020011001"))

    (flagged,) = tap.of("AttendanceFlagged", nip="199001012020011001")
    assert flagged["flag_ids"] == ["mock_location-c0", "reused_selfie-c1"]
    assert flagged["kinds"] == ["mock_location", "reused_selfie"]
    assert flagged["acted_by_nip"] == "199001012020011001" and flagged["day"] == "2026-12-07"
    (waiting,) = tap.of("DeviceApprovalRequested", nip="199001012020011001")
    assert waiting["device"] == "d" * 32 and waiting["unit_id"] == "u-1"
