"""Whom a person may dispose to, for a client to offer as choices: the units within his reach
(their heads: a recipient by ``unit_id``) and the people of the unit he disposes within (by NIP).
The same rule as ``dispose_rules.check_recipients``; for a letter, the sender and that unit are
what ``dispose_rules.actor`` decides when he disposes it (a Plt/Plh of a vacant post acts within the
letter's unit); the API still checks every disposition."""

from __future__ import annotations

from eoffice.auth import Principal
from eoffice.dispositions import dispose_rules, disposing, store
from eoffice.dispositions.models import ReachableUnit, Recipients, UnitColleague
from eoffice.org import store as org_store
from eoffice.org.acting import stands_in_for
from eoffice.org.hierarchy import descendants


def recipients(
    principal: Principal,
    on_behalf_of: str | None = None,
    letter_id: str | None = None,
    parent_assignment_id: str | None = None,
) -> Recipients:
    """As himself, or (as Plt/Plh) as the absent head; for ``letter_id``, exactly as disposing
    it (or forwarding ``parent_assignment_id`` of it) would check: one Scan of the units, one
    Query of the unit's employees, one of its positions (and the letter and its tree)."""
    if letter_id:
        tree = disposing.Tree(letter_id)
        letter = disposing.letter_for_disposal(principal, letter_id, tree)
        actor, _ = disposing.actor(principal, letter, tree, on_behalf_of, parent_assignment_id)
        sender, scope = actor.sender, actor.scope_unit_id
    else:
        nip = stands_in_for(principal, on_behalf_of)
        found = principal.employee if nip == principal.nip else org_store.get_employee(nip)
        assert found is not None  # stands_in_for found him
        sender, scope = found, found.unit_id
    units = [u for u in org_store.list_units() if u.active]
    anyone = dispose_rules.reaches_anyone(sender, store.get_settings())
    below = descendants(scope, units)
    reachable = [
        ReachableUnit(unit_id=u.unit_id, name=u.name, kind=u.kind, parent_id=u.parent_id)
        for u in units
        if u.unit_id != scope and (anyone or u.unit_id in below)
    ]
    positions = {p.position_id: p.name for p in org_store.list_positions(scope)}
    people = [
        UnitColleague(
            nip=e.nip,
            name=e.name,
            unit_id=e.unit_id,
            position_name=positions.get(e.position_id or ""),
        )
        for e in org_store.unit_employees(scope)
        if e.active and e.nip not in {sender.nip, principal.nip}
    ]
    return Recipients(
        sender_nip=sender.nip,
        units=sorted(reachable, key=lambda u: u.name),
        people=sorted(people, key=lambda p: p.name),
    )
