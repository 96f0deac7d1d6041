"""Who may see and act on whose attendance: the one place of these rules (it reads the caller's
head positions, so a service, not a ``*_rules`` module).

- An employee sees his own days, check-ins, selfies, leave and flags.
- hr (BKPSDM) sees everyone's days, leave, flags, selfies and pay (the TPP explanation).
- A system administrator (``admin``) is an operator, not a superior: by least privilege (UU
  27/2022, attendance and selfies are personal data) he sees nobody's days, leave, flags,
  selfies or pay for being admin, only as the employee himself, his head or hr. Answers to him
  are those anyone else who may not see gets (403 with the same codes).
- Nobody reviews his own flags, corrects his own days or approves his own phone.
- A phone is approved, or released, by the employee's heads and by admins; a day is corrected by
  his heads (this month and last month only) and by admins (ADR 0028).
- A head sees the employees of the units he heads (holder of the head position, or Plt/Plh of it
  today) and of every unit below them.
- Leave is decided by the employee's superior (the head of his unit; for the head himself, the
  head of the unit above), in person or through his Plt/Plh.
"""

from __future__ import annotations

from dataclasses import dataclass

from eoffice.auth import Principal
from eoffice.errors import Forbidden, NotFound
from eoffice.org import hierarchy, store
from eoffice.org.models import Employee, Role, Unit

OVERSEERS = (Role.hr,)  # who oversees everyone; not admin: see the module's docstring


@dataclass(frozen=True)
class Oversight:
    """The units whose people a caller oversees; ``everyone`` for hr."""

    everyone: bool
    units: frozenset[str]

    def covers(self, unit_id: str) -> bool:
        return self.everyone or unit_id in self.units


def headed_units(principal: Principal) -> set[str]:
    """Units the caller heads today: his own head position, and the posts he acts in."""
    units = {acting.unit_id for acting in principal.acting}
    position_id = principal.employee.position_id
    if position_id:
        position = store.get_position(position_id)
        if position is not None and position.is_head:
            units.add(position.unit_id)
    return units


def oversight(principal: Principal, units: list[Unit] | None = None) -> Oversight:
    """What the caller oversees (a GetItem, and one Query of the units for a head)."""
    if principal.has_any(*OVERSEERS):
        return Oversight(everyone=True, units=frozenset())
    return _as_head(principal, units)


def headed_oversight(principal: Principal) -> Oversight:
    """The units he oversees as a head (hr's oversight of everyone left out): who approves a
    phone or corrects a day (ADR 0028)."""
    return _as_head(principal)


def _as_head(principal: Principal, units: list[Unit] | None = None) -> Oversight:
    """The units he heads today and every unit below them."""
    headed = headed_units(principal)
    if not headed:
        return Oversight(everyone=False, units=frozenset())
    every_unit = units if units is not None else store.list_units()
    covered = set(headed)
    for unit_id in headed:
        covered |= hierarchy.descendants(unit_id, every_unit)
    return Oversight(everyone=False, units=frozenset(covered))


def may_see(principal: Principal, nip: str, unit_id: str) -> bool:
    if nip == principal.nip:
        return True
    return oversight(principal).covers(unit_id)


def require_see(principal: Principal, nip: str, unit_id: str) -> None:
    """Refuse with 403 unless the caller may see this employee's attendance."""
    if not may_see(principal, nip, unit_id):
        raise Forbidden(
            "only the employee, his head and hr may see this attendance", code="not_your_staff"
        )


def require_overseer_of(principal: Principal, unit_id: str) -> Oversight:
    """Refuse with 403 unless the caller is hr or a head over ``unit_id``."""
    seen = oversight(principal)
    if not seen.covers(unit_id):
        raise Forbidden("only hr and the unit's heads may see this", code="not_your_unit")
    return seen


def require_see_selfie(principal: Principal, nip: str, unit_id: str) -> None:
    """Selfies (biometric data): the employee, his heads and hr."""
    require_see_private(principal, nip, unit_id, "this selfie")


def require_see_private(principal: Principal, nip: str, unit_id: str, what: str) -> None:
    """Personal data beyond the days (selfies, pay): the employee, his heads and hr, like the
    days."""
    if not may_see(principal, nip, unit_id):
        raise Forbidden(f"only the employee, his head and hr may see {what}", code="not_your_staff")


def require_not_own(principal: Principal, nip: str) -> None:
    """Refuse with 403 when the caller would decide on his own attendance."""
    if nip == principal.nip:
        raise Forbidden("nobody decides on his own attendance", code="own_attendance")


def employee_or_404(nip: str) -> Employee:
    employee = store.get_employee(nip)
    if employee is None:
        raise NotFound(f"no employee has NIP {nip}", code="employee_not_found")
    return employee
