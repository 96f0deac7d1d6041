"""Counts the AWS API calls a piece of code makes, for tests and benchmarks ("GET /me makes at
most two DynamoDB calls"). It observes botocore's single dispatch point; the calls still go to the
emulator."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from botocore.client import BaseClient

_lock = threading.Lock()


@contextmanager
def counting() -> Iterator[Counter[str]]:
    """Yields a Counter of ``service:Operation`` filled while the block runs (all threads)."""
    calls: Counter[str] = Counter()
    original = BaseClient._make_api_call  # type: ignore[attr-defined]

    def observed(self: BaseClient, operation_name: str, api_params: Any) -> Any:
        with _lock:
            calls[f"{self.meta.service_model.service_name}:{operation_name}"] += 1
        return original(self, operation_name, api_params)

    BaseClient._make_api_call = observed  # type: ignore[attr-defined]
    try:
        yield calls
    finally:
        BaseClient._make_api_call = original  # type: ignore[attr-defined]


Observer = Callable[[BaseClient, Callable[..., Any], str, Any, Any, float, float], None]
"""``(client, unobserved_call, operation, params, answer, started, ms)``: called after each call
that answered; ``unobserved_call(client, operation, params)`` makes a call of its own unseen."""


@contextmanager
def observing(observe: Observer) -> Iterator[None]:
    """Each answered botocore call handed to ``observe`` with its answer and its time, while the
    block runs (all threads): what the benchmarks meter (request units, bytes, waiting)."""
    original = BaseClient._make_api_call  # type: ignore[attr-defined]

    def observed(client: BaseClient, operation_name: str, api_params: Any) -> Any:
        started = time.perf_counter()
        answer = original(client, operation_name, api_params)
        ms = (time.perf_counter() - started) * 1000
        observe(client, original, operation_name, api_params, answer, started, ms)
        return answer

    BaseClient._make_api_call = observed  # type: ignore[attr-defined]
    try:
        yield
    finally:
        BaseClient._make_api_call = original  # type: ignore[attr-defined]


def total(calls: Counter[str], service: str) -> int:
    return sum(count for name, count in calls.items() if name.startswith(f"{service}:"))
