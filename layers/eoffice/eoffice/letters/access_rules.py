"""Who may see and handle a letter: the one place these rules live.

- The records clerk (tu) and the head of the receiving unit handle its letters (register,
  correct, see). An acting head (Plt/Plh in force) counts as the head.
- Anyone a letter was disposed to may see it.
- A rahasia or sangat_rahasia letter is seen only by its addressee, the clerk who registered it
  and those it was disposed to.
- Everyone else is told the letter does not exist (404), so that its existence does not leak.
- A scanner files a cover sheet's scan only into a letter of the unit whose inbox it writes to:
  not into its sub-units' letters, nor its parent's (``inbox_files_into``).
"""

from __future__ import annotations

from collections.abc import Iterable

from eoffice.auth import Principal
from eoffice.errors import Forbidden, NotFound
from eoffice.letters.models import Letter
from eoffice.org.models import Capacity, Role

HANDLERS = (Role.tu, Role.head, Role.bupati)


def handles_in_own_right(unit_id: str, member_of: str | None, roles: Iterable[Role]) -> bool:
    """A member of the unit whose role handles its letters (its clerk, its head, the bupati)."""
    return member_of == unit_id and bool(set(roles) & set(HANDLERS))


def handling_capacity(principal: Principal, unit_id: str) -> Capacity | None:
    """In what capacity the caller handles the unit's letters: in his own right, as the Plt/Plh
    of its head today, or not at all (None)."""
    if handles_in_own_right(unit_id, principal.unit_id, principal.roles):
        return Capacity.self
    for acting in principal.acting:
        if acting.unit_id == unit_id:
            return Capacity.acting(acting.capacity)
    return None


def handles_unit(principal: Principal, unit_id: str) -> bool:
    """The caller is the unit's records clerk or head, or acts as its head today."""
    return handling_capacity(principal, unit_id) is not None


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


def inbox_files_into(inbox_unit_id: str, letter: Letter) -> bool:
    """A scan dropped into ``inbox/{unit_code}/`` whose first page is ``letter``'s cover sheet
    may become that letter's file only when the letter belongs to the inbox's own unit.

    A scanner's credentials write into one unit's prefix, so it acts for that unit's records
    clerk, and reaches what that clerk handles (``handles_unit``: the unit's own letters, not
    those of the bidang below it, nor of the dinas above). Where one TU serves a dinas and its
    bidang, the letters are the dinas's (its agenda numbers them; dispositions carry them down),
    so its scanner files them; a bidang that keeps its own agenda has its own inbox. Sifat makes
    no difference: this is about which unit's records a file may enter, before anyone sees it.
    """
    return letter.unit_id == inbox_unit_id
