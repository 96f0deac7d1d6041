"""OpenAPI metadata every operation carries: an operationId, a summary, its security, its
success answer and its error answers, so generated clients and Swagger UI describe the API
truthfully (web and mobile clients are generated from the document)."""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from eoffice.http import idempotency
from eoffice.http.problems import PROBLEM_JSON, GatewayMessage, Problem

BEARER = "bearerAuth"


def security_schemes() -> dict[str, Any]:
    """Imported on demand: Powertools' OpenAPI models are slow to build (docs/performance.md),
    and only the /openapi.json and /docs requests need them, not every cold start."""
    from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer

    return {
        BEARER: HTTPBearer(
            bearerFormat="JWT",
            description="An ID or access token from the regency's Cognito user pool "
            "(locally: `eoffice token USERNAME`).",
        )
    }


_DESCRIPTIONS = {
    400: "The body cannot be read (`invalid_encoding`: not UTF-8; `json_too_deep`)",
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

_UNAUTHORIZED = (
    "No valid sign-in. A missing, expired or forged token never reaches the function: API "
    'Gateway answers `{"message": "Unauthorized"}` (application/json) itself. A valid token of '
    "an unknown or inactive user is the function's problem+json (`unknown_user`, "
    "`inactive_user`)."
)


PAGE = {"type": "string", "description": "A page in Bahasa Indonesia"}
"""The schema of an HTML answer (the public verification pages)."""


def error_responses(*statuses: int, page: bool = False) -> dict[int, Any]:
    """problem+json for each status; ``page``: the route answers its refusals as HTML pages."""
    content = {"text/html": {"schema": PAGE}} if page else {PROBLEM_JSON: {"model": Problem}}
    responses: dict[int, Any] = {
        status: {"description": _DESCRIPTIONS[status], "content": content} for status in statuses
    }
    if 401 in responses:
        responses[401] = {
            "description": _UNAUTHORIZED,
            "content": {
                "application/json": {"model": GatewayMessage},
                PROBLEM_JSON: {"model": Problem},
            },
        }
    return responses


def success_response(
    status: int,
    *,
    binary: str | None = None,
    redirect: str | None = None,
    content: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The success answer. Without ``content`` Powertools fills in the schema of the route's
    return annotation (application/json); a file, a redirect and an empty answer say theirs."""
    response: dict[str, Any] = {"description": HTTPStatus(status).phrase}
    if binary:
        response = {
            "description": f"The file ({binary})",
            "content": {binary: {"schema": {"type": "string", "format": "binary"}}},
        }
    elif redirect:
        location = {"description": redirect, "schema": {"type": "string", "format": "uri"}}
        response = {"description": redirect, "headers": {"Location": location}, "content": {}}
    elif content is not None:
        response["content"] = content
    elif status == HTTPStatus.NO_CONTENT:
        response["content"] = {}
    return response


RAW_BODIES: dict[str, str] = {}
"""operationId -> media type of the routes that read their body raw (a file, a CSV): Powertools
cannot see such a body, so :func:`declare_raw_bodies` adds it to the document."""


def declare_raw_bodies(schema: dict[str, Any]) -> None:
    """Describe raw bodies as files, so Swagger UI offers a file picker for them."""
    for operation_ in _operations(schema):
        media_type = RAW_BODIES.get(operation_.get("operationId", ""))
        if media_type:
            file = {"schema": {"type": "string", "format": "binary"}}
            operation_["requestBody"] = {"required": True, "content": {media_type: file}}


def declare_refused_bodies(schema: dict[str, Any]) -> None:
    """Every operation that takes JSON may answer the 400s of :mod:`eoffice.http.body_guard`,
    and every one that takes a body 415 for another media type; an answer without a body has
    no ``content``."""
    problem = {"content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
    for operation_ in _operations(schema):
        body = operation_.get("requestBody", {}).get("content", {})
        responses = operation_["responses"]
        if "application/json" in body:
            responses.setdefault("400", {"description": _DESCRIPTIONS[400], **problem})
        if body:
            responses.setdefault("415", {"description": _DESCRIPTIONS[415], **problem})
        for response in operation_["responses"].values():
            if response.get("content") == {}:
                del response["content"]


_POWERTOOLS_SCHEMAS = ("HTTPValidationError", "ValidationError", "ResponseValidationError")
"""Powertools' own 422 bodies; this API answers problem+json instead (every operation says so)."""


_IDEMPOTENT_ANSWERS = {
    "400": f"`invalid_idempotency_key`: the `{idempotency.HEADER}` header is not a UUID",
    "409": "`idempotency_in_progress`: the first request with this "
    f"`{idempotency.HEADER}` is still being handled; send it again shortly",
    "422": f"`idempotency_key_reused`: this `{idempotency.HEADER}` came with another body",
    "502": "`idempotency_unavailable`: the record of keys could not be reached; nothing was "
    "done, send it again later with the same key",
}


def declare_idempotency(schema: dict[str, Any]) -> None:
    """The ``Idempotency-Key`` header, the replay mark of the success answer, and the answers
    of a key refused, on every operation declared ``idempotent``."""
    problem = {"content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
    for operation_ in _operations(schema):
        unhashed = idempotency.OPERATIONS.get(operation_.get("operationId", ""))
        if unhashed is None:
            continue
        left_out = f" ({', '.join(f'`{n}`' for n in unhashed)} not included)" if unhashed else ""
        operation_.setdefault("parameters", []).append(
            {
                "name": idempotency.HEADER,
                "in": "header",
                "required": False,
                "description": "A UUID the client makes once per action and sends with every "
                "resend of it. The same caller, operation and key within 24 hours: the first "
                "answer again (marked `Idempotent-Replayed: true`), nothing done twice, if the "
                f"body is the same{left_out}. Refusals are not kept: a corrected request may "
                "reuse the key. Without the header the write runs as usual.",
                "schema": {
                    "type": "string",
                    "format": "uuid",
                    "pattern": idempotency.PATTERN,
                    "maxLength": 36,
                },
            }
        )
        responses = operation_["responses"]
        for status, text in _IDEMPOTENT_ANSWERS.items():
            base = "Bad request" if status == "400" else _DESCRIPTIONS[int(status)]
            answer = responses.setdefault(status, {"description": base})
            answer.setdefault("content", problem["content"])
            answer["description"] = f"{answer['description']}. {text}"
        replayed = {
            "description": "`true` when this is the stored answer of an earlier request with "
            "the same Idempotency-Key",
            "schema": {"type": "string", "enum": ["true"]},
        }
        for status, answer in responses.items():
            if status.startswith("2"):
                answer.setdefault("headers", {})[idempotency.REPLAYED] = replayed


def drop_unused_schemas(schema: dict[str, Any]) -> None:
    """Remove Powertools' validation schemas when no operation refers to them any more."""
    components = schema.get("components", {}).get("schemas", {})
    paths = json.dumps(schema.get("paths", {}))
    for name in _POWERTOOLS_SCHEMAS:
        if f'"#/components/schemas/{name}"' not in paths:
            components.pop(name, None)


def _operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    return [operation_ for item in schema.get("paths", {}).values() for operation_ in item.values()]


def operation(
    operation_id: str,
    summary: str,
    *,
    tags: list[str],
    errors: tuple[int, ...] = (),
    public: bool = False,
    status_code: int = 200,
    also_answers: tuple[int, ...] = (),
    description: str | None = None,
    binary: str | None = None,
    redirect: str | None = None,
    content: dict[str, Any] | None = None,
    page: bool = False,
    raw_body: str | None = None,
    idempotent: bool = False,
    unhashed: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Keyword arguments for a Powertools route decorator.

    The success answer is ``status_code`` (and ``also_answers``, other 2xx with the same body)
    with the schema of the route's return annotation; ``binary`` names a file's media type,
    ``redirect`` says where a 302 leads, ``content`` spells out other media types, ``page``
    says the route answers HTML pages, its refusals too (for a browser, without JavaScript). Every
    operation documents 422 (any input may be invalid); signed-in ones 401, and public ones
    declare the empty security requirement so the document says so explicitly.

    ``idempotent``: a client may resend the write with an ``Idempotency-Key`` header and it is
    done once (:mod:`eoffice.http.idempotency`); ``unhashed`` names body fields left out of the
    payload hash, secrets that must not be kept even hashed (a BSrE passphrase).
    """
    extra: dict[str, Any] = {}
    if binary:
        # A file answer: Powertools' response validation would try to read it as text.
        extra = {"enable_validation": False}
    if raw_body:
        RAW_BODIES[operation_id] = raw_body
    if idempotent:
        extra["middlewares"] = [idempotency.middleware(operation_id, unhashed)]
    statuses = sorted(set(errors) | {422} | ({401} if not public else set()))
    if page:
        content = {"text/html": {"schema": PAGE}}
    responses = {
        status: success_response(status, binary=binary, redirect=redirect, content=content)
        for status in (status_code, *also_answers)
    }
    return {
        "operation_id": operation_id,
        "summary": summary,
        "description": description,
        "tags": tags,
        # ``[{}]``: the empty requirement, "no sign-in needed" (an empty list would be dropped
        # and the document-wide bearer requirement would wrongly apply).
        "security": [{}] if public else [{BEARER: []}],
        "responses": {**responses, **error_responses(*statuses, page=page)},
        "status_code": status_code,
        **extra,
    }
