"""Base classes of the API's pydantic models, by role, shared by every domain.

Validators are built on first use (``defer_build``): a cold start pays only for the models its
request needs.

Every timestamp the API returns is UTC with ``Z`` (``2026-12-05T18:54:00Z``), whatever zone the
domain computed it in (day views and deadlines work in WITA): ``OutputModel`` converts aware
datetimes when it writes JSON. The instant and its precision stay as they are: a whole second
is written without a fraction, and no fraction is added.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    field_serializer,
)

from eoffice.errors import InvalidInput

Month = Annotated[str, StringConstraints(pattern=r"^[12][0-9]{3}-(0[1-9]|1[0-2])$")]
"""A calendar month, ``YYYY-MM``."""


def _degrees(value: float) -> float:
    """Seven decimals, about a centimetre: finer is noise for a GPS, and a magnitude below
    1e-130 (``2e-190``) is a number DynamoDB refuses to store."""
    return round(value, 7) + 0.0  # + 0.0: no -0.0


Latitude = Annotated[float, Field(ge=-90, le=90), AfterValidator(_degrees)]
"""WGS84 decimal degrees, as a phone's GPS reports them."""
Longitude = Annotated[float, Field(ge=-180, le=180), AfterValidator(_degrees)]


class InputModel(BaseModel):
    """What a client sends: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid", defer_build=True)


def in_utc(value: object, handler: SerializerFunctionWrapHandler) -> Any:
    """An aware datetime as UTC; anything else as it is."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.astimezone(UTC)
    return handler(value)


class OutputModel(BaseModel):
    """What a client gets back; its timestamps in UTC (see the module's docstring)."""

    model_config = ConfigDict(defer_build=True)

    # A lambda, not a method: a serializer without a return annotation keeps each field's own
    # JSON schema (an annotated one would turn every field of the OpenAPI document into "any").
    _timestamps_in_utc = field_serializer("*", mode="wrap", when_used="json")(
        lambda self, value, handler: in_utc(value, handler)
    )


class Upload(OutputModel):
    """A presigned form upload straight to a bucket (S3 POST policy): the size limit is enforced
    by S3 itself. Send ``fields`` then the file as ``file`` in multipart/form-data."""

    url: str
    method: str = "POST"
    fields: dict[str, str]
    headers: dict[str, str] = Field(default_factory=dict)
    expires_at: datetime
    max_bytes: int


class Download(OutputModel):
    """A presigned GET of a stored file, valid until ``expires_at``."""

    url: str
    expires_at: datetime
    media_type: str
    size: int


def refuse_nulls(record: type[BaseModel], changes: Mapping[str, object]) -> None:
    """A PATCH's fields (``model_dump(exclude_unset=True)``) may clear with null only what
    ``record`` may lack (a unit's parent, a position's echelon); null for a field it must have
    (``active``, a letter's ``sifat``) is refused, 422, instead of reaching the store: leave a
    field out to keep it."""
    refused = [
        name for name, value in changes.items() if value is None and not _nullable(record, name)
    ]
    if refused:
        raise InvalidInput(
            f"{', '.join(refused)} cannot be null: leave a field out to keep it",
            code="validation_failed",
            errors=[
                {"location": f"body.{name}", "message": "may not be null", "type": "null_refused"}
                for name in refused
            ],
        )


def _nullable(record: type[BaseModel], name: str) -> bool:
    field = record.model_fields.get(name)
    if field is None:
        return True  # not a field of the record: the service decides what it means
    try:
        TypeAdapter(field.annotation).validate_python(None)
    except ValidationError:
        return False
    return True
