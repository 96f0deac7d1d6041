"""Lambda HTTP answers as plain dicts: :func:`respond`, which every answer of every HTTP
function passes through, and the answers of functions whose cold start matters more than
routing (the check-in function), in the same problem+json shape as :mod:`eoffice.http.problems`.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from eoffice.errors import DomainError, UnsupportedMediaType
from eoffice.http import body_guard, headers
from eoffice.observability import logger

PROBLEM_JSON = "application/problem+json"


def respond(event: dict[str, Any], answer_: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """The one way an HTTP function answers: a JSON body no parser should see is refused before
    ``answer_`` runs, an error nobody caught becomes a logged 500, and every answer gets the
    headers of :mod:`eoffice.http.headers`."""
    try:
        body_guard.check(event)
        response = answer_()
    except DomainError as error:
        response = from_domain(error)
    except Exception:
        logger.exception("unhandled error")
        response = internal_error()
    return headers.apply(event, response)


INTERNAL_ERROR = (500, "internal_error", "Internal error", "the request failed; it has been logged")


def internal_error() -> dict[str, Any]:
    return problem(*INTERNAL_ERROR)


def answer(status: int, model: BaseModel) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": {"content-type": "application/json"},
        "body": model.model_dump_json(),
    }


def problem_body(status: int, code: str, title: str, detail: str, **extra: Any) -> str:
    """The RFC 9457 document every error answer carries (both HTTP layers use it)."""
    body = {"type": "about:blank", "title": title, "status": status, "code": code, "detail": detail}
    body.update({key: value for key, value in extra.items() if value is not None})
    return json.dumps(body, default=str)


def field_errors(
    items: Iterable[Mapping[str, Any]], prefix: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    """pydantic's errors as ``{location, message, type}``."""
    return [
        {
            "location": ".".join([*prefix, *(str(part) for part in item.get("loc", ()))]),
            "message": item.get("msg", ""),
            "type": item.get("type", ""),
        }
        for item in items
    ]


def problem(status: int, code: str, title: str, detail: str, **extra: Any) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": {"content-type": PROBLEM_JSON},
        "body": problem_body(status, code, title, detail, **extra),
    }


def from_domain(error: DomainError) -> dict[str, Any]:
    return problem(error.status, error.code, error.title, error.detail, **error.extra)


def from_validation(error: ValidationError) -> dict[str, Any]:
    items = error.errors(include_url=False, include_context=False, include_input=False)
    errors = field_errors(items, ("body",))
    return problem(
        422,
        "validation_failed",
        "The request is not valid",
        "one or more fields are missing or invalid",
        errors=errors,
    )


def json_body(event: dict[str, Any]) -> bytes:
    """The request's JSON body; another declared media type is refused (415)."""
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    declared = (headers.get("content-type") or "").split(";")[0].strip().lower()
    if declared != "application/json":
        raise UnsupportedMediaType(
            f"send the body as application/json, not '{declared or 'nothing'}'",
            code="unsupported_media_type",
        )
    body = event.get("body") or ""
    return base64.b64decode(body) if event.get("isBase64Encoded") else body.encode()
