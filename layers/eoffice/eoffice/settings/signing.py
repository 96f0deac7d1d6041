"""SigningFunction's settings: how letters are signed, and BSrE. Imported by ``eoffice.settings`` on
first use."""

from __future__ import annotations

from pydantic import Field

from eoffice.settings import (
    BUS,
    LETTER_FILES,
    LETTERS,
    ORG,
    Name,
    PositiveFloat,
    PositiveInt,
    Resources,
    Settings,
    Stage,
    Text,
    Url,
)
from eoffice.settings.shared import UploadLimit


class Signing(Settings):
    """How letters are signed and stamped (template parameters; empty means not configured)."""

    tsa_url: Url | None = Field(None, alias="TSA_URL")
    signature_authority: Text = Field("", alias="SIGNATURE_AUTHORITY")
    verify_base_url: Url | None = Field(None, alias="VERIFY_BASE_URL")
    signing_place: Name = Field("Malili", alias="SIGNING_PLACE")
    seal_signer_id: Text = Field("", alias="SEAL_SIGNER_ID")
    verify_rate_limit: PositiveInt = Field(20, alias="VERIFY_RATE_LIMIT")


class Bsre(Settings):
    """BSrE's signing service; off when ``BSRE_URL`` is empty. Credentials live in Secrets
    Manager under ``BSRE_CREDENTIALS_SECRET``, never in the environment."""

    bsre_url: Url | None = Field(None, alias="BSRE_URL")
    bsre_credentials_secret: Text = Field("", alias="BSRE_CREDENTIALS_SECRET")
    bsre_timeout_seconds: PositiveFloat = Field(20.0, alias="BSRE_TIMEOUT_SECONDS")


class SigningSettings(Resources, Stage, UploadLimit, Signing, Bsre):
    """SigningFunction."""

    needs = (
        ORG,
        LETTERS,
        "OUTGOING_TABLE",
        "SIGNING_KEYS_TABLE",
        "IDEMPOTENCY_TABLE",
        BUS,
        *LETTER_FILES,
        "SIGNING_STACK",
        "SIGNING_ROLE_ARN",
    )
