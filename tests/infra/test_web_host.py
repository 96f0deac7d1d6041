"""The local web host over HTTP, as a browser meets it: a build of the app served the way the
CloudFront distribution of template.yaml serves it (routing, the response headers policy, cache
headers, compression), /config.json from the running environment, and a page in Bahasa
Indonesia when there is no build."""

from __future__ import annotations

import gzip
import http.client
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from eoffice_local.emulator import free_port
from eoffice_local.environment import LocalEnvironment
from eoffice_local.gateway import Server
from eoffice_local.web_build import STAMP
from eoffice_local.web_host import WebServer

INDEX = (
    "<!doctype html><html lang='id'><head><title>e-Office</title>"
    + ("<link rel='stylesheet' href='/assets/index-Bq3xK9aZ.css'>" * 40)
    + "</head><body><div id='app'></div></body></html>"
)
SCRIPT = "export function app(){return 'surat masuk';}\n" * 200


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("dist")
    (folder / "assets").mkdir()
    (folder / "index.html").write_text(INDEX)
    (folder / "assets" / "index-C4fe91Ab.js").write_text(SCRIPT)
    (folder / "sw.js").write_text("self.addEventListener('install', () => self.skipWaiting());\n")
    (folder / "manifest.webmanifest").write_text(json.dumps({"name": "e-Office"}))
    (folder / "icon-192.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(2000))
    (folder / STAMP).touch()
    return folder


@pytest.fixture(scope="module")
def web(
    local_env: LocalEnvironment, server: Server, dist: Path
) -> Iterator[tuple[WebServer, Server]]:
    served = local_env.serve_web(
        port=free_port(), dist=dist, signin_url="http://127.0.0.1:3902", api_url=server.url
    )
    yield served, server
    served.stop()


@pytest.fixture
def client(web: tuple[WebServer, Server]) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=web[0].url, timeout=10) as http:
        yield http


def _policy(local_env: LocalEnvironment) -> dict:
    props = local_env.template.resources["WebSecurityHeaders"]["Properties"]
    return props["ResponseHeadersPolicyConfig"]


def test_every_answer_carries_the_templates_response_headers(
    client: httpx.Client, local_env: LocalEnvironment, web: tuple[WebServer, Server]
) -> None:
    security = _policy(local_env)["SecurityHeadersConfig"]
    for path in ("/", "/surat/abc", "/assets/index-C4fe91Ab.js", "/config.json", "/nope.js"):
        answer = client.get(path)
        assert answer.headers["x-frame-options"] == security["FrameOptions"]["FrameOption"]
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["referrer-policy"] == "strict-origin-when-cross-origin"
        assert answer.headers["strict-transport-security"] == (
            "max-age=63072000; includeSubDomains; preload"
        )
        assert answer.headers["permissions-policy"].startswith("geolocation=(self), camera=(self)")
    csp = client.get("/").headers["content-security-policy"]
    # The template's policy with its origins made local: this API, the sign-in host, the emulator.
    text = security["ContentSecurityPolicy"]["ContentSecurityPolicy"]["Fn::Sub"][0]
    assert csp.split("; ")[0] == text.split("; ")[0] == "default-src 'self'"
    directives = {d.split()[0]: d.split()[1:] for d in csp.split("; ")}
    assert directives["script-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    api = web[1].url
    emulator = local_env.stack.endpoint_url.rstrip("/")
    intake = local_env.stack.refs["IntakeBucket"]
    assert {"'self'", api, "http://127.0.0.1:3902", f"{emulator}/{intake}"} <= set(
        directives["connect-src"]
    )
    assert "http://127.0.0.1:3902" in directives["form-action"]
    assert "amazonaws.com" not in csp and "amazoncognito.com" not in csp


def test_paths_without_an_extension_are_the_apps_and_get_index_html(client: httpx.Client) -> None:
    for path in ("/", "/surat/abc", "/masuk/selesai", "/disposisi/01J9/tugas?tab=1"):
        answer = client.get(path)
        assert answer.status_code == 200, path
        assert answer.text == INDEX, path
        assert answer.headers["content-type"] == "text/html; charset=utf-8"
        assert answer.headers["cache-control"] == "no-cache"
    assert client.get("/assets/missing.js").status_code == 404
    assert client.get("/surat/abc.pdf").status_code == 404, "a file name is never the app's route"
    assert client.get("/.eoffice-build").status_code == 404, "dot files are not served"
    assert client.get("/%2e%2e/%2e%2e/pyproject.toml").status_code == 404
    assert client.post("/surat").status_code == 405


def test_cache_headers_and_types_per_kind_of_file(client: httpx.Client) -> None:
    expected = {
        "/assets/index-C4fe91Ab.js": ("text/javascript", "public, max-age=31536000, immutable"),
        "/sw.js": ("text/javascript", "no-cache"),
        "/index.html": ("text/html", "no-cache"),
        "/manifest.webmanifest": ("application/manifest+json", "no-cache"),
        "/config.json": ("application/json", "no-cache"),
        "/icon-192.png": ("image/png", "public, max-age=3600"),
    }
    for path, (kind, cache) in expected.items():
        answer = client.get(path)
        assert answer.status_code == 200, path
        assert answer.headers["content-type"].split(";")[0] == kind, path
        assert answer.headers["cache-control"] == cache, path


def test_a_revalidation_of_an_unchanged_file_is_a_304(client: httpx.Client) -> None:
    first = client.get("/index.html")
    again = client.get("/index.html", headers={"if-none-match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


def _raw(url: str, path: str, headers: dict[str, str]) -> tuple[dict[str, str], bytes]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def test_text_travels_gzipped_to_a_client_that_accepts_it(web: tuple[WebServer, Server]) -> None:
    url = web[0].url
    headers, body = _raw(url, "/assets/index-C4fe91Ab.js", {"accept-encoding": "gzip, br"})
    assert headers["content-encoding"] == "gzip" and headers["vary"] == "Accept-Encoding"
    assert gzip.decompress(body).decode() == SCRIPT
    assert len(body) < len(SCRIPT) / 10
    headers, body = _raw(url, "/assets/index-C4fe91Ab.js", {})
    assert "content-encoding" not in headers and body.decode() == SCRIPT
    headers, body = _raw(url, "/icon-192.png", {"accept-encoding": "gzip"})
    assert "content-encoding" not in headers, "images are not compressed again"
    headers, body = _raw(url, "/sw.js", {"accept-encoding": "gzip"})
    assert "content-encoding" not in headers, "under 1,000 bytes: CloudFront sends it as it is"


def test_config_json_points_the_app_at_this_environment(
    client: httpx.Client, local_env: LocalEnvironment, web: tuple[WebServer, Server]
) -> None:
    config = client.get("/config.json").json()
    audience = local_env.stack.refs.get("WebAppClient") or local_env.issuer.audience
    assert config == {
        "apiUrl": web[1].url,
        "auth": {
            "authority": local_env.issuer.issuer,
            "metadataUrl": "http://127.0.0.1:3902/.well-known/openid-configuration",
            "clientId": audience,
            "scope": "openid email profile",
            "signOutUrl": "http://127.0.0.1:3902/logout",
        },
        "stage": "dev",
        "basemapUrl": "",  # no tiles unless asked for (ADR 0027): nothing fetches a tile server
    }


def test_a_basemap_is_in_the_config_and_its_origin_in_img_src(
    local_env: LocalEnvironment, server: Server, dist: Path
) -> None:
    tiles = "https://tiles.example.test/osm/{z}/{x}/{y}.png"
    served = local_env.serve_web(port=free_port(), dist=dist, api_url=server.url, basemap_url=tiles)
    try:
        with httpx.Client(base_url=served.url, timeout=10) as http:
            assert http.get("/config.json").json()["basemapUrl"] == tiles
            csp = http.get("/").headers["content-security-policy"]
    finally:
        served.stop()
    (img,) = [d.strip() for d in csp.split(";") if d.strip().startswith("img-src ")]
    assert img.split()[-1] == "https://tiles.example.test"
    connect = next(d for d in csp.split(";") if d.strip().startswith("connect-src"))
    assert "tiles.example.test" not in connect


def test_the_web_origin_may_call_the_api(
    client: httpx.Client, web: tuple[WebServer, Server]
) -> None:
    """CorsAllowOrigins' default "*" as the local gateway answers a preflight from the app."""
    preflight = httpx.options(
        f"{web[1].url}/me",
        headers={
            "origin": web[0].url,
            "access-control-request-method": "GET",
            "access-control-request-headers": "authorization",
        },
        timeout=10,
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] in {"*", web[0].url}
    assert "authorization" in preflight.headers["access-control-allow-headers"]


def test_without_a_build_the_host_says_so_in_bahasa_indonesia(
    local_env: LocalEnvironment, server: Server, tmp_path: Path
) -> None:
    served = local_env.serve_web(port=free_port(), dist=tmp_path / "dist", api_url=server.url)
    try:
        page = httpx.get(f"{served.url}/surat/abc", timeout=10)
        assert page.status_code == 503
        assert "Aplikasi web belum dibangun" in page.text and "make dev" in page.text
        assert page.headers["x-frame-options"] == "DENY"
        assert httpx.get(f"{served.url}/assets/x.js", timeout=10).status_code == 404
        config = httpx.get(f"{served.url}/config.json", timeout=10).json()
        assert config["apiUrl"] == server.url
    finally:
        served.stop()


def test_with_the_sign_in_stand_in_the_config_is_its_own(
    local_env: LocalEnvironment, server: Server, dist: Path
) -> None:
    """As ``eoffice dev`` runs them: the web host's config.json and CSP name the sign-in
    stand-in it serves, and the client is the template's WebAppClient (the tokens' aud)."""
    signin = local_env.serve_signin(free_port())
    served = local_env.serve_web(port=free_port(), dist=dist, api_url=server.url)
    try:
        answer = httpx.get(f"{served.url}/config.json", timeout=10)
        config = answer.json()
        assert local_env.signin is not None
        assert config["auth"] == local_env.signin.auth_config()
        assert config["auth"]["clientId"] == local_env.stack.refs["WebAppClient"]
        assert config["auth"]["metadataUrl"] == f"{signin.url}/.well-known/openid-configuration"
        discovery = httpx.get(config["auth"]["metadataUrl"], timeout=10).json()
        assert discovery["issuer"] == config["auth"]["authority"]
        csp = answer.headers["content-security-policy"]
        assert f"form-action 'self' {signin.url}" in csp
    finally:
        served.stop()
        signin.stop()
        local_env.signin = None
