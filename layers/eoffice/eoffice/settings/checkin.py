"""CheckInFunction's settings: the check-in thresholds and web check-ins (the attendance function
reads the latter too). Imported by ``eoffice.settings`` on first use."""

from __future__ import annotations

from pydantic import Field

from eoffice.settings import (
    BUS,
    ORG,
    Name,
    NonNegativeFloat,
    PositiveFloat,
    Resources,
    Settings,
    Stage,
    Text,
)


class CheckInLimits(Settings):
    """The check-in thresholds (template parameters of the same names)."""

    geofence_tolerance_m: NonNegativeFloat = Field(20.0, alias="GEOFENCE_TOLERANCE_M")
    max_gps_accuracy_m: PositiveFloat = Field(50.0, alias="MAX_GPS_ACCURACY_M")
    offline_window_hours: PositiveFloat = Field(72.0, alias="OFFLINE_WINDOW_HOURS")
    max_clock_offset_s: NonNegativeFloat = Field(300.0, alias="MAX_CLOCK_OFFSET_S")


class WebAuthn(Settings):
    """Web check-ins (ADR 0024): the relying party the credentials belong to, the origins their
    assertions may come from, and what a web check-in's unknown mock location means."""

    rp_id: Name = Field("localhost", alias="WEBAUTHN_RP_ID")
    origins: Text = Field("http://localhost:3001", alias="WEBAUTHN_ORIGINS")
    mock_policy: str = Field("review", alias="WEB_CHECKIN_MOCK_POLICY", pattern="^(accept|review)$")

    @property
    def allowed_origins(self) -> list[str]:
        return [origin.strip() for origin in self.origins.split(",") if origin.strip()]


class CheckInSettings(Resources, Stage, CheckInLimits, WebAuthn):
    """CheckInFunction."""

    needs = (ORG, "ATTENDANCE_TABLE", "ATTENDANCE_BUCKET", BUS, "CHALLENGE_KEY")
