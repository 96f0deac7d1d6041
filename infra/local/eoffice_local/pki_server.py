"""The test PKI's services over real HTTP on 127.0.0.1: TSA, OCSP and CRLs (dev-only).

The server binds in its constructor so its URL can go into the certificates before the
:class:`~eoffice_local.pki.Pki` exists; :meth:`PkiServer.serve` then starts answering. Each
service has a mode ("answer", "refuse" = HTTP 503, "hang" = no answer until :meth:`release`
or 30 s) so tests can prove what signing and verification do when a service misbehaves.
"""

from __future__ import annotations

import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Literal

from eoffice_local.pki import Pki

Mode = Literal["answer", "refuse", "hang"]
HANG_SECONDS = 30.0
_MAX_BODY = 1 << 20


class _Handler(BaseHTTPRequestHandler):
    server: _Httpd
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    """TCP_NODELAY, as web servers set it: the headers and the body go out in two writes, and on
    a kept-alive connection (aiohttp's OCSP/CRL fetches) Nagle held the body back until the
    client's delayed ACK, about 40 ms a request."""

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: tests read counters, not access logs."""

    def do_GET(self) -> None:
        owner = self.server.owner
        owner.requests[self.path] += 1
        ca = {"/crl/root.crl": "root", "/crl/intermediate.crl": "intermediate"}.get(self.path)
        if ca is None or owner.pki is None:
            self._send(404, "text/plain", b"not found")
        elif self._misbehave(owner.crl_mode):
            return
        else:
            body = owner.pki.crl("root" if ca == "root" else "intermediate")
            self._send(200, "application/pkix-crl", body)

    def do_POST(self) -> None:
        owner = self.server.owner
        owner.requests[self.path] += 1
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(min(length, _MAX_BODY))
        pki = owner.pki
        if pki is None or self.path not in ("/tsa", "/ocsp"):
            self._send(404, "text/plain", b"not found")
        elif self.path == "/tsa":
            if not self._misbehave(owner.tsa_mode):
                self._send(200, "application/timestamp-reply", pki.timestamp_response(body))
        elif not self._misbehave(owner.ocsp_mode):
            self._send(200, "application/ocsp-response", pki.ocsp_response(body))

    def _misbehave(self, mode: Mode) -> bool:
        """Apply a test mode; True when the request has been dealt with (no real answer)."""
        if mode == "refuse":
            self._send(503, "text/plain", b"unavailable")
            return True
        if mode == "hang":
            self.server.owner.released.wait(HANG_SECONDS)
            self.close_connection = True
            return True
        return False

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Httpd(ThreadingHTTPServer):
    daemon_threads = True
    owner: PkiServer


class PkiServer:
    """TSA (POST /tsa), OCSP (POST /ocsp) and CRLs (GET /crl/{root,intermediate}.crl)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._httpd = _Httpd((host, port), _Handler)
        self._httpd.owner = self
        self.pki: Pki | None = None
        self.tsa_mode: Mode = "answer"
        self.ocsp_mode: Mode = "answer"
        self.crl_mode: Mode = "answer"
        self.requests: Counter[str] = Counter()
        self.released = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def tsa_url(self) -> str:
        return f"{self.base_url}/tsa"

    def serve(self, pki: Pki) -> PkiServer:
        """Start answering for ``pki`` in a daemon thread."""
        self.pki = pki
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever, name="pki-server", daemon=True
            )
            self._thread.start()
        return self

    def reset(self) -> None:
        """Back to answering everything, counters cleared (between tests)."""
        self.release()
        self.tsa_mode = self.ocsp_mode = self.crl_mode = "answer"
        self.requests.clear()
        self.released = threading.Event()

    def release(self) -> None:
        """Let every hanging request end now."""
        self.released.set()

    def stop(self) -> None:
        self.release()
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> PkiServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def start_demo_pki(name: str = "Demo") -> tuple[PkiServer, Pki]:
    """A served PKI for ``make dev``: the local runner's signers chain to its root."""
    server = PkiServer()
    pki = Pki(name, base_url=server.base_url)
    server.serve(pki)
    return server, pki
