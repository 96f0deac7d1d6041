"""The S3 notification an intake message carries, as Powertools' parser models describe it.

Powertools' ``S3Model`` follows the notification S3 itself sends. S3-compatible stores send less:
moto (the local runner's and the tests' emulator) leaves out ``userIdentity``,
``requestParameters``, ``responseElements`` and the bucket's ``ownerIdentity``, and an event may
lack an object's ``size`` or ``eTag`` (the intake then reads them from the object itself). The
subclasses below relax exactly those fields and nothing else. The intake reads none of the four
identity and request fields, so they are kept as they come, unchecked: a value S3 sends that the
parent's types do not foresee (a ``sourceIPAddress`` that is neither an address nor
``s3.amazonaws.com``) must not send a scan to the dead-letter queue. Everything the intake reads is
checked. S3's ``s3:TestEvent``, sent once when a notification is configured, names no object.

Importing this module loads Powertools' parser (its cost is in docs/performance.md): it is
imported when the first message arrives, not at the function's start-up.
"""

from __future__ import annotations

from typing import Any, Literal

from aws_lambda_powertools.utilities.parser.models.s3 import (
    S3Bucket,
    S3Message,
    S3Model,
    S3RecordModel,
)
from pydantic import BaseModel, TypeAdapter, model_validator


class NotifiedBucket(S3Bucket):
    ownerIdentity: dict[str, Any] | None = None  # type: ignore[assignment]  # noqa: N815


class NotifiedMessage(S3Message):
    bucket: NotifiedBucket


class NotifiedRecord(S3RecordModel):
    userIdentity: dict[str, Any] | None = None  # type: ignore[assignment]  # noqa: N815
    requestParameters: dict[str, Any] | None = None  # type: ignore[assignment]  # noqa: N815
    responseElements: dict[str, Any] | None = None  # type: ignore[assignment]  # noqa: N815
    s3: NotifiedMessage

    @model_validator(mode="before")
    @classmethod
    def validate_s3_object(cls, values: Any) -> Any:
        """Replaces the parent's check of the same name, which refuses a created object without
        ``size`` or ``eTag``: the intake reads both from the object when the event lacks them."""
        return values


class Notification(S3Model):
    Records: list[NotifiedRecord]  # type: ignore[assignment]


class TestEvent(BaseModel):
    """What S3 sends once when a bucket's notification is set up."""

    __test__ = False  # not a pytest test class, despite its name

    Service: Literal["Amazon S3"]
    Event: Literal["s3:TestEvent"]


MESSAGE: TypeAdapter[TestEvent | Notification] = TypeAdapter(TestEvent | Notification)
"""An intake message's body: S3's test event, or a notification of objects."""
