"""NotificationsFunction's settings: how people are told. Imported by ``eoffice.settings`` on first
use."""

from __future__ import annotations

from pydantic import Field

from eoffice.settings import LETTERS, ORG, PositiveInt, Resources, Settings, Stage, Text, Url
from eoffice.settings.shared import NotifyDefaults, PushEndpoints


class Notify(Settings):
    """How people are told (template parameters; an empty secret means that channel is off)."""

    vapid_secret: Text = Field("", alias="VAPID_SECRET")
    email_sender: Text = Field("", alias="EMAIL_SENDER")
    whatsapp_secret: Text = Field("", alias="WHATSAPP_SECRET")
    app_base_url: Url = Field("http://localhost:5173", alias="APP_BASE_URL")
    max_attempts: PositiveInt = Field(5, alias="NOTIFY_MAX_ATTEMPTS")


class NotificationsSettings(Resources, Stage, NotifyDefaults, Notify, PushEndpoints):
    """NotificationsFunction."""

    needs = (
        ORG,
        LETTERS,
        "OUTGOING_TABLE",
        "DISPOSITIONS_TABLE",
        "NOTIFICATIONS_TABLE",
        "ATTENDANCE_TABLE",
    )
