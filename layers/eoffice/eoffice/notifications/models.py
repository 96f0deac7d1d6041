"""The channel interface: what one person is told (``Message``) and what became of it
(``Delivery``). A copy of the lead's module as the notification brief gives it; the lead's
version replaces it on merge."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Channel(StrEnum):
    web_push = "web_push"
    email = "email"
    whatsapp = "whatsapp"


@dataclass(frozen=True)
class Message:
    """What one person is told, already worded in Bahasa Indonesia; never holds a selfie, a pay
    figure of another person, or (for a rahasia letter) its subject or sender."""

    notification_id: str  # stable per (event, recipient): also the idempotency key / push tag
    nip: str
    kind: str  # e.g. "disposition_received"
    title: str  # short: "Disposisi baru"
    body: str  # one or two sentences
    path: str  # where the web app opens it, e.g. "/surat/9f3a..."
    urgent: bool = False  # amat segera, escalations


class DeliveryStatus(StrEnum):
    sent = "sent"  # accepted by the provider
    gone = "gone"  # the address/subscription is no longer valid: remove it, do not retry
    failed = "failed"  # temporary (network, 429, 5xx): retry with backoff
    rejected = "rejected"  # permanent for this message (4xx other than gone): do not retry


@dataclass(frozen=True)
class Delivery:
    status: DeliveryStatus
    detail: str = ""  # provider's message id or error code; never personal data
