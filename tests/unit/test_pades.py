"""PAdES signing of letters (eoffice.signing.pades) against the served test PKI.

Each signature is checked with the project's own verifier and, where it matters, with pyHanko's
hard-fail offline validation, so a CMS the fast path gets wrong would fail here.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from eoffice.signing import pades
from eoffice.signing.backends.local import LocalKey
from eoffice.signing.cms import cms_sha256
from eoffice.signing.verify import verify_pdf
from signing_support import PkiEnv, asn1_certificate, one_page_pdf

URL = "https://eoffice.luwutimurkab.go.id/verifikasi/{}"
NUMBER = "800.1.2.2/12/KOMINFO/2026"
FOOTER = (
    "Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat elektronik "
    "yang diterbitkan oleh Balai Sertifikasi Elektronik (BSrE), BSSN."
)
STAMPS = pades.LetterStamps(NUMBER, "Malili, 28 November 2026", FOOTER)


def local_key(env: PkiEnv, name: str, key_type: Any = "rsa") -> LocalKey:
    key, cert = env.signer(name, key_type)
    return LocalKey(key, asn1_certificate(cert), [asn1_certificate(env.pki.intermediate)])


def roots(env: PkiEnv) -> list[Any]:
    return [asn1_certificate(env.pki.root)]


def visible(slot: int = 0, name: str = "Budi Santoso") -> pades.VisibleSignature:
    return pades.VisibleSignature(
        URL.format(f"surat-{slot}"),
        name,
        "Kepala Dinas Kominfo",
        "28 November 2026 16:14 WITA",
        slot,
    )


class CountingKey:
    """A key that counts its signatures: proves nothing is signed twice or signed in vain."""

    def __init__(self, key: LocalKey) -> None:
        self.inner = key
        self.calls = 0
        self.certificate = key.certificate
        self.chain = key.chain
        self.mechanism = key.mechanism
        self.signature_size = key.signature_size

    def sign(self, data: bytes) -> bytes:
        self.calls += 1
        return self.inner.sign(data)


@pytest.mark.parametrize("key_type", ["rsa", "ec"])
def test_letter_signed_bt_is_intact_trusted_and_time_stamped(
    pki_env: PkiEnv, key_type: str
) -> None:
    key = CountingKey(local_key(pki_env, f"Penanda {key_type}", key_type))
    signed = pades.sign_pdf(
        one_page_pdf(), key, tsa_url=pki_env.tsa_url, visible=visible(), stamps=STAMPS
    )

    assert (signed.level, signed.field_name, key.calls) == ("B-T", "Tanda_Tangan_1", 1)
    assert abs(time.time() - signed.signed_at.timestamp()) < 120
    report = verify_pdf(signed.pdf, roots(pki_env))
    (sig,) = report.signatures
    assert report.all_valid and report.signature_count == 1
    assert (sig.intact, sig.valid, sig.trusted, sig.bottom_line) == (True, True, True, True)
    assert sig.timestamp is not None and sig.timestamp.intact and sig.timestamp.trusted
    assert sig.timestamp.authority == "Test TSA"
    assert (sig.coverage, sig.modification_level, sig.modified_after_signing) == (
        "entire_file",
        "none",
        False,
    )
    assert sig.kind == "signature" and sig.trust_problem is None
    assert sig.signer is not None and sig.signer.common_name == f"Penanda {key_type}"
    assert f"Penanda {key_type}" in sig.chain[0] and "Test Root CA" in sig.chain[-1]
    assert sig.cms_sha256 == signed.cms_sha256
    assert report.file_sha256 == signed.file_sha256


def test_long_term_embeds_revocation_data_and_validates_offline(pki_env: PkiEnv) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    long_term = pades.LongTerm(tuple(roots(pki_env)))
    signed = pades.sign_pdf(
        one_page_pdf(),
        local_key(pki_env, "Sekda LT"),
        tsa_url=pki_env.tsa_url,
        visible=visible(),
        long_term=long_term,
    )

    assert signed.level == "B-LT"
    reader = PdfFileReader(io.BytesIO(signed.pdf))
    settings = {
        "trust_roots": roots(pki_env),
        "allow_fetching": False,
        "revocation_mode": "hard-fail",
    }
    context = DocumentSecurityStore.read_dss(reader).as_validation_context(settings)
    status = validate_pdf_signature(reader.embedded_signatures[0], context)
    assert status.bottom_line and status.coverage is not None
    assert status.coverage.name == "ENTIRE_FILE"
    assert verify_pdf(signed.pdf, roots(pki_env)).all_valid


@pytest.mark.parametrize("mode", ["refuse", "hang"])
def test_long_term_falls_back_to_bt_before_signing(
    pki_env: PkiEnv, pki_knobs: Any, mode: str
) -> None:
    key = CountingKey(local_key(pki_env, f"Kadis {mode}"))
    pki_knobs.ocsp_mode = pki_knobs.crl_mode = mode
    started = time.perf_counter()
    signed = pades.sign_pdf(
        one_page_pdf(),
        key,
        tsa_url=pki_env.tsa_url,
        visible=visible(),
        long_term=pades.LongTerm(tuple(roots(pki_env)), timeout=1.0),
    )

    assert signed.level == "B-T" and key.calls == 1
    assert time.perf_counter() - started < 6.0  # timeout 1 s, plus a loaded 2-core machine
    assert verify_pdf(signed.pdf, roots(pki_env)).all_valid


def test_revoked_signer_is_refused_for_long_term(pki_env: PkiEnv) -> None:
    key = CountingKey(local_key(pki_env, "Dicabut"))
    pki_env.pki.revoke(_pyca(pki_env, key))
    with pytest.raises(pades.SigningFailed, match="not usable"):
        pades.sign_pdf(
            one_page_pdf(),
            key,
            tsa_url=pki_env.tsa_url,
            visible=None,
            long_term=pades.LongTerm(tuple(roots(pki_env))),
        )
    assert key.calls == 0


def _pyca(env: PkiEnv, key: CountingKey) -> Any:
    from cryptography import x509

    return x509.load_der_x509_certificate(key.certificate.dump())


def test_tsa_failure_raises_signing_failed(pki_env: PkiEnv, pki_knobs: Any) -> None:
    key = CountingKey(local_key(pki_env, "Tanpa TSA"))
    pki_knobs.tsa_mode = "refuse"
    with pytest.raises(pades.SigningFailed, match="time stamp"):
        pades.sign_pdf(one_page_pdf(), key, tsa_url=pki_env.tsa_url, visible=visible())

    # A TSA never reached fails before the key is used.
    with pytest.raises(pades.SigningFailed):
        pades.sign_pdf(one_page_pdf(), key, tsa_url="http://127.0.0.1:9/tsa", visible=None)
    assert key.calls == 1


def _three_signers_and_seal(env: PkiEnv) -> tuple[bytes, list[pades.Signed]]:
    pdf = one_page_pdf()
    done = []
    for slot, name in enumerate(["Kadis", "Sekda", "Bupati"]):
        signed = pades.sign_pdf(
            pdf,
            local_key(env, name, "ec" if slot == 1 else "rsa"),
            tsa_url=env.tsa_url,
            visible=visible(slot, name),
            stamps=STAMPS if slot == 0 else None,
        )
        done.append(signed)
        pdf = signed.pdf
    seal = pades.sign_pdf(
        pdf, local_key(env, "Pemkab Luwu Timur"), tsa_url=env.tsa_url, visible=None, lock=True
    )
    return seal.pdf, [*done, seal]


def test_three_signers_and_a_seal_stay_valid_and_the_seal_locks(pki_env: PkiEnv) -> None:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    pdf, signed = _three_signers_and_seal(pki_env)
    assert [s.field_name for s in signed] == [
        "Tanda_Tangan_1",
        "Tanda_Tangan_2",
        "Tanda_Tangan_3",
        "Segel",
    ]
    report = verify_pdf(pdf, roots(pki_env))
    assert report.signature_count == 4 and report.all_valid
    assert [s.kind for s in report.signatures] == ["signature"] * 3 + ["seal"]
    assert [s.cms_sha256 for s in report.signatures] == [s.cms_sha256 for s in signed]
    assert all(not s.modified_after_signing and s.trusted for s in report.signatures)
    assert [s.modification_level for s in report.signatures] == ["form_filling"] * 3 + ["none"]

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    writer.add_stream_to_page(0, generic.StreamObject(stream_data=b"0 0 m 300 300 l S"))
    edited = io.BytesIO()
    writer.write(edited)
    after = verify_pdf(edited.getvalue(), roots(pki_env))
    assert not after.all_valid
    assert all(s.modified_after_signing and not s.bottom_line for s in after.signatures)
    assert after.signatures[-1].docmdp_ok is False


def test_letter_stamps_are_printed_once_with_the_first_signature(pki_env: PkiEnv) -> None:
    from pypdf import PdfReader

    pdf, _ = _three_signers_and_seal(pki_env)
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert text.count(NUMBER) == 1
    assert text.count("Malili, 28 November 2026") == 1
    assert text.count("Balai Sertifikasi Elektronik") == 1

    with pytest.raises(ValueError, match="first signature"):
        pades.sign_pdf(
            pdf,
            local_key(pki_env, "Terlambat"),
            tsa_url=pki_env.tsa_url,
            visible=None,
            stamps=STAMPS,
        )


def test_stamp_letter_is_an_unsigned_incremental_update() -> None:
    from pypdf import PdfReader

    original = one_page_pdf()
    stamped = pades.stamp_letter(original, STAMPS)
    assert stamped.startswith(original)
    assert NUMBER in PdfReader(io.BytesIO(stamped)).pages[0].extract_text()


def test_signature_boxes_sit_side_by_side_on_the_last_page() -> None:
    boxes = [pades.signature_box(one_page_pdf(), slot) for slot in range(4)]
    assert {b[0] for b in boxes} == {0}
    (_, x0, y0, w, h), (_, x1, y1, *_), (_, x2, *_), (*_, y3, _, _) = boxes
    assert y0 == y1 and x0 + w <= x1 and x2 + w <= 595
    assert y3 >= y0 + h  # a fourth signer goes a row higher


def _qr_texts(png: bytes) -> list[str]:
    import zxingcpp
    from PIL import Image

    return [found.text for found in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler's pdftoppm is not installed")
def test_qr_code_on_the_page_opens_the_verification_url(pki_env: PkiEnv, tmp_path: Path) -> None:
    signed = pades.sign_pdf(
        one_page_pdf(),
        local_key(pki_env, "QR"),
        tsa_url=pki_env.tsa_url,
        visible=visible(),
        stamps=STAMPS,
    )
    (tmp_path / "letter.pdf").write_bytes(signed.pdf)
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", "-singlefile", "letter.pdf", "page"],
        cwd=tmp_path,
        check=True,
    )
    assert URL.format("surat-0") in _qr_texts((tmp_path / "page.png").read_bytes())


def test_appearance_png_for_bsre_carries_the_qr_code() -> None:
    from eoffice.signing.stamps import appearance_png

    png = appearance_png(visible())
    assert png.startswith(b"\x89PNG")
    assert _qr_texts(png) == [URL.format("surat-0")]


def test_add_long_term_upgrades_a_bt_file(pki_env: PkiEnv, pki_knobs: Any) -> None:
    long_term = pades.LongTerm(tuple(roots(pki_env)), timeout=1.0)
    signed = pades.sign_pdf(
        one_page_pdf(), local_key(pki_env, "BSrE"), tsa_url=pki_env.tsa_url, visible=None
    )
    upgraded = pades.add_long_term(signed.pdf, long_term)
    assert upgraded is not None and upgraded.startswith(signed.pdf) and b"/DSS" in upgraded
    (sig,) = verify_pdf(upgraded, roots(pki_env)).signatures
    assert sig.bottom_line and sig.modification_level == "lta_updates"

    pki_knobs.ocsp_mode = pki_knobs.crl_mode = "refuse"
    assert pades.add_long_term(signed.pdf, long_term) is None


def test_pkcs12_key_opens_and_keeps_its_secrets(pki_env: PkiEnv) -> None:
    key, cert = pki_env.signer("Pemilik P12", "ec")
    blob = pki_env.pki.pkcs12(key, cert, b"rahasia-sekali")

    loaded = LocalKey.from_pkcs12(blob, b"rahasia-sekali")
    assert loaded.mechanism == "sha256_ecdsa" and loaded.signature_size >= 70
    assert [c.subject.native["common_name"] for c in loaded.chain] == ["Test Intermediate CA"]
    assert "rahasia" not in repr(loaded) and "PRIVATE" not in repr(loaded)
    signed = pades.sign_pdf(one_page_pdf(), loaded, tsa_url=pki_env.tsa_url, visible=None)
    assert cms_sha256(_contents(signed.pdf)) == signed.cms_sha256
    with pytest.raises(ValueError, match="PKCS#12") as failure:
        LocalKey.from_pkcs12(blob, b"salah")
    assert "salah" not in str(failure.value) and failure.value.__cause__ is None


def _contents(pdf: bytes) -> bytes:
    from pyhanko.pdf_utils.reader import PdfFileReader

    contents: bytes = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0].pkcs7_content
    return contents
