"""Logger, metrics and tracer, one of each per process, and the wrapper every handler wears.

Logs are JSON with the request's correlation id. Events are never logged whole: they carry tokens
and personal data.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer

# A request that recorded no metric is normal (a GET, a refusal); Powertools warns on each.
warnings.filterwarnings("ignore", message="No application metrics to publish")

# template.yaml sets both names; the defaults keep a process that imported this module before
# its environment was set (a test run, a script) from emitting metrics without a namespace.
SERVICE = os.environ.get("POWERTOOLS_SERVICE_NAME", "eoffice")
logger = Logger(service=SERVICE)
metrics = Metrics(
    namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "EOffice"), service=SERVICE
)

Handler = Callable[[dict[str, Any], Any], Any]


TRACED_MODULES = ("botocore", "httplib")
"""What the X-Ray SDK records a subsegment for: every AWS call (PynamoDB's too, through botocore)
and every outgoing HTTP request (``http.client``: the TSA, BSrE, WhatsApp, web pushes through
urllib3). Powertools' default patches every library the SDK knows that is installed, importing
each one at start-up: httpx alone, which none of our code uses, cost about 90 ms of every traced
function's cold start (issue 19)."""


@lru_cache(maxsize=1)
def tracer() -> Tracer:
    """Built on demand: importing and setting up the X-Ray SDK is one of the largest parts of a
    cold start (docs/performance.md, "The API function's cold start")."""
    return Tracer(patch_modules=TRACED_MODULES)


def instrumented(
    handler: Handler, *, correlation_id_path: str | None = None, sdk_tracing: bool = True
) -> Handler:
    """Wrap a Lambda handler with logging context, metrics flushing and, where ``sdk_tracing``,
    the X-Ray SDK's subsegments for AWS calls.

    With ``Tracing: Active`` Lambda records every invocation's segment either way; a function
    whose cold start matters more than per-call subsegments (the API) turns the SDK off.
    """
    wrapped = handler
    if sdk_tracing:
        wrapped = tracer().capture_lambda_handler(wrapped)
    wrapped = metrics.log_metrics(wrapped)
    return logger.inject_lambda_context(
        wrapped, correlation_id_path=correlation_id_path, log_event=False, clear_state=True
    )
