"""eoffice.aws: one client per service and endpoint, even when threads ask at once."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from eoffice import aws


def test_threads_asking_at_once_share_one_client(monkeypatch: pytest.MonkeyPatch) -> None:
    # An endpoint no other test uses: the first call here builds the client (nothing connects).
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:9/{uuid.uuid4().hex}")
    start = threading.Barrier(6)

    def ask(_: int) -> Any:
        start.wait()
        return aws.client("s3")

    with ThreadPoolExecutor(6) as pool:
        clients = list(pool.map(ask, range(6)))
    assert len({id(c) for c in clients}) == 1
    assert aws.client("s3") is clients[0]
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:9/{uuid.uuid4().hex}")
    assert aws.client("s3") is not clients[0]  # a re-pointed environment gets a fresh one
