"""Working time on the regency's calendar. Pure functions: no AWS.

A working day is a weekday (Monday to Friday) that is neither a national holiday nor cuti bersama.
"Working hours" here are whole days: N hours of working time elapse when N hours of working days
have passed, so a 24-hour deadline set on Friday 10:00 WITA falls on Monday 10:00, and one set on
a Saturday falls at the end of Monday.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from eoffice.clock import regency_tz

_DAY = timedelta(days=1)
WEEKEND = frozenset({5, 6})  # Saturday, Sunday


@dataclass(frozen=True)
class WorkingCalendar:
    days_off: frozenset[date] = field(default_factory=frozenset)
    weekend: frozenset[int] = WEEKEND

    @classmethod
    def of(cls, days_off: Iterable[date]) -> WorkingCalendar:
        return cls(days_off=frozenset(days_off))

    def is_working_day(self, day: date) -> bool:
        return day.weekday() not in self.weekend and day not in self.days_off

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        """The instant when ``hours`` of working time have passed since ``start`` (aware; the
        answer is in WITA)."""
        if hours <= 0:
            return start.astimezone(regency_tz())
        remaining = timedelta(hours=hours)
        current = start.astimezone(regency_tz())
        for _ in range(3660):  # ten years of days: a calendar without working days ends it
            day_end = datetime.combine(current.date() + _DAY, time(), tzinfo=current.tzinfo)
            if self.is_working_day(current.date()):
                available = day_end - current
                if remaining <= available:
                    return current + remaining
                remaining -= available
            current = day_end
        raise ValueError("the calendar has no working days ahead")

    def add_working_days(self, start: datetime, days: int) -> datetime:
        return self.add_working_hours(start, 24 * days)

    def working_days_between(self, first: date, last: date) -> int:
        """Working days from ``first`` to ``last``, both included."""
        count, day = 0, first
        while day <= last:
            count += self.is_working_day(day)
            day += _DAY
        return count
