"""Sign-ins in the organisation's table (``ORG_TABLE``): each employee's sign-in state beside
his record, each import's job with its counters and failures.

- ``EMP#{nip}`` / ``SIGNIN``: his state (an item of its own, so that an administrator's edit of
  the employee, which puts his whole record, never writes over what the function recorded);
- ``SIGNINJOB#{id}`` / ``JOB``: the job's counters, on ``gsi1`` under ``SIGNINJOBS`` by time;
- ``SIGNINJOB#{id}`` / ``FAIL#{nip}``: one failed employee with Cognito's words.

The function settles a sign-in with one transaction: the state moves from ``pending`` (the
condition) and the job's counter is ADDed. A message delivered twice, also at once by two
instances, finds the state moved and counts nothing (ADR 0025).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from eoffice import clock
from eoffice.dynamo import connection, get_or_none, is_conditional_failure
from eoffice.org.store import OrgItem
from eoffice.signins.models import (
    SignInFailure,
    SignInJob,
    SignInJobDetail,
    SignInReason,
    SignInState,
    SignInStatus,
)
from eoffice.signins.rules import job_state

_BATCH_GET = 100
_JOBS = "SIGNINJOBS"
COUNTERS = ("created", "already_existed", "failed")


class SignInItem(OrgItem, discriminator="signin"):
    state = UnicodeAttribute()
    reason = UnicodeAttribute(null=True)
    message = UnicodeAttribute(null=True)
    job_id = UnicodeAttribute(null=True)
    updated_at = UTCDateTimeAttribute()


class SignInJobItem(OrgItem, discriminator="signinjob"):
    job_id = UnicodeAttribute()
    created_by = UnicodeAttribute()
    total = NumberAttribute()
    created = NumberAttribute(default=0)
    already_existed = NumberAttribute(default=0)
    failed = NumberAttribute(default=0)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()


class SignInFailureItem(OrgItem, discriminator="signinfailure"):
    nip = UnicodeAttribute()
    username = UnicodeAttribute()
    reason = UnicodeAttribute()
    message = UnicodeAttribute()
    at = UTCDateTimeAttribute()


def _employee_key(nip: str) -> tuple[str, str]:
    return f"EMP#{nip}", "SIGNIN"


def _job_key(job_id: str) -> tuple[str, str]:
    return f"SIGNINJOB#{job_id}", "JOB"


# ---------------------------------------------------------------- employees' states
def _status(item: SignInItem) -> SignInStatus:
    return SignInStatus(
        state=SignInState(item.state),
        reason=SignInReason(item.reason) if item.reason else None,
        message=item.message,
        job_id=item.job_id,
        updated_at=item.updated_at,
    )


def status(nip: str) -> SignInStatus | None:
    """His sign-in as recorded (strongly consistent: the function decides on it)."""
    item = get_or_none(SignInItem, *_employee_key(nip), consistent=True)
    return _status(item) if isinstance(item, SignInItem) else None


def statuses(nips: Iterable[str]) -> dict[str, SignInStatus]:
    """The recorded sign-ins among ``nips`` (BatchGet, 100 keys a call); absent: never asked."""
    keys = [_employee_key(nip) for nip in dict.fromkeys(nips)]
    found: dict[str, SignInStatus] = {}
    for start in range(0, len(keys), _BATCH_GET):
        for item in OrgItem.batch_get(keys[start : start + _BATCH_GET]):
            if isinstance(item, SignInItem):
                found[item.pk.removeprefix("EMP#")] = _status(item)
    return found


def _sign_in_item(nip: str, status: SignInStatus) -> SignInItem:
    return SignInItem(
        *_employee_key(nip),
        state=status.state.value,
        reason=status.reason.value if status.reason else None,
        message=status.message,
        job_id=status.job_id,
        updated_at=status.updated_at or clock.utcnow(),
    )


def record(states: dict[str, SignInStatus]) -> None:
    """Put each employee's state as the API decided it (pending, none): batch puts."""
    with OrgItem.batch_write() as batch:
        for nip, status in states.items():
            batch.save(_sign_in_item(nip, status))


def settle(
    nip: str,
    username: str,
    *,
    job_id: str | None,
    state: SignInState,
    counter: str | None = None,
    reason: SignInReason | None = None,
    message: str | None = None,
) -> bool:
    """Move his state from ``pending`` (of ``job_id``) to ``state`` and count it on the job, in
    one transaction; False when it had moved already (a repeated delivery: nothing counted)."""
    now = clock.utcnow()
    item = SignInItem(*_employee_key(nip))
    condition = SignInItem.state == SignInState.pending.value
    condition &= SignInItem.job_id == job_id if job_id else SignInItem.job_id.does_not_exist()
    actions: list[Any] = [
        SignInItem.state.set(state.value),
        SignInItem.updated_at.set(now),
        SignInItem.reason.set(reason.value) if reason else SignInItem.reason.remove(),
        SignInItem.message.set(message) if message else SignInItem.message.remove(),
    ]
    try:
        with TransactWrite(connection=connection()) as tx:
            tx.update(item, actions=actions, condition=condition)
            if job_id and counter:
                job = SignInJobItem(*_job_key(job_id))
                tx.update(
                    job,
                    actions=[
                        getattr(SignInJobItem, counter).add(1),
                        SignInJobItem.updated_at.set(now),
                    ],
                    condition=SignInJobItem.pk.exists(),
                )
            if job_id and state is SignInState.failed:
                tx.save(_failure_item(job_id, nip, username, reason, message or "", now))
    except TransactWriteError as error:
        if is_conditional_failure(error):
            return False
        raise
    return True


def set_state(
    nip: str,
    state: SignInState,
    *,
    only_from: Sequence[SignInState],
    reason: SignInReason | None = None,
    message: str | None = None,
) -> bool:
    """Move his state to ``state`` if it is one of ``only_from`` (disable, enable: no job)."""
    item = SignInItem(*_employee_key(nip))
    condition = SignInItem.state.is_in(*[s.value for s in only_from])
    actions: list[Any] = [
        SignInItem.state.set(state.value),
        SignInItem.updated_at.set(clock.utcnow()),
        SignInItem.reason.set(reason.value) if reason else SignInItem.reason.remove(),
        SignInItem.message.set(message) if message else SignInItem.message.remove(),
    ]
    try:
        item.update(actions=actions, condition=condition)
    except Exception as error:
        if is_conditional_failure(error):
            return False
        raise
    return True


# ---------------------------------------------------------------- jobs
def _failure_item(
    job_id: str,
    nip: str,
    username: str,
    reason: SignInReason | None,
    message: str,
    at: datetime,
) -> SignInFailureItem:
    return SignInFailureItem(
        f"SIGNINJOB#{job_id}",
        f"FAIL#{nip}",
        nip=nip,
        username=username,
        reason=(reason or SignInReason.refused).value,
        message=message,
        at=at,
    )


def create_job(job_id: str, created_by: str, total: int) -> SignInJob:
    now = clock.utcnow()
    item = SignInJobItem(
        *_job_key(job_id),
        gsi1pk=_JOBS,
        gsi1sk=f"{now.isoformat()}#{job_id}",
        job_id=job_id,
        created_by=created_by,
        total=total,
        created=0,
        already_existed=0,
        failed=0,
        created_at=now,
        updated_at=now,
    )
    item.save(condition=SignInJobItem.pk.does_not_exist())
    return _job(item)


def _job(item: SignInJobItem) -> SignInJob:
    total, done = int(item.total), [int(getattr(item, name) or 0) for name in COUNTERS]
    pending = max(0, total - sum(done))
    return SignInJob(
        job_id=item.job_id,
        created_at=item.created_at,
        updated_at=item.updated_at,
        created_by=item.created_by,
        total=total,
        created=done[0],
        already_existed=done[1],
        failed=done[2],
        pending=pending,
        state=job_state(pending, done[2]),
    )


def job(job_id: str) -> SignInJobDetail | None:
    """The job and its failures: one Query of its partition (counters read strongly)."""
    found: SignInJob | None = None
    failures: list[SignInFailure] = []
    for item in OrgItem.query(f"SIGNINJOB#{job_id}", consistent_read=True):
        if isinstance(item, SignInJobItem):
            found = _job(item)
        elif isinstance(item, SignInFailureItem):
            failures.append(
                SignInFailure(
                    nip=item.nip,
                    username=item.username,
                    reason=SignInReason(item.reason),
                    message=item.message,
                    at=item.at,
                )
            )
    if found is None:
        return None
    return SignInJobDetail(**found.model_dump(), failures=failures)


def recent_jobs(limit: int) -> list[SignInJob]:
    """The latest jobs, newest first (one Query of ``gsi1``)."""
    result = OrgItem.by_collection.query(_JOBS, scan_index_forward=False, limit=limit)
    return [_job(item) for item in result if isinstance(item, SignInJobItem)]
