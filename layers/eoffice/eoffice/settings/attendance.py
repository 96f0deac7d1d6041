"""AttendanceFunction's settings. Imported by ``eoffice.settings`` on first use."""

from __future__ import annotations

from eoffice.settings import BUS, ORG, Resources, Stage
from eoffice.settings.checkin import WebAuthn
from eoffice.settings.shared import UploadLimit


class AttendanceSettings(Resources, Stage, UploadLimit, WebAuthn):
    """AttendanceFunction."""

    needs = (ORG, "ATTENDANCE_TABLE", "TPP_TABLE", "ATTENDANCE_BUCKET", BUS, "CHALLENGE_KEY")
