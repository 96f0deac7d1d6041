"""The daily status rules (docs/research/attendance.md section 4) and the hours of a day under a
work schedule: pure, no AWS. Every worked example of section 4 is here, then one whole month
compared with a table computed by hand.

Times are WITA (Asia/Makassar, UTC+8). Holidays and Ramadan periods below are illustrative, set
for the tests (October 2026 has no national holiday; Ramadan 2026 is in February-March).
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from eoffice import clock
from eoffice.attendance import day_rules
from eoffice.attendance.day_rules import (
    BAND_LIMITS,
    band,
    evaluate_day,
    month_bounds,
    month_days,
)
from eoffice.attendance.models import (
    AttendanceDay,
    CheckIn,
    CheckKind,
    CheckState,
    Correction,
    DayHours,
    DayStatus,
    LeaveType,
    TimeSource,
)
from eoffice.attendance.schedule_models import (
    Hours,
    ScheduleSource,
    WorkSchedule,
    regency_default,
)
from eoffice.attendance.schedule_rules import (
    SCHEDULE_DAY_OFF,
    WEEKEND_DAY_OFF,
    DayPlanner,
    hours_on,
    resolve,
)
from eoffice.calendar.models import DayOff, RamadanPeriod, YearCalendar
from eoffice.errors import InvalidInput
from eoffice.org.models import Employee, Role, Unit, UnitKind
from pydantic import ValidationError

WITA = timezone(timedelta(hours=8))
NIP = "199402112019031011"
MONDAY = date(2026, 10, 5)
FRIDAY = date(2026, 10, 9)
LONG_AFTER = datetime(2027, 1, 1, 12, tzinfo=WITA)  # every day below is over
RAMADAN_2026 = RamadanPeriod(first=date(2026, 2, 19), last=date(2026, 3, 20))  # illustrative
HOLIDAY = date(2026, 10, 14)  # a Wednesday
DAYS_OFF = {HOLIDAY: "Hari libur nasional (uji)"}
_ids = itertools.count(1)


def at(day: date, hhmmss: str) -> datetime:
    hour, minute, second = (int(part) for part in f"{hhmmss}:00".split(":")[:3])
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=WITA)


def ci(
    kind: str, day: date, hhmmss: str, state: CheckState = CheckState.accepted, nip: str = NIP
) -> CheckIn:
    moment = at(day, hhmmss)
    n = next(_ids)
    return CheckIn(
        checkin_id=f"c{n}",
        client_id=f"client-{n:08d}",
        nip=nip,
        unit_id="u-kominfo",
        kind=CheckKind(kind),
        state=state,
        latitude=-2.5,
        longitude=121.0,
        accuracy_m=8.0,
        mock_location=False,
        device="hash",
        phone_time=moment,
        received_at=moment.astimezone(UTC),
        effective_at=moment.astimezone(UTC),  # stored in UTC: the rules read the WITA wall clock
        time_source=TimeSource.server,
    )


def hours(day: date, ramadan: RamadanPeriod | None = None) -> DayHours | None:
    return hours_on(day, regency_default(), DAYS_OFF, ramadan)[0]


def evaluate(
    day: date,
    *checkins: CheckIn,
    ramadan: RamadanPeriod | None = None,
    leave: tuple[LeaveType, str] | None = None,
    correction: Correction | None = None,
    now: datetime = LONG_AFTER,
    employed_from: date | None = None,
    employed_until: date | None = None,
) -> AttendanceDay:
    day_hours, day_off_name = hours_on(day, regency_default(), DAYS_OFF, ramadan)
    return evaluate_day(
        day,
        NIP,
        hours=day_hours,
        day_off_name=day_off_name,
        checkins=checkins,
        leave=leave,
        correction=correction,
        now=now,
        employed_from=employed_from,
        employed_until=employed_until,
    )


def bands(result: AttendanceDay) -> tuple[str, str | None, int, str | None, int]:
    return (
        result.status.value,
        result.late_band,
        result.minutes_late,
        result.early_band,
        result.minutes_early,
    )


# ---------------------------------------------------------------- bands
@pytest.mark.parametrize(
    ("minutes", "expected"),
    [(-5, 0), (0, 0), (1, 1), (30, 1), (31, 2), (60, 2), (61, 3), (90, 3), (91, 4), (600, 4)],
)
def test_band_edges(minutes: int, expected: int) -> None:
    assert band(minutes) == expected
    assert BAND_LIMITS == (30, 60, 90)


def test_on_time_to_the_second() -> None:
    result = evaluate(MONDAY, ci("in", MONDAY, "07:30:59"), ci("out", MONDAY, "16:00:00"))
    assert bands(result) == ("present", None, 0, None, 0)
    assert result.hours == DayHours(start="07:30", end="16:00", ramadan=False)
    assert result.first_in == at(MONDAY, "07:30:59")
    assert result.last_out == at(MONDAY, "16:00:00")


@pytest.mark.parametrize(
    ("check_in", "late_band", "minutes"),
    [
        ("07:31:00", "TL1", 1),
        ("08:00:00", "TL1", 30),
        ("08:00:59", "TL1", 30),  # seconds are truncated
        ("08:01:00", "TL2", 31),
        ("08:30:00", "TL2", 60),
        ("08:31:00", "TL3", 61),
        ("09:00:00", "TL3", 90),
        ("09:01:00", "TL4", 91),
    ],
)
def test_late_bands(check_in: str, late_band: str, minutes: int) -> None:
    result = evaluate(MONDAY, ci("in", MONDAY, check_in), ci("out", MONDAY, "16:00:00"))
    assert bands(result) == ("present", late_band, minutes, None, 0)


@pytest.mark.parametrize(
    ("check_out", "early_band", "minutes"),
    [
        ("15:59:59", "PSW1", 1),
        ("15:59:00", "PSW1", 1),
        ("15:30:00", "PSW1", 30),
        ("15:29:00", "PSW2", 31),
        ("15:00:00", "PSW2", 60),
        ("14:59:00", "PSW3", 61),
        ("14:30:00", "PSW3", 90),
        ("14:29:00", "PSW4", 91),
    ],
)
def test_early_leave_bands(check_out: str, early_band: str, minutes: int) -> None:
    result = evaluate(MONDAY, ci("in", MONDAY, "07:30:00"), ci("out", MONDAY, check_out))
    assert bands(result) == ("present", None, 0, early_band, minutes)


def test_friday_ends_at_half_past_four() -> None:
    result = evaluate(FRIDAY, ci("in", FRIDAY, "07:30"), ci("out", FRIDAY, "16:00"))
    assert result.hours == DayHours(start="07:30", end="16:30")
    assert bands(result) == ("present", None, 0, "PSW1", 30)
    on_time = evaluate(FRIDAY, ci("in", FRIDAY, "07:30"), ci("out", FRIDAY, "16:30"))
    assert bands(on_time) == ("present", None, 0, None, 0)


def test_a_ramadan_monday() -> None:
    day = date(2026, 3, 2)
    on_time = evaluate(day, ci("in", day, "08:00"), ci("out", day, "15:00"), ramadan=RAMADAN_2026)
    assert on_time.hours == DayHours(start="08:00", end="15:00", ramadan=True)
    assert bands(on_time) == ("present", None, 0, None, 0)
    early = evaluate(day, ci("in", day, "07:45"), ci("out", day, "14:29"), ramadan=RAMADAN_2026)
    assert bands(early) == ("present", None, 0, "PSW2", 31)
    # Without the period the same day keeps the usual hours.
    assert bands(evaluate(day, ci("in", day, "08:00"), ci("out", day, "15:00"))) == (
        "present",
        "TL1",
        30,
        "PSW2",
        60,
    )


def test_a_ramadan_friday() -> None:
    day = date(2026, 3, 6)
    result = evaluate(day, ci("in", day, "08:00"), ci("out", day, "15:00"), ramadan=RAMADAN_2026)
    assert result.hours == DayHours(start="08:00", end="15:30", ramadan=True)
    assert bands(result) == ("present", None, 0, "PSW1", 30)


def test_late_and_no_check_out() -> None:
    result = evaluate(MONDAY, ci("in", MONDAY, "09:05"))
    assert bands(result) == ("present", "TL4", 95, "PSW4", 0)
    assert result.last_out is None


def test_check_out_only_is_tl4() -> None:
    result = evaluate(MONDAY, ci("out", MONDAY, "16:10"))
    assert bands(result) == ("present", "TL4", 0, None, 0)
    assert result.first_in is None


def test_nothing_is_absent_and_approved_izin_is_leave() -> None:
    assert bands(evaluate(MONDAY)) == ("absent", None, 0, None, 0)
    leave = evaluate(MONDAY, leave=(LeaveType.izin, "leave-1"))
    assert leave.status is DayStatus.leave
    assert (leave.leave_type, leave.leave_id) == (LeaveType.izin, "leave-1")


def test_travel_with_a_check_in_stays_travel() -> None:
    result = evaluate(MONDAY, ci("in", MONDAY, "10:00"), leave=(LeaveType.dinas_luar, "spt-7"))
    assert bands(result) == ("leave", None, 0, None, 0)
    assert result.leave_type is LeaveType.dinas_luar
    assert result.first_in == at(MONDAY, "10:00")  # shown, counts for nothing


def test_a_holiday_with_a_check_in_is_a_day_off() -> None:
    result = evaluate(HOLIDAY, ci("in", HOLIDAY, "07:30"), ci("out", HOLIDAY, "12:00"))
    assert bands(result) == ("day_off", None, 0, None, 0)
    assert result.day_off_name == "Hari libur nasional (uji)"
    assert result.hours is None


def test_a_weekend() -> None:
    saturday = date(2026, 10, 10)
    result = evaluate(saturday, ci("in", saturday, "08:00"))
    assert result.status is DayStatus.day_off
    assert result.day_off_name == WEEKEND_DAY_OFF


def test_rejected_check_ins_never_count() -> None:
    result = evaluate(MONDAY, ci("in", MONDAY, "07:20", CheckState.rejected))
    assert result.status is DayStatus.absent


def test_an_in_after_the_end_is_ignored() -> None:
    result = evaluate(MONDAY, ci("in", MONDAY, "16:05"), ci("out", MONDAY, "16:10"))
    assert bands(result) == ("present", "TL4", 0, None, 0)
    assert result.first_in is None
    # At the end's very minute it still counts.
    at_end = evaluate(MONDAY, ci("in", MONDAY, "16:00:30"))
    assert bands(at_end) == ("present", "TL4", 510, "PSW4", 0)


def test_an_in_before_four_is_ignored() -> None:
    result = evaluate(MONDAY, ci("in", MONDAY, "03:59"), ci("in", MONDAY, "07:40"))
    assert result.first_in == at(MONDAY, "07:40")
    assert result.late_band == "TL1"


def test_an_out_before_the_in_is_ignored() -> None:
    result = evaluate(MONDAY, ci("out", MONDAY, "07:00"), ci("in", MONDAY, "07:30"))
    assert bands(result) == ("present", None, 0, "PSW4", 0)
    assert result.last_out is None


def test_the_first_in_and_the_last_out_count() -> None:
    result = evaluate(
        MONDAY,
        ci("in", MONDAY, "07:50"),
        ci("in", MONDAY, "07:35"),
        ci("out", MONDAY, "12:00"),
        ci("out", MONDAY, "16:05"),
        ci("in", MONDAY, "13:00"),
    )
    assert result.first_in == at(MONDAY, "07:35")
    assert result.last_out == at(MONDAY, "16:05")
    assert bands(result) == ("present", "TL1", 5, None, 0)


def test_other_days_check_ins_are_ignored() -> None:
    result = evaluate(MONDAY, ci("in", MONDAY - timedelta(days=1), "07:30"))
    assert result.status is DayStatus.absent


def correction(status: DayStatus, **fields: object) -> Correction:
    return Correction(
        correction_id="corr-1",
        nip=NIP,
        day=MONDAY,
        status=status,
        reason="Gangguan jaringan di kantor",
        by="199010052015031002",
        at=at(MONDAY, "18:00"),
        **fields,
    )


def test_a_correction_wins() -> None:
    recorded = (ci("in", MONDAY, "09:00"),)  # TL3 + PSW4 as recorded
    fixed = correction(
        DayStatus.present, first_in=at(MONDAY, "07:30"), last_out=at(MONDAY, "16:00")
    )
    result = evaluate(MONDAY, *recorded, correction=fixed)
    assert bands(result) == ("present", None, 0, None, 0)
    assert result.correction == fixed
    # Times the correction leaves out are the recorded ones.
    only_out = evaluate(
        MONDAY, *recorded, correction=correction(DayStatus.present, last_out=at(MONDAY, "16:00"))
    )
    assert bands(only_out) == ("present", "TL3", 90, None, 0)
    # It wins over leave, and may make a present day absent.
    absent = evaluate(
        MONDAY,
        ci("in", MONDAY, "07:30"),
        ci("out", MONDAY, "16:00"),
        correction=correction(DayStatus.absent),
        leave=(LeaveType.izin, "leave-2"),
    )
    assert bands(absent) == ("absent", None, 0, None, 0)
    as_leave = evaluate(
        MONDAY, correction=correction(DayStatus.leave, leave_type=LeaveType.cuti_sakit)
    )
    assert (as_leave.status, as_leave.leave_type) == (DayStatus.leave, LeaveType.cuti_sakit)


def test_a_correction_does_not_move_a_day_off() -> None:
    result = evaluate(HOLIDAY, correction=correction(DayStatus.absent))
    assert result.status is DayStatus.day_off
    assert result.correction is None


def test_pending_review() -> None:
    result = evaluate(
        MONDAY,
        ci("in", MONDAY, "07:30"),
        ci("out", MONDAY, "16:00", CheckState.pending_review),
        ci("out", MONDAY, "16:01", CheckState.rejected),
    )
    assert result.status is DayStatus.pending_review
    assert result.pending_checkins == 1
    assert result.first_in == at(MONDAY, "07:30") and result.last_out is None
    assert (result.late_band, result.early_band) == (None, None)
    # A decision of the day wins over the review.
    decided = evaluate(
        MONDAY,
        ci("in", MONDAY, "07:30", CheckState.pending_review),
        leave=(LeaveType.cuti_tahunan, "leave-3"),
    )
    assert decided.status is DayStatus.leave and decided.pending_checkins == 1


def test_today_is_not_yet_decided() -> None:
    morning = at(MONDAY, "10:00")
    result = evaluate(MONDAY, ci("in", MONDAY, "07:45:40"), now=morning)
    assert bands(result) == ("not_yet", "TL1", 15, None, 0)
    assert result.first_in == at(MONDAY, "07:45:40")
    assert evaluate(MONDAY, now=morning).status is DayStatus.not_yet
    # Until midnight: a check-out may still come.
    evening = at(MONDAY, "23:59:59")
    assert evaluate(MONDAY, ci("in", MONDAY, "07:30"), now=evening).status is DayStatus.not_yet
    next_day = at(MONDAY + timedelta(days=1), "00:00")
    assert bands(evaluate(MONDAY, ci("in", MONDAY, "07:30"), now=next_day)) == (
        "present",
        None,
        0,
        "PSW4",
        0,
    )
    # The WITA date decides, whatever zone ``now`` is in (23:30 UTC is 07:30 WITA next day).
    assert evaluate(MONDAY, now=datetime(2026, 10, 5, 16, 30, tzinfo=UTC)).status is (
        DayStatus.absent
    )


def test_days_to_come() -> None:
    tomorrow = MONDAY + timedelta(days=1)
    now = at(MONDAY, "12:00")
    assert evaluate(tomorrow, now=now).status is DayStatus.not_yet
    leave = evaluate(tomorrow, leave=(LeaveType.cuti_tahunan, "leave-4"), now=now)
    assert leave.status is DayStatus.leave
    assert evaluate(date(2026, 10, 10), now=now).status is DayStatus.day_off


# ---------------------------------------------------------------- outside his employment
TUESDAY = MONDAY + timedelta(days=1)


def test_before_he_joined_or_after_he_left_is_not_employed() -> None:
    perfect = (ci("in", MONDAY, "07:30"), ci("out", MONDAY, "16:00"))
    before = evaluate(MONDAY, *perfect, employed_from=TUESDAY)
    assert before.status is DayStatus.not_employed
    assert (before.late_band, before.early_band, before.minutes_late) == (None, None, 0)
    assert before.first_in == at(MONDAY, "07:30")  # shown, counts for nothing
    assert before.hours == hours(MONDAY)  # still a working day of his schedule
    after = evaluate(TUESDAY, employed_until=MONDAY)
    assert after.status is DayStatus.not_employed
    # His first and last days are his: a one-day employment is one working day.
    assert bands(evaluate(TUESDAY, employed_from=TUESDAY)) == ("absent", None, 0, None, 0)
    assert bands(evaluate(MONDAY, *perfect, employed_until=MONDAY)) == (
        "present",
        None,
        0,
        None,
        0,
    )
    for day, status in ((MONDAY, DayStatus.absent), (TUESDAY, DayStatus.not_employed)):
        assert evaluate(day, employed_from=MONDAY, employed_until=MONDAY).status is status
    # No dates: as before.
    assert evaluate(MONDAY).status is DayStatus.absent


def test_outside_employment_comes_after_the_day_off_and_before_everything_else() -> None:
    joined = FRIDAY
    # 1. A day off stays a day off.
    saturday = date(2026, 10, 10)
    assert evaluate(saturday, employed_until=FRIDAY).status is DayStatus.day_off
    holiday = evaluate(HOLIDAY, employed_from=date(2026, 10, 20))
    assert (holiday.status, holiday.day_off_name) == (DayStatus.day_off, DAYS_OFF[HOLIDAY])
    # 2. Then outside his employment, whatever was recorded: a correction, leave, a pending
    # check-in, a day not over yet or still to come.
    fixed = evaluate(MONDAY, correction=correction(DayStatus.absent), employed_from=joined)
    assert (fixed.status, fixed.correction) == (DayStatus.not_employed, None)
    on_leave = evaluate(MONDAY, leave=(LeaveType.cltn, "leave-9"), employed_from=joined)
    assert (on_leave.status, on_leave.leave_type, on_leave.leave_id) == (
        DayStatus.not_employed,
        None,
        None,
    )
    pending = evaluate(
        MONDAY, ci("in", MONDAY, "07:30", CheckState.pending_review), employed_from=joined
    )
    assert (pending.status, pending.pending_checkins) == (DayStatus.not_employed, 1)
    morning = at(MONDAY, "10:00")
    today = evaluate(MONDAY, ci("in", MONDAY, "07:45"), now=morning, employed_from=joined)
    assert (today.status, today.late_band) == (DayStatus.not_employed, None)
    to_come = evaluate(TUESDAY, now=morning, employed_until=MONDAY)
    assert to_come.status is DayStatus.not_employed
    # Within his employment, the usual order again.
    assert evaluate(TUESDAY, now=morning, employed_from=MONDAY).status is DayStatus.not_yet


def test_days_evaluate_passes_the_employees_dates() -> None:
    planner = DayPlanner(regency_default(), {}, UNITS, [OCTOBER])
    now = clock.utcnow()
    employee = Employee(
        nip=NIP,
        name="Andi Baso",
        unit_id="kominfo",
        position_id=None,
        roles=[Role.staff],
        tpp_amount=4_000_000,
        active=True,
        username="andi.baso",
        email=None,
        employed_from=TUESDAY,
        employed_until=FRIDAY,
        created_at=now,
        updated_at=now,
    )
    found = {
        day: day_rules.evaluate(employee, day, planner, [], None, [], LONG_AFTER).status
        for day in (MONDAY, TUESDAY, FRIDAY, FRIDAY + timedelta(days=3), date(2026, 10, 10))
    }
    assert list(found.values()) == [
        DayStatus.not_employed,
        DayStatus.absent,
        DayStatus.absent,
        DayStatus.not_employed,
        DayStatus.day_off,
    ]
    undated = employee.model_copy(update={"employed_from": None, "employed_until": None})
    assert day_rules.evaluate(undated, MONDAY, planner, [], None, [], LONG_AFTER).status is (
        DayStatus.absent
    )


def test_now_must_be_aware() -> None:
    with pytest.raises(ValueError, match="aware"):
        evaluate(MONDAY, now=datetime(2026, 10, 6, 12))


def test_day_helpers() -> None:
    assert month_days(date(2026, 12, 30), date(2027, 1, 2)) == [
        date(2026, 12, 30),
        date(2026, 12, 31),
        date(2027, 1, 1),
        date(2027, 1, 2),
    ]
    assert month_bounds("2028-02") == (date(2028, 2, 1), date(2028, 2, 29))
    assert month_bounds("2026-12") == (date(2026, 12, 1), date(2026, 12, 31))
    for bad in ("2026-13", "2026-1", "26-01", "2026-00"):
        with pytest.raises(InvalidInput):
            month_bounds(bad)


# ---------------------------------------------------------------- schedules (pure)
def test_the_regency_default() -> None:
    default = regency_default()
    assert default.workdays == [1, 2, 3, 4, 5]
    assert hours(MONDAY) == DayHours(start="07:30", end="16:00")
    assert hours(FRIDAY) == DayHours(start="07:30", end="16:30")
    assert hours(date(2026, 3, 2), RAMADAN_2026) == DayHours(
        start="08:00", end="15:00", ramadan=True
    )
    assert hours(date(2026, 3, 6), RAMADAN_2026) == DayHours(
        start="08:00", end="15:30", ramadan=True
    )
    assert hours_on(date(2026, 10, 11), default, {}, None) == (None, WEEKEND_DAY_OFF)


def test_a_holiday_on_a_weekend_is_named_after_the_holiday() -> None:
    saturday = date(2026, 10, 10)
    assert hours_on(saturday, regency_default(), {saturday: "Hari uji"}, None) == (
        None,
        "Hari uji",
    )


def test_a_hospital_works_on_holidays_and_weekends() -> None:
    hospital = WorkSchedule(
        name="RSUD I Lagaligo: pelayanan",
        workdays=[6, 1, 2, 3, 4, 5, 7],
        regular=Hours(start="07:00", end="14:00"),
        observes_holidays=False,
    )
    assert hospital.workdays == [1, 2, 3, 4, 5, 6, 7]
    assert hospital.friday.end == "16:30"  # not given: the default's
    assert hours_on(HOLIDAY, hospital, DAYS_OFF, None)[0] == DayHours(start="07:00", end="14:00")
    assert hours_on(date(2026, 10, 11), hospital, DAYS_OFF, None)[0] == DayHours(
        start="07:00", end="14:00"
    )


def test_a_schedule_may_rest_on_a_weekday() -> None:
    school = WorkSchedule(name="Sekolah", workdays=[2, 3, 4, 5, 6])
    assert hours_on(MONDAY, school, {}, None) == (None, SCHEDULE_DAY_OFF)
    assert hours_on(date(2026, 10, 10), school, {}, None)[0] == DayHours(start="07:30", end="16:00")


@pytest.mark.parametrize(
    "body",
    [
        {"name": "X"},
        {"name": "Uji", "workdays": []},
        {"name": "Uji", "workdays": [0]},
        {"name": "Uji", "workdays": [1, 1]},
        {"name": "Uji", "regular": {"start": "16:00", "end": "07:30"}},
        {"name": "Uji", "regular": {"start": "22:00", "end": "06:00"}},  # crosses midnight
        {"name": "Uji", "friday": {"start": "07:30", "end": "07:30"}},
        {"name": "Uji", "ramadan": {"start": "8:00", "end": "15:00"}},
        {"name": "Uji", "ramadan_friday": {"start": "08:00", "end": "24:00"}},
        {"name": "Uji", "extra": True},
    ],
)
def test_invalid_schedules(body: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        WorkSchedule.model_validate(body)


@pytest.mark.parametrize(
    "period",
    [
        {"first": "2026-03-20", "last": "2026-02-19"},
        {"first": "2026-02-01", "last": "2026-03-04"},  # 32 days
    ],
)
def test_invalid_ramadan_periods(period: dict[str, str]) -> None:
    with pytest.raises(ValidationError):
        RamadanPeriod.model_validate(period)
    assert RamadanPeriod.model_validate({"first": "2026-02-01", "last": "2026-03-03"})


def unit(unit_id: str, parent_id: str | None) -> Unit:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    return Unit(
        unit_id=unit_id,
        code=unit_id.upper(),
        name=unit_id,
        kind=UnitKind.section if parent_id else UnitKind.regency,
        parent_id=parent_id,
        created_at=now,
        updated_at=now,
    )


UNITS = [
    unit("pemkab", None),
    unit("rsud", "pemkab"),
    unit("rsud-igd", "rsud"),
    unit("rsud-igd-triase", "rsud-igd"),
    unit("kominfo", "pemkab"),
]


def test_the_nearest_exception_applies() -> None:
    default = regency_default()
    hospital = WorkSchedule(name="RSUD", observes_holidays=False)
    emergency = WorkSchedule(name="IGD", workdays=[1, 2, 3, 4, 5, 6, 7])
    exceptions = {"rsud": hospital, "rsud-igd": emergency}
    own = resolve("rsud-igd", exceptions, default, UNITS)
    assert (own.schedule.name, own.source, own.source_unit_id) == (
        "IGD",
        ScheduleSource.unit,
        "rsud-igd",
    )
    inherited = resolve("rsud-igd-triase", exceptions, default, UNITS)
    assert (inherited.schedule.name, inherited.source, inherited.source_unit_id) == (
        "IGD",
        ScheduleSource.ancestor,
        "rsud-igd",
    )
    assert resolve("rsud-igd-triase", {"rsud": hospital}, default, UNITS).source_unit_id == "rsud"
    plain = resolve("kominfo", exceptions, default, UNITS)
    assert (plain.schedule, plain.source, plain.source_unit_id) == (
        default,
        ScheduleSource.default,
        None,
    )
    assert resolve("unknown", exceptions, default, UNITS).source is ScheduleSource.default


def test_the_planner_answers_from_what_it_was_given() -> None:
    calendars = [
        YearCalendar(
            year=2030,
            ramadan=RamadanPeriod(first=date(2030, 12, 26), last=date(2031, 1, 24)),
        ),
        YearCalendar(year=2031, days_off=[DayOff(on=date(2031, 1, 1), name="Tahun Baru")]),
    ]
    planner = DayPlanner(
        regency_default(),
        {"rsud": WorkSchedule(name="RSUD", observes_holidays=False)},
        UNITS,
        calendars,
    )
    # A Ramadan that began in December covers January; the hospital works on New Year's day.
    assert planner.hours_on("kominfo", date(2031, 1, 1)) == (None, "Tahun Baru")
    assert planner.hours_on("rsud-igd", date(2031, 1, 1))[0] == DayHours(
        start="08:00", end="15:00", ramadan=True
    )
    assert planner.hours_on("kominfo", date(2031, 1, 3))[0] == DayHours(
        start="08:00", end="15:30", ramadan=True
    )
    assert planner.hours_on("kominfo", date(2031, 1, 27))[0] == DayHours(start="07:30", end="16:00")
    assert planner.schedule_of("rsud-igd-triase").name == "RSUD"
    with pytest.raises(ValueError, match="2032"):
        planner.hours_on("kominfo", date(2032, 1, 5))


# ---------------------------------------------------------------- one month, by hand
OCTOBER = YearCalendar(
    year=2026,
    days_off=[DayOff(on=HOLIDAY, name="Hari libur nasional (uji)")],
    ramadan=RamadanPeriod(first=date(2026, 10, 19), last=date(2026, 10, 23)),  # illustrative
)
LEAVE = {
    date(2026, 10, 7): (LeaveType.cuti_tahunan, "leave-ct"),
    date(2026, 10, 8): (LeaveType.izin, "leave-izin"),
}


def d(day: int) -> date:
    return date(2026, 10, day)


OCTOBER_CHECKINS = [
    ci("in", d(1), "07:25:10"), ci("out", d(1), "16:02:00"),
    ci("in", d(2), "07:29:00"), ci("out", d(2), "16:31:00"),
    ci("in", d(5), "07:45:30"), ci("out", d(5), "16:00:00"),
    ci("in", d(6), "08:31:00"), ci("out", d(6), "16:05:00"),
    ci("in", d(7), "07:20:00"),  # on annual leave: changes nothing
    ci("in", d(9), "07:30:00"), ci("out", d(9), "16:00:00"),  # Friday: ends 16:30
    ci("in", d(12), "09:31:00"), ci("out", d(12), "16:00:00"),
    ci("in", d(13), "07:30:00", CheckState.rejected),  # outside the fence: absent
    ci("in", d(14), "07:30:00"),  # the holiday
    ci("in", d(15), "07:25:00"),  # no check-out
    ci("out", d(16), "16:30:00"),  # no check-in
    ci("in", d(19), "08:00:00"), ci("out", d(19), "15:00:00"),  # Ramadan
    ci("in", d(20), "07:45:00"), ci("out", d(20), "14:29:00"),
    ci("in", d(21), "08:30:59"), ci("out", d(21), "15:00:00"),
    ci("in", d(22), "07:50:00"), ci("out", d(22), "15:10:00"),
    ci("in", d(23), "08:05:00"), ci("out", d(23), "15:29:59"),  # Ramadan Friday: ends 15:30
    ci("in", d(26), "07:30:00"), ci("out", d(26), "16:00:00"),
    ci("in", d(27), "07:20:00"), ci("out", d(27), "12:00:00"),
    ci("in", d(28), "07:31:00"), ci("out", d(28), "15:31:00"),
    ci("in", d(29), "07:28:00"), ci("out", d(29), "16:00:00"),
    ci("in", d(30), "07:28:00"), ci("out", d(30), "16:30:00"),
    ci("in", d(13), "07:00:00", nip="199010052015031002"),  # someone else's
]  # fmt: skip

# (day, status, late band, early band), computed by hand from the check-ins above.
OCTOBER_EXPECTED = [
    (1, "present", None, None),
    (2, "present", None, None),
    (3, "day_off", None, None),
    (4, "day_off", None, None),
    (5, "present", "TL1", None),  # 15 minutes late
    (6, "present", "TL3", None),  # 61
    (7, "leave", None, None),  # cuti tahunan
    (8, "leave", None, None),  # izin
    (9, "present", None, "PSW1"),  # Friday, left 30 minutes early
    (10, "day_off", None, None),
    (11, "day_off", None, None),
    (12, "present", "TL4", None),  # 121
    (13, "absent", None, None),
    (14, "day_off", None, None),
    (15, "present", None, "PSW4"),  # no check-out
    (16, "present", "TL4", None),  # no check-in
    (17, "day_off", None, None),
    (18, "day_off", None, None),
    (19, "present", None, None),  # Ramadan 08:00-15:00
    (20, "present", None, "PSW2"),  # 31
    (21, "present", "TL1", None),  # 30 (08:30:59 is 08:30)
    (22, "present", None, None),
    (23, "present", "TL1", "PSW1"),  # 5 late; Ramadan Friday, 1 early (15:29:59 is 15:29)
    (24, "day_off", None, None),
    (25, "day_off", None, None),
    (26, "present", None, None),
    (27, "present", None, "PSW4"),  # left at 12:00: 240 minutes early
    (28, "present", "TL1", "PSW1"),  # 1 late, 29 early
    (29, "present", None, None),
    (30, "present", None, None),
    (31, "day_off", None, None),
]


def test_october_2026_for_one_employee() -> None:
    planner = DayPlanner(regency_default(), {}, UNITS, [OCTOBER])
    now = datetime(2026, 11, 2, 9, tzinfo=WITA)
    got = []
    for day in month_days(*month_bounds("2026-10")):
        day_hours, day_off_name = planner.hours_on("kominfo", day)
        result = evaluate_day(
            day,
            NIP,
            hours=day_hours,
            day_off_name=day_off_name,
            checkins=OCTOBER_CHECKINS,
            leave=LEAVE.get(day),
            correction=None,
            now=now,
        )
        got.append((day.day, result.status.value, result.late_band, result.early_band))
    assert got == OCTOBER_EXPECTED
    # The numbers behind a few of the bands.
    minutes = {
        day.day: (result.minutes_late, result.minutes_early)
        for day in (d(5), d(6), d(12), d(20), d(21), d(23), d(27), d(28))
        for result in [
            evaluate_day(
                day,
                NIP,
                hours=planner.hours_on("kominfo", day)[0],
                day_off_name=None,
                checkins=OCTOBER_CHECKINS,
                leave=None,
                correction=None,
                now=now,
            )
        ]
    }
    assert minutes == {
        5: (15, 0),
        6: (61, 0),
        12: (121, 0),
        20: (0, 31),
        21: (30, 0),
        23: (5, 1),
        27: (0, 240),
        28: (1, 29),
    }
    assert planner.hours_on("kominfo", d(14)) == (None, "Hari libur nasional (uji)")
    assert planner.hours_on("kominfo", d(3)) == (None, WEEKEND_DAY_OFF)
