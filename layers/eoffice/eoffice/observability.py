"""Logger, tracer and metrics, one of each per process, and the wrapper every handler wears.

Logs are JSON with the request's correlation id. Events are never logged whole: they carry tokens
and personal data.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer

# A request that recorded no metric is normal (a GET, a refusal); Powertools warns on each.
warnings.filterwarnings("ignore", message="No application metrics to publish")

logger = Logger()
tracer = Tracer()
metrics = Metrics()

Handler = Callable[[dict[str, Any], Any], Any]


def instrumented(handler: Handler, *, correlation_id_path: str | None = None) -> Handler:
    """Wrap a Lambda handler with logging context, tracing and metrics flushing, in that order."""
    wrapped = metrics.log_metrics(tracer.capture_lambda_handler(handler))
    return logger.inject_lambda_context(
        wrapped, correlation_id_path=correlation_id_path, log_event=False, clear_state=True
    )
