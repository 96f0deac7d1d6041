"""The regency's VAPID keys, kept in Secrets Manager as one JSON document:

    {"private_key": <PEM, or base64url of the 32 raw octets>,
     "public_key": <base64url uncompressed P-256 point>,
     "subject": "mailto:..."}

Read once per secret per process: the key pair does not change under a running instance (a new
pair would orphan every browser subscription, which is bound to the public key, so it is not
rotated casually). Never logged; an error names the secret and what is wrong, never a value.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from eoffice import aws
from eoffice.notifications.push_models import VapidKeys, b64url_encode

LOCAL_SUBJECT = "mailto:notifikasi@localhost"

_cache: dict[str, VapidKeys] = {}
_lock = threading.Lock()


class VapidKeysUnavailable(RuntimeError):
    """The secret is missing, has no value, or does not hold a usable VAPID key pair."""


def load(secret_id: str) -> VapidKeys:
    """The key pair in ``secret_id`` (a name or ARN), cached for the life of the process."""
    with _lock:
        cached = _cache.get(secret_id)
    if cached is not None:
        return cached
    keys = _read(secret_id)
    with _lock:
        return _cache.setdefault(secret_id, keys)


def forget() -> None:
    """Drop the cached keys (tests, and a deployment helper that just wrote new ones)."""
    with _lock:
        _cache.clear()


def generate(subject: str = LOCAL_SUBJECT) -> dict[str, str]:
    """A fresh P-256 key pair in the secret's JSON shape (the private key as base64url raw, the
    form ``web-push generate-vapid-keys`` also prints). ``subject`` defaults to a local contact:
    a deployment passes the regency's own."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    document = {
        "private_key": b64url_encode(key.private_numbers().private_value.to_bytes(32, "big")),
        "public_key": b64url_encode(public),
        "subject": subject,
    }
    VapidKeys.from_document(document)  # a subject the push services would refuse fails here
    return document


def parse(secret_id: str, value: str) -> VapidKeys:
    """The key pair in a secret's string value; VapidKeysUnavailable naming what is wrong."""
    try:
        document: Any = json.loads(value)
    except ValueError:
        raise VapidKeysUnavailable(f"secret {secret_id} is not JSON") from None
    if not isinstance(document, dict):
        raise VapidKeysUnavailable(f"secret {secret_id} is not a JSON object")
    try:
        return VapidKeys.from_document(document)
    except ValueError as error:
        raise VapidKeysUnavailable(
            f"secret {secret_id} holds no usable VAPID keys: {error}"
        ) from None


def _read(secret_id: str) -> VapidKeys:
    client = aws.client("secretsmanager")
    try:
        answer = client.get_secret_value(SecretId=secret_id)
    except client.exceptions.ResourceNotFoundException:
        raise VapidKeysUnavailable(f"secret {secret_id} does not exist or has no value") from None
    value = answer.get("SecretString")
    if not value:
        raise VapidKeysUnavailable(f"secret {secret_id} has no text value")
    return parse(secret_id, value)
