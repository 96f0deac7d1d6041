"""SQS batches with partial failures, through Powertools' batch utility, loaded on first use.

The utility imports asyncio (for its async processor) and every event data class Powertools has:
about 40 to 90 ms of a queue function's import on a loaded machine (issue 19). Loaded here on the
first batch instead: a function that also runs on a schedule (the TPP report) never pays it on
that path; for the others the first batch of each execution environment pays it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.batch import BatchProcessor
    from aws_lambda_powertools.utilities.typing import LambdaContext


@lru_cache(maxsize=1)
def _processor() -> BatchProcessor:
    from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType

    return BatchProcessor(event_type=EventType.SQS)


def partial_response(
    event: dict[str, Any], record_handler: Callable[..., Any], context: LambdaContext
) -> dict[str, Any]:
    """Each record handled on its own; the failed ones reported back (``batchItemFailures``) so
    SQS retries only them. As Powertools' ``process_partial_response``, which this calls: a
    batch whose every record failed raises, so the whole batch is retried."""
    from aws_lambda_powertools.utilities.batch import process_partial_response

    return process_partial_response(  # type: ignore[return-value]
        event=event, record_handler=record_handler, processor=_processor(), context=context
    )
