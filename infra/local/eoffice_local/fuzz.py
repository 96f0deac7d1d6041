"""Fuzzing the HTTP API: schemathesis over every operation of ``/openapi.json``, through a
served port, signed in as one demo user at a time.

Run by the suite (``tests/integration/test_fuzz.py``, a small budget) and by ``python -m bench
--only fuzz`` (a larger one), each time in an environment of its own (:func:`run_isolated`):
signed in as an admin the fuzzer really changes the regency (the default work schedule, the
disposition settings, the calendar), which no other test may see. Each run is the ``st run``
command line in a process of its own (the server it calls keeps this process's cores for
itself), with a fixed seed and deterministic generation, so two runs send the same requests.
What counts as a failure:

- any 5xx;
- an answer the document does not describe: an undocumented status, a content type the status
  does not list, a body or headers that do not match the documented schema.

Schemathesis' other checks judge an API's behaviour rather than its description (a 404 for a
generated id "rejects valid data") and are left out.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import logging
import os
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from eoffice_local import children

if TYPE_CHECKING:
    from eoffice_local.workers import IsolatedRuntime, LogSink

CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
)
PHASES = ("examples", "coverage", "fuzzing")
SEED = 14
HOOKS = "eoffice_local.fuzz_hooks"
STACK = "eoffice-fuzz"
DEMO_EMPLOYEES = 20
# The methods the coverage phase tries on each path where the document has none. Not TRACE or
# CONNECT: API Gateway's HTTP APIs route neither, and the local gateway, like the HTTP server
# it is built on, answers them 501 before any function sees them.
UNEXPECTED_METHODS = ("get", "put", "post", "delete", "patch", "options")


@dataclass(frozen=True)
class Budget:
    """How much one run may do: test cases per operation and phase, and the phases."""

    max_examples: int
    phases: tuple[str, ...] = PHASES
    timeout_s: float = 1800


@dataclass
class FuzzRun:
    user: str
    operations: int
    requests: int
    failures: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    output: str = ""

    @property
    def passed(self) -> bool:
        return not self.failures and not self.errors


def fuzz(
    base_url: str,
    token: str,
    user: str,
    budget: Budget,
    workdir: Path,
    *,
    paths: str | None = None,
) -> FuzzRun:
    """One run of every operation as ``user`` (``token`` is his bearer token); ``paths``, a
    regular expression, narrows it to the paths it matches (to reproduce a failure)."""
    workdir.mkdir(parents=True, exist_ok=True)
    config = workdir / "schemathesis.toml"
    methods = ", ".join(f'"{method}"' for method in UNEXPECTED_METHODS)
    config.write_text(f"[phases.coverage]\nunexpected-methods = [{methods}]\n", encoding="utf-8")
    report = workdir / f"report-{user}.json"
    command = [
        str(Path(sys.executable).with_name("st")),
        "--config-file",
        str(config),
        "run",
        f"{base_url}/openapi.json",
        "--checks",
        ",".join(CHECKS),
        "--phases",
        ",".join(budget.phases),
        "--max-examples",
        str(budget.max_examples),
        "--seed",
        str(SEED),
        "--generation-deterministic",
        "--workers",
        "1",
        "--header",
        f"Authorization: Bearer {token}",
        "--report",
        "json",
        "--report-json-path",
        str(report),
        *(["--include-path-regex", paths] if paths else []),
    ]
    environment = {**os.environ, "SCHEMATHESIS_HOOKS": HOOKS, "NO_COLOR": "1"}
    started = time.perf_counter()
    done = children.run(command, timeout=budget.timeout_s, env=environment)
    seconds = time.perf_counter() - started
    output = done.stdout + done.stderr
    if not report.exists():
        return FuzzRun(user, 0, 0, errors=[f"st exited {done.returncode}"], output=output)
    return _read(json.loads(report.read_text(encoding="utf-8")), user, seconds, output)


def _read(report: dict[str, object], user: str, seconds: float, output: str) -> FuzzRun:
    operations = report.get("operations") or {}
    cases = report.get("test_cases") or {}
    assert isinstance(operations, dict) and isinstance(cases, dict)
    failures = [
        f"{item['code']} {item['title']} ({item['count']}): {', '.join(item['operations'])}"
        for item in report.get("failures") or []  # type: ignore[attr-defined]
    ]
    errors = [f"{item['title']} ({item['count']})" for item in report.get("errors") or []]  # type: ignore[attr-defined]
    return FuzzRun(
        user=user,
        operations=int(operations.get("tested", 0)),
        requests=int(cases.get("generated", 0)),
        failures=failures,
        errors=errors,
        seconds=seconds,
        output=output,
    )


def details(run: FuzzRun, limit: int = 20_000) -> str:
    """The failures as schemathesis prints them (each with a curl line to reproduce it)."""
    text = run.output
    found = [at for at in (text.find(" ERRORS ="), text.find(" FAILURES =")) if at >= 0]
    return text[min(found, default=0) :][:limit]


class _Causes:
    """Where the functions' log lines go during a run: the traceback of each "unhandled error"
    (the 500s) is kept, other records are dropped (thousands of requests' lines), and a line
    that is not a log record (a worker's crash, say) goes on to ``rest``."""

    def __init__(self, rest: LogSink | None) -> None:
        self.found: list[str] = []
        self._rest = rest

    def write(self, text: str) -> int:
        for line in text.splitlines():
            record = _record(line.partition("] ")[2])
            if record is None:
                (self._rest or sys.stderr).write(line + "\n")
            elif record.get("message") == "unhandled error" and record.get("exception"):
                self.found.append(str(record["exception"])[-3000:])
        return len(text)


def _record(text: str) -> dict[str, object] | None:
    """A function's JSON log record, or None for any other line."""
    try:
        record = json.loads(text)
    except ValueError:
        return None
    return record if isinstance(record, dict) else None


@contextlib.contextmanager
def unhandled_errors(workers: IsolatedRuntime) -> Iterator[list[str]]:
    """The tracebacks the functions log as "unhandled error" meanwhile, so that a 500 the
    fuzzer reports comes with its cause. The functions run in execution environments of their
    own (``workers``): the tracebacks are read from the log lines they forward."""
    causes = _Causes(workers.logs)
    previous, workers.logs = workers.logs, causes
    try:
        yield causes.found
    finally:
        workers.logs = previous


def run_isolated(
    plans: Sequence[tuple[str, Budget]], *, employees: int = DEMO_EMPLOYEES
) -> tuple[list[FuzzRun], list[str]]:
    """Each ``(user, budget)`` in turn against one throw-away environment served on a free
    port; the runs, and the tracebacks of the 500s they caused."""
    from eoffice_local import emulator as emulators
    from eoffice_local.environment import throwaway

    with (
        throwaway(STACK, employees) as env,
        unhandled_errors(env.workers) as tracebacks,
        tempfile.TemporaryDirectory(prefix="fuzz-") as work,
    ):
        server = env.serve(port=emulators.free_port())
        server.httpd.quiet = True  # type: ignore[attr-defined]
        runs = [
            fuzz(server.url, env.token(user), user, budget, Path(work) / user)
            for user, budget in plans
        ]
    return runs, list(tracebacks)


def main(argv: list[str] | None = None) -> int:
    """``python -m eoffice_local.fuzz --out runs.json admin=2 staf.kominfo=10:examples,fuzzing``:
    the runs (user=max_examples[:phases]) in an environment of its own, written as JSON. The
    suite's fuzz test calls this in a child process, so the environment dies with it."""
    parser = argparse.ArgumentParser(prog="python -m eoffice_local.fuzz", description=__doc__)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("plans", nargs="+", help="user=max_examples[:phase,phase]")
    args = parser.parse_args(argv)
    plans = [_plan(text) for text in args.plans]
    runs, tracebacks = run_isolated(plans)
    result = {"runs": [dataclasses.asdict(run) for run in runs], "tracebacks": tracebacks}
    args.out.write_text(json.dumps(result), encoding="utf-8")
    return 0


def _plan(text: str) -> tuple[str, Budget]:
    user, _, budget = text.partition("=")
    examples, _, phases = budget.partition(":")
    chosen = tuple(phases.split(",")) if phases else PHASES
    return user, Budget(max_examples=int(examples), phases=chosen)


if __name__ == "__main__":
    logging.getLogger("samtranslator").setLevel(logging.ERROR)
    sys.exit(main())
