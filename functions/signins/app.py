"""The sign-ins function: employees' Cognito users from ``SignInQueue`` (ADR 0025).

Paced: each employee whose user it called Cognito for takes at least
``SIGNIN_CREATE_INTERVAL_MS`` on this instance (it sleeps the rest), and the template reserves two
instances, so creations stay under 2 x 1000 / interval a second, within Cognito's UserCreation
quota however long the queue. A message (up to 50 employees) failing for now is reported back
(partial batch response) and comes again after the visibility timeout, its settled employees
skipped; after ``maxReceiveCount`` it goes to the dead-letter queue (its alarm), the last attempt
having recorded the failures on the job.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.typing import LambdaContext
from eoffice import settings
from eoffice.batches import partial_response
from eoffice.observability import instrumented, logger
from eoffice.signins import provisioning
from eoffice.signins.models import SignInMessage

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

# Read and validated at cold start: a missing or malformed variable fails the first invocation.
SETTINGS = settings.load(settings.SignInsSettings)


def handle_record(record: SQSRecord) -> None:
    message = SignInMessage.model_validate_json(record.body)
    attempt = int(record.raw_event.get("attributes", {}).get("ApproximateReceiveCount") or 1)
    pace = Pacer(SETTINGS.create_interval_ms / 1000)
    results = provisioning.handle(
        message, attempt=attempt, max_attempts=SETTINGS.max_attempts, pace=pace
    )
    outcomes: dict[str, int] = {}
    for result in results:
        outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1
    logger.info(
        "sign-ins",
        action=message.action.value,
        job_id=message.job_id,
        outcomes=outcomes,
        attempt=attempt,
    )


class Pacer:
    """After an employee whose user Cognito was called for, sleeps what is left of his share of
    the instance's rate: each takes at least ``interval`` seconds from the previous one's end."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self.since = time.monotonic()

    def __call__(self, result: provisioning.Result) -> None:
        if result.called_cognito:
            left = self.interval - (time.monotonic() - self.since)
            if left > 0:
                time.sleep(left)
        self.since = time.monotonic()


def _handle(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return partial_response(event, handle_record, context)


handler = instrumented(_handle)
