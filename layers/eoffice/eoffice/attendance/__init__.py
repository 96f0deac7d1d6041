"""Attendance (presensi): check-ins from phones with geofences and anti-fraud checks, devices,
leave and travel, work schedules, the daily status and its review (docs/decisions/0012)."""
