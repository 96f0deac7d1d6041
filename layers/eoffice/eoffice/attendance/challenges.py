"""Stateless WebAuthn challenges (ADR 0024): a challenge is its expiry and an HMAC over its
purpose, the employee's NIP, the check-in's client id and that expiry. Nothing is stored: the
check-in function recomputes it from what the check-in carries, so issuing and checking one
costs no DynamoDB call, and a phone can fetch challenges while online and spend them offline.

The HMAC key comes from ``challenge_key_store`` (derived from the stack's KMS key, kept only in
memory).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import struct
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from eoffice import settings
from eoffice.attendance.challenge_key_store import derived_key

CHECK_IN, REGISTER = "checkin", "register"
REGISTRATION_VALIDITY = timedelta(minutes=10)
_MAC_BYTES = 32


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


def _mac(purpose: str, nip: str, subject: str, expiry: int) -> bytes:
    message = f"{purpose}\x1f{nip}\x1f{subject}\x1f{expiry}".encode()
    return hmac.new(derived_key(), message, hashlib.sha256).digest()[:_MAC_BYTES]


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


def read_challenge(client_data_json: str) -> bytes | None:
    """The challenge named in clientDataJSON (None when it cannot be read)."""
    try:
        data = json.loads(from_b64url(client_data_json))
        return from_b64url(str(data["challenge"]))
    except (ValueError, KeyError, TypeError):
        return None
