"""The scheduled deadline watch: remind recipients before a deadline, and when it passes mark the
assignment overdue and escalate to the sender and the sender's superior.

Runs every few minutes and at least once per action: the event goes out first, with a stable
``event_id``, then the assignment records that it was done (conditionally on its revision). A run
that dies between the two sends the event again next time; consumers dedupe on ``event_id``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from eoffice import events
from eoffice.clock import utc_iso
from eoffice.dispositions import store
from eoffice.dispositions.models import Assignment
from eoffice.dispositions.store import Versioned
from eoffice.errors import Conflict
from eoffice.letters.models import HistoryAction, HistoryEntry
from eoffice.observability import logger
from eoffice.org import heads
from eoffice.org import store as org_store
from eoffice.org.models import Unit

EVENTS = "dispositions"


@dataclass
class WatchRun:
    reminded: list[str] = field(default_factory=list)
    escalated: list[str] = field(default_factory=list)
    skipped: int = 0


def run(now: datetime) -> WatchRun:
    result = WatchRun()
    units: list[Unit] | None = None
    for assignment, rev in store.due_for_action(now):
        action = store.next_action(assignment)
        if action is None or action[1] > now:
            result.skipped += 1  # changed since the index was written
            continue
        try:
            # A reminder whose deadline has passed too (the scheduler was late, or the
            # deadline was near) is overtaken: escalate at once.
            if action[0] == "remind" and assignment.deadline and assignment.deadline > now:
                _remind(assignment, rev, now)
                result.reminded.append(assignment.assignment_id)
            else:
                units = units if units is not None else org_store.list_units()
                _escalate(assignment, rev, now, units)
                result.escalated.append(assignment.assignment_id)
        except Conflict:
            result.skipped += 1  # the recipient acted meanwhile; the next run looks again
    logger.info(
        "deadline watch",
        reminded=len(result.reminded),
        escalated=len(result.escalated),
        skipped=result.skipped,
    )
    return result


def _base(assignment: Assignment) -> dict[str, object]:
    return {
        "letter_id": assignment.letter_id,
        "assignment_id": assignment.assignment_id,
        "disposition_id": assignment.disposition_id,
        "recipient_nip": assignment.recipient_nip,
        "sender_nip": assignment.sender_nip,
        "deadline": utc_iso(assignment.deadline) if assignment.deadline else None,
        "subject": assignment.letter.subject,
        "urgensi": assignment.letter.urgensi.value,
    }


def _remind(assignment: Assignment, rev: int, now: datetime) -> None:
    events.publish(
        EVENTS,
        "DeadlineReminder",
        {
            "event_id": f"{assignment.assignment_id}:reminder",
            "notify": [assignment.recipient_nip],
            **_base(assignment),
        },
    )
    store.update(Versioned(assignment.model_copy(update={"reminded_at": now}), rev), None)


def _escalate(assignment: Assignment, rev: int, now: datetime, units: list[Unit]) -> None:
    sender = org_store.get_employee(assignment.sender_nip)
    superior = heads.superior_of(sender, units) if sender else None
    acted = [assignment.acted_by_nip] if assignment.acted_by_nip != assignment.sender_nip else []
    notify = [assignment.sender_nip, *acted, *([superior.nip] if superior else [])]
    base = _base(assignment)
    events.publish(
        EVENTS, "AssignmentOverdue", {"event_id": f"{assignment.assignment_id}:overdue", **base}
    )
    events.publish(
        EVENTS,
        "DeadlineEscalated",
        {
            "event_id": f"{assignment.assignment_id}:escalation",
            "notify": notify,
            "superior_nip": superior.nip if superior else None,
            **base,
        },
    )
    overdue = assignment.model_copy(update={"overdue": True, "overdue_at": now})
    entry = HistoryEntry(
        at=now,
        action=HistoryAction.assignment_overdue,
        actor_nip=None,
        details={
            "assignment_id": assignment.assignment_id,
            "recipient_nip": assignment.recipient_nip,
            "escalated_to": notify,
        },
    )
    store.update(Versioned(overdue, rev), entry)
