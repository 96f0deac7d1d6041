"""The web push channel over real HTTP to the push service stand-in, with the tests playing the
browser (``support.push_browser``: its own keys, its own RFC 8291 decryption): what arrives
decrypts to what was sent, the VAPID token is what RFC 8292 asks, and every answer of the push
service becomes the Delivery the notifying service acts on."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import jwt
import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric import ec
from eoffice.notifications import vapid_store
from eoffice.notifications.channels import web_push
from eoffice.notifications.models import Delivery, DeliveryStatus, Message
from eoffice.notifications.push_models import PushSubscription, VapidKeys
from eoffice_local.push_service import PushServiceStandIn, start_push_service
from support.push_browser import PushBrowser, b64url, unb64url

SUBJECT = "mailto:diskominfo@luwutimurkab.go.id"


@pytest.fixture(scope="module")
def service() -> Iterator[PushServiceStandIn]:
    started = start_push_service()
    yield started
    started.stop()


@pytest.fixture
def push(service: PushServiceStandIn) -> Iterator[PushServiceStandIn]:
    service.reset_knobs()
    yield service
    service.reset_knobs()


@pytest.fixture(scope="module")
def vapid() -> VapidKeys:
    return VapidKeys.from_document(vapid_store.generate(SUBJECT))


@pytest.fixture
def browser() -> PushBrowser:
    return PushBrowser()


def _subscribe(
    browser: PushBrowser, push: PushServiceStandIn, vapid: VapidKeys
) -> tuple[PushSubscription, str]:
    """As the web app does it: subscribe with the regency's public key, hand the JSON to the API."""
    data = browser.subscribe(push, vapid.public_key)
    subscription = PushSubscription.from_browser(data, allow_insecure_local=True)
    return subscription, subscription.endpoint.rsplit("/", 1)[1]


def _message(**changes: Any) -> Message:
    fields: dict[str, Any] = {
        "notification_id": "evt-7f3a:198001012005011001",
        "nip": "198001012005011001",
        "kind": "disposition_received",
        "title": "Disposisi baru",
        "body": "Bupati mendisposisikan surat Dinas Kesehatan kepada Anda: segera ditindaklanjuti.",
        "path": "/surat/9f3a2c",
        "urgent": False,
    }
    return Message(**{**fields, **changes})


def test_a_message_arrives_and_decrypts_to_what_was_sent(
    push: PushServiceStandIn, vapid: VapidKeys, browser: PushBrowser
) -> None:
    subscription, subscription_id = _subscribe(browser, push, vapid)
    message = _message(urgent=True)

    delivery = web_push.send(subscription, message, vapid)

    (held,) = push.received(subscription_id)
    assert delivery == Delivery(DeliveryStatus.sent, f"{push.base_url}/message/{held.message_id}")
    assert json.loads(browser.decrypt(held.body)) == {
        "title": "Disposisi baru",
        "body": message.body,
        "path": "/surat/9f3a2c",
        "tag": "evt-7f3a:198001012005011001",
        "urgent": True,
    }
    assert held.headers["content-encoding"] == "aes128gcm"
    assert message.body.encode() not in held.body  # encrypted on the wire


def test_another_browser_cannot_read_it(
    push: PushServiceStandIn, vapid: VapidKeys, browser: PushBrowser
) -> None:
    subscription, subscription_id = _subscribe(browser, push, vapid)
    assert web_push.send(subscription, _message(), vapid).status == DeliveryStatus.sent
    (held,) = push.received(subscription_id)
    with pytest.raises(InvalidTag):
        PushBrowser().decrypt(held.body)


@pytest.mark.parametrize(("urgent", "urgency"), [(True, "high"), (False, "normal")])
def test_urgency_ttl_and_topic_headers(
    push: PushServiceStandIn,
    vapid: VapidKeys,
    browser: PushBrowser,
    urgent: bool,
    urgency: str,
) -> None:
    subscription, subscription_id = _subscribe(browser, push, vapid)
    message = _message(urgent=urgent)

    web_push.send(subscription, message, vapid, ttl_seconds=3600)

    (held,) = push.received(subscription_id)
    assert held.headers["urgency"] == urgency
    assert held.headers["ttl"] == "3600"
    assert held.headers["topic"] == web_push.topic(message.notification_id)
    assert web_push.send(subscription, message, vapid).status == DeliveryStatus.sent
    assert push.received(subscription_id)[0].headers["ttl"] == "86400"  # the default: a day


def test_a_resend_replaces_the_waiting_message_and_another_notification_does_not(
    push: PushServiceStandIn, vapid: VapidKeys, browser: PushBrowser
) -> None:
    subscription, _ = _subscribe(browser, push, vapid)
    web_push.send(subscription, _message(body="pertama"), vapid)
    web_push.send(subscription, _message(body="dikirim ulang"), vapid)
    web_push.send(subscription, _message(notification_id="evt-8b21:1980", body="lain"), vapid)

    bodies = [m["body"] for m in browser.messages(push, subscription.endpoint)]
    assert bodies == ["dikirim ulang", "lain"]


def test_the_vapid_token_is_what_rfc_8292_asks(
    push: PushServiceStandIn, vapid: VapidKeys, browser: PushBrowser
) -> None:
    subscription, subscription_id = _subscribe(browser, push, vapid)
    web_push.send(subscription, _message(), vapid)

    (held,) = push.received(subscription_id)
    scheme, _, params = held.headers["authorization"].partition(" ")
    parts = dict(p.strip().split("=", 1) for p in params.split(","))
    assert scheme == "vapid" and parts["k"] == vapid.public_key
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(parts["k"]))
    claims = jwt.decode(parts["t"], key, algorithms=["ES256"], audience=push.base_url)
    assert claims["sub"] == SUBJECT
    assert time.time() < claims["exp"] <= time.time() + 24 * 3600


def test_a_push_signed_with_another_key_is_refused_and_rejected(
    push: PushServiceStandIn, vapid: VapidKeys, browser: PushBrowser
) -> None:
    """The subscription was made with the regency's key; keys that changed since answer 403."""
    subscription, subscription_id = _subscribe(browser, push, vapid)
    other = VapidKeys.from_document(vapid_store.generate(SUBJECT))

    delivery = web_push.send(subscription, _message(), other)

    assert delivery == Delivery(DeliveryStatus.rejected, "http_403")
    assert push.received(subscription_id) == []


def test_a_token_not_signed_by_its_key_is_refused_and_rejected(
    push: PushServiceStandIn,
    vapid: VapidKeys,
    browser: PushBrowser,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A forged or corrupted token (signed by one key, presented with another) answers 401."""
    data = browser.subscribe(push)  # a subscription bound to no key: only the token is checked
    subscription = PushSubscription.from_browser(data, allow_insecure_local=True)
    other = VapidKeys.from_document(vapid_store.generate(SUBJECT))
    genuine = web_push.vapid_authorization

    def forged(keys: VapidKeys, audience: str) -> dict[str, str]:
        token = genuine(other, audience)["Authorization"].split("t=", 1)[1].split(",")[0]
        return {"Authorization": f"vapid t={token}, k={keys.public_key}"}

    monkeypatch.setattr(web_push, "vapid_authorization", forged)
    assert web_push.send(subscription, _message(), vapid) == Delivery(
        DeliveryStatus.rejected, "http_401"
    )


def _raw_push(push: PushServiceStandIn, subscription_id: str, headers: dict[str, str]) -> int:
    return httpx.post(
        push.endpoint(subscription_id), headers=headers, content=b"x" * 100
    ).status_code


def _token(keys: VapidKeys, **claims: Any) -> str:
    body = {"aud": "", "exp": int(time.time()) + 3600, "sub": SUBJECT, **claims}
    return jwt.encode(body, keys.private_key, algorithm="ES256")


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({}, 201),
        ({"aud": "https://fcm.googleapis.com"}, 401),
        ({"exp": "past"}, 401),
        ({"exp": "two days"}, 401),
        ({"sub": "diskominfo"}, 401),
        ({"authorization": "WebPush old-draft"}, 401),
        ({"content-encoding": "aesgcm"}, 415),
        ({"ttl": None}, 400),
        ({"urgency": "urgent"}, 400),
        ({"topic": "a" * 33}, 400),
    ],
)
def test_the_stand_in_checks_requests_as_a_push_service_does(
    push: PushServiceStandIn,
    vapid: VapidKeys,
    browser: PushBrowser,
    change: dict[str, Any],
    status: int,
) -> None:
    """The stand-in is itself an instrument: hand-made requests show what it refuses."""
    _, subscription_id = _subscribe(browser, push, vapid)
    claims: dict[str, Any] = {"aud": change.get("aud", push.base_url)}
    if change.get("exp") == "past":
        claims["exp"] = int(time.time()) - 60
    elif change.get("exp") == "two days":
        claims["exp"] = int(time.time()) + 48 * 3600
    if "sub" in change:
        claims["sub"] = change["sub"]
    headers = {
        "authorization": f"vapid t={_token(vapid, **claims)}, k={vapid.public_key}",
        "content-encoding": "aes128gcm",
        "ttl": "60",
    }
    for name in ("authorization", "content-encoding", "ttl", "urgency", "topic"):
        if name in change:
            headers.pop(name, None)
            if change[name] is not None:
                headers[name] = change[name]
    assert _raw_push(push, subscription_id, headers) == status


@pytest.mark.parametrize(("how", "status"), [("gone", "http_410"), ("unknown", "http_404")])
def test_a_subscription_the_service_no_longer_has_is_gone(
    push: PushServiceStandIn, vapid: VapidKeys, browser: PushBrowser, how: str, status: str
) -> None:
    subscription, subscription_id = _subscribe(browser, push, vapid)
    if how == "gone":
        push.mark_gone(subscription_id)
    else:
        endpoint = push.endpoint("no-such-subscription")
        subscription = PushSubscription(
            endpoint, subscription.p256dh, subscription.auth, allow_insecure_local=True
        )
    assert web_push.send(subscription, _message(), vapid) == Delivery(DeliveryStatus.gone, status)


@pytest.mark.parametrize("answer", [429, 500, 503])
def test_throttling_and_server_errors_are_failures_to_retry(
    push: PushServiceStandIn, vapid: VapidKeys, browser: PushBrowser, answer: int
) -> None:
    subscription, subscription_id = _subscribe(browser, push, vapid)
    push.fail_next(answer)
    assert web_push.send(subscription, _message(), vapid) == Delivery(
        DeliveryStatus.failed, f"http_{answer}"
    )
    assert push.received(subscription_id) == []
    assert web_push.send(subscription, _message(), vapid).status == DeliveryStatus.sent  # retried


def test_a_push_service_that_does_not_answer_fails_within_the_timeout(
    push: PushServiceStandIn, vapid: VapidKeys, browser: PushBrowser
) -> None:
    subscription, _ = _subscribe(browser, push, vapid)
    push.delay_seconds = 3.0
    started = time.monotonic()
    delivery = web_push.send(subscription, _message(), vapid, timeout=0.5)
    assert delivery == Delivery(DeliveryStatus.failed, "timeout")
    assert time.monotonic() - started < 1.5


def test_a_push_service_that_cannot_be_reached_is_a_failure(
    vapid: VapidKeys, browser: PushBrowser
) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    subscription = PushSubscription(
        f"http://127.0.0.1:{port}/push/x",
        b64url(browser.public_key),
        b64url(browser.auth_secret),
        allow_insecure_local=True,
    )
    assert web_push.send(subscription, _message(), vapid, timeout=2) == Delivery(
        DeliveryStatus.failed, "network_error"
    )


def test_a_redirect_is_not_followed(
    push: PushServiceStandIn, vapid: VapidKeys, browser: PushBrowser
) -> None:
    """An endpoint that redirects (to the stand-in here; to the network inside, for an attacker)
    is refused before the redirect is followed."""
    subscription, subscription_id = _subscribe(browser, push, vapid)

    class Redirect(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.send_response(307)
            self.send_header("Location", subscription.endpoint)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        redirecting = PushSubscription(
            f"http://127.0.0.1:{server.server_address[1]}/push/{subscription_id}",
            subscription.p256dh,
            subscription.auth,
            allow_insecure_local=True,
        )
        delivery = web_push.send(redirecting, _message(), vapid, timeout=2)
    finally:
        server.shutdown()
        server.server_close()
    assert delivery == Delivery(DeliveryStatus.rejected, "redirect")
    assert push.received(subscription_id) == []


@pytest.mark.parametrize(
    "body",
    [
        "Surat dari Dinas Pekerjaan Umum dan Penataan Ruang perihal " * 120,
        "Ringkasan: " + "é" * 4000,  # two octets each in UTF-8
        "Catatan " + "😀" * 2000,  # four
    ],
)
def test_a_long_body_is_cut_with_an_ellipsis_under_the_size_limit(
    push: PushServiceStandIn, vapid: VapidKeys, browser: PushBrowser, body: str
) -> None:
    subscription, _ = _subscribe(browser, push, vapid)
    message = _message(body=body)
    payload = web_push.payload(message)
    assert payload is not None and len(payload) <= web_push.MAX_PAYLOAD_BYTES < 3 * 1024 + 1

    assert web_push.send(subscription, message, vapid).status == DeliveryStatus.sent

    (received,) = browser.messages(push, subscription.endpoint)
    assert received["body"].endswith("…")
    assert body.startswith(received["body"][:-1].rstrip())
    assert len(received["body"]) > 700  # cut near the limit, not far below it
    assert (received["title"], received["tag"]) == (message.title, message.notification_id)


def test_a_short_body_is_sent_whole(
    push: PushServiceStandIn, vapid: VapidKeys, browser: PushBrowser
) -> None:
    subscription, _ = _subscribe(browser, push, vapid)
    body = "x" * 2900  # the payload just under the limit
    assert len(web_push.payload(_message(body=body)) or b"") <= web_push.MAX_PAYLOAD_BYTES
    web_push.send(subscription, _message(body=body), vapid)
    assert browser.messages(push, subscription.endpoint)[0]["body"] == body


def test_a_payload_too_large_to_cut_is_rejected_without_a_request(
    push: PushServiceStandIn, vapid: VapidKeys, browser: PushBrowser
) -> None:
    subscription, _ = _subscribe(browser, push, vapid)
    before = push.requests
    delivery = web_push.send(subscription, _message(path="/surat/" + "9" * 4000), vapid)
    assert delivery == Delivery(DeliveryStatus.rejected, "payload_too_large")
    assert push.requests == before


def test_over_http_a_subscription_is_made_and_its_messages_read_back(
    push: PushServiceStandIn, vapid: VapidKeys, browser: PushBrowser
) -> None:
    """The stand-in's routes for the browser tests (another process than ``eoffice dev``): a
    subscription bound to the regency's key, and what it received, still encrypted."""
    made = httpx.post(
        f"{push.base_url}/subscriptions", json={"application_server_key": vapid.public_key}
    )
    assert made.status_code == 201
    endpoint, subscription_id = made.json()["endpoint"], made.json()["subscription_id"]
    assert endpoint == push.endpoint(subscription_id)
    keys = {"p256dh": b64url(browser.public_key), "auth": b64url(browser.auth_secret)}
    subscription = PushSubscription.from_browser(
        {"endpoint": endpoint, "keys": keys}, allow_insecure_local=True
    )
    assert web_push.send(subscription, _message(), vapid).status == DeliveryStatus.sent

    read = httpx.get(f"{push.base_url}/subscriptions/{subscription_id}/messages")

    assert read.status_code == 200
    (held,) = read.json()["messages"]
    assert held["headers"]["content-encoding"] == "aes128gcm"
    assert json.loads(browser.decrypt(unb64url(held["body"])))["path"] == "/surat/9f3a2c"
    other = VapidKeys.from_document(vapid_store.generate(SUBJECT))
    assert web_push.send(subscription, _message(), other).status == DeliveryStatus.rejected


def test_over_http_an_unknown_subscription_or_a_bad_request_is_refused(
    push: PushServiceStandIn,
) -> None:
    unknown = httpx.get(f"{push.base_url}/subscriptions/{'0' * 32}/messages")
    assert unknown.status_code == 404
    bad = httpx.post(f"{push.base_url}/subscriptions", json={"application_server_key": 7})
    assert bad.status_code == 400
    assert httpx.post(f"{push.base_url}/subscriptions", content=b"not json").status_code == 400
