"""Schemathesis over every operation of /openapi.json through a served port, as an admin and as
a staff member: no answer is a 5xx, and every answer is one the document describes (status,
content type, headers, body schema). Deterministic: the same requests on every run. A small
budget here; ``python -m bench --only fuzz`` runs a larger one (docs/performance.md has its
figures).

Not on the session's ``server``: signed in as an admin the fuzzer really changes the regency
(the default schedule, the disposition settings, the calendar), so each run gets an environment
of its own in a child process (``python -m eoffice_local.fuzz``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from eoffice_local import children, fuzz

PLANS = {
    # Every phase, the coverage phase's boundary and negative cases of every parameter and
    # field included (about 5,000 requests, whatever max_examples says).
    "admin": "admin=2",
    # What a staff member may and may not do: examples and generated cases, no coverage phase.
    "staf.kominfo": "staf.kominfo=10:examples,fuzzing",
}
"""A few minutes in all on a 2-core machine; the bench's budget is larger."""


@pytest.mark.parametrize("user", sorted(PLANS))
def test_every_operation_survives_the_fuzzer(tmp_path: Path, user: str) -> None:
    out = tmp_path / "runs.json"
    command = [sys.executable, "-m", "eoffice_local.fuzz", "--out", str(out), PLANS[user]]
    # A child that dies with this process (and takes its emulator and workers along), also when
    # the test run is killed or times out.
    done = children.run(command, timeout=1200)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(out.read_text(encoding="utf-8"))
    (run,) = [fuzz.FuzzRun(**fields) for fields in result["runs"]]
    assert run.operations >= 100, run.output[-3000:]
    causes = "\n".join(result["tracebacks"][:5])
    assert run.passed, f"{run.failures}\n{run.errors}\n{fuzz.details(run)}\n{causes}"
