"""The notifications function: the domain events of every function, routed by EventBridge rules
to a queue (template.yaml), told to the people they concern (``eoffice.notifications``); and at
07:00 WITA on working days (``"action": "morning-digest"``) the heads' digest.

Each message is one event, handled on its own: a failed one (a channel failing for now) is
reported back (partial batch response), so SQS delivers only it again after its visibility
timeout, and after ``maxReceiveCount`` it moves to the dead-letter queue, whose alarm an operator
watches. The receive count tells the last attempt, at which a failing channel is given up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.typing import LambdaContext
from eoffice import settings
from eoffice.batches import partial_response
from eoffice.notifications.events_in import event_in
from eoffice.observability import instrumented, logger
from eoffice.scheduled import scheduled_time

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

# Read and validated at cold start: a missing or malformed variable fails the first invocation.
SETTINGS = settings.load(settings.NotificationsSettings)
DIGEST = "morning-digest"


def handle_record(record: SQSRecord) -> None:
    from eoffice.notifications import notifying

    event = event_in(record.body)
    attempt = int(record.raw_event.get("attributes", {}).get("ApproximateReceiveCount") or 1)
    told = notifying.handle(event, attempt=attempt)
    logger.info(
        "notified",
        detail_type=event.detail_type,
        event_id=event.event_id,
        notices=len(told),
        attempt=attempt,
    )


def _handle(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    if event.get("action") == DIGEST:
        return _digest(event)
    return partial_response(event, handle_record, context)


def _digest(event: dict[str, Any]) -> dict[str, Any]:
    """The heads' morning digest, as of the schedule's time (a retry gives that day's)."""
    from eoffice.notifications import digest

    sent = digest.run(scheduled_time(event))
    logger.info("digest", heads=len(sent))
    return {"digests": len(sent)}


handler = instrumented(_handle)
