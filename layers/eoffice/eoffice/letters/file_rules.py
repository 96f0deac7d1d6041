"""What an incoming letter's file really is, judged by its content, never its name: scanners and
clerks send PDFs, JPEGs, PNGs and TIFFs, and a file that claims one thing and is another, or that
no viewer could open, must be refused at intake rather than found broken when a head opens it.

``inspect`` also reads what the intake needs next: the page count, the PDF's text layer (search,
``has_text``) and the QR codes on the first page, where a cover sheet (``cover_sheet.py``) names
the registered letter a scan belongs to.

A PDF that carries active content (``active_content.py``) is refused, and so is any file whose
inspection would cost more than ``limits.Limits`` allow (pages, inflated bytes, objects, pixels,
time): a small hostile file must not exhaust the function (docs/decisions/0015-hostile-files.md).
``check`` applies the same checks to files that are kept and opened but never searched or filed
by a cover sheet (a disposition report's file, a leave's document): no text, no QR codes.

pypdf, Pillow and zxing-cpp are imported inside the functions: the API and attendance functions
import this module for its types, the cover-sheet payload and ``check``, and must not load them
at start-up (``check`` needs pypdf and Pillow, never zxing-cpp).
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from eoffice.letters import active_content, pypdf_tables
from eoffice.letters.limits import (
    DEFAULT,
    Budget,
    Limits,
    TextOutOfTime,
    TooComplex,
    count_pages,
    inflate,
)

if TYPE_CHECKING:
    from PIL.Image import Image
    from pypdf import PageObject, PdfReader

MAX_TEXT_CHARS = 100_000
"""The text layer kept for search; a longer document is cut (the file itself is kept whole)."""

COVER_PREFIX = "EOFFICE-LETTER:"
"""A cover sheet's QR payload is this prefix and the letter id, e.g. ``EOFFICE-LETTER:3f2a...``."""

SNIFF_BYTES = 1024
"""How far into a file the PDF header may start (Acrobat's tolerance for leading junk)."""

_LETTER_ID = r"[0-9a-f]{32}"
_PAYLOAD = re.compile(re.escape(COVER_PREFIX) + f"({_LETTER_ID})")
_MARKER_IN_TEXT = re.compile(re.escape(COVER_PREFIX) + f"({_LETTER_ID})(?![0-9a-f])")

# Only these may precede "%PDF-": whitespace, NULs and a UTF-8 byte-order mark. Anything more
# would let a ZIP that stores a PDF, or a text quoting a header, pass as a PDF.
_PDF_LEADING = b" \t\r\n\f\x00\xef\xbb\xbf"
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_TIFF_SIGNATURES = (b"II*\x00", b"MM\x00*")
_EOF_WINDOW = 1024  # "%%EOF" must be within this many bytes of the end (trailing blanks aside)

_QR_MIN_SIDE = 64  # px; an embedded image smaller than this cannot hold a readable cover QR
_QR_MAX_SIDE = 2500  # px; larger pages are reduced before decoding: same result, far faster
_QR_MAX_IMAGES = 8  # the largest images of page 1 that are searched for a QR code


class FileKind(StrEnum):
    pdf = "pdf"
    jpeg = "jpeg"
    png = "png"
    tiff = "tiff"


MEDIA_TYPES: dict[FileKind, str] = {
    FileKind.pdf: "application/pdf",
    FileKind.jpeg: "image/jpeg",
    FileKind.png: "image/png",
    FileKind.tiff: "image/tiff",
}

_PIL_FORMATS = {FileKind.jpeg: "JPEG", FileKind.png: "PNG", FileKind.tiff: "TIFF"}


class Rejection(StrEnum):
    """Why a file was refused: stable codes, stored with the quarantined file and shown to admins."""

    empty = "empty"
    too_large = "too_large"
    unsupported_type = "unsupported_type"
    corrupt = "corrupt"
    encrypted = "encrypted"
    active_content = "active_content"
    too_complex = "too_complex"


HOSTILE = frozenset({Rejection.active_content, Rejection.too_complex})
"""Refusals every upload path answers with the reason itself as its code, whatever its own codes
for a wrong type or size: what the sender must do differs (print it again, or split it)."""


class RejectedFile(Exception):
    """A file the intake refuses; ``detail`` says why in plain English for the admin."""

    def __init__(self, reason: Rejection, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Inspection:
    """What the content of an accepted file is."""

    kind: FileKind
    media_type: str
    size: int
    sha256: str
    pages: int
    text: str
    """The PDF's text layer, pages joined by newlines, whitespace collapsed, at most
    ``MAX_TEXT_CHARS``; empty for images and for PDFs that are scans without OCR."""
    codes: tuple[str, ...]
    """QR payloads decoded on the first page, and cover-sheet payloads printed in its text."""

    @property
    def has_text(self) -> bool:
        return bool(self.text)


@dataclass(frozen=True)
class _Content:
    pages: int
    text: str
    codes: tuple[str, ...]


def sniff(head: bytes) -> FileKind | None:
    """The kind of file ``head`` (its first bytes, ``SNIFF_BYTES`` suffice) starts, by magic."""
    if head.startswith(b"\xff\xd8\xff"):
        return FileKind.jpeg
    if head.startswith(_PNG_SIGNATURE):
        return FileKind.png
    if head.startswith(_TIFF_SIGNATURES):
        return FileKind.tiff
    if head[:SNIFF_BYTES].lstrip(_PDF_LEADING).startswith(b"%PDF-"):
        return FileKind.pdf
    return None


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def cover_payload(letter_id: str) -> str:
    """The QR payload of ``letter_id``'s cover sheet; ``ValueError`` if the id is malformed."""
    if not re.fullmatch(_LETTER_ID, letter_id):
        raise ValueError(f"A letter id is 32 lowercase hexadecimal characters, not {letter_id!r}")
    return COVER_PREFIX + letter_id


def letter_id_from_codes(codes: Iterable[str]) -> str | None:
    """The letter named by the first well-formed cover-sheet payload among ``codes``; other QR
    codes (a sender's own verification QR, say) and damaged payloads are ignored."""
    for code in codes:
        match = _PAYLOAD.fullmatch(code.strip())
        if match:
            return match.group(1)
    return None


def inspect(data: bytes, *, max_bytes: int, limits: Limits = DEFAULT) -> Inspection:
    """Check ``data`` by content and describe it; ``RejectedFile`` says why it is refused."""
    return _examine(data, max_bytes, limits, tuple(FileKind), reading=True)


def check(
    data: bytes,
    *,
    max_bytes: int,
    kinds: Collection[FileKind] = tuple(FileKind),
    limits: Limits = DEFAULT,
) -> Inspection:
    """``inspect``'s checks (by content, active content, bounds) without reading the text or the
    QR codes, for a file that is kept and opened but never searched or filed by a cover sheet;
    its ``text`` and ``codes`` are empty. A kind outside ``kinds`` is ``unsupported_type``
    before anything is parsed. Every page is still inflated within the bounds, as a viewer
    would: a decompression bomb is refused here rather than in the reader's viewer."""
    return _examine(data, max_bytes, limits, kinds, reading=False)


def _examine(
    data: bytes, max_bytes: int, limits: Limits, kinds: Collection[FileKind], *, reading: bool
) -> Inspection:
    size = len(data)
    if size == 0:
        raise RejectedFile(Rejection.empty, "The file is empty.")
    if size > max_bytes:
        raise RejectedFile(
            Rejection.too_large, f"The file has {size:,} bytes; at most {max_bytes:,} are accepted."
        )
    kind = sniff(data[:SNIFF_BYTES])
    if kind is None or kind not in kinds:
        *others, last = [k.value.upper() for k in FileKind if k in kinds]
        names = f"{', '.join(others)} or {last}" if others else last
        raise RejectedFile(Rejection.unsupported_type, f"The content is not a {names} file.")
    budget = Budget(limits)
    try:
        if kind is FileKind.pdf:
            content = _inspect_pdf(data, budget, reading)
        else:
            content = _inspect_image(data, kind, budget, reading)
    except TooComplex as bound:  # reached outside a parser's guard (between page-1 images)
        raise RejectedFile(Rejection.too_complex, _too_complex(str(bound))) from bound
    return Inspection(
        kind=kind,
        media_type=MEDIA_TYPES[kind],
        size=size,
        sha256=sha256_hex(data),
        pages=content.pages,
        text=content.text,
        codes=content.codes,
    )


@contextmanager
def _corrupt_on_error(what: str) -> Iterator[None]:
    """Turn a parser's failure into a ``corrupt`` rejection. Parsers fed hostile or damaged input
    raise almost any exception type (KeyError, struct.error...), hence the breadth. A bound
    reached (ours, pypdf's, Pillow's, or the interpreter's recursion limit) is ``too_complex``.
    """
    try:
        yield
    except RejectedFile:
        raise
    except Exception as error:
        reason = " ".join(str(error).split())[:200] or type(error).__name__
        if _is_a_bound(error):
            raise RejectedFile(Rejection.too_complex, _too_complex(reason)) from error
        raise RejectedFile(Rejection.corrupt, f"{what} ({reason}).") from error


def _too_complex(reason: str) -> str:
    return f"The file is too complex to check: {reason.rstrip('.')}. Scan it again, or split it."


def _is_a_bound(error: Exception) -> bool:
    from PIL.Image import DecompressionBombError
    from pypdf.errors import LimitReachedError

    bounds = (TooComplex, LimitReachedError, DecompressionBombError, RecursionError, MemoryError)
    return isinstance(error, bounds)


# PDF


def _inspect_pdf(data: bytes, budget: Budget, reading: bool) -> _Content:
    """Everything pypdf does here runs under ``budget``'s limits (pypdf reads lazily: the
    reader must not outlive them). Without ``reading`` the pages are inflated, not parsed."""
    from pypdf import apply_configuration

    _require_eof_marker(data)
    with apply_configuration(None, **budget.pypdf_overrides()):
        reader = _open_pdf(data)
        with _corrupt_on_error("The PDF's structure cannot be read"):
            catalog = reader.trailer["/Root"].get_object()
            budget.check_pages(count_pages(catalog, budget))
            found = active_content.find(catalog, budget)
        if found:
            raise RejectedFile(
                Rejection.active_content,
                f"The PDF contains {'; '.join(found)}, which this system does not accept. "
                "Print it to a new PDF, or scan it, and send that.",
            )
        with _corrupt_on_error("The PDF's pages cannot be read"):
            pages = list(reader.pages)
            if not pages:
                raise RejectedFile(Rejection.corrupt, "The PDF has no pages.")
            if not reading:
                _inflate_pages(pages, budget)
                return _Content(len(pages), "", ())
            texts = _page_texts(pages, budget)
        first_page_text = texts[0] if texts else ""
        codes = [*_pdf_page_codes(pages[0], budget), *_markers_in_text(first_page_text)]
    return _Content(len(pages), "\n".join(t for t in texts if t)[:MAX_TEXT_CHARS], _unique(codes))


def _require_eof_marker(data: bytes) -> None:
    """A PDF cut short (an interrupted upload or copy) loses its final ``%%EOF``; pypdf in lenient
    mode would otherwise rebuild what is left and accept a letter with missing pages or images."""
    tail = data[-(_EOF_WINDOW * 64) :].rstrip(b" \t\r\n\f\x00")
    if b"%%EOF" not in tail[-_EOF_WINDOW:]:
        raise RejectedFile(Rejection.corrupt, "The PDF is truncated: it has no end-of-file marker.")


def _open_pdf(data: bytes) -> PdfReader:
    """A lenient reader (real scanners write slightly malformed PDFs), refusing encryption: a file
    the archive cannot read without a password cannot be indexed, shown or signed later."""
    from pypdf import PdfReader

    with _corrupt_on_error("The PDF cannot be opened"):
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
    if encrypted:
        raise RejectedFile(
            Rejection.encrypted, "The PDF is encrypted; save or scan it again without protection."
        )
    return reader


def _inflate_pages(pages: list[PageObject], budget: Budget) -> None:
    inflated: set[int] = set()
    for page in pages:
        inflate(page, budget, inflated)


def _page_texts(pages: list[PageObject], budget: Budget) -> list[str]:
    """Every page's text, which also proves each page's content can be parsed. Each page is
    inflated first, within ``budget`` (pypdf's text extraction swallows a limit it reaches and
    returns less text). Text is kept for search only, so it is best effort: a page with more
    than ``Limits.content_tokens`` gives none, and past ``MAX_TEXT_CHARS`` or half the time
    allowed pages are only inflated."""
    from pypdf.errors import LimitReachedError

    pypdf_tables.install()
    texts: list[str] = []
    chars = MAX_TEXT_CHARS
    inflated: set[int] = set()
    for page in pages:
        inflate(page, budget, inflated)
        if chars <= 0:
            continue
        try:
            text = " ".join(page.extract_text(visitor_operand_before=budget.tick).split())
        except TextOutOfTime:
            chars = 0
            continue
        except LimitReachedError:  # ``content_tokens``: its streams decoded, the page counts
            text = ""
        chars -= len(text) + 1
        texts.append(text)
    return texts


def _pdf_page_codes(page: PageObject, budget: Budget) -> list[str]:
    """QR payloads in the page's larger images: a scanned cover sheet is one full-page image."""
    codes = []
    for image in _page_images(page):
        codes += _decode_qr(image)
        budget.check_time()
    return codes


def _page_images(page: PageObject) -> Iterator[Image]:
    """The page's images worth decoding, largest first. An image pypdf cannot decode (JBIG2
    without its tool, a damaged stream) is skipped: it holds no readable code for us anyway."""
    try:
        names = _image_names(page)
    except Exception:
        return
    sized = [(found, name) for name in names if (found := _declared_size(page, name))]
    sized.sort(key=lambda item: item[0][0] * item[0][1], reverse=True)
    for (width, height, node), name in sized[:_QR_MAX_IMAGES]:
        try:
            image = _plain_jpeg(node, width, height) or page.images[name].image
        except Exception:  # noqa: S112 - undecodable: see the docstring
            continue
        if image is not None:
            yield image


def _image_names(page: PageObject) -> list[str | list[str]]:
    """The page's image XObjects, those inside its forms too, named as ``page.images`` names
    them (a path for one in a form). Read from the resources alone: ``page.images.keys()``
    also parses the page's content again for inline images, which are never searched."""
    from pypdf.generic import DictionaryObject, StreamObject

    names: list[str | list[str]] = []
    pending: list[tuple[Any, list[str]]] = [(page, [])]
    forms: set[int] = set()
    while pending:
        node, path = pending.pop()
        resources = node.get("/Resources")
        resources = resources.get_object() if resources is not None else None
        xobjects = resources.get("/XObject") if isinstance(resources, DictionaryObject) else None
        xobjects = xobjects.get_object() if xobjects is not None else None
        if not isinstance(xobjects, DictionaryObject):
            continue
        for name, entry in xobjects.items():
            entry = entry.get_object()
            if not isinstance(entry, StreamObject):
                continue
            if entry.get("/Subtype") == "/Image":
                names.append([*path, name] if path else name)
            elif id(entry) not in forms:  # a form: its own resources, each form once
                forms.add(id(entry))
                pending.append((entry, [*path, name]))
    return names


def _declared_size(page: PageObject, name: str | list[str]) -> tuple[int, int, Any] | None:
    """An image XObject's declared size, and the XObject, if it is worth decoding: read before
    decoding so a page claiming a gigapixel image cannot exhaust the function's memory."""
    from PIL import Image as PilImage

    if isinstance(name, str) and name.startswith("~"):
        return None  # an inline image: small by definition
    node: Any = page  # pypdf's objects are untyped dictionaries; a bad one raises, caught below
    try:
        for part in [name] if isinstance(name, str) else name:
            node = node["/Resources"].get_object()["/XObject"][part].get_object()
        width, height = int(node["/Width"]), int(node["/Height"])
    except Exception:
        return None
    limit = PilImage.MAX_IMAGE_PIXELS
    if min(width, height) < _QR_MIN_SIDE or (limit is not None and width * height > limit):
        return None
    return width, height, node


def _plain_jpeg(node: Any, width: int, height: int) -> Image | None:
    """A scanner's page image, a plain grayscale or RGB JPEG (``/DCTDecode`` alone, no mask, no
    ``/Decode``), decoded straight from its stream, in gray and partly reduced already. pypdf's
    ``.image`` decodes the JPEG, encodes it again and decodes that: two thirds of the QR
    search's time, for the same pixels. None for any other image: pypdf's general path then
    handles its filters, colour spaces and masks."""
    from PIL import Image as PilImage

    filters = node.get("/Filter")
    filters = filters.get_object() if filters is not None else None
    if isinstance(filters, list):
        filters = filters[0] if len(filters) == 1 else None
    if filters != "/DCTDecode" or any(key in node for key in ("/SMask", "/Mask", "/Decode")):
        return None
    image = PilImage.open(io.BytesIO(node.get_data()), formats=["JPEG"])
    if image.mode not in {"L", "RGB"} or image.size != (width, height):
        return None
    # libjpeg scales by 1/2, 1/4 or 1/8 while decoding; only by one that divides the reduction
    # ``_grayscale`` would make, which then reduces the rest: never fewer pixels than it gives.
    factor = -(-max(width, height) // _QR_MAX_SIDE)  # ceiling division, as in ``_grayscale``
    scale = next(s for s in (8, 4, 2, 1) if factor % s == 0)
    image.draft("L", (width // scale, height // scale))
    image.load()
    return image


def _markers_in_text(text: str) -> list[str]:
    """Cover-sheet payloads printed on a page that was never scanned (a digital cover sheet)."""
    return [COVER_PREFIX + match.group(1) for match in _MARKER_IN_TEXT.finditer(text)]


# Images


def _inspect_image(data: bytes, kind: FileKind, budget: Budget, reading: bool) -> _Content:
    """Pages are frames (a multi-page TIFF); each is decoded in full, as a viewer would, so a
    damaged or truncated image is refused now rather than shown broken later. A frame's size is
    read from its header first: a few kilobytes of PNG can declare a gigapixel. Without
    ``reading`` no QR code is looked for."""
    from PIL import Image as PilImage
    from PIL import ImageSequence

    with (
        _corrupt_on_error("The image cannot be decoded"),
        PilImage.open(io.BytesIO(data), formats=[_PIL_FORMATS[kind]]) as image,
    ):
        frames = 0
        codes: list[str] = []
        for frame in ImageSequence.Iterator(image):
            budget.check_pages(frames + 1)
            budget.check_pixels(*frame.size)
            budget.check_time()
            frame.load()
            if frames == 0 and reading:
                codes = _decode_qr(frame)
            frames += 1
    return _Content(pages=frames, text="", codes=_unique(codes))


# QR codes


def _decode_qr(image: Image) -> list[str]:
    """QR payloads in ``image``. Only the conversion is guarded: a zxing failure on a grayscale
    image would be a broken install or API change, which must not pass as "no cover sheet"."""
    import zxingcpp

    try:
        gray = _grayscale(image)
    except (OSError, ValueError):  # pixel data Pillow cannot convert holds no code for us
        return []
    formats = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    found = zxingcpp.read_barcodes(gray, formats=formats, try_invert=False)
    return [barcode.text for barcode in found if barcode.valid and barcode.text]


def _grayscale(image: Image) -> Image:
    """Grayscale on white, reduced to at most ``_QR_MAX_SIDE`` pixels a side: a cover sheet's QR
    spans a third of the page, so even a 600 dpi scan keeps ample pixels per module."""
    from PIL import Image as PilImage

    if "A" in image.mode or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = PilImage.new("RGBA", rgba.size, "white")
        image = PilImage.alpha_composite(white, rgba)
    gray = image if image.mode == "L" else image.convert("L")  # a scan decoded to gray: no copy
    factor = -(-max(gray.size) // _QR_MAX_SIDE)  # ceiling division
    return gray.reduce(factor) if factor > 1 else gray


def _unique(codes: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(codes))
