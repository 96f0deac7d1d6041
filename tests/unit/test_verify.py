"""Verification reports (eoffice.signing.verify): what a reader of a signed letter is told."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from eoffice.signing import pades, pades_models
from eoffice.signing.backends.local import LocalKey
from eoffice.signing.verify import verify_pdf
from support.pdfs import one_page_pdf
from support.pki import PkiEnv, asn1_certificate


def _key(pki: Any, name: str, **issue: Any) -> LocalKey:
    key, cert = pki.issue_key(name, **issue)
    return LocalKey(key, asn1_certificate(cert), [asn1_certificate(pki.intermediate)])


def _sign(env: PkiEnv, key: LocalKey, pdf: bytes | None = None) -> bytes:
    visible = pades_models.VisibleSignature(
        "https://e.example/v/1", "Budi", "Kadis", "28 November 2026"
    )
    return pades.sign_pdf(pdf or one_page_pdf(), key, tsa_url=env.tsa_url, visible=visible).pdf


def _roots(env: PkiEnv) -> list[Any]:
    return [asn1_certificate(env.pki.root)]


@pytest.fixture(scope="module")
def signed_letter(pki_env: PkiEnv) -> bytes:
    return _sign(pki_env, _key(pki_env.pki, "Budi Santoso", serial_number_attr="NIK-7324"))


def test_report_is_json_friendly_and_names_the_signer(
    pki_env: PkiEnv, signed_letter: bytes
) -> None:
    report = verify_pdf(signed_letter, _roots(pki_env))
    data = json.loads(report.model_dump_json())

    (sig,) = data["signatures"]
    assert data["size"] == len(signed_letter) and data["all_valid"] is True
    assert sig["signer"]["common_name"] == "Budi Santoso"
    assert sig["signer"]["serial_number"] == "NIK-7324"
    assert sig["signer"]["issuer_common_name"] == "Test Intermediate CA"
    assert sig["summary"].startswith("INTACT:TRUSTED,TIMESTAMP_TOKEN<INTACT:TRUSTED>")
    assert sig["claimed_signing_time"] is not None and sig["revoked"] is False
    assert any("sah" in note for note in sig["notes"])


def test_a_flipped_byte_breaks_the_signature(pki_env: PkiEnv, signed_letter: bytes) -> None:
    at = signed_letter.index(b"stream\n") + 20  # inside page 1's content, a signed range
    tampered = signed_letter[:at] + bytes([signed_letter[at] ^ 0x01]) + signed_letter[at + 1 :]

    (sig,) = verify_pdf(tampered, _roots(pki_env)).signatures
    assert (sig.intact, sig.bottom_line, sig.modified_after_signing) == (False, False, True)
    assert sig.trust_problem == "invalid_signature"


def test_page_content_added_after_signing_is_reported(
    pki_env: PkiEnv, signed_letter: bytes
) -> None:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed_letter))
    writer.add_stream_to_page(0, generic.StreamObject(stream_data=b"0 0 m 200 200 l S"))
    out = io.BytesIO()
    writer.write(out)

    report = verify_pdf(out.getvalue(), _roots(pki_env))
    (sig,) = report.signatures
    assert sig.intact and sig.trusted and not report.all_valid
    assert (sig.coverage, sig.modification_level) == ("entire_revision", "other")
    assert sig.modified_after_signing and sig.trust_problem == "modified"


def test_signer_from_a_foreign_authority_is_untrusted(pki_env: PkiEnv) -> None:
    pdf = _sign(pki_env, _key(pki_env.foreign, "Orang Asing"))

    (sig,) = verify_pdf(pdf, _roots(pki_env)).signatures
    assert sig.intact and not sig.trusted and not sig.bottom_line
    assert (sig.trust_problem, sig.chain) == ("untrusted_root", [])


def test_expired_certificate_is_reported(pki_env: PkiEnv) -> None:
    now = datetime.now(UTC)
    key = _key(
        pki_env.pki,
        "Kedaluwarsa",
        not_before=now - timedelta(days=400),
        not_after=now - timedelta(days=30),
    )
    pdf = _sign(pki_env, key)

    (sig,) = verify_pdf(pdf, _roots(pki_env)).signatures
    assert sig.intact and not sig.trusted
    assert (sig.trust_problem, sig.expired) == ("expired", True)


def test_revoked_certificate_is_reported_with_revocation_data(pki_env: PkiEnv) -> None:
    from cryptography import x509

    key = _key(pki_env.pki, "Akan Dicabut")
    pdf = _sign(pki_env, key)
    pki_env.pki.revoke(x509.load_der_x509_certificate(key.certificate.dump()))

    offline = verify_pdf(pdf, _roots(pki_env)).signatures[0]
    assert offline.revoked is False  # B-T, offline: no revocation data at hand
    (sig,) = verify_pdf(pdf, _roots(pki_env), fetch_timeout=2.0).signatures
    assert sig.revoked and not sig.trusted and sig.trust_problem == "revoked"


def test_document_timestamp_is_listed(pki_env: PkiEnv, signed_letter: bytes) -> None:
    from eoffice.signing.tsa_client import timestamper
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    out = io.BytesIO()
    signers.PdfTimeStamper(timestamper(pki_env.tsa_url)).timestamp_pdf(
        IncrementalPdfFileWriter(io.BytesIO(signed_letter)), md_algorithm="sha256", output=out
    )
    report = verify_pdf(out.getvalue(), _roots(pki_env))
    assert [s.kind for s in report.signatures] == ["signature", "document_timestamp"]
    first, stamp = report.signatures
    assert first.bottom_line and not first.modified_after_signing
    assert stamp.intact and stamp.trusted and stamp.claimed_signing_time is not None


def test_unsigned_pdf_gives_an_empty_report(pki_env: PkiEnv) -> None:
    report = verify_pdf(one_page_pdf(), _roots(pki_env))
    assert (report.signature_count, report.signatures, report.all_valid) == (0, [], False)


@pytest.mark.parametrize("data", [b"", b"hello, world", b"%PDF-1.7\n garbage without objects"])
def test_not_a_pdf_is_a_value_error(pki_env: PkiEnv, data: bytes) -> None:
    with pytest.raises(ValueError, match="PDF"):
        verify_pdf(data, _roots(pki_env))
