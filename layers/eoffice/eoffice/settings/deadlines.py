"""DeadlinesFunction's settings. Imported by ``eoffice.settings`` on first use."""

from __future__ import annotations

from eoffice.settings import BUS, LETTERS, ORG, Resources, Stage


class DeadlinesSettings(Resources, Stage):
    """DeadlinesFunction."""

    needs = (ORG, LETTERS, "DISPOSITIONS_TABLE", BUS)
