"""The principal behind a request's JWT claims: the employee its username names, with his Plt/Plh
assignments in force (one read of the organisation table). Kept apart from ``eoffice.auth``,
whose ``Principal`` and role checks are pure, so rule modules can take a principal without
reaching a store."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from eoffice import clock
from eoffice.auth import Principal
from eoffice.errors import Unauthenticated
from eoffice.org import store

# Cognito puts the username in ``cognito:username`` (ID tokens) or ``username`` (access tokens).
_USERNAME_CLAIMS = ("cognito:username", "username")


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
