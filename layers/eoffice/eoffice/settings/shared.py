"""Groups more than one function reads. Imported by ``eoffice.settings`` on first use."""

from __future__ import annotations

from pydantic import Field

from eoffice.settings import PositiveInt, Settings, Text


class UploadLimit(Settings):
    """The size limit of one uploaded file (a letter's scan, a report, a leave document)."""

    max_upload_bytes: PositiveInt = Field(25 * 1024 * 1024, alias="MAX_UPLOAD_BYTES")


class NotifyDefaults(Settings):
    """The regency's notification defaults, until a person sets his own (template parameters)."""

    default_channels: Text = Field("web_push,email", alias="NOTIFY_DEFAULT_CHANNELS")
    default_quiet_hours: Text = Field("21:00-06:00", alias="NOTIFY_QUIET_HOURS")


class PushEndpoints(Settings):
    """Whether a push subscription may name an http endpoint on this machine: only the local
    runner's push service stand-in; anywhere else the function would POST wherever a client
    points it."""

    push_allow_local: bool = Field(False, alias="PUSH_ALLOW_LOCAL_ENDPOINTS")
