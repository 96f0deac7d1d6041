"""An employee's TPP for one month, from his attendance days and a rule set. Pure: no AWS and no
clock, so the same inputs always give the same result (docs/research/tpp.md section 3).

The rules, in order, and why:
1. Each day costs a percentage of the full monthly TPP (``day_charge``). Present: its late (TL)
   and early-leave (PSW) bands, re-banded from the minutes under THIS rule set (the day's own
   labels use fixed limits); no check-in or no check-out takes the rule set's band for it; the
   sum is at most ``max_day_percent`` when set. A correction "present" without times excuses the
   day. Absent (TK), leave by type; a day off and a day outside his employment (``not_employed``:
   before his TMT or after his last day) nothing. Pending and future days never get here: the
   caller evaluates pending days without their pending check-ins and refuses a month not over.
2. The days add up and the sum is capped at the discipline share: attendance can cost at most
   that. A month with employed working days outside CLTN but no day present and no approved
   leave on them pays nothing (100 %). That is not the cap: 21 TK pays 0, 20 TK + 1 cuti tahunan
   pays 60 %. Days outside his employment are neither presence nor absence.
3. Disciplinary penalties are added AFTER the cap: a penalty is its own sanction, which the
   attendance cap must not absorb. The total is at most 100 %.
4. CLTN and days outside his employment shrink the base. The share paid is (working days
   employed and outside CLTN) / (working days of the schedule, employed or not): joining on the
   11th of a 21-working-day month with 14 of them left pays 14/21. The rule set's ``cltn``
   (``pro_rata`` or ``zero_month``) governs CLTN only; employment is always pro rata (the
   reference is silent; BKPSDM decides, docs/research/tpp.md section 3 item 6). Not employed on
   any working day: nothing. A month without a working day pays the full TPP.
5. Money stays exact (``Fraction``) until the amount paid, rounded ONCE per the rule set: rounding
   each day drifts (3 x 16,666.665 -> 50,001, not 50,000), and float or ``round`` get 990,148.5
   wrong. The deduction is the TPP less the amount paid, never rounded on its own, so the
   report's columns add up to the Rupiah.
Percentages are quantized to 0.01 so that equal results serialise to equal bytes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from eoffice.attendance.day_rules import EARLY_PREFIX, LATE_PREFIX, month_bounds
from eoffice.attendance.models import AttendanceDay, DayStatus, LeaveType
from eoffice.tpp.models import DayCharge, EmployeeInfo, EmployeeMonth, Penalty, PenaltyApplied
from eoffice.tpp.rule_set_models import CltnRule, Rounding, RuleSetCreate

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal(0)

LEAVE_WORDS: dict[LeaveType, str] = {
    LeaveType.izin: "Izin",
    LeaveType.cuti_tahunan: "Cuti tahunan",
    LeaveType.cuti_sakit: "Cuti sakit",
    LeaveType.cuti_melahirkan: "Cuti melahirkan",
    LeaveType.cuti_besar: "Cuti besar",
    LeaveType.cuti_alasan_penting: "Cuti karena alasan penting",
    LeaveType.cltn: "Cuti di luar tanggungan negara (CLTN)",
    LeaveType.dinas_luar: "Dinas luar",
}
_UNCHARGEABLE = (DayStatus.pending_review, DayStatus.not_yet)
NOT_EMPLOYED_WORDS = "Di luar masa kerja (belum atau tidak lagi bertugas): tidak dihitung"


class _Cost(NamedTuple):
    percent: Decimal
    late_band: str | None
    early_band: str | None
    words: str


# ---------------------------------------------------------------- one day
def day_charge(day: AttendanceDay, rules: RuleSetCreate) -> DayCharge:
    """What the day costs under ``rules``, with its explanation. ``ValueError`` for a day still
    pending review or not over: those must be settled by the caller first."""
    if day.status in _UNCHARGEABLE:
        raise ValueError(f"{day.day}: a {day.status.value} day cannot be charged")
    working = day.status is not DayStatus.day_off
    if working and day.hours is None:
        raise ValueError(f"{day.day}: a {day.status.value} day without working hours")
    cost = _cost(day, rules)
    return DayCharge(
        day=day.day,
        status=day.status,
        working=working,
        hours=f"{day.hours.start}-{day.hours.end}" if working and day.hours else None,
        first_in=day.first_in,
        last_out=day.last_out,
        minutes_late=day.minutes_late,
        minutes_early=day.minutes_early,
        late_band=cost.late_band,
        early_band=cost.early_band,
        leave_type=day.leave_type if day.status is DayStatus.leave else None,
        corrected=day.correction is not None,
        pending_checkins=day.pending_checkins,
        sources=day.sources,
        percent=cost.percent.quantize(CENT),
        note=_note(cost.words, day),
    )


def _cost(day: AttendanceDay, rules: RuleSetCreate) -> _Cost:
    if day.status is DayStatus.present:
        return _present(day, rules)
    if day.status is DayStatus.absent:
        return _Cost(rules.absent_percent, None, None, "Tanpa keterangan (TK)")
    if day.status is DayStatus.leave:
        if day.leave_type is None:
            raise ValueError(f"{day.day}: a leave day without its leave type")
        return _Cost(rules.leave_percent[day.leave_type], None, None, LEAVE_WORDS[day.leave_type])
    if day.status is DayStatus.not_employed:
        return _Cost(ZERO, None, None, NOT_EMPLOYED_WORDS)
    words = f"Libur: {day.day_off_name}" if day.day_off_name else "Bukan hari kerja"
    return _Cost(ZERO, None, None, words)


def _excused(day: AttendanceDay) -> bool:
    """A correction "present" without times: present, and the day costs nothing."""
    fix = day.correction
    return (
        fix is not None
        and fix.status is DayStatus.present
        and fix.first_in is None
        and fix.last_out is None
    )


def _present(day: AttendanceDay, rules: RuleSetCreate) -> _Cost:
    if _excused(day):
        return _Cost(ZERO, None, None, "Hadir, tanpa potongan")
    late, late_pct = _late(day, rules)
    early, early_pct = _early(day, rules)
    words = _late_words(day, late) + _early_words(day, early)
    percent = late_pct + early_pct
    limit = rules.max_day_percent
    if limit is not None and percent > limit:
        percent = limit
        words.append(f"potongan sehari paling banyak {_percent_words(limit)}")
    late_label = f"{LATE_PREFIX}{late}" if late else None
    early_label = f"{EARLY_PREFIX}{early}" if early else None
    return _Cost(percent, late_label, early_label, "; ".join(words) or "Hadir tepat waktu")


def _late(day: AttendanceDay, rules: RuleSetCreate) -> tuple[int, Decimal]:
    """(band number, percent) of the arrival; no check-in takes the rule set's band for it."""
    if day.first_in is not None:
        return rules.late_percent(day.minutes_late)
    missing = rules.missing_check_in_band
    return missing, rules.late_bands[missing - 1].percent


def _early(day: AttendanceDay, rules: RuleSetCreate) -> tuple[int, Decimal]:
    """(band number, percent) of the leaving; no check-out takes the rule set's band for it."""
    if day.last_out is not None:
        return rules.early_percent(day.minutes_early)
    missing = rules.missing_check_out_band
    return missing, rules.early_bands[missing - 1].percent


def _late_words(day: AttendanceDay, band: int) -> list[str]:
    if day.first_in is None:
        return [f"Tidak presensi masuk ({LATE_PREFIX}{band})"]
    return [f"Terlambat {day.minutes_late} menit ({LATE_PREFIX}{band})"] if band else []


def _early_words(day: AttendanceDay, band: int) -> list[str]:
    if day.last_out is None:
        return [f"Tidak presensi pulang ({EARLY_PREFIX}{band})"]
    minutes = day.minutes_early
    return [f"Pulang {minutes} menit sebelum waktunya ({EARLY_PREFIX}{band})"] if band else []


def _note(words: str, day: AttendanceDay) -> str:
    if day.correction is not None:
        words += "; dikoreksi"
    if day.pending_checkins:
        words += f"; {day.pending_checkins} presensi menunggu verifikasi tidak dihitung"
    return words


def _percent_words(percent: Decimal) -> str:
    """``2.50`` -> ``2,5 %`` (Indonesian decimal comma)."""
    return f"{format(percent.normalize(), 'f').replace('.', ',')} %"


# ---------------------------------------------------------------- the month
def employee_month(
    employee: EmployeeInfo,
    days: Sequence[AttendanceDay],
    rules: RuleSetCreate,
    penalties: Sequence[Penalty],
    month: str,
) -> EmployeeMonth:
    """The employee's month (see the module's docstring for the rules and their order).

    ``days`` are his evaluated days of ``month`` (``YYYY-MM``), none pending or not over;
    ``penalties`` may hold anyone's: only his covering the month count.
    """
    _check_days(employee.nip, days, month)
    charges = sorted((day_charge(day, rules) for day in days), key=lambda charge: charge.day)
    working = [charge for charge in charges if charge.working]
    cltn_days = sum(1 for charge in working if charge.leave_type is LeaveType.cltn)
    not_employed = sum(1 for charge in working if charge.status is DayStatus.not_employed)
    day_sum = sum((charge.percent for charge in charges), ZERO)
    attendance, cap_applied, no_presence = _attendance(working, day_sum, rules)
    applied = _applied(penalties, employee.nip, month)
    penalty_percent = sum((penalty.percent for penalty in applied), ZERO)
    total = min(HUNDRED, attendance + penalty_percent)
    share = _share(len(working), cltn_days, not_employed, rules.cltn)
    paid = _paid(employee.tpp_amount, share, total, rules.rounding)
    return EmployeeMonth(
        **employee.model_dump(include={"nip", "name", "unit_id", "position", "tpp_amount"}),
        working_days=len(working),
        days_present=sum(1 for charge in working if charge.status is DayStatus.present),
        late_counts=_band_counts(working, LATE_PREFIX, len(rules.late_bands), "late_band"),
        early_counts=_band_counts(working, EARLY_PREFIX, len(rules.early_bands), "early_band"),
        absent_days=sum(1 for charge in working if charge.status is DayStatus.absent),
        leave_days=_leave_days(working),
        pending_days=sum(1 for charge in charges if charge.pending_checkins > 0),
        cltn_days=cltn_days,
        not_employed_days=not_employed,
        day_percent_sum=day_sum.quantize(CENT),
        attendance_percent=attendance.quantize(CENT),
        cap_applied=cap_applied,
        no_presence=no_presence,
        penalties=applied,
        penalty_percent=penalty_percent.quantize(CENT),
        total_percent=total.quantize(CENT),
        deduction=employee.tpp_amount - paid,
        paid=paid,
        days=charges,
    )


def _check_days(nip: str, days: Sequence[AttendanceDay], month: str) -> None:
    """Every day is his, in the month, once: a mix-up must fail loudly, not pay wrongly."""
    first, last = month_bounds(month)
    seen: set[date] = set()
    for day in days:
        if day.nip != nip:
            raise ValueError(f"{day.day}: a day of {day.nip}, not of {nip}")
        if not first <= day.day <= last:
            raise ValueError(f"{day.day} is not in {month}")
        if day.day in seen:
            raise ValueError(f"{day.day} is given twice")
        seen.add(day.day)


def _attendance(
    working: list[DayCharge], day_sum: Decimal, rules: RuleSetCreate
) -> tuple[Decimal, bool, bool]:
    """(attendance percent, cap applied, no presence). No presence is judged on the working
    days he was employed, outside CLTN: neither a CLTN day nor a day before he joined or after
    he left is presence or absence (the share pays those days nothing anyway)."""
    judged = [
        charge
        for charge in working
        if charge.leave_type is not LeaveType.cltn and charge.status is not DayStatus.not_employed
    ]
    covered = any(charge.status in (DayStatus.present, DayStatus.leave) for charge in judged)
    if rules.zero_without_presence and judged and not covered:
        return HUNDRED, False, True
    cap = rules.discipline_cap_percent
    return min(cap, day_sum), day_sum > cap, False


def _applied(penalties: Sequence[Penalty], nip: str, month: str) -> list[PenaltyApplied]:
    mine = (p for p in penalties if p.nip == nip and p.covers(month))
    return [
        PenaltyApplied(
            penalty_id=p.penalty_id,
            percent=p.percent.quantize(CENT),
            decree_number=p.decree_number,
        )
        for p in sorted(mine, key=lambda p: p.penalty_id)
    ]


def _share(working_days: int, cltn_days: int, not_employed: int, rule: CltnRule) -> Fraction:
    """The part of the TPP the month can pay at all: the working days he was employed and not
    on CLTN over all the schedule's working days (CLTN may instead void the month, per
    ``rule``). The two never overlap: a day outside his employment is never a leave day."""
    if working_days == 0:
        return Fraction(1)
    if cltn_days and rule is CltnRule.zero_month:
        return Fraction(0)
    return Fraction(working_days - cltn_days - not_employed, working_days)


def _paid(tpp: int, share: Fraction, total: Decimal, rounding: Rounding) -> int:
    """Exact until here, rounded once (half up: floor(x + 1/2); down: floor)."""
    exact = tpp * share * Fraction(HUNDRED - total) / 100
    if rounding is Rounding.half_up:
        return math.floor(exact + Fraction(1, 2))
    return math.floor(exact)


def _band_counts(working: list[DayCharge], prefix: str, bands: int, field: str) -> dict[str, int]:
    """Every band of the rule set, zeros included, so every row has the same columns."""
    counts = {f"{prefix}{number}": 0 for number in range(1, bands + 1)}
    for charge in working:
        label = getattr(charge, field)
        if label is not None:
            counts[label] += 1
    return counts


def _leave_days(working: list[DayCharge]) -> dict[LeaveType, int]:
    counts = dict.fromkeys(LeaveType, 0)
    for charge in working:
        if charge.leave_type is not None:
            counts[charge.leave_type] += 1
    return counts
