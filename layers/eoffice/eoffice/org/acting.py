"""Whose work the caller does, looked up: his own, or the official he stands in for today."""

from __future__ import annotations

from eoffice.auth import Principal
from eoffice.errors import InvalidInput
from eoffice.org import acting_rules, store


def stands_in_for(principal: Principal, nip: str | None) -> str:
    """Whose work the caller does: his own, or (as Plt/Plh today) that of the official ``nip``
    (one GetItem); 403 when he does not act for that official."""
    if not nip or nip == principal.nip:
        return principal.nip
    official = store.get_employee(nip)
    if official is None:
        raise InvalidInput(f"no employee has NIP {nip}", code="unknown_employee")
    acting_rules.acting_for_official(principal, official)
    return official.nip
