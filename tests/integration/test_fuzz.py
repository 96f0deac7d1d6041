"""Schemathesis over every operation of /openapi.json through the local runner's real port, as
an admin and as a staff member: no answer is a 5xx, and every answer is one the document
describes (status, content type, headers, body schema). Deterministic: the same requests on
every run. A small budget here; ``python -m bench --only fuzz`` runs a larger one
(docs/performance.md has its figures)."""

from __future__ import annotations

from pathlib import Path

import pytest
from eoffice_local import fuzz
from eoffice_local.environment import LocalEnvironment
from eoffice_local.gateway import Server

BUDGETS = {
    # Every phase, the coverage phase's boundary and negative cases of every parameter and
    # field included (about 5,000 requests, whatever max_examples says).
    "admin": fuzz.Budget(max_examples=2, timeout_s=900),
    # What a staff member may and may not do: examples and generated cases, no coverage phase.
    "staf.kominfo": fuzz.Budget(max_examples=10, phases=("examples", "fuzzing"), timeout_s=600),
}
"""A few minutes in all on a 2-core machine; the bench's budget is larger."""


@pytest.mark.parametrize("user", sorted(BUDGETS))
def test_every_operation_survives_the_fuzzer(
    server: Server, local_env: LocalEnvironment, tmp_path: Path, user: str
) -> None:
    with fuzz.unhandled_errors() as tracebacks:
        run = fuzz.fuzz(server.url, local_env.token(user), user, BUDGETS[user], tmp_path)
    assert run.operations >= 100, run.output[-3000:]
    causes = "\n".join(tracebacks[:5])
    assert run.passed, f"{run.failures}\n{run.errors}\n{fuzz.details(run)}\n{causes}"
