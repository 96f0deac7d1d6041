"""The notifications function: the domain events of every function, routed by EventBridge rules
to a queue (template.yaml), told to the people they concern (``eoffice.notifications``).

Each message is one event, handled on its own: a failed one (a channel failing for now) is
reported back (partial batch response), so SQS delivers only it again after its visibility
timeout, and after ``maxReceiveCount`` it moves to the dead-letter queue, whose alarm an operator
watches. The receive count tells the last attempt, at which a failing channel is given up.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext
from eoffice import settings
from eoffice.notifications.events_in import event_in
from eoffice.observability import instrumented, logger

# Read and validated at cold start: a missing or malformed variable fails the first invocation.
SETTINGS = settings.load(settings.NotificationsSettings)

processor = BatchProcessor(event_type=EventType.SQS)


def handle_record(record: SQSRecord) -> None:
    from eoffice.notifications import notifying

    event = event_in(record.body)
    attempt = int(record.attributes.approximate_receive_count or 1)
    told = notifying.handle(event, attempt=attempt)
    logger.info(
        "notified",
        detail_type=event.detail_type,
        event_id=event.event_id,
        notices=len(told),
        attempt=attempt,
    )


def _handle(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return process_partial_response(  # type: ignore[return-value]
        event=event, record_handler=handle_record, processor=processor, context=context
    )


handler = instrumented(_handle)
