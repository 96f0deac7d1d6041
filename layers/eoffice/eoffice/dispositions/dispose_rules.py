"""Who may dispose a letter or act on an assignment, in whose name and capacity, and to whom:
the one place these rules live, free of AWS (the service ``disposing`` reads what they need).

- A letter is disposed by the head or records clerk of its unit (or the head's Plt/Plh), or by
  the recipient of an open assignment of it, which he then forwards (``actor``).
- In someone else's name only as his Plt/Plh today (``org.acting_rules``).
- By default to the sender's unit and the units below it; the roles the settings name (the
  bupati, the sekda) dispose to anyone (``check_recipients``, ``reaches_anyone``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from eoffice.auth import Principal
from eoffice.dispositions.models import (
    Assignment,
    AssignmentKind,
    DispositionContent,
    DispositionSettings,
)
from eoffice.errors import Conflict, Forbidden, InvalidInput
from eoffice.letters import access_rules
from eoffice.letters.models import Letter
from eoffice.org import acting_rules
from eoffice.org.hierarchy import descendants
from eoffice.org.models import Capacity, Employee, Unit


@dataclass(frozen=True)
class Actor:
    """Who disposes: ``sender`` in whose name, ``acted_by`` who pressed the button."""

    sender: Employee
    acted_by: str
    capacity: Capacity
    scope_unit_id: str


def acting_for(principal: Principal, assignment: Assignment) -> Capacity | None:
    """The caller's capacity to act on an assignment as its recipient (None: he may not)."""
    return acting_rules.capacity_for(
        principal, assignment.recipient_nip, assignment.recipient_position_id
    )


def acts_on_either_end(principal: Principal, assignment: Assignment) -> bool:
    """The caller is its recipient or sender, in person or as Plt/Plh today."""
    return (
        acting_for(principal, assignment) is not None
        or principal.nip in {assignment.sender_nip, assignment.acted_by_nip}
        or acting_rules.in_post(principal, assignment.sender_position_id) is not None
    )


def require_recipient(principal: Principal, assignment: Assignment) -> Capacity:
    capacity = acting_for(principal, assignment)
    if capacity is None:
        raise Forbidden(
            "only the recipient (or his Plt/Plh) acts on this assignment", code="not_recipient"
        )
    return capacity


def require_sender(principal: Principal, assignment: Assignment) -> Capacity:
    """The sender, whoever sent it in his name, or the sender's Plt/Plh today may cancel."""
    if principal.nip in {assignment.sender_nip, assignment.acted_by_nip}:
        return Capacity.self
    capacity = acting_rules.in_post(principal, assignment.sender_position_id)
    if capacity is not None:
        return capacity
    raise Forbidden("only the sender cancels a disposition", code="not_sender")


# ---------------------------------------------------------------- who disposes
def actor(
    principal: Principal,
    letter: Letter,
    on_behalf_of: Employee | None,
    held: Assignment | None,
    employee: Callable[[str], Employee],
) -> Actor:
    """Who disposes ``letter``, in whose name and capacity, within which unit's reach
    (``Actor.scope_unit_id``): the one rule, which disposing checks the recipients against and
    ``GET /me/recipients?letter_id=`` offers from. ``held``: the open assignment of the letter
    he acts on (``held_assignment``), which disposing forwards. A Plt/Plh of a vacant post gives
    no ``on_behalf_of``: the letter's unit is the unit he acts for."""
    if on_behalf_of is not None:
        acting = acting_rules.acting_for_official(principal, on_behalf_of)
        sender, capacity = on_behalf_of, Capacity.acting(acting.capacity)
    else:
        sender, capacity = principal.employee, Capacity.self
    if held is not None:  # he holds it by disposition: disposing it forwards that assignment
        return forwarder(principal, held, sender.nip if on_behalf_of else None, employee)
    if capacity is Capacity.self:
        handling = access_rules.handling_capacity(principal, letter.unit_id)
        if handling is not None:
            return Actor(sender, principal.nip, handling, letter.unit_id)
    elif access_rules.handles_in_own_right(letter.unit_id, sender.unit_id, sender.roles):
        return Actor(sender, principal.nip, capacity, letter.unit_id)
    raise Forbidden(
        "only the letter's unit head or clerk, or a recipient of it, disposes it",
        code="not_letter_holder",
    )


def forwarder(
    principal: Principal,
    assignment: Assignment,
    on_behalf_of: str | None,
    employee: Callable[[str], Employee],
) -> Actor:
    """Who forwards ``assignment``: its recipient, or his Plt/Plh in his name (``employee``
    reads the recipient then)."""
    capacity = acting_for(principal, assignment)
    if capacity is None or (on_behalf_of and on_behalf_of != assignment.recipient_nip):
        raise Forbidden("only its recipient forwards an assignment", code="not_recipient")
    if assignment.kind is not AssignmentKind.assignment or not assignment.status.open:
        raise Conflict(
            f"the assignment is {assignment.status.value}; it cannot be forwarded",
            code="invalid_transition",
            current=assignment.model_dump(mode="json"),
        )
    sender = principal.employee if capacity is Capacity.self else employee(assignment.recipient_nip)
    # Addressed to a vacant head post, it reached him as its Plt/Plh: he forwards within the
    # unit of that post, not his own.
    post = principal.acting_in(assignment.recipient_position_id)
    scope = post.unit_id if capacity is Capacity.self and post else assignment.recipient_unit_id
    return Actor(sender, principal.nip, capacity, scope)


def held_assignment(
    principal: Principal, assignments: Iterable[Assignment], recipient: str | None
) -> Assignment | None:
    """The latest open assignment of the letter that the caller acts on (his own, or as Plt/Plh
    his head's; only ``recipient``'s when given)."""
    held = [
        a
        for a in assignments
        if a.kind is AssignmentKind.assignment
        and a.status.open
        and acting_for(principal, a) is not None
        and recipient in {None, a.recipient_nip}
    ]
    return max(held, key=lambda a: a.created_at) if held else None


def acts_for_a_holder(principal: Principal, assignments: Iterable[Assignment]) -> bool:
    """A Plt/Plh may dispose a letter he cannot see yet when it is disposed to the head he acts
    for (an open assignment), as he finds it in that head's inbox."""
    return bool(principal.acting) and any(
        a.kind is AssignmentKind.assignment
        and a.status.open
        and acting_rules.in_post(principal, a.recipient_position_id) is not None
        for a in assignments
    )


# ---------------------------------------------------------------- to whom
def reaches_anyone(sender: Employee, settings: DispositionSettings) -> bool:
    """The roles the settings name (the bupati, the sekda) dispose to anyone in the regency."""
    return bool(set(sender.roles) & set(settings.dispose_to_anyone))


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
    if reaches_anyone(actor.sender, settings):
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
