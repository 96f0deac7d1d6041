"""The check-in thresholds the template sets (template.yaml parameters), read per call."""

from __future__ import annotations

import os
from dataclasses import dataclass


def _number(name: str, default: float) -> float:
    raw = os.environ.get(name, "")
    return float(raw) if raw else default


@dataclass(frozen=True)
class CheckInSettings:
    tolerance_m: float = 20.0  # GeofenceToleranceMeters
    max_accuracy_m: float = 50.0  # MaxGpsAccuracyMeters
    offline_window_s: float = 72 * 3600.0  # OfflineWindowHours
    max_offset_s: float = 300.0  # MaxClockOffsetSeconds
    monotonic_slack_s: float = 60.0  # phone time vs elapsed-realtime reconstruction
    travel_speed_kmh: float = 120.0  # faster between two fixes is impossible travel...
    travel_floor_m: float = 2000.0  # ...when they are also this far apart (noise aside)

    @classmethod
    def from_env(cls) -> CheckInSettings:
        return cls(
            tolerance_m=_number("GEOFENCE_TOLERANCE_M", cls.tolerance_m),
            max_accuracy_m=_number("MAX_GPS_ACCURACY_M", cls.max_accuracy_m),
            offline_window_s=_number("OFFLINE_WINDOW_HOURS", 72) * 3600,
            max_offset_s=_number("MAX_CLOCK_OFFSET_S", cls.max_offset_s),
        )
