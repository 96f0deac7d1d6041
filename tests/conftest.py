"""Shared fixtures: one embedded emulator per test process, template.yaml provisioned on it, the
demo regency loaded, and ways to call the API.

- ``api``: the local HTTP API's logic in-process (authorizer, payload 2.0 event, the handler),
  which talks to the emulator over HTTP: the handler-level tests;
- ``http``: an httpx client on the local runner's real port, where each invocation runs in an
  execution environment of its own, several at a time, as in ``make dev``: the end-to-end tests.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from eoffice_local import emulator as emulators
from eoffice_local.environment import LocalEnvironment
from eoffice_local.gateway import LocalHttpApi, Server

TEST_EMPLOYEES = 20


@pytest.fixture(scope="session")
def local_env(tmp_path_factory: pytest.TempPathFactory, pki_env: Any) -> Iterator[LocalEnvironment]:
    """As ``make dev`` runs it: the signing function's timestamp authority is the test PKI's,
    and the demo signers (bupati, sekda, kadis.kominfo) have KMS keys certified by it."""
    emulator = emulators.start_moto(emulators.free_port())
    state_dir = tmp_path_factory.mktemp("state")
    parameters = {"TimestampAuthorityUrl": pki_env.tsa_url}
    env = LocalEnvironment.start(
        emulator=emulator, stack_name="eoffice-test", state_dir=state_dir, parameters=parameters
    )
    from eoffice_local.seed import load_demo
    from eoffice_local.signing_demo import load_signers

    load_demo(TEST_EMPLOYEES)
    load_signers(pki_env.pki)
    yield env
    env.stop()


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


class Api:
    """Calls the HTTP API as API Gateway would, without a socket."""

    def __init__(self, env: LocalEnvironment) -> None:
        self.env = env
        self.gateway = LocalHttpApi(env.template, env.stack, env.issuer, env.runtime.invoke)

    def token(self, username: str, **overrides: Any) -> str:
        return self.env.token(username, **overrides)

    def call(
        self,
        method: str,
        path: str,
        *,
        user: str | None = None,
        token: str | None = None,
        json_body: Any = None,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        sent = {"host": "127.0.0.1:3000", **(headers or {})}
        if user is not None:
            token = self.token(user)
        if token is not None:
            sent["authorization"] = f"Bearer {token}"
        if json_body is not None:
            body = json.dumps(json_body).encode()
            sent.setdefault("content-type", "application/json")
        answer = self.gateway.handle(method, path, sent, body or b"", "127.0.0.1")
        return Answer(answer.status, answer.headers, answer.body)

    def get(self, path: str, **kwargs: Any) -> Answer:
        return self.call("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Answer:
        return self.call("POST", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> Answer:
        return self.call("PATCH", path, **kwargs)


@pytest.fixture(autouse=True)
def _settings_read_afresh() -> Iterator[None]:
    """Each test starts as a cold start would: the functions' settings are read again from the
    environment (a test that changes a variable mid-way calls ``settings.reset()`` itself)."""
    from eoffice import settings

    settings.reset()
    yield
    settings.reset()


@pytest.fixture(scope="session")
def api(local_env: LocalEnvironment) -> Api:
    return Api(local_env)


@pytest.fixture(scope="session")
def server(local_env: LocalEnvironment) -> Iterator[Server]:
    served = local_env.serve(port=emulators.free_port())
    served.httpd.quiet = True  # type: ignore[attr-defined]
    yield served


@pytest.fixture
def http(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as client:
        yield client


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return Path(__file__).resolve().parents[1]


class QueueDriver:
    """Drives a function's SQS event source the way Lambda's mapping would, on demand, so a
    test decides when queued messages are handled."""

    def __init__(self, env: LocalEnvironment, function: str) -> None:
        from eoffice import aws
        from eoffice_local.poller import QueuePoller

        (trigger,) = [t for t in env.template.queue_triggers if t.function == function]
        self.env = env
        self.sqs = aws.client("sqs")
        self.queue_url = env.stack.refs[trigger.queue]
        self.poller = QueuePoller(trigger, env.stack, self.sqs, env.runtime.invoke, wait_seconds=1)

    def drain(self, *, rounds: int = 30) -> int:
        """Handle queued messages until two empty receives in a row; returns how many."""
        handled = empty = 0
        for _ in range(rounds):
            count = self.poller.poll_once()
            handled += count
            empty = empty + 1 if count == 0 else 0
            if empty >= 2:
                break
        return handled


class Intake(QueueDriver):
    """The intake function's queue of S3 events, and the bucket scanners drop files into."""

    def __init__(self, env: LocalEnvironment) -> None:
        from eoffice import aws

        super().__init__(env, "IntakeFunction")
        self.s3 = aws.client("s3")
        self.bucket = env.stack.refs["IntakeBucket"]

    def put(self, key: str, body: bytes) -> str | None:
        """Drop a file as a scanner would; returns the object's version id."""
        answer = self.s3.put_object(Bucket=self.bucket, Key=key, Body=body)
        return answer.get("VersionId")


@pytest.fixture(scope="session")
def intake(local_env: LocalEnvironment) -> Intake:
    return Intake(local_env)


# The served test PKI (``pki_env``, ``pki_knobs``) for the signing tests: tests/signing_support.py.
pytest_plugins = ["signing_support"]
