"""Who is calling, and the role checks every service applies.

API Gateway's JWT authorizer (locally: the runner's stand-in) has already verified the token's
signature, issuer, audience and expiry; what reaches a handler is its claims, which
``eoffice.callers`` turns into a :class:`Principal`: the employee behind the sign-in, with his
roles and the acting assignments in force. Pure, so rule modules take a Principal without
reaching a store. Services take a Principal and decide; routes never check roles themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from eoffice.errors import Forbidden
from eoffice.org.models import ActingAssignment, Employee, Role


@dataclass(frozen=True)
class Principal:
    employee: Employee
    acting: tuple[ActingAssignment, ...] = field(default=())

    @property
    def nip(self) -> str:
        return self.employee.nip

    @property
    def unit_id(self) -> str:
        return self.employee.unit_id

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(self.employee.roles)

    def has_any(self, *roles: Role) -> bool:
        return not self.roles.isdisjoint(roles)

    def acting_in(self, position_id: str | None) -> ActingAssignment | None:
        """His Plt/Plh assignment in force today for ``position_id`` (None: he has none)."""
        if position_id is None:
            return None
        return next((a for a in self.acting if a.position_id == position_id), None)


def require_role(principal: Principal, *roles: Role) -> None:
    """Refuse with 403 unless the caller holds one of ``roles``."""
    if not principal.has_any(*roles):
        wanted = ", ".join(role.value for role in roles)
        raise Forbidden(f"this needs one of the roles: {wanted}", code="role_required")
