"""The WhatsApp channel's configuration, read from Secrets Manager (the document is described in
:mod:`eoffice.notifications.whatsapp_models`). WhatsApp is off unless configured: no secret
named, a secret that does not exist, or one without a token all answer ``None``.

Read once per secret and kept for :data:`TTL_SECONDS`, so a warm function does not ask Secrets
Manager for every message, and a rotated token is taken within minutes without a deployment.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any

from botocore.exceptions import ClientError

from eoffice import aws
from eoffice.notifications.whatsapp_models import WhatsAppConfig, WhatsAppMisconfigured
from eoffice.observability import logger

TTL_SECONDS = 300.0

_cache: dict[str, tuple[float, WhatsAppConfig | None]] = {}
_lock = threading.Lock()


def load(secret_id: str) -> WhatsAppConfig | None:
    """The configuration in ``secret_id``, or ``None`` when WhatsApp is off. Raises
    :class:`WhatsAppMisconfigured` for a secret with a token but an unusable document, and
    botocore's errors for a secret that cannot be read (a deployment's fault, to be seen)."""
    secret_id = secret_id.strip()
    if not secret_id:
        return None
    now = time.monotonic()
    with _lock:
        kept = _cache.get(secret_id)
    if kept is not None and now - kept[0] < TTL_SECONDS:
        return kept[1]
    config = _read(secret_id)
    with _lock:
        _cache[secret_id] = (now, config)
    return config


def reset() -> None:
    """Forget what was read (tests; a process that re-points its environment)."""
    with _lock:
        _cache.clear()


def _read(secret_id: str) -> WhatsAppConfig | None:
    client: Any = aws.client("secretsmanager")
    try:
        value = client.get_secret_value(SecretId=secret_id)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "ResourceNotFoundException":
            raise
        logger.warning("whatsapp secret not found: whatsapp is off")
        return None
    text = str(value.get("SecretString") or "").strip()
    if not text:
        return None
    try:
        document = json.loads(text)
    except ValueError:
        raise WhatsAppMisconfigured("WhatsApp secret: not a JSON document") from None
    if not isinstance(document, dict):
        raise WhatsAppMisconfigured("WhatsApp secret: not a JSON object")
    return WhatsAppConfig.from_document(document)
