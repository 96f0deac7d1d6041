"""Signing keys on the emulator, at the service level (the signing function's app is mounted
elsewhere): an administrator creates a KMS key, has its request certified by the test PKI and
imports the chain; what does not fit the key is refused; a PKCS#12 from Secrets Manager
registers; a signer has one active key; only administrators manage keys; trust roots."""

from __future__ import annotations

import base64
import json
import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID
from eoffice import aws
from eoffice.auth import Principal
from eoffice.callers import principal_from_claims
from eoffice.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from eoffice.signing import key_store, keys
from eoffice.signing.backends import kms, pkcs12
from eoffice.signing.key_models import (
    CertificateImport,
    KeyBackend,
    KeyStatus,
    Pkcs12Registration,
    SigningKey,
    SigningKeyCreate,
    TrustRoots,
    TrustRootsUpdate,
)
from eoffice_local.aws_calls import counting
from support.api import Api
from support.nips import fresh_nip
from support.organisation import new_employee, unit_of
from support.pki import PkiEnv

_TRANSPORT = ("botocore", "urllib3")
DATA = b"\x31\x81\xe4" + bytes(range(228))  # about the size of the CMS signed attributes


@pytest.fixture(scope="module")
def admin(api: Api) -> Principal:
    return principal_from_claims({"cognito:username": "admin"})


@pytest.fixture
def keep_trust_roots(api: Api) -> Iterator[None]:
    """Put back the session's trust roots (the demo seed's) after a test that replaces them."""
    before = key_store.read_trust_roots()
    yield
    current = key_store.read_trust_roots()
    body = before[0] if before else TrustRoots(roots=[]).model_dump_json()
    key_store.write_trust_roots(body, current[1] if current else 0)
    keys._roots_cache.clear()


@pytest.fixture
def signer(api: Api) -> dict[str, Any]:
    """A fresh employee: each test owns its signer's pointer."""
    return new_employee(api, unit_of(api, "kadis.kominfo"), roles=["head"])


def create(admin: Principal, nip: str | None, spec: str = "RSA_2048") -> SigningKey:
    data = SigningKeyCreate.model_validate(
        {"owner_nip": nip, "key_spec": spec, "common_name": "Kepala Dinas Uji"}
    )
    return keys.create_kms_key(admin, data)


def certify(pki_env: PkiEnv, key: SigningKey) -> str:
    """The chain PEM the test PKI issues for the key's request."""
    assert key.csr_pem is not None
    certificate = pki_env.pki.sign_csr(key.csr_pem.encode())
    return pki_env.pki.chain_pem(certificate).decode()


def chain(text: str) -> CertificateImport:
    return CertificateImport(chain_pem=text)


def verify(material: Any, data: bytes, signature: bytes) -> None:
    """Raises unless ``signature`` verifies with the key material's certificate."""
    certificate = x509.load_der_x509_certificate(material.certificate.dump())
    public: Any = certificate.public_key()
    if isinstance(public, rsa.RSAPublicKey):
        public.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
    else:
        assert isinstance(public, ec.EllipticCurvePublicKey)
        public.verify(signature, data, ec.ECDSA(hashes.SHA256()))


def refused(error: type[DomainError], code: str, call: Any, *args: Any) -> DomainError:
    with pytest.raises(error) as caught:
        call(*args)
    assert caught.value.code == code, caught.value.detail
    return caught.value


def pem(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


# ---------------------------------------------------------------- KMS keys
@pytest.mark.parametrize("spec", ["RSA_2048", "ECC_NIST_P256"])
def test_kms_key_from_request_to_signature(
    admin: Principal, signer: dict[str, Any], pki_env: PkiEnv, spec: str
) -> None:
    nip = signer["nip"]
    key = create(admin, nip, spec)
    assert key.status is KeyStatus.awaiting_certificate and key.backend is KeyBackend.kms
    assert key.owner_nip == nip and key.key_spec == spec and key.created_by == admin.nip
    assert key.csr_pem and x509.load_pem_x509_csr(key.csr_pem.encode()).is_signature_valid
    assert f"2.5.4.5={nip}" in key.subject and "CN=Kepala Dinas Uji" in key.subject
    assert keys.key_for_signer(nip) is None  # no certificate yet: cannot sign
    refused(Conflict, "signing_key_not_active", keys.key_material, key.key_id)

    imported = keys.import_certificate(admin, key.key_id, chain(certify(pki_env, key)))
    assert imported.status is KeyStatus.active
    assert imported.issuer == pki_env.pki.intermediate.subject.rfc4514_string()
    leaf = x509.load_pem_x509_certificate((imported.certificate_pem or "").encode())
    assert imported.serial == f"{leaf.serial_number:x}"
    assert imported.not_after == leaf.not_valid_after_utc
    assert imported.chain_pem == [pem(pki_env.pki.intermediate)]
    assert keys.get_key(admin, key.key_id) == imported
    assert imported in keys.list_keys(admin)

    material = keys.key_for_signer(nip)
    assert isinstance(material, kms.KmsKey) and material.kms_key_id == key.kms_key_id
    assert material.certificate.serial_number == leaf.serial_number
    assert [c.subject.human_friendly for c in material.chain] == [
        asn1_x509.Certificate.load(
            pki_env.pki.intermediate.public_bytes(serialization.Encoding.DER)
        ).subject.human_friendly
    ]
    verify(material, DATA, material.sign(DATA))


def test_import_refuses_what_does_not_fit_the_key(
    admin: Principal, signer: dict[str, Any], pki_env: PkiEnv
) -> None:
    key, other = create(admin, signer["nip"]), create(admin, None, "ECC_NIST_P256")
    refused(
        InvalidInput,
        "certificate_not_pem",
        keys.import_certificate,
        admin,
        key.key_id,
        chain("not a certificate"),
    )
    refused(
        InvalidInput,
        "certificate_key_mismatch",
        keys.import_certificate,
        admin,
        key.key_id,
        chain(certify(pki_env, other)),
    )

    public = x509.load_pem_x509_csr((key.csr_pem or "").encode()).public_key()
    leaf = pki_env.pki.issue(public, common_name="Kepala Dinas Uji")
    broken = pem(leaf) + pem(pki_env.foreign.intermediate)
    refused(
        InvalidInput,
        "certificate_chain_broken",
        keys.import_certificate,
        admin,
        key.key_id,
        chain(broken),
    )
    past = datetime.now(UTC) - timedelta(days=400)
    expired = pki_env.pki.issue(
        public,
        common_name="Kepala Dinas Uji",
        not_before=past,
        not_after=past + timedelta(days=30),
    )
    refused(
        InvalidInput,
        "certificate_expired",
        keys.import_certificate,
        admin,
        key.key_id,
        chain(pki_env.pki.chain_pem(expired).decode()),
    )
    future = datetime.now(UTC) + timedelta(days=10)
    early = pki_env.pki.issue(public, common_name="Uji", not_before=future)
    refused(
        InvalidInput,
        "certificate_not_yet_valid",
        keys.import_certificate,
        admin,
        key.key_id,
        chain(pki_env.pki.chain_pem(early).decode()),
    )
    refused(
        InvalidInput,
        "certificate_key_usage",
        keys.import_certificate,
        admin,
        key.key_id,
        chain(_without_signing_usage(public)),
    )

    assert keys.get_key(admin, key.key_id).status is KeyStatus.awaiting_certificate
    assert keys.key_for_signer(signer["nip"]) is None


def _without_signing_usage(public: Any) -> str:
    """A chain (leaf, own CA) whose leaf may only encipher keys."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "CA Uji")])
    now = datetime.now(UTC) - timedelta(minutes=5)

    def build(subject: x509.Name, key: Any, ca: bool) -> x509.CertificateBuilder:
        return (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(ca_name)
            .public_key(key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now)
            .not_valid_after(now + timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        )

    ca = build(ca_name, ca_key.public_key(), True).sign(ca_key, hashes.SHA256())
    usage = x509.KeyUsage(False, False, True, False, False, False, False, False, False)
    leaf_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Uji")])
    leaf = build(leaf_name, public, False).add_extension(usage, critical=True)
    return pem(leaf.sign(ca_key, hashes.SHA256())) + pem(ca)


def test_a_new_key_replaces_the_signers_earlier_one(
    admin: Principal, signer: dict[str, Any], pki_env: PkiEnv
) -> None:
    nip = signer["nip"]
    first = create(admin, nip)
    keys.import_certificate(admin, first.key_id, chain(certify(pki_env, first)))
    second = create(admin, nip, "ECC_NIST_P256")
    renewed = keys.import_certificate(admin, second.key_id, chain(certify(pki_env, second)))

    assert keys.get_key(admin, first.key_id).status is KeyStatus.disabled
    material = keys.key_for_signer(nip)
    assert material is not None and material.mechanism == "sha256_ecdsa"
    assert f"{material.certificate.serial_number:x}" == renewed.serial
    refused(Conflict, "signing_key_not_active", keys.key_material, first.key_id)
    refused(
        Conflict,
        "signing_key_disabled",
        keys.import_certificate,
        admin,
        first.key_id,
        chain(certify(pki_env, first)),
    )
    # A renewed certificate for the active key keeps it active.
    again = keys.import_certificate(admin, second.key_id, chain(certify(pki_env, second)))
    assert again.status is KeyStatus.active and again.serial != renewed.serial
    assert keys.key_for_signer(nip) is not None


def test_disabled_key_no_longer_signs(
    admin: Principal, signer: dict[str, Any], pki_env: PkiEnv
) -> None:
    key = create(admin, signer["nip"])
    keys.import_certificate(admin, key.key_id, chain(certify(pki_env, key)))
    disabled = keys.disable_key(admin, key.key_id)
    assert disabled.status is KeyStatus.disabled
    assert keys.disable_key(admin, key.key_id).status is KeyStatus.disabled  # harmless twice
    assert keys.key_for_signer(signer["nip"]) is None
    refused(Conflict, "signing_key_not_active", keys.key_material, key.key_id)
    refused(NotFound, "signing_key_not_found", keys.key_material, "nope")
    refused(NotFound, "signing_key_not_found", keys.get_key, admin, "nope")


def test_seal_key_has_no_owner_and_signs_by_id(admin: Principal, pki_env: PkiEnv) -> None:
    seal = create(admin, None)
    assert seal.owner_nip is None and "serialNumber" not in seal.subject
    keys.import_certificate(admin, seal.key_id, chain(certify(pki_env, seal)))
    material = keys.key_material(seal.key_id)
    verify(material, DATA, material.sign(DATA))


def test_owner_must_be_an_employee(admin: Principal) -> None:
    refused(NotFound, "employee_not_found", create, admin, fresh_nip())


# ---------------------------------------------------------------- PKCS#12
def _secret(pki_env: PkiEnv, password: str, *, prefix: str | None = None) -> tuple[str, Any]:
    private, certificate = pki_env.signer("Sekretaris Uji", "ec")
    blob = pki_env.pki.pkcs12(private, certificate, password.encode())
    name = (prefix or f"eoffice/{os.environ['STAGE']}/signing/") + uuid.uuid4().hex
    body = {"pkcs12": base64.b64encode(blob).decode(), "password": password}
    aws.client("secretsmanager").create_secret(Name=name, SecretString=json.dumps(body))
    return name, certificate


def test_pkcs12_from_secrets_manager_registers_and_signs(
    admin: Principal, signer: dict[str, Any], pki_env: PkiEnv
) -> None:
    password = "rahasia-" + uuid.uuid4().hex
    name, certificate = _secret(pki_env, password)
    data = Pkcs12Registration(owner_nip=signer["nip"], secret_name=name)
    key = keys.register_pkcs12(admin, data)
    assert key.backend is KeyBackend.pkcs12 and key.status is KeyStatus.active
    assert key.key_spec == "ECC_NIST_P256" and key.serial == f"{certificate.serial_number:x}"
    assert key.chain_pem == [pem(pki_env.pki.intermediate)] and key.secret_name == name

    material = keys.key_for_signer(signer["nip"])
    assert material is not None and material.mechanism == "sha256_ecdsa"
    verify(material, DATA, material.sign(DATA))
    assert keys.key_for_signer(signer["nip"]) is material  # loaded once per secret version
    assert password not in repr(material) and password not in key.model_dump_json()

    # A new version with the same key and certificate (a new password) is picked up.
    client = aws.client("secretsmanager")
    same = json.loads(client.get_secret_value(SecretId=name)["SecretString"])
    client.put_secret_value(SecretId=name, SecretString=json.dumps(same))
    reloaded = keys.key_for_signer(signer["nip"])
    assert reloaded is not None and reloaded is not material
    assert reloaded.certificate.serial_number == certificate.serial_number

    # Rotated to another key and certificate: refused until an admin registers it again.
    private, rotated = pki_env.signer("Sekretaris Uji", "ec")
    blob = base64.b64encode(pki_env.pki.pkcs12(private, rotated, b"baru")).decode()
    client.put_secret_value(
        SecretId=name, SecretString=json.dumps({"pkcs12": blob, "password": "baru"})
    )
    refused(Conflict, "signing_key_changed", keys.key_for_signer, signer["nip"])
    again = keys.register_pkcs12(admin, data)
    assert again.serial == f"{rotated.serial_number:x}"
    material = keys.key_for_signer(signer["nip"])
    assert material is not None and material.certificate.serial_number == rotated.serial_number


def test_pkcs12_exported_root_first_with_extra_certificates_registers(
    admin: Principal, signer: dict[str, Any], pki_env: PkiEnv
) -> None:
    from cryptography.hazmat.primitives.serialization import pkcs12 as pyca_pkcs12

    private, certificate = pki_env.signer("Bendahara Uji", "rsa")
    stranger = pki_env.foreign.root
    extra = [pki_env.pki.root, stranger, pki_env.pki.intermediate, pki_env.pki.intermediate]
    blob = pyca_pkcs12.serialize_key_and_certificates(
        b"signer", private, certificate, extra, serialization.BestAvailableEncryption(b"p12")
    )
    name = f"eoffice/{os.environ['STAGE']}/signing/" + uuid.uuid4().hex
    body = {"pkcs12": base64.b64encode(blob).decode(), "password": "p12"}
    aws.client("secretsmanager").create_secret(Name=name, SecretString=json.dumps(body))

    key = keys.register_pkcs12(admin, Pkcs12Registration(owner_nip=signer["nip"], secret_name=name))
    assert key.chain_pem == [pem(pki_env.pki.intermediate), pem(pki_env.pki.root)]
    material = keys.key_for_signer(signer["nip"])
    assert material is not None
    verify(material, DATA, material.sign(DATA))


def test_pkcs12_that_cannot_be_used_is_refused(
    admin: Principal, pki_env: PkiEnv, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    password = "rahasia-" + uuid.uuid4().hex
    name, _ = _secret(pki_env, password)
    client = aws.client("secretsmanager")
    client.put_secret_value(
        SecretId=name,
        SecretString=json.dumps(
            {
                **json.loads(client.get_secret_value(SecretId=name)["SecretString"]),
                "password": password + "-salah",
            }
        ),
    )
    pkcs12.forget()
    error = refused(
        InvalidInput,
        "pkcs12_unreadable",
        keys.register_pkcs12,
        admin,
        Pkcs12Registration(secret_name=name),
    )
    assert password not in str(error) and password not in repr(error.extra)
    # botocore's own DEBUG lines carry request and answer bodies: outside this code's reach.
    ours = [r.getMessage() for r in caplog.records if not r.name.startswith(_TRANSPORT)]
    assert not [line for line in ours if password in line]
    assert error.__cause__ is None and error.__suppress_context__

    stage = os.environ["STAGE"]
    outside, _ = _secret(pki_env, password, prefix="lain/")
    refused(
        InvalidInput,
        "secret_outside_prefix",
        keys.register_pkcs12,
        admin,
        Pkcs12Registration(secret_name=outside),
    )
    missing = f"eoffice/{stage}/signing/tidak-ada"
    refused(
        InvalidInput,
        "pkcs12_secret_not_found",
        keys.register_pkcs12,
        admin,
        Pkcs12Registration(secret_name=missing),
    )
    garbage = f"eoffice/{stage}/signing/{uuid.uuid4().hex}"
    client.create_secret(Name=garbage, SecretString='{"pkcs12": "###"}')
    refused(
        InvalidInput,
        "pkcs12_secret_malformed",
        keys.register_pkcs12,
        admin,
        Pkcs12Registration(secret_name=garbage),
    )


# ---------------------------------------------------------------- who may
def test_only_administrators_manage_keys(api: Api, admin: Principal, pki_env: PkiEnv) -> None:
    key = create(admin, None)
    for username in ("staf.kominfo", "kadis.kominfo", "bupati"):
        someone = principal_from_claims({"cognito:username": username})
        calls: list[tuple[Any, ...]] = [
            (keys.create_kms_key, someone, SigningKeyCreate(common_name="Uji")),
            (keys.list_keys, someone),
            (keys.get_key, someone, key.key_id),
            (keys.import_certificate, someone, key.key_id, chain(certify(pki_env, key))),
            (keys.register_pkcs12, someone, Pkcs12Registration(secret_name="x")),
            (keys.disable_key, someone, key.key_id),
            (
                keys.replace_trust_roots,
                someone,
                TrustRootsUpdate(pems=[pki_env.pki.root_pem.decode()]),
            ),
        ]
        for call, *args in calls:
            refused(Forbidden, "role_required", call, *args)
    assert keys.get_key(admin, key.key_id).status is KeyStatus.awaiting_certificate


# ---------------------------------------------------------------- trust roots
@pytest.mark.usefixtures("keep_trust_roots")
def test_trust_roots_are_replaced_and_read(admin: Principal, pki_env: PkiEnv) -> None:
    own, foreign = pki_env.pki.root_pem.decode(), pem(pki_env.foreign.root)
    replaced = keys.replace_trust_roots(admin, TrustRootsUpdate(pems=[own, foreign, own]))
    assert [root.pem for root in replaced.roots] == [own, foreign]  # duplicates dropped
    assert replaced.updated_by == admin.nip
    assert keys.get_trust_roots(admin) == replaced
    assert [r.dump() for r in keys.trust_roots()] == [
        pki_env.pki.root.public_bytes(serialization.Encoding.DER),
        pki_env.foreign.root.public_bytes(serialization.Encoding.DER),
    ]

    refused(
        InvalidInput,
        "trust_root_not_self_signed",
        keys.replace_trust_roots,
        admin,
        TrustRootsUpdate(pems=[pem(pki_env.pki.intermediate)]),
    )
    _, leaf = pki_env.signer("Bukan CA")
    refused(
        InvalidInput,
        "trust_root_not_self_signed",
        keys.replace_trust_roots,
        admin,
        TrustRootsUpdate(pems=[pem(leaf)]),
    )
    refused(
        InvalidInput,
        "trust_root_not_ca",
        keys.replace_trust_roots,
        admin,
        TrustRootsUpdate(pems=[_self_signed_leaf()]),
    )
    refused(
        InvalidInput,
        "trust_root_not_pem",
        keys.replace_trust_roots,
        admin,
        TrustRootsUpdate(pems=["-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"]),
    )

    mine = keys.replace_trust_roots(admin, TrustRootsUpdate(pems=[own]))
    assert len(mine.roots) == 1 and len(keys.trust_roots()) == 1  # the cache follows a change


def _self_signed_leaf() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Bukan CA")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return pem(certificate)


# ---------------------------------------------------------------- a letter signed through KMS
@pytest.mark.usefixtures("keep_trust_roots")
@pytest.mark.parametrize("spec", ["RSA_2048", "ECC_NIST_P256"])
def test_kms_key_signs_a_letter_that_verifies_as_trusted(
    admin: Principal, signer: dict[str, Any], pki_env: PkiEnv, spec: str
) -> None:
    from eoffice.signing.pades import sign_pdf
    from eoffice.signing.pades_models import VisibleSignature
    from eoffice.signing.verify import verify_pdf
    from support.pdfs import one_page_pdf

    key = create(admin, signer["nip"], spec)
    keys.import_certificate(admin, key.key_id, chain(certify(pki_env, key)))
    keys.replace_trust_roots(admin, TrustRootsUpdate(pems=[pki_env.pki.root_pem.decode()]))
    material = keys.key_for_signer(signer["nip"])
    assert material is not None
    visible = VisibleSignature(
        verify_url="https://eoffice.luwutimurkab.go.id/verify/uji",
        signer_name=signer["name"],
        position="Kepala Dinas Uji",
        signed_at_text="28 November 2026 16:14 WITA",
    )
    with counting() as calls:
        signed = sign_pdf(one_page_pdf(), material, tsa_url=pki_env.tsa_url, visible=visible)
    assert dict(calls) == {"kms:Sign": 1}  # one remote call per signature, nothing else

    report = verify_pdf(signed.pdf, keys.trust_roots())
    assert report.signature_count == 1 and report.all_valid, report
    (entry,) = report.signatures
    assert entry.intact and entry.valid and entry.trusted and not entry.modified_after_signing
    assert entry.timestamp is not None and entry.timestamp.trusted
    assert entry.signer is not None and entry.signer.serial_number == signer["nip"]
    foreign = pki_env.foreign.root.public_bytes(serialization.Encoding.DER)
    assert verify_pdf(signed.pdf, [asn1_x509.Certificate.load(foreign)]).all_valid is False


# ---------------------------------------------------------------- over HTTP
def test_admin_routes(api: Api, pki_env: PkiEnv) -> None:
    made = api.post("/signing/keys", user="admin", json_body={"common_name": "Segel Uji"})
    assert made.status == 201, made.body
    key = made.json
    assert key["status"] == "awaiting_certificate" and key["owner_nip"] is None
    assert key["csr_pem"].startswith("-----BEGIN CERTIFICATE REQUEST-----")
    path = f"/signing/keys/{key['key_id']}"
    assert api.get(path, user="admin").json == key
    assert key["key_id"] in [k["key_id"] for k in api.get("/signing/keys", user="admin").json]

    issued = pki_env.pki.sign_csr(key["csr_pem"].encode())
    body = {"chain_pem": pki_env.pki.chain_pem(issued).decode()}
    imported = api.call("PUT", f"{path}/certificate", user="admin", json_body=body)
    assert imported.status == 200, imported.body
    assert (
        imported.json["status"] == "active"
        and imported.json["serial"] == f"{issued.serial_number:x}"
    )
    wrong = api.call("PUT", f"{path}/certificate", user="admin", json_body={"chain_pem": "x"})
    assert wrong.status == 422 and wrong.json["code"] == "certificate_not_pem"
    disabled = api.post(f"{path}/disable", user="admin")
    assert disabled.status == 200 and disabled.json["status"] == "disabled"
    assert api.get("/signing/keys/nope", user="admin").json["code"] == "signing_key_not_found"

    for answer in (
        api.post("/signing/keys", user="staf.kominfo", json_body={"common_name": "Uji"}),
        api.get("/signing/keys", user="kadis.kominfo"),
        api.post(f"{path}/disable", user="bupati"),
        api.call("PUT", "/signing/trust-roots", user="staf.kominfo", json_body={"pems": ["x"]}),
    ):
        assert answer.status == 403 and answer.json["code"] == "role_required", answer.body
    roots = api.get("/signing/trust-roots", user="staf.kominfo")
    assert roots.status == 200 and isinstance(roots.json["roots"], list)
    assert api.get("/signing/keys").status == 401
