"""Every function's settings: one pydantic model per function, read from the environment that
template.yaml gives it, validated once at cold start.

A function's ``app.py`` calls :func:`load` with its model at import, so a missing or malformed
variable fails the deployment's first invocation with a message naming every bad variable, not
the first request that happens to need it. The layer asks for the part it needs by its group
(``settings.get(SigningSettings).tsa_url``), or for a resource by the template variable that names
it (``settings.resource("ORG_TABLE")``, for the PynamoDB plumbing): both are answered from the
loaded model.

Outside Lambda (the CLI, the local runner's in-process mode, tests) nothing may have been loaded:
:func:`get` then reads the group alone from the environment and keeps it; :func:`reset` forgets
what was read, for a process that re-points its environment (a test setting a limit, the
bootstrap command pointing at another table). Not here: ``AWS_ENDPOINT_URL`` and the region
(the SDKs' own convention, read by ``eoffice.aws``), ``POWERTOOLS_*`` (Powertools' own) and
``PYDANTIC_DISABLE_PLUGINS`` (pydantic's).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

# Constraints as plain ``Field`` metadata: pydantic's constrained types (``PositiveInt``,
# ``StringConstraints``) and validators live in modules the cold start would import only for this.
Name = Annotated[str, Field(min_length=1)]
"""A resource's name (table, bucket, queue, bus): template.yaml always sets it."""

Url = Annotated[str, Field(pattern=r"^https?://[^\s]+$")]
"""An http(s) address, kept as written (no trailing slash added)."""

Text = str
"""A free setting: an empty value means "not configured" (a template parameter left empty)."""

PositiveInt = Annotated[int, Field(gt=0)]
PositiveFloat = Annotated[float, Field(gt=0)]
NonNegativeFloat = Annotated[float, Field(ge=0)]


class MisconfiguredFunction(RuntimeError):
    """A variable template.yaml should have set is absent or malformed: a deployment error, not a
    user's. Raised at cold start, so the first invocation fails with this message."""


class Settings(BaseModel):
    """A group of variables; a function's model is the union of the groups its code reads."""

    # Schemas are built on first use: only the running function's model is validated at its start.
    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True, defer_build=True)

    @classmethod
    def from_environ(cls: type[_S], environ: Mapping[str, str] | None = None) -> _S:
        """Read from ``environ`` (the process's by default); values are stripped, and an empty
        one counts as unset (its default applies)."""
        given = os.environ if environ is None else environ
        values = {k: v.strip() for k, v in given.items() if v.strip()}
        missing = cls._missing(values)
        try:
            settings = cls.model_validate(cls._prepared(values))
        except ValidationError as error:
            raise MisconfiguredFunction(_explain(cls, missing, error)) from None
        if missing:
            raise MisconfiguredFunction(_explain(cls, missing, None))
        return settings

    @classmethod
    def _prepared(cls, values: dict[str, Any]) -> dict[str, Any]:
        """The values as the model reads them; a group that needs more overrides this."""
        return values

    @classmethod
    def _missing(cls, values: dict[str, Any]) -> list[str]:
        """Variables the model needs that are not set, beyond its fields' own checks."""
        return []


_S = TypeVar("_S", bound=Settings)


def _explain(model: type[Settings], missing: list[str], error: ValidationError | None) -> str:
    """Every problem in one message: the resources not set, then each malformed field."""
    problems = [f"not set: {', '.join(missing)}"] if missing else []
    for item in error.errors() if error is not None else ():
        variable = ".".join(str(part) for part in item["loc"])
        field = model.model_fields.get(variable)
        alias = field.alias if field is not None and field.alias else variable
        message = str(item["msg"]).removeprefix("Value error, ")
        problems.append(f"{alias}: {message}" if alias else message)
    return f"{model.__name__}: " + "; ".join(problems) + " (see template.yaml)"


# ------------------------------------------------------------------------------------ groups
class Resources(Settings):
    """The stack's resources a function is given by name (tables, buckets, queues, the bus, its
    stack and role): each function's model lists in ``needs`` the variables its template entry
    sets, and loading fails naming those absent. Read with :func:`resource`."""

    needs: ClassVar[tuple[str, ...]] = ()
    names: dict[str, Name] = Field(default_factory=dict)

    @classmethod
    def _missing(cls, values: dict[str, Any]) -> list[str]:
        return [variable for variable in cls.needs if not values.get(variable)]

    @classmethod
    def _prepared(cls, values: dict[str, Any]) -> dict[str, Any]:
        names = {v: values[v] for v in cls.needs if values.get(v)}
        return {**super()._prepared(values), "names": names}


class Stage(Settings):
    stage: Name = Field(alias="STAGE")


class UploadLimit(Settings):
    """The size limit of one uploaded file (a letter's scan, a report, a leave document)."""

    max_upload_bytes: PositiveInt = Field(25 * 1024 * 1024, alias="MAX_UPLOAD_BYTES")


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


class NotifyDefaults(Settings):
    """The regency's notification defaults, until a person sets his own (template parameters)."""

    default_channels: Text = Field("web_push,email", alias="NOTIFY_DEFAULT_CHANNELS")
    default_quiet_hours: Text = Field("21:00-06:00", alias="NOTIFY_QUIET_HOURS")


class Notify(Settings):
    """How people are told (template parameters; an empty secret means that channel is off)."""

    vapid_secret: Text = Field("", alias="VAPID_SECRET")
    email_sender: Text = Field("", alias="EMAIL_SENDER")
    whatsapp_secret: Text = Field("", alias="WHATSAPP_SECRET")
    app_base_url: Url = Field("http://localhost:5173", alias="APP_BASE_URL")
    max_attempts: PositiveInt = Field(5, alias="NOTIFY_MAX_ATTEMPTS")


class PushEndpoints(Settings):
    """Whether a push subscription may name an http endpoint on this machine: only the local
    runner's push service stand-in; anywhere else the function would POST wherever a client
    points it."""

    push_allow_local: bool = Field(False, alias="PUSH_ALLOW_LOCAL_ENDPOINTS")


class PushKey(Settings):
    """The VAPID public key the app subscribes with (not a secret; empty: push is off)."""

    vapid_public_key: Text = Field("", alias="VAPID_PUBLIC_KEY")


class SignInPacing(Settings):
    """How fast the sign-ins function creates Cognito users (ADR 0025), and when it gives up."""

    create_interval_ms: PositiveInt = Field(200, alias="SIGNIN_CREATE_INTERVAL_MS")
    max_attempts: PositiveInt = Field(5, alias="SIGNIN_MAX_ATTEMPTS")


# --------------------------------------------------------------------------------- functions
_ORG, _LETTERS, _BUS = "ORG_TABLE", "LETTERS_TABLE", "EVENT_BUS"
_LETTER_FILES = ("LETTERS_BUCKET", "INTAKE_BUCKET")


class ApiSettings(Resources, Stage, UploadLimit, PushKey, PushEndpoints, NotifyDefaults):
    """ApiFunction."""

    needs = (
        _ORG,
        _LETTERS,
        "DISPOSITIONS_TABLE",
        "IDEMPOTENCY_TABLE",
        "NOTIFICATIONS_TABLE",
        _BUS,
        *_LETTER_FILES,
        "SIGNIN_QUEUE_URL",
    )


class IntakeSettings(Resources, Stage, UploadLimit):
    """IntakeFunction."""

    needs = (_ORG, _LETTERS, "OUTGOING_TABLE", _BUS, *_LETTER_FILES)


class DeadlinesSettings(Resources, Stage):
    """DeadlinesFunction."""

    needs = (_ORG, _LETTERS, "DISPOSITIONS_TABLE", _BUS)


class SigningSettings(Resources, Stage, UploadLimit, Signing, Bsre):
    """SigningFunction."""

    needs = (
        _ORG,
        _LETTERS,
        "OUTGOING_TABLE",
        "SIGNING_KEYS_TABLE",
        "IDEMPOTENCY_TABLE",
        _BUS,
        *_LETTER_FILES,
        "SIGNING_STACK",
        "SIGNING_ROLE_ARN",
    )


class CheckInSettings(Resources, Stage, CheckInLimits, WebAuthn):
    """CheckInFunction."""

    needs = (_ORG, "ATTENDANCE_TABLE", "ATTENDANCE_BUCKET", _BUS, "CHALLENGE_KEY")


class AttendanceSettings(Resources, Stage, UploadLimit, WebAuthn):
    """AttendanceFunction."""

    needs = (_ORG, "ATTENDANCE_TABLE", "TPP_TABLE", "ATTENDANCE_BUCKET", _BUS, "CHALLENGE_KEY")


class TppSettings(Resources, Stage):
    """TppFunction."""

    needs = (_ORG, "TPP_TABLE", "REPORTS_BUCKET", "TPP_RUN_QUEUE_URL")


class TppReportSettings(Resources, Stage):
    """TppReportFunction."""

    needs = (_ORG, "ATTENDANCE_TABLE", "TPP_TABLE", "REPORTS_BUCKET", _BUS)


class NotificationsSettings(Resources, Stage, NotifyDefaults, Notify, PushEndpoints):
    """NotificationsFunction."""

    needs = (
        _ORG,
        _LETTERS,
        "OUTGOING_TABLE",
        "DISPOSITIONS_TABLE",
        "NOTIFICATIONS_TABLE",
        "ATTENDANCE_TABLE",
    )


class SignInsSettings(Resources, Stage, SignInPacing):
    """SignInsFunction."""

    needs = (_ORG, "USER_POOL_ID")


FUNCTIONS: dict[str, type[Settings]] = {
    "ApiFunction": ApiSettings,
    "IntakeFunction": IntakeSettings,
    "DeadlinesFunction": DeadlinesSettings,
    "SigningFunction": SigningSettings,
    "CheckInFunction": CheckInSettings,
    "AttendanceFunction": AttendanceSettings,
    "TppFunction": TppSettings,
    "TppReportFunction": TppReportSettings,
    "NotificationsFunction": NotificationsSettings,
    "SignInsFunction": SignInsSettings,
}
"""Each function's model by its logical id in template.yaml (a test holds them to the template)."""


def variables(model: type[Settings]) -> set[str]:
    """Every variable ``model`` reads: its resources and its fields' variables."""
    fields = {f.alias or n for n, f in model.model_fields.items() if n != "names"}
    return fields | set(getattr(model, "needs", ()))


# ---------------------------------------------------------------------------------- the process
_loaded: list[Settings] = []


def load(model: type[_S]) -> _S:
    """Read and validate a function's settings (at its cold start) and keep them for the process;
    raises :class:`MisconfiguredFunction` naming every missing or malformed variable."""
    settings = model.from_environ()
    _loaded[:] = [kept for kept in _loaded if type(kept) is not model] + [settings]
    return settings


def get(group: type[_S]) -> _S:
    """The loaded settings that include ``group``; outside a function, ``group`` read alone."""
    for settings in reversed(_loaded):
        if isinstance(settings, group):
            return settings
    return load(group)


def resource(variable: str) -> str:
    """The name of a resource by the template variable that carries it (``"ORG_TABLE"``): from
    the loaded function's settings, or outside a function from the environment."""
    for settings in reversed(_loaded):
        if isinstance(settings, Resources) and variable in settings.names:
            return settings.names[variable]
        for name, field in type(settings).model_fields.items():
            if field.alias == variable:
                return str(getattr(settings, name))
    value = os.environ.get(variable, "").strip()
    if not value:
        raise MisconfiguredFunction(f"{variable} is not set (see template.yaml)")
    return value


def reset() -> None:
    """Forget what was read: the next :func:`get` reads the environment again."""
    _loaded.clear()
