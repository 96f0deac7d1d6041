"""The domain event a notifications message carries: EventBridge's event, as an SQS target
receives it, read with Powertools' parser model (``EventBridgeModel``).

The emulator's EventBridge (moto) leaves out ``account``; the subclass relaxes exactly that field,
which nothing here reads. The parser is imported with the first message, not at start-up.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from eoffice.notifications.notice_rules import DomainEvent


def event_in(message_body: str) -> DomainEvent:
    """The event in ``message_body``; a body that is no EventBridge event is refused (pydantic's
    ``ValidationError``), so the message is retried and then kept in the dead-letter queue."""
    event = _model().model_validate_json(message_body)
    return DomainEvent(
        event_id=event.id,
        source=event.source,
        detail_type=event.detail_type,
        time=event.time,
        detail=event.detail if isinstance(event.detail, dict) else {},
    )


@cache
def _model() -> Any:
    from aws_lambda_powertools.utilities.parser.models import EventBridgeModel

    class BusEvent(EventBridgeModel):
        account: str | None = None  # type: ignore[assignment]

    return BusEvent
