"""A local HTTP API: API Gateway's part, played from template.yaml.

For each request it does what an HTTP API does before and after Lambda: answer CORS preflights
from the template's CorsConfiguration; pick the route (most specific first, ``{proxy+}`` last);
run the route's JWT authorizer (401 ``{"message":"Unauthorized"}`` without calling the function
when the token is missing, forged, expired or for another audience); build the payload 2.0 event
with path parameters and ``requestContext.authorizer.jwt.claims``; and turn the function's answer
back into HTTP.
"""

from __future__ import annotations

import base64
import json
import logging
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import parse_qsl, unquote, urlsplit

from eoffice_local.issuer import DevIssuer, InvalidToken, claims_as_api_gateway_passes_them
from eoffice_local.provision import Stack
from eoffice_local.runtime_api import FunctionError
from eoffice_local.template import Cors, HttpRoute, Template

Invoke = Callable[[str, Any], Any]
log = logging.getLogger("eoffice.local.gateway")
_TEXT_TYPES = ("text/", "application/json", "application/problem+json", "application/xml")


@dataclass(frozen=True)
class CompiledRoute:
    route: HttpRoute
    pattern: re.Pattern[str]
    names: tuple[str, ...]
    specificity: tuple[int, int, int]

    @property
    def key(self) -> str:
        return f"{self.route.method} {self.route.path}"


def compile_route(route: HttpRoute) -> CompiledRoute:
    """A regex for the route's path; literal segments outrank variables, which outrank greedy."""
    parts: list[str] = []
    names: list[str] = []
    literal = variable = greedy = 0
    for segment in route.path.strip("/").split("/") if route.path != "/" else []:
        match = re.fullmatch(r"\{([^}+]+)(\+?)\}", segment)
        if match and match.group(2):
            parts.append(f"(?P<{_group(match.group(1))}>.+)")
            names.append(match.group(1))
            greedy += 1
        elif match:
            parts.append(f"(?P<{_group(match.group(1))}>[^/]+)")
            names.append(match.group(1))
            variable += 1
        else:
            parts.append(re.escape(segment))
            literal += 1
    pattern = re.compile("^/" + "/".join(parts) + "$")
    return CompiledRoute(route, pattern, tuple(names), (-greedy, literal, -variable))


def _group(name: str) -> str:
    return re.sub(r"\W", "_", name)


class Router:
    def __init__(self, routes: list[HttpRoute]) -> None:
        compiled = [compile_route(route) for route in routes]
        # Most specific first; among equals, a named method before ANY.
        self.routes = sorted(
            compiled, key=lambda c: (c.specificity, c.route.method != "ANY"), reverse=True
        )

    def match(self, method: str, path: str) -> tuple[CompiledRoute, dict[str, str]] | None:
        for candidate in self.routes:
            if candidate.route.method not in {"ANY", method}:
                continue
            found = candidate.pattern.match(path)
            if found:
                values = {name: unquote(found.group(_group(name))) for name in candidate.names}
                return candidate, values
        return None


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    cookies: tuple[str, ...] = ()


def _json_answer(status: int, message: str) -> Answer:
    body = json.dumps({"message": message}).encode()
    return Answer(status, {"content-type": "application/json"}, body)


class LocalHttpApi:
    """The routing, authorisation and event shaping; HTTP transport is in :class:`Server`."""

    def __init__(self, template: Template, stack: Stack, issuer: DevIssuer, invoke: Invoke) -> None:
        self.router = Router(template.routes)
        self.cors: Cors | None = template.cors
        self.stack = stack
        self.issuer = issuer
        self.invoke = invoke
        self.authorizers = {
            name: (
                stack.resolve(auth.issuer),
                [stack.resolve(a) for a in auth.audience],
                auth.identity_source,
            )
            for name, auth in template.authorizers.items()
        }

    # ------------------------------------------------------------ the request path
    def handle(
        self, method: str, target: str, headers: dict[str, str], body: bytes, source_ip: str
    ) -> Answer:
        lowered = {name.lower(): value for name, value in headers.items()}
        if self._is_preflight(method, lowered):
            return self._preflight(lowered)
        url = urlsplit(target)
        matched = self.router.match(method, url.path)
        if matched is None:
            return self._with_cors(_json_answer(404, "Not Found"), lowered)
        route, path_parameters = matched
        claims: dict[str, Any] | None = None
        if route.route.authorizer is not None:
            claims = self._authorize(route.route.authorizer, lowered)
            if claims is None:
                return self._with_cors(_json_answer(401, "Unauthorized"), lowered)
        event = self._event(
            method, url.path, url.query, lowered, body, source_ip, route, path_parameters, claims
        )
        try:
            result = self.invoke(route.route.function, event)
        except FunctionError as error:  # a worker's error: its own log has the traceback
            log.error("%s failed on %s %s: %s", route.route.function, method, url.path, error)
            return self._with_cors(_json_answer(500, "Internal Server Error"), lowered)
        except Exception:  # the Lambda service logs the crash and answers 500
            log.exception("%s crashed on %s %s", route.route.function, method, url.path)
            return self._with_cors(_json_answer(500, "Internal Server Error"), lowered)
        return self._with_cors(_answer_from(result), lowered)

    def _authorize(self, name: str, headers: dict[str, str]) -> dict[str, Any] | None:
        issuer, audiences, source = self.authorizers[name]
        header = source.removeprefix("$request.header.").lower()
        token = headers.get(header, "").strip()
        if token.lower().startswith("bearer "):
            token = token[7:].strip()
        if not token:
            return None
        try:
            return self.issuer.verify(token, issuer=issuer, audiences=audiences)
        except InvalidToken:
            return None

    def _event(
        self,
        method: str,
        path: str,
        query: str,
        headers: dict[str, str],
        body: bytes,
        source_ip: str,
        route: CompiledRoute,
        path_parameters: dict[str, str],
        claims: dict[str, Any] | None,
    ) -> dict[str, Any]:
        now = datetime.now(UTC)
        request_id = base64.b32encode(uuid.uuid4().bytes)[:16].decode()
        text = _is_text(headers.get("content-type", "")) and _is_utf8(body)
        cookies = [c.strip() for c in headers.pop("cookie", "").split(";") if c.strip()]
        authorizer: dict[str, Any] | None = None
        if claims is not None:
            scopes = claims.get("scope")
            authorizer = {
                "jwt": {
                    "claims": claims_as_api_gateway_passes_them(claims),
                    "scopes": scopes.split() if isinstance(scopes, str) else None,
                }
            }
        event: dict[str, Any] = {
            "version": "2.0",
            "routeKey": route.key,
            "rawPath": path,
            "rawQueryString": query,
            "headers": headers,
            "requestContext": {
                "accountId": self.stack.account_id,
                "apiId": "local",
                "domainName": headers.get("host", "127.0.0.1"),
                "domainPrefix": headers.get("host", "127.0.0.1").split(".")[0],
                "http": {
                    "method": method,
                    "path": path,
                    "protocol": "HTTP/1.1",
                    "sourceIp": source_ip,
                    "userAgent": headers.get("user-agent", ""),
                },
                "requestId": request_id,
                "routeKey": route.key,
                "stage": "$default",
                "time": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
                "timeEpoch": int(now.timestamp() * 1000),
            },
            "isBase64Encoded": bool(body) and not text,
        }
        if cookies:
            event["cookies"] = cookies
        if query:
            event["queryStringParameters"] = _query_parameters(query)
        if path_parameters:
            event["pathParameters"] = path_parameters
        if authorizer:
            event["requestContext"]["authorizer"] = authorizer
        if body:
            event["body"] = body.decode() if text else base64.b64encode(body).decode()
        return event

    # ------------------------------------------------------------ CORS
    def _is_preflight(self, method: str, headers: dict[str, str]) -> bool:
        return (
            self.cors is not None
            and method == "OPTIONS"
            and "origin" in headers
            and "access-control-request-method" in headers
        )

    def _allowed_origin(self, origin: str | None) -> str | None:
        if self.cors is None or not origin:
            return None
        allowed = [str(self.stack.resolve(o)) for o in self.cors.allow_origins]
        if "*" in allowed:
            return "*"
        return origin if origin in allowed else None

    def _preflight(self, headers: dict[str, str]) -> Answer:
        assert self.cors is not None
        origin = self._allowed_origin(headers.get("origin"))
        wanted = headers.get("access-control-request-method", "").upper()
        allowed_methods = [m.upper() for m in self.cors.allow_methods]
        if origin is None or ("*" not in allowed_methods and wanted not in allowed_methods):
            return Answer(204, {}, b"")
        answer = {
            "access-control-allow-origin": origin,
            "access-control-allow-methods": ",".join(allowed_methods),
            "access-control-allow-headers": ",".join(self.cors.allow_headers),
        }
        if self.cors.max_age is not None:
            answer["access-control-max-age"] = str(self.cors.max_age)
        if self.cors.allow_credentials:
            answer["access-control-allow-credentials"] = "true"
        return Answer(204, answer, b"")

    def _with_cors(self, answer: Answer, headers: dict[str, str]) -> Answer:
        # API Gateway replaces the integration's CORS headers with its own.
        answer.headers = {
            k: v for k, v in answer.headers.items() if not k.lower().startswith("access-control-")
        }
        origin = self._allowed_origin(headers.get("origin"))
        if origin is not None and self.cors is not None:
            answer.headers["access-control-allow-origin"] = origin
            if self.cors.expose_headers:
                answer.headers["access-control-expose-headers"] = ",".join(self.cors.expose_headers)
            if self.cors.allow_credentials:
                answer.headers["access-control-allow-credentials"] = "true"
        return answer


def _is_text(content_type: str) -> bool:
    kind = content_type.split(";")[0].strip().lower()
    return not kind or kind.startswith(_TEXT_TYPES) or kind.endswith("+json")


def _query_parameters(query: str) -> dict[str, str]:
    values: dict[str, list[str]] = {}
    for name, value in parse_qsl(query, keep_blank_values=True):
        values.setdefault(name, []).append(value)
    return {name: ",".join(items) for name, items in values.items()}


def _answer_from(result: Any) -> Answer:
    """Payload format 2.0: a dict with ``statusCode`` is a response; anything else is JSON."""
    if isinstance(result, dict) and "statusCode" in result:
        headers = {str(k).lower(): str(v) for k, v in (result.get("headers") or {}).items()}
        for name, values in (result.get("multiValueHeaders") or {}).items():
            headers[str(name).lower()] = ",".join(str(v) for v in values)
        raw = result.get("body") or ""
        body = base64.b64decode(raw) if result.get("isBase64Encoded") else str(raw).encode()
        cookies = tuple(result.get("cookies") or ())
        return Answer(int(result["statusCode"]), headers, body, cookies)
    body = json.dumps(result).encode()
    return Answer(200, {"content-type": "application/json"}, body)


class _ListeningServer(ThreadingHTTPServer):
    """A thread per connection, and a listen backlog for a burst of clients: with the default
    of 5, 25 clients connecting at once already saw resets."""

    request_queue_size = 1024
    daemon_threads = True


class Handles(Protocol):
    """What :class:`Server` serves: the HTTP API, or another local stand-in (the sign-in)."""

    def handle(
        self, method: str, target: str, headers: dict[str, str], body: bytes, source_ip: str
    ) -> Answer: ...


class Server:
    """Serves a :class:`LocalHttpApi` (or another :class:`Handles`) on 127.0.0.1 in a
    background thread."""

    def __init__(self, api: Handles, *, host: str = "127.0.0.1", port: int = 3000) -> None:
        self.api = api
        self.httpd = _ListeningServer((host, port), _handler_class(api))
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> Server:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _handler_class(api: Handles) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "eoffice-local-apigw"
        disable_nagle_algorithm = True  # headers and body leave at once (docs/performance.md)

        def _serve(self) -> None:
            started = time.perf_counter()
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {name.lower(): value for name, value in self.headers.items()}
            answer = api.handle(self.command, self.path, headers, body, self.client_address[0])
            self.send_response(answer.status, HTTPStatus(answer.status).phrase)
            for name, value in answer.headers.items():
                if name not in {"content-length", "connection"}:
                    self.send_header(name, value)
            for cookie in answer.cookies:
                self.send_header("set-cookie", cookie)
            self.send_header("content-length", str(len(answer.body)))
            self.send_header("apigw-requestid", uuid.uuid4().hex[:16])
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(answer.body)
            self.log_message(
                '"%s %s" %s %.0fms',
                self.command,
                urlsplit(self.path).path,
                answer.status,
                (time.perf_counter() - started) * 1000,
            )

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = _serve  # noqa: N815

        def log_message(self, format: str, *args: Any) -> None:
            # Paths only: query strings and headers may carry personal data or tokens.
            if getattr(self.server, "quiet", False):
                return
            super().log_message(format, *args)

        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            return  # _serve logs once, without the query string

    return Handler


def _is_utf8(body: bytes) -> bool:
    """A body sent as text that is not UTF-8 (a PDF labelled text/plain) travels base64."""
    try:
        body.decode()
    except UnicodeDecodeError:
        return False
    return True
