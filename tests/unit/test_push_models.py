"""Web push's value types: which subscriptions are kept (the function will POST to their
endpoints), which VAPID documents are usable, and how push services' answers are read."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from eoffice.errors import InvalidInput
from eoffice.notifications import vapid_store
from eoffice.notifications.channels import web_push
from eoffice.notifications.models import DeliveryStatus, Message
from eoffice.notifications.push_models import PushSubscription, VapidKeys
from support.push_browser import PushBrowser, b64url

FCM = "https://fcm.googleapis.com/fcm/send/dGVzdA:APA91bH"
# Fixed keys: test ids are made of them, and every xdist worker must collect the same tests.
BROWSER = PushBrowser(
    private_key=ec.derive_private_key(0x5EED_0F_E0FF1CE, ec.SECP256R1()),
    auth_secret=bytes(range(16)),
)
P256DH = b64url(BROWSER.public_key)
AUTH = b64url(BROWSER.auth_secret)


def _browser_json(endpoint: str = FCM, **keys: Any) -> dict[str, Any]:
    return {
        "endpoint": endpoint,
        "expirationTime": None,
        "keys": {"p256dh": P256DH, "auth": AUTH, **keys},
    }


def test_a_browser_subscription_is_kept_in_one_spelling() -> None:
    padded = P256DH + "=" * (-len(P256DH) % 4)
    subscription = PushSubscription.from_browser(_browser_json(p256dh=padded, auth=AUTH + "=="))
    assert (subscription.endpoint, subscription.p256dh, subscription.auth) == (FCM, P256DH, AUTH)
    assert subscription.origin == "https://fcm.googleapis.com"
    assert AUTH not in repr(subscription)


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://updates.push.services.mozilla.com/wpush/v2/gAAAAA",
        "https://web.push.apple.com/QGuQyavXutnMH",
        "https://wns2-par02p.notify.windows.com/w/?token=BQYAAAB",
    ],
)
def test_the_push_services_browsers_use_are_accepted(endpoint: str) -> None:
    assert PushSubscription(endpoint, P256DH, AUTH).endpoint == endpoint


@pytest.mark.parametrize(
    ("endpoint", "local_allowed"),
    [
        ("http://fcm.googleapis.com/fcm/send/x", False),  # not https
        ("http://127.0.0.1:8080/push/x", False),  # local only when the flag says so
        ("http://push.example.org/push/x", True),  # the flag admits local hosts only
        ("https://10.0.0.5/push/x", False),  # an IP literal: the network inside
        ("https://2130706433/push", False),  # 127.0.0.1 as one number
        ("https://0x7f000001/push", False),
        ("https://127.1/push", False),
        ("https://localhost./push", False),
        ("https://x.localhost/push", False),
        ("https://internal.example.com/push", False),  # a name: not a browser's push service
        ("https://fcm.googleapis.com.evil.example/push", False),
        ("https://evilfcm.googleapis.com.example/push", False),
        ("https://169.254.169.254/latest/meta-data", False),
        ("https://[fd00::1]/push", False),
        ("https://localhost/push/x", False),
        ("https://user:pw@fcm.googleapis.com/fcm/send/x", False),
        ("https://fcm.googleapis.com/fcm/send/x#frag", False),
        ("https://fcm.googleapis.com:99999/x", False),
        ("ftp://fcm.googleapis.com/x", False),
        ("fcm.googleapis.com/fcm/send/x", False),
        ("https://", False),
        ("https://fcm.googleapis.com/" + "a" * 2100, False),
    ],
)
def test_endpoints_the_function_must_not_post_to_are_refused(
    endpoint: str, local_allowed: bool
) -> None:
    with pytest.raises(InvalidInput) as refused:
        PushSubscription(endpoint, P256DH, AUTH, allow_insecure_local=local_allowed)
    assert refused.value.code == "invalid_input"
    assert refused.value.status == 422
    assert "langganan" in refused.value.detail  # for a person: Bahasa Indonesia


@pytest.mark.parametrize(
    "endpoint", ["http://127.0.0.1:41234/push/abc", "http://localhost:41234/push/abc"]
)
def test_the_local_stand_in_is_accepted_when_allowed(endpoint: str) -> None:
    assert PushSubscription(endpoint, P256DH, AUTH, allow_insecure_local=True).endpoint == endpoint


def _compressed() -> str:
    return b64url(
        BROWSER.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint
        )
    )


def _off_curve() -> str:
    raw = bytearray(BROWSER.public_key)
    raw[-1] ^= 1
    return b64url(bytes(raw))


@pytest.mark.parametrize(
    "p256dh",
    [
        "",
        "not base64!",
        b64url(b"\x04" + bytes(63)),  # 64 octets
        _compressed(),
        _off_curve(),
        "+" + b64url(BROWSER.public_key)[1:],  # standard base64's alphabet, not base64url
        b64url(BROWSER.public_key) + "A",
    ],
)
def test_a_p256dh_that_is_not_an_uncompressed_p256_point_is_refused(p256dh: str) -> None:
    with pytest.raises(InvalidInput, match="p256dh"):
        PushSubscription(FCM, p256dh, AUTH)


@pytest.mark.parametrize(
    "auth", ["", b64url(bytes(15)), b64url(bytes(17)), "***", b64url(bytes(32))]
)
def test_an_auth_secret_other_than_16_octets_is_refused(auth: str) -> None:
    with pytest.raises(InvalidInput, match="auth"):
        PushSubscription(FCM, P256DH, auth)


@pytest.mark.parametrize(
    "data",
    [
        {"endpoint": FCM},
        {"endpoint": FCM, "keys": {"p256dh": P256DH}},
        {"endpoint": None, "keys": {"p256dh": P256DH, "auth": AUTH}},
        {"keys": {"p256dh": P256DH, "auth": 16}},
    ],
)
def test_a_browser_subscription_without_its_parts_is_refused(data: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput):
        PushSubscription.from_browser(data)


# -- VAPID documents ---------------------------------------------------------------------------


def test_generated_keys_load_and_match() -> None:
    document = vapid_store.generate("mailto:diskominfo@luwutimurkab.go.id")
    keys = VapidKeys.from_document(document)
    assert keys.public_key == document["public_key"]
    assert keys.subject == "mailto:diskominfo@luwutimurkab.go.id"
    assert document["private_key"] not in repr(keys)
    assert vapid_store.generate()["public_key"] != document["public_key"]  # fresh each time


def test_a_pem_private_key_is_read_too() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = b64url(
        key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
    )
    keys = VapidKeys.from_document(
        {"private_key": pem, "public_key": public, "subject": "mailto:a@b.id"}
    )
    assert keys.private_key.private_numbers() == key.private_numbers()


def _other_public() -> str:
    return vapid_store.generate()["public_key"]


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"private_key": None}, "private_key"),
        ({"subject": 7}, "subject"),
        ({"public_key": "AAAA"}, "point"),
        ({"public_key": _other_public()}, "not the private key's"),
        ({"private_key": b64url(bytes(31))}, "32 octets"),
        ({"private_key": b64url(bytes(32))}, "scalar"),
        ({"private_key": "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"}, "PEM"),
        ({"private_key": "%%%"}, "neither PEM nor base64url"),
        ({"subject": "diskominfo@luwutimurkab.go.id"}, "subject"),
        ({"subject": "mailto:nobody"}, "subject"),
        (
            {"subject": "https://luwutimurkab.go.id/kontak"},
            "subject",
        ),  # push services refuse a path
    ],
)
def test_unusable_vapid_documents_say_what_is_wrong_without_the_key(
    change: dict[str, Any], complaint: str
) -> None:
    document: dict[str, Any] = {**vapid_store.generate(), **change}
    with pytest.raises(ValueError, match=complaint) as refused:
        VapidKeys.from_document(document)
    if isinstance(document["private_key"], str) and len(document["private_key"]) > 8:
        assert document["private_key"] not in str(refused.value)


def test_an_https_subject_is_a_contact_too() -> None:
    assert VapidKeys.from_document(vapid_store.generate("https://luwutimurkab.go.id")).subject


# -- reading the push service's answer ---------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "expected", "detail"),
    [
        (201, DeliveryStatus.sent, "https://fcm.googleapis.com/m/1"),
        (202, DeliveryStatus.sent, "https://fcm.googleapis.com/m/1"),
        (404, DeliveryStatus.gone, "http_404"),
        (410, DeliveryStatus.gone, "http_410"),
        (429, DeliveryStatus.failed, "http_429 retry_after=120"),
        (500, DeliveryStatus.failed, "http_500 retry_after=120"),
        (503, DeliveryStatus.failed, "http_503 retry_after=120"),
        (400, DeliveryStatus.rejected, "http_400"),
        (401, DeliveryStatus.rejected, "http_401"),
        (403, DeliveryStatus.rejected, "http_403"),
        (413, DeliveryStatus.rejected, "http_413"),
    ],
)
def test_answers_map_to_deliveries(status: int, expected: DeliveryStatus, detail: str) -> None:
    headers = {"Location": "https://fcm.googleapis.com/m/1", "Retry-After": "120"}
    delivery = web_push.delivery_for(status, headers)
    assert (delivery.status, delivery.detail) == (expected, detail)


def test_a_sent_push_without_a_location_has_no_detail() -> None:
    assert web_push.delivery_for(201, {}).detail == ""


def test_the_topic_is_short_base64url_and_one_per_notification() -> None:
    first, again, other = (web_push.topic(n) for n in ("n-1", "n-1", "n-2"))
    assert first == again != other
    assert len(first) <= 32 and set(first) <= set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    )


def test_a_title_too_long_for_any_notification_is_refused_not_cut() -> None:
    message = Message("n-1", "1", "x", "J" * 4000, "isi", "/surat/1")
    assert web_push.payload(message) is None
