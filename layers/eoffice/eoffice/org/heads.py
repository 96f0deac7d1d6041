"""Who heads a unit, and who is someone's superior: what dispositions (a letter "to the head of
unit X", escalation to the sender's superior) and acting officials need."""

from __future__ import annotations

from dataclasses import dataclass

from eoffice import clock
from eoffice.org import store
from eoffice.org.models import ActingAssignment, Employee, Role, Unit


@dataclass(frozen=True)
class Head:
    """The person to address as a unit's head: its holder, or the Plt/Plh when vacant."""

    employee: Employee
    position_id: str | None
    acting: ActingAssignment | None = None


def head_of(unit_id: str, *, by_role: bool = True) -> Head | None:
    """The active holder of the unit's head position (two Queries); when the post is vacant, the
    active official acting in it today; else (``by_role``) an active employee of the unit with
    the head role. A signature names an official by his post, so the TPP report's signer asks
    without ``by_role``: a head role alone does not make a Kepala."""
    head_positions = {p.position_id for p in store.list_positions(unit_id) if p.is_head}
    employees = [e for e in store.unit_employees(unit_id) if e.active]
    for employee in employees:
        if employee.position_id in head_positions:
            return Head(employee, employee.position_id)
    acting = _acting_in(head_positions)
    if acting is not None:
        actor = store.get_employee(acting.actor_nip)
        if actor is not None and actor.active:
            return Head(actor, acting.position_id, acting)
    if not by_role:
        return None
    for employee in employees:
        if Role.head in employee.roles:
            return Head(employee, employee.position_id)
    return None


def _acting_in(position_ids: set[str]) -> ActingAssignment | None:
    if not position_ids:
        return None
    today = clock.today()
    for acting in store.list_acting(today):
        if acting.position_id in position_ids and acting.covers(today):
            return acting
    return None


def superior_of(employee: Employee, units: list[Unit]) -> Employee | None:
    """The head of his unit; for the head himself, the head of the unit above."""
    unit_id: str | None = employee.unit_id
    parents = {unit.unit_id: unit.parent_id for unit in units}
    while unit_id is not None:
        head = head_of(unit_id)
        if head is not None and head.employee.nip != employee.nip:
            return head.employee
        unit_id = parents.get(unit_id)
    return None
