"""The sign-ins function: employees' Cognito users from ``SignInQueue`` (ADR 0025).

Paced: each message that called Cognito takes at least ``SIGNIN_CREATE_INTERVAL_MS`` on this
instance (it sleeps the rest), and the template reserves two instances, so creations stay under
2 x 1000 / interval a second, within Cognito's UserCreation quota however long the queue. Each
message is handled on its own: one failing for now is reported back (partial batch response)
and comes again after the visibility timeout; after ``maxReceiveCount`` it goes to the
dead-letter queue (its alarm), the last attempt having recorded the failure on the job.
"""

from __future__ import annotations

import time
from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext
from eoffice import settings
from eoffice.observability import instrumented, logger
from eoffice.signins import provisioning
from eoffice.signins.models import SignInMessage

# Read and validated at cold start: a missing or malformed variable fails the first invocation.
SETTINGS = settings.load(settings.SignInsSettings)

processor = BatchProcessor(event_type=EventType.SQS)


def handle_record(record: SQSRecord) -> None:
    started = time.monotonic()
    message = SignInMessage.model_validate_json(record.body)
    attempt = int(record.raw_event.get("attributes", {}).get("ApproximateReceiveCount") or 1)
    result = provisioning.handle(message, attempt=attempt, max_attempts=SETTINGS.max_attempts)
    logger.info(
        "sign-in",
        action=message.action.value,
        nip=message.nip,
        outcome=result.outcome,
        attempt=attempt,
    )
    if result.called_cognito:
        _pace(started)


def _pace(started: float) -> None:
    """Sleep what is left of this message's share of the instance's rate."""
    left = SETTINGS.create_interval_ms / 1000 - (time.monotonic() - started)
    if left > 0:
        time.sleep(left)


def _handle(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return process_partial_response(  # type: ignore[return-value]
        event=event, record_handler=handle_record, processor=processor, context=context
    )


handler = instrumented(_handle)
