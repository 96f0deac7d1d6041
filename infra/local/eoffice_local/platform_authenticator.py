"""A platform authenticator played in Python (P-256, attestation "none"), so that tests and the
attendance bench hand py_webauthn real registrations and assertions (ADR 0024)."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
from dataclasses import dataclass, field
from typing import Any

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

UP, UV, AT = 0x01, 0x04, 0x40


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass
class Authenticator:
    rp_id: str
    origin: str
    key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    credential_id: bytes = field(default_factory=lambda: os.urandom(32))
    sign_count: int = 0

    @property
    def id(self) -> str:
        return b64url(self.credential_id)

    def _cose_key(self) -> bytes:
        numbers = self.key.public_key().public_numbers()
        return cbor2.dumps(
            {
                1: 2,
                3: -7,
                -1: 1,
                -2: numbers.x.to_bytes(32, "big"),
                -3: numbers.y.to_bytes(32, "big"),
            }
        )

    def _auth_data(self, flags: int, attested: bytes = b"") -> bytes:
        rp_hash = hashlib.sha256(self.rp_id.encode()).digest()
        return rp_hash + bytes([flags]) + struct.pack(">I", self.sign_count) + attested

    def _client_data(self, kind: str, challenge: str, origin: str | None) -> bytes:
        body = {"type": kind, "challenge": challenge, "origin": origin or self.origin}
        return json.dumps(body).encode()

    def register(self, options: dict[str, Any]) -> dict[str, Any]:
        """navigator.credentials.create(): the RegistrationResponseJSON the API takes."""
        attested = b"\x00" * 16 + struct.pack(">H", len(self.credential_id))
        attested += self.credential_id + self._cose_key()
        auth_data = self._auth_data(UP | UV | AT, attested)
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        client = self._client_data("webauthn.create", options["challenge"], None)
        return {
            "credential_id": self.id,
            "client_data_json": b64url(client),
            "attestation_object": b64url(attestation),
            "transports": ["internal"],
        }

    def assert_(
        self,
        challenge: str,
        *,
        origin: str | None = None,
        tamper: bool = False,
        user_verified: bool = True,
    ) -> dict[str, Any]:
        """navigator.credentials.get(): the check-in's ``webauthn`` object."""
        self.sign_count += 1
        auth_data = self._auth_data(UP | (UV if user_verified else 0))
        client = self._client_data("webauthn.get", challenge, origin)
        signed = auth_data + hashlib.sha256(client).digest()
        signature = self.key.sign(signed, ec.ECDSA(hashes.SHA256()))
        if tamper:
            signature = self.key.sign(signed + b"x", ec.ECDSA(hashes.SHA256()))
        return {
            "credential_id": self.id,
            "authenticator_data": b64url(auth_data),
            "client_data_json": b64url(client),
            "signature": b64url(signature),
        }
