"""Working time on the regency's calendar. Pure functions: no AWS.

A working day is a weekday (Monday to Friday, or the workdays of the regency's schedule) that is
neither a national holiday nor cuti bersama. Working time runs on the clock, but only on working
days: N hours of working time have passed when N hours of working days have, so 24 hours from
Friday 10:00 WITA run out on Monday 10:00, and from a Saturday at the end of Monday.

A deadline in working time (``deadline``) is the end of the working hours of the working day on
which that working time runs out: 24 hours from Monday 02:54 end on Tuesday at 16:00, five
working days from a Friday end on the next Friday at 16:30. The hours of a day come from the
regency's schedule (``closes``; ``eoffice.attendance.schedule_rules.working_calendar`` builds the
calendar from it); without them a day ends at midnight.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from eoffice.clock import regency_tz

_DAY = timedelta(days=1)
WEEKEND = frozenset({5, 6})  # Saturday, Sunday
_HORIZON = 3660  # ten years of days: a calendar without working days ends the search


@dataclass(frozen=True)
class WorkingCalendar:
    days_off: frozenset[date] = field(default_factory=frozenset)
    weekend: frozenset[int] = WEEKEND
    closes: Callable[[date], time] | None = None
    """When a working day's working hours end (WITA); None: at midnight."""
    unconfigured_years: frozenset[int] = field(default_factory=frozenset)
    """Years counted without their days off: nobody entered their calendar yet."""

    @classmethod
    def of(cls, days_off: Iterable[date]) -> WorkingCalendar:
        return cls(days_off=frozenset(days_off))

    def is_working_day(self, day: date) -> bool:
        return day.weekday() not in self.weekend and day not in self.days_off

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        """The instant when ``hours`` of working time have passed since ``start`` (aware; the
        answer is in WITA)."""
        return self._run_out(start, hours)[1]

    def add_working_days(self, start: datetime, days: int) -> datetime:
        return self.add_working_hours(start, 24 * days)

    def due_day(self, start: datetime, hours: float) -> date:
        """The working day on which ``hours`` of working time since ``start`` run out (a run
        ending at midnight ends the day before it)."""
        return self._run_out(start, hours)[0]

    def deadline(self, start: datetime, hours: float) -> datetime:
        """The end of the working hours of ``due_day``, in WITA; when that end is not after
        ``start`` (a few hours asked late in the day), the end of the next working day."""
        local = start.astimezone(regency_tz())
        day = self.due_day(local, hours)
        for _ in range(_HORIZON):
            end = self.end_of(day)
            if end > local:
                return end
            day = self._next_working_day(day + _DAY)
        raise ValueError("the calendar has no working days ahead")

    def end_of(self, day: date) -> datetime:
        """When the working hours of ``day`` end (WITA)."""
        if self.closes is None:
            return datetime.combine(day + _DAY, time(), tzinfo=regency_tz())
        return datetime.combine(day, self.closes(day), tzinfo=regency_tz())

    def unconfigured_between(self, start: datetime, end: datetime) -> list[int]:
        """The years from ``start`` to ``end`` (WITA) counted without their days off."""
        tz = regency_tz()
        years = range(start.astimezone(tz).year, end.astimezone(tz).year + 1)
        return [year for year in years if year in self.unconfigured_years]

    def working_days_between(self, first: date, last: date) -> int:
        """Working days from ``first`` to ``last``, both included."""
        count, day = 0, first
        while day <= last:
            count += self.is_working_day(day)
            day += _DAY
        return count

    def _next_working_day(self, day: date) -> date:
        for _ in range(_HORIZON):
            if self.is_working_day(day):
                return day
            day += _DAY
        raise ValueError("the calendar has no working days ahead")

    def _run_out(self, start: datetime, hours: float) -> tuple[date, datetime]:
        """The working day on which ``hours`` of working time run out, and the instant."""
        current = start.astimezone(regency_tz())
        if hours <= 0:
            return self._next_working_day(current.date()), current
        remaining = timedelta(hours=hours)
        for _ in range(_HORIZON):
            day_end = datetime.combine(current.date() + _DAY, time(), tzinfo=current.tzinfo)
            if self.is_working_day(current.date()):
                available = day_end - current
                if remaining <= available:
                    return current.date(), current + remaining
                remaining -= available
            current = day_end
        raise ValueError("the calendar has no working days ahead")
