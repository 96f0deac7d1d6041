"""Stateless WebAuthn challenges (ADR 0024): a challenge is its expiry and an HMAC over its
purpose, the employee's NIP, the check-in's client id and that expiry. Nothing is stored: the
check-in function recomputes it from what the check-in carries, so issuing and checking one
costs no DynamoDB call, and a phone can fetch challenges while online and spend them offline.

The HMAC key is derived once per execution environment from the stack's KMS HMAC key
(``CHALLENGE_KEY``, ``kms:GenerateMac`` over a fixed label): the key material never leaves KMS,
the derived key lives only in the function's memory (never stored, never logged), and every
execution environment derives the same one. Revoking the KMS key (or changing ``LABEL``)
invalidates every challenge issued.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from eoffice import aws, settings

LABEL = b"eoffice/webauthn-challenge/v1"
CHECK_IN, REGISTER = "checkin", "register"
REGISTRATION_VALIDITY = timedelta(minutes=10)
_MAC_BYTES = 32
_lock = threading.Lock()
_derived: dict[str, bytes] = {}  # the KMS key's id -> the derived key


@dataclass(frozen=True)
class Issued:
    value: bytes  # the challenge's bytes: 8 of expiry, then the MAC
    expires_at: datetime

    @property
    def text(self) -> str:
        return b64url(self.value)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def from_b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _key() -> bytes:
    """The derived HMAC key: one ``kms:GenerateMac`` per execution environment, on first use."""
    key_id = settings.resource("CHALLENGE_KEY")
    with _lock:
        if key_id not in _derived:
            answer = aws.client("kms").generate_mac(
                KeyId=key_id, Message=LABEL, MacAlgorithm="HMAC_SHA_256"
            )
            _derived[key_id] = bytes(answer["Mac"])
        return _derived[key_id]


def _mac(purpose: str, nip: str, subject: str, expiry: int) -> bytes:
    message = f"{purpose}\x1f{nip}\x1f{subject}\x1f{expiry}".encode()
    return hmac.new(_key(), message, hashlib.sha256).digest()[:_MAC_BYTES]


def issue(purpose: str, nip: str, subject: str, expires_at: datetime) -> Issued:
    expiry = int(expires_at.timestamp())
    value = struct.pack(">Q", expiry) + _mac(purpose, nip, subject, expiry)
    return Issued(value, datetime.fromtimestamp(expiry, UTC))


def check_in_challenges(nip: str, client_ids: list[str], now: datetime) -> list[Issued]:
    """One challenge per check-in to come, valid for the offline window."""
    hours = settings.get(settings.CheckInLimits).offline_window_hours
    expires_at = now + timedelta(hours=hours)
    return [issue(CHECK_IN, nip, client_id, expires_at) for client_id in client_ids]


def opened(purpose: str, nip: str, subject: str, challenge: bytes) -> datetime | None:
    """The expiry of ``challenge`` when this server issued it for (purpose, nip, subject);
    None for any other challenge (forged, another check-in's, another employee's)."""
    if len(challenge) != 8 + _MAC_BYTES:
        return None
    (expiry,) = struct.unpack(">Q", challenge[:8])
    if not hmac.compare_digest(challenge[8:], _mac(purpose, nip, subject, expiry)):
        return None
    return datetime.fromtimestamp(expiry, UTC)
