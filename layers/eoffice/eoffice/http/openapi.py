"""OpenAPI metadata every operation carries: an operationId, a summary, its security and its
error responses, so generated clients and Swagger UI describe the API truthfully."""

from __future__ import annotations

from typing import Any

from eoffice.http.problems import PROBLEM_JSON, Problem

BEARER = "bearerAuth"


def security_schemes() -> dict[str, Any]:
    """Imported on demand: Powertools' OpenAPI models take ~200 ms to build, and only the
    /openapi.json and /docs requests need them, not every cold start."""
    from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer

    return {
        BEARER: HTTPBearer(
            bearerFormat="JWT",
            description="An ID or access token from the regency's Cognito user pool "
            "(locally: `eoffice token USERNAME`).",
        )
    }


_DESCRIPTIONS = {
    400: "The request is malformed",
    401: "No valid sign-in",
    403: "Signed in, but not allowed",
    404: "Not found",
    409: "Conflicts with the current state (taken, or changed meanwhile)",
    410: "No longer available",
    413: "Too large",
    415: "Unsupported media type",
    422: "Invalid input; `errors` lists the fields",
    429: "Too many requests; wait and try again",
    502: "A service the request needs failed; nothing was changed",
    504: "A service did not answer; the outcome is unknown",
}


def error_responses(*statuses: int) -> dict[int, Any]:
    return {
        status: {
            "description": _DESCRIPTIONS[status],
            "content": {PROBLEM_JSON: {"model": Problem}},
        }
        for status in statuses
    }


RAW_BODIES: dict[str, str] = {}
"""operationId -> media type of the routes that read their body raw (a file, a CSV): Powertools
cannot see such a body, so :func:`declare_raw_bodies` adds it to the document."""


def declare_raw_bodies(schema: dict[str, Any]) -> None:
    """Describe raw bodies as files, so Swagger UI offers a file picker for them."""
    for item in schema.get("paths", {}).values():
        for operation_ in item.values():
            media_type = RAW_BODIES.get(operation_.get("operationId", ""))
            if media_type:
                file = {"schema": {"type": "string", "format": "binary"}}
                operation_["requestBody"] = {"required": True, "content": {media_type: file}}


def operation(
    operation_id: str,
    summary: str,
    *,
    tags: list[str],
    errors: tuple[int, ...] = (),
    public: bool = False,
    status_code: int = 200,
    description: str | None = None,
    binary: str | None = None,
    raw_body: str | None = None,
) -> dict[str, Any]:
    """Keyword arguments for a Powertools route decorator.

    Signed-in routes always document 401 and 422 (any input may be invalid); public ones declare
    the empty security requirement so the document says so explicitly.
    """
    extra: dict[str, Any] = {}
    if binary:
        # A file answer: Powertools' response validation would try to read it as text.
        extra = {
            "enable_validation": False,
            "response_description": f"The file ({binary})",
        }
    if raw_body:
        RAW_BODIES[operation_id] = raw_body
    statuses = sorted(
        set(errors) | ({422} if not public else set()) | ({401} if not public else set())
    )
    return {
        "operation_id": operation_id,
        "summary": summary,
        "description": description,
        "tags": tags,
        # ``[{}]``: the empty requirement, "no sign-in needed" (an empty list would be dropped
        # and the document-wide bearer requirement would wrongly apply).
        "security": [{}] if public else [{BEARER: []}],
        "responses": error_responses(*statuses),
        "status_code": status_code,
        **extra,
    }
