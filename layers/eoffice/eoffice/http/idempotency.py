"""Writes a client may resend: the ``Idempotency-Key`` header (docs/decisions/0019-idempotent-
client-writes.md).

A route declares itself idempotent with ``operation(..., idempotent=True)``; this module's
:func:`middleware` then runs inside Powertools' request validation, around the route:

- no header: the write runs as it always did;
- a header that is not a UUID (``8-4-4-4-12`` hex digits): 400 ``invalid_idempotency_key``;
- otherwise Powertools' idempotency utility keeps one record per :func:`scope` (the caller's
  ``sub`` claim, the method, the route and its path parameters, the key) in the idempotency
  table. The record holds a hash of the body (:func:`fingerprint`: without the fields a route
  names as ``unhashed``, such as a BSrE passphrase), the state, and once the write succeeded its
  answer (status, media type, body) for :data:`EXPIRES_AFTER` seconds;
- the same key again: the stored answer with ``Idempotent-Replayed: true``; with another body
  422 ``idempotency_key_reused``; while the first still runs 409 ``idempotency_in_progress``.

A refusal (any 4xx, or an error) is not kept: Powertools deletes the record when the route
raises, so the client may correct the request and send it again under the same key, and a
resend after a refusal meets the current state again (the domain's own 409s).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, cast

from eoffice.errors import Conflict, DomainError, InvalidInput, UpstreamFailed
from eoffice.observability import logger

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler import Response
    from aws_lambda_powertools.event_handler.api_gateway import ApiGatewayResolver
    from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
EXPIRES_AFTER = 24 * 60 * 60
"""A day: an official who queued a disposition before boarding the plane to Makassar and lands
the next day still gets his first answer, not a second disposition."""
TABLE_VARIABLE = "IDEMPOTENCY_TABLE"
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_PLACEHOLDER = re.compile(r"<(\w+)>")
PATTERN = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"

OPERATIONS: dict[str, tuple[str, ...]] = {}
"""operationId -> the body fields left out of the hash, of every idempotent operation (the
OpenAPI document declares the header on these)."""


def parse_key(value: str | None) -> str | None:
    """The key, lower-cased; None without the header; 400 for anything but a UUID."""
    if value is None:
        return None
    key = value.strip().lower()
    if not _UUID.match(key):
        raise DomainError(
            f"the {HEADER} header must be a UUID such as 3f2b8c1e-9a4d-4e6b-8f0a-2c5d7e9b1a3f",
            code="invalid_idempotency_key",
        )
    return key


def scope(
    subject: str, method: str, route: str, path_parameters: Mapping[str, str], key: str
) -> dict[str, Any]:
    """What a record is kept under: two callers' keys, or one key on two operations or two
    letters, never meet. Powertools stores only the SHA-256 of this."""
    return {
        "caller": subject,
        "operation": f"{method.upper()} {route}",
        "path": dict(sorted(path_parameters.items())),
        "key": key,
    }


def fingerprint(body: str | None, unhashed: tuple[str, ...] = ()) -> Any:
    """What the payload hash covers: the JSON body without the ``unhashed`` top-level fields
    (key order does not matter: Powertools hashes it with sorted keys); a body that is not JSON
    as its text; no body as None."""
    if not body:
        return None
    try:
        parsed = json.loads(body)
    except ValueError:
        return body
    if isinstance(parsed, dict):
        return {name: value for name, value in parsed.items() if name not in unhashed}
    return parsed


def record_id(operation_id: str, scope_: dict[str, Any]) -> str:
    """The record's ``id`` as Powertools writes it (``prefix#sha256 of the JSON``): for tests
    and operators looking a record up. Kept in step with Powertools by a test."""
    text = json.dumps(scope_, sort_keys=True)
    return f"{operation_id}#{hashlib.sha256(text.encode()).hexdigest()}"


def middleware(
    operation_id: str, unhashed: tuple[str, ...] = ()
) -> Callable[[ApiGatewayResolver, Callable[..., Response[Any]]], Response[Any]]:
    """The route middleware of one idempotent operation."""
    OPERATIONS[operation_id] = unhashed

    def idempotent(
        app: ApiGatewayResolver, next_middleware: Callable[..., Response[Any]]
    ) -> Response[Any]:
        event = app.current_event
        headers = event.headers or {}
        raw = next((v for k, v in headers.items() if k.lower() == HEADER.lower()), None)
        key = parse_key(raw)
        if key is None:
            return next_middleware(app)
        return _run(app, next_middleware, operation_id, key, unhashed)

    idempotent.__name__ = f"idempotent_{operation_id}"
    return idempotent


class _NotKept(Exception):
    """A refusal the route answered without raising: passed on, not stored."""

    def __init__(self, response: Response[Any]) -> None:
        super().__init__(response.status_code)
        self.response = response


def _run(
    app: ApiGatewayResolver,
    next_middleware: Callable[..., Response[Any]],
    operation_id: str,
    key: str,
    unhashed: tuple[str, ...],
) -> Response[Any]:
    from aws_lambda_powertools.event_handler import Response
    from aws_lambda_powertools.utilities.idempotency import (
        DynamoDBPersistenceLayer,
        IdempotencyConfig,
        idempotent_function,
    )
    from aws_lambda_powertools.utilities.idempotency.exceptions import (
        IdempotencyAlreadyInProgressError,
        IdempotencyInconsistentStateError,
        IdempotencyPersistenceLayerError,
        IdempotencyValidationError,
    )

    from eoffice import aws, settings
    from eoffice.http.caller import caller

    router = cast("APIGatewayHttpRouter", app)  # the HTTP API's resolver: payload 2.0 events
    caller(router)  # an unknown or inactive user is refused before any record is looked at
    event = router.current_event
    claims = event.request_context.authorizer.jwt_claim or {}
    subject = str(claims.get("sub") or claims.get("cognito:username") or claims.get("username"))
    route = app.context.get("_route")
    path = route.path if route is not None else event.path
    # The route's arguments after validation hold the parsed body too: only the path's own.
    arguments = app.context.get("_route_args", {})
    parameters = {name: str(arguments.get(name, "")) for name in _PLACEHOLDER.findall(path)}
    request = {
        "scope": scope(subject, event.http_method, path, parameters, key),
        "payload": fingerprint(event.decoded_body, unhashed),
    }
    store = DynamoDBPersistenceLayer(
        table_name=settings.resource(TABLE_VARIABLE), boto3_client=aws.client("dynamodb")
    )
    config = IdempotencyConfig(
        event_key_jmespath="scope",
        payload_validation_jmespath="payload",
        raise_on_no_idempotency_key=True,
        expires_after_seconds=EXPIRES_AFTER,
        hash_function="sha256",
        lambda_context=app.lambda_context,
        response_hook=lambda answer, _record: {**answer, "replayed": True},
    )
    done: dict[str, Response[Any]] = {}

    def write(request: dict[str, Any]) -> dict[str, Any]:
        response = next_middleware(app)
        if response.status_code >= 400:
            raise _NotKept(response)
        done["response"] = response
        return {
            "status": response.status_code,
            "content_type": response.headers.get("Content-Type"),
            "body": response.body,
        }

    once = idempotent_function(
        write,
        data_keyword_argument="request",
        persistence_store=store,
        config=config,
        key_prefix=operation_id,
    )
    try:
        answer: dict[str, Any] = once(request=request)
    except _NotKept as refused:
        return refused.response
    except IdempotencyValidationError:
        raise InvalidInput(
            f"this {HEADER} was used for another request: send a new key with a new request",
            code="idempotency_key_reused",
        ) from None
    except (IdempotencyAlreadyInProgressError, IdempotencyInconsistentStateError):
        raise Conflict(
            f"the first request with this {HEADER} is still being handled: try again shortly",
            code="idempotency_in_progress",
        ) from None
    except IdempotencyPersistenceLayerError:
        if "response" in done:  # written, but its answer not kept: the answer still stands
            logger.warning("idempotency record not completed", operation=operation_id)
            return done["response"]
        logger.exception("idempotency table unavailable", operation=operation_id)
        raise UpstreamFailed(
            "the request could not be checked against earlier ones; nothing was changed",
            code="idempotency_unavailable",
        ) from None
    if not answer.get("replayed"):
        return done["response"]
    return Response(
        status_code=int(answer["status"]),
        content_type=answer.get("content_type"),
        body=answer.get("body"),
        headers={REPLAYED: "true"},
    )
