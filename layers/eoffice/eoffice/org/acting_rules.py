"""Whom a Plt/Plh acts for: the one rule behind every "on behalf of" (a disposition in the absent
head's name, his inbox, the recipients offered for him, a draft he signs for). Pure: the caller's
acting assignments in force today come with his ``Principal``."""

from __future__ import annotations

from eoffice.auth import Principal
from eoffice.errors import Forbidden
from eoffice.org.models import ActingAssignment, Capacity, Employee


def capacity_for(principal: Principal, nip: str, position_id: str | None) -> Capacity | None:
    """In what capacity the caller acts for the official ``nip`` in ``position_id`` today:
    himself, or Plt/Plh when he acts in the post; None when neither. The domain's "a.n." rests
    on it: dispositions received or sent, a prepared disposition approved, a paraf or a
    signature in an absent official's turn."""
    if principal.nip == nip:
        return Capacity.self
    return in_post(principal, position_id)


def in_post(principal: Principal, position_id: str | None) -> Capacity | None:
    """Plt/Plh when the caller acts in ``position_id`` today; None otherwise."""
    acting = principal.acting_in(position_id)
    return Capacity.acting(acting.capacity) if acting else None


def acting_for_official(principal: Principal, official: Employee) -> ActingAssignment:
    """The caller's acting assignment in ``official``'s post today; 403 when he has none."""
    acting = principal.acting_in(official.position_id)
    if acting is None:
        raise Forbidden("you do not act for this official today", code="not_acting_for")
    return acting
