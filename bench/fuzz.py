"""The API under the fuzzer (issue 14): schemathesis over every operation of ``/openapi.json``
through the local runner's real port, with a larger budget than the suite's fuzz test and more
users (an admin, hr, a head of a unit, a staff member).

Figures per user: operations, requests (test cases, one request each), failures (no 5xx, and
every answer one the document describes) and time. Any failure misses the target.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from eoffice_local import fuzz

from bench.report import table, verdict

USERS = ("admin", "tpp.bkpsdm", "kadis.kominfo", "staf.kominfo")
BUDGET = fuzz.Budget(max_examples=10, timeout_s=3600)
QUICK_BUDGET = fuzz.Budget(max_examples=3, timeout_s=1800)


@dataclass
class Report:
    budget: fuzz.Budget
    runs: list[fuzz.FuzzRun]
    tracebacks: list[str]

    def render(self) -> str:
        rows = [
            [
                run.user,
                str(run.operations),
                str(run.requests),
                str(len(run.failures) + len(run.errors)),
                f"{run.seconds:.0f} s",
                verdict(run.passed),
            ]
            for run in self.runs
        ]
        lines = [
            f"Fuzzing (schemathesis, {self.budget.max_examples} examples per operation and "
            f"phase, phases {', '.join(self.budget.phases)}, seed {fuzz.SEED})",
            table(["user", "operations", "requests", "failures", "time", "target"], rows),
        ]
        for run in self.runs:
            lines += [f"  {run.user}: {failure}" for failure in run.failures + run.errors]
        return "\n".join(lines)

    def failures(self) -> list[str]:
        return [
            f"fuzz as {run.user}: {failure}"
            for run in self.runs
            for failure in run.failures + run.errors
        ]


def measure(budget: fuzz.Budget = BUDGET, users: tuple[str, ...] = USERS) -> Report:
    print(f"fuzzing as {', '.join(users)}...", file=sys.stderr, flush=True)
    # The functions' log lines stay off the report: run_isolated keeps their 500s' tracebacks.
    runs, tracebacks = fuzz.run_isolated([(user, budget) for user in users])
    for run in runs:
        print(f"  {run.user}: {run.requests} requests in {run.seconds:.0f} s", file=sys.stderr)
        if not run.passed:
            print(fuzz.details(run), file=sys.stderr)
    for cause in tracebacks[:5]:
        print(cause, file=sys.stderr)
    return Report(budget, runs, tracebacks)
