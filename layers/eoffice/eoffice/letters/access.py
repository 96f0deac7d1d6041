"""Who may see and handle a letter: the one place these rules live.

- The records clerk (tu) and the head of the receiving unit handle its letters (register,
  correct, see). An acting head (Plt/Plh in force) counts as the head.
- Anyone a letter was disposed to may see it.
- A rahasia or sangat_rahasia letter is seen only by its addressee, the clerk who registered it
  and those it was disposed to.
- Everyone else is told the letter does not exist (404), so that its existence does not leak.
"""

from __future__ import annotations

from eoffice.auth import Principal
from eoffice.errors import Forbidden, NotFound
from eoffice.letters.models import Letter
from eoffice.org.models import Role

HANDLERS = (Role.tu, Role.head, Role.bupati)


def handles_unit(principal: Principal, unit_id: str) -> bool:
    """The caller is the unit's records clerk or head, or acts as its head today."""
    if principal.unit_id == unit_id and principal.has_any(*HANDLERS):
        return True
    return any(acting.unit_id == unit_id for acting in principal.acting)


def can_see(principal: Principal, letter: Letter) -> bool:
    if principal.nip in letter.disposed_to:
        return True
    if letter.sifat.secret:
        return principal.nip in {letter.addressee_nip, letter.registered_by}
    return handles_unit(principal, letter.unit_id)


def require_visible(principal: Principal, letter: Letter | None, letter_id: str) -> Letter:
    if letter is None or not can_see(principal, letter):
        raise NotFound(f"letter {letter_id} does not exist", code="letter_not_found")
    return letter


def require_handler(principal: Principal, unit_id: str) -> None:
    if not handles_unit(principal, unit_id):
        raise Forbidden(
            "only the unit's records clerk or head handles its letters", code="not_unit_handler"
        )
