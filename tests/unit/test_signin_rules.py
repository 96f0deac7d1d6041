"""The sign-in stand-in's rules that need no server: PKCE's S256 as RFC 7636 computes it, and the
web client's lifetimes and URLs read from the template as CloudFormation reads them."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from eoffice_local.provision import Stack
from eoffice_local.signin import local_web_urls, pkce_challenge, web_client


def test_s256_is_rfc_7636s_example() -> None:
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert pkce_challenge(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def _client(props: dict[str, Any], **given: Any) -> Any:
    template = SimpleNamespace(resources={"WebAppClient": {"Properties": props}})
    stack = Stack(
        name="s",
        region="ap-southeast-3",
        account_id="000000000000",
        endpoint_url="http://x",
        parameters={},
        refs={"WebAppClient": "abc123"},
        attrs={},
    )
    return web_client(template, stack, **given)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("props", "lifetimes"),
    [
        ({}, (3600, 3600, 30 * 86400)),  # Cognito's defaults
        (  # no units: CloudFormation reads hours, and days for refresh tokens
            {"IdTokenValidity": 2, "AccessTokenValidity": 1, "RefreshTokenValidity": 7},
            (7200, 3600, 7 * 86400),
        ),
        (
            {
                "IdTokenValidity": 60,
                "AccessTokenValidity": 5,
                "RefreshTokenValidity": 12,
                "TokenValidityUnits": {
                    "IdToken": "minutes",
                    "AccessToken": "minutes",
                    "RefreshToken": "hours",
                },
            },
            (3600, 300, 12 * 3600),
        ),
    ],
)
def test_token_lifetimes_are_read_as_cloudformation_reads_them(
    props: dict[str, Any], lifetimes: tuple[int, int, int]
) -> None:
    client = _client(props)
    assert (client.id_token_ttl, client.access_token_ttl, client.refresh_token_ttl) == lifetimes
    assert client.client_id == "abc123"


def test_callbacks_come_from_the_template_unless_given() -> None:
    props = {
        "CallbackURLs": ["https://a.example/masuk/selesai"],
        "LogoutURLs": ["https://a.example/"],
    }
    assert _client(props).callback_urls == ("https://a.example/masuk/selesai",)
    callbacks, logouts = local_web_urls(4001)
    client = _client(props, callback_urls=callbacks, logout_urls=logouts)
    assert client.callback_urls == (
        "http://127.0.0.1:4001/masuk/selesai",
        "http://localhost:4001/masuk/selesai",
    )
    assert client.logout_urls == ("http://127.0.0.1:4001/", "http://localhost:4001/")
    assert client.origins == {"http://127.0.0.1:4001", "http://localhost:4001"}
