"""Files people open in a spreadsheet (CSV, XLSX): whatever they hold is data, never a formula.

A name imported as ``=HYPERLINK("http://x","klik")`` is kept as entered (it is what the source
said), and every export writes it so that Excel, LibreOffice or Google Sheets show it as text
and run nothing ("CSV injection"):
- CSV: ``csv_bytes`` is the one CSV writer of this system, and every cell it writes goes through
  ``text_cell``. A value that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
  and is not a plain number gets a leading apostrophe, which a spreadsheet reads as "text".
  Numbers such as ``-5`` or ``2.50`` stay as they are.
- XLSX: text is written as string cells (XlsxWriter's ``write_string``), which no spreadsheet
  evaluates, and so needs no apostrophe (it would show). Workbooks are opened with
  ``WORKBOOK_OPTIONS``, so that even a plain ``write`` makes no formula or link of a string.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")

WORKBOOK_OPTIONS: dict[str, Any] = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
}


def text_cell(value: str) -> str:
    """``value`` as a CSV cell a spreadsheet shows as written and never runs."""
    if value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_bytes(header: Sequence[str], lines: Iterable[Sequence[str]]) -> bytes:
    """UTF-8 with a BOM (Excel), CRLF, comma-separated (RFC 4180); every cell a ``text_cell``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([text_cell(cell) for cell in header])
    writer.writerows([text_cell(cell) for cell in line] for line in lines)
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")
