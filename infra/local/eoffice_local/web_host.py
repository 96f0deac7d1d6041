"""The web app's local host: CloudFront and the web bucket, played from template.yaml.

It serves a build of ``web/`` (``web/dist``) as the distribution does: a path whose last
segment has no file extension is the app's route and gets ``/index.html`` (the template's
routing function), every answer carries the template's response headers policy (its CSP's
origins resolved to the local API, sign-in and emulator), files get the Cache-Control that
``infra/deploy/publish_web.py`` gives their objects, text is gzipped for a client that accepts
it (as CloudFront compresses), and ``/config.json`` is written from the running environment
(in AWS the deploy helper writes it into the bucket). Without a build it answers a page saying
so instead of failing.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import re
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from eoffice_local.provision import Stack
from eoffice_local.template import Template

__all__ = [
    "NO_CACHE",
    "WebHost",
    "cache_control",
    "content_type",
    "local_config",
    "response_headers",
    "spa_path",
    "with_image_origin",
]

log = logging.getLogger("eoffice.local.web")

NO_CACHE = frozenset({"index.html", "sw.js", "config.json", "manifest.webmanifest"})
"""Files a browser must revalidate on every load: the app's entry, its service worker (a stale
one would keep an old app), the runtime config and the manifest."""
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
SHORT = "public, max-age=3600"
_HASHED_AT_ROOT = re.compile(r"^workbox-[0-9a-f]{8}\.js$")

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".webmanifest": "application/manifest+json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".gif": "image/gif",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".wasm": "application/wasm",
    ".txt": "text/plain; charset=utf-8",
    ".xml": "application/xml",
    ".pdf": "application/pdf",
    ".bcmap": "application/octet-stream",
    ".pfb": "application/octet-stream",
}
_COMPRESSIBLE = ("text/", "application/json", "application/manifest+json", "image/svg+xml")
# CloudFront compresses objects of 1,000 to 10,000,000 bytes.
_COMPRESS_MIN, _COMPRESS_MAX = 1000, 10_000_000


# ------------------------------------------------------------------------- what the host serves


def spa_path(path: str) -> str:
    """The template's routing function: a last segment without '.' is the app's: /index.html."""
    name = path[path.rfind("/") + 1 :]
    return "/index.html" if "." not in name else path


def cache_control(key: str) -> str:
    """Cache-Control of a file of the build, by its key (path under dist/, no leading slash):
    Vite's hashed files under assets/ (and workbox's) never change; the entry, the service
    worker, the config and the manifest are revalidated every time; anything else an hour."""
    name = PurePosixPath(key).name
    if key in NO_CACHE or name.endswith(".html"):
        return REVALIDATE
    if key.startswith("assets/") or _HASHED_AT_ROOT.match(key):
        return IMMUTABLE
    return SHORT


def content_type(key: str) -> str:
    return _TYPES.get(PurePosixPath(key).suffix.lower(), "application/octet-stream")


def response_headers(template: Template, stack: Stack, origins: dict[str, str]) -> dict[str, str]:
    """The headers of the template's response headers policy, as CloudFront adds them.
    ``origins``: values for the CSP's !Sub variables that differ locally (Api, SignIn, Issuer,
    S3); the rest (bucket names) resolves on the local stack."""
    policies = template.resources_of_type("AWS::CloudFront::ResponseHeadersPolicy")
    if len(policies) != 1:
        raise ValueError(f"expected one response headers policy in template.yaml: {policies}")
    (policy,) = policies.values()
    config = policy["Properties"]["ResponseHeadersPolicyConfig"]
    security = config.get("SecurityHeadersConfig") or {}
    headers: dict[str, str] = {}
    csp = (security.get("ContentSecurityPolicy") or {}).get("ContentSecurityPolicy")
    if csp is not None:
        headers["content-security-policy"] = str(stack.resolve(_with_local_origins(csp, origins)))
    hsts = security.get("StrictTransportSecurity")
    if hsts:
        value = f"max-age={int(hsts['AccessControlMaxAgeSec'])}"
        if _true(hsts.get("IncludeSubdomains")):
            value += "; includeSubDomains"
        if _true(hsts.get("Preload")):
            value += "; preload"
        headers["strict-transport-security"] = value
    if security.get("FrameOptions"):
        headers["x-frame-options"] = str(security["FrameOptions"]["FrameOption"])
    if security.get("ContentTypeOptions"):
        headers["x-content-type-options"] = "nosniff"
    if security.get("ReferrerPolicy"):
        headers["referrer-policy"] = str(security["ReferrerPolicy"]["ReferrerPolicy"])
    xss = security.get("XSSProtection")
    if xss:
        headers["x-xss-protection"] = "1; mode=block" if _true(xss.get("Protection")) else "0"
    for item in (config.get("CustomHeadersConfig") or {}).get("Items") or []:
        headers[str(item["Header"]).lower()] = str(stack.resolve(item["Value"]))
    return headers


def with_image_origin(headers: dict[str, str], url: str) -> dict[str, str]:
    """``headers`` with ``url``'s origin allowed in the CSP's img-src (a basemap's tiles are
    images from the tile server); unchanged without a URL or a CSP."""
    parts = urlsplit(url)
    csp = headers.get("content-security-policy")
    if not (parts.scheme and parts.netloc and csp):
        return headers
    origin = f"{parts.scheme}://{parts.netloc}"
    directives = [d.strip() for d in csp.split(";")]
    changed = [f"{d} {origin}" if d.split(" ", 1)[0] == "img-src" else d for d in directives]
    return {**headers, "content-security-policy": "; ".join(changed)}


def _with_local_origins(csp: Any, origins: dict[str, str]) -> Any:
    if isinstance(csp, dict) and isinstance(csp.get("Fn::Sub"), list):
        text, variables = csp["Fn::Sub"]
        unknown = set(origins) - set(variables)
        if unknown:
            raise ValueError(f"the CSP in template.yaml has no variables {sorted(unknown)}")
        return {"Fn::Sub": [text, {**variables, **origins}]}
    return csp


def _true(value: Any) -> bool:
    return value is True or str(value).lower() == "true"


def local_config(
    stack: Stack,
    *,
    api_url: str,
    issuer: str,
    client_id: str,
    signin_url: str | None,
    basemap_url: str = "",
) -> dict[str, Any]:
    """/config.json as the app reads it (the contract in docs/decisions/0020-web-hosting.md):
    the issuer is the one the local JWT check expects; discovery and sign-out are the local
    sign-in host's (without one, the issuer's own). ``basemap_url``: the offices map's tile URL
    template (ADR 0027); empty, the default, draws geofences without tiles, so nothing local
    (the e2e tests above all) ever fetches a tile server."""
    base = (signin_url or issuer).rstrip("/")
    return {
        "basemapUrl": basemap_url,
        "apiUrl": api_url.rstrip("/"),
        "auth": {
            "authority": issuer,
            "metadataUrl": f"{base}/.well-known/openid-configuration",
            "clientId": client_id,
            "scope": "openid email profile",
            "signOutUrl": f"{base}/logout",
        },
        "stage": stack.parameters.get("Stage", "dev"),
    }


NOT_BUILT_PAGE = """<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>Aplikasi web belum dibangun</title></head>
<body>
<h1>Aplikasi web belum dibangun</h1>
<p>Folder <code>{dist}</code> belum berisi hasil build aplikasi web.</p>
<p><code>make dev</code> membangunnya sendiri bila <code>web/package.json</code> ada
(dengan Node.js 20 dan npm); atau jalankan <code>npm --prefix web ci</code> lalu
<code>npm --prefix web run build</code>, kemudian muat ulang halaman ini.</p>
<p>API tetap berjalan: <a href="{api}/docs">{api}/docs</a>.</p>
</body></html>
"""


# ------------------------------------------------------------------------------------ the server


@dataclass
class _File:
    body: bytes
    etag: str
    gzipped: bytes | None
    mtime: float


@dataclass
class WebHost:
    """What is served: the build folder, the policy's headers and the config."""

    dist: Path
    headers: dict[str, str]
    config: dict[str, Any]
    _cache: dict[Path, _File] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def built(self) -> bool:
        return (self.dist / "index.html").is_file()

    def answer(
        self, method: str, target: str, accept_encoding: str = "", if_none_match: str = ""
    ) -> tuple[int, dict[str, str], bytes]:
        if method not in ("GET", "HEAD"):
            return self._plain(405, "Metode tidak diizinkan", {"allow": "GET, HEAD"})
        path = unquote(urlsplit(target).path) or "/"
        if path == "/config.json":
            body = json.dumps(self.config, indent=2).encode()
            return self._file_answer(
                "config.json", body, None, None, if_none_match, accept_encoding
            )
        path = spa_path(path)
        if not self.built:
            if path != "/index.html":
                return self._plain(404, "Tidak ditemukan")
            page = NOT_BUILT_PAGE.format(dist=self.dist, api=self.config["apiUrl"])
            headers = {"content-type": "text/html; charset=utf-8", "cache-control": REVALIDATE}
            return 503, {**self.headers, **headers}, page.encode()
        key = path.lstrip("/")
        file = self._load(key)
        if file is None:
            return self._plain(404, "Tidak ditemukan")
        return self._file_answer(
            key, file.body, file.etag, file.gzipped, if_none_match, accept_encoding
        )

    def _file_answer(
        self,
        key: str,
        body: bytes,
        etag: str | None,
        gzipped: bytes | None,
        if_none_match: str,
        accept_encoding: str,
    ) -> tuple[int, dict[str, str], bytes]:
        kind = content_type(key)
        etag = etag or _etag(body)
        headers = {
            **self.headers,
            "content-type": kind,
            "cache-control": cache_control(key),
            "etag": etag,
        }
        if _compressible(kind, len(body)):
            headers["vary"] = "Accept-Encoding"
        if etag in {t.strip() for t in if_none_match.split(",")}:
            return 304, headers, b""
        if _compressible(kind, len(body)) and _accepts_gzip(accept_encoding):
            headers["content-encoding"] = "gzip"
            return 200, headers, gzipped if gzipped is not None else gzip.compress(body, 6)
        return 200, headers, body

    def _load(self, key: str) -> _File | None:
        if any(part.startswith(".") for part in PurePosixPath(key).parts):
            return None  # dot files (the build stamp) and any '..' are not the app's
        path = (self.dist / key).resolve()
        if not path.is_relative_to(self.dist.resolve()) or not path.is_file():
            return None
        mtime = path.stat().st_mtime
        with self._lock:
            cached = self._cache.get(path)
            if cached is not None and cached.mtime == mtime:
                return cached
        body = path.read_bytes()
        kind = content_type(key)
        packed = gzip.compress(body, 6) if _compressible(kind, len(body)) else None
        loaded = _File(body, _etag(body), packed, mtime)
        with self._lock:
            self._cache[path] = loaded
        return loaded

    def _plain(
        self, status: int, text: str, extra: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        headers = {**self.headers, "content-type": "text/plain; charset=utf-8", **(extra or {})}
        return status, headers, f"{text}\n".encode()


def _etag(body: bytes) -> str:
    return '"' + hashlib.md5(body, usedforsecurity=False).hexdigest() + '"'


def _compressible(kind: str, size: int) -> bool:
    return kind.startswith(_COMPRESSIBLE) and _COMPRESS_MIN <= size <= _COMPRESS_MAX


def _accepts_gzip(header: str) -> bool:
    for part in header.split(","):
        name, _, params = part.strip().partition(";")
        if name.strip().lower() in ("gzip", "*"):
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


class _ListeningServer(ThreadingHTTPServer):
    """A thread per connection and a large backlog, as the API's (gateway.py): a browser opens
    several connections at once, a benchmark many more."""

    request_queue_size = 1024
    daemon_threads = True


class WebServer:
    """Serves a :class:`WebHost` on 127.0.0.1 in a background thread."""

    def __init__(self, host: WebHost, *, address: str = "127.0.0.1", port: int = 3001) -> None:
        self.host = host
        self.httpd = _ListeningServer((address, port), _handler_class(host))
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> WebServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _handler_class(host: WebHost) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "eoffice-local-web"
        disable_nagle_algorithm = True

        def _serve(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            if length:
                self.rfile.read(length)
            status, headers, body = host.answer(
                self.command,
                self.path,
                self.headers.get("accept-encoding", ""),
                self.headers.get("if-none-match", ""),
            )
            self.send_response(status, HTTPStatus(status).phrase)
            for name, value in headers.items():
                self.send_header(name, value)
            if status != 304:
                self.send_header("content-length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _serve  # noqa: N815

        def log_message(self, format: str, *args: Any) -> None:
            if not getattr(self.server, "quiet", True):
                super().log_message(format, *args)

    return Handler
