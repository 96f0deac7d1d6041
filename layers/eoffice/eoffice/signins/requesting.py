"""What the API asks of sign-ins: record and queue the Cognito work an employee's change needs,
count an import's creations in a job, and show where each sign-in stands.

The API never calls Cognito: an import of 5,000 would outlast its 29 seconds and Cognito's
quotas. It records ``pending`` (or why there is none) and queues; the sign-ins function does
the rest at a paced rate (ADR 0025).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import timedelta

from eoffice import clock
from eoffice.auth import Principal, require_role
from eoffice.errors import NotFound
from eoffice.org.models import Employee, Role
from eoffice.signins import queue_store, rules, store
from eoffice.signins.models import (
    Action,
    SignInJob,
    SignInJobDetail,
    SignInMessage,
    SignInsQueued,
    SignInState,
    SignInStatus,
)

RECENT_JOBS = 20
STALE_PENDING = timedelta(hours=1)
"""A creation pending this long was queued by an import that died before queueing it, or its
message is in the dead-letter queue: importing the file again queues it once more (a message
delivered twice counts once)."""

_NONE = SignInStatus()


def statuses(employees: Sequence[Employee]) -> dict[str, SignInStatus]:
    """Each employee's sign-in (one BatchGet per 100): recorded, or ``none`` with the reason."""
    found = store.statuses(employee.nip for employee in employees)
    return {
        employee.nip: found.get(employee.nip)
        or SignInStatus(reason=rules.reason_for_none(employee.email))
        for employee in employees
    }


def _message(action: Action, employee: Employee, job_id: str | None = None) -> SignInMessage:
    return SignInMessage(
        action=action,
        nip=employee.nip,
        username=employee.username,
        email=employee.email,
        job_id=job_id,
    )


def after_save(employee: Employee) -> SignInStatus:
    """After a create or a change by an administrator: queue what his sign-in needs (no job)."""
    current = store.status(employee.nip) or _NONE
    planned = _plan([employee], {employee.nip: current}, job_id=None)
    _apply(planned)
    return planned.states.get(employee.nip, current)


class _Planned:
    def __init__(self) -> None:
        self.messages: list[SignInMessage] = []
        self.states: dict[str, SignInStatus] = {}
        self.creations = 0


def _plan(
    employees: Sequence[Employee], current: dict[str, SignInStatus], job_id: str | None
) -> _Planned:
    planned = _Planned()
    now = clock.utcnow()
    for employee in employees:
        status = current.get(employee.nip) or _NONE
        action = rules.action_for(employee.active, employee.email, status.state)
        if action is Action.create:
            planned.creations += 1
            planned.messages.append(_message(action, employee, job_id))
            planned.states[employee.nip] = SignInStatus(
                state=SignInState.pending, job_id=job_id, updated_at=now
            )
        elif action is not None:
            planned.messages.append(_message(action, employee))
        elif status.state is SignInState.pending and _stale(status):
            planned.messages.append(_message(Action.create, employee, status.job_id))
        elif status.state is SignInState.none:
            reason = rules.reason_for_none(employee.email)
            if reason != status.reason:
                planned.states[employee.nip] = SignInStatus(reason=reason, updated_at=now)
    return planned


def _stale(status: SignInStatus) -> bool:
    return status.updated_at is not None and clock.utcnow() - status.updated_at > STALE_PENDING


def _apply(planned: _Planned) -> None:
    """States first, then the messages: a message always finds its employee ``pending``."""
    if planned.states:
        store.record(planned.states)
    if planned.messages:
        queue_store.enqueue(planned.messages)


def for_import(
    principal: Principal, employees: Sequence[Employee], *, dry_run: bool
) -> SignInsQueued:
    """The sign-ins an import needs: a job counting the creations, their states pending, and
    the messages queued; on a dry run only how many it would queue."""
    current = store.statuses(employee.nip for employee in employees)
    job_id = uuid.uuid4().hex
    planned = _plan(employees, current, job_id)
    if dry_run:
        return SignInsQueued(job_id=None, queued=planned.creations)
    if not planned.creations:
        job_id = ""
    else:
        store.create_job(job_id, principal.nip, planned.creations)
    _apply(planned)
    return SignInsQueued(job_id=job_id or None, queued=planned.creations)


def recent_jobs(principal: Principal) -> list[SignInJob]:
    require_role(principal, Role.admin)
    return store.recent_jobs(RECENT_JOBS)


def job(principal: Principal, job_id: str) -> SignInJobDetail:
    require_role(principal, Role.admin)
    found = store.job(job_id) if _plausible(job_id) else None
    if found is None:
        raise NotFound(f"no sign-in job {job_id}", code="sign_in_job_not_found")
    return found


def _plausible(job_id: str) -> bool:
    return 0 < len(job_id) <= 64 and job_id.isalnum()
