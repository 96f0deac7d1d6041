"""Domain errors. Each carries a stable ``code`` that clients can rely on and an HTTP status.

Services raise these; the HTTP layer turns them into ``application/problem+json`` (RFC 9457) in one
place (:mod:`eoffice.http.problems`). Messages are for people; codes are for programs.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status: int = 400
    code: str = "bad_request"
    title: str = "Bad request"

    def __init__(self, detail: str, *, code: str | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        if code:
            self.code = code
        self.extra = extra


class MalformedBody(DomainError):
    """A body no parser can read (not UTF-8, nested too deep): refused before any route."""

    status, code, title = 400, "malformed_body", "The body cannot be read"


class InvalidInput(DomainError):
    status, code, title = 422, "invalid_input", "The request is not valid"


class Unauthenticated(DomainError):
    status, code, title = 401, "unauthenticated", "Sign-in required"


class Forbidden(DomainError):
    status, code, title = 403, "forbidden", "Not allowed"


class NotFound(DomainError):
    status, code, title = 404, "not_found", "Not found"


class Conflict(DomainError):
    status, code, title = 409, "conflict", "Conflict with the current state"


class Gone(DomainError):
    status, code, title = 410, "gone", "No longer available"


class PayloadTooLarge(DomainError):
    status, code, title = 413, "payload_too_large", "Payload too large"


class UnsupportedMediaType(DomainError):
    status, code, title = 415, "unsupported_media_type", "Unsupported media type"


class TooManyRequests(DomainError):
    status, code, title = 429, "too_many_requests", "Too many requests"


class UpstreamFailed(DomainError):
    """A service we depend on (timestamp authority, BSrE, KMS) failed; nothing was changed."""

    status, code, title = 502, "upstream_failed", "A service the request needs failed"


class OutcomeUnknown(DomainError):
    """A request reached a service that then did not answer: it may have acted. Never retried
    automatically; resolved by looking (verification)."""

    status, code, title = 504, "outcome_unknown", "The outcome is unknown"
