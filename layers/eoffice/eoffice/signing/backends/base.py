"""The two shapes a signing backend takes.

KMS and PKCS#12 hold a key that signs bytes: the PDF and its CMS are built here, and the key
signs only the CMS signed attributes (:class:`KeyMaterial`). BSrE signs a whole PDF itself on
its own service (:mod:`eoffice.signing.backends.bsre`), so it has its own client instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, Protocol

from asn1crypto import x509
from botocore.exceptions import BotoCoreError, ClientError

Mechanism = Literal["sha256_rsa", "sha256_ecdsa"]

SERVICE_ERRORS: tuple[type[Exception], ...] = (ClientError, BotoCoreError)
"""What a key held in AWS (KMS, or a PKCS#12 file in Secrets Manager) raises when its service
fails: the caller answers that the key could not sign, whatever the SDK's reason."""


class KeyMaterial(Protocol):
    """A signer's certificate and a private key that can sign (never leaves its backend)."""

    @property
    def certificate(self) -> x509.Certificate:
        """The signer's own certificate."""
        ...

    @property
    def chain(self) -> list[x509.Certificate]:
        """The issuing CA certificates, intermediate first (the root may be left out)."""
        ...

    @property
    def mechanism(self) -> Mechanism:
        """The CMS signature algorithm: SHA-256 with the key's type."""
        ...

    @property
    def signature_size(self) -> int:
        """An upper bound of one signature's length in bytes (for the reserved space)."""
        ...

    def sign(self, data: bytes) -> bytes:
        """Sign ``data`` (SHA-256 is applied by the backend: KMS ``MessageType=RAW``)."""
        ...


class Certified:
    """The certificate half of a :class:`KeyMaterial`, shared by the key backends."""

    __slots__ = ("_certificate", "_chain")

    def __init__(self, certificate: x509.Certificate, chain: Sequence[x509.Certificate]) -> None:
        self._certificate = certificate
        self._chain = list(chain)

    @property
    def certificate(self) -> x509.Certificate:
        return self._certificate

    @property
    def chain(self) -> list[x509.Certificate]:
        return list(self._chain)
