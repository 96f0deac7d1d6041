"""The pure judgements of a check-in: which time counts, is the fix inside a fence, is the
travel from the last fix possible. No AWS; the check-in service feeds them what it read.

docs/research/attendance.md gives the reasons for each threshold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from eoffice.attendance import geo
from eoffice.attendance.models import CheckInBatch, QueuedCheckIn, TimeProblem, TimeSource
from eoffice.clock import utc_iso
from eoffice.org.models import Office
from eoffice.settings import CheckInLimits

FUTURE_SLACK = timedelta(seconds=5)
MONOTONIC_SLACK_S = 60.0
"""Phone time vs its reconstruction from the elapsed-realtime clock: more apart, the clock changed."""
TRAVEL_SPEED_KMH = 120.0
"""Faster between two fixes is impossible travel..."""
TRAVEL_FLOOR_M = 2000.0
"""...when they are also this far apart (GPS noise aside)."""


# ---------------------------------------------------------------- time
@dataclass(frozen=True)
class TimeVerdict:
    effective_at: datetime
    source: TimeSource
    problems: tuple[TimeProblem, ...] = ()
    evidence: dict[str, Any] = field(default_factory=dict)


def online_time(received: datetime) -> TimeVerdict:
    """Online, the server's clock decides: the phone's clock cannot move a check-in."""
    return TimeVerdict(received, TimeSource.server)


def batch_offset_s(batch: CheckInBatch, received: datetime) -> float:
    """Phone clock minus server clock at upload (the upload's own latency included)."""
    return (batch.sent_at - received).total_seconds()


def offline_time(
    item: QueuedCheckIn, batch: CheckInBatch, received: datetime, limits: CheckInLimits
) -> TimeVerdict:
    """The phone's time, corrected by its measured offset, when everything about it is
    plausible (in the window, offset in range, not in the future, and the monotonic clock of
    the same boot agrees); otherwise the same estimate, but unverified: hr decides."""
    offset = batch_offset_s(batch, received)
    # Corrected by whole seconds: the offset's fraction is the upload's latency, not the
    # phone's clock, and a phone time of whole seconds stays whole.
    corrected = item.phone_time - timedelta(seconds=round(offset))
    problems: list[TimeProblem] = []
    if abs(offset) > limits.max_clock_offset_s:
        problems.append(TimeProblem.clock_offset)
    age = (received - corrected).total_seconds()
    if age > limits.offline_window_hours * 3600:
        problems.append(TimeProblem.late_upload)
    if corrected > received + FUTURE_SLACK:
        problems.append(TimeProblem.future_time)
    monotonic = _monotonic_estimate(item, batch, received)
    if monotonic is None:
        # Without the monotonic clock (not sent, or the phone restarted) nothing shows whether
        # the wall clock was set back before the check-in and forward again before sending.
        problems.append(TimeProblem.unverifiable_time)
    elif abs((corrected - monotonic).total_seconds()) > MONOTONIC_SLACK_S:
        problems.append(TimeProblem.clock_changed)
    evidence = {
        "phone_time": utc_iso(item.phone_time),
        "sent_at": utc_iso(batch.sent_at),
        "received_at": utc_iso(received),
        "offset_s": round(offset, 3),
        "age_s": round(age, 3),
        "monotonic_estimate": utc_iso(monotonic) if monotonic else None,
    }
    source = TimeSource.phone_unverified if problems else TimeSource.phone
    return TimeVerdict(corrected, source, tuple(problems), evidence)


def _monotonic_estimate(
    item: QueuedCheckIn, batch: CheckInBatch, received: datetime
) -> datetime | None:
    """When the phone's monotonic clock says the check-in happened (same boot, or for the web
    app the same page load's ``clock_session``, only): it does not move when someone changes the
    wall clock."""
    if item.elapsed_ms is None or batch.sent_elapsed_ms is None:
        return None
    if item.boot_count != batch.boot_count:
        return None
    if item.clock_session != batch.clock_session:  # web: performance.now() of another page load
        return None
    return received - timedelta(milliseconds=batch.sent_elapsed_ms - item.elapsed_ms)


# ---------------------------------------------------------------- place
@dataclass(frozen=True)
class PlaceVerdict:
    inside: bool
    office_id: str | None
    distance_m: float | None  # metres outside the nearest fence, 0 inside


def judge_place(
    offices: Sequence[Office],
    latitude: float,
    longitude: float,
    accuracy_m: float,
    limits: CheckInLimits,
) -> PlaceVerdict:
    """Inside when the fix is within min(accuracy, tolerance) of a fence of one of his offices:
    GPS noise does not refuse an honest phone at the line, a faked accuracy buys little."""
    if not offices:
        return PlaceVerdict(False, None, None)
    nearest = min(
        ((office, office.fence().distance_outside(latitude, longitude)) for office in offices),
        key=lambda pair: pair[1],
    )
    office, distance = nearest
    allowance = min(accuracy_m, limits.geofence_tolerance_m)
    return PlaceVerdict(distance <= allowance, office.office_id, round(distance, 2))


# ---------------------------------------------------------------- travel
@dataclass(frozen=True)
class Fix:
    latitude: float
    longitude: float
    accuracy_m: float
    at: datetime
    checkin_id: str

    def as_json(self) -> dict[str, Any]:
        return {
            "latitude": self.latitude,
            "longitude": self.longitude,
            "accuracy_m": self.accuracy_m,
            "at": self.at.isoformat(),
            "checkin_id": self.checkin_id,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Fix:
        return cls(
            float(data["latitude"]),
            float(data["longitude"]),
            float(data["accuracy_m"]),
            datetime.fromisoformat(data["at"]),
            str(data["checkin_id"]),
        )


def impossible_travel(before: Fix | None, after: Fix) -> dict[str, Any] | None:
    """The evidence when going from ``before`` to ``after`` (either order in time) needs more
    than ``TRAVEL_SPEED_KMH`` over more than ``TRAVEL_FLOOR_M`` (both net of GPS accuracy)."""
    if before is None:
        return None
    gap = geo.distance_m(before.latitude, before.longitude, after.latitude, after.longitude)
    net = gap - before.accuracy_m - after.accuracy_m
    seconds = max(abs((after.at - before.at).total_seconds()), 60.0)
    speed_kmh = max(0.0, net) / seconds * 3.6
    if net <= TRAVEL_FLOOR_M or speed_kmh <= TRAVEL_SPEED_KMH:
        return None
    return {
        "from": before.as_json(),
        "to": after.as_json(),
        "distance_m": round(gap, 1),
        "minutes": round(seconds / 60, 1),
        "speed_kmh": round(speed_kmh, 1),
    }
