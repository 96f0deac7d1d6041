"""TppReportFunction's settings. Imported by ``eoffice.settings`` on first use."""

from __future__ import annotations

from eoffice.settings import BUS, ORG, Resources, Stage


class TppReportSettings(Resources, Stage):
    """TppReportFunction."""

    needs = (ORG, "ATTENDANCE_TABLE", "TPP_TABLE", "REPORTS_BUCKET", BUS)
