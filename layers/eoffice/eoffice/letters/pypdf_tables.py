"""pypdf builds its WinAnsi code table (256 single-byte decodes, about half a millisecond) anew
each time it starts extracting a page's text, and again for each standard font it meets; the
intake extracts every page of every scan, so that table was a sixth of a scan's inspection
(docs/performance.md, Letter intake). The table depends on the encoding's name alone: it is
built once per process here, and every caller still gets a dictionary of its own (pypdf may
change the one it is given).

pypdf's own modules are not edited: ``install`` rebinds the name in the modules that call it
per page, and does nothing for a module (a later pypdf) that is gone or no longer has it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import lru_cache

_CALLERS = ("pypdf._text_extraction._text_extractor", "pypdf.generic._font")
_NAME = "encoding_dict_from_named_encoding"

Table = dict[int, str]


def install() -> None:
    """Make pypdf's per-page callers reuse the tables; cheap once done (every inspection calls
    it, so that nothing depends on who imported pypdf first)."""
    for module_name in _CALLERS:
        try:
            module = importlib.import_module(module_name)
        except ImportError:  # a later pypdf moved it: its own (slower) tables are used
            continue
        build = getattr(module, _NAME, None)
        if build is not None and not getattr(build, "reuses_tables", False):
            setattr(module, _NAME, _reusing(build))


def _reusing(build: Callable[[str], Table]) -> Callable[[str], Table]:
    built = lru_cache(maxsize=16)(build)

    def table(encoding: str) -> Table:
        return dict(built(encoding))

    table.reuses_tables = True  # type: ignore[attr-defined]
    return table
