"""Base classes of the API's pydantic models, by role, shared by every domain.

Validators are built on first use (``defer_build``): a cold start pays only for the models its
request needs.

Every timestamp the API returns is UTC with ``Z`` (``2026-12-05T18:54:00Z``), whatever zone the
domain computed it in (day views and deadlines work in WITA): ``OutputModel`` converts aware
datetimes when it writes JSON. The instant and its precision stay as they are: a whole second
is written without a fraction, and no fraction is added.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    StringConstraints,
    field_serializer,
)

Month = Annotated[str, StringConstraints(pattern=r"^[12][0-9]{3}-(0[1-9]|1[0-2])$")]
"""A calendar month, ``YYYY-MM``."""


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
