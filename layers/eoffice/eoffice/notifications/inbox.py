"""What a person does with his notices in the app: reads his list, marks one read, registers the
browsers that receive his pushes; and what an administrator sees of deliveries that failed (who
and through what, never the text, which may name a letter he may not read)."""

from __future__ import annotations

from eoffice import clock, settings
from eoffice.auth import Principal, require_role
from eoffice.errors import NotFound
from eoffice.notifications import store
from eoffice.notifications.models import (
    DeliveryFailure,
    FailurePage,
    Notification,
    NotificationPage,
    PushDevice,
    PushKey,
    PushSubscriptionIn,
)
from eoffice.org import store as org_store
from eoffice.org.models import Role

PAGE = 30


def my_notices(principal: Principal, cursor: str | None) -> NotificationPage:
    items, next_cursor = store.notices_of(principal.nip, PAGE, cursor)
    unread = sum(1 for n in items if n.read_at is None)
    return NotificationPage(items=items, next_cursor=next_cursor, unread=unread)


def mark_read(principal: Principal, notification_id: str) -> Notification:
    """Mark his notice read (again: no change); 404 for a notice not his."""
    found = store.notice(notification_id)
    if found is None or not _is_his(found.note, principal):
        raise NotFound("no such notification", code="notification_not_found")
    note = found.note
    if note.read_at is not None:
        return note
    updated = note.model_copy(update={"read_at": clock.utcnow()})
    store.save_notice(updated, principal.nip, found.rev, claimed_until=found.claimed_until)
    return updated


def _is_his(note: Notification, principal: Principal) -> bool:
    return note.nip == principal.nip


def push_key() -> PushKey:
    key = settings.get(settings.PushKey).vapid_public_key
    return PushKey(public_key=key or None)


def subscribe(principal: Principal, data: PushSubscriptionIn) -> PushDevice:
    """Keep the browser's subscription (the same endpoint again: replaced, so a resend is
    harmless)."""
    from eoffice.notifications.push_models import PushSubscription

    local = settings.get(settings.PushEndpoints).push_allow_local
    checked = PushSubscription(data.endpoint, data.keys.p256dh, data.keys.auth, local)
    device = PushDevice(
        endpoint=checked.endpoint,
        p256dh=checked.p256dh,
        auth=checked.auth,
        created_at=clock.utcnow(),
    )
    store.add_subscription(principal.nip, device)
    return device


def unsubscribe(principal: Principal, endpoint: str) -> None:
    store.remove_subscription(principal.nip, endpoint)


def failures(principal: Principal, cursor: str | None) -> FailurePage:
    """Notices a channel gave up on, for the administrators: whom (his name, one BatchGetItem),
    what kind and through what; never the text."""
    require_role(principal, Role.admin)
    items, next_cursor = store.failures(PAGE, cursor)
    people = org_store.employees_by_nip(sorted({n.nip for n in items})) if items else {}
    return FailurePage(
        items=[
            DeliveryFailure(
                notification_id=n.notification_id,
                nip=n.nip,
                name=people[n.nip][0].name if n.nip in people else None,
                kind=n.kind,
                created_at=n.created_at,
                deliveries=n.deliveries,
            )
            for n in items
        ],
        next_cursor=next_cursor,
    )
