"""What a certificate must be to sign letters or to be trusted, judged on the certificate alone
(no store, no key service): an administrator's import is refused with the reason and a code.

- a signer's chain: each certificate issued by the next, which is a CA; the leaf valid now,
  allowed to sign (digitalSignature or nonRepudiation) and not a CA itself;
- a trust root: a self-signed CA certificate.
"""

from __future__ import annotations

import itertools
from datetime import datetime

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from eoffice.errors import InvalidInput


def require_root(certificate: x509.Certificate) -> None:
    """A trust root: self-signed, and a CA."""
    require_issued(certificate, certificate, "is not self-signed", "trust_root_not_self_signed")
    require_ca(certificate, "trust_root_not_ca")


def require_issued(child: x509.Certificate, parent: x509.Certificate, says: str, code: str) -> None:
    """``child`` carries ``parent``'s signature (else 422 saying so, with ``code``)."""
    try:
        child.verify_directly_issued_by(parent)
    except (ValueError, TypeError, InvalidSignature):
        raise InvalidInput(f"{child.subject.rfc4514_string()} {says}", code=code) from None


def require_ca(certificate: x509.Certificate, code: str) -> None:
    """Only a CA certificate may issue another."""
    if not is_ca(certificate):
        raise InvalidInput(
            f"{certificate.subject.rfc4514_string()} is not a CA certificate", code=code
        )


def parse_pems(text: str, *, code: str) -> list[x509.Certificate]:
    """The certificates of a PEM text, in order; at least one."""
    try:
        certificates = x509.load_pem_x509_certificates(text.encode())
    except ValueError:
        certificates = []
    if not certificates:
        raise InvalidInput("expected PEM certificates (-----BEGIN CERTIFICATE-----)", code=code)
    return certificates


def require_can_sign(chain: list[x509.Certificate], now: datetime) -> None:
    """The leaf can sign now, and each certificate is issued by the next one."""
    for child, parent in itertools.pairwise(chain):
        broken = "certificate_chain_broken"
        require_issued(child, parent, "is not issued by the next certificate", broken)
        require_ca(parent, broken)
    require_leaf_can_sign(chain[0], now)


def require_leaf_can_sign(leaf: x509.Certificate, now: datetime) -> None:
    """The certificate that signs letters: valid at ``now``, allowed to sign, not a CA."""
    if leaf.not_valid_after_utc <= now:
        raise InvalidInput("the certificate has expired", code="certificate_expired")
    if leaf.not_valid_before_utc > now:
        raise InvalidInput("the certificate is not valid yet", code="certificate_not_yet_valid")
    try:
        usage = leaf.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        usage = None
    if usage is None or not (usage.digital_signature or usage.content_commitment):
        raise InvalidInput(
            "the certificate does not allow signing (digitalSignature, nonRepudiation)",
            code="certificate_key_usage",
        )
    if is_ca(leaf):
        raise InvalidInput("a CA certificate cannot sign letters", code="certificate_key_usage")


def is_ca(certificate: x509.Certificate) -> bool:
    """The certificate's basic constraints say CA (absent: not a CA)."""
    try:
        return bool(certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


def key_spec(certificate: x509.Certificate) -> str:
    """The key's type as KMS names it (RSA_2048, ECC_NIST_P256...); RSA or EC only."""
    key = certificate.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        return f"RSA_{key.key_size}"
    if isinstance(key, ec.EllipticCurvePublicKey):
        return {"secp256r1": "ECC_NIST_P256", "secp384r1": "ECC_NIST_P384"}.get(
            key.curve.name, f"EC_{key.curve.name}"
        )
    raise InvalidInput("the certificate's key is neither RSA nor EC", code="unsupported_key")
