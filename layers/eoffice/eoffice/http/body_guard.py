"""Refuses a JSON body that no parser should be handed: one that is not UTF-8 (RFC 8259 says
JSON is), or that nests deeper than any model of this API. Powertools would raise
UnicodeDecodeError or RecursionError on them, a 500 for what is the client's mistake. A form
body is refused too (415), except on the few routes that take one (:func:`takes_forms`: the
public verification page's upload), which read it themselves.

Both HTTP layers call :func:`check` before anything reads the body (``eoffice.http.plain``
``respond``), so every operation of every function answers the same 400s. Raw bodies (PDF, CSV)
are not JSON and are not looked at: the routes that take them judge their bytes.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from eoffice.errors import MalformedBody, UnsupportedMediaType

FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")
"""API routes take JSON (files go to S3 with an upload form), yet Powertools would parse a form
for any route with a body model, and fail on a multipart body without a boundary."""
_FORM_ROUTES: set[tuple[str, str]] = set()
"""(method, path) of the routes that read a form body raw, as :func:`takes_forms` declared."""
MAX_DEPTH = 32
"""Arrays and objects inside one another; the deepest body of this API nests 4."""

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def takes_forms(method: str, path: str) -> None:
    """Declare that the route ``method path`` (a literal path) reads a form body itself."""
    _FORM_ROUTES.add((method.upper(), path))


def check(event: dict[str, Any]) -> None:
    """Raise :class:`MalformedBody` when the request's body is JSON that cannot be read."""
    body = event.get("body")
    if not body:
        return
    kind = _declared(event.get("headers") or {})
    if kind in FORMS and _route(event) not in _FORM_ROUTES:
        raise UnsupportedMediaType(
            "this API takes JSON bodies (or the file a route names), not forms",
            code="unsupported_media_type",
        )
    if not _is_json(kind):
        return
    text = _text(body, base64_encoded=bool(event.get("isBase64Encoded")))
    if _nests_deeper(text, MAX_DEPTH):
        raise MalformedBody(
            f"the JSON body nests arrays and objects deeper than {MAX_DEPTH} levels",
            code="json_too_deep",
        )


def _route(event: dict[str, Any]) -> tuple[str, str]:
    method = str(event.get("requestContext", {}).get("http", {}).get("method", ""))
    return method.upper(), str(event.get("rawPath", ""))


def _declared(headers: dict[str, Any]) -> str:
    declared = next((str(v) for k, v in headers.items() if k.lower() == "content-type"), "")
    return declared.split(";")[0].strip().lower()


def _is_json(kind: str) -> bool:
    """JSON, or no type at all: Powertools reads a body that declares none as JSON."""
    return not kind or kind.startswith("application/json") or kind.endswith("+json")


def _text(body: str, *, base64_encoded: bool) -> str:
    """The body as text. API Gateway passes a body that is not UTF-8 base64-encoded."""
    if not base64_encoded:
        return body
    try:
        return base64.b64decode(body, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise MalformedBody(
            "the body is not UTF-8: send JSON encoded as UTF-8", code="invalid_encoding"
        ) from None


def _nests_deeper(text: str, limit: int) -> bool:
    """Whether brackets outside strings nest deeper than ``limit`` (no parse: a parser is what
    would overflow)."""
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    for bracket in _NOT_BRACKET.sub("", _STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        if depth > limit:
            return True
    return False
