"""Drivers of the local stack for the tests: the HTTP API called in-process as API Gateway would
(``Api``, answering ``Answer``), and a function's SQS event source handled when a test says so
(``QueueDriver``; ``Intake`` for the intake function and the bucket scanners drop files into).
The ``api`` and ``intake`` fixtures of ``tests/conftest.py`` hand them out."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from eoffice_local.environment import LocalEnvironment
from eoffice_local.gateway import LocalHttpApi


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

    def put(self, path: str, **kwargs: Any) -> Answer:
        return self.call("PUT", path, **kwargs)


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
