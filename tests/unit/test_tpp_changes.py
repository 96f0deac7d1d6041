"""What changed between two versions of a month's report (issue 7, point 4: a rerun after late
data makes version N+1 "with a list of what changed per employee"). Pure: no AWS.

The previous version is read back from its JSON, as the report run will; its days come from a
callable standing for the stored explanation.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

from eoffice.attendance.models import DayStatus, LeaveType
from eoffice.tpp.change_models import ChangeSet, DayChange, EmployeeChange
from eoffice.tpp.change_rules import changes_csv, changes_json, day_code, diff
from eoffice.tpp.models import DayCharge, ReportData
from eoffice.tpp.render import read_report_json, report_json
from test_tpp_render import NIP_A, NIP_B, NIP_C, day, employee, late_b, report, week

NIP_D = "199504042020121004"  # joins in the new version
NOV_5 = date(2026, 11, 5)


class Days:
    """The stored explanation of the previous version, counting who was asked for."""

    def __init__(self, data: ReportData | None) -> None:
        self.by_nip = {e.nip: e.days for e in data.employees} if data else {}
        self.asked: list[str] = []

    def __call__(self, nip: str) -> list[DayCharge] | None:
        self.asked.append(nip)
        return self.by_nip.get(nip)


def a_tk_on_the_5th() -> dict[str, Any]:
    return employee(
        NIP_A,
        "Andi Baso",
        "u-fin",
        days_present=4,
        absent_days=1,
        day_percent_sum="3",
        attendance_percent="3",
        total_percent="3",
        deduction=120_000,
        paid=3_880_000,
        days=week(d5=day(5, "absent", percent="3")),
    )


def a_sick_on_the_5th() -> dict[str, Any]:
    """The leave approved late: the 5th becomes cuti sakit, which costs nothing."""
    return employee(
        NIP_A,
        "Andi Baso",
        "u-fin",
        days_present=4,
        leave_days={k.value: int(k is LeaveType.cuti_sakit) for k in LeaveType},
        days=week(d5=day(5, "leave", leave_type="cuti_sakit")),
    )


def version_1() -> ReportData:
    return report(a_tk_on_the_5th(), late_b(), employee(NIP_C, "Muh. Yusuf", "u-huk"))


def version_2() -> ReportData:
    """A's TK became cuti sakit, B unchanged, C left, D joined."""
    return report(a_sick_on_the_5th(), late_b("2.5"), employee(NIP_D, "Dewi Lestari", "u-huk"))


def parsed(data: ReportData) -> dict[str, Any]:
    return read_report_json(report_json(data))


def csv_rows(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf")
    assert b"\n" not in body.replace(b"\r\n", b"")
    return list(csv.reader(io.StringIO(body[3:].decode("utf-8"), newline="")))


# ---------------------------------------------------------------- the diff
def test_added_removed_and_changed_employees_sorted_by_nip_unchanged_left_out() -> None:
    days = Days(version_1())
    changes = diff(parsed(version_1()), version_2(), days)
    assert [(c.nip, c.change) for c in changes.employees] == [
        (NIP_A, "changed"),
        (NIP_C, "removed"),
        (NIP_D, "added"),
    ]
    assert NIP_B not in [c.nip for c in changes.employees]  # "2.5" vs "2.50": the same
    assert (changes.month, changes.scope) == ("2026-11", "all")
    assert [c.name for c in changes.employees] == ["Andi Baso", "Muh. Yusuf", "Dewi Lestari"]
    # Only the employee whose days' digest moved had his previous days read.
    assert days.asked == [NIP_A]


def test_the_rendered_current_json_gives_the_same_changes() -> None:
    current = version_2()
    plain = diff(parsed(version_1()), current, Days(version_1()))
    days = Days(version_1())
    assert diff(parsed(version_1()), current, days, current_json=report_json(current)) == plain
    assert days.asked == [NIP_A]


def test_changed_fields_and_the_day_that_moved() -> None:
    changes = diff(parsed(version_1()), version_2(), Days(version_1()))
    a = changes.employees[0]
    assert a.fields == {
        "absent_days": (1, 0),
        "attendance_percent": ("3.00", "0.00"),
        "day_percent_sum": ("3.00", "0.00"),
        "deduction": (120_000, 0),
        "leave_days.cuti_sakit": (0, 1),
        "paid": (3_880_000, 4_000_000),
        "total_percent": ("3.00", "0.00"),
    }
    assert a.days == [DayChange(day=NOV_5, was="TK", now="cuti_sakit")]
    assert a.days_compared is True
    assert changes.report == {
        "deduction_total": (620_000, 500_000),
        "paid_total": (11_380_000, 11_500_000),
    }


def test_days_swapped_without_a_summary_change_are_still_listed() -> None:
    # The TK moves from the 5th to the 4th: the same counts and amounts, different days.
    moved = a_tk_on_the_5th() | {"days": week(d4=day(4, "absent", percent="3"))}
    changes = diff(
        parsed(report(a_tk_on_the_5th())), report(moved), Days(report(a_tk_on_the_5th()))
    )
    [a] = changes.employees
    assert a.fields == {}
    assert a.days == [
        DayChange(day=date(2026, 11, 4), was="hadir", now="TK"),
        DayChange(day=NOV_5, was="TK", now="hadir"),
    ]
    assert changes.report == {}


def test_a_day_changed_within_its_band_is_not_a_change() -> None:
    # 40 then 45 minutes late: TL2 both times, the same pay; only the explanation moved.
    def late(minutes: int) -> ReportData:
        tl2 = day(3, late_band="TL2", minutes_late=minutes, percent="1")
        return report(
            employee(
                NIP_A,
                "A",
                "u-fin",
                late_counts={"TL1": 0, "TL2": 1, "TL3": 0, "TL4": 0},
                day_percent_sum="1",
                attendance_percent="1",
                total_percent="1",
                deduction=40_000,
                paid=3_960_000,
                days=week(d3=tl2),
            )
        )

    assert report_json(late(40)) != report_json(late(45))
    assert diff(parsed(late(40)), late(45), Days(late(40))).employees == []


def test_previous_days_not_at_hand_still_flags_the_employee() -> None:
    changes = diff(parsed(version_1()), version_2(), Days(None))
    a = changes.employees[0]
    assert (a.change, a.days, a.days_compared) == ("changed", [], False)
    assert a.fields["paid"] == (3_880_000, 4_000_000)


def test_unit_and_rule_set_changes() -> None:
    moved = report(employee(NIP_A, "A", "u-huk"))
    newer = report(
        employee(NIP_A, "A", "u-fin"),
        rule_set={"name": "Aturan bawaan", "version": 2, "effective_from": "2026-11-01"},
    )
    changes = diff(parsed(moved), newer, Days(moved))
    assert changes.employees[0].fields == {"unit_id": ("u-huk", "u-fin")}
    assert changes.report == {
        "rule_set.effective_from": ("2021-01-01", "2026-11-01"),
        "rule_set.version": (1, 2),
    }
    rows = csv_rows(changes_csv(changes))
    assert rows[1] == [
        "",
        "Seluruh laporan",
        "berubah",
        "Aturan berlaku mulai: 2021-01-01 → 2026-11-01; Versi aturan: 1 → 2",
    ]
    assert rows[2] == [NIP_A, "A", "berubah", "Unit kerja (id): u-huk → u-fin"]


def test_identical_versions_change_nothing() -> None:
    changes = diff(parsed(version_1()), version_1(), Days(version_1()))
    assert changes == ChangeSet(month="2026-11", scope="all", employees=[])


# ---------------------------------------------------------------- day codes
def charge(**extra: Any) -> DayCharge:
    return DayCharge.model_validate(day(3) | extra)


def test_day_codes() -> None:
    assert day_code(charge()) == "hadir"
    assert day_code(charge(late_band="TL2")) == "TL2"
    assert day_code(charge(early_band="PSW2")) == "PSW2"
    assert day_code(charge(late_band="TL1", early_band="PSW3")) == "TL1+PSW3"
    assert day_code(charge(status="absent")) == "TK"
    assert day_code(charge(status="absent", pending_checkins=1)) == "TK menunggu"
    assert day_code(charge(status="leave", leave_type="dinas_luar")) == "dinas_luar"
    assert day_code(DayCharge.model_validate(day(7, "day_off"))) == "libur"
    assert day_code(charge(status=DayStatus.pending_review, pending_checkins=2)) == "menunggu"


# ---------------------------------------------------------------- files
def test_changes_json_is_canonical() -> None:
    one = changes_json(diff(parsed(version_1()), version_2(), Days(version_1())))
    two = changes_json(diff(parsed(version_1()), version_2(), Days(version_1())))
    assert one == two
    doc = json.loads(one)
    assert (
        one
        == (
            json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"
        ).encode()
    )
    a = doc["employees"][0]
    assert a["fields"]["paid"] == [3_880_000, 4_000_000]
    assert a["fields"]["total_percent"] == ["3.00", "0.00"]
    assert a["days"] == [{"day": "2026-11-05", "now": "cuti_sakit", "was": "TK"}]
    assert doc["employees"][2] == {
        "change": "added",
        "days": [],
        "days_compared": False,
        "fields": {},
        "name": "Dewi Lestari",
        "nip": NIP_D,
    }


def test_changes_csv_for_hr() -> None:
    rows = csv_rows(changes_csv(diff(parsed(version_1()), version_2(), Days(version_1()))))
    assert rows[0] == ["NIP", "Nama", "Perubahan", "Rincian"]
    assert rows[1][:3] == ["", "Seluruh laporan", "berubah"]
    assert "Jumlah dibayar (Rp): 11380000 → 11500000" in rows[1][3]
    assert rows[2][:3] == [NIP_A, "Andi Baso", "berubah"]
    details = rows[2][3].split("; ")
    assert "TK: 1 → 0" in details
    assert "Cuti sakit: 0 → 1" in details
    assert "Total potongan (%): 3.00 → 0.00" in details
    assert "Dibayar (Rp): 3880000 → 4000000" in details
    assert details[-1] == "2026-11-05: TK → cuti_sakit"
    assert rows[3] == [NIP_C, "Muh. Yusuf", "dihapus", "tidak ada lagi dalam laporan"]
    assert rows[4] == [NIP_D, "Dewi Lestari", "baru", "pegawai baru dalam laporan"]


def test_changes_csv_says_when_the_days_could_not_be_compared() -> None:
    rows = csv_rows(changes_csv(diff(parsed(version_1()), version_2(), Days(None))))
    assert rows[2][3].endswith("rincian harian berubah (versi sebelumnya tidak tersedia)")


def test_penalties_read_as_decree_and_percent() -> None:
    no_penalty = late_b() | {
        "penalties": [],
        "penalty_percent": "0",
        "total_percent": "2.5",
        "deduction": 100_000,
        "paid": 3_900_000,
    }
    before, after = report(no_penalty), report(late_b())
    changes = diff(parsed(before), after, Days(before))
    assert changes.employees[0].fields["penalties"] == (
        [],
        [{"decree_number": "800/12/BKPSDM", "penalty_id": "p1", "percent": "10.00"}],
    )
    rincian = csv_rows(changes_csv(changes))[2][3]
    assert "Hukuman disiplin: - → 800/12/BKPSDM (10.00 %)" in rincian
    assert isinstance(changes.employees[0], EmployeeChange)
