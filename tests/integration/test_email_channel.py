"""The e-mail channel through the emulator's SES (API v2): what was sent is read back from the
emulator over HTTP (support.mail), as the recipient's mail program would show it."""

from __future__ import annotations

import html
import uuid
from typing import Any

import pytest
from eoffice import aws
from eoffice.notifications.channels import email
from eoffice.notifications.models import Delivery, DeliveryStatus, Message
from eoffice_local import emulator as emulators
from eoffice_local.environment import LocalEnvironment
from support.mail import sent, sent_mail, sent_to

DOMAIN = "luwutimurkab.go.id"
SENDER = f"noreply@{DOMAIN}"
APP = "https://eoffice.luwutimurkab.go.id"


@pytest.fixture(scope="module")
def ses(local_env: LocalEnvironment) -> str:
    """The emulator's endpoint, with the regency's domain verified as SES requires."""
    client: Any = aws.client("sesv2")
    client.create_email_identity(EmailIdentity=DOMAIN)
    return local_env.emulator.endpoint_url


def _address() -> str:
    return f"pegawai.{uuid.uuid4().hex[:10]}@example.co.id"


def _message(**changes: Any) -> Message:
    values: dict[str, Any] = {
        "notification_id": uuid.uuid4().hex,
        "nip": "198203152006041002",
        "kind": "disposition_received",
        "title": "Disposisi baru",
        "body": "Bupati mendisposisikan surat dari Dinas PU kepada Anda. Batas waktu 12 Desember.",
        "path": "/surat/9f3a2c",
    }
    values.update(changes)
    return Message(**values)


def test_a_notification_arrives_with_subject_both_bodies_and_the_link(ses: str) -> None:
    address, message = _address(), _message()

    delivery = email.send(address, message, sender=SENDER, app_base_url=APP + "/")

    assert delivery.status is DeliveryStatus.sent
    mail = sent(ses, delivery.detail)
    assert mail.destinations[0] == address
    assert mail.subject == "e-Office Luwu Timur: Disposisi baru"
    assert mail.headers["From"] == f"e-Office Luwu Timur <{SENDER}>"
    assert mail.headers["To"] == address
    assert mail.headers["Auto-Submitted"] == "auto-generated"
    assert mail.headers["Content-Language"] == "id"
    link = f"{APP}/surat/9f3a2c"
    # The plain text: title, body, the link spelled out, why he gets it and where to stop it.
    assert mail.text.startswith("Disposisi baru\n")
    assert message.body in mail.text
    assert f"Buka di e-Office: {link}" in mail.text
    assert "Pengaturan notifikasi" in mail.text
    assert "Anda menerima e-mail ini karena" in mail.text
    # The HTML: the same, the link as a button.
    assert '<html lang="id">' in mail.html
    assert f'<a href="{link}"' in mail.html
    assert ">Buka di e-Office</a>" in mail.html
    assert html.escape(message.body) in mail.html
    assert "Pengaturan notifikasi" in mail.html


def test_what_the_message_holds_is_escaped_in_the_html(ses: str) -> None:
    message = _message(
        title='Surat "Penting" <b>&</b>',
        body="Perihal: <script>alert('x')</script> & lain-lain\nBaris kedua.",
        path='/surat/1?tab=riwayat&x="><img src=x>',
    )

    delivery = email.send(_address(), message, sender=SENDER, app_base_url=APP)

    mail = sent(ses, delivery.detail)
    assert "<script>" not in mail.html and "<b>&</b>" not in mail.html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; lain-lain" in mail.html
    assert "Surat &quot;Penting&quot; &lt;b&gt;&amp;&lt;/b&gt;" in mail.html
    assert "<img" not in mail.html
    assert f'href="{APP}/surat/1?tab=riwayat&amp;x=%22%3E%3Cimg%20src=x%3E"' in mail.html
    # The plain text keeps the words as written; the subject stays one line.
    assert "<script>alert('x')</script> & lain-lain" in mail.text
    assert mail.subject == 'e-Office Luwu Timur: Surat "Penting" <b>&</b>'


def test_an_urgent_notification_says_so_in_its_subject(ses: str) -> None:
    message = _message(title="Disposisi\namat segera", urgent=True)

    delivery = email.send(_address(), message, sender=SENDER, app_base_url=APP)

    mail = sent(ses, delivery.detail)
    assert mail.subject == "e-Office Luwu Timur: [Segera] Disposisi amat segera"
    assert mail.text.startswith("[Segera] Disposisi amat segera\n")


def test_the_configured_display_name_is_kept(ses: str) -> None:
    sender = f"Pemkab Luwu Timur <{SENDER}>"

    delivery = email.send(_address(), _message(), sender=sender, app_base_url=APP)

    assert sent(ses, delivery.detail).headers["From"] == sender


def test_an_unverified_sender_is_rejected_and_nothing_is_sent(ses: str) -> None:
    address = _address()

    delivery = email.send(
        address, _message(), sender="noreply@belum-diverifikasi.example", app_base_url=APP
    )

    assert delivery.status is DeliveryStatus.rejected
    assert delivery.detail == "MessageRejected"
    assert sent_to(ses, address) == []


@pytest.mark.parametrize(
    "address",
    ["", "bukan-alamat", "a@b", "dua@@contoh.id", "a@contoh.id\r\nBcc: x@contoh.id", "ü@contoh.id"],
)
def test_an_address_that_is_not_one_is_rejected_before_ses(ses: str, address: str) -> None:
    before = len(sent_mail(ses))

    delivery = email.send(address, _message(), sender=SENDER, app_base_url=APP)

    assert delivery.status is DeliveryStatus.rejected
    assert delivery.detail == "invalid_address"
    assert len(sent_mail(ses)) == before


def test_an_address_on_the_suppression_list_is_gone_and_not_sent_to(ses: str) -> None:
    address = _address()
    client: Any = aws.client("sesv2")
    client.put_suppressed_destination(EmailAddress=address, Reason="BOUNCE")

    delivery = email.send(address, _message(), sender=SENDER, app_base_url=APP)

    assert delivery == Delivery(DeliveryStatus.gone, "suppressed")
    assert sent_to(ses, address) == []
    client.delete_suppressed_destination(EmailAddress=address)
    assert email.send(address, _message(), sender=SENDER, app_base_url=APP).status == "sent"


def test_no_answer_from_ses_is_a_failure_to_retry(
    ses: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{emulators.free_port()}")

    delivery = email.send(_address(), _message(), sender=SENDER, app_base_url=APP)

    assert delivery.status is DeliveryStatus.failed
    assert delivery.detail == "EndpointConnectionError"
