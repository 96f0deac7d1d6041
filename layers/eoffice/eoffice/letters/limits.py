"""How much work the inspection of one file may cost, so that a small hostile file (a
decompression bomb, a page tree claiming a thousand million pages, pages that take seconds each
to parse) is refused as ``too_complex`` instead of exhausting the intake function's memory
(1769 MB) or time (150 seconds for a batch of up to ten files, each within ``seconds``). A real scan costs far less than
any bound below (what the intake benchmark's scans cost: docs/performance.md, Letter intake);
see docs/decisions/0015-hostile-files.md.

- ``pages``: no letter with its attachments has more; counted before pypdf lists the pages;
- ``stream_bytes``: what one stream may inflate to (pypdf's own limits are set to this while a
  file is inspected: a larger stream raises instead of being decoded);
- ``decoded_bytes``: what the streams a document's pages draw (their contents, the forms they
  use, their fonts' maps) may inflate to together: many modest streams are as bad as one huge one;
- ``font_map_bytes``: the fonts' character maps one page uses (pypdf parses them again for every
  page; what a byte costs is in docs/performance.md);
- ``content_tokens``: how much of one content stream pypdf parses (a token's cost: docs/performance.md;
  a page past it loses the rest of its text, it is not refused);
- ``objects``: how many PDF objects the search for active content may visit;
- ``pixels``: the size of one raster page (a JPEG, PNG or TIFF frame), read before decoding;
- ``seconds``: one inspection's time. Text extraction, which is best effort, stops at half of
  it (``TextOutOfTime``); past all of it the file is refused.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

MIB = 1024 * 1024
_TICKS_PER_CLOCK_READ = 256


class TooComplex(Exception):
    """The file would cost more to inspect than ``Limits`` allow; the message says which bound."""


class TextOutOfTime(Exception):
    """Half the inspection's time is gone: extracting text stops, the checks go on."""


@dataclass(frozen=True)
class Limits:
    pages: int = 2000
    stream_bytes: int = 32 * MIB
    decoded_bytes: int = 128 * MIB
    font_map_bytes: int = MIB // 2
    content_tokens: int = 100_000
    objects: int = 200_000
    pixels: int = 80_000_000  # an A3 page scanned at 600 dpi is 70 million
    seconds: float = 10.0


DEFAULT = Limits()


@dataclass
class Budget:
    """What one inspection has left; the checks raise ``TooComplex`` once a bound is passed."""

    limits: Limits = DEFAULT
    decoded: int = 0
    started: float = field(default_factory=time.monotonic)
    _ticks: int = 0

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def check_time(self) -> None:
        if self.elapsed() > self.limits.seconds:
            raise TooComplex(f"checking it took longer than {self.limits.seconds:g} seconds")

    def check_pages(self, pages: int) -> None:
        if pages > self.limits.pages:
            raise TooComplex(f"it has more than {self.limits.pages:,} pages")

    def check_pixels(self, width: int, height: int) -> None:
        if width * height > self.limits.pixels:
            raise TooComplex(
                f"a page of {width:,} x {height:,} pixels is larger than {self.limits.pixels:,}"
            )

    def spend(self, decoded: int) -> None:
        """Count ``decoded`` bytes inflated from the file's streams, and check the time."""
        self.decoded += decoded
        if self.decoded > self.limits.decoded_bytes:
            raise TooComplex(
                f"its content inflates to more than {self.limits.decoded_bytes // MIB} MiB"
            )
        self.check_time()

    def tick(self, *_operation: Any) -> None:
        """pypdf's text extraction calls this before each operator it interprets."""
        self._ticks += 1
        if self._ticks % _TICKS_PER_CLOCK_READ == 0 and self.elapsed() > self.limits.seconds / 2:
            raise TextOutOfTime

    def pypdf_overrides(self) -> dict[str, int]:
        """pypdf's own limits (``pypdf.apply_configuration``) for this inspection: no filter
        inflates one stream past ``stream_bytes``, no image buffer is larger, and one content
        stream is parsed up to ``content_tokens``."""
        size = self.limits.stream_bytes
        return {
            "zlib_maximum_output_length": size,
            "lzw_maximum_output_length": size,
            "run_length_maximum_output_length": size,
            "brotli_maximum_output_length": size,
            "jbig2_maximum_output_length": size,
            "array_based_stream_maximum_output_length": size,
            "image_maximum_buffer_size": size,
            "xfa_decoding_work_maximum_length": size,
            "stream_decoding_work_maximum_length": 4 * size,
            "stream_parsing_work_maximum_count": self.limits.content_tokens,
            "page_tree_maximum_entries": self.limits.pages + 1000,
            "page_tree_maximum_page_entries": 50 * self.limits.pages,
        }


# ---------------------------------------------------------------- what a PDF costs
def count_pages(catalog: Any, budget: Budget) -> int:
    """The leaves of the page tree, counted before pypdf lists the pages (it copies each page it
    meets): a tree of a few kilobytes can repeat one page a thousand million times. Stops at the
    first page past the limit, and after as many nodes as a tree of that many pages can have."""
    pending, pages, nodes = [catalog["/Pages"]], 0, 0
    while pending:
        node = pending.pop().get_object()
        nodes += 1
        if nodes > 2 * budget.limits.pages + 100:
            raise TooComplex(f"its page tree has more than {2 * budget.limits.pages:,} nodes")
        kids = node.get("/Kids") if node.get("/Type") != "/Page" else None
        if kids is None:
            pages += 1
            budget.check_pages(pages)
        else:
            pending.extend(kids.get_object())
    return pages


def inflate(page: Any, budget: Budget, inflated: set[int]) -> None:
    """Decode what pypdf's text extraction will decode for ``page`` (its content streams, the
    form XObjects it draws, its fonts' character maps) and charge it to ``budget``: each stream's
    size once per document (``inflated`` holds their ids: pypdf keeps them decoded), and the
    page's character maps every page (pypdf parses them again for each)."""
    from pypdf.generic import ArrayObject

    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else None
    for part in contents if isinstance(contents, ArrayObject) else [contents]:
        stream = _stream(part)
        if stream is not None:  # decoded only, not parsed (``page.get_contents()`` would)
            _charge(stream, budget, inflated)
    font_maps = 0
    pending, seen = [page.get("/Resources")], set()
    while pending:
        resources = _dictionary(pending.pop())
        for font in _entries(resources, "/Font"):
            for stream in (_stream(font.get("/ToUnicode")), _stream(font.get("/Encoding"))):
                if stream is not None:
                    font_maps += _charge(stream, budget, inflated)
        for form in _entries(resources, "/XObject"):
            if form.get("/Subtype") == "/Form" and id(form) not in seen:
                seen.add(id(form))
                _charge(form, budget, inflated)
                pending.append(form.get("/Resources"))
    if font_maps > budget.limits.font_map_bytes:
        raise TooComplex(
            f"a page's fonts carry {font_maps:,} bytes of character maps; at most "
            f"{budget.limits.font_map_bytes:,} are accepted"
        )


def _charge(stream: Any, budget: Budget, inflated: set[int]) -> int:
    size = len(stream.get_data())
    if id(stream) not in inflated:
        inflated.add(id(stream))
        budget.spend(size)
    return size


def _dictionary(node: Any) -> Any:
    from pypdf.generic import DictionaryObject

    resolved = node.get_object() if node is not None else None
    return resolved if isinstance(resolved, DictionaryObject) else None


def _entries(resources: Any, key: str) -> list[Any]:
    """The dictionaries a resource dictionary names under ``key`` (/Font, /XObject)."""
    named = _dictionary(resources.get(key)) if resources is not None else None
    found = [_dictionary(value) for value in named.values()] if named is not None else []
    return [entry for entry in found if entry is not None]


def _stream(node: Any) -> Any:
    from pypdf.generic import StreamObject

    resolved = node.get_object() if node is not None else None
    return resolved if isinstance(resolved, StreamObject) else None
