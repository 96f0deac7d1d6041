"""A page's content without the placeholders' text: ``[[nomor]]`` and the others leave the text
layer (search, copy, screen readers) when the number, the date and the marks take their places.

Each text-showing operator (``Tj``, ``TJ``, ``'``, ``"``) is decoded with its font the way pypdf
extracts text (encoding, ``ToUnicode``), the placeholders are found in what it shows, and their
codes are cut out of its strings; a ``TJ`` adjustment of the same width takes their place, so
whatever follows in the same operator stays where it was. Everything else of the page is kept
byte for byte in meaning (pypdf rewrites the stream's syntax).

Not handled (that placeholder's text then stays, under its white cover): a placeholder drawn by
several operators, or inside a form XObject; character and word spacing inside the cut-out part
(the width is measured from the font's glyph widths).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pypdf import PageObject

PATTERN = re.compile(r"\[\[\s*(nomor|tanggal|ttd)\s*(\d*)\s*\]\]", re.IGNORECASE)
"""A placeholder's text, any case: ``[[nomor]]``, ``[[tanggal]]``, ``[[ttd]]``, ``[[ttd2]]``..."""


@dataclass(frozen=True)
class _Code:
    """One character code of a shown string: what it stands for, and where its bytes are."""

    text: str
    element: int
    start: int
    end: int
    width: float
    """In thousandths of the font size, as TJ adjustments count."""


def without_placeholders(page: PageObject) -> bytes | None:
    """The page's content with every placeholder's text cut out; None when none was found in
    a single operator (the content is then left as it is)."""
    stream = page.get_contents()
    if stream is None:
        return None
    fonts = _Fonts(page)
    edited: list[Any] = []
    changed = False
    state: list[Any] = []
    font: Any = None
    for operands, operator in stream.operations:
        if operator == b"q":
            state.append(font)
        elif operator == b"Q" and state:
            font = state.pop()
        elif operator == b"Tf" and operands:
            font = fonts.get(str(operands[0]))
        elif operator in (b"Tj", b"TJ", b"'", b'"') and font is not None:
            replaced = _shown_without_placeholders(operands, operator, font)
            if replaced is not None:
                edited.extend(replaced)
                changed = True
                continue
        edited.append((operands, operator))
    if not changed:
        return None
    stream.operations = edited
    data: bytes = stream.get_data()
    return data


class _Fonts:
    """pypdf's metrics and decoding of the page's fonts by resource name, each built when an
    operator first uses it (None: no such font, or a broken one whose text is left alone)."""

    def __init__(self, page: PageObject) -> None:
        resources: Any = page.get("/Resources")
        fonts: Any = resources.get_object().get("/Font") if resources is not None else None
        self._resources: Any = fonts.get_object() if fonts is not None else {}
        self._built: dict[str, Any] = {}

    def get(self, name: str) -> Any:
        from pypdf.generic._font import Font

        if name not in self._built:
            resource = self._resources.get(name)
            try:
                built = Font.from_font_resource(resource.get_object()) if resource else None
            except Exception:  # a broken font dictionary
                built = None
            self._built[name] = built
        return self._built[name]


def _shown_without_placeholders(
    operands: list[Any], operator: bytes, font: Any
) -> list[tuple[list[Any], bytes]] | None:
    """The operations that replace this one, or None when it shows no placeholder."""
    from pypdf.generic import ArrayObject

    if operator == b"TJ":
        elements = list(operands[0]) if operands else []
    else:
        elements = [operands[-1]] if operands else []
    kept = _cut(elements, font)
    if kept is None:
        return None
    shown = ([ArrayObject(kept)], b"TJ")
    if operator == b"'":
        return [([], b"T*"), shown]
    if operator == b'"':  # aw ac string: word and character spacing, next line, show
        return [([operands[0]], b"Tw"), ([operands[1]], b"Tc"), ([], b"T*"), shown]
    return [shown]


def _cut(elements: list[Any], font: Any) -> list[Any] | None:
    """The TJ array ``elements`` with the placeholders' codes cut out (None: there is none)."""
    from pypdf.generic import ByteStringObject, FloatObject

    strings = [(i, _raw(e)) for i, e in enumerate(elements) if isinstance(e, str | bytes)]
    if "[" not in "".join(_decoded(raw, font) for _, raw in strings):
        return None  # the common case, decided without measuring a glyph
    codes = [code for index, raw in strings for code in _codes(index, raw, font)]
    text = "".join(code.text for code in codes)
    owners = [n for n, code in enumerate(codes) for _ in code.text]
    removed: set[int] = set()
    for match in PATTERN.finditer(text):
        removed.update(owners[match.start() : match.end()])
    if not removed:
        return None
    out: list[Any] = []
    gap = 0.0
    position = 0
    for index, element in enumerate(elements):
        if not isinstance(element, str | bytes):
            in_gap = position > 0 and position - 1 in removed and position in removed
            if in_gap:
                gap += float(element)
            else:
                out.append(element)
            continue
        raw = _raw(element)
        piece = b""
        while position < len(codes) and codes[position].element == index:
            code = codes[position]
            if position in removed:
                if piece:
                    out.append(ByteStringObject(piece))
                    piece = b""
                gap -= code.width
            else:
                if gap:
                    out.append(FloatObject(round(gap, 3)))
                    gap = 0.0
                piece += raw[code.start : code.end]
            position += 1
        if piece:
            out.append(ByteStringObject(piece))
    if gap:
        out.append(FloatObject(round(gap, 3)))
    return out


def _raw(element: Any) -> bytes:
    """The string's bytes as written in the content (pypdf may have decoded it to text)."""
    if isinstance(element, bytes):  # ByteStringObject
        return bytes(element)
    return bytes(element.get_original_bytes())  # TextStringObject: the bytes it was read from


def _decoded(raw: bytes, font: Any) -> str:
    """What the string shows, in one pass (as :func:`_codes` decodes it code by code)."""
    encoding, to_unicode = font.encoding, font.character_map
    if isinstance(encoding, str):
        characters: Any = raw.decode(encoding, "replace")
    else:
        characters = (encoding.get(byte, chr(byte)) for byte in raw)
    return "".join(to_unicode.get(c, c) for c in characters)


def _codes(element: int, raw: bytes, font: Any) -> list[_Code]:
    """The codes of one string, decoded as pypdf's text extraction decodes them."""
    encoding = font.encoding
    step = 2 if encoding == "utf-16-be" else 1
    found = []
    for start in range(0, len(raw) - step + 1, step):
        chunk = raw[start : start + step]
        if isinstance(encoding, str):
            character = chunk.decode(encoding, "replace")
        else:
            character = encoding.get(chunk[0], chr(chunk[0]))
        text = font.character_map.get(character, character)
        width = float(font.get_text_width(text))
        found.append(_Code(text, element, start, start + step, width))
    return found
