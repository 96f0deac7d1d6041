"""Whom a Plt/Plh acts for: the one rule behind every "on behalf of" (a disposition in the absent
head's name, his inbox, the recipients offered for him, a draft he signs for). Pure: the caller's
acting assignments in force today come with his ``Principal``."""

from __future__ import annotations

from eoffice.auth import Principal
from eoffice.errors import Forbidden
from eoffice.org.models import ActingAssignment, Employee


def acting_for_official(principal: Principal, official: Employee) -> ActingAssignment:
    """The caller's acting assignment in ``official``'s post today; 403 when he has none."""
    acting = principal.acting_in(official.position_id)
    if acting is None:
        raise Forbidden("you do not act for this official today", code="not_acting_for")
    return acting
