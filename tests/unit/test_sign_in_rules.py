"""Which action an employee's sign-in needs, and a job's state: every case of the rules."""

from __future__ import annotations

import pytest
from eoffice.signins.models import Action, JobState, SignInReason, SignInState
from eoffice.signins.rules import action_for, job_state, reason_for_none

MAIL = "a@luwutimurkab.go.id"


@pytest.mark.parametrize(
    ("active", "email", "state", "action"),
    [
        (True, MAIL, SignInState.none, Action.create),
        (True, MAIL, SignInState.failed, Action.create),  # tried again
        (True, None, SignInState.none, None),  # no e-mail: no invitation, no sign-in
        (False, MAIL, SignInState.none, None),  # an inactive employee gets none
        (True, MAIL, SignInState.pending, None),  # already queued
        (False, MAIL, SignInState.pending, None),  # the creation reads `active` when it runs
        (True, MAIL, SignInState.created, None),
        (False, MAIL, SignInState.created, Action.disable),
        (False, None, SignInState.created, Action.disable),  # e-mail removed: still disabled
        (True, MAIL, SignInState.disabled, Action.enable),
        (False, MAIL, SignInState.disabled, None),
    ],
)
def test_action_for(active: bool, email: str | None, state: SignInState, action: Action) -> None:
    assert action_for(active, email, state) is action


def test_reason_for_none() -> None:
    assert reason_for_none(None) is SignInReason.no_email
    assert reason_for_none(MAIL) is None


def test_job_state() -> None:
    assert job_state(pending=3, failed=1) is JobState.in_progress
    assert job_state(pending=0, failed=0) is JobState.completed
    assert job_state(pending=0, failed=2) is JobState.completed_with_failures
