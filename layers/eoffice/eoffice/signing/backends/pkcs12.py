"""Signing keys kept as a PKCS#12 file in Secrets Manager (e.g. a certificate issued elsewhere,
or the institution's seal before it moves to KMS).

The secret's ``SecretString`` is JSON ``{"pkcs12": "<base64>", "password": "..."}``. The loaded
key is kept per process, keyed by the secret's name and version: parsing a PKCS#12 and checking
its RSA key is costly (docs/performance.md, Signing), and a rotated secret (a new version) is picked up on the
next use. The password is never logged, kept, or put in an error.
"""

from __future__ import annotations

import base64
import binascii
import json
import threading
from collections import OrderedDict
from typing import Any

from eoffice import aws
from eoffice.signing.backends.base import KeyMaterial

_CACHE_SIZE = 16
_cache: OrderedDict[tuple[str, str], KeyMaterial] = OrderedDict()
_lock = threading.Lock()


class Pkcs12Error(Exception):
    """The secret is missing or does not hold a usable PKCS#12; ``code`` is stable. The message
    never carries the secret's content."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


def load_key(secret_name: str) -> KeyMaterial:
    """The key and certificates of the PKCS#12 in ``secret_name`` (its current version)."""
    version, secret = _fetch(secret_name)
    with _lock:
        cached = _cache.get((secret_name, version))
        if cached is not None:
            _cache.move_to_end((secret_name, version))
            return cached
    key = _load(secret)
    with _lock:
        _cache[(secret_name, version)] = key
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return key


def _fetch(secret_name: str) -> tuple[str, str]:
    client: Any = aws.client("secretsmanager")
    try:
        answer = client.get_secret_value(SecretId=secret_name)
    except client.exceptions.ResourceNotFoundException:
        raise Pkcs12Error(f"no secret {secret_name!r}", code="pkcs12_secret_not_found") from None
    secret = answer.get("SecretString")
    if not isinstance(secret, str):
        raise Pkcs12Error("the secret holds no SecretString", code="pkcs12_secret_malformed")
    return str(answer["VersionId"]), secret


def _load(secret: str) -> KeyMaterial:
    from eoffice.signing.backends.local import LocalKey

    blob, password = _parse(secret)
    try:
        return LocalKey.from_pkcs12(blob, password)
    except (ValueError, TypeError):
        # Raised without its cause: a parser's message could quote what it was given.
        raise Pkcs12Error(
            "the PKCS#12 could not be opened (wrong password, or not a PKCS#12 with a key "
            "and its certificate)",
            code="pkcs12_unreadable",
        ) from None


def _parse(secret: str) -> tuple[bytes, bytes | None]:
    malformed = Pkcs12Error(
        'the secret must be JSON {"pkcs12": "<base64>", "password": "..."}',
        code="pkcs12_secret_malformed",
    )
    try:
        document = json.loads(secret)
    except ValueError:
        raise malformed from None
    if not isinstance(document, dict) or not isinstance(document.get("pkcs12"), str):
        raise malformed
    password = document.get("password")
    if password is not None and not isinstance(password, str):
        raise malformed
    try:
        blob = base64.b64decode(document["pkcs12"], validate=True)
    except (binascii.Error, ValueError):
        raise malformed from None
    return blob, password.encode() if password else None


def forget() -> None:
    """Drop every loaded key (tests; a process that must re-read its secrets)."""
    with _lock:
        _cache.clear()
