"""A regency letter drafted from a template: placeholders mark where the number, the date line
and each signature go (``[[nomor]]``, ``[[tanggal]]``, ``[[ttd1]]``...).

Used by the tests and by ``eoffice sample-letter`` (a draft for a newcomer to sign). The
placeholders are written with ``FPDF.text`` (baseline at a known point), so
:func:`placeholder_origins` says exactly where they are in PDF user space.

:func:`received_letter` is the other direction, for ``eoffice sample-scan``: a letter another
agency sent, to register as incoming.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

PAGE_HEIGHT = 841.89  # A4 in points, as fpdf2 sets it
LEFT = 72.0
NUMBER_LABEL = "Nomor       : "
NUMBER_BASELINE = 170.0
"""Distance of the ``Nomor`` line's baseline from the top edge (fpdf2 measures from the top)."""
DATE_X, DATE_BASELINE = 340.0, 150.0
SIGNATURE_BASELINE = 680.0
SIGNATURE_COLUMN_X = 340.0
SIGNATURE_COLUMN_STEP = 268.0
"""Two signers side by side: each ``[[ttdN]]`` has the mark's width (210 pt) to its right."""
SIGNATURE_COLUMNS = 2
SIGNATURE_ROW_STEP = 130.0
"""A third signer a row higher: the mark's height (84 pt) above ``[[ttdN]]``, the position and
name (42 pt) under it."""
SIGNERS = (
    ("Kepala Dinas Kominfo", "Budi Santoso, S.Kom.", "19800101 200501 1 001"),
    ("Sekretaris Daerah", "Ir. Andi Makkasau, M.Si.", "19700202 199503 1 002"),
    ("Bupati Luwu Timur", "Drs. H. Muhammad Ilham", ""),
)
BODY = (
    "Dengan hormat, dalam rangka percepatan transformasi digital pemerintah daerah, bersama ini "
    "kami mengundang Saudara untuk menghadiri rapat koordinasi yang akan dilaksanakan pada hari "
    "Senin, 30 November 2026, pukul 09.00 WITA, bertempat di Ruang Rapat Sekretariat Daerah "
    "Kabupaten Luwu Timur, Malili. Mengingat pentingnya acara tersebut, dimohon kehadiran "
    "Saudara tepat pada waktunya. Demikian disampaikan, atas perhatiannya diucapkan terima kasih."
)


def letter_with_placeholders(signers: int = 1) -> bytes:
    """A one-page A4 letter with a kop surat, ``[[nomor]]``, ``[[tanggal]]`` and one
    ``[[ttdN]]`` block per signer (bottom right, then left, then a row higher)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="pt")
    pdf.set_auto_page_break(False)
    pdf.set_margins(LEFT, 36, LEFT)
    pdf.add_page()
    _kop(pdf)
    addressee = "Para Kepala Perangkat Daerah\nse-Kabupaten Luwu Timur"
    _head(pdf, "[[tanggal]]", "[[nomor]]", "-", addressee)
    pdf.set_xy(LEFT, 340)
    pdf.multi_cell(0, 15, BODY, align="J")
    for slot in range(signers):
        _signature_block(pdf, slot)
    return bytes(pdf.output())


def placeholder_origins(signers: int = 1) -> dict[str, tuple[float, float]]:
    """Where fpdf2 drew each placeholder: its baseline origin in PDF user space (y upwards)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="pt")
    pdf.set_font("Helvetica", "", 11)
    origins = {
        "tanggal": (DATE_X, PAGE_HEIGHT - DATE_BASELINE),
        "nomor": (LEFT + pdf.get_string_width(NUMBER_LABEL), PAGE_HEIGHT - NUMBER_BASELINE),
    }
    for slot in range(signers):
        x, baseline = _signature_origin(slot)
        origins[f"ttd{slot + 1}"] = (x, PAGE_HEIGHT - baseline)
    return origins


RECEIVED_FROM = (
    "DINAS PENDIDIKAN",
    "Jl. Pendidikan No. 3, Puncak Indah, Malili, Sulawesi Selatan 92981",
)
RECEIVED_BODY = (
    "Dengan hormat, dalam rangka pendataan sarana teknologi informasi dan komunikasi sekolah "
    "se-Kabupaten Luwu Timur, bersama ini kami mengundang Saudara atau pejabat yang ditunjuk "
    "untuk menghadiri rapat koordinasi pada hari Senin pekan depan, pukul 09.00 WITA, bertempat "
    "di Aula Dinas Pendidikan, Malili. Demikian disampaikan, atas perhatian dan kerja samanya "
    "diucapkan terima kasih."
)
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
_MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
    "Oktober", "November", "Desember",
)  # fmt: skip


def received_letter(now: datetime | None = None) -> tuple[str, bytes]:
    """A letter of Dinas Pendidikan to the head of Diskominfo-SP as a scanner delivers it: its
    number and the PDF. Each call is a new letter (its own number and scan id), so its bytes are
    new: the intake refuses a file its unit already has as a duplicate."""
    from eoffice import clock
    from fpdf import FPDF

    now = (now or clock.utcnow()).astimezone(clock.regency_tz())
    sent = (now - timedelta(days=2)).date()
    number = f"800/{secrets.randbelow(900) + 100}/DISDIK/{_ROMAN[sent.month - 1]}/{sent.year}"
    pdf = FPDF(format="A4", unit="pt")
    pdf.set_margins(LEFT, 60, LEFT)
    pdf.add_page()
    _kop(pdf, *RECEIVED_FROM)
    dated = f"Malili, {sent.day} {_MONTHS[sent.month - 1]} {sent.year}"
    _head(pdf, dated, number, "1 (satu) berkas", "Kepala Diskominfo-SP\nKabupaten Luwu Timur")
    pdf.set_xy(LEFT, 340)
    pdf.multi_cell(0, 15, RECEIVED_BODY, align="J")
    pdf.set_font("Helvetica", "", 7)
    pdf.text(LEFT, 800, f"Dipindai {now:%d-%m-%Y %H.%M} WITA, ID pindai {secrets.token_hex(6)}")
    return number, bytes(pdf.output())


def plain_letter(text: str, *, title: str = "UNDANGAN") -> bytes:
    """A one-page letter without placeholders: its number and date go to the top margin."""
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="pt")
    pdf.set_margins(LEFT, 60, LEFT)
    pdf.add_page()
    _kop(pdf)
    pdf.ln(24)
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 16, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(12)
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(0, 15, text)
    return bytes(pdf.output())


def _kop(
    pdf: Any,
    office: str = "DINAS KOMUNIKASI, INFORMATIKA, STATISTIK DAN PERSANDIAN",
    address: str = "Jl. Soekarno Hatta No. 1, Puncak Indah, Malili, Sulawesi Selatan 92981",
) -> None:
    """The letterhead: government, office, address, and the double rule under it."""
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 18, "PEMERINTAH KABUPATEN LUWU TIMUR", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 16, office, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    pdf.cell(0, 12, address, align="C", new_x="LMARGIN", new_y="NEXT")
    y = pdf.get_y() + 4
    pdf.set_line_width(1.5)
    pdf.line(LEFT, y, 595.28 - LEFT, y)
    pdf.set_line_width(0.5)
    pdf.line(LEFT, y + 3, 595.28 - LEFT, y + 3)


def _head(pdf: Any, dated: str, number: str, attachments: str, addressee: str) -> None:
    """The date line, the number block (nomor, sifat, lampiran, perihal) and the addressee."""
    pdf.set_font("Helvetica", "", 11)
    pdf.text(DATE_X, DATE_BASELINE, dated)
    lines = [
        f"{NUMBER_LABEL}{number}",
        "Sifat         : Biasa",
        f"Lampiran   : {attachments}",
        "Perihal      : Undangan Rapat Koordinasi",
    ]
    for index, line in enumerate(lines):
        pdf.text(LEFT, NUMBER_BASELINE + 15 * index, line)
    pdf.set_xy(LEFT, 245)
    pdf.multi_cell(0, 15, f"Kepada Yth.\n{addressee}\ndi -\n  Tempat")


def _signature_origin(slot: int) -> tuple[float, float]:
    row, column = divmod(slot, SIGNATURE_COLUMNS)
    return (
        SIGNATURE_COLUMN_X - column * SIGNATURE_COLUMN_STEP,
        SIGNATURE_BASELINE - row * SIGNATURE_ROW_STEP,
    )


def _signature_block(pdf: Any, slot: int) -> None:
    """``[[ttdN]]`` with room above it for the mark, the position and name under it."""
    position, name, nip = SIGNERS[slot % len(SIGNERS)]
    x, baseline = _signature_origin(slot)
    pdf.set_font("Helvetica", "", 11)
    pdf.text(x, baseline, f"[[ttd{slot + 1}]]")
    pdf.set_font("Helvetica", "", 10)
    pdf.text(x, baseline + 16, f"{position},")
    pdf.set_font("Helvetica", "BU", 10)
    pdf.text(x, baseline + 30, name)
    if nip:
        pdf.set_font("Helvetica", "", 9)
        pdf.text(x, baseline + 42, f"NIP. {nip}")
