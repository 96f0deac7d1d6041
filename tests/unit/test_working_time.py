"""Working time on the regency's calendar and the disposition deadlines built on it: pure, no AWS.

All wall-clock times are WITA (Asia/Makassar, UTC+8). The holidays are those of the 2026 SKB 3
Menteri that the issue names: Nyepi and Idul Fitri in March, Natal at the end of the year.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from eoffice.attendance.schedule_models import regency_default
from eoffice.attendance.schedule_rules import working_calendar
from eoffice.calendar.models import DayOff, RamadanPeriod, YearCalendar
from eoffice.calendar.working_time import WorkingCalendar
from eoffice.dispositions import deadline_rules
from eoffice.dispositions.models import DispositionSettings
from eoffice.errors import InvalidInput
from eoffice.letters.models import Urgensi

WITA = timezone(timedelta(hours=8))

DAYS_OFF_2026 = [
    date(2026, 3, 18),  # cuti bersama Nyepi (Wednesday)
    date(2026, 3, 19),  # Nyepi (Thursday)
    date(2026, 3, 20),  # cuti bersama Idul Fitri (Friday)
    date(2026, 3, 21),  # Idul Fitri (Saturday)
    date(2026, 3, 22),  # Idul Fitri (Sunday)
    date(2026, 3, 23),  # cuti bersama Idul Fitri (Monday)
    date(2026, 3, 24),  # cuti bersama Idul Fitri (Tuesday)
    date(2026, 12, 24),  # cuti bersama Natal (Thursday)
    date(2026, 12, 25),  # Natal (Friday)
]
CALENDAR = WorkingCalendar.of(DAYS_OFF_2026)


def wita(*args: int) -> datetime:
    return datetime(*args, tzinfo=WITA)  # type: ignore[misc]


# ---------------------------------------------------------------- working days
@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 11, 27), True),  # a plain Friday
        (date(2026, 11, 30), True),  # a plain Monday
        (date(2026, 11, 28), False),  # Saturday
        (date(2026, 11, 29), False),  # Sunday
        (date(2026, 12, 24), False),  # cuti bersama on a Thursday
        (date(2026, 12, 25), False),  # national holiday on a Friday
        (date(2026, 3, 23), False),  # cuti bersama on a Monday
        (date(2026, 3, 25), True),  # the first working day after Idul Fitri
    ],
)
def test_is_working_day(day: date, working: bool) -> None:
    assert CALENDAR.is_working_day(day) is working


def test_an_empty_calendar_knows_only_weekends() -> None:
    empty = WorkingCalendar()
    assert empty.is_working_day(date(2026, 12, 25))
    assert not empty.is_working_day(date(2026, 12, 26))


@pytest.mark.parametrize(
    ("first", "last", "count"),
    [
        (date(2026, 3, 1), date(2026, 3, 31), 17),  # 22 weekdays less 5 days off
        (date(2026, 12, 21), date(2026, 12, 31), 7),  # Natal and its cuti bersama
        (date(2026, 3, 18), date(2026, 3, 24), 0),  # Nyepi through Idul Fitri
        (date(2026, 11, 30), date(2026, 11, 30), 1),  # one working day, both ends included
        (date(2026, 11, 28), date(2026, 11, 28), 0),  # one Saturday
        (date(2026, 12, 31), date(2026, 12, 1), 0),  # last before first
    ],
)
def test_working_days_between(first: date, last: date, count: int) -> None:
    assert CALENDAR.working_days_between(first, last) == count


# ---------------------------------------------------------------- working hours
@pytest.mark.parametrize(
    ("start", "hours", "end"),
    [
        # Friday 10:00 + 24 h: 14 h on Friday, the weekend skipped, 10 h on Monday.
        (wita(2026, 11, 27, 10), 24, wita(2026, 11, 30, 10)),
        # Set on a Saturday (or a Sunday): the whole of Monday, so the end of Monday.
        (wita(2026, 11, 28, 10), 24, wita(2026, 12, 1)),
        (wita(2026, 11, 29, 23, 59), 24, wita(2026, 12, 1)),
        # Within a working day.
        (wita(2026, 11, 30, 8), 1.5, wita(2026, 11, 30, 9, 30)),
        (wita(2026, 11, 30, 8), 16, wita(2026, 12, 1)),
        # Wednesday before Natal: cuti bersama Thursday, Natal Friday, then the weekend.
        (wita(2026, 12, 23, 10), 24, wita(2026, 12, 28, 10)),
        (wita(2026, 12, 23, 10), 48, wita(2026, 12, 29, 10)),
        # Set on a holiday: counting starts with the next working day.
        (wita(2026, 12, 25, 15), 24, wita(2026, 12, 29)),
        (wita(2026, 12, 24, 9), 8, wita(2026, 12, 28, 8)),
        # Tuesday before Nyepi and Idul Fitri: nothing counts from the 18th to the 24th.
        (wita(2026, 3, 17, 10), 24, wita(2026, 3, 25, 10)),
        (wita(2026, 3, 20, 10), 24, wita(2026, 3, 26)),
        # Five working days from Monday 16 March 09:00: Monday, Tuesday, then 25-27 and 30.
        (wita(2026, 3, 16, 9), 5 * 24, wita(2026, 3, 30, 9)),
        # Into the next year: the 2027 days off are not in this calendar, only the weekend.
        (wita(2026, 12, 31, 12), 24, wita(2027, 1, 1, 12)),
    ],
)
def test_add_working_hours(start: datetime, hours: float, end: datetime) -> None:
    got = CALENDAR.add_working_hours(start, hours)
    assert got == end
    assert got.utcoffset() == timedelta(hours=8)


def test_an_instant_in_another_zone_is_counted_in_wita() -> None:
    # 02:00 UTC on Friday is 10:00 WITA: Monday 10:00 WITA, 02:00 UTC.
    got = CALENDAR.add_working_hours(datetime(2026, 11, 27, 2, tzinfo=UTC), 24)
    assert got == datetime(2026, 11, 30, 2, tzinfo=UTC)
    assert got.utcoffset() == timedelta(hours=8)
    # 20:00 UTC on Sunday is already Monday 04:00 WITA, a working day.
    got = CALENDAR.add_working_hours(datetime(2026, 11, 29, 20, tzinfo=UTC), 4)
    assert got == wita(2026, 11, 30, 8)


def test_a_deadline_at_midnight_is_the_end_of_the_day() -> None:
    # Exactly a whole working day: ends at the next midnight, not a day later.
    assert CALENDAR.add_working_hours(wita(2026, 11, 27), 24) == wita(2026, 11, 28)


@pytest.mark.parametrize("hours", [0, -5])
def test_no_hours_is_the_start(hours: float) -> None:
    start = datetime(2026, 11, 28, 3, tzinfo=UTC)  # a Saturday: it does not move
    got = CALENDAR.add_working_hours(start, hours)
    assert got == start and got.utcoffset() == timedelta(hours=8)


def test_add_working_days_is_whole_days_of_working_hours() -> None:
    start = wita(2026, 12, 22, 14, 30)
    assert CALENDAR.add_working_days(start, 3) == CALENDAR.add_working_hours(start, 72)
    assert CALENDAR.add_working_days(start, 3) == wita(2026, 12, 29, 14, 30)
    assert CALENDAR.add_working_days(start, 0) == start


def test_a_calendar_without_working_days_gives_up() -> None:
    never = WorkingCalendar(weekend=frozenset(range(7)))
    with pytest.raises(ValueError, match="no working days"):
        never.add_working_hours(wita(2026, 1, 5), 1)


# ---------------------------------------------------------------- default deadlines
def regency(*years: int, ramadan: RamadanPeriod | None = None) -> WorkingCalendar:
    """The regency's working time by its default schedule, with the 2026 days off entered
    (and ``years`` counted: those other than 2026 are not entered)."""
    entered = YearCalendar(
        year=2026,
        configured=True,
        days_off=[DayOff(on=day, name="Libur") for day in DAYS_OFF_2026],
        ramadan=ramadan,
    )
    return working_calendar(regency_default(), [entered], years or (2026,))


REGENCY = regency()


@pytest.mark.parametrize(
    ("urgensi", "start", "end"),
    [
        # The case: disposed at 02:54 WITA, due at the end of a working day, not 02:54.
        (Urgensi.biasa, wita(2026, 11, 30, 2, 54), wita(2026, 12, 7, 16)),
        (Urgensi.amat_segera, wita(2026, 11, 30, 2, 54), wita(2026, 12, 1, 16)),
        # Friday 10:00 + 24 h runs out Monday 10:00: the end of Monday.
        (Urgensi.amat_segera, wita(2026, 11, 27, 10), wita(2026, 11, 30, 16)),
        # Set on a Saturday: the whole of Monday, so Monday's end (not Tuesday's).
        (Urgensi.amat_segera, wita(2026, 11, 28, 10), wita(2026, 11, 30, 16)),
        # After hours on Monday: 24 h run out on Tuesday evening, Tuesday's hours end at 16:00.
        (Urgensi.amat_segera, wita(2026, 11, 30, 19), wita(2026, 12, 1, 16)),
        # Wednesday before Natal: due Monday (cuti bersama, Natal and the weekend between).
        (Urgensi.amat_segera, wita(2026, 12, 23, 10), wita(2026, 12, 28, 16)),
        (Urgensi.segera, wita(2026, 12, 23, 10), wita(2026, 12, 29, 16)),
        (Urgensi.segera, wita(2026, 3, 17, 10), wita(2026, 3, 26, 16)),
        # Five working days from Monday 16 March: the 30th; from Monday 21 December: the 30th.
        (Urgensi.biasa, wita(2026, 3, 16, 9), wita(2026, 3, 30, 16)),
        (Urgensi.biasa, wita(2026, 12, 21, 8), wita(2026, 12, 30, 16)),
        # Falling on a Friday: Friday's hours end at 16:30.
        (Urgensi.segera, wita(2026, 11, 25, 9), wita(2026, 11, 27, 16, 30)),
    ],
)
def test_default_deadline_by_urgensi(urgensi: Urgensi, start: datetime, end: datetime) -> None:
    got = deadline_rules.default_deadline(start, urgensi, DispositionSettings(), REGENCY)
    assert got == end
    assert got.utcoffset() == timedelta(hours=8)


def test_a_deadline_in_ramadan_ends_with_ramadans_hours() -> None:
    ramadan = RamadanPeriod(first=date(2026, 2, 18), last=date(2026, 3, 19))
    calendar = regency(ramadan=ramadan)
    monday = wita(2026, 3, 2, 9)
    assert deadline_rules.default_deadline(
        monday, Urgensi.amat_segera, DispositionSettings(), calendar
    ) == wita(2026, 3, 3, 15)
    assert deadline_rules.default_deadline(
        wita(2026, 3, 4, 9), Urgensi.segera, DispositionSettings(), calendar
    ) == wita(2026, 3, 6, 15, 30)  # a Ramadan Friday


def test_a_few_hours_end_with_their_day_or_the_next_when_it_is_over() -> None:
    settings = DispositionSettings(amat_segera_hours=2)
    # 2 h from 15:30 run out at 17:30 on Monday: the end of Monday, 16:00.
    late = wita(2026, 11, 30, 15, 30)
    assert deadline_rules.default_deadline(late, Urgensi.amat_segera, settings, REGENCY) == wita(
        2026, 11, 30, 16
    )
    # From 16:30 Monday is over: the end of Tuesday, never a deadline already past.
    over = wita(2026, 11, 30, 16, 30)
    assert deadline_rules.default_deadline(over, Urgensi.amat_segera, settings, REGENCY) == wita(
        2026, 12, 1, 16
    )


def test_default_deadline_follows_the_settings() -> None:
    settings = DispositionSettings(amat_segera_hours=8, segera_hours=30, biasa_working_days=2)
    friday = wita(2026, 11, 27, 20)
    assert deadline_rules.default_deadline(friday, Urgensi.amat_segera, settings, REGENCY) == wita(
        2026, 11, 30, 16
    )
    assert deadline_rules.default_deadline(friday, Urgensi.segera, settings, REGENCY) == wita(
        2026, 12, 1, 16
    )
    assert deadline_rules.default_deadline(friday, Urgensi.biasa, settings, REGENCY) == wita(
        2026, 12, 1, 16
    )


def test_the_schedule_decides_the_working_days() -> None:
    six_days = regency_default().model_copy(update={"workdays": [1, 2, 3, 4, 5, 6]})
    calendar = working_calendar(six_days, [], [2026])
    saturday = date(2026, 11, 28)
    assert calendar.is_working_day(saturday)
    # Friday 10:00 + 24 h runs out on Saturday 10:00: Saturday's hours (the regular ones) end.
    assert calendar.deadline(wita(2026, 11, 27, 10), 24) == wita(2026, 11, 28, 16)


def test_a_year_nobody_entered_is_flagged_not_taken_as_without_holidays() -> None:
    calendar = regency(2026, 2027)
    assert calendar.unconfigured_years == {2027}
    start = wita(2026, 12, 30, 10)
    deadline = deadline_rules.default_deadline(
        start, Urgensi.biasa, DispositionSettings(), calendar
    )
    assert deadline == wita(2027, 1, 6, 16)  # weekends only in 2027: provisional
    assert calendar.unconfigured_between(start, deadline) == [2027]
    assert calendar.unconfigured_between(start, wita(2026, 12, 31, 16)) == []


# ---------------------------------------------------------------- the deadline given
NOW = wita(2026, 11, 30, 9)
COMPUTED = wita(2026, 12, 1, 9)


def test_an_asked_deadline_wins_over_the_default() -> None:
    asked = NOW + timedelta(hours=3)
    assert deadline_rules.deadline_for(NOW, asked, COMPUTED, None) == asked
    assert (
        deadline_rules.deadline_for(NOW, asked, COMPUTED, asked) == asked
    )  # at the parent's is fine


@pytest.mark.parametrize("asked", [NOW, NOW - timedelta(seconds=1), wita(2025, 1, 1)])
def test_an_asked_deadline_must_be_in_the_future(asked: datetime) -> None:
    with pytest.raises(InvalidInput) as raised:
        deadline_rules.deadline_for(NOW, asked, COMPUTED, None)
    assert raised.value.code == "deadline_in_past"
    assert raised.value.status == 422


def test_a_forward_cannot_be_due_after_the_forwarded_assignment() -> None:
    parent = NOW + timedelta(hours=5)
    with pytest.raises(InvalidInput) as raised:
        deadline_rules.deadline_for(NOW, parent + timedelta(seconds=1), COMPUTED, parent)
    assert raised.value.code == "deadline_after_parent"


def test_the_default_is_kept_within_the_forwarded_deadline() -> None:
    assert deadline_rules.deadline_for(NOW, None, COMPUTED, None) == COMPUTED
    earlier = NOW + timedelta(hours=2)
    assert deadline_rules.deadline_for(NOW, None, COMPUTED, earlier) == earlier
    later = COMPUTED + timedelta(days=3)
    assert deadline_rules.deadline_for(NOW, None, COMPUTED, later) == COMPUTED


# ---------------------------------------------------------------- reminders
def test_the_reminder_goes_out_the_configured_time_before() -> None:
    deadline = NOW + timedelta(days=5)
    assert deadline_rules.reminder_time(
        NOW, deadline, DispositionSettings()
    ) == deadline - timedelta(hours=24)
    settings = DispositionSettings(reminder_hours_before=6)
    assert deadline_rules.reminder_time(NOW, deadline, settings) == deadline - timedelta(hours=6)


@pytest.mark.parametrize(
    "allowed", [timedelta(seconds=4), timedelta(hours=10), timedelta(hours=48)]
)
def test_the_reminder_is_never_before_halfway(allowed: timedelta) -> None:
    # 24 h before would be before the disposition was sent, or before halfway: halfway instead.
    deadline = NOW + allowed
    remind = deadline_rules.reminder_time(NOW, deadline, DispositionSettings())
    assert remind == NOW + allowed / 2
    assert NOW < remind < deadline


def test_the_reminder_of_a_default_deadline_over_a_holiday() -> None:
    # Amat segera set on the Wednesday before Natal: due Monday 16:00, reminded Sunday 16:00
    # (the lead time is wall-clock hours, not working hours).
    start = wita(2026, 12, 23, 10)
    deadline = deadline_rules.default_deadline(
        start, Urgensi.amat_segera, DispositionSettings(), REGENCY
    )
    remind = deadline_rules.reminder_time(start, deadline, DispositionSettings())
    assert remind == wita(2026, 12, 27, 16)
