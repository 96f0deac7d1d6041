"""The intake function: S3 notifications of new files, delivered in batches by SQS.

Each message is handled on its own; a failed one is reported back (partial batch response) so
SQS retries only it, and after the queue's maxReceiveCount it moves to the dead-letter queue.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.typing import LambdaContext
from eoffice import settings
from eoffice.batches import partial_response
from eoffice.intake.dispatch import accept, objects_in
from eoffice.observability import instrumented, logger

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

# Read and validated at cold start: a missing or malformed variable fails the first invocation.
SETTINGS = settings.load(settings.IntakeSettings)

# What init built lives as long as the instance, so the cyclic garbage collector need not walk
# it again: pypdf's parsing allocates enough to set off full collections during a batch, and
# each walked every object of boto3, pydantic and Powertools (docs/performance.md, Letter
# intake). What the first batch adds for good is frozen after it (``_settle``).
gc.freeze()
_settled = False


def handle_record(record: SQSRecord) -> None:
    for item in objects_in(record.body):
        handled = accept(item)
        logger.info(
            str(handled), key=item.key, outcome=handled.outcome.value, subject=handled.subject
        )


def _handle(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    answer = partial_response(event, handle_record, context)
    if not answer.get("batchItemFailures"):
        _settle()  # not after failures: their tracebacks would hold the batch's files for good
    return answer


def _settle() -> None:
    """Once, after the first batch: the clients it created (their service models are some
    100,000 objects), pypdf and Pillow stay for good. Its garbage is collected and the rest
    frozen, so that later full collections walk only what a batch makes."""
    global _settled
    if not _settled:
        _settled = True
        gc.collect()
        gc.freeze()


handler = instrumented(_handle)
