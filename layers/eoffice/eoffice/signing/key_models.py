"""Models of signing keys and trust roots: kept apart from :mod:`eoffice.signing.keys` so that
the signing function's routes declare them without loading ``cryptography`` at start-up."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from eoffice.models import InputModel, OutputModel
from eoffice.org.models import Email, Nip

_Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


class KeyBackend(StrEnum):
    kms = "kms"
    pkcs12 = "pkcs12"


class KeyStatus(StrEnum):
    awaiting_certificate = "awaiting_certificate"  # a KMS key whose CSR is out for signing
    active = "active"
    disabled = "disabled"


class SigningKeyCreate(InputModel):
    owner_nip: Nip | None = Field(None, description="The signer; none for the institution's seal")
    key_spec: Literal["RSA_2048", "ECC_NIST_P256"] = "RSA_2048"
    common_name: _Name = Field(description="The certificate subject's name, e.g. the signer's")
    organization: _Name = "Pemerintah Kabupaten Luwu Timur"
    email: Email | None = None


class CertificateImport(InputModel):
    chain_pem: str = Field(
        min_length=1,
        max_length=64_000,
        description="PEM certificates: the key's own first, then the intermediates (root optional)",
    )


class Pkcs12Registration(InputModel):
    owner_nip: Nip | None = Field(None, description="The signer; none for the institution's seal")
    secret_name: str = Field(
        min_length=1,
        max_length=512,
        description='Secrets Manager secret "eoffice/{stage}/signing/...": JSON pkcs12 + password',
    )


class SigningKey(OutputModel):
    key_id: str
    owner_nip: str | None
    backend: KeyBackend
    status: KeyStatus
    kms_key_id: str | None = None
    secret_name: str | None = None
    key_spec: str = Field(description="RSA_2048, ECC_NIST_P256, ...")
    subject: str = Field(description="The certificate's subject (the request's, until imported)")
    issuer: str | None = None
    serial: str | None = Field(None, description="The certificate's serial number, hex")
    not_before: datetime | None = None
    not_after: datetime | None = None
    certificate_pem: str | None = None
    chain_pem: list[str] = Field(default_factory=list, description="Issuers, intermediate first")
    csr_pem: str | None = None
    created_at: datetime
    updated_at: datetime
    created_by: str


class TrustRootsUpdate(InputModel):
    pems: list[str] = Field(
        min_length=1, max_length=20, description="Self-signed CA certificates, PEM"
    )


class TrustRoot(OutputModel):
    subject: str
    serial: str
    not_after: datetime
    sha256: str = Field(description="The certificate's SHA-256 fingerprint, hex")
    pem: str


class TrustRoots(OutputModel):
    roots: list[TrustRoot]
    updated_at: datetime | None = None
    updated_by: str | None = None
