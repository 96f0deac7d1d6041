"""The rules of disposition, in one place and free of AWS: who may dispose a letter, to whom, in
what capacity; which status changes are allowed and to whom; default deadlines."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from eoffice.auth import Principal
from eoffice.calendar.working_time import WorkingCalendar
from eoffice.dispositions.models import (
    Assignment,
    AssignmentKind,
    AssignmentStatus,
    Capacity,
    DispositionContent,
    DispositionSettings,
)
from eoffice.errors import Conflict, Forbidden, InvalidInput
from eoffice.letters.models import Urgensi
from eoffice.org.hierarchy import descendants
from eoffice.org.models import Employee, Unit


@dataclass(frozen=True)
class Actor:
    """Who disposes: ``sender`` in whose name, ``acted_by`` who pressed the button."""

    sender: Employee
    acted_by: str
    capacity: Capacity
    scope_unit_id: str


def capacity_for(principal: Principal, position_id: str | None) -> Capacity | None:
    """The caller's capacity to act for the holder of ``position_id`` today (None: none)."""
    acting = principal.acting_in(position_id)
    return Capacity.acting(acting.capacity) if acting else None


def acting_for(principal: Principal, assignment: Assignment) -> Capacity | None:
    """The caller's capacity to act on an assignment as its recipient (None: he may not)."""
    if principal.nip == assignment.recipient_nip:
        return Capacity.self
    return capacity_for(principal, assignment.recipient_position_id)


def acts_on_either_end(principal: Principal, assignment: Assignment) -> bool:
    """The caller is its recipient or sender, in person or as Plt/Plh today."""
    return (
        acting_for(principal, assignment) is not None
        or principal.nip in {assignment.sender_nip, assignment.acted_by_nip}
        or capacity_for(principal, assignment.sender_position_id) is not None
    )


def require_recipient(principal: Principal, assignment: Assignment) -> Capacity:
    capacity = acting_for(principal, assignment)
    if capacity is None:
        raise Forbidden(
            "only the recipient (or his Plt/Plh) acts on this assignment", code="not_recipient"
        )
    return capacity


# ---------------------------------------------------------------- recipients
def check_recipients(
    actor: Actor,
    recipients: Iterable[Employee],
    units: Callable[[], list[Unit]],
    settings: DispositionSettings,
) -> None:
    """By default a sender disposes to his own unit and the units below it; the roles the
    settings name (the bupati and sekda) dispose to anyone. ``units`` reads the unit tree,
    needed only for recipients outside the sender's own unit."""
    listed = list(recipients)
    for employee in listed:
        if employee.nip in {actor.sender.nip, actor.acted_by}:
            raise InvalidInput("one cannot dispose a letter to oneself", code="recipient_is_sender")
    check_active(listed)
    if set(actor.sender.roles) & set(settings.dispose_to_anyone):
        return
    elsewhere = [employee for employee in listed if employee.unit_id != actor.scope_unit_id]
    if not elsewhere:
        return
    below = descendants(actor.scope_unit_id, units())
    outside = [employee.nip for employee in elsewhere if employee.unit_id not in below]
    if outside:
        raise Forbidden(
            f"outside the sender's unit and the units below it: {', '.join(outside)}",
            code="recipient_out_of_reach",
        )


def check_not_disposed_again(
    sender_nip: str,
    parent_assignment_id: str | None,
    content: DispositionContent,
    recipient_nips: Iterable[str],
    copy_nips: Iterable[str],
    existing: Iterable[Assignment],
) -> None:
    """409 ``already_disposed`` when this sender already sent this very disposition of the
    letter (the same parent, recipients, tembusan, instructions, note, and deadline when one is
    given) and it is still open: a queued disposition that went out meanwhile (from another
    device, or resent after its Idempotency-Key's day) must not give the same work twice. A
    different disposition to the same people, or the same one after they closed it, is new."""
    by_disposition: dict[str, list[Assignment]] = {}
    for a in existing:
        if a.sender_nip == sender_nip and a.parent_assignment_id == parent_assignment_id:
            by_disposition.setdefault(a.disposition_id, []).append(a)
    wanted, copies = set(recipient_nips), set(copy_nips)
    for assignments in by_disposition.values():
        first = assignments[0]
        kinds = {
            kind: {a.recipient_nip for a in assignments if a.kind is kind}
            for kind in AssignmentKind
        }
        same = (
            kinds[AssignmentKind.assignment] == wanted
            and kinds[AssignmentKind.tembusan] == copies
            and first.instructions == content.instructions
            and first.note == content.note
            and (content.deadline is None or first.deadline == content.deadline)
        )
        open_ = [a for a in assignments if a.kind is AssignmentKind.assignment and a.status.open]
        if same and open_:
            raise Conflict(
                f"this disposition was sent already ({first.disposition_id}) and is still open",
                code="already_disposed",
                assignments=[a.model_dump(mode="json") for a in assignments],
            )


def check_active(employees: Iterable[Employee]) -> None:
    for employee in employees:
        if not employee.active:
            raise InvalidInput(
                f"{employee.nip} is not an active employee", code="inactive_recipient"
            )


def check_instructions(codes: Iterable[str], settings: DispositionSettings) -> None:
    known = {instruction.code for instruction in settings.instructions}
    unknown = sorted(set(codes) - known)
    if unknown:
        raise InvalidInput(
            f"not on the instruction checklist: {', '.join(unknown)}", code="unknown_instruction"
        )


# ---------------------------------------------------------------- deadlines
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


# ---------------------------------------------------------------- status changes
_MOVES: dict[AssignmentStatus, frozenset[AssignmentStatus]] = {
    AssignmentStatus.read: frozenset({AssignmentStatus.sent}),
    AssignmentStatus.in_progress: frozenset({AssignmentStatus.sent, AssignmentStatus.read}),
    AssignmentStatus.done: frozenset(
        {AssignmentStatus.sent, AssignmentStatus.read, AssignmentStatus.in_progress}
    ),
    AssignmentStatus.returned: frozenset(
        {AssignmentStatus.sent, AssignmentStatus.read, AssignmentStatus.in_progress}
    ),
    AssignmentStatus.cancelled: frozenset({AssignmentStatus.sent}),
}


def require_move(assignment: Assignment, to: AssignmentStatus) -> None:
    """409 with the current state when the assignment cannot go to ``to`` from where it is."""
    if assignment.kind is AssignmentKind.tembusan and to is not AssignmentStatus.read:
        raise Conflict(
            "a tembusan informs only: it is read, not acted on",
            code="tembusan_not_actionable",
            current=assignment.model_dump(mode="json"),
        )
    if assignment.status not in _MOVES[to]:
        code = "already_read" if to is AssignmentStatus.cancelled else "invalid_transition"
        raise Conflict(
            f"the assignment is {assignment.status.value}; it cannot become {to.value}",
            code=code,
            current=assignment.model_dump(mode="json"),
        )


def require_sender(principal: Principal, assignment: Assignment) -> Capacity:
    """The sender, whoever sent it in his name, or the sender's Plt/Plh today may cancel."""
    if principal.nip in {assignment.sender_nip, assignment.acted_by_nip}:
        return Capacity.self
    capacity = capacity_for(principal, assignment.sender_position_id)
    if capacity is not None:
        return capacity
    raise Forbidden("only the sender cancels a disposition", code="not_sender")
