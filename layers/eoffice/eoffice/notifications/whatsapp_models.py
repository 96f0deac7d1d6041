"""How the WhatsApp channel reaches Meta's WhatsApp Business Cloud API: the business phone
number, its access token and the approved message templates. Kept as one JSON document in
Secrets Manager (``whatsapp_store``), never in the environment; the token never appears in a
``repr``, a log line or an error.

The secret's document::

    {
      "access_token": "EAAG...",            # required; without it WhatsApp is off
      "phone_number_id": "106540352242922", # required with a token
      "api_version": "v21.0",               # optional
      "base_url": "https://graph.facebook.com",  # optional (a stand-in's address locally)
      "default_template": "eoffice_notifikasi",  # optional
      "templates": {"disposition_received": "eoffice_disposisi"},  # optional, per kind
      "language": "id",                     # optional: the templates' language code
      "timeout_seconds": 10                 # optional
    }

Every template is approved at Meta with two body variables, ``{{1}}`` the title and ``{{2}}``
the text, and one URL button "Buka di e-Office" whose address ends in a variable: the web app's
path of the item without its leading slash (``https://<app>/{{1}}``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

DEFAULT_BASE_URL = "https://graph.facebook.com"
DEFAULT_API_VERSION = "v21.0"
DEFAULT_TEMPLATE = "eoffice_notifikasi"
DEFAULT_LANGUAGE = "id"
DEFAULT_TIMEOUT = 10.0

_VERSION = re.compile(r"^v\d{1,3}\.\d{1,2}$")
_PHONE_NUMBER_ID = re.compile(r"^\d{5,20}$")
_TEMPLATE_NAME = re.compile(r"^[a-z0-9_]{1,512}$")
_LOCAL = re.compile(r"^http://(127\.0\.0\.1|localhost)(:\d+)?$")


class WhatsAppMisconfigured(ValueError):
    """The WhatsApp secret holds a token but not a usable configuration; the message names the
    field, never its value."""


@dataclass(frozen=True)
class WhatsAppConfig:
    phone_number_id: str
    access_token: str = field(repr=False)
    base_url: str = DEFAULT_BASE_URL
    api_version: str = DEFAULT_API_VERSION
    templates: Mapping[str, str] = field(default_factory=dict)
    default_template: str = DEFAULT_TEMPLATE
    language: str = DEFAULT_LANGUAGE
    timeout: float = DEFAULT_TIMEOUT

    def __post_init__(self) -> None:
        _check(bool(self.access_token.strip()), "access_token")
        _check(bool(_PHONE_NUMBER_ID.match(self.phone_number_id)), "phone_number_id")
        _check(bool(_VERSION.match(self.api_version)), "api_version")
        base = self.base_url.rstrip("/")
        _check(base.startswith("https://") or bool(_LOCAL.match(base)), "base_url")
        names = [self.default_template, *self.templates.values()]
        _check(all(_TEMPLATE_NAME.match(name) for name in names), "templates")
        _check(bool(re.match(r"^[a-z]{2,3}(_[A-Z]{2})?$", self.language)), "language")
        _check(0 < self.timeout <= 60, "timeout_seconds")

    @property
    def messages_url(self) -> str:
        """``POST {base_url}/{api_version}/{phone_number_id}/messages``, as Meta documents it."""
        return f"{self.base_url.rstrip('/')}/{self.api_version}/{self.phone_number_id}/messages"

    def template_for(self, kind: str) -> str:
        """The approved template a notice of ``kind`` is sent with."""
        return self.templates.get(kind, self.default_template)

    @classmethod
    def from_document(cls, document: Mapping[str, Any]) -> WhatsAppConfig | None:
        """The configuration the secret's JSON describes; ``None`` when it holds no token
        (WhatsApp is off)."""
        token = document.get("access_token")
        if not isinstance(token, str) or not token.strip():
            return None
        templates = document.get("templates") or {}
        _check(isinstance(templates, Mapping), "templates")
        try:
            timeout = float(document.get("timeout_seconds") or DEFAULT_TIMEOUT)
        except (TypeError, ValueError):
            raise WhatsAppMisconfigured(
                "WhatsApp secret: timeout_seconds is not a number"
            ) from None
        return cls(
            phone_number_id=str(document.get("phone_number_id", "")).strip(),
            access_token=token.strip(),
            base_url=str(document.get("base_url") or DEFAULT_BASE_URL),
            api_version=str(document.get("api_version") or DEFAULT_API_VERSION),
            templates={str(k): str(v) for k, v in templates.items()},
            default_template=str(document.get("default_template") or DEFAULT_TEMPLATE),
            language=str(document.get("language") or DEFAULT_LANGUAGE),
            timeout=timeout,
        )


def _check(ok: bool, name: str) -> None:
    if not ok:
        raise WhatsAppMisconfigured(f"WhatsApp secret: {name} is missing or malformed")
