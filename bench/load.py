"""Load through the local gateway: N clients at once for a while, each an employee with his own
phone, going round the three requests a working morning is made of: the check-in
(``POST /attendance/check-ins``), his disposition inbox (``GET /me/inbox``) and ``GET /me``.

The environment is served on a free port with the isolated runtime, as ``eoffice dev`` serves it:
each invocation in an execution environment of its own, up to the runner's concurrency per
function. The clients run in a child process of their own (``python -m bench.load``), so their
threads do not share an interpreter lock with the gateway. A warm-up round (every client once
through the three requests) starts the environments; then the clients go for ``duration``
seconds and the report gives, per route, requests per second and p50/p95/p99, the errors (any
answer but the expected status, or a failed connection; target 0), and how many invocations of
each function ran at the same time (target above 1: the runner does not serialise them).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from eoffice_local import children

from bench.report import percentile, table, verdict

STACK = "eoffice-bench-load"
CLIENTS = 50
DURATION = 60.0
DEMO_EMPLOYEES = 50
SEED = 14
ROUTES = ("POST /attendance/check-ins", "GET /me/inbox", "GET /me")
EXPECTED = {"POST /attendance/check-ins": {200, 201}, "GET /me/inbox": {200}, "GET /me": {200}}
FUNCTIONS = {"POST /attendance/check-ins": "CheckInFunction", "GET /me/inbox": "ApiFunction"}


def progress(text: str) -> None:
    print(f"  [load] {text}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- the clients (child process)
@dataclass
class Client:
    token: str
    device: str


def one_request(http: httpx.Client, client: Client, route: str, rng: random.Random, n: int) -> int:
    from bench.attendance import check_in_body

    headers = {"Authorization": f"Bearer {client.token}"}
    if route == "POST /attendance/check-ins":
        body = check_in_body("in" if n % 2 == 0 else "out", client.device, rng)
        return http.post("/attendance/check-ins", json=body, headers=headers).status_code
    method, path = route.split(" ", 1)
    return http.request(method, path, headers=headers).status_code


def run_clients(url: str, clients: list[Client], seconds: float) -> dict[str, Any]:
    """Every client in a thread of its own, released together, going round the routes until
    ``seconds`` are over (``0``: once round); what each request took and what failed."""
    start = threading.Barrier(len(clients))
    results: dict[str, dict[str, list[Any]]] = {r: {"ms": [], "errors": []} for r in ROUTES}
    lock = threading.Lock()

    def run(index: int, client: Client) -> None:
        rng = random.Random(SEED + index)
        with httpx.Client(base_url=url, timeout=120) as http:
            start.wait(timeout=300)
            deadline = time.monotonic() + seconds
            for n, route in enumerate(itertools.cycle(ROUTES)):
                if n >= len(ROUTES) and time.monotonic() >= deadline:
                    return
                began = time.perf_counter()
                try:
                    status = one_request(http, client, route, rng, n // len(ROUTES))
                    error = None if status in EXPECTED[route] else f"HTTP {status}"
                except httpx.HTTPError as failed:
                    error = f"{type(failed).__name__}: {failed}"
                ms = (time.perf_counter() - began) * 1000
                with lock:
                    results[route]["ms"].append(ms)
                    if error:
                        results[route]["errors"].append(error)

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"elapsed": time.perf_counter() - began, "routes": results}


def in_child(url: str, clients: list[Client], seconds: float) -> dict[str, Any]:
    """:func:`run_clients` in a child process: its threads do not slow the gateway's."""
    order = {"url": url, "seconds": seconds, "clients": [c.__dict__ for c in clients]}
    command = [sys.executable, "-m", "bench.load"]
    done = children.run(command, input=json.dumps(order), timeout=seconds + 600)
    if done.returncode != 0:
        raise RuntimeError(f"the load clients failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)  # type: ignore[no-any-return]


# ---------------------------------------------------------------- the report
@dataclass
class LoadReport:
    clients: int
    duration: float
    elapsed: float
    routes: dict[str, dict[str, list[Any]]]
    peaks: dict[str, int]
    cold_starts: dict[str, int]
    concurrency: int
    cpus: int
    load: tuple[float, float]
    errors_seen: list[str] = field(default_factory=list)

    def total(self) -> int:
        return sum(len(r["ms"]) for r in self.routes.values())

    def errors(self) -> int:
        return sum(len(r["errors"]) for r in self.routes.values())

    def rows(self) -> list[list[str]]:
        rows = []
        for route, result in self.routes.items():
            ms = result["ms"]
            rows.append(
                [
                    route,
                    str(len(ms)),
                    f"{len(ms) / self.elapsed:.1f}",
                    *(f"{percentile(ms, p):.0f}" for p in (50, 95, 99)),
                    str(len(result["errors"])),
                ]
            )
        all_ms = [m for r in self.routes.values() for m in r["ms"]]
        rows.append(
            [
                "all",
                str(len(all_ms)),
                f"{len(all_ms) / self.elapsed:.1f}",
                *(f"{percentile(all_ms, p):.0f}" for p in (50, 95, 99)),
                str(self.errors()),
            ]
        )
        return rows

    def serialised(self) -> list[str]:
        """The functions that never ran two invocations at once."""
        return [f for f in FUNCTIONS.values() if self.peaks.get(f, 0) <= 1]

    def failures(self) -> list[str]:
        failed = [f"load: {f} never ran two invocations at once" for f in self.serialised()]
        if self.errors():
            failed.append(f"load: {self.errors()} errors (target 0)")
        return failed

    def render(self) -> str:
        peaks = ", ".join(f"{name} {peak}" for name, peak in sorted(self.peaks.items()))
        starts = ", ".join(f"{name} {n}" for name, n in sorted(self.cold_starts.items()))
        lines = [
            f"Load through the local gateway: {self.clients} clients for {self.duration:.0f} s "
            f"(measured {self.elapsed:.1f} s), isolated runtime, up to {self.concurrency} "
            f"environments per function; {self.cpus} CPUs, load {self.load[0]:.1f} -> "
            f"{self.load[1]:.1f}",
            table(
                ["route", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors"], self.rows()
            ),
            f"Peak concurrent invocations: {peaks}",
            f"Execution environments started: {starts}",
            f"Errors: {self.errors()} (target 0) {verdict(self.errors() == 0)}; concurrent "
            f"invocations above 1: {verdict(not self.serialised())}",
        ]
        if self.errors_seen:
            lines.append("First errors: " + "; ".join(self.errors_seen[:5]))
        return "\n".join(lines)


# ---------------------------------------------------------------- the run
def measure(clients: int = CLIENTS, duration: float = DURATION) -> LoadReport:
    from eoffice_local import demo_data
    from eoffice_local.emulator import free_port
    from eoffice_local.seed import demo_id

    from bench.attendance import MALILI, device_of, new_employee, new_unit, write_units
    from bench.environment import local_environment

    load_before = os.getloadavg()[0]
    with local_environment(STACK, DEMO_EMPLOYEES) as env, Path(os.devnull).open("w") as sink:
        env.workers.logs = sink
        site = new_unit(
            "BENCH-LOAD", "Bidang Uji Beban", demo_id("unit", demo_data.ROOT_CODE), MALILI
        )
        site.employees = [new_employee(site, n, "201109", "load") for n in range(clients)]
        write_units([site])
        server = env.serve(port=free_port())
        server.httpd.quiet = True  # type: ignore[attr-defined]
        staff = [Client(env.token(e.username), device_of(e)) for e in site.employees]
        _timed("warm-up round", lambda: in_child(server.url, staff, 0))
        env.workers.reset_peaks()
        progress(f"{clients} clients for {duration:.0f} s")
        ran = in_child(server.url, staff, duration)
        usage = env.workers.usage()
    routes = ran["routes"]
    return LoadReport(
        clients=clients,
        duration=duration,
        elapsed=ran["elapsed"],
        routes=routes,
        peaks={name: u.peak for name, u in usage.items()},
        cold_starts={name: u.cold_starts for name, u in usage.items()},
        concurrency=env.workers.concurrency,
        cpus=os.cpu_count() or 0,
        load=(load_before, os.getloadavg()[0]),
        errors_seen=[e for r in routes.values() for e in r["errors"]],
    )


def _timed(what: str, action: Callable[[], Any]) -> Any:
    began = time.perf_counter()
    result = action()
    progress(f"{what} in {time.perf_counter() - began:.1f} s")
    return result


def main() -> None:
    """The clients' side: an order on stdin, the results as JSON on stdout."""
    order = json.loads(sys.stdin.read())
    clients = [Client(**c) for c in order["clients"]]
    print(json.dumps(run_clients(order["url"], clients, float(order["seconds"]))))


if __name__ == "__main__":
    main()
