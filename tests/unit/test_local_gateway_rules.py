"""The local API Gateway's pure parts: route precedence and the JWT check."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from eoffice_local.gateway import Router
from eoffice_local.issuer import DevIssuer, InvalidToken, claims_as_api_gateway_passes_them
from eoffice_local.template import HttpRoute


def test_most_specific_route_wins() -> None:
    router = Router(
        [
            HttpRoute("ANY", "/{proxy+}", "Api", "Jwt"),
            HttpRoute("GET", "/health", "Api", None),
            HttpRoute("GET", "/letters/{letter_id}", "Letters", "Jwt"),
            HttpRoute("ANY", "/letters/{letter_id}", "LettersAny", "Jwt"),
            HttpRoute("POST", "/letters/{letter_id}/sign", "Signing", "Jwt"),
        ]
    )

    def target(method: str, path: str) -> str | None:
        found = router.match(method, path)
        return found[0].route.function if found else None

    assert target("GET", "/health") == "Api"
    assert router.match("GET", "/health")[0].route.authorizer is None  # type: ignore[index]
    assert target("POST", "/health") == "Api"  # falls to the greedy route, which needs a token
    assert target("GET", "/letters/7") == "Letters"
    assert target("DELETE", "/letters/7") == "LettersAny"
    assert target("POST", "/letters/7/sign") == "Signing"
    assert target("GET", "/letters/7/history") == "Api"
    assert router.match("GET", "/letters/7/history")[1] == {"proxy": "letters/7/history"}  # type: ignore[index]


def test_route_without_greedy_fallback_misses() -> None:
    router = Router([HttpRoute("GET", "/health", "Api", None)])
    assert router.match("GET", "/other") is None
    assert router.match("POST", "/health") is None


@pytest.fixture
def issuer(tmp_path: Path) -> DevIssuer:
    return DevIssuer.at(
        tmp_path / "key.pem", issuer="https://issuer.test/pool", audience="client-1"
    )


def test_issued_tokens_verify_and_the_key_persists(issuer: DevIssuer, tmp_path: Path) -> None:
    token = issuer.issue("budi", email="budi@lutimkab.go.id")
    claims = issuer.verify(token, issuer="https://issuer.test/pool", audiences=["client-1"])
    assert claims["cognito:username"] == "budi" and claims["token_use"] == "id"
    again = DevIssuer.at(tmp_path / "key.pem", issuer=issuer.issuer, audience=issuer.audience)
    assert again.kid == issuer.kid
    assert (tmp_path / "key.pem").stat().st_mode & 0o077 == 0, "the key is private to its owner"


@pytest.mark.parametrize(
    ("offsets", "check_issuer", "audiences"),
    [
        ({"exp": -10}, "https://issuer.test/pool", ["client-1"]),
        ({}, "https://issuer.test/other", ["client-1"]),
        ({}, "https://issuer.test/pool", ["client-2"]),
        ({"nbf": 600}, "https://issuer.test/pool", ["client-1"]),
    ],
    ids=["expired", "other issuer", "other audience", "not yet valid"],
)
def test_tokens_the_authorizer_refuses(
    issuer: DevIssuer, offsets: dict[str, int], check_issuer: str, audiences: list[str]
) -> None:
    # Times from now, when the test runs (not when it was collected, minutes earlier).
    overrides = {claim: int(time.time()) + seconds for claim, seconds in offsets.items()}
    token = issuer.issue("budi", **overrides)
    with pytest.raises(InvalidToken):
        issuer.verify(token, issuer=check_issuer, audiences=audiences)


def test_access_tokens_use_client_id_as_audience(issuer: DevIssuer) -> None:
    token = issuer.issue(
        "budi", aud=None, client_id="client-1", token_use="access", username="budi"
    )
    assert issuer.verify(token, issuer=issuer.issuer, audiences=["client-1"])["username"] == "budi"


def test_claims_reach_the_function_as_strings() -> None:
    passed = claims_as_api_gateway_passes_them(
        {"exp": 5, "email_verified": True, "cognito:groups": ["a", "b"], "sub": "x"}
    )
    assert passed == {"exp": "5", "email_verified": "true", "cognito:groups": "[a b]", "sub": "x"}
