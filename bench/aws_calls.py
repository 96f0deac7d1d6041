"""DynamoDB calls per request: what a request costs in latency and money once the function is warm.

The local environment (moto server, template.yaml provisioned on it, a small demo regency) is
started here as the tests start it, and requests go through the in-process HTTP API, the same
authorizer, event and handler API Gateway would use. ``eoffice_local.aws_calls.counting`` sees
every botocore call the handler makes. A Scan is never acceptable on a request path: its cost
grows with the table.
"""

from __future__ import annotations

import contextlib
import io
import os
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from botocore.client import BaseClient
from eoffice_local.aws_calls import counting, total
from eoffice_local.environment import LocalEnvironment
from eoffice_local.gateway import LocalHttpApi

from bench.environment import local_environment
from bench.report import median, table, verdict

# A regency of Luwu Timur's size: the call counts must hold at 5,000 employees, not only on a toy.
DEMO_EMPLOYEES = 5000
LATENCY_CALLS = 30
COUNTED_CALLS = 3
"""Each request is counted this many times after its warm-up; the report keeps the highest."""


@dataclass(frozen=True)
class Probe:
    """A request to count, and how many DynamoDB calls it may make (None: information only)."""

    label: str
    method: str
    target: str
    user: str | None
    max_dynamodb: int | None = None


PROBES = (
    Probe("GET /me", "GET", "/me", "kadis.kominfo", max_dynamodb=2),
    Probe("GET /units", "GET", "/units", "kadis.kominfo"),
    Probe("GET /employees?limit=50", "GET", "/employees?limit=50", "admin"),
    Probe("GET /letters?limit=50", "GET", "/letters?limit=50", "tu.kominfo", max_dynamodb=2),
    Probe("GET /health", "GET", "/health", None),
)


@dataclass(frozen=True)
class Counted:
    probe: Probe
    status: int
    calls: Counter[str]

    @property
    def dynamodb(self) -> int:
        return total(self.calls, "dynamodb")

    @property
    def scans(self) -> int:
        return sum(n for name, n in self.calls.items() if name.endswith(":Scan"))

    @property
    def passed(self) -> bool:
        within = self.probe.max_dynamodb is None or self.dynamodb <= self.probe.max_dynamodb
        return self.status == 200 and self.scans == 0 and within


@dataclass(frozen=True)
class RequestReport:
    counted: list[Counted]
    me_ms: float
    me_in_aws_ms: float
    get_item_ms: float
    employees: int

    def failures(self) -> list[str]:
        problems = []
        for c in self.counted:
            if c.status != 200:
                problems.append(f"{c.probe.label}: answered {c.status}, expected 200")
            if c.scans:
                problems.append(f"{c.probe.label}: made {c.scans} Scan call(s)")
            limit = c.probe.max_dynamodb
            if limit is not None and c.dynamodb > limit:
                problems.append(f"{c.probe.label}: {c.dynamodb} DynamoDB calls (target <= {limit})")
        return problems

    def render(self) -> str:
        headers = ("request", "status", "dynamodb calls", "operations", "target", "result")
        rows = [
            [
                c.probe.label + (f" ({c.probe.user})" if c.probe.user else ""),
                str(c.status),
                str(c.dynamodb),
                ", ".join(f"{name.partition(':')[2]} x{n}" for name, n in sorted(c.calls.items()))
                or "none",
                "no Scan"
                + ("" if c.probe.max_dynamodb is None else f", <= {c.probe.max_dynamodb}"),
                verdict(c.passed),
            ]
            for c in self.counted
        ]
        ratio = self.me_ms / self.get_item_ms if self.get_item_ms else float("nan")
        return "\n".join(
            [
                f"DynamoDB calls per warm request (demo regency, {self.employees} employees; "
                f"most calls of {COUNTED_CALLS} counted runs)",
                table(headers, rows),
                f"Latency (information, medians of {LATENCY_CALLS} calls): GET /me "
                f"{self.me_ms:.1f} ms, of which {self.me_in_aws_ms:.1f} ms waiting on DynamoDB; "
                f"one raw GetItem {self.get_item_ms:.1f} ms; GET /me / GetItem = {ratio:.1f}x",
            ]
        )


class Client:
    """Calls the HTTP API in-process, as API Gateway would, with one token per user."""

    def __init__(self, env: LocalEnvironment) -> None:
        self.gateway = LocalHttpApi(env.template, env.stack, env.issuer, env.runtime.invoke)
        self.env = env
        self._tokens: dict[str, str] = {}

    def headers(self, user: str | None) -> dict[str, str]:
        sent = {"host": "127.0.0.1:3000"}
        if user is not None:
            token = self._tokens.setdefault(user, self.env.token(user))
            sent["authorization"] = f"Bearer {token}"
        return sent

    def call(self, probe: Probe) -> int:
        """The status code; the handler's log lines are swallowed to keep the report readable."""
        with contextlib.redirect_stdout(io.StringIO()):
            answer = self.gateway.handle(
                probe.method, probe.target, self.headers(probe.user), b"", "127.0.0.1"
            )
        return answer.status


def count(client: Client, probe: Probe) -> Counted:
    """Warm the route up (the first call imports the handler), then count a few calls."""
    client.call(probe)
    worst: Counter[str] = Counter()
    status = 0
    for _ in range(COUNTED_CALLS):
        with counting() as calls:
            status = client.call(probe)
        if total(calls, "dynamodb") >= total(worst, "dynamodb"):
            worst = Counter(calls)
    return Counted(probe, status, worst)


@contextlib.contextmanager
def time_in_aws() -> Iterator[list[float]]:
    """Yields a one-element list that accumulates the seconds spent inside botocore calls, to
    split a request's latency into the emulator's share and ours."""
    spent = [0.0]
    original = BaseClient._make_api_call  # type: ignore[attr-defined]

    def timed(self: BaseClient, operation_name: str, api_params: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(self, operation_name, api_params)
        finally:
            spent[0] += time.perf_counter() - started

    BaseClient._make_api_call = timed  # type: ignore[attr-defined]
    try:
        yield spent
    finally:
        BaseClient._make_api_call = original  # type: ignore[attr-defined]


def me_latency_ms(client: Client) -> tuple[float, float]:
    """Median GET /me latency, and the median part of it spent waiting on AWS calls."""
    probe = PROBES[0]
    totals, in_aws = [], []
    for _ in range(LATENCY_CALLS):
        with time_in_aws() as spent:
            started = time.perf_counter()
            client.call(probe)
            totals.append((time.perf_counter() - started) * 1000)
        in_aws.append(spent[0] * 1000)
    return median(totals), median(in_aws)


def get_item_latency_ms() -> float:
    """One raw GetItem on the org table through the same kind of client the functions use: the
    floor a request that needs one read cannot go below on this emulator."""
    from eoffice import aws

    dynamodb: Any = aws.client("dynamodb")
    table_name = os.environ["ORG_TABLE"]
    schema = dynamodb.describe_table(TableName=table_name)["Table"]["KeySchema"]
    item = dynamodb.scan(TableName=table_name, Limit=1)["Items"][0]
    key = {part["AttributeName"]: item[part["AttributeName"]] for part in schema}
    dynamodb.get_item(TableName=table_name, Key=key)
    samples = []
    for _ in range(LATENCY_CALLS):
        started = time.perf_counter()
        dynamodb.get_item(TableName=table_name, Key=key)
        samples.append((time.perf_counter() - started) * 1000)
    return median(samples)


def measure(employees: int = DEMO_EMPLOYEES) -> RequestReport:
    with local_environment("eoffice-bench", employees) as env:
        client = Client(env)
        counted = [count(client, probe) for probe in PROBES]
        me_ms, me_in_aws_ms = me_latency_ms(client)
        get_item_ms = get_item_latency_ms()
    return RequestReport(counted, me_ms, me_in_aws_ms, get_item_ms, employees)
