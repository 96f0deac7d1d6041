"""The regency's workbook as BKPSDM reads it (issue 18, ADR 0026): a summary with one row per
agency (OPD), then a sheet per agency with its sections as outline groups, a subtotal per section
and the agency's total. Opened with openpyxl, as a spreadsheet would open it, and checked against
the figures of the report's JSON. Pure: no AWS.

The report data is built by hand from a tree of units, employees with drawn amounts, so that the
sums are not round numbers that could come out right by accident.
"""

from __future__ import annotations

import csv
import io
import random
import re
from datetime import UTC, datetime
from typing import Any

import openpyxl
import pytest
from eoffice.attendance.models import LeaveType
from eoffice.org.hierarchy import agency_of
from eoffice.org.models import Unit, UnitKind
from eoffice.tpp.models import ReportData
from eoffice.tpp.render import read_report_json, report_csv, report_json
from eoffice.tpp.workbook import WorkbookMeta, report_xlsx
from eoffice_local import demo_data
from openpyxl.worksheet.worksheet import Worksheet

AT = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)
MONEY = ("TPP (Rp)", "Potongan (Rp)", "Dibayar (Rp)")
FIELDS = {"TPP (Rp)": "tpp_amount", "Potongan (Rp)": "deduction", "Dibayar (Rp)": "paid"}
HEADER_ROW = 8  # Excel's numbering: rows 1-6 the context, 8 the table's header

# (unit id, code, name, kind, parent id). DINKES has a section with employees, a bidang with none
# of its own whose two seksi have some, and its head in the agency itself; SETDA's bagian are its
# sections; KEC-WOTU has no sections at all.
UNITS = (
    ("root", "LUTIM", "Pemerintah Kabupaten Luwu Timur", UnitKind.regency, None),
    ("dinkes", "DINKES", "Dinas Kesehatan", UnitKind.agency, "root"),
    ("dinkes-sek", "DINKES.SEK", "Sekretariat", UnitKind.section, "dinkes"),
    ("dinkes-p2p", "DINKES.P2P", "Bidang Pencegahan Penyakit", UnitKind.section, "dinkes"),
    ("p2p-imun", "DINKES.P2P.IMUN", "Seksi Imunisasi", UnitKind.section, "dinkes-p2p"),
    ("p2p-surv", "DINKES.P2P.SURV", "Seksi Surveilans", UnitKind.section, "dinkes-p2p"),
    ("dinkes-yan", "DINKES.YAN", "Bidang Pelayanan", UnitKind.section, "dinkes"),
    ("setda", "SETDA", "Sekretariat Daerah", UnitKind.secretariat, "root"),
    ("setda-hukum", "SETDA.HUKUM", "Bagian Hukum", UnitKind.section, "setda"),
    ("setda-umum", "SETDA.UMUM", "Bagian Umum", UnitKind.section, "setda"),
    ("kec-wotu", "KEC-WOTU", "Kecamatan Wotu", UnitKind.district, "root"),
)
STAFF = {  # employees per unit; DINKES.YAN has none and must not appear
    "dinkes": 1,
    "dinkes-sek": 3,
    "p2p-imun": 2,
    "p2p-surv": 4,
    "setda-hukum": 2,
    "setda-umum": 5,
    "kec-wotu": 3,
}


def org(units: tuple[tuple[str, str, str, UnitKind, str | None], ...] = UNITS) -> list[Unit]:
    return [
        Unit(
            unit_id=unit_id,
            code=code,
            name=name,
            kind=kind,
            parent_id=parent,
            created_at=AT,
            updated_at=AT,
        )
        for unit_id, code, name, kind, parent in units
    ]


def person(nip: str, unit_id: str, draw: random.Random) -> dict[str, Any]:
    """An employee with a drawn TPP and deduction: sums that no round number would give."""
    tpp = draw.randrange(2_000_000, 9_000_000, 250)
    deduction = draw.randrange(0, tpp * 2 // 5)
    return {
        "nip": nip,
        "name": f"Pegawai {nip[-4:]}",
        "unit_id": unit_id,
        "position": "Analis",
        "tpp_amount": tpp,
        "working_days": 21,
        "days_present": 20,
        "late_counts": {f"TL{n}": 0 for n in range(1, 5)},
        "early_counts": {f"PSW{n}": 0 for n in range(1, 5)},
        "absent_days": 1,
        "leave_days": {kind.value: 0 for kind in LeaveType},
        "pending_days": 0,
        "cltn_days": 0,
        "day_percent_sum": "3.00",
        "attendance_percent": "3.00",
        "cap_applied": False,
        "no_presence": False,
        "penalties": [],
        "penalty_percent": "0",
        "total_percent": "3.00",
        "deduction": deduction,
        "paid": tpp - deduction,
        "days": [],
    }


def month(units: list[Unit], staff: dict[str, int], seed: int = 7) -> ReportData:
    """The report data as the computation makes it: units with employees, by code; employees by
    unit code, then NIP."""
    draw = random.Random(seed)
    by_id = {unit.unit_id: unit for unit in units}
    totals, employees = [], []
    serial = 0
    for unit_id in sorted(staff, key=lambda u: by_id[u].code):
        mine = []
        for _ in range(staff[unit_id]):
            serial += 1
            mine.append(person(f"19800101200601{serial:04d}", unit_id, draw))
        employees += mine
        unit = by_id[unit_id]
        totals.append(
            {
                "unit_id": unit_id,
                "code": unit.code,
                "name": unit.name,
                "employees": len(mine),
                "tpp_total": sum(e["tpp_amount"] for e in mine),
                "deduction_total": sum(e["deduction"] for e in mine),
                "paid_total": sum(e["paid"] for e in mine),
            }
        )
    return ReportData.model_validate(
        {
            "month": "2026-11",
            "scope": "all",
            "rule_set": {"name": "Aturan bawaan", "version": 1, "effective_from": "2021-01-01"},
            "units": totals,
            "employees": employees,
            "tpp_total": sum(e["tpp_amount"] for e in employees),
            "deduction_total": sum(e["deduction"] for e in employees),
            "paid_total": sum(e["paid"] for e in employees),
        }
    )


def meta() -> WorkbookMeta:
    return WorkbookMeta(computed_at=AT, version=1, signer_name="Andi", signer_nip="1" * 18)


class Workbook:
    """The workbook opened twice, as openpyxl opens it: the formulas, and the values cached."""

    def __init__(self, body: bytes) -> None:
        self.formulas = openpyxl.load_workbook(io.BytesIO(body))
        self.values = openpyxl.load_workbook(io.BytesIO(body), data_only=True)

    @property
    def names(self) -> list[str]:
        return self.values.sheetnames

    def table(self, name: str) -> list[dict[str, Any]]:
        """The sheet's rows from the table's header to its last total, each with its Excel row
        number, outline level, and cells by header."""
        ws = self.values[name]
        headers = [c.value for c in ws[HEADER_ROW]]
        found = []
        for number in range(HEADER_ROW + 1, ws.max_row + 1):
            cells = [c.value for c in ws[number]][: len(headers)]
            if not any(v is not None for v in cells):
                break  # the blank row before the signature
            found.append(
                {
                    "row": number,
                    "level": ws.row_dimensions[number].outline_level,
                    "bold": bool(ws.cell(number, 1).font.b),
                    **dict(zip(headers, cells, strict=True)),
                }
            )
        return found


def json_figures(data: ReportData) -> dict[str, Any]:
    return read_report_json(report_json(data))


def subtree_sum(doc: dict[str, Any], unit_ids: set[str], field: str) -> int:
    return sum(e[field] for e in doc["employees"] if e["unit_id"] in unit_ids)


def below(unit_id: str, units: list[Unit]) -> set[str]:
    """The unit and every unit under it, from the test's own tree (not the code's)."""
    found, stack = {unit_id}, [unit_id]
    while stack:
        current = stack.pop()
        for unit in units:
            if unit.parent_id == current and unit.unit_id not in found:
                found.add(unit.unit_id)
                stack.append(unit.unit_id)
    return found


def evaluate_subtotal(ws: Worksheet, formula: str) -> int:
    """SUBTOTAL(9, range) as a spreadsheet computes it: the range's numbers, leaving out the
    cells that are themselves SUBTOTALs."""
    match = re.fullmatch(r"=SUBTOTAL\(9,([A-Z]+)([0-9]+):([A-Z]+)([0-9]+)\)", formula)
    assert match, formula
    column, first, _, last = match.groups()
    total = 0
    for number in range(int(first), int(last) + 1):
        value = ws[f"{column}{number}"].value
        if isinstance(value, str) and value.startswith("=SUBTOTAL("):
            continue
        total += int(value or 0)
    return total


# ---------------------------------------------------------------- the summary
def test_summary_has_one_row_per_agency_with_the_jsons_rupiah() -> None:
    units = org()
    data = month(units, STAFF)
    doc = json_figures(data)
    book = Workbook(report_xlsx(data, meta(), units))
    assert book.names == ["Ringkasan", "DINKES", "KEC-WOTU", "SETDA"]
    rows = book.table("Ringkasan")
    agencies = {"DINKES": "dinkes", "KEC-WOTU": "kec-wotu", "SETDA": "setda"}
    for line in rows[:-1]:
        ids = below(agencies[line["Kode OPD"]], units)
        assert line["Jumlah pegawai"] == sum(1 for e in doc["employees"] if e["unit_id"] in ids)
        for header in MONEY:
            assert line[header] == subtree_sum(doc, ids, FIELDS[header]), (line, header)
    total = rows[-1]
    assert total["Perangkat daerah"] == "Jumlah"
    assert (total["TPP (Rp)"], total["Potongan (Rp)"], total["Dibayar (Rp)"]) == (
        doc["tpp_total"],
        doc["deduction_total"],
        doc["paid_total"],
    )
    assert total["Jumlah pegawai"] == len(doc["employees"]) == 20


def test_summary_codes_open_their_agencys_sheet() -> None:
    units = org()
    book = Workbook(report_xlsx(month(units, STAFF), meta(), units))
    ws = book.formulas["Ringkasan"]
    links = {ws.cell(n, 1).value: ws.cell(n, 1).hyperlink for n in range(9, 12)}
    assert {code: link.location for code, link in links.items()} == {
        "DINKES": "DINKES!A1",
        "KEC-WOTU": "'KEC-WOTU'!A1",
        "SETDA": "SETDA!A1",
    }


# ---------------------------------------------------------------- an agency's sheet
def test_an_agencys_sections_are_nested_groups_with_subtotals_that_match_the_json() -> None:
    units = org()
    data = month(units, STAFF)
    doc = json_figures(data)
    book = Workbook(report_xlsx(data, meta(), units))
    rows = book.table("DINKES")
    headers = [
        (r["NIP"], r["Nama"], r["level"]) for r in rows if r["bold"] and r["Jabatan"] is None
    ]
    totals = [r for r in rows if str(r["Nama"]).startswith("Jumlah ")]
    # A header row per unit with employees in it or below it, depth first, by code; the empty
    # Bidang Pelayanan is left out.
    assert [h for h in headers if not str(h[1]).startswith("Jumlah ")] == [
        ("DINKES", "Dinas Kesehatan", 1),
        ("DINKES.P2P", "Bidang Pencegahan Penyakit", 2),
        ("DINKES.P2P.IMUN", "Seksi Imunisasi", 3),
        ("DINKES.P2P.SURV", "Seksi Surveilans", 3),
        ("DINKES.SEK", "Sekretariat", 2),
    ]
    ids = {unit.code: unit.unit_id for unit in units}
    assert [(t["NIP"], t["Nama"], t["level"]) for t in totals] == [
        ("DINKES.P2P.IMUN", "Jumlah Seksi Imunisasi (2 pegawai)", 2),
        ("DINKES.P2P.SURV", "Jumlah Seksi Surveilans (4 pegawai)", 2),
        ("DINKES.P2P", "Jumlah Bidang Pencegahan Penyakit (6 pegawai)", 1),
        ("DINKES.SEK", "Jumlah Sekretariat (3 pegawai)", 1),
        ("DINKES", "Jumlah Dinas Kesehatan (10 pegawai)", 0),
    ]
    for line in totals:
        subtree = below(ids[line["NIP"]], units)
        for header in MONEY:
            assert line[header] == subtree_sum(doc, subtree, FIELDS[header]), (line, header)
    # The agency's total is its summary row.
    summary = {r["Kode OPD"]: r for r in book.table("Ringkasan")}
    assert all(totals[-1][h] == summary["DINKES"][h] for h in MONEY)


def test_each_employee_is_on_his_agencys_sheet_once_as_in_the_csv() -> None:
    units = org()
    data = month(units, STAFF)
    book = Workbook(report_xlsx(data, meta(), units))
    by_nip = {
        r["NIP"]: r for r in csv.DictReader(io.StringIO(report_csv(data).decode("utf-8-sig")))
    }
    seen: dict[str, str] = {}
    agency = agency_of(units)
    code_of = {unit.unit_id: unit.code for unit in units}
    parent_of = {unit.unit_id: unit.parent_id for unit in units}
    for name in book.names[1:]:
        for line in book.table(name):
            nip = line["NIP"]
            if nip in by_nip:
                assert nip not in seen, nip
                seen[nip] = name
                expected = by_nip[nip]
                assert line["Kode unit"] == expected["Kode unit"]
                for header in MONEY:
                    assert line[header] == int(expected[header])
                unit_id = next(e.unit_id for e in data.employees if e.nip == nip)
                depth = 0
                while unit_id != agency[unit_id]:
                    unit_id, depth = str(parent_of[unit_id]), depth + 1
                assert line["level"] == depth + 1, line  # one under his section's total
    assert set(seen) == set(by_nip)
    for employee in data.employees:
        assert seen[employee.nip] == code_of[agency[employee.unit_id]]


def test_subtotal_formulas_recompute_to_their_cached_values() -> None:
    """hr may edit a row: the formulas must say what the cached values say, each section's
    SUBTOTAL spanning its own rows and its sections' (whose subtotals Excel leaves out)."""
    units = org()
    book = Workbook(report_xlsx(month(units, STAFF), meta(), units))
    for name in book.names[1:]:
        formulas, values = book.formulas[name], book.values[name]
        checked = 0
        for row in formulas.iter_rows(min_row=HEADER_ROW + 1):
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("=SUBTOTAL("):
                    assert evaluate_subtotal(formulas, cell.value) == values[cell.coordinate].value
                    checked += 1
        assert checked >= 3  # three money columns per total at least


def test_outline_folds_below_and_employees_sit_one_level_under_their_sections_total() -> None:
    units = org()
    book = Workbook(report_xlsx(month(units, STAFF), meta(), units))
    ws = book.formulas["SETDA"]
    # The totals are below their rows (OOXML's default when summaryBelow is absent), and the
    # sheet declares its levels, which makes Excel draw the 1-2-3 buttons.
    assert ws.sheet_properties.outlinePr.summaryBelow is not False
    assert ws.sheet_format.outlineLevelRow == 2
    assert book.formulas["DINKES"].sheet_format.outlineLevelRow == 3
    levels = [(r["NIP"], r["level"]) for r in book.table("SETDA")]
    nips = [n for n, _ in levels if n and len(str(n)) == 18]
    assert len(nips) == 7
    # SETDA's own header, then each bagian: header and employees at 2, its total at 1.
    assert levels[0] == ("SETDA", 1)
    assert levels[1] == ("SETDA.HUKUM", 2)
    assert [lvl for n, lvl in levels if n in nips] == [2] * 7
    assert levels[-1] == ("SETDA", 0)


def test_an_agency_without_sections_is_one_group_and_its_total() -> None:
    units = org()
    data = month(units, STAFF)
    doc = json_figures(data)
    rows = Workbook(report_xlsx(data, meta(), units)).table("KEC-WOTU")
    assert [(r["NIP"], r["level"]) for r in rows][:1] == [("KEC-WOTU", 1)]
    assert [r["level"] for r in rows] == [1, 1, 1, 1, 0]
    assert rows[-1]["Nama"] == "Jumlah Kecamatan Wotu (3 pegawai)"
    assert rows[-1]["Dibayar (Rp)"] == subtree_sum(doc, {"kec-wotu"}, "paid")


def test_a_regency_of_agencies_only_has_no_level_below_one() -> None:
    flat = org(tuple(u for u in UNITS if u[3] is not UnitKind.section))
    data = month(flat, {"dinkes": 2, "setda": 3, "kec-wotu": 1})
    book = Workbook(report_xlsx(data, meta(), flat))
    assert book.names == ["Ringkasan", "DINKES", "KEC-WOTU", "SETDA"]
    for name in book.names[1:]:
        assert max(r["level"] for r in book.table(name)) == 1


# ---------------------------------------------------------------- odd trees and names
def test_agency_codes_that_collide_after_truncation_get_unique_sheets() -> None:
    long = "DINAS-PEMBERDAYAAN-MASYARAKAT-DAN-DESA"
    units = org(
        (
            UNITS[0],
            ("a", f"{long}-1", "Dinas A", UnitKind.agency, "root"),
            ("b", f"{long}-2", "Dinas B", UnitKind.agency, "root"),
            ("c", "ringkasan", "Dinas C", UnitKind.agency, "root"),
            ("d", "DIKBUD/SD:[1]", "Dinas D", UnitKind.agency, "root"),
        )
    )
    data = month(units, {"a": 1, "b": 2, "c": 1, "d": 1})
    book = Workbook(report_xlsx(data, meta(), units))
    assert book.names == [
        "Ringkasan",
        "DIKBUD_SD__1_",
        long[:31],
        long[:29] + "~2",
        "ringkasan~2",
    ]
    assert len({n.lower() for n in book.names}) == len(book.names)
    assert all(len(n) <= 31 for n in book.names)
    # Each sheet is its own agency's, and the summary links to it.
    for name, agency in zip(
        book.names[1:], ["Dinas D", "Dinas A", "Dinas B", "Dinas C"], strict=True
    ):
        assert book.values[name]["A3"].value.startswith(f"Perangkat daerah: {agency} ")
    ws = book.formulas["Ringkasan"]
    locations = [ws.cell(n, 1).hyperlink.location for n in range(9, 13)]
    assert locations == [f"'{n}'!A1" if "-" in n or "~" in n else f"{n}!A1" for n in book.names[1:]]


def test_staff_of_the_root_and_units_missing_from_the_tree_are_agencies_of_their_own() -> None:
    units = org()
    data = month(units, {"root": 1, "dinkes-sek": 1})
    data.units.append(data.units[0].model_copy(update={"unit_id": "gone", "code": "ZZ"}))
    data.employees.append(data.employees[0].model_copy(update={"unit_id": "gone", "nip": "9" * 18}))
    book = Workbook(report_xlsx(data, meta(), units))
    assert book.names == ["Ringkasan", "DINKES", "LUTIM", "ZZ"]


def test_employees_of_a_unit_missing_from_the_data_are_refused() -> None:
    units = org()
    data = month(units, STAFF)
    data.employees[0].unit_id = "setda-umum-gone"
    with pytest.raises(ValueError, match="setda-umum-gone"):
        report_xlsx(data, meta(), units)


def test_the_demo_regencys_169_units_make_one_sheet_per_agency() -> None:
    specs = demo_data.UNITS
    units = org(
        tuple(
            (s.code, s.code, s.name, s.kind, s.parent_code)
            for s in specs  # ids are the codes
        )
    )
    data = month(units, {s.code: 1 for s in specs if s.parent_code is not None})
    book = Workbook(report_xlsx(data, meta(), units))
    tops = sorted(s.code for s in specs if s.parent_code == demo_data.ROOT_CODE)
    assert len(specs) == 169 and len(tops) == 45
    assert book.names == ["Ringkasan", *tops]
    summary = book.table("Ringkasan")
    assert [r["Kode OPD"] for r in summary[:-1]] == tops
    assert summary[-1]["Jumlah pegawai"] == 168
    assert summary[-1]["Dibayar (Rp)"] == data.paid_total


def test_agency_of_follows_the_tree_up_to_the_roots_children() -> None:
    units = org()
    found = agency_of(units)
    assert found["root"] == "root"
    assert found["p2p-surv"] == found["dinkes-p2p"] == found["dinkes"] == "dinkes"
    assert found["setda-hukum"] == "setda"
    cyclic = org(
        (
            ("x", "X", "X", UnitKind.section, "y"),
            ("y", "Y", "Y", UnitKind.section, "x"),
            ("o", "O", "O", UnitKind.section, "missing"),
        )
    )
    assert agency_of(cyclic) == {"x": "y", "y": "x", "o": "o"}
