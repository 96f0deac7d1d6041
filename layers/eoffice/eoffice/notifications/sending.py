"""Sending one message through one channel to one person: finds his addresses (push
subscriptions, e-mail, WhatsApp number), calls the channel's adapter, and tidies what the
provider says is gone (a push subscription answered 404/410 is removed).

Adapters are imported on first use: a cold start loads only the channels it sends through.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from eoffice import settings
from eoffice.notifications import store
from eoffice.notifications.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    Message,
    Preferences,
    PushDevice,
)
from eoffice.observability import logger
from eoffice.org.models import Employee


@dataclass
class Recipient:
    employee: Employee
    preferences: Preferences

    @cached_property
    def devices(self) -> list[PushDevice]:
        """His push subscriptions: one Query, read once per notice when push is configured."""
        return store.subscriptions(self.employee.nip)


def reachable(recipient: Recipient) -> set[Channel]:
    """The channels that can reach him now: configured for the regency, and an address known."""
    config = settings.get(settings.Notify)
    found = set()
    if config.vapid_secret and recipient.devices:
        found.add(Channel.web_push)
    if config.email_sender and recipient.employee.email:
        found.add(Channel.email)
    if config.whatsapp_secret and recipient.preferences.whatsapp_number:
        found.add(Channel.whatsapp)
    return found


def send(channel: Channel, message: Message, recipient: Recipient) -> Delivery:
    """One channel's delivery; whatever goes wrong inside it (a secret unreadable, a store
    call failing) is that channel's failure, so the others are sent and recorded all the same."""
    try:
        if channel is Channel.web_push:
            return _push(message, recipient)
        if channel is Channel.email:
            return _email(message, recipient.employee.email or "")
        return _whatsapp(message, recipient.preferences.whatsapp_number or "")
    except Exception as error:
        logger.exception("channel failed", channel=channel.value)
        return Delivery(DeliveryStatus.failed, type(error).__name__)


def _push(message: Message, recipient: Recipient) -> Delivery:
    """To every browser he subscribed; sent when one took it, failed when one may later."""
    from eoffice.notifications import vapid_store
    from eoffice.notifications.channels import web_push
    from eoffice.notifications.push_models import PushSubscription

    keys = vapid_store.load(settings.get(settings.Notify).vapid_secret)
    local = settings.get(settings.PushEndpoints).push_allow_local
    results = []
    nip = recipient.employee.nip
    for device in recipient.devices:
        subscription = PushSubscription(device.endpoint, device.p256dh, device.auth, local)
        delivery = web_push.send(subscription, message, keys)
        if delivery.status is DeliveryStatus.gone:
            store.remove_subscription(nip, device.endpoint)
        results.append(delivery)
    return _combined(results)


def _combined(results: list[Delivery]) -> Delivery:
    statuses = {r.status for r in results}
    for status in (DeliveryStatus.sent, DeliveryStatus.failed, DeliveryStatus.rejected):
        if status in statuses:
            return Delivery(status, next(r.detail for r in results if r.status is status))
    return Delivery(DeliveryStatus.gone, "no subscription left")


def _email(message: Message, address: str) -> Delivery:
    from eoffice.notifications.channels import email

    config = settings.get(settings.Notify)
    return email.send(
        address, message, sender=config.email_sender, app_base_url=config.app_base_url
    )


def _whatsapp(message: Message, phone: str) -> Delivery:
    from eoffice.notifications import whatsapp_store
    from eoffice.notifications.channels import whatsapp

    config = whatsapp_store.load(settings.get(settings.Notify).whatsapp_secret)
    if config is None:
        return Delivery(DeliveryStatus.skipped, "whatsapp not configured")
    return whatsapp.send(phone, message, config)
