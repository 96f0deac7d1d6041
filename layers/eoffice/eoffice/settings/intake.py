"""IntakeFunction's settings. Imported by ``eoffice.settings`` on first use."""

from __future__ import annotations

from eoffice.settings import BUS, LETTER_FILES, LETTERS, ORG, Resources, Stage
from eoffice.settings.shared import UploadLimit


class IntakeSettings(Resources, Stage, UploadLimit):
    """IntakeFunction."""

    needs = (ORG, LETTERS, "OUTGOING_TABLE", BUS, *LETTER_FILES)
