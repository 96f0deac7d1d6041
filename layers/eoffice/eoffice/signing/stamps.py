"""What a signed letter shows: its number, date line and footer, and the QR signature mark.

The stamps are drawn with PDF standard fonts (Helvetica, not embedded): OpenType fonts rendered
with broken spacing in pyHanko 0.38, and standard fonts cost nothing. Words printed here reach
officials, so they are Indonesian.
"""

from __future__ import annotations

import io
import textwrap
from typing import TYPE_CHECKING, Any, NamedTuple

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

if TYPE_CHECKING:
    from pyhanko.pdf_utils.writer import BasePdfFileWriter

    from eoffice.signing.pades import LetterStamps, VisibleSignature

SIGNATURE_HEADING = "Ditandatangani secara elektronik oleh"
_HELVETICA_AVG_WIDTH = 0.5  # of the font size; pyHanko estimates widths from it
_LEADING = 1.25
_TEXT_BOX_MARGIN = 10  # pyHanko's DEFAULT_TEXT_BOX_MARGIN
HEADER_SIZE = 10
FOOTER_SIZE = 7
SIGNATURE_TEXT_SIZE = 7

MARGIN = 36.0
"""Page margin of the stamps and signature marks, in points."""
SLOT_WIDTH, SLOT_HEIGHT, SLOT_GAP = 170.0, 64.0, 8.0
SLOTS_BOTTOM = 48.0
"""The lowest row of signature marks starts here, above the footer."""
HEADER_WIDTH = 240.0


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


QR_STYLE = QRStampStyle(
    border_width=0,
    qr_position=QRPosition.LEFT_OF_TEXT,
    stamp_text=f"{SIGNATURE_HEADING}\n%(nama)s\n%(jabatan)s\n%(waktu)s",
    text_box_style=_text_style(SIGNATURE_TEXT_SIZE),
)
"""The visible signature: the QR code opens the verification page, the text says who and when."""

_HEADER_STYLE = TextStampStyle(
    border_width=0,
    stamp_text="%(t)s",
    text_box_style=_text_style(HEADER_SIZE),
    inner_content_layout=_flush_left(),
)
_FOOTER_STYLE = TextStampStyle(
    border_width=0,
    stamp_text="%(t)s",
    text_box_style=_text_style(FOOTER_SIZE),
    inner_content_layout=_flush_left(AxisAlignment.ALIGN_MID),
)


def signature_text_params(visible: VisibleSignature) -> dict[str, str]:
    """The ``appearance_text_params`` of :data:`QR_STYLE` (``url`` feeds the QR code)."""
    return {
        "url": visible.verify_url,
        "nama": visible.signer_name,
        "jabatan": visible.position,
        "waktu": visible.signed_at_text,
    }


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


def apply_letter_stamps(writer: BasePdfFileWriter, stamps: LetterStamps) -> None:
    """Number and date line at the top right of page 1, the footer at the bottom of every page."""
    first = page_box(writer, 0)
    header = f"{stamps.number}\n{stamps.date_line}"
    _stamp(writer, _HEADER_STYLE, header, HEADER_SIZE, HEADER_WIDTH).apply(
        0,
        int(first.left + first.width - MARGIN - HEADER_WIDTH),
        int(first.bottom + first.height - MARGIN - _text_height(header, HEADER_SIZE)),
    )
    for index in range(page_count(writer)):
        page = page_box(writer, index)
        width = page.width - 2 * MARGIN
        text = _wrapped(stamps.footer, FOOTER_SIZE, width)
        _stamp(writer, _FOOTER_STYLE, text, FOOTER_SIZE, width).apply(
            index, int(page.left + MARGIN), int(page.bottom + 10)
        )


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
    """The signature mark as a PNG (QR code and text), for BSrE's ``imageBase64``.

    ``scale`` pixels per point of :data:`SLOT_WIDTH` x :data:`SLOT_HEIGHT`, so the image has the
    proportions of the box it is placed in.
    """
    import qrcode  # type: ignore[import-untyped]
    from PIL import Image, ImageDraw, ImageFont

    width, height = int(SLOT_WIDTH * scale), int(SLOT_HEIGHT * scale)
    image = Image.new("RGB", (width, height), "white")
    code = qrcode.QRCode(border=1, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(visible.verify_url)
    qr = (
        code.make_image()
        .get_image()
        .convert("RGB")
        .resize((height, height), Image.Resampling.NEAREST)
    )
    image.paste(qr, (0, 0))
    draw = ImageDraw.Draw(image)
    lines = [SIGNATURE_HEADING, visible.signer_name, visible.position, visible.signed_at_text]
    size = max(8, SIGNATURE_TEXT_SIZE * scale)
    font = ImageFont.load_default(size=size)
    top = (height - len(lines) * size * _LEADING) / 2
    for number, line in enumerate(lines):
        draw.text(
            (height + 2 * scale, top + number * size * _LEADING), line, fill="black", font=font
        )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
