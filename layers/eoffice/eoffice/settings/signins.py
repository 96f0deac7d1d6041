"""SignInsFunction's settings: how fast Cognito users are created. Imported by ``eoffice.settings``
on first use."""

from __future__ import annotations

from pydantic import Field

from eoffice.settings import ORG, PositiveInt, Resources, Settings, Stage


class SignInPacing(Settings):
    """How fast the sign-ins function creates Cognito users (ADR 0025), and when it gives up."""

    create_interval_ms: PositiveInt = Field(200, alias="SIGNIN_CREATE_INTERVAL_MS")
    max_attempts: PositiveInt = Field(5, alias="SIGNIN_MAX_ATTEMPTS")


class SignInsSettings(Resources, Stage, SignInPacing):
    """SignInsFunction."""

    needs = (ORG, "USER_POOL_ID")
