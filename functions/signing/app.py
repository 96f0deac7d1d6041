"""The signing function: outgoing letters from draft to signature (TTE), signing keys, and
public verification.

Its own function, routed by the template (``/outgoing...``, ``/signing/...``, ``/verify...``), so
that pyHanko never loads in the API function people wait on for everything else; pyHanko itself
loads on the first signature or verification, not at start-up. A schedule also runs it to deliver
signed letters whose delivery was interrupted.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from eoffice import settings
from eoffice.http.app import build_resolver, serve
from eoffice.observability import instrumented
from routes import keys, outgoing, sign, verify

# Read and validated at cold start: a missing or malformed variable fails the first invocation.
SETTINGS = settings.load(settings.SigningSettings)

app = build_resolver(
    [outgoing.router, sign.router, keys.router, verify.router],
    title="e-Office Kabupaten Luwu Timur: tanda tangan elektronik",
    description="Signing outgoing letters (PAdES, TTE), signing keys, and public verification.",
)


DELIVER_PENDING = "deliver_pending"


def _handle(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    if event.get("task") == DELIVER_PENDING:  # the template's schedule
        return _deliver_pending()
    return serve(app, event, context)


def _deliver_pending() -> dict[str, Any]:
    from eoffice import clock
    from eoffice.outgoing import delivery

    sweep = delivery.deliver_pending(clock.utcnow())
    return {"delivered": sweep.delivered, "failed": sweep.failed}


handler = instrumented(
    _handle, correlation_id_path=correlation_paths.API_GATEWAY_HTTP, sdk_tracing=False
)
