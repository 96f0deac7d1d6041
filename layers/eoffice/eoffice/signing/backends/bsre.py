"""Client of BSrE's esign client service, API v2 (signs whole PDFs with BSrE certificates).

The service runs inside the institution's network; every call carries basic auth of the esign
client. The rules that matter (docs/research/signing.md, the domain reference):

- one file per request;
- ``sign_pdf`` is never retried here: once the request was completely sent, a timeout or a
  lost connection leaves the outcome unknown (:class:`BsreOutcomeUnknown`) and the caller
  resolves it by looking, never by signing again;
- the signer's passphrase or TOTP lives in :class:`BsreCredentials` for one request: it is not
  logged, not in any exception message, not in a repr; request bodies are never logged.

How a failure is classified (urllib raises ``URLError`` only while connecting or sending, and
the service cannot act on a request it did not receive whole):

================================  ======================  ====================================
what happened                     exception               may the caller try again?
================================  ======================  ====================================
refused, DNS, unreachable, error  BsreUnavailable         yes: nothing reached the service
while sending; HTTP 503, 408,     (or it did not act on it)
429; a redirect (never followed)
HTTP 4xx (wrong passphrase, ...)  BsreRejected            after fixing the input
sent, then timeout / connection   BsreOutcomeUnknown      no: verify what happened first
lost / 5xx / garbled answer       (sign only; the
                                  idempotent calls raise
                                  BsreUnavailable)
================================  ======================  ====================================
"""

from __future__ import annotations

import base64
import binascii
import http.client
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from eoffice.observability import logger

STATUS_PATH = "/api/v2/user/check/status"
SIGN_PATH = "/api/v2/sign/pdf"
VERIFY_PATH = "/api/v2/verify/pdf"

_RETRY_STATUSES = frozenset({408, 429, 503})
"""Answers that say the request was not acted on: timed out waiting for it, too many, down."""


@dataclass(frozen=True)
class BsreAppearance:
    """A visible signature: the image BSrE draws (PNG) and where, in PDF points, page 1-based."""

    image_png: bytes = field(repr=False)
    page: int
    x: float
    y: float
    width: float
    height: float
    reason: str
    location: str


@dataclass(frozen=True, repr=False)
class BsreCredentials:
    """Who signs and their secret, taken from the request only (one of passphrase or TOTP)."""

    nik: str
    passphrase: str | None = None
    totp: str | None = None

    def __post_init__(self) -> None:
        if (self.passphrase is None) == (self.totp is None):
            raise ValueError("exactly one of passphrase or totp is needed")

    def __repr__(self) -> str:
        secret = "passphrase" if self.passphrase is not None else "totp"
        return f"BsreCredentials(nik={_mask(self.nik)}, {secret}=<hidden>)"

    @property
    def secret(self) -> str:
        return self.passphrase if self.passphrase is not None else (self.totp or "")

    def body(self) -> dict[str, str]:
        key = "passphrase" if self.passphrase is not None else "totp"
        return {"nik": self.nik, key: self.secret}


class CertificateStatus(StrEnum):
    """Whether a NIK may sign now (BSrE's own words in :data:`_STATUS_WORDS`)."""

    VALID = "valid"
    NOT_REGISTERED = "not_registered"
    PENDING = "pending"
    EXPIRED = "expired"
    REVOKED = "revoked"
    SUSPENDED = "suspended"
    UNKNOWN = "unknown"


_STATUS_WORDS = {
    "ISSUE": CertificateStatus.VALID,
    "ISSUED": CertificateStatus.VALID,
    "NOT_REGISTERED": CertificateStatus.NOT_REGISTERED,
    "NEW": CertificateStatus.PENDING,
    "WAITING_VERIFICATION": CertificateStatus.PENDING,
    "EXPIRED": CertificateStatus.EXPIRED,
    "REVOKE": CertificateStatus.REVOKED,
    "REVOKED": CertificateStatus.REVOKED,
    "SUSPEND": CertificateStatus.SUSPENDED,
    "SUSPENDED": CertificateStatus.SUSPENDED,
}


class BsreError(Exception):
    """Base of the client's errors; messages never carry a secret or a request body."""


class BsreRejected(BsreError):
    """The service answered no (wrong passphrase, no certificate, bad input): nothing signed."""

    def __init__(self, message: str, *, code: str, http_status: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.http_status = http_status


class BsreUnavailable(BsreError):
    """Nothing reached the service (or it said so with 503): nothing signed; try later."""


class BsreOutcomeUnknown(BsreError):
    """The request was sent and no usable answer came back: the file may have been signed.

    Never retried: resolve it by verification or by asking the signer, not by signing again.
    """


class BsreClient:
    """The three calls the e-office needs: user status, sign (one PDF), verify."""

    def __init__(
        self, base_url: str, *, username: str, password: str, timeout: float = 30.0
    ) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ValueError("the BSrE base URL must be http(s)")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._opener = urllib.request.build_opener(_NoRedirect())
        token = base64.b64encode(f"{username}:{password}".encode()).decode()
        self._authorization = f"Basic {token}"

    def __repr__(self) -> str:
        return f"BsreClient({self.base_url!r}, timeout={self.timeout})"

    def user_status(self, nik: str) -> CertificateStatus:
        """Whether ``nik`` has a usable certificate (a 404 answer means not registered)."""
        try:
            answer = self._call(STATUS_PATH, {"nik": nik}, unknown_is_unavailable=True)
        except BsreRejected as rejected:
            if rejected.http_status == 404:
                return CertificateStatus.NOT_REGISTERED
            raise
        word = str(answer.get("status", "")).strip().upper()
        return _STATUS_WORDS.get(word, CertificateStatus.UNKNOWN)

    def ensure_can_sign(self, nik: str) -> None:
        """Raise :class:`BsreRejected` unless ``nik``'s certificate is valid (call before
        :meth:`sign_pdf`: a refused status costs nothing, a refused signature costs a try)."""
        status = self.user_status(nik)
        if status is not CertificateStatus.VALID:
            raise BsreRejected(f"certificate status is {status}", code=f"certificate_{status}")

    def sign_pdf(
        self, pdf: bytes, credentials: BsreCredentials, appearance: BsreAppearance | None
    ) -> bytes:
        """The signed PDF (PAdES B-T by BSrE). One attempt only: see :class:`BsreOutcomeUnknown`."""
        payload: dict[str, Any] = {
            **credentials.body(),
            "signatureProperties": [_properties(appearance)],
            "file": [base64.b64encode(pdf).decode("ascii")],
        }
        answer = self._call(
            SIGN_PATH, payload, unknown_is_unavailable=False, secret=credentials.secret
        )
        return _signed_file(answer)

    def verify_pdf(self, pdf: bytes, *, timeout: float | None = None) -> dict[str, object]:
        """BSrE's own verification report (slow on large files: pass a longer ``timeout``)."""
        payload = {"file": base64.b64encode(pdf).decode("ascii")}
        return self._call(VERIFY_PATH, payload, unknown_is_unavailable=True, timeout=timeout)

    # -- transport ------------------------------------------------------------------------------

    def _call(
        self,
        path: str,
        payload: dict[str, Any],
        *,
        unknown_is_unavailable: bool,
        secret: str | None = None,
        timeout: float | None = None,
    ) -> dict[str, Any]:
        """POST ``payload`` as JSON once; classify every way it can fail."""
        request = urllib.request.Request(  # noqa: S310 - configured http(s) base URL
            self.base_url + path,
            data=json.dumps(payload).encode(),
            headers={
                "Authorization": self._authorization,
                "Content-Type": "application/json",
                "Accept": "application/json",
            },
            method="POST",
        )
        started = time.monotonic()
        unknown = BsreUnavailable if unknown_is_unavailable else BsreOutcomeUnknown
        try:
            with self._opener.open(request, timeout=timeout or self.timeout) as answer:
                status, raw = answer.status, answer.read()
        except urllib.error.HTTPError as error:
            if 300 <= error.code < 400:
                _log(path, error.code, started, outcome="redirect_refused")
                raise BsreUnavailable(
                    f"BSrE redirected (HTTP {error.code}): not followed"
                ) from None
            status, raw = error.code, _read_quietly(error)
        except urllib.error.URLError as error:  # raised while connecting or sending only
            _log(path, None, started, outcome="not_sent")
            raise BsreUnavailable(f"BSrE not reachable: {_reason(error.reason)}") from None
        except (OSError, http.client.HTTPException) as error:  # sent; no (whole) answer
            _log(path, None, started, outcome="no_answer")
            raise unknown(f"no answer from BSrE after sending: {_reason(error)}") from None
        _log(path, status, started, outcome="answered")
        return _interpret(status, raw, unknown, secret)


def _interpret(
    status: int, raw: bytes, unknown: type[BsreError], secret: str | None
) -> dict[str, Any]:
    body = _json(raw)
    if 200 <= status < 300:
        if body is None:
            raise unknown(f"BSrE answered HTTP {status} with a body that is not JSON")
        return body
    message = _scrub(_server_message(body) or f"HTTP {status}", secret)
    if status in _RETRY_STATUSES:
        raise BsreUnavailable(f"BSrE unavailable (HTTP {status}): {message}")
    if status >= 500:
        raise unknown(f"BSrE failed with HTTP {status}: {message}")
    code = _scrub(str((body or {}).get("status_code") or f"http_{status}"), secret)
    raise BsreRejected(f"BSrE refused (HTTP {status}): {message}", code=code, http_status=status)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects are never followed: urllib would re-send the basic auth (and for 307/308 the
    body with the passphrase) to wherever the answer points, even another host. The redirect
    answer comes back as an ``HTTPError`` instead. A redirect means the service did not
    process the request, so nothing was signed."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _properties(appearance: BsreAppearance | None) -> dict[str, Any]:
    if appearance is None:
        return {"tampilan": "INVISIBLE"}
    return {
        "tampilan": "VISIBLE",
        "imageBase64": base64.b64encode(appearance.image_png).decode("ascii"),
        "page": appearance.page,
        "originX": appearance.x,
        "originY": appearance.y,
        "width": appearance.width,
        "height": appearance.height,
        "location": appearance.location,
        "reason": appearance.reason,
    }


def _signed_file(answer: dict[str, Any]) -> bytes:
    """The one signed file; a 200 without it is an unknown outcome (it may have signed)."""
    files = answer.get("file")
    if not isinstance(files, list) or len(files) != 1 or not isinstance(files[0], str):
        raise BsreOutcomeUnknown("BSrE answered without exactly one signed file")
    try:
        signed = base64.b64decode(files[0], validate=True)
    except (binascii.Error, ValueError):
        raise BsreOutcomeUnknown("BSrE answered a signed file that is not base64") from None
    if not signed.startswith(b"%PDF-"):
        raise BsreOutcomeUnknown("BSrE answered a signed file that is not a PDF")
    return signed


def _json(raw: bytes) -> dict[str, Any] | None:
    try:
        body = json.loads(raw)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _server_message(body: dict[str, Any] | None) -> str:
    if not body:
        return ""
    for key in ("error", "message", "status"):
        value = body.get(key)
        if isinstance(value, str) and value:
            return value[:300]
    return ""


def _scrub(text: str, secret: str | None) -> str:
    """Defence in depth: a server that echoes the secret must not put it in our messages."""
    return text.replace(secret, "<hidden>") if secret else text


def _read_quietly(error: urllib.error.HTTPError) -> bytes:
    try:
        return error.read()
    except (OSError, http.client.HTTPException):
        return b""


def _reason(reason: object) -> str:
    return type(reason).__name__ if not isinstance(reason, str) else reason[:100]


def _mask(nik: str) -> str:
    return f"'{'*' * max(len(nik) - 4, 0)}{nik[-4:]}'"


def _log(path: str, status: int | None, started: float, *, outcome: str) -> None:
    """Path, status and time only: bodies hold the passphrase and the document."""
    elapsed_ms = round((time.monotonic() - started) * 1000)
    logger.info(
        "bsre call", extra={"path": path, "status": status, "outcome": outcome, "ms": elapsed_ms}
    )
