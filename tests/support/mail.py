"""The e-mail the emulator's SES accepted, read back over HTTP from moto's state
(``/moto-api/data.json``: each send is a ``RawMessage`` or a ``Message`` there), as a reader
would see it: subject, plain text and HTML parts, headers."""

from __future__ import annotations

import email
import json
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import default


@dataclass(frozen=True)
class SentMail:
    message_id: str
    source: str
    destinations: tuple[str, ...]
    subject: str
    text: str
    html: str
    headers: dict[str, str]


def sent_mail(endpoint_url: str) -> list[SentMail]:
    """Every e-mail the emulator at ``endpoint_url`` has accepted, oldest first."""
    url = f"{endpoint_url.rstrip('/')}/moto-api/data.json"
    with urllib.request.urlopen(url, timeout=30) as answer:  # noqa: S310 - the local emulator
        state = json.load(answer)
    ses = state.get("ses", {})
    found = [_raw(entry) for entry in ses.get("RawMessage", [])]
    found += [_simple(entry) for entry in ses.get("Message", [])]
    return found


def sent(endpoint_url: str, message_id: str) -> SentMail:
    """The e-mail SES answered ``message_id`` for."""
    matching = [m for m in sent_mail(endpoint_url) if m.message_id == message_id]
    assert len(matching) == 1, f"{len(matching)} e-mails with id {message_id}"
    return matching[0]


def sent_to(endpoint_url: str, address: str) -> list[SentMail]:
    return [m for m in sent_mail(endpoint_url) if any(address in d for d in m.destinations)]


def _raw(entry: dict[str, object]) -> SentMail:
    parsed = email.message_from_string(str(entry["raw_data"]), policy=default)
    assert isinstance(parsed, EmailMessage)
    return SentMail(
        message_id=str(entry["id"]),
        source=str(entry["source"]),
        destinations=tuple(str(d) for d in entry["destinations"]),  # type: ignore[attr-defined]
        subject=str(parsed["Subject"]),
        text=_part(parsed, "plain"),
        html=_part(parsed, "html"),
        headers={name: str(value) for name, value in parsed.items()},
    )


def _simple(entry: dict[str, object]) -> SentMail:
    """``SendEmail`` with simple content: moto keeps one body (the HTML one if both were sent)."""
    destinations = entry.get("destinations") or {}
    assert isinstance(destinations, dict)
    body = str(entry.get("body", ""))
    return SentMail(
        message_id=str(entry["id"]),
        source=str(entry["source"]),
        destinations=tuple(str(a) for addresses in destinations.values() for a in addresses),
        subject=str(entry.get("subject", "")),
        text="" if body.lstrip().startswith("<") else body,
        html=body if body.lstrip().startswith("<") else "",
        headers={},
    )


def _part(message: EmailMessage, subtype: str) -> str:
    part = message.get_body(preferencelist=(subtype,))
    if part is None or part.get_content_subtype() != subtype:
        return ""
    content = part.get_content()
    return str(content).replace("\r\n", "\n")  # lines end as a mail program shows them
