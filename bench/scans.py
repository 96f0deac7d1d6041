"""Scanned letters as office scanners deliver them, for the intake's tests and benchmarks: a PDF
of full-page grayscale JPEGs at 150 dpi with paper noise, lines of "words", a letterhead, a
signature and a stamp, optionally with an invisible OCR text layer, and optionally a first page
that is a scanned cover sheet (its QR code slightly rotated, as a sheet fed by hand is).

Speed over purity: every file gets a first page of its own (so files of different seeds differ),
the other pages come from a small pool drawn once per process. 200 files of 1-20 pages take a
few seconds.
"""

from __future__ import annotations

import io
import random
from datetime import UTC, datetime
from functools import cache, lru_cache

from eoffice.letters.cover_sheet import HEADING, qr_modules
from eoffice.letters.file_rules import cover_payload
from fpdf import FPDF
from fpdf.enums import TextMode
from PIL import Image, ImageDraw, ImageFont

PAGE_PIXELS = (1240, 1754)  # A4 at 150 dpi, a common "document" setting of office scanners
DPI = 150
JPEG_QUALITY = 65  # with the noise below: 100-135 KB a page, like a real 150 dpi scan
POOL_SIZE = 24  # body pages shared by all files; more than the 19 a 20-page file needs

_A4_MM = (210.0, 297.0)
_MARGIN = 150  # px
_LINE_PITCH = 34  # px
_CREATION_DATE = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)

SENTENCES = (
    "Dengan hormat, bersama ini kami sampaikan undangan rapat koordinasi penyusunan anggaran.",
    "Rapat akan dilaksanakan pada hari Senin di ruang rapat kantor bupati Luwu Timur di Malili.",
    "Sehubungan dengan surat Saudara, kami mohon data pegawai dikirimkan paling lambat Jumat.",
    "Mengingat pentingnya acara tersebut, dimohon kehadiran Bapak/Ibu tepat pada waktunya.",
    "Demikian surat ini kami sampaikan, atas perhatian dan kerja samanya diucapkan terima kasih.",
    "Berdasarkan Peraturan Bupati tentang tambahan penghasilan pegawai, laporan disampaikan tiap bulan.",
    "Kepala Dinas Pendidikan menugaskan pegawai tersebut untuk mengikuti bimbingan teknis.",
    "Lampiran surat ini memuat daftar nama peserta dan jadwal kegiatan di Kecamatan Wotu.",
    "Perihal permohonan izin penggunaan gedung serbaguna untuk kegiatan masyarakat desa.",
    "Tembusan disampaikan kepada Sekretaris Daerah dan Inspektur Kabupaten Luwu Timur.",
)


def make_scan(pages: int, *, with_text: bool, seed: int, cover_for: str | None = None) -> bytes:
    """A scanned letter of ``pages`` pages in all; with ``cover_for`` (a letter id) page 1 is that
    letter's cover sheet as scanned. Same arguments, same bytes."""
    if pages < 1:
        raise ValueError("A scan has at least one page")
    return _make_scan(pages, with_text, seed, cover_for)


@lru_cache(maxsize=32)
def _make_scan(pages: int, with_text: bool, seed: int, cover_for: str | None) -> bytes:
    rng = random.Random(seed)
    first = _cover_page(cover_for, seed) if cover_for else _letter_page(f"first:{seed}", True)
    images = [first, *(_pool_page(i) for i in rng.sample(range(POOL_SIZE), pages - 1))]
    pdf = FPDF(unit="mm", format="A4")
    pdf.set_creation_date(_CREATION_DATE)
    pdf.set_producer("Scanner OCR 4.2")  # what a multifunction printer's firmware writes
    pdf.set_auto_page_break(auto=False)
    for number, image in enumerate(images, start=1):
        pdf.add_page()
        pdf.image(io.BytesIO(image), x=0, y=0, w=_A4_MM[0], h=_A4_MM[1])
        if with_text:
            is_cover = number == 1 and cover_for is not None
            _ocr_layer(pdf, rng, [HEADING] if is_cover else None)
    return bytes(pdf.output())


def _ocr_layer(pdf: FPDF, rng: random.Random, lines: list[str] | None) -> None:
    """Invisible text where the page's lines are, as OCR software adds to a scan."""
    chosen = lines or rng.sample(SENTENCES, rng.randint(3, 6))
    pdf.set_font("helvetica", size=10)
    pdf.text_mode = TextMode.INVISIBLE
    for index, sentence in enumerate(chosen):
        pdf.text(25, 45 + index * 6, sentence)
    pdf.text_mode = TextMode.FILL


@cache
def _pool_page(index: int) -> bytes:
    return _letter_page(f"pool:{index}", index % 4 == 0)


def _letter_page(key: str, letterhead: bool) -> bytes:
    rng = random.Random(key)
    page = _paper(rng)
    draw = ImageDraw.Draw(page)
    top = _letterhead(draw, rng) if letterhead else _MARGIN
    bottom = _text_block(draw, rng, top + 40, rng.randint(1100, 1500))
    if rng.random() < 0.6:
        _signature(draw, rng, bottom + 60)
    return _jpeg(page)


def _cover_page(letter_id: str, seed: int) -> bytes:
    """The printed cover sheet as a scanner sees it: heading, a table, the QR code, and a slight
    skew from feeding the sheet by hand."""
    rng = random.Random(f"cover:{seed}")
    page = _paper(rng)
    draw = ImageDraw.Draw(page)
    width = PAGE_PIXELS[0]
    font = ImageFont.load_default(size=34)
    draw.text((width // 2, 190), HEADING, fill=25, font=font, anchor="mm")
    draw.line((_MARGIN, 230, width - _MARGIN, 230), fill=30, width=4)
    for row in range(7):
        y = 280 + row * 62
        draw.rectangle((_MARGIN, y, width - _MARGIN, y + 62), outline=60, width=2)
        draw.rectangle((_MARGIN + 20, y + 22, _MARGIN + 200, y + 40), fill=40)
        draw.rectangle((_MARGIN + 300, y + 22, _MARGIN + rng.randint(450, 900), y + 40), fill=45)
    _draw_qr(draw, cover_payload(letter_id), top=780)
    skewed = page.rotate(rng.uniform(-1.5, 1.5), resample=Image.Resampling.BILINEAR, fillcolor=240)
    return _jpeg(skewed)


def _draw_qr(draw: ImageDraw.ImageDraw, payload: str, *, top: int) -> None:
    modules = qr_modules(payload)
    module = round(60 / 25.4 * DPI / len(modules))  # 60 mm wide, as cover_sheet prints it
    size = module * len(modules)
    left = (PAGE_PIXELS[0] - size) // 2
    quiet = 4 * module
    draw.rectangle((left - quiet, top - quiet, left + size + quiet, top + size + quiet), fill=245)
    for y, row in enumerate(modules):
        for x, dark in enumerate(row):
            if dark:
                x0, y0 = left + x * module, top + y * module
                draw.rectangle((x0, y0, x0 + module - 1, y0 + module - 1), fill=35)


def _paper(rng: random.Random) -> Image.Image:
    """Off-white paper with scanner noise: a window of one noise texture made per process."""
    texture = _texture()
    dx = rng.randrange(texture.width - PAGE_PIXELS[0])
    dy = rng.randrange(texture.height - PAGE_PIXELS[1])
    return texture.crop((dx, dy, dx + PAGE_PIXELS[0], dy + PAGE_PIXELS[1]))


@cache
def _texture() -> Image.Image:
    width, height = PAGE_PIXELS[0] + 256, PAGE_PIXELS[1] + 256
    coarse = Image.effect_noise((width // 2, height // 2), 20).resize((width, height))
    return coarse.point(lambda value: 238 + value * 12 // 255)


def _letterhead(draw: ImageDraw.ImageDraw, rng: random.Random) -> int:
    """A regency letterhead: emblem, two lines of title, a double rule. Returns its bottom."""
    draw.ellipse((_MARGIN, 90, _MARGIN + 130, 220), outline=40, width=6)
    draw.rectangle((_MARGIN + 40, 130, _MARGIN + 90, 180), fill=70)
    for y, length in ((110, 700), (150, 820), (195, 560)):
        left = max((PAGE_PIXELS[0] - length) // 2 + 70, _MARGIN + 170)
        draw.rectangle((left, y, left + length + rng.randint(-40, 40), y + 24), fill=30)
    draw.line((_MARGIN, 250, PAGE_PIXELS[0] - _MARGIN, 250), fill=20, width=6)
    draw.line((_MARGIN, 260, PAGE_PIXELS[0] - _MARGIN, 260), fill=20, width=2)
    return 270


def _text_block(draw: ImageDraw.ImageDraw, rng: random.Random, top: int, bottom: int) -> int:
    """Lines of dark "words" with ragged right ends and paragraph breaks. Returns the last y."""
    right = PAGE_PIXELS[0] - _MARGIN
    y = top
    while y < bottom:
        x = _MARGIN + (60 if rng.random() < 0.15 else 0)
        end = right - (rng.randint(100, 600) if rng.random() < 0.15 else rng.randint(0, 40))
        while x < end:
            width = rng.randint(18, 120)
            draw.rectangle((x, y, min(x + width, end), y + 15), fill=rng.randint(15, 70))
            x += width + rng.randint(10, 16)
        y += _LINE_PITCH * (2 if rng.random() < 0.12 else 1)
    return y


def _signature(draw: ImageDraw.ImageDraw, rng: random.Random, top: int) -> None:
    """A scribbled signature over a round stamp, and the signer's name below."""
    left = PAGE_PIXELS[0] - _MARGIN - 380
    draw.ellipse((left - 40, top, left + 160, top + 200), outline=90, width=5)
    points = [(left + i * 18, top + 90 + rng.randint(-45, 45)) for i in range(16)]
    draw.line(points, fill=20, width=4, joint="curve")
    draw.rectangle((left, top + 230, left + 300, top + 248), fill=30)
    draw.rectangle((left, top + 265, left + 240, top + 280), fill=50)


def _jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=JPEG_QUALITY, dpi=(DPI, DPI))
    return buffer.getvalue()
