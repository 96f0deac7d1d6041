"""Acting on assignments: open (the read receipt), start, report done, return, cancel; and a
letter's disposition tree. Each change is optimistic: the loser of a race gets 409 with the
current state."""

from __future__ import annotations

from datetime import datetime

from eoffice import clock, events
from eoffice.auth import Principal
from eoffice.dispositions import (
    assignment_reports,
    dispose_rules,
    disposing,
    status_rules,
    store,
)
from eoffice.dispositions.disposing import EVENTS
from eoffice.dispositions.models import (
    Assignment,
    AssignmentStatus,
    CompleteRequest,
    DispositionNode,
    DispositionTree,
    ReportUpload,
    ReturnRequest,
)
from eoffice.dispositions.store import Versioned
from eoffice.errors import Conflict, NotFound
from eoffice.letters import access_rules
from eoffice.letters import store as letters_store
from eoffice.letters.models import HistoryAction, HistoryEntry
from eoffice.models import Download
from eoffice.org.models import Capacity


# ---------------------------------------------------------------- acting on an assignment
def _visible(principal: Principal, letter_id: str, assignment_id: str) -> Versioned:
    """The assignment, for its recipient or sender (or their Plt/Plh) or anyone who may see the
    letter; 404 for everyone else, as for the letter itself."""
    found = store.get_assignment(letter_id, assignment_id)
    if found is not None and dispose_rules.acts_on_either_end(principal, found[0]):
        return Versioned(*found)
    letter = letters_store.get_letter(letter_id)
    access_rules.require_visible(principal, letter[0] if letter else None, letter_id)
    if found is None:
        raise NotFound(f"assignment {assignment_id} does not exist", code="assignment_not_found")
    return Versioned(*found)


def open_assignment(principal: Principal, letter_id: str, assignment_id: str) -> Assignment:
    """One assignment. The first time its recipient (or his Plt/Plh) opens it, it is read:
    the time is recorded and the sender can see it."""
    record = _visible(principal, letter_id, assignment_id)
    a = record.assignment
    capacity = dispose_rules.acting_for(principal, a)
    if capacity not in {None, Capacity.self}:
        _let_acting_official_read(principal, letter_id)
    if capacity is None or a.status is not AssignmentStatus.sent:
        return a
    now = clock.utcnow()
    read = a.model_copy(
        update={"status": AssignmentStatus.read, "read_at": now, "read_by_nip": principal.nip}
    )
    try:
        _change(record, read, "read", principal, capacity, now)
    except Conflict:  # opened at the same moment elsewhere: that reading stands
        return disposing.record(letter_id, assignment_id).assignment
    return read


def _let_acting_official_read(principal: Principal, letter_id: str) -> None:
    """A Plt/Plh opening his head's assignment needs the letter itself to act on it."""
    found = letters_store.get_letter(letter_id)
    if found is not None and principal.nip not in found[0].disposed_to:
        letters_store.grant_reader(letter_id, principal.nip)


def start(principal: Principal, letter_id: str, assignment_id: str) -> Assignment:
    record = _visible(principal, letter_id, assignment_id)
    capacity = dispose_rules.require_recipient(principal, record.assignment)
    status_rules.require_move(record.assignment, AssignmentStatus.in_progress)
    now = clock.utcnow()
    updated = _by_recipient(
        record.assignment,
        principal,
        now,
        AssignmentStatus.in_progress,
        started_at=now,
        closes=False,
    )
    _change(record, updated, "started", principal, capacity, now)
    return updated


def complete(
    principal: Principal, letter_id: str, assignment_id: str, data: CompleteRequest
) -> Assignment:
    """Report back and close (penyelesaian), optionally with an uploaded file."""
    record = _visible(principal, letter_id, assignment_id)
    capacity = dispose_rules.require_recipient(principal, record.assignment)
    status_rules.require_move(record.assignment, AssignmentStatus.done)
    file = assignment_reports.take(record.assignment, data.file_id) if data.file_id else None
    now = clock.utcnow()
    updated = _by_recipient(
        record.assignment,
        principal,
        now,
        AssignmentStatus.done,
        done_at=now,
        report=data.report,
        report_file=file,
    )
    _change(record, updated, "done", principal, capacity, now, report=data.report)
    return updated


def return_assignment(
    principal: Principal, letter_id: str, assignment_id: str, data: ReturnRequest
) -> Assignment:
    """Send it back to the sender with a reason (wrong addressee, not this unit's matter)."""
    record = _visible(principal, letter_id, assignment_id)
    capacity = dispose_rules.require_recipient(principal, record.assignment)
    status_rules.require_move(record.assignment, AssignmentStatus.returned)
    now = clock.utcnow()
    updated = _by_recipient(
        record.assignment,
        principal,
        now,
        AssignmentStatus.returned,
        returned_at=now,
        return_reason=data.reason,
    )
    _change(record, updated, "returned", principal, capacity, now, reason=data.reason)
    return updated


def _by_recipient(
    assignment: Assignment,
    principal: Principal,
    now: datetime,
    status: AssignmentStatus,
    *,
    closes: bool = True,
    **fields: object,
) -> Assignment:
    """The assignment after its recipient acted: its new ``status`` and ``fields``, and the read
    receipt when he acted before opening it; ``closes`` records him as who closed it."""
    changes: dict[str, object] = {
        "status": status,
        "read_at": assignment.read_at or now,
        "read_by_nip": assignment.read_by_nip or principal.nip,
        **fields,
    }
    if closes:
        changes["closed_by_nip"] = principal.nip
    return assignment.model_copy(update=changes)


def cancel(principal: Principal, letter_id: str, assignment_id: str) -> Assignment:
    """The sender withdraws it, which he may only while it is unread (409 ``already_read``)."""
    record = _visible(principal, letter_id, assignment_id)
    capacity = dispose_rules.require_sender(principal, record.assignment)
    status_rules.require_move(record.assignment, AssignmentStatus.cancelled)
    now = clock.utcnow()
    updated = record.assignment.model_copy(
        update={
            "status": AssignmentStatus.cancelled,
            "cancelled_at": now,
            "closed_by_nip": principal.nip,
        }
    )
    _change(record, updated, "cancelled", principal, capacity, now)
    return updated


_EVENT_TYPES = {
    "read": "AssignmentRead",
    "started": "AssignmentStarted",
    "done": "AssignmentDone",
    "returned": "AssignmentReturned",
    "cancelled": "AssignmentCancelled",
}


def _change(
    record: Versioned,
    updated: Assignment,
    action: str,
    principal: Principal,
    capacity: Capacity,
    now: datetime,
    **extra: object,
) -> None:
    """Write a status change with its history entry (409 if someone changed it first), then
    publish its event."""
    details: dict[str, object] = {
        "assignment_id": updated.assignment_id,
        "recipient_nip": updated.recipient_nip,
        "sender_nip": updated.sender_nip,
        "status": updated.status.value,
        "acted_as": capacity.value,
        **extra,
    }
    entry = HistoryEntry(
        at=now,
        action=HistoryAction(f"assignment_{action}"),
        actor_nip=principal.nip,
        details=details,
    )
    store.update(Versioned(updated, record.rev), entry)
    events.publish(
        EVENTS,
        _EVENT_TYPES[action],
        {
            "letter_id": updated.letter_id,
            "disposition_id": updated.disposition_id,
            "acted_by_nip": principal.nip,
            **details,
        },
    )


def report_upload(principal: Principal, letter_id: str, assignment_id: str) -> ReportUpload:
    record = _visible(principal, letter_id, assignment_id)
    dispose_rules.require_recipient(principal, record.assignment)
    status_rules.require_move(record.assignment, AssignmentStatus.done)
    return assignment_reports.upload_form(record.assignment)


def report_file(principal: Principal, letter_id: str, assignment_id: str) -> Download:
    a = _visible(principal, letter_id, assignment_id).assignment
    if a.report_file is None:
        raise NotFound("this assignment has no report file", code="file_not_found")
    return assignment_reports.download(a, a.report_file)


# ---------------------------------------------------------------- the tree
def tree(principal: Principal, letter_id: str) -> DispositionTree:
    """Every disposition of the letter as a tree, for anyone who may see the letter."""
    found = letters_store.get_letter(letter_id)
    access_rules.require_visible(principal, found[0] if found else None, letter_id)
    assignments = sorted(store.letter_assignments(letter_id), key=lambda a: a.created_at)
    nodes = {a.assignment_id: DispositionNode(assignment=a) for a in assignments}
    roots: list[DispositionNode] = []
    for a in assignments:
        parent = nodes.get(a.parent_assignment_id or "")
        (parent.children if parent else roots).append(nodes[a.assignment_id])
    return DispositionTree(letter_id=letter_id, roots=roots, count=len(assignments))
