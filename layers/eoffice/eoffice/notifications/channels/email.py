"""The e-mail channel: one notification to one address through Amazon SES (API v2).

Sent as a raw MIME message (``SendEmail`` with ``Content.Raw``) holding both a plain-text and an
HTML part, so the regency's sender address and headers such as ``Auto-Submitted`` are ours to
set; the wording is :mod:`eoffice.notifications.email_wording`.

On AWS a send to an address on the account's suppression list succeeds and SES turns it into a
bounce without trying; so the address is looked up on that list first
(``GetSuppressedDestination``) and a suppressed one answers ``gone`` without a send. If the list
cannot be read (no permission, an emulator without it) the send goes ahead: SES still keeps the
suppressed address from receiving it.

What SES answers, as a :class:`Delivery`:

==========================================================  ===========
throttled, over the daily quota, sending paused, account      failed
suspended, access denied, 5xx, no connection or no answer     (retry; then the dead-letter
                                                              queue and its alarm)
MessageRejected, MailFromDomainNotVerifiedException, a bad    rejected
address (``BadRequestException``), any other 4xx
on the account's suppression list (bounce or complaint)       gone
==========================================================  ===========

``detail`` is SES's MessageId or the error's code: never the address or the message.
"""

from __future__ import annotations

import string
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formataddr, formatdate, parseaddr
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from eoffice import aws
from eoffice.notifications import email_wording
from eoffice.notifications.models import Delivery, DeliveryStatus, Message
from eoffice.observability import logger

_TEMPORARY = frozenset(
    {
        "TooManyRequestsException",
        "Throttling",
        "ThrottlingException",
        "LimitExceededException",
        "SendingPausedException",
        "AccountSuspendedException",
        "AccessDeniedException",
        "AccessDenied",
        "ServiceUnavailable",
        "InternalFailure",
        "RequestTimeout",
    }
)
_ADDRESS_CHARACTERS = frozenset(string.ascii_letters + string.digits + "!#$%&'*+-/=?^_`{|}~.@")
_MAX_ADDRESS = 254


def send(
    address: str,
    message: Message,
    *,
    sender: str,
    app_base_url: str,
    configuration_set: str = "",
) -> Delivery:
    """Send ``message`` to ``address`` from ``sender`` (a verified SES identity, with or without a
    display name); its button opens ``app_base_url + message.path``. ``configuration_set`` names
    an SES configuration set for delivery events, if the regency has one."""
    address = address.strip()
    if not _plausible(address):
        return _outcome(message, Delivery(DeliveryStatus.rejected, "invalid_address"))
    client: Any = aws.client("sesv2")
    if _suppressed(client, address):
        return _outcome(message, Delivery(DeliveryStatus.gone, "suppressed"))
    request: dict[str, Any] = {
        "FromEmailAddress": _sender(sender),
        "Destination": {"ToAddresses": [address]},
        "Content": {"Raw": {"Data": _mime(address, message, sender, app_base_url)}},
    }
    if configuration_set:
        request["ConfigurationSetName"] = configuration_set
    try:
        answer = client.send_email(**request)
    except ClientError as error:
        return _outcome(message, _refused(error))
    except BotoCoreError as error:  # no connection, or no answer after the SDK's retries
        return _outcome(message, Delivery(DeliveryStatus.failed, type(error).__name__))
    return _outcome(message, Delivery(DeliveryStatus.sent, str(answer["MessageId"])))


def _mime(address: str, message: Message, sender: str, app_base_url: str) -> bytes:
    content = email_wording.compose(message, app_base_url)
    mail = EmailMessage(policy=SMTP)
    mail["From"] = _sender(sender)
    mail["To"] = address
    mail["Subject"] = content.subject
    mail["Date"] = formatdate(usegmt=True)
    # RFC 3834: an automatic notice; out-of-office replies are not sent back to it.
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(content.text)
    mail.add_alternative(content.html, subtype="html")
    mail["Content-Language"] = "id"  # after the parts: setting content drops Content-* headers
    return mail.as_bytes()


def _sender(sender: str) -> str:
    """The sender as configured, given the application's name when it has no display name."""
    name, address = parseaddr(sender)
    return formataddr((name or email_wording.APP_NAME, address))


def _plausible(address: str) -> bool:
    """One ``local@domain`` address of printable ASCII (SES takes no other local part), so that
    nothing else can be smuggled into the message's headers."""
    if not address or len(address) > _MAX_ADDRESS or not set(address) <= _ADDRESS_CHARACTERS:
        return False
    local, at, domain = address.rpartition("@")
    return bool(at and local and "@" not in local and "." in domain.strip("."))


def _suppressed(client: Any, address: str) -> bool:
    try:
        client.get_suppressed_destination(EmailAddress=address)
    except ClientError as error:
        code = _code(error)
        if code != "NotFoundException":
            logger.warning("suppression list not read", extra={"code": code})
        return False
    except BotoCoreError:
        return False  # the send itself will meet the same trouble and say so
    return True


def _refused(error: ClientError) -> Delivery:
    code = _code(error)
    status = int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
    if code in _TEMPORARY or status == 429 or status >= 500:
        return Delivery(DeliveryStatus.failed, code)
    return Delivery(DeliveryStatus.rejected, code)


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code") or "unknown")[:64]


def _outcome(message: Message, delivery: Delivery) -> Delivery:
    logger.info(
        "email notification",
        extra={"kind": message.kind, "status": delivery.status.value, "detail": delivery.detail},
    )
    return delivery
