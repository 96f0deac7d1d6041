"""Signing keys held in AWS KMS: the private key never leaves KMS, which signs the CMS signed
attributes (and, once, the certificate request) on request.

Always ``MessageType=RAW``: KMS hashes the message itself. ``DIGEST`` would save nothing (the
signed attributes are a few hundred bytes) and moto computes it wrongly, so tests could not
catch a mistake.

Who may sign is the key's own policy, written in the CreateKey request (:func:`key_policy`): the
signing function's role (``SIGNING_ROLE_ARN``) signs and reads the public key, the account
administers the key through IAM, and nobody else signs. The role's IAM policy grants no use of
any key, so a key made outside e-Office, whose policy does not name the role, never signs for it,
however it is tagged (KMS has no "created by" condition; the key policy is that binding). Keys
are also tagged ``eoffice:purpose=document-signing`` and ``eoffice:signing-stack={stack name}``
(``SIGNING_STACK``), which the IAM policy demands of a key the function creates.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Literal

from asn1crypto import csr, keys, pem, x509

from eoffice import aws, settings
from eoffice.signing.backends.base import Certified, Mechanism

KeySpec = Literal["RSA_2048", "ECC_NIST_P256"]
PURPOSE_TAG = ("eoffice:purpose", "document-signing")
STACK_TAG = "eoffice:signing-stack"
"""Its value is the stack's name: which stack's signing function made the key."""

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


def key_policy(role_arn: str) -> dict[str, Any]:
    """The key policy of a signing key used by the signing function's role ``role_arn``.

    - The account (``…:root``) may do everything through IAM, as in KMS's default key policy:
      operators administer the key (and may change this policy), so it never becomes
      unmanageable.
    - The role signs, over the raw message with the two algorithms the code uses, and reads the
      public key. A key policy naming a principal of its own account is enough on its own; the
      role's IAM policy grants no use of any key.
    - Nobody else signs, whatever his IAM policy: an officer's signature comes only from this
      system. Changing that takes a PutKeyPolicy, which the role does not have and CloudTrail
      records.

    KMS keeps the role's unique id, not its name: a role deleted and made again under the same
    name does not sign until an operator puts this policy again (README, "Deploying to AWS").
    """
    partition, account = role_arn.split(":")[1], role_arn.split(":")[4]
    algorithms = sorted(name for name, _ in _ALGORITHMS.values())
    return {
        "Version": "2012-10-17",
        "Id": "eoffice-signing-key",
        "Statement": [
            {
                "Sid": "AccountAdministersThroughIam",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:{partition}:iam::{account}:root"},
                "Action": "kms:*",
                "Resource": "*",
            },
            {
                "Sid": "SigningFunctionSigns",
                "Effect": "Allow",
                "Principal": {"AWS": role_arn},
                "Action": "kms:Sign",
                "Resource": "*",
                "Condition": {
                    "StringEquals": {"kms:MessageType": "RAW", "kms:SigningAlgorithm": algorithms}
                },
            },
            {
                "Sid": "SigningFunctionReadsThePublicKey",
                "Effect": "Allow",
                "Principal": {"AWS": role_arn},
                "Action": "kms:GetPublicKey",
                "Resource": "*",
            },
            {
                "Sid": "NobodyElseSigns",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "kms:Sign",
                "Resource": "*",
                "Condition": {"ArnNotEquals": {"aws:PrincipalArn": role_arn}},
            },
        ],
    }


def create_signing_key(
    key_spec: KeySpec, description: str, tags: Mapping[str, str] | None = None
) -> str:
    """Create an asymmetric signing key in KMS with :func:`key_policy` for this function's role;
    its key id. The purpose and stack tags are always added, in the same request (without them
    the function's IAM policy would not let it create the key).

    ``BypassPolicyLockoutSafetyCheck``: without it KMS refuses a policy that does not let the
    caller put a key policy later, and the role must not have ``kms:PutKeyPolicy`` (it could
    rewrite any key's policy to sign with it). The account's statement keeps the key manageable.
    """
    all_tags = {
        **(tags or {}),
        PURPOSE_TAG[0]: PURPOSE_TAG[1],
        STACK_TAG: settings.resource("SIGNING_STACK"),
    }
    answer = _kms().create_key(
        KeySpec=key_spec,
        KeyUsage="SIGN_VERIFY",
        Description=description,
        Policy=json.dumps(key_policy(settings.resource("SIGNING_ROLE_ARN"))),
        BypassPolicyLockoutSafetyCheck=True,
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
