"""The heads' morning digest (07:00 WITA on working days, template.yaml's schedule): for each
head, what is open in the units he heads and the units below them (dispositions, attendance
flags to review) and the leave waiting for his decision, in one message; none when nothing is
open. The flags and leave are also what a lost announcement of the check-in would have told. Sent once a day per head whatever the schedule's retries (its notice id is made
of the day); a channel failing for now fails the run, so the scheduler's retry sends only it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timedelta

from eoffice import clock
from eoffice.attendance.models import Flag
from eoffice.calendar import store as calendar_store
from eoffice.calendar.working_time import WorkingCalendar
from eoffice.dispositions import store as dispositions_store
from eoffice.dispositions.models import Assignment
from eoffice.notifications import digest_rules, notifying, wording
from eoffice.notifications.models import Message, NoticeKind, Notification
from eoffice.org import heads
from eoffice.org import store as org_store
from eoffice.org.hierarchy import descendants
from eoffice.org.models import Employee, Unit

LOOKBACK = timedelta(days=90)  # as the leaders' overview: older open items show there too
FLAGS_PAGE = 500


def run(moment: datetime) -> list[Notification]:
    """Send the day's digests as of ``moment``; nothing on a day off."""
    today = moment.astimezone(clock.regency_tz()).date()
    days_off = (d.on for d in calendar_store.get_year(today.year).days_off)
    if not WorkingCalendar.of(days_off).is_working_day(today):
        return []
    units = org_store.list_units()
    since = datetime.combine(today, time(), tzinfo=clock.regency_tz()) - LOOKBACK
    read: dict[str, list[Assignment]] = {}

    def of_unit(unit_id: str) -> list[Assignment]:
        if unit_id not in read:  # one Query per unit, whoever heads it
            read[unit_id] = dispositions_store.unit_assignments(unit_id, since)
        return read[unit_id]

    flags = _open_flags_by_unit()
    sent, failing = [], []
    for head, headed in _heads(units):
        subtree = {u for unit in headed for u in (unit.unit_id, *descendants(unit.unit_id, units))}
        flagged = [f for u in sorted(subtree) for f in flags.get(u, [])]
        tally = replace(
            digest_rules.tally([a for u in sorted(subtree) for a in of_unit(u)], moment),
            leave_waiting=_leave_waiting(head.nip, headed),
            flags_open=digest_rules.flagged_check_ins(flagged, head.nip, since.date()),
        )
        if tally.empty:
            continue
        try:
            note, still = notifying.deliver(
                _message(today.isoformat(), head, headed, tally), head, moment, attempt=1
            )
        except notifying.InFlight:  # the schedule's retry running beside this run
            failing.append("in flight")
            continue
        sent.append(note)
        failing.extend(still)
    if failing:
        raise notifying.ChannelsFailed(f"digest {today}: {', '.join(sorted(set(failing)))}")
    return sent


def _leave_waiting(nip: str, headed: list[Unit]) -> int:
    """Leave filed in the units he heads, not his own (one Query a unit)."""
    from eoffice.attendance import leave_store

    return sum(1 for u in headed for leave in leave_store.waiting_in(u.unit_id) if leave.nip != nip)


def _open_flags_by_unit() -> dict[str, list[Flag]]:
    """Every open attendance flag of the regency, by unit: one Query of the open flags' index,
    paged, once a run (a head's subtree is read from it, not queried again)."""
    from eoffice.attendance import ledger_store

    found: dict[str, list[Flag]] = {}
    cursor: str | None = None
    while True:
        page, cursor = ledger_store.open_flags("", FLAGS_PAGE, cursor)
        for flag in page:
            found.setdefault(flag.unit_id, []).append(flag)
        if cursor is None:
            return found


def _heads(units: list[Unit]) -> list[tuple[Employee, list[Unit]]]:
    """Each active head and the units he heads (two Queries a unit)."""
    found: dict[str, tuple[Employee, list[Unit]]] = {}
    for unit in units:
        head = heads.head_of(unit.unit_id, by_role=False)
        if head is not None and head.employee.active:
            found.setdefault(head.employee.nip, (head.employee, []))[1].append(unit)
    return list(found.values())


def _message(day: str, head: Employee, headed: list[Unit], tally: digest_rules.Tally) -> Message:
    name = headed[0].name if len(headed) == 1 else "Unit-unit Anda"
    return Message(
        notification_id=wording.notification_id(f"digest:{day}", head.nip),
        nip=head.nip,
        kind=NoticeKind.digest.value,
        title=wording.TITLES[NoticeKind.digest],
        body=digest_rules.body(tally, name),
        path="/ikhtisar",
    )
