"""Builds the HTTP resolver of a function from its routers, and finds the caller of a request."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from aws_lambda_powertools.metrics import MetricUnit

from eoffice.http import headers, plain, problems
from eoffice.http.openapi import (
    BEARER,
    declare_idempotency,
    declare_raw_bodies,
    declare_refused_bodies,
    drop_unused_schemas,
    operation,
    security_schemes,
)
from eoffice.observability import logger, metrics

API_VERSION = "0.1.0"
# Path segments that may identify a person (an 18-digit NIP) are not logged.
_NUMBERS = re.compile(r"/\d{6,}(?=/|$)")


def build_resolver(
    routers: Iterable[APIGatewayHttpRouter],
    *,
    title: str,
    description: str,
    served_elsewhere: Path | None = None,
) -> APIGatewayHttpResolver:
    """A resolver with request validation, problem+json errors, and the routes every HTTP
    function serves: ``/openapi.json`` and Swagger UI at ``/docs``, both built on first request.

    ``served_elsewhere`` names a JSON file with the paths other functions answer behind the
    same HTTP API (``eoffice openapi-fragment`` writes it): the document describes the whole
    API, so Swagger UI can call every route."""
    app = APIGatewayHttpResolver(enable_validation=True)
    problems.install(app)
    for router in routers:
        app.include_router(router)

    @lru_cache(maxsize=1)
    def document() -> str:
        schema = openapi_schema(app, title=title, description=description)
        if served_elsewhere is not None:
            merge_paths(schema, json.loads(served_elsewhere.read_text(encoding="utf-8")))
        return json.dumps(schema)

    @app.get(
        "/openapi.json",
        **operation(
            "getOpenApi",
            "This API's OpenAPI 3.1 document",
            tags=["system"],
            public=True,
            content={"application/json": {"schema": {"type": "object"}}},
        ),
    )
    def openapi_document() -> Response[str]:
        return Response(200, content_type="application/json", body=document(), headers=_cacheable())

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> Response[str]:
        return Response(
            200, content_type="text/html", body=swagger_page(document()), headers=_cacheable()
        )

    return app


def _cacheable() -> dict[str, str]:
    """The description of the API is the same for everyone: a cache may keep it (and
    revalidate). A new dict each time: Powertools adds the content type to the one it gets."""
    return {"Cache-Control": headers.CACHEABLE}


def openapi_schema(app: APIGatewayHttpResolver, *, title: str, description: str) -> dict[str, Any]:
    """The resolver's OpenAPI document, with the raw request bodies routes declared and the
    400s of unreadable JSON bodies."""
    schema: dict[str, Any] = json.loads(
        app.get_openapi_json_schema(
            title=title,
            version=API_VERSION,
            description=description,
            security_schemes=security_schemes(),
            security=[{BEARER: []}],
        )
    )
    declare_raw_bodies(schema)
    declare_refused_bodies(schema)
    declare_idempotency(schema)
    drop_unused_schemas(schema)
    return schema


def merge_paths(schema: dict[str, Any], fragment: dict[str, Any]) -> None:
    """Add another function's paths and the schemas they name (same models, same names).

    Two functions' documents may share a component only when it is the same schema: a name
    given to two different models (``Review`` once meant a paraf step and an attendance review)
    would let one silently replace the other, so it raises ``SchemaCollision`` instead."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    incoming = fragment.get("components", {}).get("schemas", {})
    clashes = sorted(
        name for name, model in incoming.items() if name in components and components[name] != model
    )
    if clashes:
        raise SchemaCollision(
            "two OpenAPI documents name different schemas alike: "
            + ", ".join(clashes)
            + " (rename one model, e.g. its class or its pydantic title)"
        )
    for path, item in fragment.get("paths", {}).items():
        schema.setdefault("paths", {}).setdefault(path, {}).update(item)
    for name, model in incoming.items():
        components.setdefault(name, model)


class SchemaCollision(ValueError):
    """Two OpenAPI documents give one component name to different schemas."""


def swagger_page(document: str) -> str:
    """Swagger UI with its script and style inlined (Powertools ships them), so the page works
    without reaching a CDN."""
    from aws_lambda_powertools.event_handler.openapi import swagger_ui

    assets = Path(swagger_ui.__file__).parent
    script = (assets / "swagger-ui-bundle.min.js").read_text(encoding="utf-8")
    style = (assets / "swagger-ui.min.css").read_text(encoding="utf-8")
    escaped = document.replace("</", "<\\/")
    return swagger_ui.generate_swagger_html(escaped, script, style, "", None, False)


def serve(app: APIGatewayHttpResolver, event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Resolve one request, then log one access line and count it. The line has the method,
    the path with numbers masked, the status and the time: never headers, bodies or queries,
    which carry tokens and personal data."""
    started = time.perf_counter()
    response = plain.respond(event, lambda: app.resolve(event, context))
    status = int(response.get("statusCode", 0))
    http = event.get("requestContext", {}).get("http", {})
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
