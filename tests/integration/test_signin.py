"""Sign-in for people, locally (ADR 0018): the stand-in for the user pool domain answers the
authorization code flow with PKCE over HTTP as managed login does, and the ID token it gives is
what the local API accepts, as API Gateway accepts Cognito's for the web app client."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt
import pytest
from eoffice_local.demo_data import NAMED_EMPLOYEES
from eoffice_local.emulator import free_port
from eoffice_local.environment import LocalEnvironment
from eoffice_local.gateway import Server
from eoffice_local.signin import CODE_TTL, SignIn

CALLBACK = "http://localhost:3001/masuk/selesai"  # template.yaml's default WebCallbackUrls
LOGOUT = "http://localhost:3001/"
WEB_ORIGIN = "http://localhost:3001"


@pytest.fixture(scope="module")
def signin_server(local_env: LocalEnvironment) -> Iterator[Server]:
    served = local_env.serve_signin(free_port())
    served.httpd.quiet = True  # type: ignore[attr-defined]
    yield served


@pytest.fixture(scope="module")
def signin(local_env: LocalEnvironment, signin_server: Server) -> SignIn:
    assert local_env.signin is not None
    return local_env.signin


@pytest.fixture
def idp(signin_server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=signin_server.url, timeout=30, follow_redirects=False) as client:
        yield client


@pytest.fixture(scope="module")
def client_id(local_env: LocalEnvironment) -> str:
    return str(local_env.stack.refs["WebAppClient"])


def challenge_of(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


@dataclass
class Request:
    """One authorize request as oidc-client-ts builds it."""

    client_id: str
    verifier: str
    state: str
    nonce: str | None = None
    redirect_uri: str = CALLBACK

    @classmethod
    def new(cls, client_id: str, *, nonce: bool = True) -> Request:
        return cls(
            client_id,
            secrets.token_urlsafe(48),
            secrets.token_urlsafe(16),
            secrets.token_urlsafe(16) if nonce else None,
        )

    def params(self, **changes: str | None) -> dict[str, str]:
        params: dict[str, str | None] = {
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "response_type": "code",
            "scope": "openid email profile",
            "state": self.state,
            "nonce": self.nonce,
            "code_challenge": challenge_of(self.verifier),
            "code_challenge_method": "S256",
        } | changes
        return {name: value for name, value in params.items() if value is not None}


class _Forms(HTMLParser):
    """The page's forms: method, action, hidden fields and the buttons' names and values."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "script":
            self.scripts += 1
        if tag == "form":
            self.forms.append(
                {"method": found["method"], "action": found["action"], "fields": {}, "buttons": []}
            )
        elif tag == "input" and found.get("type") == "hidden" and self.forms:
            self.forms[-1]["fields"][found["name"]] = found["value"]
        elif tag == "button" and found.get("name") and self.forms:
            self.forms[-1]["buttons"].append(found["value"])


def forms_of(page: str) -> _Forms:
    parser = _Forms()
    parser.feed(page)
    return parser


def pick(idp: httpx.Client, request: Request, username: str) -> httpx.Response:
    """Open the authorize page and press the official's button, as a browser without scripts."""
    page = idp.get("/oauth2/authorize", params=request.params())
    assert page.status_code == 200, page.text
    (chooser,) = [f for f in forms_of(page.text).forms if f["method"] == "post"]
    return idp.post(chooser["action"], data=chooser["fields"] | {"username": username})


def code_from(answer: httpx.Response, request: Request) -> str:
    assert answer.status_code == 302, answer.text
    location = urlsplit(answer.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == request.redirect_uri
    query = parse_qs(location.query)
    assert query["state"] == [request.state]
    return query["code"][0]


def exchange(
    idp: httpx.Client, request: Request, code: str, *, verifier: str | None = None
) -> httpx.Response:
    return idp.post(
        "/oauth2/token",
        data={
            "grant_type": "authorization_code",
            "client_id": request.client_id,
            "code": code,
            "redirect_uri": request.redirect_uri,
            "code_verifier": verifier or request.verifier,
        },
        headers={"origin": WEB_ORIGIN},
    )


def sign_in(idp: httpx.Client, client_id: str, username: str) -> tuple[Request, dict[str, Any]]:
    request = Request.new(client_id)
    answer = exchange(idp, request, code_from(pick(idp, request, username), request))
    assert answer.status_code == 200, answer.text
    return request, answer.json()


# ------------------------------------------------------------------------------ the whole flow
def test_the_code_flow_with_pkce_gives_an_id_token_the_api_accepts(
    idp: httpx.Client, http: httpx.Client, signin_server: Server, client_id: str
) -> None:
    request = Request.new(client_id)
    page = idp.get("/oauth2/authorize", params=request.params())
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert "tidak meminta kata sandi" in page.text and "pengembangan lokal" in page.text
    parsed = forms_of(page.text)
    assert parsed.scripts == 0  # works without JavaScript
    (chooser,) = [f for f in parsed.forms if f["method"] == "post"]
    # The demo officials first, in the seed's order, each with his name and position.
    assert chooser["buttons"] == [spec.username for spec in NAMED_EMPLOYEES]
    for spec in NAMED_EMPLOYEES:
        assert spec.name.split(",")[0] in page.text
    assert "Kepala Dinas" in page.text

    answer = idp.post(chooser["action"], data=chooser["fields"] | {"username": "kadis.kominfo"})
    code = code_from(answer, request)
    tokens = exchange(idp, request, code)
    assert tokens.status_code == 200, tokens.text
    assert tokens.headers["access-control-allow-origin"] == WEB_ORIGIN  # the app's fetch
    assert tokens.headers["cache-control"] == "no-store"
    body = tokens.json()
    assert set(body) == {"id_token", "access_token", "refresh_token", "expires_in", "token_type"}
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600

    me = http.get("/me", headers={"authorization": f"Bearer {body['id_token']}"})
    assert me.status_code == 200, me.text
    assert me.json()["employee"]["username"] == "kadis.kominfo"


def test_discovery_and_jwks_verify_the_id_token(
    idp: httpx.Client, local_env: LocalEnvironment, signin_server: Server, client_id: str
) -> None:
    metadata = idp.get("/.well-known/openid-configuration").json()
    assert metadata["issuer"] == local_env.issuer.issuer  # what the API's authorizer expects
    assert metadata["issuer"].startswith("https://cognito-idp.ap-southeast-3.amazonaws.com/")
    assert metadata["code_challenge_methods_supported"] == ["S256"]
    assert metadata["response_types_supported"] == ["code"]
    for name in ("authorization_endpoint", "token_endpoint", "jwks_uri", "end_session_endpoint"):
        assert metadata[name].startswith(signin_server.url), name
    assert metadata["end_session_endpoint"] == f"{signin_server.url}/logout"

    request, tokens = sign_in(idp, client_id, "sekda")
    key = jwt.PyJWKClient(metadata["jwks_uri"]).get_signing_key_from_jwt(tokens["id_token"])
    claims = jwt.decode(
        tokens["id_token"],
        key.key,
        algorithms=metadata["id_token_signing_alg_values_supported"],
        audience=client_id,
        issuer=metadata["issuer"],
    )
    assert claims["token_use"] == "id"
    assert claims["cognito:username"] == "sekda"
    assert claims["email"] == "sekda@" + NAMED_EMPLOYEES[1].email.split("@")[1]  # type: ignore[union-attr]
    assert claims["nonce"] == request.nonce
    access = jwt.decode(
        tokens["access_token"], key.key, algorithms=["RS256"], issuer=metadata["issuer"]
    )
    assert access["token_use"] == "access" and access["client_id"] == client_id
    assert access["username"] == "sekda" and "aud" not in access
    assert set(access["scope"].split()) == {"openid", "email", "profile"}


def test_without_a_nonce_the_id_token_has_none(idp: httpx.Client, client_id: str) -> None:
    request = Request.new(client_id, nonce=False)
    tokens = exchange(idp, request, code_from(pick(idp, request, "bupati"), request)).json()
    assert "nonce" not in jwt.decode(tokens["id_token"], options={"verify_signature": False})


def test_auth_config_is_what_the_web_app_needs(
    signin: SignIn, signin_server: Server, client_id: str, local_env: LocalEnvironment
) -> None:
    assert signin.auth_config() == {
        "authority": local_env.issuer.issuer,
        "metadataUrl": f"{signin_server.url}/.well-known/openid-configuration",
        "clientId": client_id,
        "scope": "openid email profile",
        "signOutUrl": f"{signin_server.url}/logout",
    }
    local_env.save_state("http://127.0.0.1:1")
    state = json.loads((local_env.state_dir / "runtime.json").read_text())
    assert state["signin_url"] == signin_server.url


# ------------------------------------------------------------------------------ refusals
def test_a_wrong_verifier_is_refused_and_burns_the_code(idp: httpx.Client, client_id: str) -> None:
    request = Request.new(client_id)
    code = code_from(pick(idp, request, "tu.kominfo"), request)
    wrong = exchange(idp, request, code, verifier=secrets.token_urlsafe(48))
    assert wrong.status_code == 400
    assert wrong.json()["error"] == "invalid_grant"
    assert exchange(idp, request, code).json()["error"] == "invalid_grant"


def test_a_code_is_good_once(idp: httpx.Client, client_id: str) -> None:
    request = Request.new(client_id)
    code = code_from(pick(idp, request, "staf.kominfo"), request)
    assert exchange(idp, request, code).status_code == 200
    again = exchange(idp, request, code)
    assert (again.status_code, again.json()["error"]) == (400, "invalid_grant")


def test_an_expired_code_is_refused(
    idp: httpx.Client, client_id: str, signin: SignIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    request = Request.new(client_id)
    code = code_from(pick(idp, request, "staf.kominfo"), request)
    monkeypatch.setattr(signin, "clock", lambda: time.time() + CODE_TTL + 1)
    answer = exchange(idp, request, code)
    assert (answer.status_code, answer.json()["error"]) == (400, "invalid_grant")


def test_the_code_is_bound_to_its_redirect_uri(idp: httpx.Client, client_id: str) -> None:
    request = Request.new(client_id)
    code = code_from(pick(idp, request, "staf.kominfo"), request)
    request.redirect_uri = "http://127.0.0.1:3001/masuk/selesai"
    assert exchange(idp, request, code).json()["error"] == "invalid_grant"


@pytest.mark.parametrize(
    "changes",
    [
        {"redirect_uri": "https://evil.example/masuk/selesai"},
        {"redirect_uri": "http://localhost:3001/masuk/selesai/../../steal"},
        {"redirect_uri": None},
        {"client_id": "someone-else"},
        {"client_id": None},
    ],
)
def test_an_unknown_client_or_redirect_uri_gets_a_page_not_a_redirect(
    idp: httpx.Client, client_id: str, changes: dict[str, str | None]
) -> None:
    request = Request.new(client_id)
    for answer in (
        idp.get("/oauth2/authorize", params=request.params(**changes)),
        idp.post("/oauth2/authorize", data=request.params(**changes) | {"username": "bupati"}),
    ):
        assert answer.status_code == 400
        assert "location" not in answer.headers
        assert answer.headers["content-type"].startswith("text/html")
        assert "ditolak" in answer.text or "tidak dikenal" in answer.text


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"code_challenge": None, "code_challenge_method": None}, "invalid_request"),
        ({"code_challenge_method": "plain"}, "invalid_request"),
        ({"code_challenge_method": None}, "invalid_request"),
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"scope": "openid aws.cognito.signin.user.admin"}, "invalid_scope"),
    ],
)
def test_a_request_without_pkce_or_with_another_flow_is_sent_back_with_an_error(
    idp: httpx.Client, client_id: str, changes: dict[str, str | None], error: str
) -> None:
    request = Request.new(client_id)
    answer = idp.post("/oauth2/authorize", data=request.params(**changes) | {"username": "bupati"})
    assert answer.status_code == 302
    query = parse_qs(urlsplit(answer.headers["location"]).query)
    assert query["error"] == [error] and query["state"] == [request.state]
    assert "code" not in query
    assert idp.get("/oauth2/authorize", params=request.params(**changes)).status_code == 302


def test_only_an_employee_may_sign_in(idp: httpx.Client, client_id: str) -> None:
    request = Request.new(client_id)
    answer = pick(idp, request, "bukan.pegawai")
    assert answer.status_code == 400
    assert "location" not in answer.headers
    assert "tidak terdaftar sebagai pegawai" in answer.text


def test_the_token_endpoint_refuses_an_unknown_client_and_other_bodies(
    idp: httpx.Client, client_id: str
) -> None:
    request = Request.new(client_id)
    code = code_from(pick(idp, request, "staf.kominfo"), request)
    request.client_id = "someone-else"
    assert exchange(idp, request, code).json()["error"] == "invalid_client"
    as_json = idp.post(
        "/oauth2/token", json={"grant_type": "authorization_code", "client_id": client_id}
    )
    assert (as_json.status_code, as_json.json()["error"]) == (400, "invalid_request")
    other = idp.post("/oauth2/token", data={"grant_type": "password", "client_id": client_id})
    assert other.json()["error"] == "unsupported_grant_type"


# ------------------------------------------------------------------------------ others, refresh, logout
def test_another_employee_is_found_by_search_and_signs_in(
    idp: httpx.Client, http: httpx.Client, client_id: str
) -> None:
    listed = http.get(
        "/employees?limit=50", headers={"authorization": f"Bearer {_admin(idp, client_id)}"}
    )
    others = [
        e
        for e in listed.json()["items"]
        if e["username"] not in {s.username for s in NAMED_EMPLOYEES} and e["active"]
    ]
    someone = others[0]
    request = Request.new(client_id)
    found = idp.get(
        "/oauth2/authorize", params=request.params() | {"q": someone["name"].split()[-1]}
    )
    assert found.status_code == 200
    assert "Hasil pencarian" in found.text
    officials, chooser = [f for f in forms_of(found.text).forms if f["method"] == "post"]
    assert officials["buttons"] == [spec.username for spec in NAMED_EMPLOYEES]
    assert someone["username"] in chooser["buttons"]
    (search,) = [f for f in forms_of(found.text).forms if f["method"] == "get"]
    assert search["fields"]["code_challenge"] == challenge_of(
        request.verifier
    )  # a form GET keeps the request
    nothing = idp.get("/oauth2/authorize", params=request.params() | {"q": "zzzz-tidak-ada"})
    assert "Tidak ada pegawai aktif yang cocok" in nothing.text

    answer = idp.post(chooser["action"], data=chooser["fields"] | {"username": someone["username"]})
    tokens = exchange(idp, request, code_from(answer, request)).json()
    me = http.get("/me", headers={"authorization": f"Bearer {tokens['id_token']}"})
    assert me.json()["employee"]["username"] == someone["username"]


def _admin(idp: httpx.Client, client_id: str) -> str:
    return str(sign_in(idp, client_id, "admin")[1]["id_token"])


def test_a_refresh_token_gives_working_tokens_until_revoked(
    idp: httpx.Client, http: httpx.Client, client_id: str
) -> None:
    _, tokens = sign_in(idp, client_id, "kepala.bkpsdm")
    form = {
        "grant_type": "refresh_token",
        "client_id": client_id,
        "refresh_token": tokens["refresh_token"],
    }
    refreshed = idp.post("/oauth2/token", data=form, headers={"origin": WEB_ORIGIN})
    assert refreshed.status_code == 200, refreshed.text
    body = refreshed.json()
    assert set(body) == {"id_token", "access_token", "expires_in", "token_type"}  # as Cognito
    assert body["id_token"] != tokens["id_token"]
    first = jwt.decode(tokens["id_token"], options={"verify_signature": False})
    again = jwt.decode(body["id_token"], options={"verify_signature": False})
    assert again["auth_time"] == first["auth_time"] and "nonce" not in again
    me = http.get("/me", headers={"authorization": f"Bearer {body['id_token']}"})
    assert me.json()["employee"]["username"] == "kepala.bkpsdm"

    assert (
        idp.post("/oauth2/token", data=form | {"refresh_token": "forged"}).json()["error"]
        == "invalid_grant"
    )
    assert (
        idp.post(
            "/oauth2/revoke", data={"token": tokens["refresh_token"], "client_id": client_id}
        ).status_code
        == 200
    )
    assert idp.post("/oauth2/token", data=form).json()["error"] == "invalid_grant"


def test_an_expired_refresh_token_is_refused(
    idp: httpx.Client, client_id: str, signin: SignIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, tokens = sign_in(idp, client_id, "tpp.bkpsdm")
    lifetime = signin.client.refresh_token_ttl
    assert lifetime == 12 * 3600  # the template's WebAppClient
    monkeypatch.setattr(signin, "clock", lambda: time.time() + lifetime + 1)
    form = {
        "grant_type": "refresh_token",
        "client_id": client_id,
        "refresh_token": tokens["refresh_token"],
    }
    assert idp.post("/oauth2/token", data=form).json()["error"] == "invalid_grant"


def test_the_token_endpoint_answers_the_web_apps_preflight_only(idp: httpx.Client) -> None:
    asked = {
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
    }
    allowed = idp.options("/oauth2/token", headers=asked | {"origin": WEB_ORIGIN})
    assert allowed.status_code == 204
    assert allowed.headers["access-control-allow-origin"] == WEB_ORIGIN
    other = idp.options("/oauth2/token", headers=asked | {"origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


def test_userinfo_answers_for_an_access_token(idp: httpx.Client, client_id: str) -> None:
    _, tokens = sign_in(idp, client_id, "tu.kominfo")
    info = idp.get(
        "/oauth2/userInfo", headers={"authorization": f"Bearer {tokens['access_token']}"}
    )
    assert info.status_code == 200
    assert info.json()["username"] == "tu.kominfo"
    refused = idp.get("/oauth2/userInfo", headers={"authorization": f"Bearer {tokens['id_token']}"})
    assert refused.status_code == 401


def test_logout_sends_back_to_an_allowed_address_only(idp: httpx.Client, client_id: str) -> None:
    answer = idp.get("/logout", params={"client_id": client_id, "logout_uri": LOGOUT})
    assert answer.status_code == 302
    assert answer.headers["location"] == LOGOUT
    for params in (
        {"client_id": client_id, "logout_uri": "https://evil.example/"},
        {"client_id": "someone-else", "logout_uri": LOGOUT},
    ):
        refused = idp.get("/logout", params=params)
        assert refused.status_code == 400 and "location" not in refused.headers


def test_the_dev_tokens_of_eoffice_token_still_work(
    http: httpx.Client, local_env: LocalEnvironment
) -> None:
    token = local_env.token("bupati")
    assert http.get("/me", headers={"authorization": f"Bearer {token}"}).status_code == 200
    assert re.fullmatch(
        r"[A-Za-z0-9]+", jwt.decode(token, options={"verify_signature": False})["aud"]
    )


def test_a_body_that_is_not_utf8_is_refused_not_dropped(idp: httpx.Client, client_id: str) -> None:
    form = {"content-type": "application/x-www-form-urlencoded"}
    token = idp.post("/oauth2/token", content=b"client_id=\xff\xfe", headers=form)
    assert (token.status_code, token.json()["error"]) == (400, "invalid_request")
    page = idp.post("/oauth2/authorize", content=b"client_id=\xff", headers=form)
    assert page.status_code == 400 and "tidak dikenal" in page.text
