"""The local runner fires the template's rate schedules as EventBridge Scheduler would."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from eoffice_local.environment import LocalEnvironment
from eoffice_local.scheduler import ScheduleRunner, rate_seconds, runners


@pytest.mark.parametrize(
    ("expression", "seconds"),
    [
        ("rate(15 minutes)", 900),
        ("rate(1 minute)", 60),
        ("rate(2 hours)", 7200),
        ("rate(1 day)", 86400),
        ("cron(0 1 1 * ? *)", None),
    ],
)
def test_rate_expressions(expression: str, seconds: int | None) -> None:
    assert rate_seconds(expression) == seconds


def test_the_deadline_watch_runs_every_fifteen_minutes(local_env: LocalEnvironment) -> None:
    found = runners(local_env.template.schedules, local_env.stack, local_env.runtime.invoke)
    watch = [r for r in found if r.trigger.function == "DeadlinesFunction"]
    assert len(watch) == 1 and watch[0].period == 900


def test_a_runner_invokes_its_function_with_the_scheduler_event(
    local_env: LocalEnvironment,
) -> None:
    trigger = local_env.schedule("DeadlinesFunction")
    calls: list[tuple[str, Any]] = []
    fired = threading.Event()

    def invoke(function: str, event: Any) -> Any:
        result = local_env.runtime.invoke(function, event)
        calls.append((function, result))
        fired.set()
        return result

    runner = ScheduleRunner(trigger, local_env.stack, invoke, period=0.2).start()
    try:
        assert fired.wait(10)
    finally:
        runner.stop()
    function, result = calls[0]
    assert function == "DeadlinesFunction"
    assert set(result) == {"reminded", "escalated", "skipped"}
