"""Builds the HTTP resolver of a function from its routers, and finds the caller of a request."""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from aws_lambda_powertools.metrics import MetricUnit

from eoffice.auth import Principal, principal_from_claims
from eoffice.errors import Unauthenticated
from eoffice.http import problems
from eoffice.http.openapi import BEARER, SECURITY_SCHEMES, operation
from eoffice.observability import logger, metrics

API_VERSION = "0.1.0"
# Path segments that may identify a person (an 18-digit NIP) are not logged.
_NUMBERS = re.compile(r"/\d{6,}(?=/|$)")


def build_resolver(
    routers: Iterable[Router], *, title: str, description: str
) -> APIGatewayHttpResolver:
    app = APIGatewayHttpResolver(enable_validation=True)
    document = {
        "title": title,
        "version": API_VERSION,
        "description": description,
        "security_schemes": SECURITY_SCHEMES,
        "security": [{BEARER: []}],
    }
    app.configure_openapi(**document)  # type: ignore[arg-type]
    app.enable_swagger(path="/docs", **document)  # type: ignore[arg-type]
    problems.install(app)
    for router in routers:
        app.include_router(router)

    @app.get(
        "/openapi.json",
        **operation("getOpenApi", "This API's OpenAPI 3.1 document", tags=["system"], public=True),
    )
    def openapi_document() -> Response[str]:
        return Response(200, content_type="application/json", body=app.get_openapi_json_schema())

    return app


def caller(router: APIGatewayHttpRouter) -> Principal:
    """The signed-in employee of the current request, resolved once per request."""
    cached = router.context.get("principal")
    if isinstance(cached, Principal):
        return cached
    claims = router.current_event.request_context.authorizer.jwt_claim
    if not claims:
        raise Unauthenticated("sign in first: this route needs a bearer token", code="no_token")
    principal = principal_from_claims(claims)
    router.append_context(principal=principal)
    return principal


def serve(app: APIGatewayHttpResolver, event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Resolve one request, then log one access line and count it. The line has the method,
    the path with numbers masked, the status and the time: never headers, bodies or queries,
    which carry tokens and personal data."""
    started = time.perf_counter()
    response = app.resolve(event, context)
    status = int(response.get("statusCode", 0))
    context_ = event.get("requestContext", {})
    http = context_.get("http", {})
    # The id a person can quote when reporting a problem; the same id is in every log line.
    response.setdefault("headers", {})["x-correlation-id"] = str(context_.get("requestId", ""))
    logger.info(
        "request",
        method=http.get("method"),
        path=_NUMBERS.sub("/{number}", str(event.get("rawPath", ""))),
        status=status,
        duration_ms=round((time.perf_counter() - started) * 1000, 1),
    )
    metrics.add_metric(name="Requests", unit=MetricUnit.Count, value=1)
    if status >= 500:
        metrics.add_metric(name="ServerErrors", unit=MetricUnit.Count, value=1)
    return response
