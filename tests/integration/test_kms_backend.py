"""The KMS signing backend on the emulator: keys tagged for signing by this stack (as the
template's policy demands of them) with a key policy that lets the signing function's role alone
sign, certificate requests signed through KMS, and signatures that verify with the issued
certificate's public key.

moto stores the key policy sent at CreateKey and answers it to GetKeyPolicy, but does not enforce
it (it only applies a Deny of DescribeKey): whether a request is allowed is decided here by
``iam_policy.kms_allows`` over the policies read back from the emulator."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
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
from support.iam_policy import (
    Request,
    account_root,
    allows,
    kms_allows,
    principals_of,
    statements_of,
)
from support.pki import PkiEnv

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


def _role(local_env: LocalEnvironment) -> str:
    """The signing function's role ARN, as the stack resolves it."""
    return str(local_env.stack.resolve({"Fn::GetAtt": ["SigningFunctionRole", "Arn"]}))


def _identity(local_env: LocalEnvironment) -> list[dict[str, Any]]:
    role = local_env.template.resources["SigningFunctionRole"]
    return [local_env.stack.resolve(s) for s in statements_of(role)]


def _key(key_id: str) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """A key as KMS authorises a request on it: its ARN, key policy, and the request context
    its tags and properties give."""
    client = aws.client("kms")
    metadata = client.describe_key(KeyId=key_id)["KeyMetadata"]
    policy = json.loads(client.get_key_policy(KeyId=key_id, PolicyName="default")["Policy"])
    tags = client.list_resource_tags(KeyId=key_id)["Tags"]
    context: dict[str, Any] = {f"aws:ResourceTag/{t['TagKey']}": t["TagValue"] for t in tags}
    context |= {"kms:KeyUsage": metadata["KeyUsage"], "kms:KeySpec": metadata["KeySpec"]}
    return metadata["Arn"], policy, context


def _sign(arn: str, key: dict[str, Any]) -> Request:
    signing = {"kms:MessageType": "RAW", "kms:SigningAlgorithm": "ECDSA_SHA_256"}
    return Request("kms:Sign", arn, key | signing)


@contextmanager
def _sent(operation: str) -> Iterator[list[dict[str, Any]]]:
    """The parameters of each ``operation`` request the KMS client sends meanwhile."""
    events, name = aws.client("kms").meta.events, f"provide-client-params.kms.{operation}"
    sent: list[dict[str, Any]] = []

    def record(params: dict[str, Any], **_: Any) -> None:
        sent.append(dict(params))

    events.register(name, record)
    try:
        yield sent
    finally:
        events.unregister(name, record)


def test_the_signing_functions_policy_allows_what_the_backend_does(
    local_env: LocalEnvironment,
) -> None:
    """The requests the backend really makes (CreateKey with its tags, then Sign and
    GetPublicKey on that key), against the role's policy template.yaml declares and the key's
    policy read back from KMS."""
    identity, role = _identity(local_env), _role(local_env)
    key_id = kms.create_signing_key("ECC_NIST_P256", "uji", {"eoffice:signing-key": "abc"})
    arn, policy, key = _key(key_id)
    tags = {k.removeprefix("aws:ResourceTag/"): v for k, v in key.items() if "Tag/" in k}
    requested: dict[str, Any] = {f"aws:RequestTag/{k}": v for k, v in tags.items()}
    requested["aws:TagKeys"] = list(tags)
    properties = {"kms:KeyUsage": key["kms:KeyUsage"], "kms:KeySpec": key["kms:KeySpec"]}
    created = {**requested, **properties, "kms:KeyOrigin": "AWS_KMS", "kms:MultiRegion": "false"}
    assert allows(identity, Request("kms:CreateKey", "*", created))
    assert allows(identity, Request("kms:TagResource", arn, requested))
    assert kms_allows(policy, identity, role, _sign(arn, key))
    assert kms_allows(policy, identity, role, Request("kms:GetPublicKey", arn, key))


def test_the_key_policy_sent_names_exactly_the_signing_role_and_the_account(
    local_env: LocalEnvironment,
) -> None:
    role = _role(local_env)
    with _sent("CreateKey") as sent:
        key_id = kms.create_signing_key("RSA_2048", "uji")
    arn, policy, key = _key(key_id)
    assert principals_of(policy) == {role, account_root(role)}
    (request,) = sent
    assert json.loads(request["Policy"]) == policy
    # The role may not change a key policy, so KMS's lockout check (may the caller put a key
    # policy afterwards?) is bypassed; the account's statement keeps the key manageable.
    assert request["BypassPolicyLockoutSafetyCheck"] is True
    operator = f"arn:aws:iam::{local_env.stack.account_id}:role/Administrator"
    administrator = [{"Effect": "Allow", "Action": "kms:*", "Resource": "*"}]
    assert kms_allows(policy, administrator, operator, Request("kms:PutKeyPolicy", arn, key))
    assert not kms_allows(policy, administrator, operator, _sign(arn, key))


def test_a_key_made_outside_eoffice_does_not_sign_untagged_or_tagged(
    local_env: LocalEnvironment,
) -> None:
    """(a) A signing key made outside e-Office (KMS's default key policy), untagged; (b) the same
    key once tagged as this stack's, as the role's kms:TagResource still permits."""
    identity, role = _identity(local_env), _role(local_env)
    client = aws.client("kms")
    made = client.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]
    arn, policy, untagged = _key(made["KeyId"])
    assert principals_of(policy) == {account_root(role)}
    assert not kms_allows(policy, identity, role, _sign(arn, untagged))

    tags = {"eoffice:purpose": "document-signing", "eoffice:signing-stack": local_env.stack.name}
    requested: dict[str, Any] = {f"aws:RequestTag/{k}": v for k, v in tags.items()}
    tagging = Request("kms:TagResource", arn, untagged | requested | {"aws:TagKeys": list(tags)})
    assert kms_allows(policy, identity, role, tagging)
    client.tag_resource(KeyId=arn, Tags=[{"TagKey": k, "TagValue": v} for k, v in tags.items()])
    arn, policy, tagged = _key(arn)
    assert tagged["aws:ResourceTag/eoffice:signing-stack"] == local_env.stack.name
    assert not kms_allows(policy, identity, role, _sign(arn, tagged))
    assert not kms_allows(policy, identity, role, Request("kms:GetPublicKey", arn, tagged))


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
