"""What sign-ins are: an employee's sign-in state, the queue's messages, and an import's job.

An employee's Cognito user (ADR 0025) is made by the sign-ins function from a queue, paced
within Cognito's quotas; the API only records what it asked (``pending``) and queues it. A job
counts one import's creations so the administrator can follow it.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from eoffice.models import OutputModel


class SignInState(StrEnum):
    """Where an employee's Cognito user stands."""

    none = "none"  # no sign-in: never asked for, or no e-mail to invite him at (reason)
    pending = "pending"  # queued for creation
    created = "created"  # the Cognito user exists and is enabled
    disabled = "disabled"  # the Cognito user exists and is disabled (employee inactive)
    failed = "failed"  # Cognito refused it for good (message says why)


class SignInReason(StrEnum):
    """Why a sign-in is ``none`` or ``failed``, for the app to word."""

    no_email = "no_email"  # an employee without an e-mail gets no invitation, so no sign-in
    refused = "refused"  # Cognito refused the request (message: its words)
    gave_up = "gave_up"  # Cognito kept failing for now, past the last attempt
    not_found = "not_found"  # a disable/enable found no Cognito user


class Action(StrEnum):
    create = "create"
    disable = "disable"
    enable = "enable"


class SignInStatus(OutputModel):
    """An employee's sign-in, in his view."""

    state: SignInState = SignInState.none
    reason: SignInReason | None = Field(None, description="Why it is none or failed")
    message: str | None = Field(None, description="Cognito's own words when it refused")
    job_id: str | None = Field(None, description="The import job that asked for it, if any")
    updated_at: datetime | None = None


class SignInMessage(BaseModel):
    """One queue message: one action on one employee's Cognito user. ``job_id`` when an import
    asked for it (its counters move once, when the employee's state moves)."""

    action: Action
    nip: str
    username: str
    email: str | None = None
    job_id: str | None = None


class JobState(StrEnum):
    in_progress = "in_progress"  # some sign-ins still pending
    completed = "completed"  # every sign-in created or already there
    completed_with_failures = "completed_with_failures"  # done, some failed (see failures)


class SignInFailure(OutputModel):
    nip: str
    username: str
    reason: SignInReason
    message: str
    at: datetime


class SignInJob(OutputModel):
    """The sign-ins one import asked for, counted as the function makes them."""

    job_id: str
    created_at: datetime
    updated_at: datetime
    created_by: str = Field(description="NIP of the administrator who imported")
    total: int = Field(description="Sign-ins queued by the import")
    created: int = Field(description="Cognito users made")
    already_existed: int = Field(description="Cognito users that were there already (counted done)")
    failed: int
    pending: int = Field(description="Still queued: total - created - already_existed - failed")
    state: JobState


class SignInJobDetail(SignInJob):
    failures: list[SignInFailure] = Field(
        default_factory=list, description="Each failed employee with Cognito's reason, by NIP"
    )


class SignInsQueued(OutputModel):
    """What an import queued (a dry run: what it would queue, and no job)."""

    job_id: str | None
    queued: int
