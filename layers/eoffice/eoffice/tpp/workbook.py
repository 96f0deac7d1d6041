"""The month's workbook for people: a summary sheet, one sheet per agency (OPD) with its sections
as collapsible groups and subtotals, a signature block (docs/decisions/0026-tpp-workbook-per-opd.md).

XlsxWriter writes it (docs/research/tpp.md section 1): fast, small, and a pure function of
(data, meta) once the document's ``created`` time is fixed (its zip entries carry a constant
date). ``xlsxwriter`` is imported inside the writers only, so that importing this module costs
nothing: only the report function writes workbooks, and the HTTP functions must never load it.

Money is written as numbers with ``#,##0`` (hr can add them up; the viewer's locale decides the
thousands separator), percentages as numbers with ``0.00``. Totals are formulas (``SUBTOTAL`` in
an agency's sheet, which leaves the nested subtotals out of the sums above them) with their
values cached, so that a viewer that does not recalculate shows the same Rupiah as the JSON.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from eoffice.clock import regency_tz
from eoffice.org.models import Unit
from eoffice.outgoing.wording import MONTHS, tanggal
from eoffice.spreadsheets import WORKBOOK_OPTIONS
from eoffice.tpp.models import ReportData, UnitTotals
from eoffice.tpp.opd_rules import Group, Place, opd_groups
from eoffice.tpp.render import (
    NO,
    SUMMARY_COLUMNS,
    TOTAL_LABEL,
    YES,
    Cell,
    Column,
    Kind,
    columns,
    row,
    rows,
    unit_index,
)

SUMMARY_SHEET = "Ringkasan"
_HEADER_ROW = 7  # rows 0-5: title and context, 6: blank, 7: the table's header
_INVALID = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_RESERVED = ("history",)  # Excel keeps this sheet name for itself
_TEXT_WIDTHS = {"nip": 21, "name": 30, "position": 28, "unit_code": 10, "unit_name": 30}
_WIDTHS = {Kind.text: 14, Kind.days: 8, Kind.percent: 11, Kind.flag: 11, Kind.money: 15}
_MAX_LEVEL = 7  # Excel's deepest outline level


@dataclass(frozen=True)
class WorkbookMeta:
    """What the workbook shows beyond the data: when, which version, and who signs."""

    computed_at: datetime
    version: int
    regency: str = "Kabupaten Luwu Timur"
    place: str = "Malili"
    signer_title: str = "Kepala BKPSDM"  # or "Plt. Kepala BKPSDM", "Plh. ..."
    signer_name: str | None = None
    signer_nip: str | None = None

    def __post_init__(self) -> None:
        if self.computed_at.tzinfo is None or self.computed_at.utcoffset() is None:
            raise ValueError("computed_at must be an aware datetime")


# ---------------------------------------------------------------- words
def month_title(month: str) -> str:
    """'2026-11' → 'Rekapitulasi Potongan TPP Bulan November 2026'."""
    year, number = month.split("-")
    return f"Rekapitulasi Potongan TPP Bulan {MONTHS[int(number) - 1]} {year}"


def computed_line(moment: datetime) -> str:
    """'Dihitung pada 01-12-2026 01:00 WITA', whatever zone ``moment`` is in."""
    local = moment.astimezone(regency_tz())
    return f"Dihitung pada {local:%d-%m-%Y %H:%M} WITA"


def _context_lines(data: ReportData, meta: WorkbookMeta, where: str) -> list[str]:
    rule = data.rule_set
    return [
        month_title(data.month),
        meta.regency,
        where,
        f"Aturan: {rule.name}, versi {rule.version}, berlaku mulai {tanggal(rule.effective_from)}",
        computed_line(meta.computed_at),
        f"Versi laporan: {meta.version}",
    ]


def _signature_lines(meta: WorkbookMeta) -> list[str]:
    """Place and date, the title, room to sign, the name (or a line to write it), the NIP."""
    day = meta.computed_at.astimezone(regency_tz()).date()
    return [
        f"{meta.place}, {tanggal(day)}",
        meta.signer_title,
        "",
        "",
        "",
        meta.signer_name or "_" * 30,
        f"NIP {meta.signer_nip}" if meta.signer_nip else "NIP",
    ]


# ---------------------------------------------------------------- sheet names
def sheet_names(codes: Sequence[str]) -> list[str]:
    """Excel-safe, unique (case-insensitively, and apart from the summary) names for the units'
    codes, in order: at most 31 characters, none of []:*?/\\, no apostrophe at either end."""
    taken = {SUMMARY_SHEET.lower(), *_RESERVED}
    names = []
    for code in codes:
        base = _clean(code)
        name, n = base, 1
        while name.lower() in taken:
            n += 1
            suffix = f"~{n}"
            name = _fit(base, 31 - len(suffix)) + suffix
        taken.add(name.lower())
        names.append(name)
    return names


def _clean(code: str) -> str:
    name = _INVALID.sub("_", code).strip().strip("'").strip()
    return _fit(name, 31) or "Unit"


def _fit(name: str, limit: int) -> str:
    """Cut to ``limit`` UTF-16 code units (Excel's measure), never inside a character."""
    while len(name.encode("utf-16-le")) // 2 > limit:
        name = name[:-1]
    return name.rstrip("'")


# ---------------------------------------------------------------- writers
def report_xlsx(data: ReportData, meta: WorkbookMeta, tree: Iterable[Unit]) -> bytes:
    """The regency's (or a unit's) workbook: 'Ringkasan' first, one row per agency; then one
    sheet per agency, by code, its sections as outline groups (``opd_rules`` arranges them).
    ``tree`` is the organisation the run read: it says which agency each unit is in."""
    agencies = opd_groups(data, tree)
    names = sheet_names([group.place.code for group in agencies])
    cols, units = columns(data), unit_index(data)

    def fill(wb: Any, fmt: dict[str, Any]) -> None:
        _summary_sheet(wb.add_worksheet(SUMMARY_SHEET), fmt, data, meta, (agencies, names))
        for group, name in zip(agencies, names, strict=True):
            _opd_sheet(wb.add_worksheet(name), fmt, (data, meta), group, (cols, units))

    return _build(data, meta, fill)


def unit_xlsx(data: ReportData, unit_id: str, meta: WorkbookMeta) -> bytes:
    """One unit's workbook: its sheet only, with the same header and signature block."""
    units = unit_index(data)
    unit = units.get(unit_id)
    if unit is None:
        raise KeyError(f"unit {unit_id} is not in the report")
    cols = columns(data)
    cells = rows((e for e in data.employees if e.unit_id == unit_id), units, cols)

    def fill(wb: Any, fmt: dict[str, Any]) -> None:
        sheet = wb.add_worksheet(sheet_names([unit.code])[0])
        _unit_sheet(sheet, fmt, data, meta, unit, (cols, cells))

    return _build(data, meta, fill, unit)


Filler = Callable[[Any, dict[str, Any]], None]
Table = tuple[list[Column], list[list[Cell]]]


def _build(
    data: ReportData, meta: WorkbookMeta, fill: Filler, unit: UnitTotals | None = None
) -> bytes:
    import xlsxwriter  # type: ignore[import-untyped]  # the report run only: see module doc

    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, WORKBOOK_OPTIONS)  # text stays text (eoffice.spreadsheets)
    wb.set_properties(
        {
            "title": month_title(data.month),
            "subject": unit.name if unit else meta.regency,
            "author": f"BKPSDM {meta.regency}",
            "company": meta.regency,
            # XlsxWriter writes it as UTC ("...Z") and would otherwise take "now".
            "created": meta.computed_at.astimezone(UTC).replace(tzinfo=None),
        }
    )
    fill(wb, _formats(wb))
    wb.close()
    return out.getvalue()


def _formats(wb: Any) -> dict[str, Any]:
    border = {"border": 1, "valign": "top"}
    return {
        "title": wb.add_format({"bold": True, "font_size": 14}),
        "context": wb.add_format({}),
        "header": wb.add_format({**border, "bold": True, "text_wrap": True, "align": "center"}),
        Kind.text: wb.add_format(border),
        Kind.flag: wb.add_format({**border, "align": "center"}),
        Kind.days: wb.add_format({**border, "num_format": "0"}),
        Kind.percent: wb.add_format({**border, "num_format": "0.00"}),
        Kind.money: wb.add_format({**border, "num_format": "#,##0"}),
        "total": wb.add_format({**border, "bold": True}),
        "total_money": wb.add_format({**border, "bold": True, "num_format": "#,##0"}),
        "signer": wb.add_format({"bold": True, "underline": True}),
        "section": wb.add_format({"bold": True, "bg_color": "#DDEBF7"}),
        "link": wb.add_format({**border, "font_color": "blue", "underline": 1}),
    }


def _unit_sheet(
    ws: Any,
    fmt: dict[str, Any],
    data: ReportData,
    meta: WorkbookMeta,
    unit: UnitTotals,
    table: Table,
) -> None:
    cols, cells = table
    _page(ws, cols)
    _header(ws, fmt, _context_lines(data, meta, f"Unit kerja: {unit.name} ({unit.code})"), cols)
    for offset, line in enumerate(cells):
        _write_row(ws, fmt, _HEADER_ROW + 1 + offset, cols, line)
    totals_row = _totals(ws, fmt, cols, cells, label=f"{TOTAL_LABEL} ({len(cells)} pegawai)")
    _signature(ws, fmt, totals_row + 2, max(0, len(cols) - 4), meta)


def _summary_sheet(
    ws: Any,
    fmt: dict[str, Any],
    data: ReportData,
    meta: WorkbookMeta,
    agencies: tuple[list[Group], list[str]],
) -> None:
    """One row per agency (values), its code a link to its sheet; the regency's SUM below."""
    from xlsxwriter.utility import quote_sheetname  # type: ignore[import-untyped]

    groups, names = agencies
    cols = list(SUMMARY_COLUMNS)
    cells: list[list[Cell]] = [
        [
            g.place.code,
            g.place.name,
            len(g.everyone()),
            g.total("tpp_amount"),
            g.total("deduction"),
            g.total("paid"),
        ]
        for g in groups
    ]
    _page(ws, cols)
    _header(ws, fmt, _context_lines(data, meta, "Seluruh perangkat daerah"), cols)
    for offset, (line, name) in enumerate(zip(cells, names, strict=True)):
        at = _HEADER_ROW + 1 + offset
        _write_row(ws, fmt, at, cols, line)
        target = f"internal:{quote_sheetname(name)}!A1"
        ws.write_url(at, 0, target, fmt["link"], str(line[0]), f"Buka lembar {name}")
    totals_row = _totals(ws, fmt, cols, cells, label=TOTAL_LABEL, summed=(Kind.days, Kind.money))
    _signature(ws, fmt, totals_row + 2, 3, meta)


def _opd_sheet(
    ws: Any,
    fmt: dict[str, Any],
    report: tuple[ReportData, WorkbookMeta],
    top: Group,
    table: tuple[list[Column], dict[str, UnitTotals]],
) -> None:
    """The agency's employees, section by section: each section a header row, its employees,
    its sections, and its subtotal, grouped one outline level below the section above it, so
    that hr can fold a section to its subtotal (or the sheet to the agency's total)."""
    data, meta = report
    cols, _ = table
    _page(ws, cols)
    where = f"Perangkat daerah: {top.place.name} ({top.place.code})"
    _header(ws, fmt, _context_lines(data, meta, where), cols)
    ws.outline_settings(True, True, True, False)  # folding buttons below and right of a group
    end = _group_rows(ws, fmt, table, top, _HEADER_ROW + 1)
    _signature(ws, fmt, end + 1, max(0, len(cols) - 4), meta)


def _group_rows(
    ws: Any,
    fmt: dict[str, Any],
    table: tuple[list[Column], dict[str, UnitTotals]],
    group: Group,
    at: int,
) -> int:
    """Write ``group`` from row ``at``: header, employees, sections, subtotal. The next row."""
    cols, units = table
    level = {"level": min(group.depth + 1, _MAX_LEVEL)}
    _section_header(ws, fmt, at, group.place, level)
    first = at + 1
    at = first
    for employee in group.employees:
        _write_row(ws, fmt, at, cols, row(employee, units.get(employee.unit_id), cols))
        ws.set_row(at, None, None, level)
        at += 1
    for child in group.children:
        at = _group_rows(ws, fmt, table, child, at)
    _subtotal(ws, fmt, cols, (first, at - 1, at), group)
    if group.depth:
        ws.set_row(at, None, None, {"level": min(group.depth, _MAX_LEVEL)})
    return at + 1


def _section_header(
    ws: Any, fmt: dict[str, Any], at: int, place: Place, level: dict[str, int]
) -> None:
    ws.set_row(at, None, fmt["section"], level)
    ws.write_string(at, 0, place.code, fmt["section"])
    ws.write_string(at, 1, place.name, fmt["section"])


def _subtotal(
    ws: Any,
    fmt: dict[str, Any],
    cols: Sequence[Column],
    span: tuple[int, int, int],
    group: Group,
) -> None:
    """The group's money as SUBTOTAL(9, ...) over its rows (nested subtotals are left out by
    Excel, LibreOffice and Google Sheets alike), the value cached from the employees."""
    from xlsxwriter.utility import xl_rowcol_to_cell

    first, last, at = span
    count = len(group.everyone())
    label = f"{TOTAL_LABEL} {group.place.name} ({count} pegawai)"
    for index, col in enumerate(cols):
        if col.kind is Kind.money:
            cells = f"{xl_rowcol_to_cell(first, index)}:{xl_rowcol_to_cell(last, index)}"
            total = group.total(col.key)
            ws.write_formula(at, index, f"=SUBTOTAL(9,{cells})", fmt["total_money"], total)
        elif index == 0:
            ws.write_string(at, index, group.place.code, fmt["total"])
        elif index == 1:
            ws.write_string(at, index, label, fmt["total"])
        else:
            ws.write_blank(at, index, None, fmt["total"])


def _page(ws: Any, cols: Sequence[Column]) -> None:
    """Widths by kind, A4 landscape, one page wide, header repeated on every printed page."""
    for index, col in enumerate(cols):
        ws.set_column(index, index, _TEXT_WIDTHS.get(col.key, _WIDTHS[col.kind]))
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(_HEADER_ROW)
    ws.freeze_panes(_HEADER_ROW + 1, 2)


def _header(ws: Any, fmt: dict[str, Any], lines: list[str], cols: Sequence[Column]) -> None:
    for number, line in enumerate(lines):
        ws.write_string(number, 0, line, fmt["title"] if number == 0 else fmt["context"])
    for index, col in enumerate(cols):
        ws.write_string(_HEADER_ROW, index, col.header, fmt["header"])


def _write_row(
    ws: Any, fmt: dict[str, Any], at: int, cols: Sequence[Column], cells: Sequence[Cell]
) -> None:
    for index, (col, cell) in enumerate(zip(cols, cells, strict=True)):
        style = fmt[col.kind]
        if col.kind is Kind.flag:
            ws.write_string(at, index, YES if cell else NO, style)
        elif col.kind is Kind.text:
            ws.write_string(at, index, "" if cell is None else str(cell), style)
        elif isinstance(cell, Decimal):
            ws.write_number(at, index, float(cell), style)
        elif isinstance(cell, int) and not isinstance(cell, bool):
            ws.write_number(at, index, cell, style)
        else:
            raise TypeError(f"unexpected {cell!r} in column {col.header!r}")


def _totals(
    ws: Any,
    fmt: dict[str, Any],
    cols: Sequence[Column],
    cells: Sequence[Sequence[Cell]],
    label: str,
    summed: tuple[Kind, ...] = (Kind.money,),
) -> int:
    """A bold totals row: SUM formulas (kept right if hr edits a row) with their values cached,
    so viewers that do not recalculate still show the totals. Returns its row number."""
    from xlsxwriter.utility import xl_rowcol_to_cell

    at = _HEADER_ROW + 1 + len(cells)
    first, last = _HEADER_ROW + 1, at - 1
    for index, col in enumerate(cols):
        style = fmt["total_money"] if col.kind is Kind.money else fmt["total"]
        if col.kind not in summed:
            if index == 1:
                ws.write_string(at, index, label, style)
            else:
                ws.write_blank(at, index, None, style)
            continue
        total = sum(int(line[index] or 0) for line in cells)
        if not cells:
            ws.write_number(at, index, 0, style)
            continue
        span = f"{xl_rowcol_to_cell(first, index)}:{xl_rowcol_to_cell(last, index)}"
        ws.write_formula(at, index, f"=SUM({span})", style, total)
    return at


def _signature(ws: Any, fmt: dict[str, Any], at: int, col: int, meta: WorkbookMeta) -> None:
    lines = _signature_lines(meta)
    for offset, line in enumerate(lines):
        if line:
            style = fmt["signer"] if offset == len(lines) - 2 and meta.signer_name else None
            ws.write_string(at + offset, col, line, style)
