"""A local stand-in of Meta's WhatsApp Business Cloud API (dev-only, never shipped).

Serves the one call the e-office makes, ``POST /{version}/{phone_number_id}/messages`` with a
template message, on 127.0.0.1, and checks it as Meta documents it: the version and the business
phone number's id in the path, ``Authorization: Bearer <token>``, a JSON body with
``messaging_product: whatsapp``, a recipient of digits, ``type: template``, a template it knows
in the language asked, the number of body parameters that template has, each a one-line text
(no line break, no tab, no more than four spaces in a row, at most 1024 characters), and the
URL button's suffix when the template has one.

It answers as Meta does: ``200 {"messaging_product", "contacts", "messages": [{"id": "wamid..."}]}``
or Meta's error document ``{"error": {"message", "type", "code", "error_data",
"error_subcode", "fbtrace_id"}}`` with Meta's HTTP status (401 for a token, 404 for an unknown
template, 400 for nearly everything else, rate limits included).

Knobs for tests: :meth:`WhatsAppApi.not_on_whatsapp` (that number answers 131026),
:meth:`WhatsAppApi.throttle` (the next requests answer 130429, as HTTP 400 like Meta or as 429),
:meth:`WhatsAppApi.unavailable` (the next requests answer 503, code 2),
``delay_seconds`` (sleeps before answering), and what it received: :attr:`WhatsAppApi.received`
(every request, answered or refused) and :meth:`WhatsAppApi.delivered` (the accepted ones).
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

DEFAULT_TOKEN = "EAAlokal-token-uji"  # noqa: S105 - a local stand-in's fixed credential
DEFAULT_PHONE_NUMBER_ID = "106540352242922"
DEFAULT_TEMPLATE = "eoffice_notifikasi"
_MAX_BODY = 1 << 20
_MAX_PARAMETER = 1024
_PATH = re.compile(r"^/(v\d{1,3}\.\d{1,2})/([^/?]+)/messages/?$")
_RECIPIENT = re.compile(r"^\+?\d{8,15}$")


@dataclass(frozen=True)
class Template:
    """An approved template: its body's number of variables, and whether its first button is a
    URL with a variable suffix."""

    name: str
    language: str = "id"
    body_parameters: int = 2
    url_button: bool = True


@dataclass(frozen=True)
class Received:
    """One request as it arrived (the token is not kept, only whether it matched)."""

    path: str
    authorized: bool
    body: Any
    status: int
    answer: dict[str, Any]

    @property
    def accepted(self) -> bool:
        return self.status == 200


class _Refusal(Exception):
    def __init__(
        self,
        status: int,
        code: int,
        title: str,
        details: str = "",
        *,
        kind: str = "OAuthException",
        subcode: int | None = None,
    ) -> None:
        super().__init__(title)
        self.status, self.code, self.title, self.details = status, code, title, details
        self.kind, self.subcode = kind, subcode

    def document(self) -> dict[str, Any]:
        error: dict[str, Any] = {
            "message": f"(#{self.code}) {self.title}",
            "type": self.kind,
            "code": self.code,
            "error_data": {"messaging_product": "whatsapp", "details": self.details or self.title},
            "fbtrace_id": base64.urlsafe_b64encode(secrets.token_bytes(15)).decode(),
        }
        if self.subcode is not None:
            error["error_subcode"] = self.subcode
        return {"error": error}


@dataclass
class _Trouble:
    """The next ``remaining`` requests are refused with ``code`` (a rate limit, an outage)."""

    remaining: int = 0
    status: int = 400
    code: int = 130429


class WhatsAppApi:
    """The stand-in; start with :func:`start_whatsapp_api`."""

    def __init__(
        self, *, access_token: str, phone_number_id: str, templates: list[Template], port: int
    ) -> None:
        self.access_token = access_token
        self.phone_number_id = phone_number_id
        self.templates = {(t.name, t.language): t for t in templates}
        self.delay_seconds = 0.0
        self.received: list[Received] = []
        self._unreachable: set[str] = set()
        self._trouble = _Trouble()
        self._lock = threading.Lock()
        self._httpd = _Httpd(("127.0.0.1", port), _Handler)
        self._httpd.api = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="whatsapp-api", daemon=True
        )
        self._thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def secret_document(self, **extra: Any) -> dict[str, Any]:
        """What the WhatsApp secret holds to send through this stand-in."""
        return {
            "access_token": self.access_token,
            "phone_number_id": self.phone_number_id,
            "base_url": self.base_url,
            **extra,
        }

    def add_template(self, template: Template) -> None:
        with self._lock:
            self.templates[(template.name, template.language)] = template

    def not_on_whatsapp(self, number: str) -> None:
        """``number`` (E.164 digits) answers 131026, as a number without WhatsApp does."""
        with self._lock:
            self._unreachable.add(number.lstrip("+"))

    def throttle(self, times: int = 1, *, http_status: int = 400) -> None:
        """The next ``times`` requests answer 130429 (Meta sends it with HTTP 400)."""
        with self._lock:
            self._trouble = _Trouble(times, http_status)

    def unavailable(self, times: int = 1) -> None:
        """The next ``times`` requests answer HTTP 503 with code 2, Meta's "service temporarily
        unavailable"."""
        with self._lock:
            self._trouble = _Trouble(times, 503, 2)

    def delivered(self) -> list[dict[str, Any]]:
        """The bodies of the messages it accepted, oldest first."""
        with self._lock:
            return [r.body for r in self.received if r.accepted]

    def reset(self) -> None:
        with self._lock:
            self.received.clear()
            self._unreachable.clear()
            self._trouble = _Trouble()
            self.delay_seconds = 0.0

    def stop(self) -> None:
        self._httpd.shutdown()
        self._thread.join(timeout=5)
        self._httpd.server_close()

    # -- the call -------------------------------------------------------------------------------

    def answer(self, path: str, authorization: str, content_type: str, raw: bytes) -> Received:
        authorized = secrets.compare_digest(
            authorization.encode(), f"Bearer {self.access_token}".encode()
        )
        body: Any = None
        try:
            self._check_path(path)
            if not authorized:
                raise _Refusal(401, 190, "Invalid OAuth access token - Cannot parse access token")
            body = _parse(content_type, raw)
            self._check_message(body)
            self._check_throttle()
            self._check_reachable(body["to"])
            status, answer = 200, self._accepted(body)
        except _Refusal as refusal:
            status, answer = refusal.status, refusal.document()
        received = Received(path, authorized, body, status, answer)
        with self._lock:
            self.received.append(received)
        return received

    def _check_path(self, path: str) -> None:
        match = _PATH.match(path)
        if match is None:
            raise _Refusal(400, 100, "Unknown path components", kind="OAuthException")
        if match.group(2) != self.phone_number_id:
            raise _Refusal(
                400,
                100,
                f"Unsupported post request. Object with ID '{match.group(2)}' does not exist, "
                "cannot be loaded due to missing permissions, or does not support this operation",
                kind="GraphMethodException",
                subcode=33,
            )

    def _check_message(self, body: dict[str, Any]) -> None:
        if body.get("messaging_product") != "whatsapp":
            raise _Refusal(400, 100, "Invalid parameter", "messaging_product must be whatsapp")
        if body.get("recipient_type", "individual") != "individual":
            raise _Refusal(400, 100, "Invalid parameter", "recipient_type must be individual")
        to = body.get("to")
        if not isinstance(to, str) or not _RECIPIENT.match(to):
            raise _Refusal(400, 131009, "Parameter value is not valid", "to is not a phone number")
        if body.get("type") != "template" or not isinstance(body.get("template"), dict):
            raise _Refusal(400, 100, "Invalid parameter", "a template message is expected")
        template = self._template(body["template"])
        _check_components(body["template"].get("components"), template)

    def _template(self, given: dict[str, Any]) -> Template:
        language = given.get("language")
        code = language.get("code") if isinstance(language, dict) else None
        name = given.get("name")
        if not isinstance(name, str) or not isinstance(code, str):
            raise _Refusal(400, 100, "Invalid parameter", "template name and language.code")
        with self._lock:
            template = self.templates.get((name, code))
        if template is None:
            raise _Refusal(
                404,
                132001,
                "Template name does not exist in the translation",
                f"template name ({name}) does not exist in {code}",
            )
        return template

    def _check_throttle(self) -> None:
        with self._lock:
            throttled = self._trouble.remaining > 0
            if throttled:
                self._trouble.remaining -= 1
            status, code = self._trouble.status, self._trouble.code
        if throttled and code == 2:
            raise _Refusal(503, 2, "Service temporarily unavailable", kind="OAuthException")
        if throttled:
            raise _Refusal(
                status,
                130429,
                "Rate limit hit",
                "Cloud API message throughput has been reached.",
                subcode=2494055,
            )

    def _check_reachable(self, to: str) -> None:
        with self._lock:
            unreachable = to.lstrip("+") in self._unreachable
        if unreachable:
            raise _Refusal(
                400,
                131026,
                "Message Undeliverable.",
                "Unable to deliver message: the recipient is not a WhatsApp user or cannot "
                "receive this message.",
                subcode=2494010,
            )

    def _accepted(self, body: dict[str, Any]) -> dict[str, Any]:
        to = body["to"].lstrip("+")
        wamid = "wamid." + base64.b64encode(f"{to}:{secrets.token_hex(12)}".encode()).decode()
        return {
            "messaging_product": "whatsapp",
            "contacts": [{"input": body["to"], "wa_id": to}],
            "messages": [{"id": wamid, "message_status": "accepted"}],
        }


def _parse(content_type: str, raw: bytes) -> dict[str, Any]:
    if not content_type.split(";")[0].strip().lower() == "application/json":
        raise _Refusal(400, 100, "Invalid parameter", "Content-Type must be application/json")
    try:
        body = json.loads(raw)
    except ValueError:
        raise _Refusal(400, 100, "Invalid parameter", "the body is not JSON") from None
    if not isinstance(body, dict):
        raise _Refusal(400, 100, "Invalid parameter", "the body is not a JSON object")
    return body


def _check_components(components: Any, template: Template) -> None:
    if not isinstance(components, list):
        components = []
    bodies = [c for c in components if isinstance(c, dict) and c.get("type") == "body"]
    buttons = [c for c in components if isinstance(c, dict) and c.get("type") == "button"]
    body_parameters = bodies[0].get("parameters", []) if bodies else []
    if len(bodies) > 1 or len(body_parameters) != template.body_parameters:
        raise _Refusal(
            400,
            132000,
            "Number of parameters does not match the expected number of params",
            f"body: number of localizable_params ({len(body_parameters)}) does not match the "
            f"expected number of params ({template.body_parameters})",
        )
    for parameter in body_parameters:
        _check_text(parameter)
    if template.url_button:
        url_buttons = [
            b
            for b in buttons
            if str(b.get("sub_type", "")).lower() == "url" and str(b.get("index")) == "0"
        ]
        parameters = url_buttons[0].get("parameters", []) if url_buttons else []
        if len(parameters) != 1:
            raise _Refusal(
                400,
                132000,
                "Number of parameters does not match the expected number of params",
                "button at index 0 of type Url requires a parameter",
            )
        _check_text(parameters[0])


def _check_text(parameter: Any) -> None:
    text = parameter.get("text") if isinstance(parameter, dict) else None
    if not isinstance(parameter, dict) or parameter.get("type") != "text":
        raise _Refusal(400, 100, "Invalid parameter", "parameter type must be text")
    if not isinstance(text, str) or not text:
        raise _Refusal(400, 131008, "Required parameter is missing", "parameter text is empty")
    if "\n" in text or "\t" in text or "     " in text or "\r" in text:
        raise _Refusal(
            400,
            132018,
            "There was an issue with the parameters in your template.",
            "Param text cannot have new-line/tab characters or more than 4 consecutive spaces",
        )
    if len(text) > _MAX_PARAMETER:
        raise _Refusal(
            400, 132005, "Translated text too long", "a parameter exceeds 1024 characters"
        )


class _Httpd(ThreadingHTTPServer):
    daemon_threads = True
    api: WhatsAppApi


class _Handler(BaseHTTPRequestHandler):
    server: _Httpd
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: requests hold phone numbers."""

    def do_GET(self) -> None:
        self._reply(400, _Refusal(400, 100, "Unsupported get request").document())

    def do_POST(self) -> None:
        api = self.server.api
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(min(length, _MAX_BODY))
        received = api.answer(
            self.path,
            self.headers.get("Authorization", ""),
            self.headers.get("Content-Type", ""),
            raw,
        )
        if api.delay_seconds:
            time.sleep(api.delay_seconds)
        self._reply(received.status, received.answer)

    def _reply(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout): what was received stays recorded


def start_whatsapp_api(
    *,
    access_token: str = DEFAULT_TOKEN,
    phone_number_id: str = DEFAULT_PHONE_NUMBER_ID,
    templates: list[Template] | None = None,
    port: int = 0,
) -> WhatsAppApi:
    """Start the stand-in on 127.0.0.1:``port`` (0: a free one) knowing ``templates`` (by
    default the e-office's one template, in Bahasa Indonesia)."""
    return WhatsAppApi(
        access_token=access_token,
        phone_number_id=phone_number_id,
        templates=templates if templates is not None else [Template(DEFAULT_TEMPLATE)],
        port=port,
    )
