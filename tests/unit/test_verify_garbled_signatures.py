"""Verifying a document with a garbled signature (``eoffice.signing.verify``): the garbled one is
reported broken, the others are still checked, and a document with only a garbled signature is
still a report."""

from __future__ import annotations

from eoffice.signing import pades
from eoffice.signing.verify import verify_pdf
from support.pdfs import one_page_pdf
from support.pki import PkiEnv, local_key, trusted_roots


# One garbled signature is reported broken; the others are still reported.
def _garble_last_signature(pdf: bytes) -> bytes:
    start = pdf.rindex(b"/Contents <") + len(b"/Contents <")
    return pdf[:start] + b"3082FFFF0601" + pdf[start + 12 :]


def test_garbled_signature_is_reported_and_the_others_still_checked(pki_env: PkiEnv) -> None:
    first = pades.sign_pdf(
        one_page_pdf(), local_key(pki_env, "Pertama"), tsa_url=pki_env.tsa_url, visible=None
    )
    second = pades.sign_pdf(
        first.pdf, local_key(pki_env, "Kedua"), tsa_url=pki_env.tsa_url, visible=None
    )
    report = verify_pdf(_garble_last_signature(second.pdf), list(trusted_roots(pki_env)))

    assert report.signature_count == 2 and not report.all_valid
    good, broken = report.signatures
    assert good.field_name == first.field_name and good.intact and good.trusted
    assert good.cms_sha256 == first.cms_sha256
    assert broken.field_name == second.field_name and broken.summary.startswith("ERROR")
    assert broken.trust_problem == "invalid_signature" and not broken.bottom_line
    assert len(broken.cms_sha256) == 64


def test_a_document_with_only_a_garbled_signature_is_still_a_report(pki_env: PkiEnv) -> None:
    signed = pades.sign_pdf(
        one_page_pdf(), local_key(pki_env, "Satu"), tsa_url=pki_env.tsa_url, visible=None
    )
    start = signed.pdf.rindex(b"/Contents <") + len(b"/Contents <")
    zeroed = signed.pdf[:start] + b"00" + signed.pdf[start + 2 :]
    (entry,) = verify_pdf(zeroed, list(trusted_roots(pki_env))).signatures
    assert entry.trust_problem == "invalid_signature" and entry.notes
