"""The caller of an HTTP request: the signed-in employee its bearer token names.

A module of its own so that both the resolver (:mod:`eoffice.http.app`) and the idempotency
guard (:mod:`eoffice.http.idempotency`, which the OpenAPI fragment imports) can ask for it
without importing each other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from eoffice.auth import Principal
from eoffice.callers import principal_from_claims
from eoffice.errors import Unauthenticated

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter


def caller(router: APIGatewayHttpRouter) -> Principal:
    """The signed-in employee of the current request, resolved once per request. The cache is
    keyed by the request id: a router included in a second resolver (the OpenAPI fragment
    builds one) shares a context the first resolver never clears."""
    event = router.current_event
    request_id = event.request_context.request_id
    cached = router.context.get("principal")
    if isinstance(cached, tuple) and cached[0] == request_id and isinstance(cached[1], Principal):
        return cached[1]
    claims = event.request_context.authorizer.jwt_claim
    if not claims:
        raise Unauthenticated("sign in first: this route needs a bearer token", code="no_token")
    principal = principal_from_claims(claims)
    router.append_context(principal=(request_id, principal))
    return principal
