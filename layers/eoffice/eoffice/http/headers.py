"""The headers every answer of every HTTP function carries, set in one place for both layers
(``eoffice.http.plain`` ``respond``), errors and 500s included:

- ``x-correlation-id``: the API Gateway request id, also in every log line of the request;
- ``X-Content-Type-Options: nosniff``: a browser never reads an answer as another type than
  the one it declares (a problem+json body as HTML, a PDF as script);
- ``Cache-Control: no-store`` unless the route said otherwise: answers carry personal data,
  tokens in links, or states that change (a revoked letter, liveness); only the description of
  the API (``/openapi.json``, ``/docs``), the same for everyone, sets a rule of its own.
"""

from __future__ import annotations

from typing import Any

NOSNIFF = "nosniff"
NO_STORE = "no-store"
CACHEABLE = "no-cache"
"""What the description of the API says: a cache may keep it, and asks before reusing it."""


def request_id(event: dict[str, Any]) -> str:
    return str(event.get("requestContext", {}).get("requestId", ""))


def apply(event: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
    """Add the headers to a payload 2.0 response; a route's own Cache-Control stays."""
    headers = response.get("headers") or {}
    names = {name.lower() for name in headers}
    headers["x-correlation-id"] = request_id(event)
    headers["x-content-type-options"] = NOSNIFF
    if "cache-control" not in names:
        headers["cache-control"] = NO_STORE
    response["headers"] = headers
    return response
