"""Who is calling, and the role checks every service applies.

API Gateway's JWT authorizer (locally: the runner's stand-in) has already verified the token's
signature, issuer, audience and expiry; what reaches a handler is its claims. Here the claims
become a :class:`Principal`, the employee behind the sign-in, with his roles and the acting
assignments in force. Services take a Principal and decide; routes never check roles themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from eoffice import clock
from eoffice.errors import Forbidden, Unauthenticated
from eoffice.org import store
from eoffice.org.models import ActingAssignment, Employee, Role

# Cognito puts the username in ``cognito:username`` (ID tokens) or ``username`` (access tokens).
_USERNAME_CLAIMS = ("cognito:username", "username")


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


def username_from(claims: Mapping[str, Any]) -> str:
    for name in _USERNAME_CLAIMS:
        value = claims.get(name)
        if isinstance(value, str) and value:
            return value.lower()
    raise Unauthenticated("the token names no user", code="token_without_user")


def principal_from_claims(claims: Mapping[str, Any], today: date | None = None) -> Principal:
    """The signed-in employee (one DynamoDB Query). Unknown or inactive users are refused."""
    day = today or clock.today()
    found = store.caller(username_from(claims), day)
    if found is None:
        raise Unauthenticated("no employee is registered for this sign-in", code="unknown_user")
    employee, acting = found
    if not employee.active:
        raise Unauthenticated("this employee's account is not active", code="inactive_user")
    in_force = tuple(assignment for assignment in acting if assignment.covers(day))
    return Principal(employee=employee, acting=in_force)


def require_role(principal: Principal, *roles: Role) -> None:
    """Refuse with 403 unless the caller holds one of ``roles``."""
    if not principal.has_any(*roles):
        wanted = ", ".join(role.value for role in roles)
        raise Forbidden(f"this needs one of the roles: {wanted}", code="role_required")
