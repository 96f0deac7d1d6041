"""PAdES by the reference implementation: pyHanko's stock ``SimpleSigner`` and signer for a test
key, and pyHanko's own validation, to hold the signing core's output against. Heavy libraries
are imported inside the helpers."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from support.pki import asn1_certificate

if TYPE_CHECKING:
    from cryptography import x509
    from eoffice_local.pki import Pki, PrivateKey


def simple_signer(key: PrivateKey, certificate: x509.Certificate, pki: Pki) -> Any:
    """pyHanko's stock ``SimpleSigner`` for a test key, with the intermediate in its registry."""
    from asn1crypto import keys
    from cryptography.hazmat.primitives import serialization
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return signers.SimpleSigner(
        signing_cert=asn1_certificate(certificate),
        signing_key=keys.PrivateKeyInfo.load(der),
        cert_registry=SimpleCertificateStore.from_certs([asn1_certificate(pki.intermediate)]),
    )


def sign_bt(pdf: bytes, signer: Any, tsa_url: str, *, field_name: str = "Sig1") -> bytes:
    """PAdES B-T with pyHanko's stock signer and the TSA at ``tsa_url`` (reference signing)."""
    from eoffice.signing.tsa_client import UrllibTimeStamper
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    meta = signers.PdfSignatureMetadata(
        field_name=field_name, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256"
    )
    out = io.BytesIO()
    signers.PdfSigner(meta, signer=signer, timestamper=UrllibTimeStamper(tsa_url)).sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(pdf)), output=out
    )
    return out.getvalue()


def validate_signatures(pdf: bytes, trust_roots: list[x509.Certificate]) -> list[Any]:
    """pyHanko's status of every signature, trusting ``trust_roots`` only, offline, soft-fail."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    roots = [asn1_certificate(root) for root in trust_roots]
    return [
        validate_pdf_signature(
            embedded,
            ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail"),
        )
        for embedded in reader.embedded_signatures
    ]
