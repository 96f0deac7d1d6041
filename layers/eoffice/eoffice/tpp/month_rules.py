"""Which months are reported: the one the schedule reports, and the rule both hr's request and
the report function's run apply, so a month is never computed while its days can still change."""

from __future__ import annotations

from datetime import datetime

from eoffice import clock
from eoffice.attendance.day_rules import month_bounds
from eoffice.errors import InvalidInput


def require_month_over(month: str) -> None:
    """A month is reported once it has ended in WITA: before, its days are still ``not_yet``."""
    _, last = month_bounds(month)
    if last >= clock.today():
        raise InvalidInput(f"{month} has not ended yet", code="month_not_over")


def previous_month(scheduled: datetime) -> str:
    """The month a scheduled run reports: the one before the schedule's time in WITA, never in
    UTC (01:00 WITA on 1 December is 17:00 UTC on 30 November, whose previous month is October).
    """
    local = scheduled.astimezone(clock.regency_tz())
    year, month = (local.year, local.month - 1) if local.month > 1 else (local.year - 1, 12)
    return f"{year:04d}-{month:02d}"
