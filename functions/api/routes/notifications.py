"""A person's notices and how he is told: his list, marking one read, his preferences, the
browsers that receive his pushes; the delivery failures for administrators.

Routes parse and answer; the rules are in ``eoffice.notifications`` (``inbox``, ``preferences``),
imported by the route that calls them: the API function's start-up carries only the models.
"""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from eoffice.http.caller import caller
from eoffice.http.openapi import operation
from eoffice.notifications.models import (
    FailurePage,
    Notification,
    NotificationPage,
    Preferences,
    PreferencesUpdate,
    PushDevice,
    PushKey,
    PushSubscriptionIn,
)

router = APIGatewayHttpRouter()
TAGS = ["notifications"]
Cursor = Annotated[str | None, Query(description="From the previous page's next_cursor")]


@router.get(
    "/me/notifications",
    **operation("listMyNotifications", "His notices, newest first", tags=TAGS, errors=(400,)),
)
def list_my_notifications(cursor: Cursor = None) -> NotificationPage:
    from eoffice.notifications import inbox

    return inbox.my_notices(caller(router), cursor)


@router.post(
    "/me/notifications/<notification_id>/read",
    **operation("markNotificationRead", "Mark one of his notices read", tags=TAGS, errors=(404,)),
)
def mark_notification_read(notification_id: Annotated[str, Path()]) -> Notification:
    from eoffice.notifications import inbox

    return inbox.mark_read(caller(router), notification_id)


@router.get(
    "/me/notification-preferences",
    **operation("getNotificationPreferences", "How he is told (or the defaults)", tags=TAGS),
)
def get_notification_preferences() -> Preferences:
    from eoffice.notifications import preferences

    return preferences.of(caller(router).nip)


@router.get(
    "/employees/<nip>/notification-preferences",
    **operation(
        "getEmployeeNotificationPreferences",
        "How an employee is told, his WhatsApp number included (hr, or himself)",
        tags=TAGS,
        errors=(403, 404),
    ),
)
def get_employee_notification_preferences(
    nip: Annotated[str, Path(pattern=r"^\d{18}$", description="His NIP, 18 digits")],
) -> Preferences:
    from eoffice.notifications import preferences

    return preferences.of_employee(caller(router), nip)


@router.put(
    "/me/notification-preferences",
    **operation(
        "updateNotificationPreferences",
        "Change how he is told: channels, urgent only, quiet hours, WhatsApp number",
        tags=TAGS,
    ),
)
def update_notification_preferences(body: PreferencesUpdate) -> Preferences:
    from eoffice.notifications import preferences

    return preferences.update(caller(router), body)


@router.get(
    "/notifications/push-key",
    **operation("getPushKey", "The key the app subscribes to web push with", tags=TAGS),
)
def get_push_key() -> PushKey:
    from eoffice.notifications import inbox

    return inbox.push_key()


@router.post(
    "/me/push-subscriptions",
    **operation(
        "addPushSubscription",
        "Register this browser for web push (the same endpoint again replaces it)",
        tags=TAGS,
        status_code=201,
    ),
)
def add_push_subscription(body: PushSubscriptionIn) -> PushDevice:
    from eoffice.notifications import inbox

    return inbox.subscribe(caller(router), body)


@router.post(
    "/me/push-subscriptions/remove",
    **operation(
        "removePushSubscription", "Stop web push to this browser", tags=TAGS, status_code=204
    ),
)
def remove_push_subscription(body: PushSubscriptionIn) -> Response[None]:
    from eoffice.notifications import inbox

    inbox.unsubscribe(caller(router), body.endpoint)
    return Response(status_code=204)


@router.get(
    "/notifications/failures",
    **operation(
        "listNotificationFailures",
        "Notices a channel gave up on (admin): who, what, through what; never the text",
        tags=TAGS,
        errors=(400, 403),
    ),
)
def list_notification_failures(cursor: Cursor = None) -> FailurePage:
    from eoffice.notifications import inbox

    return inbox.failures(caller(router), cursor)
