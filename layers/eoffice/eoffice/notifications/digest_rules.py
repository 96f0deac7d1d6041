"""The heads' morning digest: what is open in their units, overdue and due today, in one message.
Pure: the service reads the assignments and the calendar."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from eoffice import clock
from eoffice.dispositions.models import Assignment, AssignmentKind


@dataclass(frozen=True)
class Tally:
    open: int = 0
    overdue: int = 0
    due_today: int = 0

    @property
    def empty(self) -> bool:
        return self.open == 0


def tally(assignments: Iterable[Assignment], now: datetime) -> Tally:
    """Open assignments (not tembusan), those past their deadline, those due today (WITA)."""
    today = now.astimezone(clock.regency_tz()).date()
    opened = [a for a in assignments if a.kind is AssignmentKind.assignment and a.status.open]
    overdue = [a for a in opened if a.overdue or (a.deadline is not None and a.deadline < now)]
    due = [
        a
        for a in opened
        if a.deadline is not None and _local(a.deadline) == today and a not in overdue
    ]
    return Tally(len(opened), len(overdue), len(due))


def _local(moment: datetime) -> date:
    return moment.astimezone(clock.regency_tz()).date()


def body(tally: Tally, unit_name: str) -> str:
    """The digest's sentence, in Bahasa Indonesia."""
    parts = [f"{tally.open} disposisi terbuka"]
    if tally.overdue:
        parts.append(f"{tally.overdue} melewati batas waktu")
    if tally.due_today:
        parts.append(f"{tally.due_today} jatuh tempo hari ini")
    return f"{unit_name} dan unit di bawahnya: " + ", ".join(parts) + "."
