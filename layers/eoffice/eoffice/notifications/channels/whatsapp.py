"""The WhatsApp channel: one notice to one number through Meta's WhatsApp Business Cloud API,
as an approved message template (a business may not start a conversation with free text).

``POST {base_url}/{api_version}/{phone_number_id}/messages`` with the bearer token and::

    {"messaging_product": "whatsapp", "recipient_type": "individual", "to": "6281234567890",
     "type": "template",
     "template": {"name": "<per kind>", "language": {"code": "id"},
                  "components": [
                      {"type": "body", "parameters": [{"type": "text", "text": "<title>"},
                                                      {"type": "text", "text": "<body>"}]},
                      {"type": "button", "sub_type": "url", "index": "0",
                       "parameters": [{"type": "text", "text": "<path without its slash>"}]}]}}

Meta refuses a text parameter holding a line break, a tab or more than four spaces in a row,
and one over 1024 characters: parameters are made one line and cut to fit before sending.

What Meta answers, as a :class:`Delivery` (by the error's ``code``, which Meta asks clients to
rely on; its HTTP status is 400 for most, rate limits included):

=================================================================  ========
200 with ``messages[0].id``                                         sent (the id: ``wamid...``)
rate limits (130429, 131048, 131056, 80007, 4), 429, 5xx,           failed
service errors (1, 2, 131000, 131016), no connection, a timeout
131026 message undeliverable (not on WhatsApp, old app, ...)        gone
any other refusal: a wrong token (190), an unknown template          rejected
(132001), a bad parameter (100, 131009, 132000, 132018)
=================================================================  ========

A timeout after the request was sent may have delivered the notice: retrying it can tell the
person twice, which is better than not at all. Meta also reports most undeliverable numbers
later, in its status webhook (a ``failed`` status with 131026), not in this answer: only what
the API refuses at once is seen here.

A second gateway (the local WhatsApp gateways some regencies use) is one more module of this
shape beside this one: ``send(phone, message, config) -> Delivery`` over its own HTTP API, with
its configuration type in a ``<name>_models`` module and a ``<name>_store`` reading it from
Secrets Manager, using :func:`eoffice.notifications.phone_rules.normalise` for the number. The
service picks the gateway whose secret is configured; nothing here changes.
"""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import quote

from eoffice.notifications import phone_rules
from eoffice.notifications.models import Delivery, DeliveryStatus, Message
from eoffice.notifications.whatsapp_models import WhatsAppConfig
from eoffice.observability import logger

MAX_PARAMETER = 1024
URGENT = "[Segera]"
_GONE = frozenset({131026})
_TEMPORARY = frozenset({1, 2, 4, 80007, 130429, 131000, 131016, 131048, 131056})
_SUFFIX_SAFE = "/?&=#%:@-._~+,;"


def send(phone: str, message: Message, config: WhatsAppConfig) -> Delivery:
    """Send ``message`` to ``phone`` (as the employee wrote it, or already E.164) with the
    template ``config`` names for its kind."""
    try:
        to = phone_rules.normalise(phone)
    except phone_rules.InvalidPhone:
        return _outcome(message, Delivery(DeliveryStatus.rejected, "invalid_phone"))
    return _outcome(message, _post(config, request_body(to, message, config)))


def request_body(to: str, message: Message, config: WhatsAppConfig) -> dict[str, Any]:
    """The Cloud API's template message for ``message`` to ``to`` (E.164 digits)."""
    title = f"{URGENT} {message.title}" if message.urgent else message.title
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "template",
        "template": {
            "name": config.template_for(message.kind),
            "language": {"code": config.language},
            "components": [
                {"type": "body", "parameters": [_text(title), _text(message.body)]},
                {
                    "type": "button",
                    "sub_type": "url",
                    "index": "0",
                    "parameters": [_text(_url_suffix(message.path))],
                },
            ],
        },
    }


def template_text(value: str) -> str:
    """``value`` as Meta takes a template parameter: one line, no run of spaces, not empty, at
    most 1024 characters."""
    text = " ".join(value.split())
    if len(text) > MAX_PARAMETER:
        text = text[: MAX_PARAMETER - 1].rstrip() + "…"
    return text or "-"


def _text(value: str) -> dict[str, str]:
    return {"type": "text", "text": template_text(value)}


def _url_suffix(path: str) -> str:
    """What the template's button address ``https://<app>/{{1}}`` ends with; the app's home
    (``/``) is ``?`` there, as Meta takes no empty parameter."""
    return quote("".join(path.split()).lstrip("/"), safe=_SUFFIX_SAFE) or "?"


def _post(config: WhatsAppConfig, payload: dict[str, Any]) -> Delivery:
    request = urllib.request.Request(  # noqa: S310 - configured https (or local stand-in) URL
        config.messages_url,
        data=json.dumps(payload, ensure_ascii=False).encode(),
        headers={
            "Authorization": f"Bearer {config.access_token}",
            "Content-Type": "application/json",
            "Accept": "application/json",
        },
        method="POST",
    )
    try:
        with _OPENER.open(request, timeout=config.timeout) as answer:
            status, raw = answer.status, answer.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, _read_quietly(error)
    except urllib.error.URLError as error:  # while connecting or sending
        timed_out = isinstance(error.reason, TimeoutError)
        return Delivery(DeliveryStatus.failed, "timeout" if timed_out else "not_reachable")
    except TimeoutError:
        return Delivery(DeliveryStatus.failed, "timeout")
    except (OSError, http.client.HTTPException):
        return Delivery(DeliveryStatus.failed, "no_answer")
    return _interpret(status, raw)


def _interpret(status: int, raw: bytes) -> Delivery:
    body = _json(raw)
    if 200 <= status < 300:
        messages = body.get("messages") if body else None
        first = messages[0] if isinstance(messages, list) and messages else None
        if isinstance(first, dict) and isinstance(first.get("id"), str) and first["id"]:
            return Delivery(DeliveryStatus.sent, first["id"][:200])
        return Delivery(DeliveryStatus.failed, "no_message_id")
    error = body.get("error") if body else None
    code = error.get("code") if isinstance(error, dict) else None
    if not isinstance(code, int) or isinstance(code, bool):
        return Delivery(_by_status(status), f"http_{status}")
    if code in _GONE:
        return Delivery(DeliveryStatus.gone, str(code))
    if code in _TEMPORARY:
        return Delivery(DeliveryStatus.failed, str(code))
    return Delivery(_by_status(status), str(code))


def _by_status(status: int) -> DeliveryStatus:
    return DeliveryStatus.failed if status == 429 or status >= 500 else DeliveryStatus.rejected


def _json(raw: bytes) -> dict[str, Any] | None:
    try:
        body = json.loads(raw)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _read_quietly(error: urllib.error.HTTPError) -> bytes:
    try:
        return error.read()
    except (OSError, http.client.HTTPException):
        return b""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is not followed: urllib would send the bearer token wherever it points."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect())


def _outcome(message: Message, delivery: Delivery) -> Delivery:
    """Logged without the number or the text: kind, outcome and Meta's id or code."""
    logger.info(
        "whatsapp notification",
        extra={"kind": message.kind, "status": delivery.status.value, "detail": delivery.detail},
    )
    return delivery
