"""The sign-ins function's work: one message, one action on up to 50 employees' Cognito users.

Idempotent and safe under repeats: a creation acts only while his state is ``pending`` (read
strongly first), treats a user that exists as made, and records the outcome with a transaction
conditional on ``pending`` that also counts it on the import's job; a second delivery, even at
the same time on another instance, finds the state moved and counts nothing. A failure for now
(throttling, Cognito's 5xx) does not stop the others of the message; the message is then
reported failed so the queue delivers it again (the settled ones are skipped), and at the last
attempt the failure is recorded with Cognito's words instead (ADR 0025).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from eoffice.org import store as org_store
from eoffice.signins import store
from eoffice.signins import user_pool_store as cognito
from eoffice.signins.models import (
    Action,
    SignInMessage,
    SignInReason,
    SignInState,
    SignInTarget,
)


@dataclass(frozen=True)
class Result:
    """What one employee's part did: ``called_cognito`` says whether pacing counts it."""

    outcome: str
    called_cognito: bool


class RetryLater(Exception):
    """Some of the message's employees met a failure for now: deliver the message again."""


_SKIPPED = Result("skipped", False)
Pace = Callable[[Result], None]


def handle(message: SignInMessage, *, attempt: int, max_attempts: int, pace: Pace) -> list[Result]:
    """Each target in turn, ``pace`` called after each (it sleeps what the rate asks)."""
    results: list[Result] = []
    retry: list[str] = []
    for target in message.targets:
        try:
            if message.action is Action.create:
                result = _create(target, last=attempt >= max_attempts)
            else:
                result = _switch(target)
        except cognito.Retry as error:
            retry.append(f"{target.nip}: {error}")
            result = Result("retry", True)
        results.append(result)
        pace(result)
    if retry:
        raise RetryLater("; ".join(retry))
    return results


def _create(target: SignInTarget, *, last: bool) -> Result:
    status = store.status(target.nip)
    if status is None or status.state is not SignInState.pending:
        return _SKIPPED  # settled by an earlier delivery, or never asked for
    employee = org_store.get_employee(target.nip)
    email = (employee.email if employee else None) or target.email
    if employee is None or not email:
        _failed(target, status.job_id, SignInReason.refused, "no employee or no e-mail")
        return Result("failed", False)
    try:
        outcome = cognito.create_user(employee.username, email)
        state = _match_active(employee.username, employee.active, outcome)
    except cognito.Retry as error:
        if not last:
            raise
        _failed(target, status.job_id, SignInReason.gave_up, str(error))
        return Result("gave_up", True)
    except cognito.Refused as error:
        _failed(target, status.job_id, SignInReason.refused, error.message)
        return Result("refused", True)
    counter = "already_existed" if outcome is cognito.Outcome.existed else "created"
    counted = store.settle(
        target.nip, target.username, job_id=status.job_id, state=state, counter=counter
    )
    return Result(counter if counted else "repeated", True)


def _match_active(username: str, active: bool, outcome: cognito.Outcome) -> SignInState:
    """His user enabled as his record is active: disabled if he was deactivated while his
    creation waited; a user that existed already (made by hand) and was disabled, enabled."""
    if not active:
        cognito.disable_user(username)
        return SignInState.disabled
    if outcome is cognito.Outcome.existed and cognito.user_enabled(username) is False:
        cognito.enable_user(username)
    return SignInState.created


def _failed(target: SignInTarget, job_id: str | None, reason: SignInReason, text: str) -> None:
    store.settle(
        target.nip,
        target.username,
        job_id=job_id,
        state=SignInState.failed,
        counter="failed",
        reason=reason,
        message=text[:500],
    )


_SWITCHABLE = (SignInState.created, SignInState.disabled)


def _switch(target: SignInTarget) -> Result:
    """Disable or enable his user to match his record as it is now (messages may come out of
    order: the record, not the message, says which)."""
    employee = org_store.get_employee(target.nip)
    status = store.status(target.nip)
    if employee is None or status is None or status.state not in _SWITCHABLE:
        return _SKIPPED
    try:
        if employee.active:
            outcome, state = cognito.enable_user(employee.username), SignInState.created
        else:
            outcome, state = cognito.disable_user(employee.username), SignInState.disabled
    except cognito.Refused as error:
        store.set_state(
            target.nip, status.state, only_from=list(_SWITCHABLE),
            reason=SignInReason.refused, message=error.message[:500],
        )  # fmt: skip
        return Result("refused", True)
    if outcome is cognito.Outcome.not_found:
        store.set_state(
            target.nip, SignInState.none, only_from=list(_SWITCHABLE),
            reason=SignInReason.not_found,
        )  # fmt: skip
        return Result("not_found", True)
    store.set_state(target.nip, state, only_from=list(_SWITCHABLE))
    return Result(state.value, True)
