"""TppFunction's settings. Imported by ``eoffice.settings`` on first use."""

from __future__ import annotations

from eoffice.settings import ORG, Resources, Stage


class TppSettings(Resources, Stage):
    """TppFunction."""

    needs = (ORG, "TPP_TABLE", "REPORTS_BUCKET", "TPP_RUN_QUEUE_URL")
