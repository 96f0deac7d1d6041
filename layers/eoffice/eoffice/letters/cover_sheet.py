"""The cover sheet (lembar pengantar) a clerk prints for a registered letter: put on top of the
paper letter when it is scanned, its QR code tells the intake function which letter the scan
belongs to. Its payload is also printed as text, so a sheet sent digitally (never scanned) is
recognised through its text layer.

fpdf2 and qrcode are imported inside the functions: the API function imports this module but
renders a sheet rarely, and must not pay for them at start-up.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from eoffice.letters.file_rules import cover_payload

if TYPE_CHECKING:
    from fpdf import FPDF

HEADING = "LEMBAR PENGANTAR SURAT MASUK"
INSTRUCTION = (
    "Letakkan lembar ini di atas surat saat dipindai, agar hasil pindaian otomatis dilampirkan "
    "pada surat yang sudah diagendakan. Jangan dilipat atau dicoret pada kode QR."
)

# fpdf2's core fonts use WinAnsiEncoding; cp1252 covers the typographic marks clerks paste.
_ENCODING = "cp1252"
# A fixed date makes the same letter always give byte-identical sheets (cacheable, comparable).
_CREATION_DATE = datetime(2024, 1, 1, tzinfo=UTC)
# Field limits that keep the table short enough for the QR code to stay on the one page.
_MAX_SUBJECT = 300
_MAX_FIELD = 150

_PAGE_MARGIN = 20.0  # mm
_LABEL_WIDTH = 45.0  # mm
_QR_SIZE = 60.0  # mm; ~1.6 mm per module survives a 150 dpi scan and a smudged print


@dataclass(frozen=True)
class CoverSheet:
    """What the sheet shows of a registered letter."""

    letter_id: str
    agenda_number: str  # e.g. "17/2026"
    unit_name: str
    received_on: date
    sender: str
    sender_number: str
    subject: str
    sifat: str
    urgensi: str


def qr_modules(payload: str) -> list[list[bool]]:
    """The QR code's module matrix (True is dark), quiet zone excluded.

    Level Q restores up to 25% damaged modules: a stamp, a staple hole or a fold on the printout.
    """
    import qrcode  # type: ignore[import-untyped]
    from qrcode.constants import ERROR_CORRECT_Q  # type: ignore[import-untyped]

    code = qrcode.QRCode(error_correction=ERROR_CORRECT_Q, border=0)
    code.add_data(payload)
    code.make(fit=True)
    return [[bool(module) for module in row] for row in code.get_matrix()]


def render(sheet: CoverSheet) -> bytes:
    """An A4 PDF of one page: heading, the agenda data, a large QR code and its payload."""
    from fpdf import FPDF

    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.core_fonts_encoding = _ENCODING
    pdf.set_creation_date(_CREATION_DATE)
    pdf.set_title(_safe(f"Lembar pengantar surat masuk {sheet.agenda_number}"))
    pdf.set_lang("id")
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(_PAGE_MARGIN, _PAGE_MARGIN, _PAGE_MARGIN)
    pdf.add_page()
    _heading(pdf, sheet)
    _agenda_table(pdf, sheet)
    _qr_block(pdf, cover_payload(sheet.letter_id))
    _instruction(pdf)
    return bytes(pdf.output())


def _heading(pdf: FPDF, sheet: CoverSheet) -> None:
    pdf.set_font("helvetica", style="B", size=12)
    pdf.multi_cell(0, 6, _safe(sheet.unit_name, _MAX_FIELD).upper(), align="C")
    pdf.ln(4)
    pdf.set_font("helvetica", style="B", size=16)
    pdf.cell(0, 9, HEADING, align="C", new_x="LMARGIN", new_y="NEXT")
    y = pdf.get_y() + 1
    pdf.set_line_width(0.6)
    pdf.line(_PAGE_MARGIN, y, pdf.w - _PAGE_MARGIN, y)
    pdf.ln(8)


def _agenda_table(pdf: FPDF, sheet: CoverSheet) -> None:
    rows = (
        ("Nomor Agenda", _safe(sheet.agenda_number, _MAX_FIELD)),
        ("Tanggal Diterima", sheet.received_on.strftime("%d-%m-%Y")),
        ("Pengirim", _safe(sheet.sender, _MAX_FIELD)),
        ("Nomor Surat", _safe(sheet.sender_number, _MAX_FIELD)),
        ("Perihal", _safe(sheet.subject, _MAX_SUBJECT)),
        ("Sifat", _label(sheet.sifat)),
        ("Urgensi", _label(sheet.urgensi)),
    )
    from fpdf.fonts import FontFace

    bold = FontFace(emphasis="BOLD")
    pdf.set_font("helvetica", size=11)
    value_width = pdf.epw - _LABEL_WIDTH
    with pdf.table(
        col_widths=(_LABEL_WIDTH, value_width),
        first_row_as_headings=False,
        text_align="LEFT",
        line_height=6,
        padding=2,
    ) as table:
        for label, value in rows:
            row = table.row()
            row.cell(label, style=bold)
            row.cell(value)
    pdf.ln(10)


def _qr_block(pdf: FPDF, payload: str) -> None:
    """The QR code as filled rectangles: sharp at any printer resolution, no raster image."""
    modules = qr_modules(payload)
    module = _QR_SIZE / len(modules)
    left = (pdf.w - _QR_SIZE) / 2
    top = pdf.get_y()
    pdf.set_fill_color(0, 0, 0)
    for y, row in enumerate(modules):
        for start, length in _dark_runs(row):
            pdf.rect(left + start * module, top + y * module, length * module, module, style="F")
    pdf.set_y(top + _QR_SIZE + 3)
    pdf.set_font("courier", size=9)
    pdf.cell(0, 5, payload, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)


def _dark_runs(row: list[bool]) -> list[tuple[int, int]]:
    """(start, length) of each run of dark modules: one rectangle per run keeps the PDF small."""
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for x, dark in enumerate([*row, False]):
        if dark and start is None:
            start = x
        elif not dark and start is not None:
            runs.append((start, x - start))
            start = None
    return runs


def _instruction(pdf: FPDF) -> None:
    pdf.set_font("helvetica", style="I", size=10)
    pdf.multi_cell(0, 5, INSTRUCTION, align="C")


def _label(value: str) -> str:
    """An enum value as a reader expects it: ``amat_segera`` is shown as ``amat segera``."""
    return _safe(value.replace("_", " "), _MAX_FIELD)


def _safe(text: str, limit: int | None = None) -> str:
    """Text the core fonts can draw: one line, characters outside cp1252 transliterated where
    Unicode knows how (``ş`` to ``s``) and replaced by ``?`` otherwise, cut to ``limit``."""
    flat = " ".join(text.split())
    if limit is not None and len(flat) > limit:
        flat = flat[: limit - 3].rstrip() + "..."
    return "".join(_encodable(char) for char in unicodedata.normalize("NFC", flat))


def _encodable(char: str) -> str:
    if unicodedata.category(char) == "Cc":
        return ""
    try:
        char.encode(_ENCODING)
    except UnicodeEncodeError:
        decomposed = unicodedata.normalize("NFKD", char)
        base = "".join(c for c in decomposed if not unicodedata.combining(c))
        try:
            return base.encode(_ENCODING).decode(_ENCODING) if base else "?"
        except UnicodeEncodeError:
            return "?"
    return char
