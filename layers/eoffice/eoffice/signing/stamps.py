"""What a signed letter shows: its number, date line and footer, and the QR signature mark.

A draft made from a template marks the places (:mod:`eoffice.signing.placeholders`): the
placeholders' text is cut out of the pages (a white box covers any that could not be cut), the
number and date line written in their place, and each signature mark placed on its ``[[ttdN]]``. Without them, the number and date line go on one
small line in the top margin of page 1 (above a letterhead, not over it) and the marks side by
side at the bottom of the last page.

The stamps are drawn with PDF standard fonts (Helvetica, not embedded): OpenType fonts rendered
with broken spacing in pyHanko 0.38, and standard fonts cost nothing. Words printed here reach
officials, so they are Indonesian.
"""

from __future__ import annotations

import functools
import io
import textwrap
from typing import TYPE_CHECKING, Any, NamedTuple

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.font.basic import SimpleFontEngineFactory
from pyhanko.pdf_utils.layout import (
    AxisAlignment,
    BoxConstraints,
    InnerScaling,
    Margins,
    SimpleBoxLayoutRule,
)
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.stamp import QRPosition, QRStampStyle, TextStamp, TextStampStyle

from eoffice.signing.placeholders import Placeholder, Placeholders, settle
from eoffice.signing.qr_code import FastQRStampStyle

if TYPE_CHECKING:
    from pyhanko.pdf_utils.writer import BasePdfFileWriter

    from eoffice.signing.pades_models import LetterStamps, VisibleSignature

SIGNATURE_HEADING = "Ditandatangani secara elektronik oleh"
_HELVETICA_AVG_WIDTH = 0.5  # of the font size; pyHanko estimates widths from it
_LEADING = 1.25
_TEXT_BOX_MARGIN = 10  # pyHanko's DEFAULT_TEXT_BOX_MARGIN
TOP_LINE_SIZE = 8
TOP_LINE_FROM_TOP = 14.0
"""The top of the fallback number/date line, from the page's top edge (above a letterhead)."""
FOOTER_SIZE = 7
SIGNATURE_TEXT_SIZES = ((8, 10), (7, 9))
"""The mark's caption: (font size, leading) in points, the first whose lines fit the mark."""

MARGIN = 36.0
"""Page margin of the stamps and signature marks, in points."""
QR_SIZE = 76
"""The QR code's side in points, its quiet zone of 4 modules included: the modules of a
verification address (QR version 3 to 6) span 21-23 mm, enough for a phone to read the printed
letter and to decode from a 100 dpi scan."""
QR_SEPARATION = 3
"""Between the QR code and the mark's edge, and (doubled) the caption, in points."""
SLOT_WIDTH, SLOT_HEIGHT, SLOT_GAP = 210.0, 84.0, 8.0
"""The mark: the QR code, then its caption in a column of about 120 pt."""
CAPTION_WIDTH = SLOT_WIDTH - QR_SIZE - 4 * QR_SEPARATION
SLOTS_BOTTOM = 48.0
"""The lowest row of signature marks starts here, above the footer."""
PLACEHOLDER_TEXT_SIZES = (7.0, 14.0)
"""The number and date line take the placeholder's size, kept within these bounds."""
_OVERLAY_FONT = "/EofficeHelv"
"""Font resource of the overlays; on a page it also says its placeholders are covered."""
_HELVETICA_CAP_HEIGHT = 0.72
_WIDTH_FIXES = {"\u2014": 1000.0, "\u2013": 556.0, "\u2026": 1000.0}
"""Helvetica widths pypdf's core metrics lack (em and en dash, ellipsis), in 1/1000 em."""


def _text_style(size: int) -> TextBoxStyle:
    return TextBoxStyle(
        font=SimpleFontEngineFactory("Helvetica", _HELVETICA_AVG_WIDTH), font_size=size
    )


def _flush_left(x_align: AxisAlignment = AxisAlignment.ALIGN_MIN) -> SimpleBoxLayoutRule:
    """Text kept at its size (no shrinking), aligned in its box."""
    return SimpleBoxLayoutRule(
        x_align=x_align,
        y_align=AxisAlignment.ALIGN_MID,
        margins=Margins.uniform(0),
        inner_content_scaling=InnerScaling.NO_SCALING,
    )


@functools.cache
def _qr_style(size: int, leading: int) -> FastQRStampStyle:
    """The visible signature: the QR code opens the verification page, the caption says who and
    when. Nothing is scaled: the code and the text keep the sizes set here."""
    text_box = TextBoxStyle(
        font=SimpleFontEngineFactory("Helvetica", _HELVETICA_AVG_WIDTH),
        font_size=size,
        leading=leading,
        box_layout_rule=SimpleBoxLayoutRule(
            x_align=AxisAlignment.ALIGN_MIN,
            y_align=AxisAlignment.ALIGN_MID,
            margins=Margins(left=QR_SEPARATION),
            inner_content_scaling=InnerScaling.NO_SCALING,
        ),
    )
    return FastQRStampStyle(
        border_width=0,
        innsep=QR_SEPARATION,
        qr_inner_size=QR_SIZE,
        qr_position=QRPosition.LEFT_OF_TEXT,
        stamp_text="%(keterangan)s",
        text_box_style=text_box,
        inner_content_layout=_flush_left(),
    )


_FOOTER_STYLE = TextStampStyle(
    border_width=0,
    stamp_text="%(t)s",
    text_box_style=_text_style(FOOTER_SIZE),
    inner_content_layout=_flush_left(AxisAlignment.ALIGN_MID),
)


def signature_appearance(visible: VisibleSignature) -> tuple[QRStampStyle, dict[str, str]]:
    """The stamp style and ``appearance_text_params`` of a mark (``url`` feeds the QR code)."""
    size, leading, lines = caption(visible)
    return _qr_style(size, leading), {"url": visible.verify_url, "keterangan": "\n".join(lines)}


def caption(visible: VisibleSignature) -> tuple[int, int, list[str]]:
    """(font size, leading, lines) of the mark's caption: heading, name, position and time,
    wrapped to :data:`CAPTION_WIDTH` with Helvetica's real widths, at the largest size of
    :data:`SIGNATURE_TEXT_SIZES` whose lines fit the mark's height; at the smallest, a
    position too long for the rest is cut with an ellipsis."""
    parts = [SIGNATURE_HEADING, visible.signer_name, visible.position, visible.signed_at_text]
    for size, leading in SIGNATURE_TEXT_SIZES:
        lines = [line for part in parts for line in _lines(part, size, CAPTION_WIDTH)]
        if len(lines) * leading <= SLOT_HEIGHT:
            return size, leading, lines
    room = int(SLOT_HEIGHT // leading)
    fixed = [_lines(part, size, CAPTION_WIDTH) for part in parts]
    position_room = max(1, room - len(fixed[0]) - len(fixed[1]) - len(fixed[3]))
    position = fixed[2][:position_room]
    if len(fixed[2]) > position_room:  # cut: say so
        position[-1] = _ellipsis(position[-1], size)
    return size, leading, [*fixed[0], *fixed[1], *position, *fixed[3]]


def _lines(text: str, size: float, width: float) -> list[str]:
    """``text`` broken between words into lines of at most ``width`` points (a single word
    longer than that keeps its line)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if line and text_width(candidate, size) > width:
            lines.append(line)
            candidate = word
        line = candidate
    return [*lines, line] if line else lines or [""]


def _ellipsis(line: str, size: float) -> str:
    while line and text_width(line + "\u2026", size) > CAPTION_WIDTH:
        line = line[:-1].rstrip()
    return line + "\u2026"


class PageBox(NamedTuple):
    left: float
    bottom: float
    width: float
    height: float


def page_count(writer: BasePdfFileWriter) -> int:
    return int(writer.root["/Pages"]["/Count"])


def page_box(writer: BasePdfFileWriter, index: int) -> PageBox:
    """The page's MediaBox (inherited from the page tree when the page has none)."""
    page_ref, _ = writer.find_page_for_modification(index)
    node: Any = page_ref.get_object()
    while "/MediaBox" not in node and "/Parent" in node:
        node = node["/Parent"].get_object()
    x1, y1, x2, y2 = (float(v) for v in node["/MediaBox"])
    return PageBox(min(x1, x2), min(y1, y2), abs(x2 - x1), abs(y2 - y1))


def slot_box(page: PageBox, slot: int) -> tuple[float, float, float, float]:
    """(x, y, width, height) of signature ``slot``: left to right, then a row higher."""
    if slot < 0:
        raise ValueError("slot must be 0 or more")
    usable = page.width - 2 * MARGIN
    per_row = max(1, int((usable + SLOT_GAP) // (SLOT_WIDTH + SLOT_GAP)))
    row, column = divmod(slot, per_row)
    x = page.left + MARGIN + column * (SLOT_WIDTH + SLOT_GAP)
    y = page.bottom + SLOTS_BOTTOM + row * (SLOT_HEIGHT + SLOT_GAP)
    return x, y, SLOT_WIDTH, SLOT_HEIGHT


def signature_box_at(page: PageBox, placeholder: Placeholder) -> tuple[float, float, float, float]:
    """(x, y, width, height) of the mark on ``placeholder``: its lower-left corner there, the
    usual size, moved back onto the page if it would stick out."""
    x, y, _, _ = placeholder.box
    x = min(max(x, page.left), page.left + page.width - SLOT_WIDTH)
    y = min(max(y, page.bottom), page.bottom + page.height - SLOT_HEIGHT)
    return x, y, SLOT_WIDTH, SLOT_HEIGHT


def apply_letter_stamps(
    writer: BasePdfFileWriter, stamps: LetterStamps, found: Placeholders | None = None
) -> None:
    """Number and date line on their placeholders (else in the top margin of page 1), every
    placeholder covered, the footer at the bottom of every page."""
    found = found or Placeholders()
    settle(writer, found)
    texts = {"nomor": stamps.number, "tanggal": stamps.date_line}
    overlays = _covers(writer, found, texts)
    top = [
        text
        for name, text in (("nomor", f"Nomor: {stamps.number}"), ("tanggal", stamps.date_line))
        if not found.named(name)
    ]
    if top:
        overlays.setdefault(0, []).append(_top_line(page_box(writer, 0), top))
    for index, operators in sorted(overlays.items()):
        _add_overlay(writer, index, operators)
    for index in range(page_count(writer)):
        page = page_box(writer, index)
        width = page.width - 2 * MARGIN
        text = _wrapped(stamps.footer, FOOTER_SIZE, width)
        _stamp(writer, _FOOTER_STYLE, text, FOOTER_SIZE, width).apply(
            index, int(page.left + MARGIN), int(page.bottom + 10)
        )


def cover_placeholders(writer: BasePdfFileWriter, found: Placeholders) -> None:
    """White boxes over the placeholders of pages not covered yet (a first signature without
    letter stamps: the template's marks must not show, nor be in the text)."""
    settle(writer, found)
    overlays = _covers(writer, found, {})
    for index, operators in sorted(overlays.items()):
        if not _covered(writer, index):
            _add_overlay(writer, index, operators)


def _covers(
    writer: BasePdfFileWriter, found: Placeholders, texts: dict[str, str]
) -> dict[int, list[bytes]]:
    """Per page: a white box over each placeholder, and its text when it has one."""
    overlays: dict[int, list[bytes]] = {}
    for placeholder in found.found:
        x, y, width, height = placeholder.box
        operators = [b"1 g %.2f %.2f %.2f %.2f re f\n" % (x - 1, y - 1, width + 2, height + 2)]
        text = texts.get(placeholder.name)
        if text:
            low, high = PLACEHOLDER_TEXT_SIZES
            size = min(max(placeholder.font_size, low), high)
            page = page_box(writer, placeholder.page)
            right = page.left + page.width - MARGIN / 2
            left = max(page.left, min(placeholder.x, right - text_width(text, size)))
            operators.append(_text(text, size, left, placeholder.y))
        overlays.setdefault(placeholder.page, []).extend(operators)
    return overlays


def _top_line(page: PageBox, parts: list[str]) -> bytes:
    """The number and date line, right-aligned in the top margin: one line when it fits."""
    width = page.width - 2 * MARGIN
    lines = [" \u2014 ".join(parts)]
    if len(parts) > 1 and text_width(lines[0], TOP_LINE_SIZE) > width:
        lines = parts
    right = page.left + page.width - MARGIN
    top = page.bottom + page.height - TOP_LINE_FROM_TOP
    operators = []
    for number, line in enumerate(lines):
        baseline = top - _HELVETICA_CAP_HEIGHT * TOP_LINE_SIZE - number * TOP_LINE_SIZE * _LEADING
        left = max(page.left + MARGIN, right - text_width(line, TOP_LINE_SIZE))
        operators.append(_text(line, TOP_LINE_SIZE, left, baseline))
    return b"".join(operators)


def text_width(text: str, size: float) -> float:
    """Width of ``text`` in Helvetica at ``size`` points (the font's real metrics)."""
    widths = _helvetica_widths()
    default = widths["default"]
    units = sum(_WIDTH_FIXES.get(c) or widths.get(c, default) for c in text)
    return float(units) * size / 1000


@functools.cache
def _helvetica_widths() -> dict[str, float]:
    from pypdf.generic._font import Font

    return Font.from_core_font_name("/Helvetica").character_widths


def _text(text: str, size: float, x: float, y: float) -> bytes:
    """Black Helvetica text from its baseline origin; WinAnsi covers Indonesian text."""
    encoded = text.encode("cp1252", errors="replace")
    escaped = encoded.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    head = b"0 g BT %s %.2f Tf %.2f %.2f Td (" % (_OVERLAY_FONT.encode(), size, x, y)
    return head + escaped + b") Tj ET\n"


def _covered(writer: BasePdfFileWriter, index: int) -> bool:
    _, resources = writer.find_page_for_modification(index)
    fonts: Any = resources.get_object().get("/Font") if resources is not None else None
    return fonts is not None and _OVERLAY_FONT in fonts.get_object()


def _add_overlay(writer: BasePdfFileWriter, index: int, operators: list[bytes]) -> None:
    """Draw ``operators`` over page ``index`` in the default coordinate system: the page's own
    content is wrapped in q/Q first, so a transformation it leaves behind does not apply."""
    font = generic.DictionaryObject(
        {
            generic.pdf_name("/Type"): generic.pdf_name("/Font"),
            generic.pdf_name("/Subtype"): generic.pdf_name("/Type1"),
            generic.pdf_name("/BaseFont"): generic.pdf_name("/Helvetica"),
            generic.pdf_name("/Encoding"): generic.pdf_name("/WinAnsiEncoding"),
        }
    )
    resources = generic.DictionaryObject(
        {
            generic.pdf_name("/Font"): generic.DictionaryObject(
                {generic.pdf_name(_OVERLAY_FONT): writer.add_object(font)}
            )
        }
    )
    opening = writer.add_object(generic.StreamObject(stream_data=b"q\n"))
    writer.add_stream_to_page(index, opening, prepend=True)
    body = b"Q\nq\n" + b"".join(operators) + b"Q\n"
    overlay = writer.add_object(generic.StreamObject(stream_data=body))
    writer.add_stream_to_page(index, overlay, resources=resources)


def _wrapped(text: str, size: int, width: float) -> str:
    columns = max(20, int(width / (size * _HELVETICA_AVG_WIDTH * 1.1)))
    return "\n".join(textwrap.wrap(text, columns)) or " "


def _text_height(text: str, size: int) -> float:
    """The box height pyHanko lays the text out in: the lines and its 10 pt margins."""
    return (text.count("\n") + 1) * size * _LEADING + 2 * _TEXT_BOX_MARGIN + 4


def _stamp(
    writer: BasePdfFileWriter, style: TextStampStyle, text: str, size: int, width: float
) -> TextStamp:
    box = BoxConstraints(width=int(width), height=int(_text_height(text, size)))
    return TextStamp(writer, style, text_params={"t": text}, box=box)


def appearance_png(visible: VisibleSignature, *, scale: int = 3) -> bytes:
    """The signature mark as a PNG (QR code and caption), for BSrE's ``imageBase64``: the layout
    and sizes of the mark this system draws itself (:func:`signature_appearance`).

    ``scale`` pixels per point of :data:`SLOT_WIDTH` x :data:`SLOT_HEIGHT`, so the image has the
    proportions of the box it is placed in.
    """
    import qrcode  # type: ignore[import-untyped]
    from PIL import Image, ImageDraw, ImageFont

    width, height = int(SLOT_WIDTH * scale), int(SLOT_HEIGHT * scale)
    image = Image.new("RGB", (width, height), "white")
    code = qrcode.QRCode(border=4, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(visible.verify_url)
    side = QR_SIZE * scale
    qr = code.make_image().get_image().convert("RGB")
    image.paste(
        qr.resize((side, side), Image.Resampling.NEAREST),
        (QR_SEPARATION * scale, (height - side) // 2),
    )
    draw = ImageDraw.Draw(image)
    size, leading, lines = caption(visible)
    font = ImageFont.load_default(size=size * scale)
    left = (QR_SIZE + 3 * QR_SEPARATION) * scale
    top = (height - len(lines) * leading * scale) / 2
    for number, line in enumerate(lines):
        draw.text((left, top + number * leading * scale), line, fill="black", font=font)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
