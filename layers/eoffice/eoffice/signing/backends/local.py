"""A private key held in this process: loaded once from a PKCS#12 (Secrets Manager) or PEM.

Kept as a ``cryptography`` key object because re-parsing an RSA key repeats its consistency
checks on every signature (pyHanko's stock ``SimpleSigner`` does it twice per call; the cost is
in docs/performance.md, Signing).
"""

from __future__ import annotations

from collections.abc import Sequence

from asn1crypto import x509
from cryptography import x509 as pyca_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12

from eoffice.signing.backends.base import Certified, Mechanism

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


class LocalKey(Certified):
    """:class:`~eoffice.signing.backends.base.KeyMaterial` over an in-memory key (RSA or EC)."""

    __slots__ = ("_key",)

    def __init__(
        self, key: PrivateKey, certificate: x509.Certificate, chain: Sequence[x509.Certificate]
    ) -> None:
        if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
            raise TypeError("only RSA and EC keys can sign letters")
        if _public_der(key) != certificate.public_key.dump():
            raise ValueError("the certificate does not belong to this key")
        super().__init__(certificate, chain)
        self._key = key

    @classmethod
    def from_pkcs12(cls, blob: bytes, password: bytes | None) -> LocalKey:
        """Open a PKCS#12 (key, certificate, CA certificates in any order)."""
        try:
            key, cert, extra = pkcs12.load_key_and_certificates(blob, password)
        except ValueError:
            # cryptography's message names no secret, but say it our way and drop the chain.
            raise ValueError("PKCS#12 cannot be opened: wrong password or damaged data") from None
        if key is None or cert is None:
            raise ValueError("PKCS#12 holds no private key with its certificate")
        if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
            raise ValueError("PKCS#12 key is neither RSA nor EC")
        own = _to_asn1(cert)
        return cls(key, own, _ordered_chain(own, [_to_asn1(c) for c in extra]))

    @classmethod
    def from_pem(
        cls, key_pem: bytes, cert_pem: bytes, chain_pem: bytes = b"", password: bytes | None = None
    ) -> LocalKey:
        """Load a PEM key, its certificate, and the CA certificates (concatenated PEM)."""
        key = serialization.load_pem_private_key(key_pem, password)
        if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
            raise ValueError("PEM key is neither RSA nor EC")
        own = _to_asn1(pyca_x509.load_pem_x509_certificate(cert_pem))
        extra = (
            [_to_asn1(c) for c in pyca_x509.load_pem_x509_certificates(chain_pem)]
            if chain_pem
            else []
        )
        return cls(key, own, _ordered_chain(own, extra))

    @property
    def mechanism(self) -> Mechanism:
        return "sha256_rsa" if isinstance(self._key, rsa.RSAPrivateKey) else "sha256_ecdsa"

    @property
    def signature_size(self) -> int:
        if isinstance(self._key, rsa.RSAPrivateKey):
            return (self._key.key_size + 7) // 8
        # DER ECDSA-Sig-Value: two INTEGERs of up to n+1 bytes, and the headers.
        return 2 * ((self._key.curve.key_size + 7) // 8 + 3) + 3

    def sign(self, data: bytes) -> bytes:
        if isinstance(self._key, rsa.RSAPrivateKey):
            return self._key.sign(data, padding.PKCS1v15(), hashes.SHA256())
        return self._key.sign(data, ec.ECDSA(hashes.SHA256()))

    def __repr__(self) -> str:
        return f"LocalKey({self._certificate.subject.human_friendly!r}, {self.mechanism})"


def _public_der(key: PrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _to_asn1(cert: pyca_x509.Certificate) -> x509.Certificate:
    return x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _ordered_chain(
    leaf: x509.Certificate, others: Sequence[x509.Certificate]
) -> list[x509.Certificate]:
    """The issuers of ``leaf`` one by one (intermediate first, a root last): a PKCS#12 or PEM
    bundle may list them in any order, repeat them or carry unrelated certificates, which are
    left out (asn1crypto's ``self_signed`` is the string "no"/"maybe", so names decide)."""
    chain: list[x509.Certificate] = []
    seen = {leaf.sha256}
    current = leaf
    while not _self_issued(current):
        issuer = _issuer_of(current, [c for c in others if c.sha256 not in seen])
        if issuer is None:
            break
        chain.append(issuer)
        seen.add(issuer.sha256)
        current = issuer
    return chain


def _self_issued(cert: x509.Certificate) -> bool:
    return bool(cert.issuer == cert.subject)


def _issuer_of(
    cert: x509.Certificate, candidates: Sequence[x509.Certificate]
) -> x509.Certificate | None:
    """The candidate named as ``cert``'s issuer; with several, the one whose key identifier
    matches ``cert``'s authority key identifier (a renewed CA keeps its name)."""
    named = [c for c in candidates if c.subject == cert.issuer]
    wanted = cert.authority_key_identifier
    for candidate in named:
        if wanted is not None and candidate.key_identifier == wanted:
            return candidate
    return named[0] if named else None
