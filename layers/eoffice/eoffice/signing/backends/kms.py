"""Signing keys held in AWS KMS: the private key never leaves KMS, which signs the CMS signed
attributes (and, once, the certificate request) on request.

Always ``MessageType=RAW``: KMS hashes the message itself. ``DIGEST`` would save nothing (the
signed attributes are a few hundred bytes) and moto computes it wrongly, so tests could not
catch a mistake. Keys are tagged at creation with ``eoffice:purpose=document-signing`` and
``eoffice:signing-stack={stack name}`` (``SIGNING_STACK``): the template's IAM policy lets the
signing function create, tag and use only signing keys of its own stack.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from asn1crypto import csr, keys, pem, x509

from eoffice import aws
from eoffice.config import require
from eoffice.signing.backends.base import Certified, Mechanism

KeySpec = Literal["RSA_2048", "ECC_NIST_P256"]
PURPOSE_TAG = ("eoffice:purpose", "document-signing")
STACK_TAG = "eoffice:signing-stack"
"""Its value is the stack's name: another stack's function (dev, staging) cannot use the key."""

# KMS's name of the algorithm, and an upper bound of the signature's length in bytes (a P-256
# ECDSA signature is DER: two integers of up to 33 bytes each, plus headers).
_ALGORITHMS: dict[Mechanism, tuple[str, int]] = {
    "sha256_rsa": ("RSASSA_PKCS1_V1_5_SHA_256", 256),
    "sha256_ecdsa": ("ECDSA_SHA_256", 72),
}


def mechanism_of(spki: keys.PublicKeyInfo) -> Mechanism:
    """The CMS signature mechanism that fits a public key."""
    algorithm = spki.algorithm
    if algorithm == "rsa":
        return "sha256_rsa"
    if algorithm == "ec":
        return "sha256_ecdsa"
    raise ValueError(f"unsupported key algorithm {algorithm!r}")


def _kms() -> Any:
    return aws.client("kms")


def _sign_raw(kms_key_id: str, mechanism: Mechanism, data: bytes) -> bytes:
    algorithm, _ = _ALGORITHMS[mechanism]
    answer = _kms().sign(
        KeyId=kms_key_id, Message=data, MessageType="RAW", SigningAlgorithm=algorithm
    )
    return bytes(answer["Signature"])


class KmsKey(Certified):
    """A KMS key with its certificate: :class:`~eoffice.signing.backends.base.KeyMaterial`.

    One KMS ``Sign`` call per signature; nothing else reaches AWS.
    """

    def __init__(
        self, kms_key_id: str, certificate: x509.Certificate, chain: list[x509.Certificate]
    ) -> None:
        super().__init__(certificate, chain)
        self.kms_key_id = kms_key_id
        self._mechanism = mechanism_of(certificate.public_key)

    def __repr__(self) -> str:
        return f"KmsKey({self.kms_key_id!r}, {self._certificate.subject.human_friendly!r})"

    @property
    def mechanism(self) -> Mechanism:
        return self._mechanism

    @property
    def signature_size(self) -> int:
        return _ALGORITHMS[self._mechanism][1]

    def sign(self, data: bytes) -> bytes:
        return _sign_raw(self.kms_key_id, self._mechanism, data)


def create_signing_key(
    key_spec: KeySpec, description: str, tags: Mapping[str, str] | None = None
) -> str:
    """Create an asymmetric signing key in KMS; its key id. The purpose and stack tags are
    always added, in the same request (without them the function's own policy would neither let
    it create the key nor use it)."""
    all_tags = {**(tags or {}), PURPOSE_TAG[0]: PURPOSE_TAG[1], STACK_TAG: require("SIGNING_STACK")}
    answer = _kms().create_key(
        KeySpec=key_spec,
        KeyUsage="SIGN_VERIFY",
        Description=description,
        Tags=[{"TagKey": key, "TagValue": value} for key, value in all_tags.items()],
    )
    return str(answer["KeyMetadata"]["KeyId"])


def public_key(kms_key_id: str) -> keys.PublicKeyInfo:
    """The key's public half (SubjectPublicKeyInfo)."""
    der = _kms().get_public_key(KeyId=kms_key_id)["PublicKey"]
    return keys.PublicKeyInfo.load(bytes(der))


def certificate_request(kms_key_id: str, subject: Mapping[str, str]) -> bytes:
    """A PEM PKCS#10 request for the key, signed by KMS, asking for a signing certificate
    (key usage digitalSignature and nonRepudiation).

    ``subject`` uses asn1crypto's attribute names, e.g. ``common_name``, ``organization_name``,
    ``serial_number``, ``email_address``, ``country_name``. ``cryptography`` cannot sign a request
    with a key it does not hold, hence asn1crypto.
    """
    spki = public_key(kms_key_id)
    mechanism = mechanism_of(spki)
    info = csr.CertificationRequestInfo(
        {
            "version": "v1",
            "subject": x509.Name.build(dict(subject)),
            "subject_pk_info": spki,
            "attributes": [_signing_key_usage()],
        }
    )
    signature = _sign_raw(kms_key_id, mechanism, info.dump())
    request = csr.CertificationRequest(
        {
            "certification_request_info": info,
            "signature_algorithm": {"algorithm": mechanism},
            "signature": signature,
        }
    )
    return bytes(pem.armor("CERTIFICATE REQUEST", request.dump()))


def _signing_key_usage() -> csr.CRIAttribute:
    return csr.CRIAttribute(
        {
            "type": "extension_request",
            "values": [
                [
                    {
                        "extn_id": "key_usage",
                        "critical": True,
                        "extn_value": {"digital_signature", "non_repudiation"},
                    }
                ]
            ],
        }
    )
