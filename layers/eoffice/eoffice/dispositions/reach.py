"""Whom a person may dispose to, for a client to offer as choices: the units within his reach
(their heads: a recipient by ``unit_id``) and the people of his own unit (by NIP). The same rule
as ``policy.check_recipients``; the API still checks every disposition."""

from __future__ import annotations

from eoffice.auth import Principal, stands_in_for
from eoffice.dispositions import store
from eoffice.dispositions.models import ReachableUnit, Recipients, UnitColleague
from eoffice.org import store as org_store
from eoffice.org.hierarchy import descendants


def recipients(principal: Principal, on_behalf_of: str | None = None) -> Recipients:
    """As himself, or (as Plt/Plh) as the absent head: one Scan of the units, one Query of the
    unit's employees, one of its positions."""
    nip = stands_in_for(principal, on_behalf_of)
    sender = principal.employee if nip == principal.nip else org_store.get_employee(nip)
    assert sender is not None  # stands_in_for found him
    units = [u for u in org_store.list_units() if u.active]
    anyone = bool(set(sender.roles) & set(store.get_settings().dispose_to_anyone))
    below = descendants(sender.unit_id, units)
    reachable = [
        ReachableUnit(unit_id=u.unit_id, name=u.name, kind=u.kind, parent_id=u.parent_id)
        for u in units
        if u.unit_id != sender.unit_id and (anyone or u.unit_id in below)
    ]
    positions = {p.position_id: p.name for p in org_store.list_positions(sender.unit_id)}
    people = [
        UnitColleague(
            nip=e.nip,
            name=e.name,
            unit_id=e.unit_id,
            position_name=positions.get(e.position_id or ""),
        )
        for e in org_store.unit_employees(sender.unit_id)
        if e.active and e.nip not in {sender.nip, principal.nip}
    ]
    return Recipients(
        sender_nip=sender.nip,
        units=sorted(reachable, key=lambda u: u.name),
        people=sorted(people, key=lambda p: p.name),
    )
