"""Signing keys: which key signs for whom, how an administrator sets one up, and the trust roots
verification accepts.

A KMS key is created with a certificate request; the administrator has it certified (by BSrE
or the configured authority) and imports the chain, which is checked against the key before the
key becomes the signer's one active key. A PKCS#12 in Secrets Manager is registered ready-made.
The institution's seal is a key without an owner, referenced by its id (``SEAL_SIGNER_ID``).
"""

from __future__ import annotations

import threading
import time
import uuid

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

from eoffice import clock, settings
from eoffice.auth import Principal, require_role
from eoffice.errors import Conflict, InvalidInput, NotFound
from eoffice.org.models import Role
from eoffice.signing import certificate_rules, key_store
from eoffice.signing.backends import kms, pkcs12
from eoffice.signing.backends.base import KeyMaterial
from eoffice.signing.key_models import (
    CertificateImport,
    KeyBackend,
    KeyStatus,
    Pkcs12Registration,
    SigningKey,
    SigningKeyCreate,
    TrustRoot,
    TrustRoots,
    TrustRootsUpdate,
)

TRUST_ROOTS_TTL = 60.0  # seconds a process keeps the trust roots it read


# ---------------------------------------------------------------- administration
def create_kms_key(principal: Principal, data: SigningKeyCreate) -> SigningKey:
    """A new KMS key and its certificate request; the key waits for its certificate."""
    require_role(principal, Role.admin)
    _require_employee(data.owner_nip)
    key_id = uuid.uuid4().hex
    kms_key_id = kms.create_signing_key(
        data.key_spec,
        f"eoffice signing key {key_id}",
        {"eoffice:signing-key": key_id, "eoffice:owner": data.owner_nip or "seal"},
    )
    csr_pem = kms.certificate_request(kms_key_id, _subject(data)).decode()
    subject = x509.load_pem_x509_csr(csr_pem.encode()).subject.rfc4514_string()
    now = clock.utcnow()
    key = SigningKey(
        key_id=key_id,
        owner_nip=data.owner_nip,
        backend=KeyBackend.kms,
        status=KeyStatus.awaiting_certificate,
        kms_key_id=kms_key_id,
        key_spec=data.key_spec,
        subject=subject,
        csr_pem=csr_pem,
        created_at=now,
        updated_at=now,
        created_by=principal.nip,
    )
    key_store.insert_key(key_id, key.model_dump_json())
    return key


def import_certificate(principal: Principal, key_id: str, data: CertificateImport) -> SigningKey:
    """Attach the issued chain to a KMS key, after checking it fits the key and can sign; the key
    becomes its signer's active key (a renewal keeps the same key)."""
    require_role(principal, Role.admin)
    key, rev = _read(key_id)
    if key.backend is not KeyBackend.kms or key.kms_key_id is None:
        raise Conflict("only a KMS key takes an imported certificate", code="not_a_kms_key")
    if key.status is KeyStatus.disabled:
        raise Conflict("this signing key is disabled", code="signing_key_disabled")
    chain = certificate_rules.parse_pems(data.chain_pem, code="certificate_not_pem")
    if _spki(chain[0]) != _spki_of_der(kms.public_key(key.kms_key_id).dump()):
        raise InvalidInput("the certificate is not for this key", code="certificate_key_mismatch")
    certificate_rules.require_can_sign(chain, clock.utcnow())
    updated = key.model_copy(
        update={"status": KeyStatus.active, "updated_at": clock.utcnow(), **_described(chain)}
    )
    _activate(updated, rev)
    return updated


def register_pkcs12(principal: Principal, data: Pkcs12Registration) -> SigningKey:
    """Register a PKCS#12 kept in Secrets Manager, after opening it and checking its
    certificate; it becomes its signer's active key at once."""
    require_role(principal, Role.admin)
    prefix = f"eoffice/{settings.resource('STAGE')}/signing/"
    if not data.secret_name.startswith(prefix):
        raise InvalidInput(
            f"the secret's name must start with {prefix}", code="secret_outside_prefix"
        )
    _require_employee(data.owner_nip)
    material = _open_pkcs12(data.secret_name, error=InvalidInput)
    chain = [_from_asn1(material.certificate), *map(_from_asn1, material.chain)]
    certificate_rules.require_can_sign(chain, clock.utcnow())
    now = clock.utcnow()
    key = SigningKey(
        key_id=uuid.uuid4().hex,
        owner_nip=data.owner_nip,
        backend=KeyBackend.pkcs12,
        status=KeyStatus.active,
        secret_name=data.secret_name,
        key_spec=certificate_rules.key_spec(chain[0]),
        created_at=now,
        updated_at=now,
        created_by=principal.nip,
        **_described(chain),
    )
    _activate(key, 0)
    return key


def get_key(principal: Principal, key_id: str) -> SigningKey:
    require_role(principal, Role.admin)
    return _read(key_id)[0]


def list_keys(principal: Principal) -> list[SigningKey]:
    """Every key, oldest first."""
    require_role(principal, Role.admin)
    found = [SigningKey.model_validate_json(body) for body in key_store.list_keys()]
    return sorted(found, key=lambda key: (key.created_at, key.key_id))


def disable_key(principal: Principal, key_id: str) -> SigningKey:
    """Stop a key from signing (a lost device, a revoked certificate, a signer who left); its
    signer then has no active key until another is imported. Disabling twice is harmless."""
    require_role(principal, Role.admin)
    key, rev = _read(key_id)
    if key.status is KeyStatus.disabled:
        return key
    disabled = key.model_copy(update={"status": KeyStatus.disabled, "updated_at": clock.utcnow()})
    key_store.disable_key(key_id, disabled.model_dump_json(), rev, key.owner_nip)
    return disabled


# ---------------------------------------------------------------- use by signing
def key_for_signer(nip: str) -> KeyMaterial | None:
    """The signer's active key, ready to sign; None when he has none. The caller has already
    decided that this person may sign."""
    key_id = key_store.signer_key_id(nip)
    return key_material(key_id) if key_id else None


def key_material(key_id: str) -> KeyMaterial:
    """A key by id (e.g. the seal), ready to sign: 404 when unknown, 409 when it cannot sign."""
    found = key_store.read_key(key_id)
    if found is None:
        raise NotFound("no such signing key", code="signing_key_not_found")
    key = SigningKey.model_validate_json(found[0])
    if key.status is not KeyStatus.active:
        raise Conflict("this signing key is not active", code="signing_key_not_active")
    if key.not_after is not None and key.not_after <= clock.utcnow():
        raise Conflict("this signing key's certificate expired", code="certificate_expired")
    if key.backend is KeyBackend.pkcs12 and key.secret_name:
        return _registered_pkcs12(key, key.secret_name)
    if key.kms_key_id is None or key.certificate_pem is None:
        raise Conflict("this signing key has no certificate", code="signing_key_not_active")
    certificate = _asn1(key.certificate_pem)
    return kms.KmsKey(key.kms_key_id, certificate, [_asn1(pem) for pem in key.chain_pem])


# ---------------------------------------------------------------- trust roots
_roots_lock = threading.Lock()
_roots_cache: dict[str, tuple[float, list[asn1_x509.Certificate]]] = {}


def trust_roots() -> list[asn1_x509.Certificate]:
    """The roots verification trusts, read at most once a minute per process."""
    table = settings.resource("SIGNING_KEYS_TABLE")
    with _roots_lock:
        cached = _roots_cache.get(table)
        if cached and cached[0] > time.monotonic():
            return list(cached[1])
    roots = [_asn1(root.pem) for root in _read_roots()[0].roots]
    with _roots_lock:
        _roots_cache[table] = (time.monotonic() + TRUST_ROOTS_TTL, roots)
    return list(roots)


def get_trust_roots(principal: Principal) -> TrustRoots:
    """The configured roots (public certificates: any signed-in caller may read them)."""
    del principal  # resolved by the route: signed in is enough
    return _read_roots()[0]


def replace_trust_roots(principal: Principal, data: TrustRootsUpdate) -> TrustRoots:
    """Replace the trust roots; each must be a self-signed CA certificate."""
    require_role(principal, Role.admin)
    certificates: dict[bytes, x509.Certificate] = {}
    for text in data.pems:
        for certificate in certificate_rules.parse_pems(text, code="trust_root_not_pem"):
            certificate_rules.require_root(certificate)
            certificates.setdefault(certificate.fingerprint(hashes.SHA256()), certificate)
    roots = TrustRoots(
        roots=[_trust_root(certificate) for certificate in certificates.values()],
        updated_at=clock.utcnow(),
        updated_by=principal.nip,
    )
    key_store.write_trust_roots(roots.model_dump_json(), _read_roots()[1])
    with _roots_lock:
        _roots_cache.clear()
    return roots


def _read_roots() -> tuple[TrustRoots, int]:
    found = key_store.read_trust_roots()
    if found is None:
        return TrustRoots(roots=[]), 0
    return TrustRoots.model_validate_json(found[0]), found[1]


def _trust_root(certificate: x509.Certificate) -> TrustRoot:
    return TrustRoot(
        subject=certificate.subject.rfc4514_string(),
        serial=f"{certificate.serial_number:x}",
        not_after=certificate.not_valid_after_utc,
        sha256=certificate.fingerprint(hashes.SHA256()).hex(),
        pem=certificate.public_bytes(serialization.Encoding.PEM).decode(),
    )


# ---------------------------------------------------------------- helpers
def _read(key_id: str) -> tuple[SigningKey, int]:
    found = key_store.read_key(key_id)
    if found is None:
        raise NotFound("no such signing key", code="signing_key_not_found")
    return SigningKey.model_validate_json(found[0]), found[1]


def _activate(key: SigningKey, rev: int) -> None:
    """Write an active key; for a signer, move his pointer to it and disable his earlier key."""
    body = key.model_dump_json()
    current = key_store.signer_key_id(key.owner_nip) if key.owner_nip else None
    if key.owner_nip is None or current == key.key_id:
        if rev:
            key_store.update_key(key.key_id, body, rev)
        else:
            key_store.insert_key(key.key_id, body)
        return
    replaced = None
    if current:
        old, old_rev = _read(current)
        disabled = old.model_copy(
            update={"status": KeyStatus.disabled, "updated_at": key.updated_at}
        )
        replaced = (current, disabled.model_dump_json(), old_rev)
    key_store.activate_key(key.key_id, body, rev, key.owner_nip, replaced)


def _require_employee(nip: str | None) -> None:
    from eoffice.org import store

    if nip is not None and store.get_employee(nip) is None:
        raise NotFound("no employee has this NIP", code="employee_not_found")


def _subject(data: SigningKeyCreate) -> dict[str, str]:
    subject = {"country_name": "ID", "organization_name": data.organization}
    subject["common_name"] = data.common_name
    if data.owner_nip:
        subject["serial_number"] = data.owner_nip
    if data.email:
        subject["email_address"] = data.email
    return subject


def _open_pkcs12(secret_name: str, *, error: type[InvalidInput | Conflict]) -> KeyMaterial:
    try:
        return pkcs12.load_key(secret_name)
    except pkcs12.Pkcs12Error as problem:
        raise error(str(problem), code=problem.code) from None


def _registered_pkcs12(key: SigningKey, secret_name: str) -> KeyMaterial:
    """The PKCS#12 only if it still holds the certificate that was checked at registration: a
    secret rotated to another key or certificate is refused until an admin registers it."""
    material = _open_pkcs12(secret_name, error=Conflict)
    if key.certificate_pem is None or material.certificate.dump() != _der(key.certificate_pem):
        raise Conflict(
            "the PKCS#12 secret now holds another certificate; register it again",
            code="signing_key_changed",
        )
    return material


def _der(pem_text: str) -> bytes:
    certificate = x509.load_pem_x509_certificate(pem_text.encode())
    return certificate.public_bytes(serialization.Encoding.DER)


def _described(chain: list[x509.Certificate]) -> dict[str, object]:
    """The fields of a SigningKey that come from its certificate chain."""
    leaf = chain[0]
    return {
        "subject": leaf.subject.rfc4514_string(),
        "issuer": leaf.issuer.rfc4514_string(),
        "serial": f"{leaf.serial_number:x}",
        "not_before": leaf.not_valid_before_utc,
        "not_after": leaf.not_valid_after_utc,
        "certificate_pem": _pem(leaf),
        "chain_pem": [_pem(certificate) for certificate in chain[1:]],
    }


def _spki(certificate: x509.Certificate) -> bytes:
    return certificate.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _spki_of_der(der: bytes) -> bytes:
    return serialization.load_der_public_key(der).public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _pem(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


def _asn1(pem_text: str) -> asn1_x509.Certificate:
    certificate = x509.load_pem_x509_certificate(pem_text.encode())
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def _from_asn1(certificate: asn1_x509.Certificate) -> x509.Certificate:
    return x509.load_der_x509_certificate(certificate.dump())
