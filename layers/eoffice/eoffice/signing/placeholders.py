"""Placeholders in a draft letter: where the template wants the number, the date line and each
signature (``[[nomor]]``, ``[[tanggal]]``, ``[[ttd]]``/``[[ttd1]]``, ``[[ttd2]]``..., any case).

Found with pypdf's text extraction: each text run comes with its text matrix and CTM, and the
offset of a placeholder inside its run is measured with the run's font widths. The revision that
fills them (the first signature's, or BSrE's stamping) cuts their text out of the pages
(:mod:`eoffice.signing.placeholder_text`: only the real number, date and marks are left to
search, copy or read aloud) and records where they were in the document catalog
(:data:`RECORD`), so the later signatures find their boxes where the template put them.

Not handled (the placeholder is then measured approximately or missed, and the letter falls back
to the fixed layout for it): character/word spacing and horizontal scaling inside a run, and a
placeholder split over two lines.
"""

from __future__ import annotations

import io
import logging
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from eoffice.signing.placeholder_text import PATTERN, without_placeholders

if TYPE_CHECKING:
    from pyhanko.pdf_utils.writer import BasePdfFileWriter
    from pypdf import PageObject, PdfReader

logger = logging.getLogger(__name__)

FULL_SCAN_PAGES = 20
"""Longer documents: only the first and the last page are scanned (letters put placeholders
there; a 300-page attachment is not parsed for them)."""
_ASCENT, _DESCENT = 0.93, 0.24
"""Of the font size, above and below the baseline: Helvetica's bounding box, rounded up."""
_FALLBACK_WIDTH = 500.0
"""Glyph width (1/1000 em) when a run's font has no usable metrics."""
RECORD = "/EofficePlaceholders"
"""Catalog entry written when the placeholders are filled: ``[name page x y width size]`` each."""

Matrix = tuple[float, float, float, float, float, float]


@dataclass(frozen=True)
class Placeholder:
    """One placeholder as drawn: its baseline origin and size in PDF user space (y upwards)."""

    name: str
    """"nomor", "tanggal", "ttd1", "ttd2"... (``[[ttd]]`` is "ttd1")."""
    page: int
    x: float
    y: float
    """Baseline."""
    width: float
    font_size: float
    """In user space (text matrix and CTM applied)."""

    @property
    def box(self) -> tuple[float, float, float, float]:
        """(x, y, width, height) covering the placeholder's glyphs, descenders included."""
        bottom = self.y - _DESCENT * self.font_size
        return self.x, bottom, self.width, (_ASCENT + _DESCENT) * self.font_size

    @property
    def signature_slot(self) -> int | None:
        """0 for ``[[ttd1]]``, 1 for ``[[ttd2]]``...; None for the number and date."""
        if not self.name.startswith("ttd"):
            return None
        return int(self.name[3:]) - 1


@dataclass(frozen=True)
class Placeholders:
    """All placeholders of a document, in page and drawing order."""

    found: tuple[Placeholder, ...] = ()
    erased: tuple[tuple[int, bytes], ...] = ()
    """(page index, its content without the placeholders' text) of the pages that have some."""
    recorded: bool = False
    """Read from :data:`RECORD`: filled in an earlier revision, their text is gone already."""

    def __bool__(self) -> bool:
        return bool(self.found)

    def named(self, name: str) -> list[Placeholder]:
        return [p for p in self.found if p.name == name]

    def signature(self, slot: int) -> Placeholder | None:
        """Where signer ``slot`` (0-based) goes: the first ``[[ttd<slot+1>]]``, if any."""
        return next((p for p in self.found if p.signature_slot == slot), None)


def find(pdf: bytes, writer: BasePdfFileWriter | None = None) -> Placeholders:
    """The placeholders of ``pdf``: as recorded when they were filled, else read from the text
    of every page up to :data:`FULL_SCAN_PAGES` (else the first and the last), with each such
    page's content without their text. A PDF whose text pypdf cannot read has none: the fixed
    layout applies (the letter is still signed; pyHanko reads it on its own).

    ``writer``: pyHanko's incremental writer on ``pdf``, already parsed for the signature. Its
    objects answer first: the record, or pages that cannot spell a bracket, without parsing
    ``pdf`` a second time with pypdf (about 0.3 ms a letter, plus the text extraction)."""
    from pypdf import PdfReader

    if writer is not None and (known := _known(writer)) is not None:
        return known
    try:
        reader = PdfReader(io.BytesIO(pdf), strict=False)
        recorded = _recorded(reader)
        if recorded is not None:
            return recorded
        pages = reader.pages
        count = len(pages)
        indexes = range(count) if count <= FULL_SCAN_PAGES else sorted({0, count - 1})
        found = [p for index in indexes for p in _on_page(pages[index], index)]
        erased = [
            (index, data)
            for index in sorted({p.page for p in found})
            if (data := without_placeholders(pages[index])) is not None
        ]
    except Exception as error:  # pypdf raises many kinds on damaged files
        logger.warning("placeholders not readable, fixed layout: %s", type(error).__name__)
        return Placeholders()
    return Placeholders(tuple(found), tuple(erased))


def settle(writer: BasePdfFileWriter, found: Placeholders) -> None:
    """In the revision that fills the placeholders: cut their text out of the pages (before
    anything is drawn over them) and record where they were for the later revisions."""
    from pyhanko.pdf_utils import generic

    if found.recorded or not found:
        return
    for index, data in found.erased:
        page_ref, _ = writer.find_page_for_modification(index)
        stream = generic.StreamObject(stream_data=data)
        stream.compress()
        page_ref.get_object()[generic.pdf_name("/Contents")] = writer.add_object(stream)
        writer.mark_update(page_ref)
    writer.root[generic.pdf_name(RECORD)] = generic.ArrayObject(
        generic.ArrayObject(
            [
                generic.TextStringObject(p.name),
                generic.NumberObject(p.page),
                *(generic.FloatObject(round(v, 3)) for v in (p.x, p.y, p.width, p.font_size)),
            ]
        )
        for p in found.found
    )
    writer.update_root()


def _known(writer: BasePdfFileWriter) -> Placeholders | None:
    """From pyHanko's objects: the recorded placeholders, none when no scanned page can spell
    a bracket; None when only the text extraction can tell (or something is unreadable)."""
    try:
        recorded = _recorded_in(writer.root)
        if recorded is not None:
            return recorded
        count = int(writer.root["/Pages"]["/Count"])
        indexes = range(count) if count <= FULL_SCAN_PAGES else sorted({0, count - 1})
        for index in indexes:
            page_ref, resources = writer.find_page_for_modification(index)
            contents = _get(page_ref.get_object(), "/Contents")
            if resources is not None and not _cannot_spell_a_bracket(
                resources.get_object(), contents
            ):
                return None
    except Exception as error:  # damaged files: pypdf's reading decides
        logger.info("placeholders: quick look failed (%s), reading the text", type(error).__name__)
        return None
    return Placeholders()


def _recorded(reader: PdfReader) -> Placeholders | None:
    return _recorded_in(reader.trailer["/Root"].get_object())


def _recorded_in(catalog: Any) -> Placeholders | None:
    entries: Any = _get(catalog, RECORD)
    if entries is None:
        return None
    found = []
    for entry in entries:
        name, page, x, y, width, size = (v.get_object() for v in entry.get_object())
        placeholder = Placeholder(
            str(name), int(page), float(x), float(y), float(width), float(size)
        )
        found.append(placeholder)
    return Placeholders(tuple(found), recorded=True)


def _may_have_text(page: PageObject) -> bool:
    """False for a page that draws no text at all (a scan: images only); skipping it keeps
    a long scanned attachment cheap."""
    resources: Any = page.get("/Resources")
    if resources is None:
        return False
    resources = resources.get_object()
    if "/Font" in resources:
        return True
    xobjects = resources.get("/XObject")
    if xobjects is None:
        return False
    return any(x.get_object().get("/Subtype") == "/Form" for x in xobjects.get_object().values())


def _on_page(page: PageObject, index: int) -> list[Placeholder]:
    if not _may_have_text(page) or _no_bracket(page):
        return []
    found: list[Placeholder] = []
    widths: dict[int, Any] = {}

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if "[[" in text:
            run = _Run(text, _product(tm, cm), _font(widths, font), size)
            found.extend(run.placeholders(index))

    page.extract_text(visitor_text=visit)
    return found


def _no_bracket(page: PageObject) -> bool:
    """:func:`_cannot_spell_a_bracket` on a pypdf page."""
    return _cannot_spell_a_bracket(page["/Resources"].get_object(), _get(page, "/Contents"))


def _cannot_spell_a_bracket(resources: Any, contents: Any) -> bool:
    """True when no "[" can be in a page's text, so no placeholder either, without pypdf's
    text extraction (about 1 ms a page): every font maps only byte 0x5B to "[" (a simple font,
    a standard encoding, no ``/ToUnicode``), no form XObject draws on it, and its content has
    no 0x5B byte, no hex string and no octal escape that could spell one. A letter whose
    generator draws whole lines with ``Tj`` in standard fonts (fpdf2, ReportLab) and has no
    placeholder passes; anything else (``TJ`` arrays, embedded or CID fonts, a "[" anywhere)
    gets the full search. False never hides a placeholder: it only means "look".

    ``resources`` and ``contents`` are pypdf's or pyHanko's objects (both dereference with
    ``get_object``; a stream's decoded bytes are ``get_data()`` or ``data``)."""
    xobjects = _get(resources, "/XObject")
    if xobjects is not None and any(
        _get(x.get_object(), "/Subtype") == "/Form" for x in xobjects.values()
    ):
        return False
    fonts = _get(resources, "/Font")
    if fonts is not None and not all(_plain_font(font.get_object()) for font in fonts.values()):
        return False
    if contents is None:
        return True
    streams = contents if isinstance(contents, list) else [contents]
    data = b"\n".join(_decoded(stream.get_object()) for stream in streams)
    return b"[" not in data and b"\\133" not in data and b"<" not in data.replace(b"<<", b"")


def _get(dictionary: Any, key: str) -> Any:
    """``dictionary[key]`` dereferenced, or None."""
    value = dictionary.get(key)
    return value.get_object() if value is not None else None


def _decoded(stream: Any) -> bytes:
    data: bytes = stream.get_data() if hasattr(stream, "get_data") else stream.data
    return data


_STANDARD_ENCODINGS = frozenset({"/WinAnsiEncoding", "/MacRomanEncoding", "/StandardEncoding"})
_STANDARD_TEXT_FONTS = frozenset(
    f"/{family}{style}"
    for family, styles in (
        ("Helvetica", ("", "-Bold", "-Oblique", "-BoldOblique")),
        ("Courier", ("", "-Bold", "-Oblique", "-BoldOblique")),
        ("Times", ("-Roman", "-Bold", "-Italic", "-BoldItalic")),
    )
    for style in styles
)
"""The standard fonts whose built-in encoding is StandardEncoding (Symbol and ZapfDingbats
have their own)."""


def _plain_font(font: Any) -> bool:
    """A font whose text pypdf decodes through a standard single-byte encoding (0x5B is "[",
    and only 0x5B)."""
    if _get(font, "/Subtype") not in ("/Type1", "/TrueType") or "/ToUnicode" in font:
        return False
    encoding = _get(font, "/Encoding")
    if encoding is None:
        return _get(font, "/BaseFont") in _STANDARD_TEXT_FONTS and "/FontDescriptor" not in font
    return isinstance(encoding, str) and encoding in _STANDARD_ENCODINGS  # not /Differences


def _font(cache: dict[int, Any], resource: Any) -> Any:
    """pypdf's metrics of a font resource, built once per page and font."""
    from pypdf.generic._font import Font

    if resource is None:
        return None
    key = id(resource)
    if key not in cache:
        try:
            cache[key] = Font.from_font_resource(resource)
        except Exception:  # a broken font dictionary: estimate the widths
            cache[key] = None
    return cache[key]


@dataclass(frozen=True)
class _Run:
    """A run of text as pypdf reports it: starting at the origin of ``matrix`` (text space to
    user space), one line, in one font."""

    text: str
    matrix: Matrix
    font: Any
    size: float

    def placeholders(self, page: int) -> Iterator[Placeholder]:
        line = self.text.split("\n", 1)[0]
        scale = math.hypot(self.matrix[2], self.matrix[3])
        for match in PATTERN.finditer(line):
            start = self._advance(line[: match.start()])
            x, y = _apply(self.matrix, start, 0.0)
            end_x, end_y = _apply(self.matrix, start + self._advance(match.group(0)), 0.0)
            yield Placeholder(
                name=_name(match.group(1), match.group(2)),
                page=page,
                x=x,
                y=y,
                width=math.hypot(end_x - x, end_y - y),
                font_size=self.size * scale,
            )

    def _advance(self, text: str) -> float:
        """Width of ``text`` in text space units."""
        if self.font is None:
            return len(text) * _FALLBACK_WIDTH / 1000 * self.size
        return float(self.font.get_text_width(text)) / 1000 * self.size


def _name(kind: str, number: str) -> str:
    """``[[TTD]]`` -> "ttd1", ``[[ttd02]]`` -> "ttd2", ``[[Nomor]]`` -> "nomor"."""
    kind = kind.lower()
    if kind == "ttd":
        return f"ttd{int(number or 1)}"
    return kind if not number else f"{kind}{int(number)}"


def _product(tm: list[float], cm: list[float]) -> Matrix:
    """Text space to user space: the text matrix, then the CTM."""
    a, b, c, d, e, f = (float(v) for v in tm)
    return (
        a * cm[0] + b * cm[2],
        a * cm[1] + b * cm[3],
        c * cm[0] + d * cm[2],
        c * cm[1] + d * cm[3],
        e * cm[0] + f * cm[2] + cm[4],
        e * cm[1] + f * cm[3] + cm[5],
    )


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]
