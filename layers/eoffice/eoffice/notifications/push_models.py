"""Web push's value types: a browser's subscription and the application server's VAPID keys.

A subscription comes from a client (the PWA's ``PushSubscription.toJSON()``), and the function
later POSTs to its endpoint: so the endpoint is checked before it is kept (HTTPS to a named host,
never an IP literal, which would let a caller aim our requests at the network inside), and the
keys are checked to be what RFC 8291 needs, so a bad one is refused when stored rather than at
every send. Keys are parsed with ``cryptography``, imported where needed: the function imports
this module at start-up and only a send needs the curve arithmetic.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
from collections.abc import Mapping
from dataclasses import InitVar, dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from eoffice.errors import InvalidInput

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePrivateKey

MAX_ENDPOINT_LENGTH = 2048
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
_BASE64URL = re.compile(r"^[A-Za-z0-9_-]+={0,2}$")
# As the push services (and py_vapid) read a contact: a mail address at a dotted domain, or an
# https origin without a path.
_SUBJECT = re.compile(r"^(mailto:[^@\s]+@(localhost|[\w%-]+(\.[\w%-]+)+)|https://[\w-]+\.[\w.-]+)$")


def b64url_decode(value: str) -> bytes:
    """RFC 4648 section 5 base64url, padded or not (browsers send it unpadded)."""
    if not isinstance(value, str) or not _BASE64URL.match(value):
        raise ValueError("not base64url")
    try:
        return base64.urlsafe_b64decode(value.rstrip("=") + "=" * (-len(value.rstrip("=")) % 4))
    except (binascii.Error, ValueError) as error:
        raise ValueError("not base64url") from error


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def p256_point(value: str) -> bytes:
    """The 65-octet uncompressed P-256 point ``value`` encodes; ValueError if it is not one
    (wrong length, a compressed form, or a point off the curve)."""
    from cryptography.hazmat.primitives.asymmetric import ec

    raw = b64url_decode(value)
    if len(raw) != 65 or raw[0] != 0x04:
        raise ValueError("not an uncompressed P-256 point")
    ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)  # off the curve: ValueError
    return raw


@dataclass(frozen=True)
class PushSubscription:
    """A browser's push subscription. ``auth`` is kept out of the repr (with ``p256dh`` it is what
    lets a message be read). ``allow_insecure_local`` (dev only, from settings) admits
    ``http://127.0.0.1``/``localhost`` endpoints: the local push service stand-in. Invalid input
    raises ``InvalidInput`` (422) with a message in Bahasa Indonesia."""

    endpoint: str
    p256dh: str
    auth: str = field(repr=False)
    allow_insecure_local: InitVar[bool] = False

    def __post_init__(self, allow_insecure_local: bool) -> None:
        _check_endpoint(self.endpoint, allow_insecure_local)
        try:
            point = p256_point(self.p256dh)
        except ValueError:
            raise _invalid("Kunci p256dh langganan tidak valid.") from None
        try:
            secret = b64url_decode(self.auth)
        except ValueError:
            secret = b""
        if len(secret) != 16:
            raise _invalid("Rahasia auth langganan harus 16 bita (base64url).")
        object.__setattr__(self, "p256dh", b64url_encode(point))  # one spelling, unpadded
        object.__setattr__(self, "auth", b64url_encode(secret))

    @classmethod
    def from_browser(
        cls, data: Mapping[str, Any], *, allow_insecure_local: bool = False
    ) -> PushSubscription:
        """From ``PushSubscription.toJSON()``: ``{"endpoint", "expirationTime", "keys":
        {"p256dh", "auth"}}`` (``expirationTime`` is ignored: the push service's 404/410 is what
        ends a subscription)."""
        keys = data.get("keys")
        if not isinstance(keys, Mapping):
            raise _invalid("Langganan tidak memuat kunci (keys.p256dh, keys.auth).")
        endpoint, p256dh, auth = data.get("endpoint"), keys.get("p256dh"), keys.get("auth")
        if not all(isinstance(v, str) for v in (endpoint, p256dh, auth)):
            raise _invalid("Langganan harus memuat endpoint, keys.p256dh dan keys.auth.")
        return cls(str(endpoint), str(p256dh), str(auth), allow_insecure_local)

    @property
    def origin(self) -> str:
        """The push service's origin: the ``aud`` of the VAPID token (RFC 8292 section 2)."""
        parts = urlsplit(self.endpoint)
        return f"{parts.scheme}://{parts.netloc}"


@dataclass(frozen=True)
class VapidKeys:
    """The application server's VAPID key pair (RFC 8292). ``public_key`` is the base64url
    uncompressed point the web app passes as ``applicationServerKey``; ``subject`` is the
    contact the push services may write to (``mailto:`` or ``https:``)."""

    private_key: EllipticCurvePrivateKey = field(repr=False)
    public_key: str
    subject: str

    def __post_init__(self) -> None:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ec

        if not isinstance(self.private_key, ec.EllipticCurvePrivateKey) or not isinstance(
            self.private_key.curve, ec.SECP256R1
        ):
            raise ValueError("the VAPID private key is not a P-256 key")
        derived = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        if p256_point(self.public_key) != derived:
            raise ValueError("the VAPID public key is not the private key's")
        if not _SUBJECT.match(self.subject):
            raise ValueError("the VAPID subject is not a mailto: or https: contact")

    @classmethod
    def from_document(cls, document: Mapping[str, Any]) -> VapidKeys:
        """From the secret's JSON ``{"private_key", "public_key", "subject"}``; the private key
        as PEM or as base64url of its 32 raw octets. ValueError names what is wrong, never a
        value."""
        values = {name: document.get(name) for name in ("private_key", "public_key", "subject")}
        missing = sorted(name for name, value in values.items() if not isinstance(value, str))
        if missing:
            raise ValueError(f"missing or not text: {', '.join(missing)}")
        return cls(
            _private_key(str(values["private_key"])),
            str(values["public_key"]),
            str(values["subject"]),
        )


def _private_key(text: str) -> EllipticCurvePrivateKey:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    if "-----BEGIN" in text:
        try:
            key = serialization.load_pem_private_key(text.encode(), password=None)
        except (ValueError, TypeError):
            raise ValueError("the private key PEM cannot be read") from None
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise ValueError("the private key is not an EC key")
        return key
    try:
        raw = b64url_decode(text.strip())
    except ValueError:
        raise ValueError("the private key is neither PEM nor base64url") from None
    if len(raw) != 32:
        raise ValueError("a raw private key is 32 octets")
    try:
        return ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())
    except ValueError:
        raise ValueError("the raw private key is not a P-256 scalar") from None


PUSH_SERVICES = (
    "fcm.googleapis.com",  # Chrome, Edge on Android, most Android browsers
    "push.services.mozilla.com",  # Firefox
    "push.apple.com",  # Safari on iOS and macOS
    "notify.windows.com",  # Edge on Windows (WNS)
)
"""The push services browsers subscribe at: the function POSTs only to these (a subscription is
the client's data; any other host, a name resolving inside the network among them, is refused)."""


def _check_endpoint(endpoint: str, allow_insecure_local: bool) -> None:
    if not isinstance(endpoint, str) or len(endpoint) > MAX_ENDPOINT_LENGTH:
        raise _invalid("Endpoint langganan tidak valid.")
    try:
        parts = urlsplit(endpoint)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - a malformed port raises here
    except ValueError:
        raise _invalid("Endpoint langganan tidak valid.") from None
    if parts.username or parts.password or parts.fragment or not host:
        raise _invalid("Endpoint langganan tidak valid.")
    if parts.scheme == "http" and allow_insecure_local and host in LOCAL_HOSTS:
        return
    if parts.scheme != "https":
        raise _invalid("Endpoint langganan harus memakai https.")
    if host in LOCAL_HOSTS or _is_ip_literal(host):
        raise _invalid("Endpoint langganan harus nama host layanan push, bukan alamat IP.")
    if not any(host == known or host.endswith("." + known) for known in PUSH_SERVICES):
        raise _invalid("Endpoint langganan bukan milik layanan push peramban yang dikenal.")


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _invalid(detail: str) -> InvalidInput:
    """The plain ``invalid_input`` code: the browser made the subscription, not the person, so
    the web app's general words for it are enough."""
    return InvalidInput(detail)
