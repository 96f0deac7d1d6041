"""The local stand-in for Cognito's token issuer, and the JWT check API Gateway would make.

In AWS, Cognito signs tokens and API Gateway's JWT authorizer verifies them against the issuer and
audience that template.yaml names. Locally, this module signs tokens with an RSA key of its own,
with the same issuer, audience and claim names (an ID token's), and verifies them the way the
authorizer does: signature, ``iss``, ``aud`` (or ``client_id``), ``exp``, ``nbf`` and ``iat``.
The key lives in ``.eoffice/`` so that ``eoffice token`` in another shell signs with it too.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

_SUBJECT_NAMESPACE = uuid.UUID("6f1c1f43-6b3e-4e2a-9d3c-2f3d0e5a7b11")
DEFAULT_TTL = 3600


class InvalidToken(Exception):
    """The token would not pass API Gateway's JWT authorizer; the reason is for logs only."""


def subject_for(username: str) -> str:
    """A stable ``sub`` per username, as Cognito gives each user one UUID for life."""
    return str(uuid.uuid5(_SUBJECT_NAMESPACE, username))


def _load_or_create_key(path: Path) -> rsa.RSAPrivateKey:
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise InvalidToken(f"{path} does not hold an RSA key")
        return key
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.touch(mode=0o600)
    path.write_bytes(pem)
    return key


@dataclass
class DevIssuer:
    """Signs and verifies tokens for one issuer URL and one app client (the audience)."""

    key: rsa.RSAPrivateKey
    issuer: str
    audience: str

    @classmethod
    def at(cls, key_path: Path, *, issuer: str, audience: str) -> DevIssuer:
        return cls(_load_or_create_key(key_path), issuer, audience)

    @property
    def kid(self) -> str:
        public = self.key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return hashlib.sha256(public).hexdigest()[:16]

    def public_jwk(self) -> dict[str, str]:
        """The verifying key as a JWKS entry, as Cognito publishes at ``/.well-known/jwks.json``."""
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"kty": "RSA", "kid": self.kid, "alg": "RS256", "use": "sig"} | {
            name: str(jwk[name]) for name in ("n", "e")
        }

    def issue(
        self,
        username: str,
        /,
        *,
        ttl: int = DEFAULT_TTL,
        email: str | None = None,
        now: float | None = None,
        **overrides: Any,
    ) -> str:
        """A signed ID token for ``username``; ``overrides`` replace claims, and an override of
        None removes the claim (tests shape access tokens and bad tokens this way)."""
        issued = int(now if now is not None else time.time())
        claims: dict[str, Any] = {
            "sub": subject_for(username),
            "iss": self.issuer,
            "aud": self.audience,
            "token_use": "id",
            "cognito:username": username,
            "auth_time": issued,
            "iat": issued,
            "exp": issued + ttl,
            "jti": str(uuid.uuid4()),
        }
        if email:
            claims["email"] = email
            claims["email_verified"] = True
        claims.update(overrides)
        claims = {name: value for name, value in claims.items() if value is not None}
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": self.kid})

    def verify(self, token: str, *, issuer: str, audiences: Iterable[str]) -> dict[str, Any]:
        """The token's claims if API Gateway's JWT authorizer would accept it."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise InvalidToken(f"malformed token: {error}") from error
        if header.get("kid") != self.kid:
            raise InvalidToken("unknown signing key")
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                self.key.public_key(),
                algorithms=["RS256"],
                issuer=issuer,
                options={"verify_aud": False, "require": ["exp", "iat", "iss"]},
            )
        except jwt.PyJWTError as error:
            raise InvalidToken(str(error)) from error
        wanted = set(audiences)
        audience = claims.get("aud", claims.get("client_id"))
        given = set(audience) if isinstance(audience, list) else {audience}
        if not wanted & given:
            raise InvalidToken("audience does not match")
        return claims


def claims_as_api_gateway_passes_them(claims: dict[str, Any]) -> dict[str, str]:
    """HTTP API hands claims to the integration as strings: numbers and booleans as text, lists
    as ``[a b]``."""
    passed: dict[str, str] = {}
    for name, value in claims.items():
        if isinstance(value, bool):
            passed[name] = "true" if value else "false"
        elif isinstance(value, list):
            passed[name] = "[" + " ".join(str(item) for item in value) + "]"
        else:
            passed[name] = str(value)
    return passed
