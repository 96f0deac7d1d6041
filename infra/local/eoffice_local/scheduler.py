"""EventBridge schedules, played locally by ``eoffice dev``: each ``rate(...)`` schedule of
template.yaml invokes its function at that rate, with the event the scheduler would send.

``cron(...)`` schedules (a monthly report at 01:00 on the 1st) are not fired by the clock here;
run them on demand with ``eoffice invoke FUNCTION --schedule``.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from typing import Any

from eoffice_local.events import scheduled_event
from eoffice_local.provision import Stack
from eoffice_local.template import ScheduleTrigger

log = logging.getLogger("eoffice.local.scheduler")
Invoke = Callable[[str, Any], Any]

_RATE = re.compile(r"^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$")
_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}


def rate_seconds(expression: str) -> int | None:
    """The period of a ``rate(...)`` expression in seconds; None for anything else."""
    match = _RATE.match(expression.strip())
    if not match:
        return None
    return int(match.group(1)) * _SECONDS[match.group(2).rstrip("s")]


class ScheduleRunner:
    """Fires one rate schedule in a background thread until stopped."""

    def __init__(self, trigger: ScheduleTrigger, stack: Stack, invoke: Invoke, period: float):
        self.trigger = trigger
        self.stack = stack
        self.invoke = invoke
        self.period = period
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"schedule-{trigger.name}", daemon=True
        )

    def start(self) -> ScheduleRunner:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def fire(self) -> Any:
        return self.invoke(self.trigger.function, scheduled_event(self.trigger, self.stack))

    def _run(self) -> None:
        while not self._stop.wait(self.period):
            try:
                self.fire()
            except Exception:  # a failed run is logged; the next one comes, as in AWS
                log.exception("scheduled invocation of %s failed", self.trigger.function)


def runners(triggers: list[ScheduleTrigger], stack: Stack, invoke: Invoke) -> list[ScheduleRunner]:
    """A runner for every enabled rate schedule (cron schedules are listed in the log)."""
    found = []
    for trigger in triggers:
        period = rate_seconds(trigger.expression)
        if not trigger.enabled:
            continue
        if period is None:
            log.info("%s (%s) runs on demand only locally", trigger.name, trigger.expression)
            continue
        found.append(ScheduleRunner(trigger, stack, invoke, period))
    return found
