"""The sign-ins function's work: one message, one employee's Cognito user.

Idempotent and safe under repeats: a creation acts only while his state is ``pending`` (read
strongly first), treats a user that exists as made, and records the outcome with a transaction
conditional on ``pending`` that also counts it on the import's job; a second delivery, even at
the same time on another instance, finds the state moved and counts nothing. A failure for now
(throttling, Cognito's 5xx) raises, so the queue delivers the message again; at the last
attempt it is recorded as failed with Cognito's words instead (ADR 0025).
"""

from __future__ import annotations

from dataclasses import dataclass

from eoffice.org import store as org_store
from eoffice.signins import store
from eoffice.signins import user_pool_store as cognito
from eoffice.signins.models import Action, SignInMessage, SignInReason, SignInState


@dataclass(frozen=True)
class Result:
    """What one message did: ``called_cognito`` says whether pacing must count it."""

    outcome: str
    called_cognito: bool


_SKIPPED = Result("skipped", False)


def handle(message: SignInMessage, *, attempt: int, max_attempts: int) -> Result:
    if message.action is Action.create:
        return _create(message, last=attempt >= max_attempts)
    return _switch(message)


def _create(message: SignInMessage, *, last: bool) -> Result:
    status = store.status(message.nip)
    if status is None or status.state is not SignInState.pending:
        return _SKIPPED  # settled by an earlier delivery, or never asked for
    employee = org_store.get_employee(message.nip)
    email = (employee.email if employee else None) or message.email
    if employee is None or not email:
        store.settle(
            message.nip, message.username, job_id=status.job_id, state=SignInState.failed,
            counter="failed", reason=SignInReason.refused, message="no employee or no e-mail",
        )  # fmt: skip
        return Result("failed", False)
    try:
        outcome = cognito.create_user(employee.username, email)
        state = SignInState.created
        if not employee.active:  # deactivated while his creation waited
            cognito.disable_user(employee.username)
            state = SignInState.disabled
    except cognito.Retry as error:
        if not last:
            raise
        _failed(message, status.job_id, SignInReason.gave_up, str(error))
        return Result("gave_up", True)
    except cognito.Refused as error:
        _failed(message, status.job_id, SignInReason.refused, error.message)
        return Result("refused", True)
    counter = "already_existed" if outcome is cognito.Outcome.existed else "created"
    counted = store.settle(
        message.nip, message.username, job_id=status.job_id, state=state, counter=counter
    )
    return Result(counter if counted else "repeated", True)


def _failed(message: SignInMessage, job_id: str | None, reason: SignInReason, text: str) -> None:
    store.settle(
        message.nip,
        message.username,
        job_id=job_id,
        state=SignInState.failed,
        counter="failed",
        reason=reason,
        message=text[:500],
    )


def _switch(message: SignInMessage) -> Result:
    """Disable or enable his user to match his record as it is now (messages may come out of
    order: the record, not the message, says which)."""
    employee = org_store.get_employee(message.nip)
    status = store.status(message.nip)
    if employee is None or status is None or status.state not in _SWITCHABLE:
        return _SKIPPED
    if employee.active:
        outcome, state = cognito.enable_user(employee.username), SignInState.created
    else:
        outcome, state = cognito.disable_user(employee.username), SignInState.disabled
    if outcome is cognito.Outcome.not_found:
        store.set_state(
            message.nip, SignInState.none, only_from=list(_SWITCHABLE),
            reason=SignInReason.not_found,
        )  # fmt: skip
        return Result("not_found", True)
    store.set_state(message.nip, state, only_from=list(_SWITCHABLE))
    return Result(state.value, True)


_SWITCHABLE = (SignInState.created, SignInState.disabled)
