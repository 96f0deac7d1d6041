"""The month's machine-readable files: canonical JSON and CSV, byte-identical for equal data.

Reproducibility is the point (issue 7, point 4): the same month on the same data must give the
same bytes, so that a rerun can be recognised by its SHA-256. Hence sorted JSON keys, no floats,
money as integers, every percentage as a string with exactly two decimals (``Decimal("2.5")`` and
``Decimal("2.50")`` render alike), and nothing about the run itself (no time, no version).

The Bahasa Indonesia words of the table (headers, leave names, Ya/Tidak) live here once, and the
XLSX writer (``workbook.py``) and the change list (``change_rules.py``) reuse them.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum, StrEnum
from typing import Any, get_args

from eoffice.attendance.models import LeaveType
from eoffice.spreadsheets import csv_bytes
from eoffice.tpp.models import DayCharge, EmployeeMonth, ReportData, UnitTotals

Cell = str | int | Decimal | bool | None

_CENT = Decimal("0.01")
_PLAIN = frozenset({str, int, bool, type(None)})
_BAND = re.compile(r"^(TL|PSW)([1-9][0-9]*)$")

LEAVE_LABELS: dict[LeaveType, str] = {
    LeaveType.izin: "Izin",
    LeaveType.cuti_tahunan: "Cuti tahunan",
    LeaveType.cuti_sakit: "Cuti sakit",
    LeaveType.cuti_melahirkan: "Cuti melahirkan",
    LeaveType.cuti_besar: "Cuti besar",
    LeaveType.cuti_alasan_penting: "Cuti alasan penting",
    LeaveType.cltn: "CLTN",
    LeaveType.dinas_luar: "Dinas luar",
}
YES, NO = "Ya", "Tidak"
TOTAL_LABEL = "Jumlah"


class Kind(StrEnum):
    """How a column's values are written: the XLSX picks its number format from this."""

    text = "text"
    days = "days"
    percent = "percent"
    flag = "flag"
    money = "money"


@dataclass(frozen=True)
class Column:
    key: str  # the employee's field in the JSON (dotted for a band or leave type)
    header: str  # Bahasa Indonesia
    kind: Kind


_HEAD = (
    Column("nip", "NIP", Kind.text),
    Column("name", "Nama", Kind.text),
    Column("position", "Jabatan", Kind.text),
    Column("unit_code", "Kode unit", Kind.text),
    Column("unit_name", "Unit kerja", Kind.text),
    Column("working_days", "Hari kerja", Kind.days),
    Column("days_present", "Hadir", Kind.days),
)
_TAIL = (
    Column("pending_days", "Menunggu verifikasi", Kind.days),
    Column("day_percent_sum", "Jumlah % harian", Kind.percent),
    Column("attendance_percent", "Potongan presensi (%)", Kind.percent),
    Column("cap_applied", "Batas potongan diterapkan", Kind.flag),
    Column("no_presence", "Tanpa kehadiran", Kind.flag),
    Column("penalty_percent", "Hukuman disiplin (%)", Kind.percent),
    Column("total_percent", "Total potongan (%)", Kind.percent),
    Column("tpp_amount", "TPP (Rp)", Kind.money),
    Column("deduction", "Potongan (Rp)", Kind.money),
    Column("paid", "Dibayar (Rp)", Kind.money),
)
_NOT_EMPLOYED = Column("not_employed_days", "Di luar masa kerja", Kind.days)
_LABELS: dict[str, str] = {
    **{column.key: column.header for column in (*_HEAD, _NOT_EMPLOYED, *_TAIL)},
    "absent_days": "TK",
    # Fields of the JSON that are not table columns, named for the change list.
    "unit_id": "Unit kerja (id)",
    "cltn_days": "Hari CLTN",
    "penalties": "Hukuman disiplin",
}
# The summary sheet of the workbook: one row per agency (OPD).
SUMMARY_COLUMNS = (
    Column("code", "Kode OPD", Kind.text),
    Column("name", "Perangkat daerah", Kind.text),
    Column("employees", "Jumlah pegawai", Kind.days),
    Column("tpp_total", _LABELS["tpp_amount"], Kind.money),
    Column("deduction_total", _LABELS["deduction"], Kind.money),
    Column("paid_total", _LABELS["paid"], Kind.money),
)


# ---------------------------------------------------------------- canonical values
def percent_text(value: Decimal) -> str:
    """'2.50': exactly two decimals; refuses a value that two decimals would round."""
    quantized = value.quantize(_CENT)
    if quantized != value:
        raise ValueError(f"percentage {value} has more than two decimals")
    return str(abs(quantized)) if quantized == 0 else str(quantized)


def canonical(value: Any) -> Any:
    """Plain JSON values with one spelling each: no floats, Decimals as '2.50', ISO dates."""
    if type(value) in _PLAIN:  # the bulk of a month's values: exact types, no more checks
        return value
    if isinstance(value, dict):
        return {
            key if type(key) is str else str(canonical(key)): canonical(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [canonical(item) for item in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, str | int) and not isinstance(value, bool):
        return str(value) if isinstance(value, str) else int(value)
    if isinstance(value, Decimal):
        return percent_text(value)
    if isinstance(value, datetime):
        # Equal instants in different zones must hash alike.
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"no canonical form for {type(value).__name__} (floats are refused)")


def canonical_bytes(doc: Any) -> bytes:
    """The one JSON spelling of ``doc`` (already canonical values), UTF-8, newline-terminated."""
    text = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return (text + "\n").encode("utf-8")


def days_digest(employee: EmployeeMonth) -> str:
    """SHA-256 of the canonical JSON of his days: any change to a day changes the report."""
    return hashlib.sha256(canonical_bytes([day_doc(day) for day in employee.days])).hexdigest()


def day_doc(day: DayCharge) -> dict[str, Any]:
    """A day in canonical form. A month holds ~150,000 days: pydantic's JSON mode spells most
    fields already (dates, enums, text); only Decimals and datetimes are re-spelled."""
    doc = day.model_dump(mode="json")
    for name in _RESPELLED:
        doc[name] = canonical(getattr(day, name))
    return doc


def _mentions(annotation: Any, kinds: tuple[type, ...]) -> bool:
    if annotation in kinds:
        return True
    return any(_mentions(arg, kinds) for arg in get_args(annotation))


_RESPELLED = tuple(
    name
    for name, field in DayCharge.model_fields.items()
    if _mentions(field.annotation, (Decimal, datetime, float))
)


def employee_doc(employee: EmployeeMonth) -> dict[str, Any]:
    """An employee as the report JSON holds him: his days replaced by their digest."""
    doc: dict[str, Any] = canonical(employee.model_dump(exclude={"days"}))
    doc["days_digest"] = days_digest(employee)
    return doc


# ---------------------------------------------------------------- JSON
def report_json(data: ReportData) -> bytes:
    """The month's machine-readable file; inputs only, so equal data gives equal bytes."""
    doc: dict[str, Any] = canonical(data.model_dump(exclude={"employees"}))
    doc["employees"] = [employee_doc(employee) for employee in data.employees]
    return canonical_bytes(doc)


def read_report_json(body: bytes) -> dict[str, Any]:
    """A stored report JSON back as a dict (for the change list)."""
    doc = json.loads(body.decode("utf-8"))
    if not isinstance(doc, dict) or not isinstance(doc.get("employees"), list):
        raise ValueError("not a TPP report JSON")
    return doc


# ---------------------------------------------------------------- the table
def band_names(data: ReportData) -> tuple[list[str], list[str]]:
    """TL1..TLn and PSW1..PSWn: n is the highest band any employee's counts name, gaps filled.

    ``RuleSetRef`` does not carry the bands, so they are read from the counts; the computation
    lists every band of the rule set (zeros included), which makes the columns the rule set's.
    """
    names: set[str] = set()
    for employee in data.employees:
        names.update(employee.late_counts, employee.early_counts)
    highest = {"TL": 0, "PSW": 0}
    for name in names:
        match = _BAND.match(name)
        if match is None:
            raise ValueError(f"unknown band name {name!r}")
        prefix, number = match.group(1), int(match.group(2))
        highest[prefix] = max(highest[prefix], number)
    return (
        [f"TL{n}" for n in range(1, highest["TL"] + 1)],
        [f"PSW{n}" for n in range(1, highest["PSW"] + 1)],
    )


def columns(data: ReportData) -> list[Column]:
    """The table's columns, fixed by the bands and the leave types."""
    late, early = band_names(data)
    return [
        *_HEAD,
        *(Column(f"late_counts.{name}", name, Kind.days) for name in late),
        *(Column(f"early_counts.{name}", name, Kind.days) for name in early),
        Column("absent_days", _LABELS["absent_days"], Kind.days),
        *_leave_columns(),
        *_TAIL,
    ]


def _leave_columns() -> list[Column]:
    """A column per leave type, and the days outside his employment right after CLTN: both
    shrink the share of the TPP paid."""
    cols = []
    for kind in LeaveType:
        cols.append(Column(f"leave_days.{kind.value}", LEAVE_LABELS[kind], Kind.days))
        if kind is LeaveType.cltn:
            cols.append(_NOT_EMPLOYED)
    return cols


def field_label(key: str) -> str:
    """A JSON field (dotted for a band or leave type) in Bahasa, for the change list."""
    group, _, name = key.partition(".")
    if group in ("late_counts", "early_counts") and name:
        return name
    if group == "leave_days" and name in LeaveType.__members__:
        return LEAVE_LABELS[LeaveType(name)]
    return _LABELS.get(key, key)


def unit_index(data: ReportData) -> dict[str, UnitTotals]:
    return {unit.unit_id: unit for unit in data.units}


def employees_of(data: ReportData, unit_id: str | None) -> list[EmployeeMonth]:
    """All employees, or one unit's, in the data's order."""
    if unit_id is None:
        return list(data.employees)
    return [employee for employee in data.employees if employee.unit_id == unit_id]


def employees_by_unit(data: ReportData) -> dict[str, list[EmployeeMonth]]:
    """Every unit's employees in one pass (a regency has ~170 units), in the data's order."""
    groups: dict[str, list[EmployeeMonth]] = {unit.unit_id: [] for unit in data.units}
    for employee in data.employees:
        groups.setdefault(employee.unit_id, []).append(employee)
    return groups


def row(employee: EmployeeMonth, unit: UnitTotals | None, cols: Sequence[Column]) -> list[Cell]:
    """One employee's typed cells, in the columns' order."""
    values: dict[str, Cell] = {
        "unit_code": unit.code if unit else employee.unit_id,
        "unit_name": unit.name if unit else "",
        "position": employee.position or "",
    }
    for key in ("late_counts", "early_counts"):
        counts: dict[str, int] = getattr(employee, key)
        values.update({f"{key}.{name}": count for name, count in counts.items()})
    values.update({f"leave_days.{kind.value}": n for kind, n in employee.leave_days.items()})
    return [_cell(employee, values, col.key) for col in cols]


def _cell(employee: EmployeeMonth, values: dict[str, Cell], key: str) -> Cell:
    if key in values:
        return values[key]
    if "." in key:  # a band or leave type absent from the counts: no such day
        return 0
    value: Cell = getattr(employee, key)
    return value


def rows(
    employees: Iterable[EmployeeMonth], units: dict[str, UnitTotals], cols: Sequence[Column]
) -> list[list[Cell]]:
    return [row(employee, units.get(employee.unit_id), cols) for employee in employees]


def table(data: ReportData, unit_id: str | None = None) -> tuple[list[Column], list[list[Cell]]]:
    """Columns and typed rows of the employees (all, or one unit's)."""
    cols = columns(data)
    return cols, rows(employees_of(data, unit_id), unit_index(data), cols)


def cell_text(cell: Cell, kind: Kind) -> str:
    """A cell as the CSV writes it: integers bare, percentages '2.50', flags Ya/Tidak (and, as
    for every CSV, a text a spreadsheet would run gets its apostrophe in ``csv_bytes``)."""
    if kind is Kind.flag:
        return YES if cell else NO
    if kind is Kind.percent:
        if not isinstance(cell, Decimal):
            raise TypeError(f"percentage expected, got {cell!r}")
        return percent_text(cell)
    if isinstance(cell, bool | Decimal):
        raise TypeError(f"unexpected {cell!r} in a {kind.value} column")
    return "" if cell is None else str(cell)


# ---------------------------------------------------------------- CSV
def report_csv(data: ReportData, unit_id: str | None = None) -> bytes:
    """One row per employee (all, or only ``unit_id``'s), in the data's order."""
    return _table_csv(*table(data, unit_id))


def unit_csvs(data: ReportData) -> dict[str, bytes]:
    """Every unit's CSV (``report_csv(data, unit_id)`` for each of ``data.units``), in one pass."""
    cols, units = columns(data), unit_index(data)
    groups = employees_by_unit(data)
    return {
        unit.unit_id: _table_csv(cols, rows(groups[unit.unit_id], units, cols))
        for unit in data.units
    }


def _table_csv(cols: Sequence[Column], cells: Iterable[Sequence[Cell]]) -> bytes:
    return csv_bytes(
        [col.header for col in cols],
        (
            [cell_text(cell, col.kind) for cell, col in zip(line, cols, strict=True)]
            for line in cells
        ),
    )
