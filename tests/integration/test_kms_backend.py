"""The KMS signing backend on the emulator: keys tagged for signing by this stack (as the
template's policy demands of them), certificate requests signed through KMS, and signatures that
verify with the issued certificate's public key."""

from __future__ import annotations

from typing import Any

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from eoffice import aws
from eoffice.signing.backends import kms
from eoffice_local.environment import LocalEnvironment
from iam_policy import Request, allows, statements_of
from signing_support import PkiEnv

SPECS: list[kms.KeySpec] = ["RSA_2048", "ECC_NIST_P256"]
SUBJECT = {
    "country_name": "ID",
    "organization_name": "Pemerintah Kabupaten Luwu Timur",
    "serial_number": "197503082002121003",
    "common_name": "Kepala Dinas Kominfo",
}


def asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def verify(certificate: x509.Certificate, signature: bytes, data: bytes) -> None:
    """Raises InvalidSignature unless ``signature`` is the certificate's key's, over ``data``."""
    public: Any = certificate.public_key()
    if isinstance(public, rsa.RSAPublicKey):
        public.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
    else:
        assert isinstance(public, ec.EllipticCurvePublicKey)
        public.verify(signature, data, ec.ECDSA(hashes.SHA256()))


@pytest.mark.parametrize("spec", SPECS)
def test_key_is_tagged_for_signing(local_env: LocalEnvironment, spec: kms.KeySpec) -> None:
    key_id = kms.create_signing_key(spec, "uji", {"eoffice:owner": "seal"})
    client = aws.client("kms")
    metadata = client.describe_key(KeyId=key_id)["KeyMetadata"]
    assert metadata["KeyUsage"] == "SIGN_VERIFY" and metadata["KeySpec"] == spec
    tags = {t["TagKey"]: t["TagValue"] for t in client.list_resource_tags(KeyId=key_id)["Tags"]}
    assert tags == {
        "eoffice:purpose": "document-signing",
        "eoffice:signing-stack": local_env.stack.name,
        "eoffice:owner": "seal",
    }


def test_the_signing_functions_policy_allows_what_the_backend_does(
    local_env: LocalEnvironment,
) -> None:
    """The requests the backend really makes (CreateKey with its tags, then Sign and
    GetPublicKey on that key), against the policy template.yaml gives the signing function."""
    role = local_env.template.resources["SigningFunctionRole"]
    statements = [local_env.stack.resolve(s) for s in statements_of(role)]
    key_id = kms.create_signing_key("ECC_NIST_P256", "uji", {"eoffice:signing-key": "abc"})
    client = aws.client("kms")
    metadata = client.describe_key(KeyId=key_id)["KeyMetadata"]
    tags = {t["TagKey"]: t["TagValue"] for t in client.list_resource_tags(KeyId=key_id)["Tags"]}
    requested: dict[str, Any] = {f"aws:RequestTag/{k}": v for k, v in tags.items()}
    requested["aws:TagKeys"] = list(tags)
    properties = {"kms:KeyUsage": metadata["KeyUsage"], "kms:KeySpec": metadata["KeySpec"]}
    created = {**requested, **properties, "kms:KeyOrigin": "AWS_KMS", "kms:MultiRegion": "false"}
    assert allows(statements, Request("kms:CreateKey", "*", created))
    assert allows(statements, Request("kms:TagResource", metadata["Arn"], requested))
    existing = {f"aws:ResourceTag/{k}": v for k, v in tags.items()} | properties
    signing = {"kms:MessageType": "RAW", "kms:SigningAlgorithm": "ECDSA_SHA_256"}
    assert allows(statements, Request("kms:Sign", metadata["Arn"], existing | signing))
    assert allows(statements, Request("kms:GetPublicKey", metadata["Arn"], existing))


@pytest.mark.parametrize("spec", SPECS)
def test_certificate_request_is_signed_by_the_kms_key(
    local_env: LocalEnvironment, spec: kms.KeySpec
) -> None:
    key_id = kms.create_signing_key(spec, "uji")
    pem = kms.certificate_request(key_id, SUBJECT)
    assert pem.startswith(b"-----BEGIN CERTIFICATE REQUEST-----")
    request = x509.load_pem_x509_csr(pem)
    assert request.is_signature_valid
    der = kms.public_key(key_id).dump()
    assert request.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ) == serialization.load_der_public_key(der).public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    names = {a.oid._name: a.value for a in request.subject}
    assert names["commonName"] == "Kepala Dinas Kominfo"
    assert names["serialNumber"] == "197503082002121003"
    usage = request.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical and usage.value.digital_signature and usage.value.content_commitment


@pytest.mark.parametrize("spec", SPECS)
def test_kms_key_signs_what_its_certificate_verifies(
    local_env: LocalEnvironment, pki_env: PkiEnv, spec: kms.KeySpec
) -> None:
    key_id = kms.create_signing_key(spec, "uji")
    certificate = pki_env.pki.sign_csr(kms.certificate_request(key_id, SUBJECT))
    key = kms.KmsKey(key_id, asn1(certificate), [asn1(pki_env.pki.intermediate)])
    assert key.mechanism == ("sha256_rsa" if spec == "RSA_2048" else "sha256_ecdsa")
    assert key.certificate.subject.native["common_name"] == "Kepala Dinas Kominfo"
    assert [c.subject for c in key.chain] == [asn1(pki_env.pki.intermediate).subject]
    data = b"\x31\x81\xe4" + bytes(range(228))  # about the size of the CMS signed attributes
    for _ in range(3):  # ECDSA differs each time; every one must verify
        signature = key.sign(data)
        assert len(signature) <= key.signature_size
        verify(certificate, signature, data)
    with pytest.raises(InvalidSignature):
        verify(certificate, key.sign(data), data + b"x")
    assert key_id in repr(key)
