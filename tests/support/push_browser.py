"""The browser's part of web push, for tests: its own subscription keys, and the decryption a
browser does on a received message (RFC 8291 over RFC 8188's aes128gcm).

Written here from the RFCs with ``cryptography``'s primitives, on purpose not with http_ece or
pywebpush: a test that decrypted with the library that encrypted would pass with both wrong in the
same way. ``tests/unit/test_push_browser.py`` checks it against RFC 8291's Appendix A example.
"""

from __future__ import annotations

import base64
import json
import os
import struct
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from eoffice_local.push_service import PushServiceStandIn

HEADER_FIXED = 16 + 4 + 1  # salt, record size, key id length (RFC 8188 section 2.1)
TAG = 16


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _point(key: ec.EllipticCurvePublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


def _hkdf(salt: bytes, ikm: bytes, info: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(ikm)


@dataclass
class PushBrowser:
    """One browser profile: a P-256 key pair and a 16-octet auth secret (what
    ``PushManager.subscribe`` makes), and the subscriptions it holds on a push service."""

    private_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth_secret: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def public_key(self) -> bytes:
        return _point(self.private_key.public_key())

    def subscribe(
        self, service: PushServiceStandIn, application_server_key: str | None = None
    ) -> dict[str, Any]:
        """``PushSubscription.toJSON()`` for a new subscription on ``service``."""
        return {
            "endpoint": service.subscribe(application_server_key),
            "expirationTime": None,
            "keys": {"p256dh": b64url(self.public_key), "auth": b64url(self.auth_secret)},
        }

    def decrypt(self, body: bytes) -> bytes:
        """The plaintext of an aes128gcm push message addressed to this browser."""
        salt = body[:16]
        (record_size,) = struct.unpack(">I", body[16:20])
        key_id_length = body[20]
        sender = body[HEADER_FIXED : HEADER_FIXED + key_id_length]
        if key_id_length != 65 or record_size < 18:
            raise ValueError("RFC 8291: the key id is the sender's 65-octet public key")
        sender_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), sender)
        shared = self.private_key.exchange(ec.ECDH(), sender_key)
        # RFC 8291 section 3.4: the auth secret and both public keys go into the input key.
        key_info = b"WebPush: info\x00" + self.public_key + sender
        ikm = _hkdf(self.auth_secret, shared, key_info, 32)
        # RFC 8188 section 2.2 and 2.3: content key and nonce from the salt.
        cek = _hkdf(salt, ikm, b"Content-Encoding: aes128gcm\x00", 16)
        nonce = _hkdf(salt, ikm, b"Content-Encoding: nonce\x00", 12)
        return _records(body[HEADER_FIXED + key_id_length :], record_size, cek, nonce)

    def messages(self, service: PushServiceStandIn, endpoint: str) -> list[dict[str, Any]]:
        """The JSON payloads ``service`` holds for the subscription at ``endpoint``."""
        subscription_id = endpoint.rsplit("/", 1)[1]
        return [json.loads(self.decrypt(m.body)) for m in service.received(subscription_id)]


def _records(ciphertext: bytes, record_size: int, cek: bytes, nonce: bytes) -> bytes:
    """RFC 8188 section 2: records of ``record_size`` octets, each nonce the base nonce XOR its
    sequence number; a record's plaintext ends with a delimiter (2 for the last, 1 before) and
    zero padding."""
    aead = AESGCM(cek)
    base = int.from_bytes(nonce, "big")
    chunks = [ciphertext[i : i + record_size] for i in range(0, len(ciphertext), record_size)]
    plain = bytearray()
    for sequence, chunk in enumerate(chunks):
        iv = (base ^ sequence).to_bytes(12, "big")
        record = aead.decrypt(iv, chunk, None).rstrip(b"\x00")
        last = sequence == len(chunks) - 1
        if not record or record[-1] != (2 if last else 1):
            raise ValueError("RFC 8188: bad padding delimiter")
        plain += record[:-1]
    return bytes(plain)
