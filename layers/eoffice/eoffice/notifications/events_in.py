"""The domain event a notifications message carries: EventBridge's event, as an SQS target
receives it, read with Powertools' parser model (``EventBridgeModel``)."""

from __future__ import annotations

from eoffice.notifications.notice_rules import DomainEvent


def event_in(message_body: str) -> DomainEvent:
    """The event in ``message_body``; a body that is no EventBridge event is refused (pydantic's
    ``ValidationError``), so the message is retried and then kept in the dead-letter queue."""
    from aws_lambda_powertools.utilities.parser.models import EventBridgeModel

    event = EventBridgeModel.model_validate_json(message_body)
    return DomainEvent(
        event_id=event.id,
        source=event.source,
        detail_type=event.detail_type,
        time=event.time,
        detail=event.detail if isinstance(event.detail, dict) else {},
    )
