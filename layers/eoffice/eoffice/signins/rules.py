"""Which action an employee's sign-in needs, and how far a job is: pure decisions."""

from __future__ import annotations

from eoffice.signins.models import Action, JobState, SignInReason, SignInState

# A sign-in in these states has no Cognito user (yet): an active employee with an e-mail gets one.
_WITHOUT_USER = frozenset({SignInState.none, SignInState.failed})


def action_for(active: bool, email: str | None, state: SignInState) -> Action | None:
    """What his Cognito user needs now that his record says ``active`` and ``email``:
    - none or failed, active, with an e-mail: create (the invitation goes to that address);
    - created and no longer active: disable; disabled and active again: enable;
    - pending: nothing (the creation still queued reads ``active`` when it runs);
    - otherwise nothing (no e-mail: no invitation, so no sign-in)."""
    if state in _WITHOUT_USER:
        return Action.create if active and email else None
    if state is SignInState.created and not active:
        return Action.disable
    if state is SignInState.disabled and active:
        return Action.enable
    return None


def reason_for_none(email: str | None) -> SignInReason | None:
    """Why an employee has no sign-in though he was recorded: no e-mail to invite him at."""
    return None if email else SignInReason.no_email


def job_state(pending: int, failed: int) -> JobState:
    if pending > 0:
        return JobState.in_progress
    return JobState.completed_with_failures if failed else JobState.completed
