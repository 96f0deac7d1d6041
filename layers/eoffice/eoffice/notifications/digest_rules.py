"""The heads' morning digest: what is open in their units, overdue and due today, in one message,
with the leave waiting for their decision and the attendance flags open to review. Pure: the
service reads the assignments, the leave and the flags."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from eoffice import clock
from eoffice.attendance.models import Flag
from eoffice.dispositions.models import Assignment, AssignmentKind


@dataclass(frozen=True)
class Tally:
    open: int = 0
    overdue: int = 0
    due_today: int = 0
    leave_waiting: int = 0  # leave filed in the units he heads, for him to decide
    flags_open: int = 0  # check-ins of his staff with flags not yet reviewed (not his own)

    @property
    def empty(self) -> bool:
        return self.open == 0 and self.leave_waiting == 0 and self.flags_open == 0


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


def flagged_check_ins(flags: Iterable[Flag], head_nip: str, since: date) -> int:
    """The check-ins (or days, for a flag of none) with open flags for the head to review: one
    review closes every flag of a check-in (``attendance.flags``), nobody reviews his own, and
    what is older than ``since`` is not news any more."""
    cases = {
        (f.nip, f.checkin_id or f.flag_id)
        for f in flags
        if f.open and f.nip != head_nip and f.day >= since
    }
    return len(cases)


def _local(moment: datetime) -> date:
    return moment.astimezone(clock.regency_tz()).date()


def body(tally: Tally, unit_name: str) -> str:
    """The digest's sentence, in Bahasa Indonesia."""
    parts = []
    if tally.open:
        parts.append(f"{tally.open} disposisi terbuka")
    if tally.overdue:
        parts.append(f"{tally.overdue} melewati batas waktu")
    if tally.due_today:
        parts.append(f"{tally.due_today} jatuh tempo hari ini")
    if tally.leave_waiting:
        parts.append(f"{tally.leave_waiting} permohonan cuti menunggu keputusan Anda")
    if tally.flags_open:
        parts.append(f"{tally.flags_open} presensi perlu ditinjau")
    return f"{unit_name} dan unit di bawahnya: " + ", ".join(parts) + "."
