"""The API function: every HTTP route of the product but outgoing letters, signing and
verification (the signing function's).

Behind API Gateway's ``ANY /{proxy+}`` route; the routers, one per domain, live in ``routes/``.
Start-up stays light: nothing here imports pyHanko or report writers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from eoffice import settings
from eoffice.http.app import build_resolver, serve
from eoffice.observability import instrumented
from routes import calendar, dispositions, letters, notifications, org, signins, system

# Read and validated at cold start: a missing or malformed variable fails the first invocation.
SETTINGS = settings.load(settings.ApiSettings)

app = build_resolver(
    [
        system.router,
        org.router,
        letters.router,
        dispositions.router,
        calendar.router,
        notifications.router,
        signins.router,
    ],
    title="e-Office Kabupaten Luwu Timur",
    description="Letters, disposisi, electronic signature, attendance and TPP for a regency.",
    # Outgoing letters, signing and verification are the signing function's: documented here too.
    served_elsewhere=Path(__file__).parent / "openapi-elsewhere.json",
)


def _handle(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return serve(app, event, context)


# No X-Ray SDK here: it is one of the largest parts of a cold start (docs/performance.md) of the
# function people wait on; Lambda's active tracing still records each invocation (ADR 0008).
handler = instrumented(
    _handle, correlation_id_path=correlation_paths.API_GATEWAY_HTTP, sdk_tracing=False
)
