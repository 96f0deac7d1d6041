"""What a correction of a day may say: present (with times on that day, in order), absent, or
on leave of a named type; and which days a head may still correct. Pure; ``corrections.py``
records it."""

from __future__ import annotations

from datetime import date, timedelta

from eoffice import clock
from eoffice.attendance.models import CorrectionCreate, DayStatus
from eoffice.errors import InvalidInput

CORRECTABLE = frozenset({DayStatus.present, DayStatus.absent, DayStatus.leave})


def check_correction(day: date, data: CorrectionCreate) -> None:
    """A correction says what the day was: present (with times on that day, in order),
    absent, or on leave of a named type."""
    if data.status not in CORRECTABLE:
        raise InvalidInput(
            "a correction makes a day present, absent or leave", code="invalid_correction"
        )
    if (data.status is DayStatus.leave) != (data.leave_type is not None):
        raise InvalidInput(
            "leave_type is given exactly when the status is leave", code="invalid_correction"
        )
    times = [t for t in (data.first_in, data.last_out) if t is not None]
    if times and data.status is not DayStatus.present:
        raise InvalidInput("times are given only for present", code="invalid_correction")
    if any(t.astimezone(clock.regency_tz()).date() != day for t in times):
        raise InvalidInput("the times must fall on that day (WITA)", code="invalid_correction")
    if data.first_in and data.last_out and data.last_out <= data.first_in:
        raise InvalidInput("last_out must be after first_in", code="invalid_correction")


def head_may_correct(day: date, today: date) -> bool:
    """A head corrects days of this month and of last month (ADR 0028): last month's TPP is
    worked out in the first days of this one, and older months have been paid."""
    first_of_last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    return day >= first_of_last_month
