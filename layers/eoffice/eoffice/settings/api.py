"""ApiFunction's settings. Imported by ``eoffice.settings`` on first use."""

from __future__ import annotations

from pydantic import Field

from eoffice.settings import BUS, LETTER_FILES, LETTERS, ORG, Resources, Settings, Stage, Text
from eoffice.settings.shared import NotifyDefaults, PushEndpoints, UploadLimit


class PushKey(Settings):
    """The VAPID public key the app subscribes with (not a secret; empty: push is off)."""

    vapid_public_key: Text = Field("", alias="VAPID_PUBLIC_KEY")


class ApiSettings(Resources, Stage, UploadLimit, PushKey, PushEndpoints, NotifyDefaults):
    """ApiFunction."""

    needs = (
        ORG,
        LETTERS,
        "DISPOSITIONS_TABLE",
        "IDEMPOTENCY_TABLE",
        "NOTIFICATIONS_TABLE",
        BUS,
        *LETTER_FILES,
        "SIGNIN_QUEUE_URL",
    )
