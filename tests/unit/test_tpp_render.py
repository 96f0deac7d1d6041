"""The month's files (issue 7, points 3 and 4): canonical JSON and CSV that are byte-identical for
equal data, and the XLSX for people (summary + one sheet per unit, header, signature block),
deterministic once the time of computation is fixed. Pure: no AWS.

Report data is built by hand (not by the computation), so that each test controls every value.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import re
import subprocess
import sys
import zipfile
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from eoffice.attendance.models import DayStatus, LeaveType
from eoffice.org.models import Unit, UnitKind
from eoffice.tpp.models import EmployeeMonth, ReportData
from eoffice.tpp.render import (
    canonical,
    days_digest,
    percent_text,
    read_report_json,
    report_csv,
    report_json,
    unit_csvs,
)
from eoffice.tpp.workbook import WorkbookMeta, report_xlsx, sheet_names, unit_xlsx

NIP_A = "198001012006041001"
NIP_B = "198502022010012002"
NIP_C = "199003032015031003"
SIGNER_NIP = "197001011995031001"
WITA = timezone(timedelta(hours=8))
# 01:00 WITA on 1 December is still 30 November in UTC.
COMPUTED = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)

HEADERS = [
    "NIP", "Nama", "Jabatan", "Kode unit", "Unit kerja", "Hari kerja", "Hadir",
    "TL1", "TL2", "TL3", "TL4", "PSW1", "PSW2", "PSW3", "PSW4", "TK",
    "Izin", "Cuti tahunan", "Cuti sakit", "Cuti melahirkan", "Cuti besar",
    "Cuti alasan penting", "CLTN", "Di luar masa kerja", "Dinas luar",
    "Menunggu verifikasi", "Jumlah % harian", "Potongan presensi (%)",
    "Batas potongan diterapkan", "Tanpa kehadiran", "Hukuman disiplin (%)",
    "Total potongan (%)", "TPP (Rp)", "Potongan (Rp)", "Dibayar (Rp)",
]  # fmt: skip


# ---------------------------------------------------------------- building report data
def day(n: int, status: str = "present", **extra: Any) -> dict[str, Any]:
    """A day of November 2026 (the 7th and 8th are a weekend)."""
    working = status != "day_off"
    return {
        "day": f"2026-11-{n:02d}",
        "status": status,
        "working": working,
        "hours": "07:30-16:00" if working else None,
        "percent": "0",
        "note": "Hadir tepat waktu" if status == "present" else status,
        **extra,
    }


def week(**changes: dict[str, Any]) -> list[dict[str, Any]]:
    """2-8 November: five working days present, then the weekend; ``d5={...}`` replaces day 5."""
    days = [day(n) for n in range(2, 7)] + [day(7, "day_off"), day(8, "day_off")]
    return [changes.get(f"d{int(d['day'][-2:])}", d) for d in days]


def employee(nip: str, name: str, unit_id: str, **extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "nip": nip,
        "name": name,
        "unit_id": unit_id,
        "position": "Analis Kepegawaian",
        "tpp_amount": 4_000_000,
        "working_days": 5,
        "days_present": 5,
        "late_counts": {f"TL{n}": 0 for n in range(1, 5)},
        "early_counts": {f"PSW{n}": 0 for n in range(1, 5)},
        "absent_days": 0,
        "leave_days": {kind.value: 0 for kind in LeaveType},
        "pending_days": 0,
        "cltn_days": 0,
        "day_percent_sum": "0",
        "attendance_percent": "0",
        "cap_applied": False,
        "no_presence": False,
        "penalties": [],
        "penalty_percent": "0",
        "total_percent": "0",
        "deduction": 0,
        "paid": 4_000_000,
        "days": week(),
    }
    doc.update(extra)
    return doc


def late_b(pct: str = "2.50") -> dict[str, Any]:
    """B: 95 minutes late on the 3rd (TL4), a 10 % penalty; pct spells 2.5 % either way."""
    return employee(
        NIP_B,
        "Siti Rahmawati, S.E.",
        "u-fin",
        late_counts={"TL1": 0, "TL2": 0, "TL3": 0, "TL4": 1},
        day_percent_sum=pct,
        attendance_percent=pct,
        penalties=[{"penalty_id": "p1", "percent": "10", "decree_number": "800/12/BKPSDM"}],
        penalty_percent="10.0",
        total_percent="12.5",
        deduction=500_000,
        paid=3_500_000,
        days=week(d3=day(3, late_band="TL4", minutes_late=95, percent=pct)),
    )


def report(*employees: dict[str, Any], **extra: Any) -> ReportData:
    """Units sorted by code: FIN (id u-fin) before HUK (u-huk), as the computation sorts."""
    docs = list(employees)
    units = []
    for unit_id, code, name in (
        ("u-fin", "FIN", "Badan Keuangan Daerah"),
        ("u-huk", "HUK", "Bagian Hukum"),
    ):
        mine = [e for e in docs if e["unit_id"] == unit_id]
        units.append(
            {
                "unit_id": unit_id,
                "code": code,
                "name": name,
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
            "units": units,
            "employees": docs,
            "tpp_total": sum(e["tpp_amount"] for e in docs),
            "deduction_total": sum(e["deduction"] for e in docs),
            "paid_total": sum(e["paid"] for e in docs),
            **extra,
        }
    )


def standard(pct: str = "2.50") -> ReportData:
    """FIN: A then B (by NIP); HUK: C."""
    return report(
        employee(NIP_A, "Andi Baso", "u-fin"),
        late_b(pct),
        employee(NIP_C, "Muh. Yusuf", "u-huk", position=None),
    )


def tree(*units: tuple[str, str, str, str | None]) -> list[Unit]:
    """The organisation the run read: (unit id, code, name, parent id), the root named LUTIM."""
    made = [("root", "LUTIM", "Pemerintah Kabupaten Luwu Timur", None), *units]
    return [
        Unit(
            unit_id=unit_id,
            code=code,
            name=name,
            kind=UnitKind.regency if parent is None else UnitKind.agency,
            parent_id=parent,
            created_at=COMPUTED,
            updated_at=COMPUTED,
        )
        for unit_id, code, name, parent in made
    ]


# FIN and HUK both agencies: the workbook has a sheet for each, as before ADR 0026.
TREE = tree(
    ("u-fin", "FIN", "Badan Keuangan Daerah", "root"), ("u-huk", "HUK", "Bagian Hukum", "root")
)


def csv_rows(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body[3:].decode("utf-8"), newline="")))


def floats_in(value: Any) -> bool:
    if isinstance(value, dict):
        return any(floats_in(v) for v in value.values())
    if isinstance(value, list):
        return any(floats_in(v) for v in value)
    return isinstance(value, float)


# ---------------------------------------------------------------- JSON
def test_equal_data_built_twice_gives_the_same_json_and_csv_bytes() -> None:
    # "2.5" and "2.50", "10.0" and "10": the same numbers, the same bytes.
    one, two = standard("2.5"), standard("2.50")
    assert (
        one.employees[1].day_percent_sum.as_tuple() != two.employees[1].day_percent_sum.as_tuple()
    )
    assert report_json(one) == report_json(two)
    assert report_csv(one) == report_csv(two)
    assert report_csv(one, "u-fin") == report_csv(two, "u-fin")


def test_json_is_canonical_and_holds_only_integers_and_two_decimal_strings() -> None:
    body = report_json(standard())
    doc = read_report_json(body)
    assert body.endswith(b"}\n") and body.count(b"\n") == 1
    assert (
        body
        == (
            json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"
        ).encode()
    )
    assert not floats_in(doc)
    assert doc["rule_set"] == {
        "effective_from": "2021-01-01",
        "name": "Aturan bawaan",
        "version": 1,
    }
    assert (doc["month"], doc["scope"], doc["paid_total"]) == ("2026-11", "all", 11_500_000)
    b = doc["employees"][1]
    assert b["nip"] == NIP_B and "days" not in b
    assert re.fullmatch(r"[0-9a-f]{64}", b["days_digest"])
    assert (b["day_percent_sum"], b["penalty_percent"], b["total_percent"]) == (
        "2.50",
        "10.00",
        "12.50",
    )
    assert b["penalties"] == [
        {"decree_number": "800/12/BKPSDM", "penalty_id": "p1", "percent": "10.00"}
    ]
    assert (b["tpp_amount"], b["deduction"], b["paid"]) == (4_000_000, 500_000, 3_500_000)
    assert b["late_counts"] == {"TL1": 0, "TL2": 0, "TL3": 0, "TL4": 1}
    assert b["leave_days"]["cuti_sakit"] == 0
    # Nothing about the run: no time of computation, no report version.
    assert not {"computed_at", "version", "run_id"} & set(doc)


def test_json_keeps_the_datas_order_and_non_ascii_names() -> None:
    data = standard()
    doc = read_report_json(report_json(data))
    assert [e["nip"] for e in doc["employees"]] == [NIP_A, NIP_B, NIP_C]
    assert [u["code"] for u in doc["units"]] == ["FIN", "HUK"]
    renamed = report(employee(NIP_A, "Nurul 'Aini Ṣāliḥ", "u-fin"))
    assert "Nurul 'Aini Ṣāliḥ".encode() in report_json(renamed)


def test_a_changed_day_changes_the_digest_and_the_json() -> None:
    base = standard()
    sick = standard()
    sick.employees[0].days[3] = (
        sick.employees[0]
        .days[3]
        .model_copy(update={"status": DayStatus.leave, "leave_type": LeaveType.cuti_sakit})
    )
    assert days_digest(base.employees[0]) != days_digest(sick.employees[0])
    assert report_json(base) != report_json(sick)
    # Only the days changed: the CSV (summaries) stays, the JSON does not.
    assert report_csv(base) == report_csv(sick)
    assert days_digest(base.employees[0]) == days_digest(standard().employees[0])


def test_digest_is_the_sha256_of_the_canonical_days_and_ignores_the_zone_spelling() -> None:
    in_wita = datetime(2026, 11, 3, 7, 31, tzinfo=WITA)
    one = EmployeeMonth.model_validate(
        employee(NIP_A, "A", "u-fin", days=[day(3, first_in=in_wita.isoformat())])
    )
    two = EmployeeMonth.model_validate(
        employee(NIP_A, "A", "u-fin", days=[day(3, first_in=in_wita.astimezone(UTC).isoformat())])
    )
    assert days_digest(one) == days_digest(two)
    canonical_days = [canonical(d.model_dump()) for d in one.days]
    expected = (
        json.dumps(canonical_days, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"
    )
    assert days_digest(one) == hashlib.sha256(expected.encode()).hexdigest()
    assert canonical_days[0]["first_in"] == "2026-11-02T23:31:00+00:00"
    assert canonical_days[0]["percent"] == "0.00"


def test_floats_and_hidden_rounding_are_refused() -> None:
    with pytest.raises(TypeError, match="float"):
        canonical({"x": 1.5})
    with pytest.raises(ValueError, match="two decimals"):
        percent_text(Decimal("2.505"))
    assert percent_text(Decimal("-0")) == "0.00"
    assert percent_text(Decimal("40")) == "40.00"


# ---------------------------------------------------------------- CSV
def test_csv_has_a_bom_crlf_and_the_bahasa_headers() -> None:
    body = report_csv(standard())
    assert body.startswith(b"\xef\xbb\xbfNIP,Nama,Jabatan,Kode unit,")
    assert body.count(b"\r\n") == 4 and b"\n" not in body.replace(b"\r\n", b"")
    rows = csv_rows(body)
    assert rows[0] == HEADERS


def test_csv_rows_follow_the_data_with_plain_integers_and_two_decimal_percentages() -> None:
    rows = csv_rows(report_csv(standard("2.5")))
    assert [r[0] for r in rows[1:]] == [NIP_A, NIP_B, NIP_C]
    b = dict(zip(rows[0], rows[2], strict=True))
    assert (b["Kode unit"], b["Unit kerja"], b["Jabatan"]) == (
        "FIN",
        "Badan Keuangan Daerah",
        "Analis Kepegawaian",
    )
    assert (b["TL4"], b["TL1"], b["PSW4"], b["TK"], b["Cuti sakit"]) == ("1", "0", "0", "0", "0")
    assert (b["Jumlah % harian"], b["Potongan presensi (%)"]) == ("2.50", "2.50")
    assert (b["Hukuman disiplin (%)"], b["Total potongan (%)"]) == ("10.00", "12.50")
    assert (b["Batas potongan diterapkan"], b["Tanpa kehadiran"]) == ("Tidak", "Tidak")
    assert (b["TPP (Rp)"], b["Potongan (Rp)"], b["Dibayar (Rp)"]) == (
        "4000000",
        "500000",
        "3500000",
    )
    c = dict(zip(rows[0], rows[3], strict=True))
    assert (c["Kode unit"], c["Unit kerja"], c["Jabatan"]) == ("HUK", "Bagian Hukum", "")


def test_csv_flags_and_leave_columns() -> None:
    capped = employee(
        NIP_A,
        "Andi",
        "u-fin",
        absent_days=14,
        leave_days={kind.value: (2 if kind is LeaveType.dinas_luar else 0) for kind in LeaveType},
        day_percent_sum="42",
        attendance_percent="40",
        cap_applied=True,
        no_presence=True,
        total_percent="40",
    )
    rows = csv_rows(report_csv(report(capped)))
    a = dict(zip(rows[0], rows[1], strict=True))
    assert (a["TK"], a["Dinas luar"], a["Izin"]) == ("14", "2", "0")
    assert (a["Batas potongan diterapkan"], a["Tanpa kehadiran"]) == ("Ya", "Ya")
    assert (a["Jumlah % harian"], a["Potongan presensi (%)"]) == ("42.00", "40.00")


def test_unit_csv_holds_only_that_units_employees() -> None:
    data = standard()
    fin = csv_rows(report_csv(data, "u-fin"))
    huk = csv_rows(report_csv(data, "u-huk"))
    assert fin[0] == huk[0] == HEADERS
    assert [r[0] for r in fin[1:]] == [NIP_A, NIP_B]
    assert [r[0] for r in huk[1:]] == [NIP_C]
    assert csv_rows(report_csv(data, "u-none")) == [HEADERS]


def test_unit_csvs_in_one_pass_equal_the_unit_csvs_one_by_one() -> None:
    data = report(employee(NIP_A, "A", "u-fin"), late_b())  # HUK has nobody
    by_unit = unit_csvs(data)
    assert list(by_unit) == ["u-fin", "u-huk"]
    assert by_unit == {unit: report_csv(data, unit) for unit in ("u-fin", "u-huk")}
    assert csv_rows(by_unit["u-huk"]) == [HEADERS]


def test_csv_columns_follow_the_bands_named_by_the_counts() -> None:
    # Two bands only (another rule set); a missing key counts zero days.
    short = employee(
        NIP_A, "A", "u-fin", late_counts={"TL1": 1, "TL2": 0}, early_counts={"PSW2": 3}
    )
    rows = csv_rows(report_csv(report(short)))
    assert rows[0][7:12] == ["TL1", "TL2", "PSW1", "PSW2", "TK"]
    assert rows[1][7:12] == ["1", "0", "0", "3", "0"]


# ---------------------------------------------------------------- XLSX
def meta(**extra: Any) -> WorkbookMeta:
    values: dict[str, Any] = {
        "computed_at": COMPUTED,
        "version": 2,
        "signer_title": "Plt. Kepala BKPSDM",
        "signer_name": "Drs. H. Andi Makkasau, M.Si.",
        "signer_nip": SIGNER_NIP,
    }
    return WorkbookMeta(**(values | extra))


class Book:
    """The parts of an XLSX a test reads: sheet names, each sheet's strings, styles."""

    def __init__(self, body: bytes) -> None:
        self.zip = zipfile.ZipFile(io.BytesIO(body))
        shared = self.read("xl/sharedStrings.xml")
        self.strings = [html.unescape(s) for s in re.findall(r"<t[^>]*>(.*?)</t>", shared, re.S)]

    def read(self, name: str) -> str:
        return self.zip.read(name).decode("utf-8")

    def sheet_names(self) -> list[str]:
        return [
            html.unescape(n)
            for n in re.findall(r'<sheet name="([^"]*)"', self.read("xl/workbook.xml"))
        ]

    def sheet(self, number: int) -> str:
        return self.read(f"xl/worksheets/sheet{number}.xml")

    def texts(self, number: int) -> list[str]:
        """The sheet's strings, in cell order."""
        refs = re.findall(r'<c r="[A-Z]+[0-9]+"[^>]*t="s"[^>]*><v>([0-9]+)</v>', self.sheet(number))
        return [self.strings[int(ref)] for ref in refs]


def test_xlsx_is_the_same_bytes_for_the_same_data_and_meta() -> None:
    one = report_xlsx(standard("2.5"), meta(), TREE)
    assert one == report_xlsx(standard("2.50"), meta(), TREE)
    assert one != report_xlsx(standard(), meta(computed_at=COMPUTED + timedelta(minutes=1)), TREE)
    assert unit_xlsx(standard(), "u-fin", meta()) == unit_xlsx(standard(), "u-fin", meta())
    core = Book(one).read("docProps/core.xml")
    assert (
        '<dcterms:created xsi:type="dcterms:W3CDTF">2026-11-30T17:00:00Z</dcterms:created>' in core
    )


def test_xlsx_has_a_summary_then_one_sheet_per_agency_with_header_table_and_signature() -> None:
    book = Book(report_xlsx(standard(), meta(), TREE))
    assert book.sheet_names() == ["Ringkasan", "FIN", "HUK"]
    fin = book.texts(2)
    assert fin[:6] == [
        "Rekapitulasi Potongan TPP Bulan November 2026",
        "Kabupaten Luwu Timur",
        "Perangkat daerah: Badan Keuangan Daerah (FIN)",
        "Aturan: Aturan bawaan, versi 1, berlaku mulai 1 Januari 2021",
        "Dihitung pada 01-12-2026 01:00 WITA",
        "Versi laporan: 2",
    ]
    assert fin[6 : 6 + len(HEADERS)] == HEADERS
    assert NIP_A in fin and NIP_B in fin and NIP_C not in fin
    assert fin[-4:] == [
        "Malili, 1 Desember 2026",
        "Plt. Kepala BKPSDM",
        "Drs. H. Andi Makkasau, M.Si.",
        f"NIP {SIGNER_NIP}",
    ]
    assert fin[6 + len(HEADERS) : 8 + len(HEADERS)] == ["FIN", "Badan Keuangan Daerah"]
    assert "Jumlah Badan Keuangan Daerah (2 pegawai)" in fin
    sheet = book.sheet(2)
    assert '<pane xSplit="2" ySplit="8"' in sheet  # header and names stay in view
    # Totals: a SUBTOTAL over the rows under the agency's header, its value cached (8,000,000
    # TPP; 7,500,000 paid).
    assert "<f>SUBTOTAL(9,AG10:AG11)</f><v>8000000</v>" in sheet
    assert "<f>SUBTOTAL(9,AI10:AI11)</f><v>7500000</v>" in sheet
    # B's row: numbers, not text (TL4 1, 2.5 %, the money).
    assert '<c r="K11" s="' in sheet and re.search(r'<c r="K11" s="[0-9]+"><v>1</v>', sheet)
    assert re.search(r'<c r="AA11" s="[0-9]+"><v>2.5</v>', sheet)
    assert re.search(r'<c r="AI11" s="[0-9]+"><v>3500000</v>', sheet)
    styles = book.read("xl/styles.xml")
    assert 'formatCode="#,##0"' in styles and 'formatCode="0.00"' in styles


def test_summary_sheet_lists_agencies_and_the_grand_total() -> None:
    book = Book(report_xlsx(standard(), meta(), TREE))
    summary = book.texts(1)
    assert summary[2] == "Seluruh perangkat daerah"
    assert summary[6:12] == [
        "Kode OPD",
        "Perangkat daerah",
        "Jumlah pegawai",
        "TPP (Rp)",
        "Potongan (Rp)",
        "Dibayar (Rp)",
    ]
    assert summary[12:16] == ["FIN", "Badan Keuangan Daerah", "HUK", "Bagian Hukum"]
    assert "Malili, 1 Desember 2026" in summary and f"NIP {SIGNER_NIP}" in summary
    sheet = book.sheet(1)
    assert "<f>SUM(C9:C10)</f><v>3</v>" in sheet
    assert "<f>SUM(D9:D10)</f><v>12000000</v>" in sheet
    assert "<f>SUM(E9:E10)</f><v>500000</v>" in sheet
    assert "<f>SUM(F9:F10)</f><v>11500000</v>" in sheet


def test_unit_workbook_has_only_that_units_sheet() -> None:
    book = Book(unit_xlsx(standard(), "u-huk", meta()))
    assert book.sheet_names() == ["HUK"]
    texts = book.texts(1)
    assert texts[2] == "Unit kerja: Bagian Hukum (HUK)"
    assert NIP_C in texts and NIP_A not in texts
    with pytest.raises(KeyError):
        unit_xlsx(standard(), "u-none", meta())


def test_signature_without_a_name_leaves_a_line_to_write_it() -> None:
    book = Book(unit_xlsx(standard(), "u-huk", meta(signer_name=None, signer_nip=None)))
    assert book.texts(1)[-4:] == ["Malili, 1 Desember 2026", "Plt. Kepala BKPSDM", "_" * 30, "NIP"]


def test_computed_at_must_be_aware() -> None:
    with pytest.raises(ValueError, match="aware"):
        WorkbookMeta(computed_at=datetime(2026, 12, 1, 1, 0), version=1)


def test_sheet_names_follow_excels_rules() -> None:
    names = sheet_names(
        [
            "DIKBUD/SD:[1]*?\\",
            "A" * 40,
            "A" * 40,
            "ab",
            "AB",
            "ringkasan",
            "'quoted'",
            "   ",
            "History",
        ]
    )
    assert names == [
        "DIKBUD_SD__1____",
        "A" * 31,
        "A" * 29 + "~2",
        "ab",
        "AB~2",
        "ringkasan~2",
        "quoted",
        "Unit",
        "History~2",
    ]
    assert all(len(n) <= 31 and not re.search(r"[\[\]:*?/\\]", n) for n in names)


def test_odd_unit_codes_still_make_a_valid_workbook() -> None:
    data = standard()
    data.units[0].code = "KEU/ANG:" + "x" * 40
    data.units[1].code = "keu_ang_" + "X" * 40
    units = tree(
        ("u-fin", data.units[0].code, "Badan Keuangan Daerah", "root"),
        ("u-huk", data.units[1].code, "Bagian Hukum", "root"),
    )
    book = Book(report_xlsx(data, meta(), units))
    assert book.sheet_names() == ["Ringkasan", "KEU_ANG_" + "x" * 23, "keu_ang_" + "X" * 21 + "~2"]


def test_stray_employees_are_refused_rather_than_left_out() -> None:
    data = standard()
    data.employees[2].unit_id = "u-gone"
    with pytest.raises(ValueError, match="u-gone"):
        report_xlsx(data, meta(), TREE)


def test_importing_the_writers_does_not_import_xlsxwriter() -> None:
    code = (
        "import sys, eoffice.tpp.workbook, eoffice.tpp.render, eoffice.tpp.change_rules\n"
        "print('xlsxwriter' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
