"""The e-mail a notification becomes: subject, plain text and HTML, in Bahasa Indonesia (pure).

The message is already worded and already stripped of what its reader may not see; this only
lays it out. Everything taken from the message goes into the HTML escaped (a letter's subject
may hold ``<`` or ``&``), and the subject is one line (a header cannot hold a line break).
"""

from __future__ import annotations

import html
from typing import NamedTuple
from urllib.parse import quote

from eoffice.notifications.models import Message

APP_NAME = "e-Office Luwu Timur"
BUTTON = "Buka di e-Office"
URGENT = "[Segera]"
SETTINGS_MENU = "Pengaturan notifikasi"
# Characters a path keeps as they are; anything else (a space, a quote) is percent-encoded.
_PATH_SAFE = "/?&=#%:@-._~+,;"


class EmailContent(NamedTuple):
    subject: str
    text: str
    html: str


def compose(message: Message, app_base_url: str) -> EmailContent:
    """The whole e-mail for ``message``, its button opening ``app_base_url + message.path``."""
    url = link(app_base_url, message.path)
    return EmailContent(subject(message), text_body(message, url), html_body(message, url))


def link(app_base_url: str, path: str) -> str:
    """Where the button leads: the app's address and the item's path, one slash between."""
    path = path.strip()
    tail = quote(path if path.startswith("/") else f"/{path}", safe=_PATH_SAFE)
    return app_base_url.rstrip("/") + tail


def subject(message: Message) -> str:
    title = _one_line(message.title)
    if message.urgent:
        title = f"{URGENT} {title}"
    return f"{APP_NAME}: {title}"


def footer_lines() -> tuple[str, str]:
    """Why he gets this e-mail, and where he turns it off."""
    return (
        f"Anda menerima e-mail ini karena Anda pengguna {APP_NAME} dan pemberitahuan "
        "lewat e-mail aktif untuk Anda. E-mail ini dikirim otomatis; mohon tidak dibalas.",
        f"Pilihan pemberitahuan dapat diubah di aplikasi, pada menu {SETTINGS_MENU}.",
    )


def text_body(message: Message, url: str) -> str:
    why, where = footer_lines()
    heading = _one_line(message.title)
    if message.urgent:
        heading = f"{URGENT} {heading}"
    return "\n".join(
        [
            heading,
            "",
            message.body.strip(),
            "",
            f"{BUTTON}: {url}",
            "",
            "-- ",  # the usual signature line: mail programs set what follows apart
            why,
            where,
            "",
        ]
    )


def html_body(message: Message, url: str) -> str:
    why, where = footer_lines()
    title = _escape(_one_line(message.title))
    badge = (
        f'<p style="margin:0 0 8px;color:#b42318;font-weight:bold">{_escape(URGENT)}</p>'
        if message.urgent
        else ""
    )
    paragraphs = "".join(
        f'<p style="margin:0 0 12px">{_escape(part.strip())}</p>'
        for part in message.body.strip().split("\n")
        if part.strip()
    )
    href = _escape(url)
    return f"""<!DOCTYPE html>
<html lang="id">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title></head>
<body style="margin:0;padding:0;background:#f4f5f7;font-family:Arial,Helvetica,sans-serif;color:#1f2933">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f5f7">
<tr><td align="center" style="padding:24px 12px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:560px;background:#ffffff;border-radius:6px">
<tr><td style="padding:16px 24px;background:#0b4f8a;color:#ffffff;font-size:14px;border-radius:6px 6px 0 0">{_escape(APP_NAME)}</td></tr>
<tr><td style="padding:24px;font-size:16px;line-height:1.5">
{badge}<h1 style="margin:0 0 16px;font-size:20px">{title}</h1>
{paragraphs}<p style="margin:24px 0"><a href="{href}" style="display:inline-block;padding:12px 20px;background:#0b4f8a;color:#ffffff;text-decoration:none;border-radius:4px;font-weight:bold">{_escape(BUTTON)}</a></p>
<p style="margin:0;font-size:13px;color:#52606d">Jika tombol tidak dapat dibuka, salin alamat ini ke peramban: <a href="{href}" style="color:#0b4f8a">{href}</a></p>
</td></tr>
<tr><td style="padding:16px 24px;border-top:1px solid #e4e7eb;font-size:12px;line-height:1.5;color:#7b8794">
<p style="margin:0 0 6px">{_escape(why)}</p>
<p style="margin:0">{_escape(where)}</p>
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
"""


def _escape(text: str) -> str:
    return html.escape(text, quote=True)


def _one_line(text: str) -> str:
    return " ".join(text.split())
