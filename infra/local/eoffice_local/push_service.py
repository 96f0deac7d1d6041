"""A local stand-in of a browser push service (RFC 8030), dev-only, never shipped.

It plays FCM's or Mozilla's part on 127.0.0.1: a browser (in tests, ``support.push_browser``)
registers a subscription and gets an endpoint ``<base>/push/<id>``; the application server POSTs
encrypted messages there. Each request is checked as the real services check it:

- ``Authorization: vapid t=<JWT>, k=<key>`` (RFC 8292): an ES256 JWT signed by ``k``, ``aud`` the
  endpoint's origin, ``exp`` in the future and at most 24 hours away, ``sub`` a ``mailto:`` or
  ``https:`` contact; otherwise 401. A subscription made with an application server key answers
  403 to any other ``k`` (section 4.2);
- ``Content-Encoding: aes128gcm`` (RFC 8291; otherwise 415), a ``TTL`` (RFC 8030 section 5.2;
  otherwise 400), a valid ``Urgency`` and ``Topic`` when sent (400), at most 4096 octets (413);
- accepted: 201 with ``Location: <base>/message/<id>``; a message with the ``Topic`` of one still
  held replaces it (section 5.4). An unknown id answers 404, one marked gone 410.

Knobs for tests: :meth:`PushServiceStandIn.fail_next` (answer a status, e.g. 429 or 500, for the
next requests), ``delay_seconds`` (sleep before answering). :meth:`PushServiceStandIn.received`
lists what a subscription got, body still encrypted, with its headers.

The same two over HTTP, for a test in another process than ``eoffice dev`` (the browser tests,
web/e2e/push.spec.ts, play the browser's side of the push service there):

- ``POST /subscriptions`` with ``{"application_server_key": <base64url or null>}``: 201
  ``{"subscription_id", "endpoint"}``, what the browser's push service gives ``subscribe()``;
- ``GET /subscriptions/<id>/messages``: 200 ``{"messages": [{"message_id", "body", "headers",
  "received_at"}]}``, ``body`` still encrypted, in base64url (what the service would deliver to
  the browser); 404 for an unknown id.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec

MAX_MESSAGE_BYTES = 4096  # RFC 8291 section 4: what a push service must accept
MAX_TOKEN_LIFETIME = 24 * 3600  # RFC 8292 section 2
URGENCIES = frozenset({"very-low", "low", "normal", "high"})
_MAX_READ = 1 << 20  # read a too-large body whole, then refuse it (the connection stays usable)
_TOPIC = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_MAILTO_OR_HTTPS = re.compile(r"^(mailto:\S+@\S+|https://\S+)$")
_MESSAGES = re.compile(r"^/subscriptions/([0-9a-f]{32})/messages$")


@dataclass(frozen=True)
class PushedMessage:
    """A message as the push service holds it: still encrypted; header names in lower case."""

    message_id: str
    body: bytes
    headers: dict[str, str]
    received_at: float


@dataclass
class _Subscription:
    application_server_key: str | None
    gone: bool = False
    messages: list[PushedMessage] = field(default_factory=list)


class _Refusal(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


class PushServiceStandIn:
    """The stand-in; start with :func:`start_push_service`, end with :meth:`stop`."""

    def __init__(self, *, port: int = 0) -> None:
        self.delay_seconds = 0.0
        self.requests = 0
        self._failures: list[int] = []
        self._subscriptions: dict[str, _Subscription] = {}
        self._lock = threading.Lock()
        self._httpd = _Httpd(("127.0.0.1", port), _Handler)
        self._httpd.service = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="push-service", daemon=True
        )
        self._thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def subscribe(self, application_server_key: str | None = None) -> str:
        """A new subscription's endpoint, as ``PushManager.subscribe`` would get it. With
        ``application_server_key`` (base64url), only pushes signed by that key are accepted."""
        subscription_id = uuid.uuid4().hex
        with self._lock:
            self._subscriptions[subscription_id] = _Subscription(application_server_key)
        return self.endpoint(subscription_id)

    def endpoint(self, subscription_id: str) -> str:
        return f"{self.base_url}/push/{subscription_id}"

    def mark_gone(self, subscription_id: str) -> None:
        """The browser unsubscribed (or the service expired it): pushes answer 410."""
        with self._lock:
            self._subscriptions[subscription_id].gone = True

    def fail_next(self, status: int, times: int = 1) -> None:
        """Answer ``status`` (429, 500, ...) to the next ``times`` pushes, storing nothing."""
        with self._lock:
            self._failures.extend([status] * times)

    def reset_knobs(self) -> None:
        with self._lock:
            self._failures.clear()
            self.delay_seconds = 0.0

    def received(self, subscription_id: str) -> list[PushedMessage]:
        """What the subscription holds, oldest first (a replaced message is gone)."""
        with self._lock:
            return list(self._subscriptions[subscription_id].messages)

    def stop(self) -> None:
        self._httpd.shutdown()
        self._thread.join(timeout=5)
        self._httpd.server_close()

    # -- one push -------------------------------------------------------------------------------

    def push(self, subscription_id: str, headers: dict[str, str], body: bytes) -> str:
        """Check and keep one message; its Location. Raises _Refusal with the status to answer."""
        with self._lock:
            self.requests += 1
            failure = self._failures.pop(0) if self._failures else None
            subscription = self._subscriptions.get(subscription_id)
        if failure is not None:
            raise _Refusal(failure, "told to fail")
        if subscription is None:
            raise _Refusal(404, "no such subscription")
        if subscription.gone:
            raise _Refusal(410, "subscription gone")
        key = self._check_vapid(headers.get("authorization", ""))
        if subscription.application_server_key not in (None, key):
            raise _Refusal(403, "not the subscription's application server key")
        _check_message(headers, body)
        message = PushedMessage(uuid.uuid4().hex, body, headers, time.time())
        topic = headers.get("topic")
        with self._lock:
            held = subscription.messages
            same = [i for i, m in enumerate(held) if topic and m.headers.get("topic") == topic]
            if same:
                held[same[0]] = message
            else:
                held.append(message)
        return f"{self.base_url}/message/{message.message_id}"

    def _check_vapid(self, authorization: str) -> str:
        """The ``k`` of a valid RFC 8292 ``vapid`` authorization; _Refusal(401) otherwise."""
        scheme, _, rest = authorization.partition(" ")
        if scheme.lower() != "vapid":
            raise _Refusal(401, "no vapid authorization")
        params = dict(part.strip().split("=", 1) for part in rest.split(",") if "=" in part.strip())
        token, key = params.get("t", ""), params.get("k", "")
        try:
            raw = base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))
            public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
        except (ValueError, binascii.Error):
            raise _Refusal(401, "k is not a P-256 public key") from None
        try:
            if jwt.get_unverified_header(token).get("alg") != "ES256":
                raise _Refusal(401, "not ES256")
            claims = jwt.decode(
                token,
                public,
                algorithms=["ES256"],
                audience=self.base_url,
                options={"require": ["aud", "exp", "sub"]},
            )
        except jwt.PyJWTError as error:
            raise _Refusal(401, f"token refused: {error}") from None
        if claims["exp"] > time.time() + MAX_TOKEN_LIFETIME:
            raise _Refusal(401, "exp more than 24 hours away")
        if not _MAILTO_OR_HTTPS.match(str(claims["sub"])):
            raise _Refusal(401, "sub is not a mailto: or https: contact")
        return key.rstrip("=")


def _check_message(headers: dict[str, str], body: bytes) -> None:
    if headers.get("content-encoding") != "aes128gcm":
        raise _Refusal(415, "Content-Encoding must be aes128gcm")
    ttl = headers.get("ttl", "")
    if not ttl.isdigit():
        raise _Refusal(400, "TTL missing or not a number")
    urgency = headers.get("urgency")
    if urgency is not None and urgency not in URGENCIES:
        raise _Refusal(400, "unknown Urgency")
    topic = headers.get("topic")
    if topic is not None and not _TOPIC.match(topic):
        raise _Refusal(400, "Topic must be at most 32 base64url characters")
    if len(body) > MAX_MESSAGE_BYTES:
        raise _Refusal(413, "message too large")


class _Httpd(ThreadingHTTPServer):
    daemon_threads = True
    service: PushServiceStandIn


class _Handler(BaseHTTPRequestHandler):
    server: _Httpd
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""

    def do_POST(self) -> None:
        service = self.server.service
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(min(length, _MAX_READ))
        if self.path == "/subscriptions":
            self._subscribe(body)
            return
        if service.delay_seconds:
            time.sleep(service.delay_seconds)
        prefix, _, subscription_id = self.path.partition("/push/")
        if prefix or not subscription_id:
            self._reply(404, {"error": "not found"})
            return
        headers = {name.lower(): value for name, value in self.headers.items()}
        try:
            location = service.push(subscription_id, headers, body)
        except _Refusal as refusal:
            self._reply(refusal.status, {"error": str(refusal)})
            return
        self._reply(201, None, location=location)

    def do_GET(self) -> None:
        match = _MESSAGES.match(self.path)
        if match is None:
            self._reply(404, {"error": "not found"})
            return
        try:
            held = self.server.service.received(match[1])
        except KeyError:
            self._reply(404, {"error": "no such subscription"})
            return
        self._reply(200, {"messages": [_message_document(m) for m in held]})

    def _subscribe(self, body: bytes) -> None:
        """A subscription as the browser's push service makes one; the key is the application
        server's, so a push signed by another VAPID key is refused (403) as FCM refuses it."""
        try:
            document = json.loads(body or b"{}")
            key = document.get("application_server_key")
            if key is not None and not isinstance(key, str):
                raise ValueError("application_server_key must be text")
        except (ValueError, AttributeError):
            self._reply(400, {"error": 'expected {"application_server_key": text or null}'})
            return
        endpoint = self.server.service.subscribe(key.rstrip("=") if key else None)
        self._reply(201, {"subscription_id": endpoint.rsplit("/", 1)[1], "endpoint": endpoint})

    def _reply(self, status: int, body: dict[str, Any] | None, *, location: str = "") -> None:
        data = json.dumps(body).encode() if body is not None else b""
        try:
            self.send_response(status)
            if location:
                self.send_header("Location", location)
            if data:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the sender gave up (timeout)


def _message_document(message: PushedMessage) -> dict[str, Any]:
    return {
        "message_id": message.message_id,
        "body": base64.urlsafe_b64encode(message.body).rstrip(b"=").decode("ascii"),
        "headers": message.headers,
        "received_at": message.received_at,
    }


def start_push_service(*, port: int = 0) -> PushServiceStandIn:
    """Start the stand-in on 127.0.0.1:``port`` (0: a free one)."""
    return PushServiceStandIn(port=port)
