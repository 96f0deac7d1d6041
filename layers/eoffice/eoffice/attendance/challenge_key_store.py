"""Where the challenges' HMAC key comes from (ADR 0024): derived once per execution environment
from the stack's KMS HMAC key (``CHALLENGE_KEY``, ``kms:GenerateMac`` over a fixed label). The key
material never leaves KMS; the derived key lives only in the function's memory, never stored or
logged, and every execution environment derives the same one. Revoking the KMS key (or changing
``LABEL``) invalidates every challenge issued."""

from __future__ import annotations

import threading

from eoffice import aws, settings

LABEL = b"eoffice/webauthn-challenge/v1"
_lock = threading.Lock()
_derived: dict[str, bytes] = {}  # the KMS key's id -> the derived key


def derived_key() -> bytes:
    """The derived HMAC key: one ``kms:GenerateMac`` per execution environment, on first use."""
    key_id = settings.resource("CHALLENGE_KEY")
    with _lock:
        if key_id not in _derived:
            answer = aws.client("kms").generate_mac(
                KeyId=key_id, Message=LABEL, MacAlgorithm="HMAC_SHA_256"
            )
            _derived[key_id] = bytes(answer["Mac"])
        return _derived[key_id]
