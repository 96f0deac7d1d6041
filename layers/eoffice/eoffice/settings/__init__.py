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

import importlib
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, TypeVar

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


# ------------------------------------------------------------------------- the lazy ones
ORG, LETTERS, BUS = "ORG_TABLE", "LETTERS_TABLE", "EVENT_BUS"
LETTER_FILES = ("LETTERS_BUCKET", "INTAKE_BUCKET")

_HOMES = {
    "UploadLimit": "shared",
    "NotifyDefaults": "shared",
    "PushEndpoints": "shared",
    "PushKey": "api",
    "ApiSettings": "api",
    "IntakeSettings": "intake",
    "DeadlinesSettings": "deadlines",
    "Signing": "signing",
    "Bsre": "signing",
    "SigningSettings": "signing",
    "CheckInLimits": "checkin",
    "WebAuthn": "checkin",
    "CheckInSettings": "checkin",
    "AttendanceSettings": "attendance",
    "TppSettings": "tpp",
    "TppReportSettings": "tpp_report",
    "Notify": "notifications",
    "NotificationsSettings": "notifications",
    "SignInPacing": "signins",
    "SignInsSettings": "signins",
}
"""Where each group and function model is defined. A pydantic class costs about half a
millisecond to build even with ``defer_build``, so the models live in one module per function
(groups two functions share in ``shared``, or in the module of the function they are about) and
this module imports one on first use: a function builds its own model and groups, not the other
functions' (issue 19)."""

_FUNCTION_MODELS = {
    "ApiFunction": "ApiSettings",
    "IntakeFunction": "IntakeSettings",
    "DeadlinesFunction": "DeadlinesSettings",
    "SigningFunction": "SigningSettings",
    "CheckInFunction": "CheckInSettings",
    "AttendanceFunction": "AttendanceSettings",
    "TppFunction": "TppSettings",
    "TppReportFunction": "TppReportSettings",
    "NotificationsFunction": "NotificationsSettings",
    "SignInsFunction": "SignInsSettings",
}

if TYPE_CHECKING:
    from eoffice.settings.api import ApiSettings as ApiSettings
    from eoffice.settings.api import PushKey as PushKey
    from eoffice.settings.attendance import AttendanceSettings as AttendanceSettings
    from eoffice.settings.checkin import CheckInLimits as CheckInLimits
    from eoffice.settings.checkin import CheckInSettings as CheckInSettings
    from eoffice.settings.checkin import WebAuthn as WebAuthn
    from eoffice.settings.deadlines import DeadlinesSettings as DeadlinesSettings
    from eoffice.settings.intake import IntakeSettings as IntakeSettings
    from eoffice.settings.notifications import NotificationsSettings as NotificationsSettings
    from eoffice.settings.notifications import Notify as Notify
    from eoffice.settings.shared import NotifyDefaults as NotifyDefaults
    from eoffice.settings.shared import PushEndpoints as PushEndpoints
    from eoffice.settings.shared import UploadLimit as UploadLimit
    from eoffice.settings.signing import Bsre as Bsre
    from eoffice.settings.signing import Signing as Signing
    from eoffice.settings.signing import SigningSettings as SigningSettings
    from eoffice.settings.signins import SignInPacing as SignInPacing
    from eoffice.settings.signins import SignInsSettings as SignInsSettings
    from eoffice.settings.tpp import TppSettings as TppSettings
    from eoffice.settings.tpp_report import TppReportSettings as TppReportSettings

    FUNCTIONS: dict[str, type[Settings]]
    """Each function's model by its logical id in template.yaml (a test holds them to the
    template)."""


def __getattr__(name: str) -> Any:
    """A group or function model, imported from its module on first use (``settings.Signing``,
    ``from eoffice.settings import CheckInLimits``); ``FUNCTIONS`` imports every function's."""
    if name == "FUNCTIONS":
        return {function: __getattr__(model) for function, model in _FUNCTION_MODELS.items()}
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    found = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = found
    return found


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
