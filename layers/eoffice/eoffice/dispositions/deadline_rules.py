"""When a disposition is due and when its recipient is reminded: default deadlines by urgensi in
working time, the asked deadline's limits, the reminder's time. Pure."""

from __future__ import annotations

from datetime import datetime, timedelta

from eoffice.calendar.working_time import WorkingCalendar
from eoffice.dispositions.models import DispositionSettings
from eoffice.errors import InvalidInput
from eoffice.letters.models import Urgensi


def default_deadline(
    now: datetime, urgensi: Urgensi, settings: DispositionSettings, calendar: WorkingCalendar
) -> datetime:
    """amat segera: 24 hours of working time; segera: 48; otherwise N working days (all
    settings), ending at the close of the working day on which they run out
    (``WorkingCalendar.deadline``)."""
    return calendar.deadline(now, settings.hours_for(urgensi))


def deadline_for(
    now: datetime,
    asked: datetime | None,
    computed: datetime,
    parent_deadline: datetime | None,
) -> datetime:
    """The asked deadline (future, not after the forwarded one's), else the default, which a
    forward also keeps within the deadline it was given."""
    if asked is not None:
        if asked <= now:
            raise InvalidInput("the deadline must be in the future", code="deadline_in_past")
        if parent_deadline is not None and asked > parent_deadline:
            raise InvalidInput(
                "a forwarded disposition cannot be due after the one it forwards",
                code="deadline_after_parent",
            )
        return asked
    return min(computed, parent_deadline) if parent_deadline else computed


def reminder_time(now: datetime, deadline: datetime, settings: DispositionSettings) -> datetime:
    """The configured time before the deadline, but never before half the time allowed."""
    lead = min(timedelta(hours=settings.reminder_hours_before), (deadline - now) / 2)
    return deadline - lead
