"""The tests' browser decrypts RFC 8291's own example (section 5, Appendix A) to its plaintext:
so when a web push test decrypts what our adapter sent, the decryption itself is known right."""

from __future__ import annotations

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric import ec
from support.push_browser import PushBrowser, b64url, unb64url

UA_PRIVATE = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94"
UA_PUBLIC = (
    "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"
)
AUTH_SECRET = "BTBZMqHH6r4Tts7J_aSIgg"
BODY = (
    "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS"
    "6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qu"
    "lcy4a-fN"
)


def _rfc_browser() -> PushBrowser:
    scalar = int.from_bytes(unb64url(UA_PRIVATE), "big")
    key = ec.derive_private_key(scalar, ec.SECP256R1())
    return PushBrowser(private_key=key, auth_secret=unb64url(AUTH_SECRET))


def test_decrypts_the_rfc_8291_example() -> None:
    browser = _rfc_browser()
    assert b64url(browser.public_key) == UA_PUBLIC
    assert browser.decrypt(unb64url(BODY)) == b"When I grow up, I want to be a watermelon"


def test_a_changed_octet_or_the_wrong_secret_fails() -> None:
    body = bytearray(unb64url(BODY))
    body[-1] ^= 1
    with pytest.raises(InvalidTag):
        _rfc_browser().decrypt(bytes(body))
    stranger = PushBrowser(private_key=_rfc_browser().private_key)  # another auth secret
    with pytest.raises(InvalidTag):
        stranger.decrypt(unb64url(BODY))
