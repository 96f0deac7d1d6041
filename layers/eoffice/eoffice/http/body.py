"""Raw request bodies (CSV, files) for the few routes that take something other than JSON."""

from __future__ import annotations

import base64

from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from eoffice.errors import UnsupportedMediaType


def raw_body(router: APIGatewayHttpRouter, *content_types: str) -> bytes:
    """The body's bytes, after checking its declared media type against ``content_types``."""
    event = router.current_event
    declared = (event.headers.get("content-type") or "").split(";")[0].strip().lower()
    if declared not in content_types:
        raise UnsupportedMediaType(
            f"send the body as {' or '.join(content_types)}, not '{declared or 'nothing'}'",
            code="unsupported_media_type",
        )
    body = event.body or ""
    return base64.b64decode(body) if event.is_base64_encoded else body.encode()
