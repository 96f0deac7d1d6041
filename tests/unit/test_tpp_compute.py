"""The TPP computation (docs/research/tpp.md section 3): every worked case of the memo's table,
then each rule on its own. Pure: no AWS.

The month is November 2026: 21 weekdays (the memo's "21 working days"), weekends off. Days are
made by ``day_rules.evaluate_day`` from check-ins at real WITA wall-clock times, so "late 31"
really is a check-in at 08:01 against a 07:30 start; every other day is perfect (07:30-16:00).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from eoffice.attendance.day_rules import evaluate_day, month_bounds, month_days
from eoffice.attendance.models import (
    AttendanceDay,
    CheckIn,
    CheckInSource,
    CheckKind,
    CheckState,
    Correction,
    DayHours,
    DayStatus,
    LeaveType,
)
from eoffice.tpp import render
from eoffice.tpp.defaults import default_rule_set
from eoffice.tpp.models import (
    EmployeeInfo,
    EmployeeMonth,
    Penalty,
    ReportData,
    RuleSetRef,
    UnitTotals,
)
from eoffice.tpp.pay_rules import LEAVE_WORDS, NOT_EMPLOYED_WORDS, day_charge, employee_month
from eoffice.tpp.rule_set_models import RuleSetCreate

D = Decimal
WITA = timezone(timedelta(hours=8))
NIP = "199402112019031011"
OTHER_NIP = "198801012010011001"
MONTH = "2026-11"
DAYS = month_days(*month_bounds(MONTH))
WORKING = [day for day in DAYS if day.weekday() < 5]
HOURS = DayHours(start="07:30", end="16:00")
AFTER = datetime(2027, 1, 1, 12, tzinfo=WITA)  # every day of the month is over
RULES = default_rule_set()
TPP = 4_000_000

Maker = Callable[[date], AttendanceDay]


# ---------------------------------------------------------------- building days
def at(day: date, hhmm: str) -> datetime:
    hour, minute = (int(part) for part in hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=WITA)


def clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def checkin(kind: str, day: date, hhmm: str, state: CheckState = CheckState.accepted) -> CheckIn:
    """Only the four fields evaluate_day reads (unvalidated: the rest would be noise here)."""
    fields: dict[str, Any] = {
        "nip": NIP,
        "kind": CheckKind(kind),
        "state": state,
        "effective_at": at(day, hhmm),
    }
    return CheckIn.model_construct(**fields)


def evaluate(
    day: date,
    checkins: Sequence[CheckIn] = (),
    *,
    hours: DayHours | None = HOURS,
    day_off_name: str | None = None,
    leave: LeaveType | None = None,
    correction: Correction | None = None,
    now: datetime = AFTER,
    employed_from: date | None = None,
    employed_until: date | None = None,
) -> AttendanceDay:
    return evaluate_day(
        day,
        NIP,
        hours=hours,
        day_off_name=day_off_name,
        checkins=checkins,
        leave=(leave, "leave-1") if leave else None,
        correction=correction,
        now=now,
        employed_from=employed_from,
        employed_until=employed_until,
    )


def times(check_in: str | None = "07:30", check_out: str | None = "16:00") -> Maker:
    def make(day: date) -> AttendanceDay:
        ins = [checkin("in", day, check_in)] if check_in else []
        outs = [checkin("out", day, check_out)] if check_out else []
        return evaluate(day, [*ins, *outs])

    return make


def late(minutes: int) -> Maker:
    return times(check_in=clock(7 * 60 + 30 + minutes))


def early(minutes: int) -> Maker:
    return times(check_out=clock(16 * 60 - minutes))


def tk() -> Maker:
    return lambda day: evaluate(day)


def on_leave(kind: LeaveType) -> Maker:
    return lambda day: evaluate(day, leave=kind)


def month(*specials: Maker) -> list[AttendanceDay]:
    """The month: the first working days as given, the other working days perfect, weekends
    off (with a stray check-in on the first Saturday, which must change nothing)."""
    assert len(specials) <= len(WORKING)
    made = {day: make(day) for day, make in zip(WORKING, specials, strict=False)}
    perfect = times()
    result = []
    for day in DAYS:
        if day.weekday() >= 5:
            result.append(evaluate(day, [checkin("in", day, "08:00")], hours=None))
        else:
            result.append(made.get(day) or perfect(day))
    return result


def employee(tpp: int = TPP) -> EmployeeInfo:
    return EmployeeInfo(
        nip=NIP, name="Andi Baso", unit_id="u-kominfo", position="Analis", tpp_amount=tpp
    )


def next_month(month_: str, count: int) -> str:
    index = int(month_[:4]) * 12 + int(month_[5:]) - 1 + count
    return f"{index // 12}-{index % 12 + 1:02d}"


def penalty(
    percent: str,
    *,
    penalty_id: str = "pen-1",
    from_month: str = MONTH,
    months: int = 1,
    nip: str = NIP,
) -> Penalty:
    return Penalty(
        penalty_id=penalty_id,
        nip=nip,
        percent=D(percent),
        from_month=from_month,
        months=months,
        until_month=next_month(from_month, months - 1),
        reason="Hukuman disiplin sedang",
        decree_number=f"800/{penalty_id}/BKPSDM",
        created_by="197001012000011001",
        created_at=datetime(2026, 10, 1, tzinfo=WITA),
    )


def compute(
    days: Sequence[AttendanceDay],
    *,
    tpp: int = TPP,
    rules: RuleSetCreate = RULES,
    penalties: Sequence[Penalty] = (),
) -> EmployeeMonth:
    result = employee_month(employee(tpp), days, rules, penalties, MONTH)
    assert result.paid + result.deduction == tpp  # the columns add up, always
    return result


def rules_with(**changes: Any) -> RuleSetCreate:
    return RuleSetCreate.model_validate({**RULES.model_dump(), **changes})


def summary(result: EmployeeMonth) -> tuple[Decimal, Decimal, bool, Decimal, int, int]:
    return (
        result.day_percent_sum,
        result.attendance_percent,
        result.cap_applied,
        result.total_percent,
        result.paid,
        result.deduction,
    )


# ---------------------------------------------------------------- the memo's table
C = LeaveType
WORKED_CASES = [
    # id, special days, TPP, penalties, (Σ day %, attendance %, cap, total %, paid, deduction)
    ("perfect month", [], TPP, [], ("0", "0", False, "0", 4_000_000, 0)),
    ("late 1 -> TL1", [late(1)], TPP, [], ("0.5", "0.5", False, "0.5", 3_980_000, 20_000)),
    ("late 30 -> TL1", [late(30)], TPP, [], ("0.5", "0.5", False, "0.5", 3_980_000, 20_000)),
    ("late 31 -> TL2", [late(31)], TPP, [], ("1", "1", False, "1", 3_960_000, 40_000)),
    ("late 60 -> TL2", [late(60)], TPP, [], ("1", "1", False, "1", 3_960_000, 40_000)),
    ("late 61 -> TL3", [late(61)], TPP, [], ("1.25", "1.25", False, "1.25", 3_950_000, 50_000)),
    ("late 90 -> TL3", [late(90)], TPP, [], ("1.25", "1.25", False, "1.25", 3_950_000, 50_000)),
    ("late 91 -> TL4", [late(91)], TPP, [], ("2.5", "2.5", False, "2.5", 3_900_000, 100_000)),
    ("early 30 -> PSW1", [early(30)], TPP, [], ("0.5", "0.5", False, "0.5", 3_980_000, 20_000)),
    ("early 31 -> PSW2", [early(31)], TPP, [], ("1", "1", False, "1", 3_960_000, 40_000)),
    ("early 60 -> PSW2", [early(60)], TPP, [], ("1", "1", False, "1", 3_960_000, 40_000)),
    ("early 61 -> PSW3", [early(61)], TPP, [], ("1.25", "1.25", False, "1.25", 3_950_000, 50_000)),
    ("early 90 -> PSW3", [early(90)], TPP, [], ("1.25", "1.25", False, "1.25", 3_950_000, 50_000)),
    ("early 91 -> PSW4", [early(91)], TPP, [], ("2.5", "2.5", False, "2.5", 3_900_000, 100_000)),
    (
        "TL1 + PSW1 on one day",
        [times("07:45", "15:45")],
        TPP,
        [],
        ("1", "1", False, "1", 3_960_000, 40_000),
    ),
    (
        "no check-in, out on time -> TL4",
        [times(None, "16:00")],
        TPP,
        [],
        ("2.5", "2.5", False, "2.5", 3_900_000, 100_000),
    ),
    (
        "in on time, no check-out -> PSW4",
        [times("07:30", None)],
        TPP,
        [],
        ("2.5", "2.5", False, "2.5", 3_900_000, 100_000),
    ),
    (
        "late 95 and no check-out -> TL4 + PSW4",
        [times("09:05", None)],
        TPP,
        [],
        ("5", "5", False, "5", 3_800_000, 200_000),
    ),
    ("1 TK", [tk()], TPP, [], ("3", "3", False, "3", 3_880_000, 120_000)),
    ("1 izin", [on_leave(C.izin)], TPP, [], ("1", "1", False, "1", 3_960_000, 40_000)),
    (
        "dinas luar, cuti tahunan, cuti sakit, cuti melahirkan",
        [
            on_leave(C.dinas_luar),
            on_leave(C.cuti_tahunan),
            on_leave(C.cuti_sakit),
            on_leave(C.cuti_melahirkan),
        ],
        TPP,
        [],
        ("0", "0", False, "0", 4_000_000, 0),
    ),
    (
        "cuti besar + cuti alasan penting",
        [on_leave(C.cuti_besar), on_leave(C.cuti_alasan_penting)],
        TPP,
        [],
        ("0", "0", False, "0", 4_000_000, 0),
    ),
    (
        "13 TK + 1 TL1",
        [*[tk()] * 13, late(5)],
        TPP,
        [],
        ("39.5", "39.5", False, "39.5", 2_420_000, 1_580_000),
    ),
    (
        "13 TK + 1 izin: exactly the cap, not applied",
        [*[tk()] * 13, on_leave(C.izin)],
        TPP,
        [],
        ("40", "40", False, "40", 2_400_000, 1_600_000),
    ),
    ("14 TK: the cap", [tk()] * 14, TPP, [], ("42", "40", True, "40", 2_400_000, 1_600_000)),
    (
        "20 TK + 1 cuti tahunan: covered, the cap",
        [*[tk()] * 20, on_leave(C.cuti_tahunan)],
        TPP,
        [],
        ("60", "40", True, "40", 2_400_000, 1_600_000),
    ),
    ("21 TK: no presence", [tk()] * 21, TPP, [], ("63", "100", False, "100", 0, 4_000_000)),
    (
        "21 izin: covered every day",
        [on_leave(C.izin)] * 21,
        TPP,
        [],
        ("21", "21", False, "21", 3_160_000, 840_000),
    ),
    (
        "1 TL1 + penalty 10 %",
        [late(10)],
        TPP,
        [penalty("10")],
        ("0.5", "0.5", False, "10.5", 3_580_000, 420_000),
    ),
    (
        "15 TK + penalty 10 %: after the cap",
        [tk()] * 15,
        TPP,
        [penalty("10")],
        ("45", "40", True, "50", 2_000_000, 2_000_000),
    ),
    (
        "21 TK + penalty 10 %",
        [tk()] * 21,
        TPP,
        [penalty("10")],
        ("63", "100", False, "100", 0, 4_000_000),
    ),
    (
        "14 TK + penalty 70 %: total capped at 100",
        [tk()] * 14,
        TPP,
        [penalty("70")],
        ("42", "40", True, "100", 0, 4_000_000),
    ),
    (
        "TPP 1,000,001, 1 TL1",
        [late(1)],
        1_000_001,
        [],
        ("0.5", "0.5", False, "0.5", 995_001, 5_000),
    ),
    (
        ".5 up: TPP 1,000,150, 1 TL2",
        [late(45)],
        1_000_150,
        [],
        ("1", "1", False, "1", 990_149, 10_001),
    ),
    (
        ".5 up: TPP 1,000,050, 1 TL2",
        [late(45)],
        1_000_050,
        [],
        ("1", "1", False, "1", 990_050, 10_000),
    ),
    (
        "round once: TPP 3,333,333, 3 x TL1",
        [late(1), late(15), late(30)],
        3_333_333,
        [],
        ("1.5", "1.5", False, "1.5", 3_283_333, 50_000),
    ),
    (
        "CLTN 10 of 21, pro rata",
        [on_leave(C.cltn)] * 10,
        TPP,
        [],
        ("0", "0", False, "0", 2_095_238, 1_904_762),
    ),
    (
        "CLTN 10 of 21 + 1 TK, pro rata",
        [*[on_leave(C.cltn)] * 10, tk()],
        TPP,
        [],
        ("3", "3", False, "3", 2_032_381, 1_967_619),
    ),
    (
        "CLTN the whole month",
        [on_leave(C.cltn)] * 21,
        TPP,
        [],
        ("0", "0", False, "0", 0, 4_000_000),
    ),
]


@pytest.mark.parametrize(
    ("specials", "tpp", "penalties", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in WORKED_CASES],
)
def test_worked_cases(
    specials: list[Maker],
    tpp: int,
    penalties: list[Penalty],
    expected: tuple[str, str, bool, str, int, int],
) -> None:
    day_sum, attendance, cap, total, paid, deduction = expected
    result = compute(month(*specials), tpp=tpp, penalties=penalties)
    assert summary(result) == (D(day_sum), D(attendance), cap, D(total), paid, deduction)
    assert result.working_days == 21


# ---------------------------------------------------------------- one day
@pytest.mark.parametrize(
    ("minutes", "band", "percent"),
    [
        (0, None, "0"),
        (1, "1", "0.5"),
        (30, "1", "0.5"),
        (31, "2", "1"),
        (60, "2", "1"),
        (61, "3", "1.25"),
        (90, "3", "1.25"),
        (91, "4", "2.5"),
        (300, "4", "2.5"),
    ],
)
def test_band_edges_from_wall_clock(minutes: int, band: str | None, percent: str) -> None:
    day = WORKING[0]
    arrival = day_charge(late(minutes)(day), RULES)
    leaving = day_charge(early(minutes)(day), RULES)
    assert arrival.first_in == at(day, clock(7 * 60 + 30 + minutes))
    assert (arrival.minutes_late, arrival.percent) == (minutes, D(percent))
    assert (leaving.minutes_early, leaving.percent) == (minutes, D(percent))
    assert arrival.late_band == (f"TL{band}" if band else None)
    assert leaving.early_band == (f"PSW{band}" if band else None)
    assert arrival.early_band is None and leaving.late_band is None


def test_a_day_in_words() -> None:
    day = WORKING[0]
    cases = {
        "Hadir tepat waktu": times(),
        "Terlambat 45 menit (TL2)": late(45),
        "Pulang 20 menit sebelum waktunya (PSW1)": early(20),
        "Tidak presensi masuk (TL4)": times(None, "16:00"),
        "Tidak presensi pulang (PSW4)": times("07:30", None),
        "Terlambat 95 menit (TL4); Tidak presensi pulang (PSW4)": times("09:05", None),
        "Tanpa keterangan (TK)": tk(),
    }
    for note, make in cases.items():
        assert day_charge(make(day), RULES).note == note


def test_a_present_day_in_full() -> None:
    day = WORKING[2]
    charge = day_charge(times("08:10", "15:50")(day), RULES)
    assert charge.model_dump() == {
        "day": day,
        "status": DayStatus.present,
        "working": True,
        "hours": "07:30-16:00",
        "first_in": at(day, "08:10"),
        "last_out": at(day, "15:50"),
        "minutes_late": 40,
        "minutes_early": 10,
        "late_band": "TL2",
        "early_band": "PSW1",
        "leave_type": None,
        "corrected": False,
        "pending_checkins": 0,
        "percent": D("1.50"),
        "note": "Terlambat 40 menit (TL2); Pulang 10 menit sebelum waktunya (PSW1)",
        "sources": [CheckInSource.native],  # the native app's check-ins (ADR 0024)
    }


def test_late_and_no_check_out_limited_by_max_day_percent() -> None:
    limited = rules_with(max_day_percent=D(3))
    day = times("09:05", None)(WORKING[0])
    charge = day_charge(day, limited)
    assert (charge.late_band, charge.early_band, charge.percent) == ("TL4", "PSW4", D(3))
    assert charge.note.endswith("; potongan sehari paling banyak 3 %")
    assert day_charge(day, RULES).percent == D(5)  # none by default
    result = compute(month(times("09:05", None)), rules=limited)
    assert summary(result) == (D(3), D(3), False, D(3), 3_880_000, 120_000)
    # under the limit it changes nothing
    assert day_charge(late(45)(WORKING[0]), limited).percent == D(1)


@pytest.mark.parametrize("kind", list(LeaveType))
def test_each_leave_type(kind: LeaveType) -> None:
    charge = day_charge(on_leave(kind)(WORKING[0]), RULES)
    assert charge.status is DayStatus.leave and charge.leave_type is kind
    assert charge.percent == (D(1) if kind is LeaveType.izin else D(0))
    assert charge.note == LEAVE_WORDS[kind]
    assert (charge.late_band, charge.early_band, charge.working) == (None, None, True)
    if kind is not LeaveType.cltn:
        result = compute(month(on_leave(kind)))
        assert result.leave_days == {t: int(t is kind) for t in LeaveType}
        expected = 3_960_000 if kind is LeaveType.izin else TPP
        assert (result.paid, result.days_present, result.cltn_days) == (expected, 20, 0)


def test_leave_words_name_every_type() -> None:
    assert set(LEAVE_WORDS) == set(LeaveType)
    assert LEAVE_WORDS[LeaveType.cltn] == "Cuti di luar tanggungan negara (CLTN)"
    assert LEAVE_WORDS[LeaveType.cuti_alasan_penting] == "Cuti karena alasan penting"


def test_leave_rates_come_from_the_rule_set() -> None:
    rates = {**RULES.leave_percent, LeaveType.cuti_sakit: D("1"), LeaveType.cuti_besar: D("0.5")}
    result = compute(
        month(on_leave(LeaveType.cuti_sakit), on_leave(LeaveType.cuti_besar)),
        rules=rules_with(leave_percent=rates),
    )
    assert (result.day_percent_sum, result.paid) == (D("1.5"), 3_940_000)


def test_check_ins_on_a_leave_day_change_nothing() -> None:
    day = WORKING[0]
    charge = day_charge(
        evaluate(day, [checkin("in", day, "10:00")], leave=LeaveType.dinas_luar), RULES
    )
    assert (charge.percent, charge.late_band, charge.note) == (D(0), None, "Dinas luar")


# ---------------------------------------------------------------- corrections
def correction(day: date, status: DayStatus, **fields: Any) -> Correction:
    return Correction(
        correction_id="cor-1",
        nip=NIP,
        day=day,
        status=status,
        reason="Rapat di kantor bupati",
        by="197001012000011001",
        at=AFTER,
        **fields,
    )


@pytest.mark.parametrize(
    "recorded", [[], [("in", "09:05")], [("out", "11:00")]], ids=["none", "late in", "early out"]
)
def test_a_corrected_present_day_without_times_costs_nothing(
    recorded: list[tuple[str, str]],
) -> None:
    day = WORKING[0]
    checkins = [checkin(kind, day, hhmm) for kind, hhmm in recorded]
    fixed = evaluate(day, checkins, correction=correction(day, DayStatus.present))
    charge = day_charge(fixed, RULES)
    assert (charge.status, charge.percent, charge.corrected) == (DayStatus.present, D(0), True)
    assert (charge.late_band, charge.early_band) == (None, None)
    assert charge.note == "Hadir, tanpa potongan; dikoreksi"
    result = compute([fixed if d.day == day else d for d in month()])
    assert (result.paid, result.days_present) == (TPP, 21)


def test_a_corrected_day_with_times_is_banded_from_them() -> None:
    day = WORKING[0]
    fixed = evaluate(
        day,
        [checkin("out", day, "16:00")],
        correction=correction(day, DayStatus.present, first_in=at(day, "08:15")),
    )
    charge = day_charge(fixed, RULES)
    assert (charge.late_band, charge.percent) == ("TL2", D(1))
    assert charge.note == "Terlambat 45 menit (TL2); dikoreksi"


def test_a_correction_to_absent_or_leave() -> None:
    day = WORKING[0]
    present = [checkin("in", day, "07:30"), checkin("out", day, "16:00")]
    absent = day_charge(evaluate(day, present, correction=correction(day, DayStatus.absent)), RULES)
    assert (absent.percent, absent.note) == (D(3), "Tanpa keterangan (TK); dikoreksi")
    izin = evaluate(day, correction=correction(day, DayStatus.leave, leave_type=LeaveType.izin))
    assert day_charge(izin, RULES).percent == D(1)


# ---------------------------------------------------------------- custom rule sets
def custom_bands() -> RuleSetCreate:
    bands = [
        {"up_to_minutes": 60, "percent": D("0.5")},
        {"up_to_minutes": 120, "percent": D("1")},
        {"up_to_minutes": None, "percent": D("2")},
    ]
    return rules_with(late_bands=bands, missing_check_in_band=3)  # PSW bands as by default


def test_a_rule_set_with_other_limits_rebands_the_minutes() -> None:
    rules = custom_bands()
    day = late(45)(WORKING[0])
    assert day.late_band == "TL2"  # day_rules' fixed limits: not what the rule set says
    charge = day_charge(day, rules)
    assert (charge.late_band, charge.percent) == ("TL1", D("0.5"))
    assert day_charge(late(61)(WORKING[0]), rules).late_band == "TL2"
    assert day_charge(late(121)(WORKING[0]), rules).percent == D(2)
    missing_in = day_charge(times(None, "16:00")(WORKING[0]), rules)
    assert (missing_in.late_band, missing_in.percent) == ("TL3", D(2))
    assert missing_in.note == "Tidak presensi masuk (TL3)"
    missing_out = day_charge(times("07:30", None)(WORKING[0]), rules)
    assert (missing_out.early_band, missing_out.percent) == ("PSW4", D("2.5"))


def test_counts_have_every_band_and_every_leave_type() -> None:
    result = compute(
        month(late(5), late(20), late(75), early(40), times(None, "16:00"), tk(), tk())
    )
    assert result.late_counts == {"TL1": 2, "TL2": 0, "TL3": 1, "TL4": 1}
    assert result.early_counts == {"PSW1": 0, "PSW2": 1, "PSW3": 0, "PSW4": 0}
    assert result.leave_days == dict.fromkeys(LeaveType, 0)
    assert (result.working_days, result.days_present, result.absent_days) == (21, 19, 2)
    assert (result.pending_days, result.cltn_days) == (0, 0)
    custom = compute(month(late(45)), rules=custom_bands())
    assert custom.late_counts == {"TL1": 1, "TL2": 0, "TL3": 0}
    assert list(custom.early_counts) == ["PSW1", "PSW2", "PSW3", "PSW4"]


# ---------------------------------------------------------------- days that are not charged
def test_days_off_are_not_working_days() -> None:
    holiday = WORKING[5]
    days = [
        evaluate(d, [checkin("in", d, "07:30")], hours=None, day_off_name="Hari libur (uji)")
        if d == holiday
        else d_
        for d, d_ in zip(DAYS, month(tk()), strict=True)
    ]
    result = compute(days)
    assert (result.working_days, result.days_present, result.absent_days) == (20, 19, 1)
    assert result.paid == 3_880_000
    off = next(c for c in result.days if c.day == holiday)
    assert (off.working, off.hours, off.percent, off.late_band) == (False, None, D(0), None)
    assert off.note == "Libur: Hari libur (uji)"
    weekend = next(c for c in result.days if c.day.weekday() == 5)
    assert (weekend.status, weekend.working, weekend.note) == (
        DayStatus.day_off,
        False,
        "Bukan hari kerja",
    )


def test_a_month_without_working_days_pays_the_full_tpp() -> None:
    days = [evaluate(d, hours=None) for d in DAYS]
    result = compute(days)
    assert (result.working_days, result.no_presence, result.paid) == (0, False, TPP)
    nothing = compute([])  # no day at all: the same, and still two decimals
    assert (nothing.working_days, nothing.paid, nothing.days) == (0, TPP, [])
    assert str(nothing.day_percent_sum) == str(nothing.total_percent) == "0.00"


@pytest.mark.parametrize("status", ["pending_review", "not_yet"])
def test_pending_and_future_days_are_refused(status: str) -> None:
    day = WORKING[0]
    if status == "pending_review":
        made = evaluate(day, [checkin("in", day, "07:30", CheckState.pending_review)])
    else:
        made = evaluate(day, [checkin("in", day, "07:30")], now=at(day, "12:00"))
    assert made.status is DayStatus(status)
    with pytest.raises(ValueError, match=status):
        day_charge(made, RULES)
    with pytest.raises(ValueError, match=status):
        compute([made if d.day == day else d for d in month()])


def test_pending_check_ins_left_out_are_counted_and_told() -> None:
    day, other = WORKING[0], WORKING[1]
    pending = checkin("out", day, "16:00", CheckState.pending_review)
    # the caller evaluates the day again without its pending check-in, keeping the count
    again = evaluate(day, [checkin("in", day, "07:30")]).model_copy(update={"pending_checkins": 1})
    on_leave_day = evaluate(other, [checkin("in", other, "07:30", pending.state)], leave=C.izin)
    assert on_leave_day.pending_checkins == 1
    days = {day: again, other: on_leave_day}
    result = compute([days.get(d.day, d) for d in month()])
    assert result.pending_days == 2
    charges = {c.day: c for c in result.days}
    assert charges[day].note == (
        "Tidak presensi pulang (PSW4); 1 presensi menunggu verifikasi tidak dihitung"
    )
    assert charges[other].note == "Izin; 1 presensi menunggu verifikasi tidak dihitung"
    assert result.paid == 4_000_000 - 100_000 - 40_000


# ---------------------------------------------------------------- the zero-TPP month
def test_no_presence_is_not_the_cap() -> None:
    none = compute(month(*[tk()] * 21))
    assert (none.no_presence, none.cap_applied, none.paid) == (True, False, 0)
    assert (str(none.attendance_percent), str(none.total_percent)) == ("100.00", "100.00")
    covered = compute(month(*[tk()] * 20, on_leave(C.cuti_tahunan)))
    assert (covered.no_presence, covered.cap_applied, covered.paid) == (False, True, 2_400_000)
    present_once = compute(month(*[tk()] * 20))
    assert (present_once.no_presence, present_once.paid) == (False, 2_400_000)


def test_no_presence_rule_can_be_turned_off() -> None:
    result = compute(month(*[tk()] * 21), rules=rules_with(zero_without_presence=False))
    assert summary(result) == (D(63), D(40), True, D(40), 2_400_000, 1_600_000)
    assert result.no_presence is False


# ---------------------------------------------------------------- CLTN
def test_cltn_and_no_presence_outside_it() -> None:
    result = compute(month(*[on_leave(C.cltn)] * 10, *[tk()] * 11))
    assert (result.cltn_days, result.no_presence, result.paid) == (10, True, 0)


def test_cltn_zero_month() -> None:
    rules = rules_with(cltn="zero_month")
    one_day = compute(month(on_leave(C.cltn)), rules=rules)
    assert (one_day.cltn_days, one_day.leave_days[C.cltn], one_day.paid) == (1, 1, 0)
    assert one_day.deduction == TPP
    assert compute(month(late(5)), rules=rules).paid == 3_980_000  # no CLTN: as usual


def test_cltn_pro_rata_counts() -> None:
    result = compute(month(*[on_leave(C.cltn)] * 10))
    assert (result.working_days, result.cltn_days, result.days_present) == (21, 10, 11)
    assert result.leave_days[C.cltn] == 10


# ---------------------------------------------------------------- penalties
def test_penalties_that_count_and_those_that_do_not() -> None:
    penalties = [
        penalty("5", penalty_id="pen-b", from_month="2026-09", months=3),  # Sep-Nov: counts
        penalty("2.5", penalty_id="pen-a"),  # November: counts, adds up
        penalty("10", penalty_id="pen-c", from_month="2026-08", months=3),  # Aug-Oct: over
        penalty("10", penalty_id="pen-d", from_month="2026-12"),  # not yet
        penalty("10", penalty_id="pen-e", nip=OTHER_NIP),  # another employee's
    ]
    result = compute(month(late(5)), penalties=penalties)
    assert [p.penalty_id for p in result.penalties] == ["pen-a", "pen-b"]
    assert [p.decree_number for p in result.penalties] == ["800/pen-a/BKPSDM", "800/pen-b/BKPSDM"]
    assert (result.penalty_percent, result.attendance_percent) == (D("7.5"), D("0.5"))
    assert (result.total_percent, result.paid) == (D(8), 3_680_000)


def test_no_penalty_leaves_an_empty_list() -> None:
    result = compute(month(), penalties=[penalty("10", nip=OTHER_NIP)])
    assert (result.penalties, result.penalty_percent, result.paid) == ([], D(0), TPP)


# ---------------------------------------------------------------- rounding
def test_rounding_down() -> None:
    down = rules_with(rounding="down")
    assert compute(month(late(45)), tpp=1_000_150, rules=down).paid == 990_148
    assert compute(month(late(1)), tpp=1_000_001, rules=down).paid == 995_000
    pro_rata = compute(month(*[on_leave(C.cltn)] * 10, tk()), rules=down)
    assert (pro_rata.paid, pro_rata.deduction) == (2_032_380, 1_967_620)


def test_rounding_half_up_at_exactly_half() -> None:
    # 1,000,050 x 99 % = 990,049.5 and 1,000,150 x 99 % = 990,148.5: both up, never to even
    assert compute(month(late(45)), tpp=1_000_050).paid == 990_050
    assert compute(month(late(45)), tpp=1_000_150).paid == 990_149


# ---------------------------------------------------------------- the result itself
def test_percentages_are_normalized_to_two_decimals() -> None:
    """The same numbers written "2.5" or "2.50" give the same result, to the byte."""
    dumped = RULES.model_dump()
    for key in ("late_bands", "early_bands"):
        for band in dumped[key]:
            band["percent"] = band["percent"].quantize(D("0.01"))
    dumped["absent_percent"] = D("3.00")
    dumped["leave_percent"] = {k: v.quantize(D("0.01")) for k, v in dumped["leave_percent"].items()}
    padded = RuleSetCreate.model_validate(dumped)
    days = month(late(95), early(5), tk(), on_leave(C.izin))
    plain = compute(days, penalties=[penalty("10")])
    assert compute(days, rules=padded, penalties=[penalty("10.0")]).model_dump_json() == (
        plain.model_dump_json()
    )
    fields = ("day_percent_sum", "attendance_percent", "penalty_percent", "total_percent")
    assert [str(getattr(plain, name)) for name in fields] == ["7.00", "7.00", "10.00", "17.00"]
    assert {c.percent.as_tuple().exponent for c in plain.days} == {-2}
    assert plain.penalties[0].percent.as_tuple().exponent == -2


def test_days_are_sorted_and_the_employee_is_copied() -> None:
    result = compute(list(reversed(month(late(5)))))
    assert [c.day for c in result.days] == DAYS
    assert (result.nip, result.name, result.unit_id, result.position) == (
        NIP,
        "Andi Baso",
        "u-kominfo",
        "Analis",
    )
    assert result.tpp_amount == TPP


def test_the_same_inputs_give_the_same_bytes() -> None:
    days = month(late(31), early(61), tk(), on_leave(C.cltn))
    first = compute(days, penalties=[penalty("3")]).model_dump_json()
    assert compute(days, penalties=[penalty("3")]).model_dump_json() == first


def test_days_that_are_not_his_or_not_of_the_month_are_refused() -> None:
    days = month()
    stranger = days[0].model_copy(update={"nip": OTHER_NIP})
    with pytest.raises(ValueError, match="not of"):
        compute([stranger, *days[1:]])
    with pytest.raises(ValueError, match="not in 2026-11"):
        compute([*days, evaluate(date(2026, 12, 1))])
    with pytest.raises(ValueError, match="twice"):
        compute([*days, days[3]])


# ---------------------------------------------------------------- joining or leaving mid-month
def employed_month(
    employed_from: date | None, employed_until: date | None, *specials: Maker
) -> list[AttendanceDay]:
    """The month of an employee employed from ``employed_from`` to ``employed_until``: his first
    employed working days as given, every other day evaluated with his dates from a perfect
    day's check-ins (outside his employment they must not count) and a stray weekend check-in."""
    employed = [
        day
        for day in WORKING
        if (employed_from is None or day >= employed_from)
        and (employed_until is None or day <= employed_until)
    ]
    assert len(specials) <= len(employed)
    made = {day: make(day) for day, make in zip(employed, specials, strict=False)}
    result = []
    for day in DAYS:
        if day in made:
            result.append(made[day])
            continue
        weekend = day.weekday() >= 5
        recorded = [checkin("in", day, "08:00" if weekend else "07:30")]
        recorded += [] if weekend else [checkin("out", day, "16:00")]
        hours = None if weekend else HOURS
        made_day = evaluate(
            day, recorded, hours=hours, employed_from=employed_from, employed_until=employed_until
        )
        result.append(made_day)
    return result


JOINED = date(2026, 11, 11)  # a Wednesday: 14 of the month's 21 working days are left
LAST_DAY = date(2026, 11, 10)  # a Tuesday: 7 working days employed


def test_joined_on_the_11th_is_paid_14_of_21() -> None:
    result = compute(employed_month(JOINED, None))
    # 4,000,000 x 14/21 = 2,666,666.67 -> 2,666,667 (half up)
    assert summary(result) == (D(0), D(0), False, D(0), 2_666_667, 1_333_333)
    assert (result.working_days, result.not_employed_days, result.days_present) == (21, 7, 14)
    assert (result.absent_days, result.cltn_days, result.no_presence) == (0, 0, False)
    before = [c for c in result.days if c.day < JOINED and c.working]
    assert len(before) == 7
    assert {(c.status, c.percent, c.note) for c in before} == {
        (DayStatus.not_employed, D(0), NOT_EMPLOYED_WORDS)
    }
    assert all((c.late_band, c.early_band, c.leave_type) == (None, None, None) for c in before)


def test_left_after_the_10th_is_paid_7_of_21() -> None:
    result = compute(employed_month(None, LAST_DAY))
    # 4,000,000 x 7/21 = 1,333,333.33 -> 1,333,333
    assert (result.paid, result.deduction) == (1_333_333, 2_666_667)
    assert (result.working_days, result.not_employed_days, result.days_present) == (21, 14, 7)
    after = {c.day: c.status for c in result.days if c.day > LAST_DAY and c.working}
    assert set(after.values()) == {DayStatus.not_employed} and len(after) == 14


def test_joined_mid_month_with_one_tk() -> None:
    result = compute(employed_month(JOINED, None, tk()))
    # 4,000,000 x 14/21 x 97 % = 2,586,666.67 -> 2,586,667
    assert summary(result) == (D(3), D(3), False, D(3), 2_586_667, 1_413_333)
    assert (result.absent_days, result.days_present, result.not_employed_days) == (1, 13, 7)
    tk_day = next(c for c in result.days if c.status is DayStatus.absent)
    assert tk_day.day == JOINED


def test_joined_mid_month_with_cltn_days() -> None:
    days = employed_month(JOINED, None, *[on_leave(C.cltn)] * 3)
    result = compute(days)
    # employed and outside CLTN: 21 - 7 - 3 = 11; 4,000,000 x 11/21 = 2,095,238.10 -> 2,095,238
    assert (result.paid, result.deduction) == (2_095_238, 1_904_762)
    assert (result.working_days, result.not_employed_days, result.cltn_days) == (21, 7, 3)
    assert (result.leave_days[C.cltn], result.days_present) == (3, 11)
    # The rule set's CLTN rule is for CLTN only: "zero_month" voids a month CLTN touches...
    zero = rules_with(cltn="zero_month")
    assert compute(days, rules=zero).paid == 0
    # ...but joining mid-month is always pro rata.
    assert compute(employed_month(JOINED, None), rules=zero).paid == 2_666_667


def test_leave_or_a_correction_outside_his_employment_changes_nothing() -> None:
    day = WORKING[0]  # 2 November, before he joined
    absent = Correction(
        correction_id="fix-1",
        nip=NIP,
        day=day,
        status=DayStatus.absent,
        reason="Koreksi uji",
        by=OTHER_NIP,
        at=at(day, "18:00"),
    )
    cltn = evaluate(day, leave=C.cltn, employed_from=JOINED)
    fixed = evaluate(day, correction=absent, employed_from=JOINED)
    assert (cltn.status, cltn.leave_type) == (DayStatus.not_employed, None)
    assert (fixed.status, fixed.correction) == (DayStatus.not_employed, None)
    days = {d.day: d for d in employed_month(JOINED, None)}
    days[day] = cltn
    days[WORKING[1]] = fixed.model_copy(update={"day": WORKING[1]})
    result = compute(list(days.values()))
    assert (result.cltn_days, result.absent_days, result.paid) == (0, 0, 2_666_667)


@pytest.mark.parametrize(
    ("employed_from", "employed_until"),
    [
        pytest.param(date(2026, 12, 1), None, id="joins next month"),
        pytest.param(None, date(2026, 10, 31), id="left last month"),
        pytest.param(date(2026, 11, 28), date(2026, 11, 29), id="a weekend only"),
    ],
)
def test_never_employed_on_a_working_day_is_paid_nothing(
    employed_from: date | None, employed_until: date | None
) -> None:
    result = compute(employed_month(employed_from, employed_until))
    assert summary(result) == (D(0), D(0), False, D(0), 0, TPP)
    assert (result.working_days, result.not_employed_days, result.days_present) == (21, 21, 0)
    assert result.no_presence is False  # nothing to judge: he simply was not here
    notes = {c.note for c in result.days if c.working}
    assert notes == {NOT_EMPLOYED_WORDS}
    assert "Di luar masa kerja" in NOT_EMPLOYED_WORDS


def test_no_presence_looks_only_at_his_employed_days() -> None:
    # Joined on the 11th, TK on all 14 employed days: nothing paid, as for a full month of TK.
    none = compute(employed_month(JOINED, None, *[tk()] * 14))
    assert (none.no_presence, none.absent_days, none.paid) == (True, 14, 0)
    # Present once among them: not "no presence"; 13 TK = 39 % under the 40 % cap.
    # 4,000,000 x 14/21 x 61 % = 1,626,666.67 -> 1,626,667
    once = compute(employed_month(JOINED, None, *[tk()] * 13))
    assert summary(once) == (D(39), D(39), False, D(39), 1_626_667, 2_373_333)
    # Joined on the 30th and present that day: the 20 days before are not TK.
    last_only = compute(employed_month(date(2026, 11, 30), None))
    assert (last_only.no_presence, last_only.absent_days, last_only.paid) == (False, 0, 190_476)


def test_a_day_off_outside_his_employment_stays_a_day_off() -> None:
    result = compute(employed_month(JOINED, None))
    weekend = next(c for c in result.days if c.day == date(2026, 11, 7))
    assert (weekend.status, weekend.working, weekend.percent) == (DayStatus.day_off, False, D(0))


def test_the_report_shows_the_days_outside_his_employment_after_cltn() -> None:
    month_ = compute(employed_month(JOINED, None))
    data = ReportData(
        month=MONTH,
        scope="all",
        rule_set=RuleSetRef(name="Aturan bawaan", version=1, effective_from=date(2021, 1, 1)),
        units=[
            UnitTotals(
                unit_id="u-kominfo",
                code="KOMINFO",
                name="Dinas Kominfo",
                employees=1,
                tpp_total=TPP,
                deduction_total=month_.deduction,
                paid_total=month_.paid,
            )
        ],
        employees=[month_],
        tpp_total=TPP,
        deduction_total=month_.deduction,
        paid_total=month_.paid,
    )
    header, line = (
        text.split(",") for text in render.report_csv(data).decode("utf-8-sig").splitlines()
    )
    at_cltn = header.index("CLTN")
    assert header[at_cltn + 1] == "Di luar masa kerja"
    assert (line[at_cltn], line[at_cltn + 1]) == ("0", "7")
    assert line[header.index("Hari kerja")] == "21"
    assert line[header.index("Dibayar (Rp)")] == "2666667"
