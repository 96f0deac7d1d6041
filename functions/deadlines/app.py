"""The deadline function: run by an EventBridge Scheduler schedule (template.yaml), it reminds
recipients before disposition deadlines, marks assignments overdue after them and escalates to
the sender and the sender's superior (``eoffice.dispositions.watch``)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext
from eoffice import clock
from eoffice.dispositions import watch
from eoffice.observability import instrumented


def _handle(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    result = watch.run(clock.utcnow())
    return {
        "reminded": len(result.reminded),
        "escalated": len(result.escalated),
        "skipped": result.skipped,
    }


handler = instrumented(_handle)
