"""Notifications out of the box for ``make dev`` and the tests: a VAPID key pair for web push
(stored in Secrets Manager where the notifications function reads it, its public half a template
parameter for the app), the regency's sender verified in the emulator's SES, a WhatsApp
Cloud API stand-in on 127.0.0.1 with its credentials in Secrets Manager, and a browser push
service stand-in (``push_service``) on 127.0.0.1.

The VAPID pair is made once per state folder and kept, so a browser's subscription survives a
restart of ``make dev``. Pushes go wherever a browser's subscription points (Chrome's push service
when online); tests subscribe at the push service stand-in: the browser tests, whose headless
Chromium has no push service, through its HTTP routes.

Dev-only: nothing here ships in a function or the layer.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from eoffice_local.push_service import PushServiceStandIn, start_push_service
from eoffice_local.whatsapp_api import WhatsAppApi, start_whatsapp_api

LOCAL_STAGE = "dev"
VAPID_SECRET = "vapid"  # noqa: S105 - a secret's name under eoffice/{Stage}/notifications/
WHATSAPP_SECRET = "whatsapp"  # noqa: S105 - likewise
SENDER = "e-office@luwutimurkab.go.id"


@dataclass
class NotifyServices:
    vapid: dict[str, str]
    whatsapp: WhatsAppApi
    push: PushServiceStandIn

    @property
    def parameters(self) -> dict[str, str]:
        """Template parameters turning every channel on, pointed at the local services."""
        return {
            "VapidSecret": VAPID_SECRET,
            "VapidPublicKey": self.vapid["public_key"],
            "PushAllowLocalEndpoints": "true",
            "NotifyEmailSender": SENDER,
            "WhatsAppSecret": WHATSAPP_SECRET,
        }

    def store(self) -> None:
        """The secrets and the sender identity, once the emulator runs the stack."""
        from eoffice import aws

        _put_secret(_name(VAPID_SECRET), self.vapid)
        _put_secret(_name(WHATSAPP_SECRET), self.whatsapp.secret_document())
        aws.client("sesv2").create_email_identity(EmailIdentity=SENDER)

    def stop(self) -> None:
        self.whatsapp.stop()
        self.push.stop()


def start(state_dir: Path, *, push_port: int = 0) -> NotifyServices:
    """The stand-ins on 127.0.0.1; the push service's on ``push_port`` (0: a free one)."""
    return NotifyServices(
        _vapid_keys(state_dir), start_whatsapp_api(), start_push_service(port=push_port)
    )


def _vapid_keys(state_dir: Path) -> dict[str, str]:
    from eoffice.notifications import vapid_store

    path = state_dir / "vapid.json"
    if path.exists():
        return dict(json.loads(path.read_text()))
    keys = vapid_store.generate(subject=f"mailto:{SENDER}")
    state_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(keys))
    path.chmod(0o600)
    return keys


def _name(secret: str) -> str:
    return f"eoffice/{LOCAL_STAGE}/notifications/{secret}"


def _put_secret(name: str, value: Mapping[str, object]) -> None:
    from eoffice import aws

    secrets = aws.client("secretsmanager")
    text = json.dumps(value)
    try:
        secrets.create_secret(Name=name, SecretString=text)
    except secrets.exceptions.ResourceExistsException:
        secrets.put_secret_value(SecretId=name, SecretString=text)
