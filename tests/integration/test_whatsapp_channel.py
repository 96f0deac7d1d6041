"""The WhatsApp channel through the Cloud API stand-in over HTTP (it checks each request as Meta
documents it and answers as Meta does), and its configuration from the emulator's Secrets
Manager."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from eoffice import aws
from eoffice.notifications import whatsapp_store
from eoffice.notifications.channels import whatsapp
from eoffice.notifications.models import Delivery, DeliveryStatus, Message
from eoffice.notifications.whatsapp_models import WhatsAppConfig, WhatsAppMisconfigured
from eoffice_local import emulator as emulators
from eoffice_local.environment import LocalEnvironment
from eoffice_local.whatsapp_api import Template, WhatsAppApi, start_whatsapp_api

PHONE = "0812-3456-7890"
E164 = "6281234567890"


@pytest.fixture(scope="module")
def meta() -> Iterator[WhatsAppApi]:
    service = start_whatsapp_api(
        templates=[Template("eoffice_notifikasi"), Template("eoffice_tanda_tangan")]
    )
    yield service
    service.stop()


@pytest.fixture
def config(meta: WhatsAppApi) -> Iterator[WhatsAppConfig]:
    meta.reset()
    yield WhatsAppConfig(
        phone_number_id=meta.phone_number_id,
        access_token=meta.access_token,
        base_url=meta.base_url,
        timeout=2.0,
    )
    meta.reset()


def _message(**changes: Any) -> Message:
    values: dict[str, Any] = {
        "notification_id": uuid.uuid4().hex,
        "nip": "198203152006041002",
        "kind": "disposition_received",
        "title": "Disposisi baru",
        "body": "Bupati mendisposisikan surat dari Dinas PU kepada Anda.",
        "path": "/surat/9f3a2c",
    }
    values.update(changes)
    return Message(**values)


def test_a_notice_is_sent_as_the_approved_template(
    meta: WhatsAppApi, config: WhatsAppConfig
) -> None:
    delivery = whatsapp.send(PHONE, _message(), config)

    assert delivery.status is DeliveryStatus.sent
    assert delivery.detail.startswith("wamid.")
    assert meta.delivered() == [
        {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": E164,
            "type": "template",
            "template": {
                "name": "eoffice_notifikasi",
                "language": {"code": "id"},
                "components": [
                    {
                        "type": "body",
                        "parameters": [
                            {"type": "text", "text": "Disposisi baru"},
                            {
                                "type": "text",
                                "text": "Bupati mendisposisikan surat dari Dinas PU kepada Anda.",
                            },
                        ],
                    },
                    {
                        "type": "button",
                        "sub_type": "url",
                        "index": "0",
                        "parameters": [{"type": "text", "text": "surat/9f3a2c"}],
                    },
                ],
            },
        }
    ]
    assert meta.received[-1].path == f"/v21.0/{meta.phone_number_id}/messages"


def test_each_kind_has_its_template_and_an_unapproved_one_is_rejected(
    meta: WhatsAppApi, config: WhatsAppConfig
) -> None:
    mapped = replace(
        config,
        templates={"draft_to_sign": "eoffice_tanda_tangan", "leave_decided": "eoffice_cuti"},
    )

    signed = whatsapp.send(PHONE, _message(kind="draft_to_sign"), mapped)
    unapproved = whatsapp.send(PHONE, _message(kind="leave_decided"), mapped)

    assert signed.status is DeliveryStatus.sent
    assert meta.delivered()[-1]["template"]["name"] == "eoffice_tanda_tangan"
    assert unapproved == Delivery(DeliveryStatus.rejected, "132001")
    assert meta.received[-1].status == 404


def test_parameters_are_made_one_line_and_short_enough(
    meta: WhatsAppApi, config: WhatsAppConfig
) -> None:
    message = _message(
        title="Disposisi\namat segera",
        body="Perihal:\tRapat\r\nkoordinasi      TPP.  " + "x" * 2000,
        path="/surat/9f3a 2c",
        urgent=True,
    )

    delivery = whatsapp.send(PHONE, message, config)

    assert delivery.status is DeliveryStatus.sent
    components = meta.delivered()[-1]["template"]["components"]
    title, body = (p["text"] for p in components[0]["parameters"])
    assert title == "[Segera] Disposisi amat segera"
    assert body.startswith("Perihal: Rapat koordinasi TPP. xxx")
    assert len(body) == 1024 and body.endswith("…")
    assert components[1]["parameters"][0]["text"] == "surat/9f3a2c"


def test_the_stand_in_refuses_what_meta_refuses(meta: WhatsAppApi, config: WhatsAppConfig) -> None:
    """Unsanitised, the same message is refused with Meta's code (the stand-in is no yes-man)."""
    body = whatsapp.request_body(E164, _message(), config)
    body["template"]["components"][0]["parameters"][1]["text"] = "baris satu\nbaris dua"
    status, answer = _post(config, body)
    assert (status, answer["error"]["code"]) == (400, 132018)
    assert "new-line" in answer["error"]["error_data"]["details"]

    body = whatsapp.request_body(E164, _message(), config)
    del body["template"]["components"][1]  # the URL button's suffix
    status, answer = _post(config, body)
    assert (status, answer["error"]["code"]) == (400, 132000)

    body = whatsapp.request_body(E164, _message(), config)
    body["template"]["language"]["code"] = "en_US"
    status, answer = _post(config, body)
    assert (status, answer["error"]["code"]) == (404, 132001)

    body = whatsapp.request_body(E164, _message(), config)
    body["to"] = "+62 812"
    status, answer = _post(config, body)
    assert (status, answer["error"]["code"]) == (400, 131009)
    assert meta.delivered() == []


def test_a_number_without_whatsapp_is_gone(meta: WhatsAppApi, config: WhatsAppConfig) -> None:
    meta.not_on_whatsapp(E164)

    delivery = whatsapp.send("+62 812 3456 7890", _message(), config)

    assert delivery == Delivery(DeliveryStatus.gone, "131026")
    error = meta.received[-1].answer["error"]
    assert error["code"] == 131026 and error["type"] == "OAuthException"
    assert {"message", "error_subcode", "fbtrace_id"} <= set(error)


@pytest.mark.parametrize("http_status", [400, 429])
def test_a_rate_limit_is_a_failure_to_retry(
    meta: WhatsAppApi, config: WhatsAppConfig, http_status: int
) -> None:
    meta.throttle(1, http_status=http_status)

    first = whatsapp.send(PHONE, _message(), config)
    again = whatsapp.send(PHONE, _message(), config)

    assert first == Delivery(DeliveryStatus.failed, "130429")
    assert meta.received[0].status == http_status
    assert again.status is DeliveryStatus.sent


def test_an_outage_is_a_failure_to_retry(meta: WhatsAppApi, config: WhatsAppConfig) -> None:
    meta.unavailable()

    assert whatsapp.send(PHONE, _message(), config) == Delivery(DeliveryStatus.failed, "2")
    assert meta.received[-1].status == 503


def test_a_wrong_token_is_rejected(meta: WhatsAppApi, config: WhatsAppConfig) -> None:
    delivery = whatsapp.send(PHONE, _message(), replace(config, access_token="EAAsalah"))

    assert delivery == Delivery(DeliveryStatus.rejected, "190")
    assert meta.received[-1].status == 401
    assert not meta.received[-1].authorized


def test_another_business_number_is_rejected(meta: WhatsAppApi, config: WhatsAppConfig) -> None:
    delivery = whatsapp.send(PHONE, _message(), replace(config, phone_number_id="999999999"))

    assert delivery == Delivery(DeliveryStatus.rejected, "100")


def test_no_answer_in_time_is_a_failure_to_retry(meta: WhatsAppApi, config: WhatsAppConfig) -> None:
    meta.delay_seconds = 1.0

    delivery = whatsapp.send(PHONE, _message(), replace(config, timeout=0.3))

    assert delivery == Delivery(DeliveryStatus.failed, "timeout")


def test_no_service_is_a_failure_to_retry(config: WhatsAppConfig) -> None:
    closed = replace(config, base_url=f"http://127.0.0.1:{emulators.free_port()}")

    assert whatsapp.send(PHONE, _message(), closed) == Delivery(
        DeliveryStatus.failed, "not_reachable"
    )


@pytest.mark.parametrize("phone", ["", "0411-421234", "+1 415 555 0100", "0812 34"])
def test_a_number_that_cannot_have_whatsapp_is_rejected_unsent(
    meta: WhatsAppApi, config: WhatsAppConfig, phone: str
) -> None:
    assert whatsapp.send(phone, _message(), config) == Delivery(
        DeliveryStatus.rejected, "invalid_phone"
    )
    assert meta.received == []


def test_the_token_is_not_in_the_configurations_repr(config: WhatsAppConfig) -> None:
    assert config.access_token not in repr(config)


# -- the configuration from Secrets Manager ------------------------------------------------------


@pytest.fixture
def secrets(local_env: LocalEnvironment) -> Iterator[Any]:
    whatsapp_store.reset()
    yield aws.client("secretsmanager")
    whatsapp_store.reset()


def _secret(secrets: Any, value: str) -> str:
    name = f"eoffice-test/whatsapp-{uuid.uuid4().hex[:8]}"
    secrets.create_secret(Name=name, SecretString=value)
    return name


def test_the_configuration_comes_from_its_secret_and_sends(meta: WhatsAppApi, secrets: Any) -> None:
    meta.reset()
    document = meta.secret_document(
        api_version="v22.0", templates={"draft_to_sign": "eoffice_tanda_tangan"}
    )
    name = _secret(secrets, json.dumps(document))

    config = whatsapp_store.load(name)

    assert config is not None
    assert config.api_version == "v22.0"
    assert config.template_for("draft_to_sign") == "eoffice_tanda_tangan"
    assert config.template_for("disposition_received") == "eoffice_notifikasi"
    assert whatsapp.send(PHONE, _message(kind="draft_to_sign"), config).status == "sent"
    assert meta.received[-1].path == f"/v22.0/{meta.phone_number_id}/messages"


def test_whatsapp_is_off_unless_configured(secrets: Any) -> None:
    assert whatsapp_store.load("") is None
    assert whatsapp_store.load(_secret(secrets, "{}")) is None
    assert whatsapp_store.load(_secret(secrets, '{"access_token": ""}')) is None
    assert whatsapp_store.load("eoffice-test/tidak-ada") is None


def test_a_secret_with_a_token_but_no_usable_document_says_what_is_wrong(secrets: Any) -> None:
    token_only = _secret(secrets, '{"access_token": "EAArahasia"}')
    with pytest.raises(WhatsAppMisconfigured, match="phone_number_id") as raised:
        whatsapp_store.load(token_only)
    assert "EAArahasia" not in str(raised.value)
    with pytest.raises(WhatsAppMisconfigured, match="not a JSON document"):
        whatsapp_store.load(_secret(secrets, "EAArahasia"))


def test_what_was_read_is_kept_until_it_is_stale(meta: WhatsAppApi, secrets: Any) -> None:
    name = _secret(secrets, json.dumps(meta.secret_document()))
    first = whatsapp_store.load(name)
    secrets.put_secret_value(SecretId=name, SecretString="{}")

    assert whatsapp_store.load(name) is first  # warm: Secrets Manager is not asked again
    whatsapp_store.reset()
    assert whatsapp_store.load(name) is None  # WhatsApp turned off by emptying the secret


def _post(config: WhatsAppConfig, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(  # noqa: S310 - the local stand-in
        config.messages_url,
        data=json.dumps(body).encode(),
        headers={
            "Authorization": f"Bearer {config.access_token}",
            "Content-Type": "application/json",
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:  # noqa: S310
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)
