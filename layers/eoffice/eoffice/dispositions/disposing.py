"""Disposing a letter: who disposes it in whose name, to whom, with what deadline; the
assignments are written all or nothing. Who disposes and to whom is decided in
``dispose_rules``, deadlines in ``deadline_rules``; acting on assignments in ``assignments``;
the inbox in ``inbox``."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from eoffice import clock, events
from eoffice.attendance.schedules import regency_working_calendar
from eoffice.auth import Principal
from eoffice.dispositions import deadline_rules, dispose_rules, store
from eoffice.dispositions.dispose_rules import Actor
from eoffice.dispositions.models import (
    Assignment,
    AssignmentKind,
    AssignmentStatus,
    Disposed,
    DisposeRequest,
    DispositionContent,
    DispositionSettings,
    LetterBrief,
    Notice,
    PreparedDisposition,
    Recipient,
)
from eoffice.dispositions.store import Versioned
from eoffice.errors import Conflict, InvalidInput, NotFound
from eoffice.letters import access_rules
from eoffice.letters import store as letters_store
from eoffice.letters.models import HistoryAction, HistoryEntry, Letter, LetterStatus
from eoffice.org import acting_rules, heads
from eoffice.org import store as org_store
from eoffice.org.models import Capacity, Employee

EVENTS = "dispositions"


def new_id() -> str:
    return uuid.uuid4().hex


# ---------------------------------------------------------------- the letter and its holders
class Tree:
    """A letter's assignments with their revisions, read (one Query) on first use and once."""

    def __init__(self, letter_id: str) -> None:
        self.letter_id = letter_id

    @cached_property
    def records(self) -> list[Versioned]:
        return store.letter_records(self.letter_id)

    @property
    def assignments(self) -> list[Assignment]:
        return [r.assignment for r in self.records]

    def versioned(self, assignment: Assignment) -> Versioned:
        """The record (with its revision) of one of the tree's assignments."""
        return next(r for r in self.records if r.assignment is assignment)


def letter_for_disposal(principal: Principal, letter_id: str, tree: Tree | None = None) -> Letter:
    found = letters_store.get_letter(letter_id)
    letter = found[0] if found else None
    if letter is None or not (
        access_rules.can_see(principal, letter)
        or dispose_rules.acts_for_a_holder(principal, (tree or Tree(letter_id)).assignments)
    ):
        raise NotFound(f"letter {letter_id} does not exist", code="letter_not_found")
    if letter.status is not LetterStatus.registered:
        raise Conflict(
            "only a registered letter (metadata and file complete) can be disposed",
            code="letter_not_registered",
        )
    return letter


def brief(letter: Letter) -> LetterBrief:
    return LetterBrief(
        letter_id=letter.letter_id,
        unit_id=letter.unit_id,
        agenda_label=letter.agenda_label,
        subject=letter.subject,
        sender_agency=letter.sender_agency,
        sifat=letter.sifat,
        urgensi=letter.urgensi,
    )


def employee(nip: str) -> Employee:
    found = org_store.get_employee(nip)
    if found is None:
        raise InvalidInput(f"no employee has NIP {nip}", code="unknown_employee")
    return found


def actor(
    principal: Principal,
    letter: Letter,
    tree: Tree,
    on_behalf_of: str | None = None,
    parent_assignment_id: str | None = None,
) -> tuple[Actor, Versioned | None]:
    """Who disposes, in whose name and capacity (``dispose_rules.actor``), and the assignment
    forwarded (if any): what the rule needs is read here (the parent, the official, the tree)."""
    if parent_assignment_id:
        parent = record(letter.letter_id, parent_assignment_id)
        return dispose_rules.forwarder(principal, parent.assignment, on_behalf_of, employee), parent
    official = employee(on_behalf_of) if on_behalf_of else None
    if official is not None:  # refused before the letter's assignments are read
        acting_rules.acting_for_official(principal, official)
    held = dispose_rules.held_assignment(principal, tree.assignments, on_behalf_of)
    who = dispose_rules.actor(principal, letter, official, held, employee)
    return who, (tree.versioned(held) if held is not None else None)


def record(letter_id: str, assignment_id: str) -> Versioned:
    found = store.get_assignment(letter_id, assignment_id)
    if found is None:
        raise NotFound(f"assignment {assignment_id} does not exist", code="assignment_not_found")
    return Versioned(*found)


# ---------------------------------------------------------------- disposing
def dispose(principal: Principal, letter_id: str, data: DisposeRequest) -> Disposed:
    """Send a letter (or forward one's assignment of it) to recipients, all or nothing."""
    tree = Tree(letter_id)
    letter = letter_for_disposal(principal, letter_id, tree)
    who, parent = actor(principal, letter, tree, data.on_behalf_of, data.parent_assignment_id)
    return send(who, letter, data, parent=parent, tree=tree)


def check_content(content: DispositionContent) -> None:
    """What can be checked of a disposition before it is sent (a prepared one): the
    instructions are on the checklist and the recipients exist."""
    dispose_rules.check_instructions(content.instructions, store.get_settings())
    _resolve(content.recipients)
    _resolve(content.tembusan)


@dataclass(frozen=True)
class _Resolved:
    employee: Employee
    position_id: str | None


def _resolve(recipients: list[Recipient]) -> list[_Resolved]:
    """Recipients by NIP (one BatchGet) and unit heads (two Queries a unit), without repeats."""
    by_nip = org_store.employees_by_nip([r.nip for r in recipients if r.nip])
    resolved: dict[str, _Resolved] = {}
    for recipient in recipients:
        if recipient.nip:
            if recipient.nip not in by_nip:
                raise InvalidInput(f"no employee has NIP {recipient.nip}", code="unknown_employee")
            employee = by_nip[recipient.nip][0]
            resolved.setdefault(employee.nip, _Resolved(employee, employee.position_id))
        else:
            head = heads.head_of(recipient.unit_id or "")
            if head is None:
                raise InvalidInput(
                    f"unit {recipient.unit_id} has no head to address", code="unit_without_head"
                )
            resolved.setdefault(head.employee.nip, _Resolved(head.employee, head.position_id))
    return list(resolved.values())


def send(
    actor: Actor,
    letter: Letter,
    content: DispositionContent,
    *,
    parent: Versioned | None = None,
    prepared: tuple[PreparedDisposition, int] | None = None,
    disposition_id: str | None = None,
    tree: Tree | None = None,
) -> Disposed:
    """Check and write one disposition; shared by dispose and approving a prepared one.
    ``tree``: the letter's assignments when the caller read them already."""
    now = clock.utcnow()
    settings = store.get_settings()
    dispose_rules.check_instructions(content.instructions, settings)
    recipients = _resolve(content.recipients)
    dispose_rules.check_recipients(
        actor, [r.employee for r in recipients], org_store.list_units, settings
    )
    taken = {r.employee.nip for r in recipients} | {actor.sender.nip}
    # Copies may go anywhere (often up, to a superior), but only to active employees.
    copies = [r for r in _resolve(content.tembusan) if r.employee.nip not in taken]
    dispose_rules.check_active(r.employee for r in copies)
    dispose_rules.check_not_disposed_again(
        actor.sender.nip,
        parent.assignment.assignment_id if parent else None,
        content,
        (r.employee.nip for r in recipients),
        (r.employee.nip for r in copies),
        (r.assignment for r in (tree or Tree(letter.letter_id)).records),
    )
    parent_deadline = parent.assignment.deadline if parent else None
    computed, unconfigured = (
        _default_deadline(now, letter, settings) if content.deadline is None else (now, [])
    )
    deadline = deadline_rules.deadline_for(now, content.deadline, computed, parent_deadline)
    provisional = deadline == computed and bool(unconfigured)
    disposition_id = disposition_id or new_id()
    common: dict[str, Any] = {
        "disposition_id": disposition_id,
        "letter_id": letter.letter_id,
        "parent_assignment_id": parent.assignment.assignment_id if parent else None,
        "sender_nip": actor.sender.nip,
        "sender_position_id": actor.sender.position_id,
        "acted_by_nip": actor.acted_by,
        "acted_as": actor.capacity,
        "prepared_by_nip": prepared[0].prepared_by_nip if prepared else None,
        "instructions": content.instructions,
        "note": content.note,
        "created_at": now,
        "letter": brief(letter),
    }
    assignments = [
        _new(
            common,
            r,
            AssignmentKind.assignment,
            deadline,
            deadline_rules.reminder_time(now, deadline, settings),
            provisional,
        )
        for r in recipients
    ] + [_new(common, r, AssignmentKind.tembusan, None, None) for r in copies]
    entry = _disposed_entry(now, actor, assignments, deadline, parent, prepared)
    # A Plt/Plh who disposes in a head's place may read the letter from then on, too.
    acting = frozenset({actor.acted_by}) if actor.capacity is not Capacity.self else frozenset()
    store.create(
        assignments,
        entry,
        parent=_forwarded(parent, now, actor.acted_by),
        prepared=prepared,
        also_readers=acting,
    )
    events.publish(
        EVENTS,
        "DispositionForwarded" if parent else "LetterDisposed",
        _event(entry, letter, assignments),
    )
    notices = [calendar_notice(year) for year in unconfigured] if provisional else []
    return Disposed(disposition_id=disposition_id, assignments=assignments, notices=notices)


def _default_deadline(
    now: datetime, letter: Letter, settings: DispositionSettings
) -> tuple[datetime, list[int]]:
    """From the letter's urgensi, in the regency's working time of this year (the next year's
    calendar is read only when the deadline falls into it); and the years it was counted on
    that nobody entered (weekends only: the deadline is provisional)."""
    year = clock.today().year
    calendar = regency_working_calendar(year, year)
    deadline = deadline_rules.default_deadline(now, letter.urgensi, settings, calendar)
    if deadline.astimezone(clock.regency_tz()).year > year:
        calendar = regency_working_calendar(year, year + 1)
        deadline = deadline_rules.default_deadline(now, letter.urgensi, settings, calendar)
    return deadline, calendar.unconfigured_between(now, deadline)


def calendar_notice(year: int) -> Notice:
    return Notice(
        code="calendar_not_configured",
        year=year,
        message=(
            f"Kalender kerja tahun {year} belum diisi: tenggat dihitung tanpa hari libur "
            "nasional dan cuti bersama tahun itu dan bersifat sementara. Periksa tenggatnya "
            "atau minta admin mengisi kalender."
        ),
    )


def _new(
    common: dict[str, Any],
    recipient: _Resolved,
    kind: AssignmentKind,
    deadline: datetime | None,
    remind_at: datetime | None,
    provisional: bool = False,
) -> Assignment:
    return Assignment(
        assignment_id=new_id(),
        kind=kind,
        recipient_nip=recipient.employee.nip,
        recipient_name=recipient.employee.name,
        recipient_unit_id=recipient.employee.unit_id,
        recipient_position_id=recipient.position_id,
        deadline=deadline,
        remind_at=remind_at,
        deadline_provisional=provisional,
        **common,
    )


def _forwarded(parent: Versioned | None, now: datetime, reader: str) -> Versioned | None:
    """Forwarding is acting on it: the forwarded assignment is in progress (and read, by
    ``reader``)."""
    if parent is None:
        return None
    a = parent.assignment
    changes: dict[str, Any] = {"status": AssignmentStatus.in_progress}
    if a.read_at is None:
        changes["read_at"] = now
    if a.read_by_nip is None:
        changes["read_by_nip"] = reader
    if a.started_at is None:
        changes["started_at"] = now
    return Versioned(a.model_copy(update=changes), parent.rev)


def _disposed_entry(
    now: datetime,
    actor: Actor,
    assignments: list[Assignment],
    deadline: datetime,
    parent: Versioned | None,
    prepared: tuple[PreparedDisposition, int] | None,
) -> HistoryEntry:
    first = assignments[0]
    details: dict[str, object] = {
        "disposition_id": first.disposition_id,
        "sender_nip": actor.sender.nip,
        "acted_as": actor.capacity.value,
        "recipients": [a.recipient_nip for a in assignments if a.kind is AssignmentKind.assignment],
        "tembusan": [a.recipient_nip for a in assignments if a.kind is AssignmentKind.tembusan],
        "instructions": first.instructions,
        "deadline": clock.utc_iso(deadline),
    }
    if parent:
        details["parent_assignment_id"] = parent.assignment.assignment_id
    if prepared:
        details["prepared_id"] = prepared[0].prepared_id
        details["prepared_by_nip"] = prepared[0].prepared_by_nip
    action = HistoryAction.forwarded if parent else HistoryAction.disposed
    return HistoryEntry(at=now, action=action, actor_nip=actor.acted_by, details=details)


def _event(entry: HistoryEntry, letter: Letter, assignments: list[Assignment]) -> dict[str, Any]:
    return {
        "letter_id": letter.letter_id,
        "action": entry.action,
        "acted_by_nip": entry.actor_nip,
        **entry.details,
        "assignments": [
            {"assignment_id": a.assignment_id, "recipient_nip": a.recipient_nip, "kind": a.kind}
            for a in assignments
        ],
    }
