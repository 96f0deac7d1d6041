"""The notifications table (``NOTIFICATIONS_TABLE``): one PynamoDB model, every item's key here.

| item | pk / sk | indexes |
| --- | --- | --- |
| notice | ``NOTE#{notification_id}`` / ``NOTE``: body (what he sees, with each channel's delivery) | gsi1 ``EMP#{nip}`` / ``{created_at}#{id}`` (his list); gsi2 ``FAILED`` / ``{at}#{id}`` once a channel gave up |
| push subscription | ``EMP#{nip}`` / ``PUSH#{endpoint hash}``: body | |
| preferences | ``EMP#{nip}`` / ``PREFS``: body | |
| digest sent | ``DIGEST#{date}`` / ``{nip}`` | |

A notice is written once per (event, person) before anything is sent (a conditional put), so a
resent event finds it and only retries the channels that failed; its ``rev`` guards the updates,
and ``claimed_until`` (epoch seconds, beside the body) says a delivery is sending its channels
until then (``notifying``), so two deliveries of one message at once never send a channel twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import NamedTuple

from pynamodb.attributes import NumberAttribute

from eoffice.dynamo import (
    Row,
    conflicts_as,
    decode_cursor,
    encode_cursor,
    get_or_none,
    gsi,
    table_meta,
)
from eoffice.errors import Conflict
from eoffice.notifications.models import Notification, Preferences, PushDevice

TABLE_ENV = "NOTIFICATIONS_TABLE"
NOTE, PREFS, FAILED = "NOTE", "PREFS", "FAILED"
MAX_SUBSCRIPTIONS = 10  # phones and browsers per person; the oldest goes when an 11th comes


class NotificationRow(Row):
    Meta = table_meta(TABLE_ENV)

    by_person = gsi(1)
    failures = gsi(2)
    claimed_until = NumberAttribute(null=True)  # a notice's: sending until then (epoch s)


class Stored(NamedTuple):
    """A notice as stored: its revision, and until when a delivery holds its channels."""

    note: Notification
    rev: int
    claimed_until: float | None = None


def _note_key(notification_id: str) -> str:
    return f"NOTE#{notification_id}"


def _person_key(nip: str) -> str:
    return f"EMP#{nip}"


def subscription_key(endpoint: str) -> str:
    """The sort key of a subscription: its endpoint's hash (endpoints are long URLs)."""
    return "PUSH#" + hashlib.sha256(endpoint.encode()).hexdigest()[:32]


# ---------------------------------------------------------------- notices
def create_notice(notice: Notification, nip: str, *, claimed_until: float) -> Stored | None:
    """Write a new notice, its channels claimed by the writer; None when it exists already (an
    event delivered again)."""
    row = _notice_row(notice, nip, 1, claimed_until)
    try:
        with conflicts_as("notice exists"):
            row.save(condition=NotificationRow.pk.does_not_exist())
    except Conflict:
        return None
    return Stored(notice, 1, claimed_until)


def notice(notification_id: str, *, consistent: bool = True) -> Stored | None:
    row = get_or_none(NotificationRow, _note_key(notification_id), NOTE, consistent=consistent)
    if row is None or row.body is None:
        return None
    claim = float(row.claimed_until) if row.claimed_until is not None else None
    return Stored(Notification.model_validate_json(row.body), int(row.rev or 0), claim)


def _notice_row(
    notice: Notification, nip: str, rev: int, claimed_until: float | None
) -> NotificationRow:
    return NotificationRow(
        _note_key(notice.notification_id),
        NOTE,
        gsi1pk=_person_key(nip),
        gsi1sk=f"{notice.created_at.isoformat()}#{notice.notification_id}",
        body=notice.model_dump_json(),
        rev=rev,
        claimed_until=claimed_until,
    )


def save_notice(
    notice: Notification, nip: str, rev: int, *, claimed_until: float | None = None
) -> int:
    """Replace a notice at revision ``rev`` (409 when another delivery changed it first); one a
    channel gave up on stays in the failures' index (``given_up_at``). ``claimed_until``: the
    claim the notice keeps (none once a delivery recorded what it sent)."""
    row = _notice_row(notice, nip, rev + 1, claimed_until)
    if notice.given_up_at is not None:
        row.gsi2pk = FAILED
        row.gsi2sk = f"{notice.given_up_at.isoformat()}#{notice.notification_id}"
    with conflicts_as("the notice changed meanwhile"):
        row.save(condition=NotificationRow.rev == rev)
    return rev + 1


def notices_of(nip: str, limit: int, cursor: str | None) -> tuple[list[Notification], str | None]:
    """His notices, newest first (one Query of gsi1)."""
    start = decode_cursor(cursor, _person_key(nip), "")
    result = NotificationRow.by_person.query(
        _person_key(nip), scan_index_forward=False, limit=limit, last_evaluated_key=start
    )
    items = [Notification.model_validate_json(row.body or "{}") for row in result]
    return items, encode_cursor(result.last_evaluated_key)


def failures(limit: int, cursor: str | None) -> tuple[list[Notification], str | None]:
    """Notices on which a channel gave up, newest first (one Query of gsi2)."""
    start = decode_cursor(cursor, FAILED, "", index="gsi2")
    result = NotificationRow.failures.query(
        FAILED, scan_index_forward=False, limit=limit, last_evaluated_key=start
    )
    items = [Notification.model_validate_json(row.body or "{}") for row in result]
    return items, encode_cursor(result.last_evaluated_key)


# ---------------------------------------------------------------- preferences
def preferences(nip: str) -> Preferences | None:
    row = get_or_none(NotificationRow, _person_key(nip), PREFS)
    return Preferences.model_validate_json(row.body) if row and row.body else None


def save_preferences(nip: str, preferences: Preferences) -> None:
    NotificationRow(_person_key(nip), PREFS, body=preferences.model_dump_json()).save()


# ---------------------------------------------------------------- push subscriptions
def subscriptions(nip: str) -> list[PushDevice]:
    """His push subscriptions (one Query of his partition)."""
    rows = NotificationRow.query(_person_key(nip), NotificationRow.sk.startswith("PUSH#"))
    return [PushDevice.model_validate_json(row.body or "{}") for row in rows]


def add_subscription(nip: str, device: PushDevice) -> None:
    """Keep a subscription (the same endpoint again replaces it); beyond the limit the oldest
    goes."""
    NotificationRow(
        _person_key(nip), subscription_key(device.endpoint), body=device.model_dump_json()
    ).save()
    kept = sorted(subscriptions(nip), key=lambda s: s.created_at)
    for old in kept[: max(0, len(kept) - MAX_SUBSCRIPTIONS)]:
        remove_subscription(nip, old.endpoint)


def remove_subscription(nip: str, endpoint: str) -> None:
    NotificationRow(_person_key(nip), subscription_key(endpoint)).delete()


def remove_subscriptions(nip: str, endpoints: Iterable[str]) -> None:
    for endpoint in endpoints:
        remove_subscription(nip, endpoint)
