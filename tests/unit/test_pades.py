"""PAdES signing of letters (eoffice.signing.pades) against the served test PKI.

Each signature is checked with the project's own verifier and, where it matters, with pyHanko's
hard-fail offline validation, so a CMS the fast path gets wrong would fail here.
"""

from __future__ import annotations

import io
import re
import time
from pathlib import Path
from typing import Any

import pytest
from eoffice.signing import pades, pades_models
from eoffice.signing.backends.local import LocalKey
from eoffice.signing.cms import cms_sha256
from eoffice.signing.stamps import SLOT_HEIGHT, SLOT_WIDTH
from eoffice.signing.verify import verify_pdf
from support.pdfs import one_page_pdf, page_texts, render_page
from support.pki import PkiEnv, asn1_certificate

URL = "https://eoffice.luwutimurkab.go.id/verifikasi/{}"
NUMBER = "800.1.2.2/12/KOMINFO/2026"
FOOTER = (
    "Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat elektronik "
    "yang diterbitkan oleh Balai Sertifikasi Elektronik (BSrE), BSSN."
)
STAMPS = pades_models.LetterStamps(NUMBER, "Malili, 28 November 2026", FOOTER)


def local_key(env: PkiEnv, name: str, key_type: Any = "rsa") -> LocalKey:
    key, cert = env.signer(name, key_type)
    return LocalKey(key, asn1_certificate(cert), [asn1_certificate(env.pki.intermediate)])


def roots(env: PkiEnv) -> list[Any]:
    return [asn1_certificate(env.pki.root)]


def visible(slot: int = 0, name: str = "Budi Santoso") -> pades_models.VisibleSignature:
    return pades_models.VisibleSignature(
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

    long_term = pades_models.LongTerm(tuple(roots(pki_env)))
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
        long_term=pades_models.LongTerm(tuple(roots(pki_env)), timeout=1.0),
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
            long_term=pades_models.LongTerm(tuple(roots(pki_env))),
        )
    assert key.calls == 0


def _pyca(env: PkiEnv, key: CountingKey) -> Any:
    from cryptography import x509

    return x509.load_der_x509_certificate(key.certificate.dump())


def test_tsa_failure_raises_signing_failed(pki_env: PkiEnv, pki_knobs: Any) -> None:
    key = CountingKey(local_key(pki_env, "Tanpa TSA"))
    pki_knobs.tsa_mode = "refuse"
    with pytest.raises(pades.SigningFailed, match="timestamp authority"):
        pades.sign_pdf(one_page_pdf(), key, tsa_url=pki_env.tsa_url, visible=visible())

    # A TSA never reached fails before the key is used.
    with pytest.raises(pades.SigningFailed):
        pades.sign_pdf(one_page_pdf(), key, tsa_url="http://127.0.0.1:9/tsa", visible=None)
    assert key.calls == 1


def _three_signers_and_seal(env: PkiEnv) -> tuple[bytes, list[pades_models.Signed]]:
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


LONG_URL = "https://eoffice.luwutimurkab.go.id/verify/{}"
LONG_POSITION = "Plt. Kepala Dinas Komunikasi, Informatika, Statistik dan Persandian"
HELVETICA_CAP_HEIGHT = 0.718  # of the font size: "D", "B", "N" are this tall
MM = 25.4


def _marked_letter(pki_env: PkiEnv) -> tuple[bytes, list[str]]:
    """The sample letter signed by two officials, with addresses of real length (a 32-digit
    id on the regency's domain) and a long position, as a printed letter carries them."""
    from eoffice_local.sample_letters import letter_with_placeholders

    pdf = letter_with_placeholders(2)
    urls = [LONG_URL.format(f"{slot:032x}") for slot in (1, 2)]
    people = [("Budi Santoso, S.Kom.", LONG_POSITION), ("Ir. Andi Makkasau, M.Si.", "Sekda")]
    for slot, (url, (name, position)) in enumerate(zip(urls, people, strict=True)):
        mark = pades_models.VisibleSignature(
            url, name, position, "28 November 2026 16:14 WITA", slot
        )
        pdf = pades.sign_pdf(
            pdf,
            local_key(pki_env, name),
            tsa_url=pki_env.tsa_url,
            visible=mark,
            stamps=STAMPS if slot == 0 else None,
        ).pdf
    return pdf, urls


def test_printed_qr_codes_are_2_cm_wide_and_read_from_a_100_dpi_scan(pki_env: PkiEnv) -> None:
    import zxingcpp

    pdf, urls = _marked_letter(pki_env)
    dpi = 100
    page = render_page(pdf, dpi)
    found = zxingcpp.read_barcodes(page)
    assert sorted(code.text for code in found) == sorted(urls)
    for code in found:
        corners = code.position
        width = abs(corners.top_right.x - corners.top_left.x) / dpi * MM
        height = abs(corners.bottom_left.y - corners.top_left.y) / dpi * MM
        assert width >= 20 and height >= 20, (width, height)
        # A quiet zone (two modules at least) of white around the symbol.
        module = (corners.top_right.x - corners.top_left.x) / 37  # version 5: 37 modules
        left, top = corners.top_left.x, corners.top_left.y
        right, bottom = corners.bottom_right.x, corners.bottom_right.y
        for band in (
            (left - 2 * module, top, left - 1, bottom),
            (right + 1, top, right + 2 * module, bottom),
            (left, top - 2 * module, right, top - 1),
            (left, bottom + 1, right, bottom + 2 * module),
        ):
            darkest, _ = page.crop(tuple(round(v) for v in band)).getextrema()
            assert darkest > 200, band


def test_the_marks_caption_is_legible_and_inside_the_mark(pki_env: PkiEnv) -> None:
    """Measured on the page as printed (the marks flattened into it): the caption's capitals
    are those of Helvetica at 7 pt at least, and every character lies inside its mark."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    pdf, _ = _marked_letter(pki_env)
    rects = _widget_rects(pdf)
    document = pdfium.PdfDocument(pdf)
    document.init_forms()
    try:
        page = document[0]
        assert page.flatten(pdfium_c.FLAT_PRINT) == pdfium_c.FLATTEN_SUCCESS
        page = document[0]  # reloaded with the marks in its content
        text = page.get_textpage()
        content = text.get_text_range()
        fields = {"Budi Santoso": "Tanda_Tangan_1", "Andi Makkasau": "Tanda_Tangan_2"}
        seen = []
        for heading in [m.start() for m in re.finditer("Ditandatangani", content)]:
            end = content.index("WITA", heading) + 4
            name = next(n for n in fields if n in content[heading:end])
            seen.append(name)
            x0, y0, x1, y1 = rects[fields[name]]
            for capital in (heading, content.index(name, heading), content.index("Nov", heading)):
                _, bottom, _, top = text.get_charbox(capital)
                assert (top - bottom) / HELVETICA_CAP_HEIGHT >= 7 * 0.97, content[capital:end]
            for index in range(heading, end):
                if content[index].strip():
                    left, bottom, right, top = text.get_charbox(index)
                    inside = x0 <= left and right <= x1 and y0 <= bottom and top <= y1
                    assert inside, (name, content[index:end])
        assert sorted(seen) == sorted(fields)
        assert "Persandian" in content  # the long position is printed whole
    finally:
        document.close()


def test_appearance_png_for_bsre_carries_the_qr_code() -> None:
    from eoffice.signing.stamps import appearance_png

    png = appearance_png(visible())
    assert png.startswith(b"\x89PNG")
    assert _qr_texts(png) == [URL.format("surat-0")]


def test_add_long_term_upgrades_a_bt_file(pki_env: PkiEnv, pki_knobs: Any) -> None:
    long_term = pades_models.LongTerm(tuple(roots(pki_env)), timeout=1.0)
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


# Drafts made from a template: [[nomor]], [[tanggal]] and [[ttdN]] decide where things go.

DATE_LINE = "Malili, 28 November 2026"


def _widget_rects(pdf: bytes) -> dict[str, list[float]]:
    """Signature field name -> /Rect of its widget, over all pages."""
    from pypdf import PdfReader

    rects = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for annot in page.get("/Annots") or []:
            widget = annot.get_object()
            if widget.get("/FT") == "/Sig" or "/Parent" in widget:
                field = widget if "/T" in widget else widget["/Parent"].get_object()
                rects[str(field["/T"])] = [float(v) for v in widget["/Rect"]]
    return rects


def _runs(pdf: bytes) -> list[tuple[str, float, float]]:
    """Text runs of page 1 with their user-space origin (text matrix, then CTM)."""
    from pypdf import PdfReader

    runs: list[tuple[str, float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            runs.append((text.strip(), x, y))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return runs


def _white_boxes(pdf: bytes) -> list[tuple[float, float, float, float]]:
    """Rectangles filled white in page 1's content streams."""
    import re

    from pypdf import PdfReader

    data = PdfReader(io.BytesIO(pdf)).pages[0].get_contents()
    assert data is not None
    pattern = rb"1 g ([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) re f"
    return [
        (float(x), float(y), float(w), float(h))
        for x, y, w, h in re.findall(pattern, data.get_data())
    ]


def _covers(box: tuple[float, float, float, float], inner: tuple[float, ...]) -> bool:
    x, y, w, h = box
    ix, iy, iw, ih = inner
    return x <= ix and y <= iy and x + w >= ix + iw and y + h >= iy + ih


def test_placeholder_letter_gets_number_date_and_mark_on_its_placeholders(
    pki_env: PkiEnv,
) -> None:
    from eoffice.signing import placeholders
    from eoffice_local.sample_letters import letter_with_placeholders

    draft = letter_with_placeholders()
    found = placeholders.find(draft)
    nomor, tanggal, ttd1 = (found.named(name)[0] for name in ("nomor", "tanggal", "ttd1"))
    signed = pades.sign_pdf(
        draft,
        local_key(pki_env, "Templat"),
        tsa_url=pki_env.tsa_url,
        visible=visible(),
        stamps=STAMPS,
    )

    runs = _runs(signed.pdf)
    # The number and date line are written at their placeholders' baselines, left-aligned.
    assert any(t == NUMBER and abs(x - nomor.x) < 1 and abs(y - nomor.y) < 1 for t, x, y in runs)
    assert any(
        t == DATE_LINE and abs(x - tanggal.x) < 1 and abs(y - tanggal.y) < 1 for t, x, y in runs
    )
    # Nothing is printed in the top margin when the template has its own places.
    assert not any(y > 842 - 40 for t, x, y in runs if NUMBER in t)
    # Every placeholder is under an opaque white box of the first signature's revision.
    boxes = _white_boxes(signed.pdf)
    assert all(any(_covers(box, p.box) for box in boxes) for p in found.found)
    assert not _white_boxes(draft)
    # The mark's lower-left corner is the placeholder's; later revisions still find it there.
    x, y, x2, y2 = _widget_rects(signed.pdf)["Tanda_Tangan_1"]
    assert abs(x - ttd1.x) < 1 and abs(y - ttd1.box[1]) < 1
    assert (x2 - x, y2 - y) == (SLOT_WIDTH, SLOT_HEIGHT)
    assert pades.signature_box(signed.pdf, 0) == (0, *marks_box(ttd1))
    report = verify_pdf(signed.pdf, roots(pki_env))
    assert report.all_valid and report.signatures[0].modification_level == "none"


def marks_box(placeholder: Any) -> tuple[float, float, float, float]:
    x, y, _, _ = placeholder.box
    return x, y, SLOT_WIDTH, SLOT_HEIGHT


def test_three_signers_each_sign_on_their_placeholder_and_stay_intact(pki_env: PkiEnv) -> None:
    from eoffice.signing import placeholders
    from eoffice_local.sample_letters import letter_with_placeholders

    pdf = letter_with_placeholders(3)
    found = placeholders.find(pdf)
    for slot, name in enumerate(["Kadis", "Sekda", "Bupati"]):
        pdf = pades.sign_pdf(
            pdf,
            local_key(pki_env, f"{name} templat", "ec" if slot == 1 else "rsa"),
            tsa_url=pki_env.tsa_url,
            visible=visible(slot, name),
            stamps=STAMPS if slot == 0 else None,
        ).pdf
        # Found again in the signed file (recorded, their text gone), for the next signer.
        again = placeholders.find(pdf)
        assert again.recorded and [p.name for p in again.found] == [p.name for p in found.found]
        for before, after in zip(found.found, again.found, strict=True):
            assert after.box == pytest.approx(before.box, abs=0.01)
        assert not any("[[" in text for text in page_texts(pdf))

    rects = _widget_rects(pdf)
    for slot in range(3):
        placeholder = found.signature(slot)
        assert placeholder is not None
        x, y, *_ = rects[f"Tanda_Tangan_{slot + 1}"]
        assert abs(x - placeholder.x) < 1 and abs(y - placeholder.box[1]) < 1
    report = verify_pdf(pdf, roots(pki_env))
    assert report.signature_count == 3 and report.all_valid
    assert all(s.intact and s.trusted and not s.modified_after_signing for s in report.signatures)
    text = _runs(pdf)
    assert sum(NUMBER in t for t, _, _ in text) == 1


def test_first_signature_without_stamps_still_covers_the_placeholders(pki_env: PkiEnv) -> None:
    from eoffice.signing import placeholders
    from eoffice_local.sample_letters import letter_with_placeholders

    draft = letter_with_placeholders(2)
    signed = pades.sign_pdf(
        draft, local_key(pki_env, "Tanpa cap"), tsa_url=pki_env.tsa_url, visible=visible()
    )
    boxes = _white_boxes(signed.pdf)
    assert all(any(_covers(b, p.box) for b in boxes) for p in placeholders.find(draft).found)
    assert not any(NUMBER in t for t, _, _ in _runs(signed.pdf))

    # Stamped as an unsigned update first: the first signature covers nothing more.
    stamped = pades.stamp_letter(draft, STAMPS)
    signed = pades.sign_pdf(
        stamped, local_key(pki_env, "Sesudah cap"), tsa_url=pki_env.tsa_url, visible=visible()
    )
    assert len(_white_boxes(signed.pdf)) == len(_white_boxes(stamped)) == 4
    assert any(t == NUMBER for t, _, _ in _runs(signed.pdf))


def test_letter_without_placeholders_gets_the_number_in_the_top_margin(pki_env: PkiEnv) -> None:
    from eoffice.signing.stamps import text_width

    signed = pades.sign_pdf(
        one_page_pdf(),
        local_key(pki_env, "Biasa"),
        tsa_url=pki_env.tsa_url,
        visible=visible(),
        stamps=STAMPS,
    )
    line = f"Nomor: {NUMBER} \u2014 {DATE_LINE}"
    ((x, y),) = [(x, y) for t, x, y in _runs(signed.pdf) if t == line]
    assert 842 - 40 < y < 842 - 14  # above a letterhead, not over it
    assert x + text_width(line, 8) == pytest.approx(595.28 - 36, abs=0.5)  # right-aligned
    assert not _white_boxes(signed.pdf)
    # Signature marks keep their slots at the bottom of the last page.
    x, y, *_ = _widget_rects(signed.pdf)["Tanda_Tangan_1"]
    assert (x, y) == (36, 48)


def test_top_margin_line_splits_when_too_long() -> None:
    from pypdf import PdfReader

    long_number = "800.1.2.2/12/" + "DISKOMINFO-SP-" * 6 + "/2026"
    stamped = pades.stamp_letter(
        one_page_pdf(), pades_models.LetterStamps(long_number, DATE_LINE, FOOTER)
    )
    lines = PdfReader(io.BytesIO(stamped)).pages[0].extract_text().splitlines()
    assert f"Nomor: {long_number}" in lines and DATE_LINE in lines


def _render(pdf: bytes, tmp_path: Path, dpi: int) -> Any:
    return render_page(pdf, dpi)


def _darkest(image: Any, box: tuple[float, float, float, float], dpi: int) -> int:
    """The darkest pixel of a user-space rectangle (x, y, width, height) of an A4 page."""
    scale = dpi / 72
    x, y, w, h = box
    top = (841.89 - (y + h)) * scale
    crop = image.crop(
        (round(x * scale), round(top), round((x + w) * scale), round(top + h * scale))
    )
    darkest, _ = crop.getextrema()
    return int(darkest)


def test_placeholders_no_longer_show_once_stamped(tmp_path: Path) -> None:
    """Rendered: the ``[[ttd1]]`` area turns white, and the bracket descenders under
    ``[[nomor]]`` vanish (the number's digits do not reach that low)."""
    from eoffice.signing import placeholders
    from eoffice_local.sample_letters import letter_with_placeholders

    draft = letter_with_placeholders()
    found = placeholders.find(draft)
    ttd1, nomor = found.named("ttd1")[0], found.named("nomor")[0]
    below = (nomor.x + 1, nomor.y - 0.2 * nomor.font_size, nomor.width - 2, 0.13 * nomor.font_size)
    dpi = 200
    before = _render(draft, tmp_path, dpi)
    after = _render(pades.stamp_letter(draft, STAMPS), tmp_path, dpi)

    assert _darkest(before, ttd1.box, dpi) < 100 and _darkest(after, ttd1.box, dpi) > 250
    assert _darkest(before, below, dpi) < 100 and _darkest(after, below, dpi) > 250
    assert _darkest(after, nomor.box, dpi) < 100  # the number is written there instead


def test_bsre_box_comes_from_the_placeholder_after_the_unsigned_stamps() -> None:
    from eoffice.signing import placeholders
    from eoffice_local.sample_letters import letter_with_placeholders

    draft = letter_with_placeholders(2)
    stamped = pades.stamp_letter(draft, STAMPS)
    ttd2 = placeholders.find(draft).signature(1)
    assert ttd2 is not None
    assert pades.signature_box(stamped, 1) == (0, *marks_box(ttd2))
    # no [[ttd3]]: the slot layout, two marks a row
    assert pades.signature_box(stamped, 2)[1:3] == (36.0, 48.0 + SLOT_HEIGHT + 8.0)


# ---------------------------------------------------------------- the text layer
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _draft_in_embedded_font() -> bytes:
    """A two-signer draft in an embedded TrueType font (fpdf2 writes it as a Type0 font with
    two-byte codes and a ToUnicode map, as word processors often do), the placeholders inside
    longer runs of text."""
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="pt")
    pdf.add_page()
    pdf.add_font("dejavu", "", str(DEJAVU))
    pdf.set_font("dejavu", size=11)
    pdf.text(340, 150, "[[tanggal]]")
    pdf.text(72, 170, "Nomor       : [[nomor]]  (diisi saat ditandatangani)")
    pdf.text(72, 400, "Demikian disampaikan, atas perhatiannya diucapkan terima kasih.")
    pdf.text(372, 640, "[[ttd1]]")
    pdf.text(130, 640, "[[ttd2]]")
    return bytes(pdf.output())


@pytest.mark.parametrize("font", ["standard", "embedded"])
def test_the_signed_text_holds_the_real_values_and_no_placeholder(
    pki_env: PkiEnv, font: str
) -> None:
    """What search, copy and a screen reader get (pypdf's and pdfium's text) after the first
    and after the second signature: the number and date, never a ``[[...]]``."""
    from eoffice.signing import placeholders
    from eoffice_local.sample_letters import letter_with_placeholders

    if font == "embedded" and not DEJAVU.exists():
        pytest.skip("the DejaVu font (Debian's fonts-dejavu-core) is not installed")
    draft = letter_with_placeholders(2) if font == "standard" else _draft_in_embedded_font()
    assert all("[[nomor]]" in text for text in page_texts(draft))
    found = placeholders.find(draft)
    first = pades.sign_pdf(
        draft,
        local_key(pki_env, "Kadis teks"),
        tsa_url=pki_env.tsa_url,
        visible=visible(0),
        stamps=STAMPS,
    ).pdf
    second = pades.sign_pdf(
        first,
        local_key(pki_env, "Sekda teks"),
        tsa_url=pki_env.tsa_url,
        visible=visible(1, "Andi Makkasau"),
    ).pdf
    for signed in (first, second):
        for text in page_texts(signed):
            assert NUMBER in text and "Malili, 28 November 2026" in text, text
            assert "[[" not in text and "]]" not in text, text
            assert "Demikian disampaikan" in text  # the letter's own text stays
    if font == "embedded":
        assert any("(diisi saat ditandatangani)" in t for t in page_texts(second))
    # The second mark sits on [[ttd2]] though its text is gone; both signatures hold.
    ttd2 = found.signature(1)
    assert ttd2 is not None
    x, y, *_ = _widget_rects(second)["Tanda_Tangan_2"]
    assert abs(x - ttd2.x) < 1 and abs(y - ttd2.box[1]) < 1
    report = verify_pdf(second, roots(pki_env))
    assert report.signature_count == 2 and report.all_valid, report
    assert [s.modification_level for s in report.signatures] == ["form_filling", "none"]


def test_only_a_position_that_was_cut_ends_with_an_ellipsis() -> None:
    """At the smallest size a caption too long for the mark cuts the position, and says so
    with an ellipsis; a long name with a short position cuts nothing, so nothing says so."""
    from eoffice.signing.stamps import caption

    def lines(name: str, position: str) -> list[str]:
        mark = pades_models.VisibleSignature(
            "https://x/verify/1", name, position, "28 November 2026"
        )
        return caption(mark)[2]

    long_name = lines("Andi " * 40, "Bupati Luwu Timur")
    assert "Bupati Luwu Timur" in long_name and not any(line.endswith("…") for line in long_name)
    long_position = lines("Andi Baso", "Kepala Dinas " * 30)
    assert sum(line.endswith("…") for line in long_position) == 1
