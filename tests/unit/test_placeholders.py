"""Finding a draft's placeholders (eoffice.signing.placeholders): where fpdf2 drew them, in any
case, through a scaled CTM, and only on the first and last page of a long document."""

from __future__ import annotations

import io
from typing import Any

import pytest
from eoffice.signing import placeholders
from eoffice_local.sample_letters import letter_with_placeholders, placeholder_origins


def _fpdf_page_texts(texts_per_page: list[list[tuple[float, float, str]]]) -> bytes:
    """Pages of Helvetica 11 text, each (x, baseline from the top, text)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="pt")
    pdf.set_font("Helvetica", "", 11)
    for texts in texts_per_page:
        pdf.add_page()
        for x, baseline, text in texts:
            pdf.text(x, baseline, text)
    return bytes(pdf.output())


@pytest.mark.parametrize("signers", [1, 3])
def test_placeholders_are_found_where_fpdf2_drew_them(signers: int) -> None:
    found = placeholders.find(letter_with_placeholders(signers))
    expected = placeholder_origins(signers)

    assert sorted(p.name for p in found.found) == sorted(expected)
    for placeholder in found.found:
        x, y = expected[placeholder.name]
        assert placeholder.page == 0
        assert abs(placeholder.x - x) < 1 and abs(placeholder.y - y) < 1, placeholder
        assert placeholder.font_size == pytest.approx(11)
    nomor = found.named("nomor")[0]
    # "[[nomor]]" in Helvetica 11 is 43.4 pt wide: the box covers it, descenders included.
    assert 40 < nomor.width < 47
    bx, by, bw, bh = nomor.box
    assert (bx, bw) == (nomor.x, nomor.width) and by < nomor.y - 2 and by + bh > nomor.y + 8
    assert [found.signature(slot) is not None for slot in range(4)] == [True] * signers + [
        False
    ] * (4 - signers)
    first = found.signature(0)
    assert first is not None and first.x == pytest.approx(340)


def test_names_are_case_insensitive_and_ttd_means_the_first_signer() -> None:
    pdf = _fpdf_page_texts(
        [[(72, 100, "No. [[NOMOR]]"), (72, 130, "[[ Tanggal ]]"), (300, 700, "[[TTD]]")]]
    )
    found = placeholders.find(pdf)

    assert [p.name for p in found.found] == ["nomor", "tanggal", "ttd1"]
    assert found.signature(0) is found.found[2]
    assert [p.signature_slot for p in found.found] == [None, None, 0]
    assert placeholders.find(_fpdf_page_texts([[(72, 100, "[nomor] [[ttd x]]")]])).found == ()


def test_text_matrix_and_ctm_are_combined() -> None:
    """A template whose page is drawn at half scale: CTM (0.5, 100, 100) and a text matrix
    moving to (20, 40) in it, 22 pt text: the placeholder is at 11 pt in user space."""
    pdf = _page_with_content(
        b"q 0.5 0 0 0.5 100 100 cm BT /F1 22 Tf 1 0 0 1 20 40 Tm (Ttd: [[ttd2]]) Tj ET Q"
    )

    (found,) = placeholders.find(pdf).found
    prefix = (611 + 278 + 556 + 278 + 278) / 1000 * 22  # "Ttd: " in Helvetica
    assert found.name == "ttd2" and found.signature_slot == 1
    assert found.x == pytest.approx(100 + 0.5 * (20 + prefix), abs=0.5)
    assert found.y == pytest.approx(120)
    assert found.font_size == pytest.approx(11)


def test_long_documents_are_scanned_on_the_first_and_last_page_only() -> None:
    pages: list[list[tuple[float, float, str]]] = [[] for _ in range(25)]
    pages[0] = [(72, 100, "Nomor: [[nomor]]")]
    pages[12] = [(72, 400, "[[ttd2]]")]  # a lampiran in the middle: not scanned
    pages[-1] = [(372, 640, "[[ttd1]]")]
    found = placeholders.find(_fpdf_page_texts(pages))
    assert [(p.name, p.page) for p in found.found] == [("nomor", 0), ("ttd1", 24)]

    short = _fpdf_page_texts([pages[0], pages[12], pages[-1]])
    assert [(p.name, p.page) for p in placeholders.find(short).found] == [
        ("nomor", 0),
        ("ttd2", 1),
        ("ttd1", 2),
    ]


def test_unreadable_file_has_no_placeholders() -> None:
    assert not placeholders.find(b"%PDF-1.7\nnot really a pdf")
    assert not placeholders.find(letter_with_placeholders()[:200])


def _page_with_content(content: bytes) -> bytes:
    """A page drawing ``content`` with Helvetica as /F1 (WinAnsi, as word processors write it)."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    fonts = DictionaryObject({NameObject("/F1"): writer._add_object(font)})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
    stream = DecodedStreamObject()
    stream.set_data(content)
    page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _char_x(pdf: bytes, needle: str) -> float:
    """Where pdfium draws the first character of ``needle`` (its left edge, in points)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        text = document[0].get_textpage()
        index = text.get_text_range().index(needle)
        return float(text.get_charbox(index)[0])
    finally:
        document.close()


def test_placeholder_text_is_cut_and_what_follows_stays_in_place() -> None:
    """Tj with text after the placeholder, the ' operator, and a TJ whose kerning splits the
    placeholder: the placeholders leave the text, the rest keeps its place on the page."""
    from eoffice.signing.placeholder_text import without_placeholders
    from pypdf import PdfReader
    from support.pdfs import page_texts

    draft = _page_with_content(
        b"BT /F1 11 Tf 14 TL 72 700 Td ([[nomor]] ekor) Tj ([[tanggal]]) ' "
        b"[(Nomor: [[no) -120 (mor]] sisa)] TJ ET"
    )
    content = without_placeholders(PdfReader(io.BytesIO(draft)).pages[0])
    assert content is not None
    cut = _page_with_content(content)
    [text, *_] = page_texts(cut)
    assert "[[" not in text and "]]" not in text and "nomor" not in text, text
    assert "ekor" in text and "Nomor:" in text and "sisa" in text, text
    for needle in ("ekor", "sisa"):
        assert abs(_char_x(cut, needle) - _char_x(draft, needle)) < 0.2, needle
    assert placeholders.find(cut) == placeholders.Placeholders()


def _page_drawing(content: bytes, font: dict[str, Any] | None = None) -> bytes:
    """A one-page PDF whose content is ``content``, with font /F1 (Helvetica, WinAnsi)."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    entries = font or {"/Subtype": "/Type1", "/BaseFont": "/Helvetica"}
    entries = {"/Type": "/Font", "/Encoding": "/WinAnsiEncoding", **entries}
    font_dict = DictionaryObject(
        {NameObject(k): NameObject(v) if isinstance(v, str) else v for k, v in entries.items()}
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font_dict)})}
    )
    stream = DecodedStreamObject()
    stream.set_data(content)
    page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    "shown",
    [
        rb"([[ttd]]) Tj",
        rb"(\133\133ttd]]) Tj",  # octal escapes
        rb"<5b5B7474645d5d> Tj",  # a hex string
        rb"[([) 120 ([ttd]])] TJ",  # split by kerning
        rb"([) Tj ([ttd]]) Tj",  # two runs
    ],
)
def test_a_placeholder_is_found_however_its_brackets_are_written(shown: bytes) -> None:
    """The quick "no bracket on the page" check must never skip a page that spells one."""
    pdf = _page_drawing(b"BT /F1 11 Tf 72 700 Td " + shown + b" ET")
    assert [p.name for p in placeholders.find(pdf).found] == ["ttd1"]


def test_the_bracket_check_skips_only_plain_pages_without_one() -> None:
    from eoffice_local.sample_letters import plain_letter
    from pypdf import PdfReader

    def page(pdf: bytes) -> object:
        return PdfReader(io.BytesIO(pdf)).pages[0]

    plain = b"BT /F1 11 Tf 72 700 Td (Nomor surat) Tj ET"
    assert placeholders._no_bracket(page(plain_letter("Dengan hormat.")))  # type: ignore[arg-type]
    assert placeholders._no_bracket(page(_page_drawing(plain)))  # type: ignore[arg-type]
    assert not placeholders._no_bracket(page(letter_with_placeholders()))  # type: ignore[arg-type]
    unmapped = [
        {"/Subtype": "/Type0", "/BaseFont": "/Helvetica"},  # CID: any code may be "["
        {"/Subtype": "/Type1", "/BaseFont": "/Helvetica", "/ToUnicode": "/Identity"},
    ]
    for font in unmapped:
        assert not placeholders._no_bracket(page(_page_drawing(plain, font)))  # type: ignore[arg-type]
    hex_text = b"BT /F1 11 Tf 72 700 Td <4e6f6d6f72> Tj ET"
    assert not placeholders._no_bracket(page(_page_drawing(hex_text)))  # type: ignore[arg-type]


def _with_writer(pdf: bytes) -> placeholders.Placeholders:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    return placeholders.find(pdf, IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False))


@pytest.mark.parametrize(
    "shown", [rb"(\133\133ttd]]) Tj", rb"<5b5B7474645d5d> Tj", rb"[([) 120 ([ttd]])] TJ"]
)
def test_pyhankos_objects_never_hide_a_placeholder(shown: bytes) -> None:
    pdf = _page_drawing(b"BT /F1 11 Tf 72 700 Td " + shown + b" ET")
    assert [p.name for p in _with_writer(pdf).found] == ["ttd1"]


def test_pyhankos_objects_give_what_pypdf_finds() -> None:
    """No placeholder, placeholders to read from the text, and the record of filled ones
    (read from the catalog through pyHanko's objects)."""
    from eoffice.signing import pades, pades_models
    from eoffice_local.sample_letters import plain_letter

    stamps = pades_models.LetterStamps("800/1/2026", "Malili, 1 Desember 2026", "Catatan kaki.")
    filled = pades.stamp_letter(letter_with_placeholders(3), stamps)
    for pdf in (plain_letter("Dengan hormat."), letter_with_placeholders(3), filled):
        assert _with_writer(pdf) == placeholders.find(pdf)
    recorded = _with_writer(filled)
    assert recorded.recorded and len(recorded.found) == len(placeholder_origins(3))


def test_a_font_with_its_own_encoding_is_searched() -> None:
    """``/Differences`` may map any code to "[": the text extraction decides."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject

    differences = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Encoding"),
            NameObject("/Differences"): ArrayObject([NumberObject(65), NameObject("/bracketleft")]),
        }
    )
    pdf = _page_drawing(
        b"BT /F1 11 Tf 72 700 Td (AAttd]]) Tj ET",
        {"/Subtype": "/Type1", "/BaseFont": "/Helvetica", "/Encoding": differences},
    )
    assert [p.name for p in _with_writer(pdf).found] == ["ttd1"]
