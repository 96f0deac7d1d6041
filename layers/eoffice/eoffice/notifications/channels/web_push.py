"""Web push to the PWA (RFC 8030), the payload encrypted for the browser (RFC 8291, aes128gcm)
and the request signed with the regency's VAPID key (RFC 8292), through pywebpush.

pywebpush (with requests and aiohttp) is imported inside :func:`send`: a function instance that
never pushes does not pay for it at start-up. Requests go through one ``requests.Session`` per
thread, so pushes to the same service (FCM, Mozilla, Apple) reuse their TLS connection.

What is sent is ``{"title", "body", "path", "tag", "urgent"}``: the service worker shows title and
body, tags the notification with the notification id (a resend replaces it on the screen) and
opens ``path`` on a tap. The ``Topic`` header does the same at the push service: a message still
waiting for an offline browser is replaced, not queued twice.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import time
from typing import Any

from eoffice.notifications.models import Delivery, DeliveryStatus, Message
from eoffice.notifications.push_models import PushSubscription, VapidKeys

MAX_PAYLOAD_BYTES = 3072  # RFC 8291 leaves 3993 octets of plaintext; keep room for the JSON
ELLIPSIS = "…"
VAPID_LIFETIME_SECONDS = 12 * 3600  # RFC 8292: at most 24 hours
_local = threading.local()


def send(
    subscription: PushSubscription,
    message: Message,
    vapid: VapidKeys,
    *,
    ttl_seconds: int = 86400,
    timeout: float = 10.0,
) -> Delivery:
    """Push ``message`` to ``subscription``; the push service's answer as a Delivery: sent
    (detail: its Location, the message's id there), gone (404/410: drop the subscription),
    failed (429, 5xx, network, timeout: retry later), rejected (any other answer, a redirect
    included)."""
    if ttl_seconds < 0:
        raise ValueError("ttl_seconds must not be negative")
    data = payload(message)
    if data is None:
        return Delivery(DeliveryStatus.rejected, "payload_too_large")
    import requests
    from pywebpush import WebPusher

    headers = {
        **vapid_authorization(vapid, subscription.origin),
        "Urgency": "high" if message.urgent else "normal",
        "Topic": topic(message.notification_id),
    }
    info = {
        "endpoint": subscription.endpoint,
        "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
    }
    try:
        response = WebPusher(info, requests_session=_session()).send(
            data, headers, ttl=ttl_seconds, content_encoding="aes128gcm", timeout=timeout
        )
    except requests.TooManyRedirects:
        return Delivery(DeliveryStatus.rejected, "redirect")
    except requests.Timeout:
        return Delivery(DeliveryStatus.failed, "timeout")
    except requests.RequestException:
        return Delivery(DeliveryStatus.failed, "network_error")
    return delivery_for(response.status_code, response.headers)


def payload(message: Message) -> bytes | None:
    """The JSON the service worker reads, at most ``MAX_PAYLOAD_BYTES`` in UTF-8: a long body is
    cut at a word and ends with an ellipsis. None when even an empty body would not fit (a title
    or path far beyond what a notification shows: the caller's mistake, refused, not cut)."""
    whole = _encoded(message, message.body)
    if len(whole) <= MAX_PAYLOAD_BYTES:
        return whole
    if len(_encoded(message, ELLIPSIS)) > MAX_PAYLOAD_BYTES:
        return None
    low, high = 0, len(message.body)  # the longest prefix that fits, found by halving
    while low < high:
        middle = (low + high + 1) // 2
        if len(_encoded(message, _cut(message.body, middle))) <= MAX_PAYLOAD_BYTES:
            low = middle
        else:
            high = middle - 1
    return _encoded(message, _cut(message.body, low))


def topic(notification_id: str) -> str:
    """RFC 8030 section 5.4: at most 32 base64url characters; 24 here (144 bits of SHA-256)."""
    digest = hashlib.sha256(notification_id.encode()).digest()[:18]
    return base64.urlsafe_b64encode(digest).decode("ascii")


def vapid_authorization(vapid: VapidKeys, audience: str) -> dict[str, str]:
    """``Authorization: vapid t=<ES256 JWT>, k=<public key>`` for the push service at
    ``audience`` (its origin), valid for 12 hours."""
    from py_vapid import Vapid02

    claims = {
        "aud": audience,
        "exp": int(time.time()) + VAPID_LIFETIME_SECONDS,
        "sub": vapid.subject,
    }
    signed: dict[str, str] = Vapid02(vapid.private_key).sign(claims)
    return {"Authorization": signed["Authorization"]}


def delivery_for(status: int, headers: Any) -> Delivery:
    """The push service's HTTP answer as a Delivery (RFC 8030 sections 5 and 7.3)."""
    if 200 <= status < 300:
        return Delivery(DeliveryStatus.sent, str(headers.get("Location") or ""))
    detail = f"http_{status}"
    if status in (404, 410):
        return Delivery(DeliveryStatus.gone, detail)
    if status == 429 or status >= 500:
        retry_after = str(headers.get("Retry-After") or "")
        if retry_after.isdigit():
            detail += f" retry_after={retry_after}"
        return Delivery(DeliveryStatus.failed, detail)
    return Delivery(DeliveryStatus.rejected, detail)


def _encoded(message: Message, body: str) -> bytes:
    document = {
        "title": message.title,
        "body": body,
        "path": message.path,
        "tag": message.notification_id,
        "urgent": message.urgent,
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def _cut(body: str, length: int) -> str:
    """The first ``length`` characters, back to the last whole word when one is near, and an
    ellipsis."""
    kept = body[:length]
    space = kept.rfind(" ")
    if space >= length * 3 // 4:
        kept = kept[:space]
    return kept.rstrip() + ELLIPSIS


def _session() -> Any:
    session = getattr(_local, "session", None)
    if session is None:
        import requests

        session = _local.session = requests.Session()
        # A push service answers; it does not redirect. Following one would let whoever stored
        # the endpoint aim the function's requests elsewhere: refused before it is followed.
        session.max_redirects = 0
    return session
