"""The signed-in employee of the current request, for routes and for the idempotency middleware
(which must refuse an unknown caller before it looks at any record): its own module, so that
neither needs the resolver's builder (``http.app``) to find it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from eoffice.auth import Principal, principal_from_claims
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
