"""The local stand-in for the user pool's domain: Cognito's managed login and OIDC endpoints.

In AWS the web app sends an official to managed login (``UserPoolDomain`` in template.yaml) with
an authorization code request and PKCE, and trades the code for tokens at ``/oauth2/token``
(docs/decisions/0018-sign-in-for-people.md). Locally this module answers the same endpoints on a
port of its own, for the template's ``WebAppClient``: its id, callback and logout URLs, scopes and
token lifetimes are read from the template as provisioned, and the tokens are the dev issuer's
(``issuer.py`` signs them all), so the local API accepts them as API Gateway accepts Cognito's.

What differs, on purpose: no password. The authorize page lists the demo officials and finds any
other employee by name, username or NIP; picking one signs in as him. Only an employee (as
``eoffice token`` checks) may sign in. There is no sign-in session either: every authorize request
shows the page, where managed login would remember the official for its session.

Endpoints (as on ``<prefix>.auth.<region>.amazoncognito.com``, discovery and keys as on the
issuer): ``GET /.well-known/openid-configuration``, ``GET /.well-known/jwks.json``,
``GET|POST /oauth2/authorize``, ``POST /oauth2/token`` (``authorization_code`` with
``code_verifier``, ``refresh_token``), ``GET /oauth2/userInfo``, ``POST /oauth2/revoke``,
``GET /logout``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
import logging
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from eoffice_local.gateway import Answer
from eoffice_local.issuer import DevIssuer, InvalidToken
from eoffice_local.provision import Stack
from eoffice_local.template import Template

log = logging.getLogger("eoffice.local.signin")
WEB_CLIENT = "WebAppClient"
CALLBACK_PATH = "/masuk/selesai"
CODE_TTL = 300
"""Seconds an authorization code may wait for its exchange (Cognito's: five minutes)."""
SEARCH_RESULTS = 20
_UNIT_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}
# Cognito's lifetimes when a client names none, and CloudFormation's units when it names no unit.
_COGNITO_DEFAULT_SECONDS = {"IdToken": 3600, "AccessToken": 3600, "RefreshToken": 30 * 86400}
_CLOUDFORMATION_UNIT = {"IdToken": "hours", "AccessToken": "hours", "RefreshToken": "days"}


# ------------------------------------------------------------------------------ the app client
@dataclass(frozen=True)
class WebClient:
    """The web app's user pool client as the template declares it."""

    client_id: str
    callback_urls: tuple[str, ...]
    logout_urls: tuple[str, ...]
    scopes: tuple[str, ...]
    id_token_ttl: int
    access_token_ttl: int
    refresh_token_ttl: int

    @property
    def origins(self) -> frozenset[str]:
        """The web origins that may call the token endpoint from a browser (CORS)."""
        return frozenset(_origin(url) for url in (*self.callback_urls, *self.logout_urls))


def web_client(
    template: Template,
    stack: Stack,
    *,
    logical_id: str = WEB_CLIENT,
    callback_urls: Iterable[str] | None = None,
    logout_urls: Iterable[str] | None = None,
) -> WebClient:
    """``logical_id``'s settings, resolved against ``stack``; callback and logout URLs may be
    given instead of the template's (``eoffice dev`` derives them from the web port)."""
    props = stack.resolve(template.resources[logical_id].get("Properties") or {})
    units = props.get("TokenValidityUnits") or {}

    def seconds(name: str) -> int:
        amount = props.get(f"{name}Validity")
        if amount is None:
            return _COGNITO_DEFAULT_SECONDS[name]
        return int(amount) * _UNIT_SECONDS[units.get(name) or _CLOUDFORMATION_UNIT[name]]

    return WebClient(
        client_id=str(stack.refs[logical_id]),
        callback_urls=tuple(callback_urls or props.get("CallbackURLs") or ()),
        logout_urls=tuple(logout_urls or props.get("LogoutURLs") or ()),
        scopes=tuple(props.get("AllowedOAuthScopes") or ("openid",)),
        id_token_ttl=seconds("IdToken"),
        access_token_ttl=seconds("AccessToken"),
        refresh_token_ttl=seconds("RefreshToken"),
    )


def local_web_urls(web_port: int) -> tuple[list[str], list[str]]:
    """Callback and logout URLs of a web app served locally on ``web_port``."""
    origins = [f"http://127.0.0.1:{web_port}", f"http://localhost:{web_port}"]
    return [o + CALLBACK_PATH for o in origins], [o + "/" for o in origins]


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def pkce_challenge(verifier: str) -> str:
    """S256: base64url of the verifier's SHA-256, without padding (RFC 7636)."""
    digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


# ------------------------------------------------------------------------------ the people
@dataclass(frozen=True)
class Person:
    username: str
    name: str
    position: str
    unit: str
    email: str | None


class Directory:
    """Who may sign in: the organisation's employees (the org table, as ``eoffice token``)."""

    def __init__(self, featured: Iterable[str]) -> None:
        self.featured = tuple(featured)

    def find(self, username: str) -> Person | None:
        from eoffice.org import store

        if not username.strip():
            return None
        nip = store.nip_for_username(username.strip().lower())
        employee = store.get_employee(nip) if nip else None
        return self._people([employee])[0] if employee else None

    def demo_officials(self) -> list[Person]:
        from eoffice.org import store

        nips = [store.nip_for_username(name) for name in self.featured]
        found = store.employees_by_nip([nip for nip in nips if nip])
        by_username = {employee.username: employee for employee, _ in found.values()}
        ordered = [by_username[name] for name in self.featured if name in by_username]
        return self._people(ordered)

    def search(self, query: str, limit: int = SEARCH_RESULTS) -> list[Person]:
        """Active employees whose name, username or NIP contains ``query`` (a scan of the
        employee collection: enough for a demo regency)."""
        wanted = query.strip().casefold()
        if not wanted:
            return []
        matches = []
        for employee in self._employees():
            fields = (employee.name, employee.username, employee.nip)
            if employee.active and any(wanted in text.casefold() for text in fields):
                matches.append(employee)
                if len(matches) >= limit:
                    break
        return self._people(matches)

    @staticmethod
    def _employees() -> Iterator[Any]:
        from eoffice.org import store

        cursor: str | None = None
        while True:
            page, cursor = store.list_employees(None, limit=100, cursor=cursor)
            yield from page
            if not cursor:
                return

    @staticmethod
    def _people(employees: list[Any]) -> list[Person]:
        from eoffice.org import store

        positions: dict[str, str] = {}
        units: dict[str, str] = {}
        people = []
        for employee in employees:
            if employee.position_id and employee.position_id not in positions:
                position = store.get_position(employee.position_id)
                positions[employee.position_id] = position.name if position else ""
            if employee.unit_id not in units:
                unit = store.get_unit(employee.unit_id)
                units[employee.unit_id] = unit.name if unit else ""
            people.append(
                Person(
                    username=employee.username,
                    name=employee.name,
                    position=positions.get(employee.position_id or "", ""),
                    unit=units[employee.unit_id],
                    email=employee.email,
                )
            )
        return people


# ------------------------------------------------------------------------------ grants
@dataclass(frozen=True)
class _Code:
    client_id: str
    redirect_uri: str
    username: str
    challenge: str
    scopes: tuple[str, ...]
    nonce: str | None
    auth_time: int
    expires: float


@dataclass(frozen=True)
class _Refresh:
    client_id: str
    username: str
    scopes: tuple[str, ...]
    auth_time: int
    expires: float


class OAuthError(Exception):
    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error, self.description, self.status = error, description, status


# ------------------------------------------------------------------------------ the service
@dataclass
class SignIn:
    """The endpoints' logic; HTTP transport is the gateway's :class:`Server`."""

    client: WebClient
    issuer: DevIssuer
    directory: Directory
    base_url: str = "http://127.0.0.1:3002"
    code_ttl: int = CODE_TTL
    clock: Callable[[], float] = time.time
    _codes: dict[str, _Code] = field(default_factory=dict)
    _refresh: dict[str, _Refresh] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def auth_config(self) -> dict[str, str]:
        """The ``auth`` part of the web app's ``/config.json`` (the shared contract)."""
        return {
            "authority": self.issuer.issuer,
            "metadataUrl": f"{self.base_url}/.well-known/openid-configuration",
            "clientId": self.client.client_id,
            "scope": " ".join(self.client.scopes),
            "signOutUrl": f"{self.base_url}/logout",
        }

    # ------------------------------------------------------------ dispatch
    def handle(
        self, method: str, target: str, headers: dict[str, str], body: bytes, source_ip: str
    ) -> Answer:
        try:
            return self._route(method, target, headers, body)
        except Exception:  # the org table unreachable, say: an answer, not a dropped connection
            log.exception("sign-in failed on %s %s", method, urlsplit(target).path)
            return _json(500, {"error": "server_error"})

    def _route(self, method: str, target: str, headers: dict[str, str], body: bytes) -> Answer:
        url = urlsplit(target)
        query = dict(parse_qsl(url.query, keep_blank_values=True))
        origin = headers.get("origin")
        route = (method, url.path)
        if route == ("GET", "/.well-known/openid-configuration"):
            return _json(200, self.discovery(), origin=self._cors(origin))
        if route == ("GET", "/.well-known/jwks.json"):
            return _json(200, {"keys": [self.issuer.public_jwk()]}, origin=self._cors(origin))
        if route == ("GET", "/oauth2/authorize"):
            return self.authorize(query)
        if route == ("POST", "/oauth2/authorize"):
            return self.authorize(_form(headers, body), chosen=True)
        if method == "OPTIONS" and url.path in {
            "/oauth2/token",
            "/oauth2/revoke",
            "/oauth2/userInfo",
        }:
            return self._preflight(origin)
        if route == ("POST", "/oauth2/token"):
            return self._oauth(lambda: self.token(headers, body), origin)
        if route == ("POST", "/oauth2/revoke"):
            return self._oauth(lambda: self.revoke(headers, body), origin)
        if route == ("GET", "/oauth2/userInfo"):
            return self._oauth(lambda: self.userinfo(headers), origin)
        if route == ("GET", "/logout"):
            return self.logout(query)
        return _json(404, {"error": "not_found"})

    def discovery(self) -> dict[str, Any]:
        base = self.base_url
        return {
            "issuer": self.issuer.issuer,
            "authorization_endpoint": f"{base}/oauth2/authorize",
            "token_endpoint": f"{base}/oauth2/token",
            "userinfo_endpoint": f"{base}/oauth2/userInfo",
            "revocation_endpoint": f"{base}/oauth2/revoke",
            "end_session_endpoint": f"{base}/logout",
            "jwks_uri": f"{base}/.well-known/jwks.json",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code", "refresh_token"],
            "scopes_supported": list(self.client.scopes),
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["none"],
            "code_challenge_methods_supported": ["S256"],
        }

    # ------------------------------------------------------------ authorize
    def authorize(self, params: dict[str, str], *, chosen: bool = False) -> Answer:
        """The page to pick an official (GET), or his choice (POST) redirected with a code."""
        if params.get("client_id") != self.client.client_id:
            return _page(400, _problem_page("Aplikasi tidak dikenal", _UNKNOWN_CLIENT), self.client)
        redirect_uri = params.get("redirect_uri", "")
        if redirect_uri not in self.client.callback_urls:
            return _page(400, _problem_page("Alamat kembali ditolak", _BAD_REDIRECT), self.client)
        state = params.get("state")
        try:
            scopes = self._check_request(params)
        except OAuthError as error:
            return _redirect(
                redirect_uri,
                {"error": error.error, "error_description": error.description, "state": state},
            )
        if not chosen:
            return self._picker(params, query=params.get("q", ""))
        person = self.directory.find(params.get("username", ""))
        if person is None:
            unknown = f"Pengguna “{params.get('username', '')}” tidak terdaftar sebagai pegawai."
            return self._picker(params, query=params.get("q", ""), status=400, notice=unknown)
        code = secrets.token_urlsafe(32)
        now = self.clock()
        grant = _Code(
            client_id=self.client.client_id,
            redirect_uri=redirect_uri,
            username=person.username,
            challenge=params["code_challenge"],
            scopes=scopes,
            nonce=params.get("nonce") or None,
            auth_time=int(now),
            expires=now + self.code_ttl,
        )
        with self._lock:
            self._codes = {k: v for k, v in self._codes.items() if v.expires > now}
            self._codes[code] = grant
        return _redirect(redirect_uri, {"code": code, "state": state})

    def _check_request(self, params: dict[str, str]) -> tuple[str, ...]:
        if params.get("response_type") != "code":
            raise OAuthError("unsupported_response_type", "Hanya response_type=code yang didukung.")
        challenge = params.get("code_challenge", "")
        if params.get("code_challenge_method") != "S256" or not 43 <= len(challenge) <= 128:
            raise OAuthError(
                "invalid_request", "PKCE wajib: code_challenge dengan code_challenge_method=S256."
            )
        requested = tuple(params.get("scope", "").split()) or self.client.scopes
        if "openid" not in requested or not set(requested) <= set(self.client.scopes):
            raise OAuthError("invalid_scope", "Cakupan (scope) tidak diizinkan untuk aplikasi ini.")
        return requested

    def _picker(
        self, params: dict[str, str], *, query: str, status: int = 200, notice: str | None = None
    ) -> Answer:
        carried = {
            name: params[name]
            for name in (
                "client_id",
                "redirect_uri",
                "response_type",
                "scope",
                "state",
                "nonce",
                "code_challenge",
                "code_challenge_method",
            )
            if params.get(name)
        }
        found = self.directory.search(query) if query.strip() else None
        text = _picker_page(self.directory.demo_officials(), found, query, carried, notice)
        return _page(status, text, self.client)

    # ------------------------------------------------------------ token
    def token(self, headers: dict[str, str], body: bytes) -> dict[str, Any]:
        form = _form(headers, body, strict=True)
        if form.get("client_id") != self.client.client_id:
            raise OAuthError("invalid_client", "Unknown client_id.")
        grant = form.get("grant_type")
        if grant == "authorization_code":
            return self._exchange(form)
        if grant == "refresh_token":
            return self._refreshed(form)
        raise OAuthError("unsupported_grant_type", "Use authorization_code or refresh_token.")

    def _exchange(self, form: dict[str, str]) -> dict[str, Any]:
        with self._lock:  # single use: gone at the first attempt, right or wrong
            grant = self._codes.pop(form.get("code", ""), None)
        if grant is None or grant.expires <= self.clock():
            raise OAuthError("invalid_grant", "The code is unknown, used or expired.")
        if grant.client_id != form.get("client_id") or grant.redirect_uri != form.get(
            "redirect_uri"
        ):
            raise OAuthError("invalid_grant", "The code was issued for another client or URI.")
        verifier = form.get("code_verifier", "")
        if not hmac.compare_digest(pkce_challenge(verifier), grant.challenge):
            raise OAuthError("invalid_grant", "code_verifier does not match code_challenge.")
        person = self._still_employed(grant.username)
        refresh = secrets.token_urlsafe(48)
        with self._lock:
            self._refresh[refresh] = _Refresh(
                client_id=grant.client_id,
                username=person.username,
                scopes=grant.scopes,
                auth_time=grant.auth_time,
                expires=self.clock() + self.client.refresh_token_ttl,
            )
        tokens = self._tokens(person, grant.scopes, grant.auth_time, grant.nonce)
        return tokens | {"refresh_token": refresh}

    def _refreshed(self, form: dict[str, str]) -> dict[str, Any]:
        with self._lock:
            grant = self._refresh.get(form.get("refresh_token", ""))
        if grant is None or grant.expires <= self.clock() or grant.client_id != form["client_id"]:
            raise OAuthError("invalid_grant", "Refresh Token has been revoked or has expired.")
        person = self._still_employed(grant.username)
        # As Cognito without rotation: new ID and access tokens, the same refresh token.
        return self._tokens(person, grant.scopes, grant.auth_time, None)

    def _still_employed(self, username: str) -> Person:
        person = self.directory.find(username)
        if person is None:
            raise OAuthError("invalid_grant", "The user is no longer an employee.")
        return person

    def _tokens(
        self, person: Person, scopes: tuple[str, ...], auth_time: int, nonce: str | None
    ) -> dict[str, Any]:
        now = self.clock()
        client_id = self.client.client_id
        access = self.issuer.issue(
            person.username,
            ttl=self.client.access_token_ttl,
            now=now,
            aud=None,
            client_id=client_id,
            token_use="access",  # noqa: S106 (a claim, not a password)
            scope=" ".join(scopes),
            username=person.username,
            auth_time=auth_time,
            **{"cognito:username": None},
        )
        identity = self.issuer.issue(
            person.username,
            ttl=self.client.id_token_ttl,
            now=now,
            email=person.email if "email" in scopes else None,
            aud=client_id,
            auth_time=auth_time,
            nonce=nonce,
            at_hash=_at_hash(access),
        )
        return {
            "id_token": identity,
            "access_token": access,
            "expires_in": self.client.access_token_ttl,
            "token_type": "Bearer",
        }

    def revoke(self, headers: dict[str, str], body: bytes) -> dict[str, Any]:
        form = _form(headers, body, strict=True)
        if form.get("client_id") != self.client.client_id:
            raise OAuthError("invalid_client", "Unknown client_id.")
        with self._lock:
            grant = self._refresh.get(form.get("token", ""))
            if grant is not None and grant.client_id == form["client_id"]:
                del self._refresh[form["token"]]
        return {}

    def userinfo(self, headers: dict[str, str]) -> dict[str, Any]:
        token = headers.get("authorization", "").removeprefix("Bearer ").strip()
        try:
            claims = self.issuer.verify(
                token, issuer=self.issuer.issuer, audiences=[self.client.client_id]
            )
        except InvalidToken:
            raise OAuthError("invalid_token", "Access token is not valid.", 401) from None
        if claims.get("token_use") != "access":
            raise OAuthError("invalid_token", "An access token is needed.", 401)
        person = self._still_employed(str(claims["username"]))
        answer: dict[str, Any] = {"sub": claims["sub"], "username": person.username}
        if person.email and "email" in str(claims.get("scope", "")).split():
            answer |= {"email": person.email, "email_verified": "true"}
        return answer

    # ------------------------------------------------------------ logout
    def logout(self, params: dict[str, str]) -> Answer:
        if params.get("client_id") != self.client.client_id:
            return _page(400, _problem_page("Aplikasi tidak dikenal", _UNKNOWN_CLIENT), self.client)
        target = params.get("logout_uri", "")
        if target not in self.client.logout_urls:
            return _page(400, _problem_page("Alamat keluar ditolak", _BAD_LOGOUT), self.client)
        return Answer(302, {"location": target, "cache-control": "no-store"}, b"")

    # ------------------------------------------------------------ CORS
    def _cors(self, origin: str | None) -> str | None:
        return origin if origin and origin in self.client.origins else None

    def _preflight(self, origin: str | None) -> Answer:
        allowed = self._cors(origin)
        if allowed is None:
            return Answer(204, {}, b"")
        headers = {
            "access-control-allow-origin": allowed,
            "access-control-allow-methods": "GET,POST,OPTIONS",
            "access-control-allow-headers": "authorization,content-type",
            "access-control-max-age": "600",
            "vary": "origin",
        }
        return Answer(204, headers, b"")

    def _oauth(self, call: Callable[[], dict[str, Any]], origin: str | None) -> Answer:
        try:
            return _json(200, call(), origin=self._cors(origin))
        except OAuthError as error:
            body = {"error": error.error, "error_description": error.description}
            answer = _json(error.status, body, origin=self._cors(origin))
            if error.status == 401:
                answer.headers["www-authenticate"] = f'Bearer error="{error.error}"'
            return answer


# ------------------------------------------------------------------------------ HTTP pieces
def _form(headers: dict[str, str], body: bytes, *, strict: bool = False) -> dict[str, str]:
    kind = headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        if strict:
            raise OAuthError(
                "invalid_request", "The body must be application/x-www-form-urlencoded."
            )
        return {}
    try:
        return dict(parse_qsl(body.decode(), keep_blank_values=True))
    except UnicodeDecodeError:
        if strict:
            raise OAuthError("invalid_request", "The body is not UTF-8.") from None
        return {}


def _json(status: int, body: dict[str, Any], *, origin: str | None = None) -> Answer:
    headers = {
        "content-type": "application/json;charset=UTF-8",
        "cache-control": "no-store",
        "pragma": "no-cache",
    }
    if origin is not None:
        headers |= {"access-control-allow-origin": origin, "vary": "origin"}
    return Answer(status, headers, json.dumps(body).encode())


def _redirect(uri: str, params: dict[str, str | None]) -> Answer:
    query = urlencode({name: value for name, value in params.items() if value is not None})
    separator = "&" if urlsplit(uri).query else "?"
    return Answer(302, {"location": f"{uri}{separator}{query}", "cache-control": "no-store"}, b"")


def _at_hash(access_token: str) -> str:
    digest = hashlib.sha256(access_token.encode()).digest()
    return base64.urlsafe_b64encode(digest[: len(digest) // 2]).rstrip(b"=").decode()


# ------------------------------------------------------------------------------ the pages
_UNKNOWN_CLIENT = "Permintaan masuk ini berasal dari aplikasi yang tidak terdaftar (client_id)."
_BAD_REDIRECT = (
    "Alamat kembali (redirect_uri) tidak terdaftar untuk aplikasi ini, jadi halaman masuk tidak "
    "mengirim Anda ke sana."
)
_BAD_LOGOUT = "Alamat setelah keluar (logout_uri) tidak terdaftar untuk aplikasi ini."
_STYLE = """
body{font-family:system-ui,sans-serif;margin:0;background:#f4f6f8;color:#1d2733}
main{max-width:46rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
.note{background:#fff4d6;border-left:4px solid #c98a00;padding:.75rem 1rem}
.error{background:#fde7e7;border-left:4px solid #b3261e;padding:.75rem 1rem}
ul{list-style:none;padding:0}li{margin:.4rem 0}
button.person{display:block;width:100%;text-align:left;padding:.6rem .8rem;border:1px solid #c5ced8;
border-radius:6px;background:#fff;cursor:pointer;font:inherit}
button.person:hover,button.person:focus{border-color:#1a5fb4;outline:2px solid #1a5fb4}
.who{font-weight:600}.what{display:block;color:#4a5866;font-size:.9rem}
form.search{display:flex;gap:.5rem}form.search input{flex:1;padding:.5rem;font:inherit}
"""


def _page(status: int, text: str, client: WebClient) -> Answer:
    # A form's redirect to the app's callback counts as form-action: the app's origins are named.
    actions = " ".join(["'self'", *sorted(client.origins)])
    headers = {
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-store",
        "content-security-policy": (
            f"default-src 'none'; style-src 'unsafe-inline'; form-action {actions}; "
            "frame-ancestors 'none'; base-uri 'none'"
        ),
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
    }
    return Answer(status, headers, text.encode())


def _document(title: str, content: str) -> str:
    return (
        '<!doctype html><html lang="id"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body><main>{content}</main></body></html>"
    )


def _problem_page(title: str, message: str) -> str:
    content = (
        f'<h1>{html.escape(title)}</h1><p class="error">{html.escape(message)}</p>'
        "<p>Kembali ke aplikasi e-Office dan coba masuk lagi.</p>"
    )
    return _document(f"{title} — e-Office", content)


def _hidden(fields: dict[str, str]) -> str:
    return "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
        for k, v in fields.items()
    )


def _people_list(people: list[Person]) -> str:
    items = []
    for person in people:
        what = " — ".join(part for part in (person.position, person.unit) if part)
        items.append(
            f'<li><button class="person" type="submit" name="username" '
            f'value="{html.escape(person.username)}"><span class="who">'
            f"{html.escape(person.name)}</span> ({html.escape(person.username)})"
            f'<span class="what">{html.escape(what)}</span></button></li>'
        )
    return "<ul>" + "".join(items) + "</ul>"


def _picker_page(
    officials: list[Person],
    found: list[Person] | None,
    query: str,
    carried: dict[str, str],
    notice: str | None,
) -> str:
    parts = [
        "<h1>Masuk ke e-Office Kabupaten Luwu Timur</h1>",
        '<p class="note"><strong>Lingkungan pengembangan lokal.</strong> Halaman ini pengganti '
        "halaman masuk Cognito dan <strong>tidak meminta kata sandi</strong>: pilih seorang "
        "pegawai untuk masuk sebagai dia. Di AWS, pegawai masuk dengan nama pengguna dan kata "
        "sandinya sendiri.</p>",
    ]
    if notice:
        parts.append(f'<p class="error" role="alert">{html.escape(notice)}</p>')
    # Each list is a form of its own whose buttons post the choice with the request it carries;
    # the search is a form GET carrying the same request: no script anywhere.
    choose = '<form method="post" action="/oauth2/authorize">' + _hidden(carried)
    parts.append("<h2>Pejabat demo</h2>")
    parts.append(
        choose + _people_list(officials) + "</form>"
        if officials
        else "<p>Data demo belum dimuat: cari pegawai.</p>"
    )
    parts.append(
        "<h2>Cari pegawai lain</h2>"
        '<form class="search" method="get" action="/oauth2/authorize">'
        + _hidden(carried)
        + '<input name="q" type="search" aria-label="Nama, nama pengguna, atau NIP" '
        f'value="{html.escape(query)}" placeholder="Nama, nama pengguna, atau NIP">'
        '<button type="submit">Cari</button></form>'
    )
    if found is not None:
        parts.append(f"<h2>Hasil pencarian “{html.escape(query)}”</h2>")
        parts.append(
            choose + _people_list(found) + "</form>"
            if found
            else f"<p>Tidak ada pegawai aktif yang cocok dengan “{html.escape(query)}”.</p>"
        )
    return _document("Masuk — e-Office (lokal)", "".join(parts))
