"""Test letters as PDFs (a one-page letter of the regency, a big scan) and what readers see of
them (the text two extractors find, a page as pdfium draws it). Heavy libraries are imported
inside the helpers."""

from __future__ import annotations

import io
import os
from typing import Any

LETTER_TEXT = (
    "Dengan hormat, bersama ini kami sampaikan undangan rapat koordinasi transformasi digital "
    "pemerintah daerah yang akan dilaksanakan pada hari Senin, 30 November 2026, pukul 09.00 "
    "WITA, bertempat di Ruang Rapat Sekretariat Daerah Kabupaten Luwu Timur, Malili. "
    "Demikian disampaikan, atas perhatiannya diucapkan terima kasih."
)


def one_page_pdf(text: str = LETTER_TEXT, *, title: str = "UNDANGAN") -> bytes:
    """A one-page A4 letter of the regency (Helvetica, with room at the bottom for signatures)."""
    from eoffice_local.sample_letters import plain_letter

    return plain_letter(text, title=title)


def render_page(pdf: bytes, dpi: int, page: int = -1) -> Any:
    """Page ``page`` (the last by default) as a greyscale PIL image at ``dpi``, as pdfium (the
    engine of Chrome's PDF viewer) draws it."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    document.init_forms()  # signature marks are form widgets: drawn only with forms loaded
    try:
        bitmap = document[page % len(document)].render(scale=dpi / 72, grayscale=True)
        return bitmap.to_pil().convert("L")
    finally:
        document.close()


def page_texts(pdf: bytes) -> list[str]:
    """The text of every page as two readers extract it: pypdf, and pdfium (what a viewer's
    search, copy and screen reader get)."""
    import pypdfium2 as pdfium
    from pypdf import PdfReader

    texts = [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]
    document = pdfium.PdfDocument(pdf)
    try:
        for page in document:
            texts.append(page.get_textpage().get_text_range())
    finally:
        document.close()
    return texts


def big_scan_pdf(megabytes: float = 5) -> bytes:
    """A PDF of about ``megabytes`` MB: A4 pages each holding a random-noise JPEG "scan"."""
    from fpdf import FPDF
    from PIL import Image

    target = int(megabytes * 1024 * 1024)
    pdf = FPDF(format="A4", unit="pt")
    size = 0
    while size < target:
        width, height = 620, 877
        noise = Image.frombytes("L", (width, height), os.urandom(width * height))
        jpeg = io.BytesIO()
        noise.save(jpeg, format="JPEG", quality=85)
        pdf.add_page()
        pdf.image(io.BytesIO(jpeg.getvalue()), x=0, y=0, w=595, h=842)
        size += jpeg.tell()
    return bytes(pdf.output())
