"""The check-in function: phones record attendance here (online one at a time, offline in
batches) and get selfie upload forms and, for the web app, WebAuthn challenges (ADR 0024).

Deliberately without the HTTP router: 5,000 employees check in within the same half hour, so
this function starts with the models, the caller lookup and logging only (ADR 0012); py_webauthn
loads only for a web check-in. Four routes, dispatched on the template's route key; errors are the API's problem+json.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.logging import correlation_paths
from eoffice import settings
from eoffice.attendance.models import (
    BatchResult,
    ChallengeList,
    ChallengeRequest,
    CheckInBatch,
    CheckInChallenge,
    CheckInCreate,
    CheckInResult,
    SelfieUpload,
)
from eoffice.auth import Principal
from eoffice.callers import principal_from_claims
from eoffice.errors import Unauthenticated
from eoffice.http import plain
from eoffice.observability import instrumented, logger
from pydantic import BaseModel, ValidationError

# Read and validated at cold start: a missing or malformed variable fails the first invocation.
SETTINGS = settings.load(settings.CheckInSettings)

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

Route = Callable[[Principal, dict[str, Any]], tuple[int, BaseModel]]


def _check_in(principal: Principal, event: dict[str, Any]) -> tuple[int, BaseModel]:
    from eoffice.attendance import checkin

    data = CheckInCreate.model_validate_json(plain.json_body(event))
    result = checkin.record_online(principal, data)
    return (200 if result.duplicate else 201), result


def _check_in_batch(principal: Principal, event: dict[str, Any]) -> tuple[int, BaseModel]:
    from eoffice.attendance import checkin

    batch = CheckInBatch.model_validate_json(plain.json_body(event))
    return 200, checkin.record_batch(principal, batch)


def _selfie_form(principal: Principal, event: dict[str, Any]) -> tuple[int, BaseModel]:
    from eoffice import clock
    from eoffice.attendance import selfie_store

    return 201, selfie_store.issue_upload(principal.nip, clock.utcnow())


def _challenges(principal: Principal, event: dict[str, Any]) -> tuple[int, BaseModel]:
    from eoffice import clock
    from eoffice.attendance import challenges

    wanted = ChallengeRequest.model_validate_json(plain.json_body(event))
    issued = challenges.check_in_challenges(principal.nip, wanted.client_ids, clock.utcnow())
    return 200, ChallengeList(
        [
            CheckInChallenge(client_id=cid, challenge=one.text, expires_at=one.expires_at)
            for cid, one in zip(wanted.client_ids, issued, strict=True)
        ]
    )


ROUTES: dict[str, Route] = {
    "POST /attendance/check-ins": _check_in,
    "POST /attendance/check-ins/batch": _check_in_batch,
    "POST /attendance/selfies": _selfie_form,
    "POST /attendance/check-ins/challenges": _challenges,
}


def _principal(event: dict[str, Any]) -> Principal:
    claims = event.get("requestContext", {}).get("authorizer", {}).get("jwt", {}).get("claims")
    if not claims:
        raise Unauthenticated("sign in first: this route needs a bearer token", code="no_token")
    return principal_from_claims(claims)


def _answer(event: dict[str, Any]) -> dict[str, Any]:
    """The route's answer; a domain error becomes its problem+json in ``plain.respond``."""
    route = ROUTES.get(str(event.get("routeKey", "")))
    if route is None:
        return plain.problem(404, "route_not_found", "Not found", "no such route")
    try:
        status, model = route(_principal(event), event)
    except ValidationError as error:
        return plain.from_validation(error)
    return plain.answer(status, model)


def _handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    started = time.perf_counter()
    response = plain.respond(event, lambda: _answer(event))
    logger.info(
        "request",
        route=event.get("routeKey"),
        status=response["statusCode"],
        duration_ms=round((time.perf_counter() - started) * 1000, 1),
    )
    return response


def describe() -> APIGatewayHttpResolver:
    """The routes as OpenAPI sees them, for the API's /docs (``eoffice openapi-fragment``);
    never built when the function serves requests."""
    from eoffice.http.app import build_resolver
    from eoffice.http.openapi import operation

    docs = build_resolver([], title="check-ins", description="")
    tags = ["attendance check-ins"]

    @docs.post(
        "/attendance/check-ins",
        **operation(
            "checkIn",
            "Check in or out from the phone; the answer says accepted or rejected and why",
            tags=tags,
            errors=(401, 415, 422),
            status_code=201,
            also_answers=(200,),
            description="Every attempt is recorded. 200 with `duplicate: true` when the "
            "`client_id` was sent before: nothing is recorded twice.",
        ),
    )
    def check_in(body: CheckInCreate) -> CheckInResult:
        raise NotImplementedError

    @docs.post(
        "/attendance/check-ins/batch",
        **operation(
            "checkInBatch",
            "Send check-ins queued while offline (at most 40); each is recorded once",
            tags=tags,
            errors=(401, 415, 422),
        ),
    )
    def check_in_batch(body: CheckInBatch) -> BatchResult:
        raise NotImplementedError

    @docs.post(
        "/attendance/selfies",
        **operation(
            "selfieUploadForm",
            "A form to upload a check-in selfie (JPEG) to, then name it in the check-in",
            tags=tags,
            errors=(401,),
            status_code=201,
        ),
    )
    def selfie_form() -> SelfieUpload:
        raise NotImplementedError

    @docs.post(
        "/attendance/check-ins/challenges",
        **operation(
            "checkInChallenges",
            "WebAuthn challenges for the web app's next check-ins, one per client_id (1-20)",
            tags=tags,
            errors=(401, 415, 422),
            description="Stateless: each is bound to the caller and its `client_id`, valid for "
            "the offline window; fetch a few while online and spend one per check-in, online or "
            "queued offline (`webauthn` of the check-in).",
        ),
    )
    def check_in_challenges(body: ChallengeRequest) -> list[CheckInChallenge]:
        raise NotImplementedError

    return docs


handler = instrumented(
    _handle, correlation_id_path=correlation_paths.API_GATEWAY_HTTP, sdk_tracing=False
)
