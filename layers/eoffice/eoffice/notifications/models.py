"""What the notifications domain speaks of: the channels, one message to one person, what a
channel did with it, a person's preferences and the record he sees in the app.

A ``Message`` is already worded (Bahasa Indonesia) and already stripped of what its recipient may
not read (``notice_rules``/``wording``): a channel adapter sends it as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints, field_validator, model_validator

from eoffice.models import InputModel, OutputModel


class Channel(StrEnum):
    web_push = "web_push"
    email = "email"
    whatsapp = "whatsapp"


class NoticeKind(StrEnum):
    """What a person is told of; the value is stable (stored, logged, chosen in the app)."""

    disposition_received = "disposition_received"  # an assignment or a tembusan
    disposition_read = "disposition_read"
    disposition_reported = "disposition_reported"  # started or done, with its report
    disposition_returned = "disposition_returned"
    deadline_reminder = "deadline_reminder"
    deadline_overdue = "deadline_overdue"
    deadline_escalated = "deadline_escalated"
    prepared_for_approval = "prepared_for_approval"
    draft_to_review = "draft_to_review"  # paraf
    draft_to_sign = "draft_to_sign"
    draft_returned = "draft_returned"
    letter_delivered = "letter_delivered"  # a signed letter reached a unit
    file_refused = "file_refused"
    leave_filed = "leave_filed"  # to the approver
    leave_approved = "leave_approved"
    leave_rejected = "leave_rejected"
    tpp_report_published = "tpp_report_published"  # to hr
    tpp_changed = "tpp_changed"  # to an employee, of his own month (never the figure)
    attendance_flagged = "attendance_flagged"  # to his head: flags to review
    device_waiting = "device_waiting"  # to his head and the admins: a new phone to approve
    digest = "digest"


@dataclass(frozen=True)
class Message:
    """What one person is told, already worded in Bahasa Indonesia; never holds a selfie, a pay
    figure of another person, or (for a rahasia letter) its subject or sender."""

    notification_id: str  # stable per (event, recipient): also the idempotency key / push tag
    nip: str
    kind: str  # a NoticeKind value
    title: str  # short: "Disposisi baru"
    body: str  # one or two sentences
    path: str  # where the web app opens it, e.g. "/surat/9f3a..."
    urgent: bool = False  # amat segera, escalations


class DeliveryStatus(StrEnum):
    sent = "sent"  # accepted by the provider
    gone = "gone"  # the address/subscription is no longer valid: remove it, do not retry
    failed = "failed"  # temporary (network, 429, 5xx): retry with backoff, also after a redrive
    rejected = "rejected"  # permanent for this message (4xx other than gone): do not retry
    skipped = "skipped"  # not sent: the channel is off, quiet hours, nothing to send to

    @property
    def final(self) -> bool:
        """Nothing more will be tried on this channel for this message."""
        return self is not DeliveryStatus.failed


@dataclass(frozen=True)
class Delivery:
    status: DeliveryStatus
    detail: str = ""  # provider's message id or error code; never personal data


# ---------------------------------------------------------------- preferences
HourMinute = Annotated[str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
"""A time of day on the regency's clock, ``HH:MM`` (WITA)."""


class QuietHours(InputModel):
    """Hours in WITA during which only urgent items reach a person (``start`` may be after
    ``end``: the quiet time spans midnight)."""

    start: HourMinute = Field(description="HH:MM, e.g. 21:00 (WITA)")
    end: HourMinute = Field(description="HH:MM, e.g. 06:00 (WITA)")

    @model_validator(mode="after")
    def _not_empty(self) -> QuietHours:
        if self.start == self.end:
            raise ValueError("quiet hours must start and end at different times")
        return self

    def times(self) -> tuple[time, time]:
        return time.fromisoformat(self.start), time.fromisoformat(self.end)


class Preferences(OutputModel):
    """How a person wants to be told. The regency sets the defaults (template parameters)."""

    channels: list[Channel] = Field(description="The channels he is told through")
    urgent_only: bool = Field(
        False, description="Only amat segera items and escalations; the rest stay in the app"
    )
    quiet_hours: QuietHours | None = Field(
        None, description="Hours (WITA) in which only urgent items are sent"
    )
    whatsapp_number: str | None = Field(
        None, description="His WhatsApp number (628...); shown only to him and hr"
    )
    updated_at: datetime | None = None


class PreferencesUpdate(InputModel):
    channels: list[Channel] | None = Field(None, max_length=3)
    urgent_only: bool | None = None
    quiet_hours: QuietHours | None = None
    clear_quiet_hours: bool = Field(False, description="true: no quiet hours")
    whatsapp_number: str | None = Field(None, max_length=20)

    @field_validator("channels")
    @classmethod
    def _unique(cls, value: list[Channel] | None) -> list[Channel] | None:
        if value is not None and len(set(value)) != len(value):
            raise ValueError("channels must not repeat a channel")
        return value


# ---------------------------------------------------------------- push subscriptions
class PushKeys(InputModel):
    p256dh: str = Field(max_length=200, description="The browser's P-256 public key, base64url")
    auth: str = Field(max_length=50, description="The 16-byte auth secret, base64url")


class PushSubscriptionIn(InputModel):
    """As the browser's ``PushSubscription.toJSON()`` gives it."""

    endpoint: str = Field(max_length=2048, description="The push service's URL for this browser")
    keys: PushKeys
    expirationTime: float | None = None  # noqa: N815 - the browser's own name


class PushDevice(OutputModel):
    """A browser or phone that receives his pushes."""

    endpoint: str
    p256dh: str
    auth: str
    created_at: datetime


class PushKey(OutputModel):
    """What the app subscribes with (``applicationServerKey``)."""

    public_key: str | None = Field(description="The VAPID public key, base64url; null: push is off")


# ---------------------------------------------------------------- what he sees in the app
class ChannelDelivery(OutputModel):
    channel: Channel
    status: DeliveryStatus
    attempts: int
    at: datetime


class Notification(OutputModel):
    """One notice to one person, as he sees it in the app (newest first)."""

    notification_id: str
    nip: str
    kind: NoticeKind
    title: str
    body: str
    path: str
    urgent: bool
    created_at: datetime
    read_at: datetime | None = None
    deliveries: list[ChannelDelivery] = Field(default_factory=list)
    given_up_at: datetime | None = Field(
        None, description="When a channel was refused, or failed after every retry"
    )


class NotificationPage(OutputModel):
    items: list[Notification]
    next_cursor: str | None = None
    unread: int = Field(description="Unread notices on this page")


class DeliveryFailure(OutputModel):
    """A notice a channel gave up on, as an administrator sees it: who, what kind, through what;
    never its text (it may name a letter he may not read)."""

    notification_id: str
    nip: str
    name: str | None = Field(None, description="The employee's name; null once he is gone")
    kind: NoticeKind
    created_at: datetime
    deliveries: list[ChannelDelivery]


class FailurePage(OutputModel):
    items: list[DeliveryFailure]
    next_cursor: str | None = None
