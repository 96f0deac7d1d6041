"""The Lambda Runtime API of one execution environment, on 127.0.0.1.

What a Lambda runtime talks to (the protocol of
https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html, version 2018-06-01):

- ``GET  /2018-06-01/runtime/invocation/next``: blocks until there is an invocation; the event
  is the body, ``Lambda-Runtime-Aws-Request-Id``, ``-Deadline-Ms`` and ``-Invoked-Function-Arn``
  the headers the runtime builds the handler's context from;
- ``POST /2018-06-01/runtime/invocation/{id}/response``: the handler's result;
- ``POST /2018-06-01/runtime/invocation/{id}/error``: what the handler raised;
- ``POST /2018-06-01/runtime/init/error``: the handler could not be loaded.

Each environment has its own endpoint, as in Lambda, so the runner knows which process holds
which invocation (and can stop that one when it runs past its timeout).
"""

from __future__ import annotations

import json
import queue
import re
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PREFIX = "/2018-06-01/runtime"
_RESULT = re.compile(rf"^{PREFIX}/invocation/(?P<id>[^/]+)/(?P<kind>response|error)$")


class FunctionError(Exception):
    """An invocation that failed as Lambda reports it: ``errorType`` and ``errorMessage``
    (``Runtime.ImportModuleError``, ``Sandbox.Timedout``, or what the handler raised)."""

    def __init__(self, payload: dict[str, Any]) -> None:
        self.payload = payload
        self.environment_gone = False
        """Set when the environment stopped with it (timeout, crash, failed init)."""
        super().__init__(f"{payload.get('errorType')}: {payload.get('errorMessage')}")

    @classmethod
    def of(cls, error_type: str, message: str) -> FunctionError:
        return cls({"errorType": error_type, "errorMessage": message})


@dataclass
class Invocation:
    """One event on its way through an environment, and what came back."""

    payload: bytes
    timeout: float
    request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    picked_up: threading.Event = field(default_factory=threading.Event)
    done: threading.Event = field(default_factory=threading.Event)
    deadline: float = 0.0
    result: bytes | None = None
    error: FunctionError | None = None

    def pick_up(self) -> int:
        """Start the clock; returns the deadline in epoch milliseconds."""
        self.deadline = time.monotonic() + self.timeout
        self.picked_up.set()
        return int((time.time() + self.timeout) * 1000)

    def succeed(self, result: bytes) -> None:
        if not self.done.is_set():
            self.result = result
            self.done.set()

    def fail(self, error: FunctionError) -> None:
        if not self.done.is_set():
            self.error = error
            self.done.set()


class RuntimeApi:
    """The endpoint one environment's runtime polls; :meth:`offer` hands it an invocation."""

    def __init__(self, function_arn: str) -> None:
        self.function_arn = function_arn
        self._inbox: queue.SimpleQueue[Invocation | None] = queue.SimpleQueue()
        self._current: Invocation | None = None
        self.init_error: FunctionError | None = None
        self.init_failed = threading.Event()
        self.httpd = _Server(("127.0.0.1", 0), _handler_class(self))
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()

    @property
    def address(self) -> str:
        """``host:port``, as ``AWS_LAMBDA_RUNTIME_API`` gives it."""
        host, port = self.httpd.server_address[:2]
        return f"{host!s}:{port}"

    @property
    def current(self) -> Invocation | None:
        return self._current

    def offer(self, invocation: Invocation) -> None:
        self._inbox.put(invocation)

    def close(self) -> None:
        self._inbox.put(None)  # wakes a runtime blocked in /next
        self.httpd.shutdown()
        self.httpd.server_close()

    # ------------------------------------------------------------ what the handler calls
    def next_invocation(self) -> Invocation | None:
        invocation = self._inbox.get()
        self._current = invocation
        return invocation

    def report(self, request_id: str, kind: str, body: bytes, error_type: str | None) -> bool:
        invocation = self._current
        if invocation is None or invocation.request_id != request_id:
            return False
        if kind == "response":
            invocation.succeed(body)
        else:
            invocation.fail(FunctionError(_error_payload(body, error_type)))
        return True

    def report_init_error(self, body: bytes, error_type: str | None) -> None:
        self.init_error = FunctionError(_error_payload(body, error_type))
        self.init_failed.set()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A runtime whose process was stopped drops its connection, often with a reset (an
        answer it had not read yet): that is how environments end, not an error to print."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


def _error_payload(body: bytes, error_type: str | None) -> dict[str, Any]:
    try:
        payload = json.loads(body)
    except ValueError:
        payload = None
    if not isinstance(payload, dict):
        payload = {"errorMessage": body.decode(errors="replace")}
    payload.setdefault("errorType", error_type or "Unhandled")
    return payload


def _handler_class(api: RuntimeApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body leave at once (docs/performance.md)

        def do_GET(self) -> None:
            if self.path != f"{PREFIX}/invocation/next":
                self._answer(404, {"errorType": "NotFound", "errorMessage": self.path})
                return
            invocation = api.next_invocation()
            if invocation is None:  # closing: the runtime's process is stopped already
                self.close_connection = True
                return
            deadline_ms = invocation.pick_up()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Lambda-Runtime-Aws-Request-Id", invocation.request_id)
            self.send_header("Lambda-Runtime-Deadline-Ms", str(deadline_ms))
            self.send_header("Lambda-Runtime-Invoked-Function-Arn", api.function_arn)
            self.send_header("Content-Length", str(len(invocation.payload)))
            self.end_headers()
            self.wfile.write(invocation.payload)

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            error_type = self.headers.get("Lambda-Runtime-Function-Error-Type")
            if self.path == f"{PREFIX}/init/error":
                api.report_init_error(body, error_type)
                self._answer(202, {"status": "OK"})
                return
            matched = _RESULT.match(self.path)
            if matched is None:
                self._answer(404, {"errorType": "NotFound", "errorMessage": self.path})
            elif api.report(matched["id"], matched["kind"], body, error_type):
                self._answer(202, {"status": "OK"})
            else:
                self._answer(
                    400, {"errorType": "InvalidRequestID", "errorMessage": "Invalid request ID"}
                )

        def _answer(self, status: int, payload: dict[str, Any]) -> None:
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return  # the runtime's own traffic; the function's logs are forwarded elsewhere

    return Handler
