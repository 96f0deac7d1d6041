"""EventBridge schedules, played locally by ``eoffice dev``: each enabled schedule of template.yaml
invokes its function when AWS would, with the event the scheduler would send.

- ``rate(...)``: every period, counted from start-up;
- ``cron(...)`` and ``at(...)``: at their next fire time in the schedule's
  ``ScheduleExpressionTimezone`` (UTC when none), the event carrying that scheduled time. A laptop
  that slept through a fire time fires once on waking, not once per missed time.

Disabled schedules are only logged. To run one now, or "as on 1 December", use
``eoffice invoke FUNCTION --schedule [NAME] [--at TIME]``.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from eoffice_local import cron
from eoffice_local.events import scheduled_event
from eoffice_local.provision import Stack
from eoffice_local.template import ScheduleTrigger

log = logging.getLogger("eoffice.local.scheduler")
Invoke = Callable[[str, Any], Any]
Clock = Callable[[], datetime]

_RATE = re.compile(r"^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$")
_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}


def rate_seconds(expression: str) -> int | None:
    """The period of a ``rate(...)`` expression in seconds; None for anything else."""
    match = _RATE.match(expression.strip())
    if not match:
        return None
    return int(match.group(1)) * _SECONDS[match.group(2).rstrip("s")]


def utc_now() -> datetime:
    return datetime.now(UTC)


class Runner:
    """Fires one schedule in a background thread until stopped."""

    def __init__(self, trigger: ScheduleTrigger, stack: Stack, invoke: Invoke):
        self.trigger = trigger
        self.stack = stack
        self.invoke = invoke
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"schedule-{trigger.name}", daemon=True
        )

    def start(self) -> Runner:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def fire(self, at: datetime | None = None) -> Any:
        event = scheduled_event(self.trigger, self.stack, at)
        return self.invoke(self.trigger.function, event)

    def describe(self) -> str:
        raise NotImplementedError

    def _fire_logged(self, at: datetime | None = None) -> None:
        try:
            self.fire(at)
        except Exception:  # a failed run is logged; the next one comes, as in AWS
            log.exception("scheduled invocation of %s failed", self.trigger.function)

    def _run(self) -> None:
        raise NotImplementedError


class ScheduleRunner(Runner):
    """A ``rate(...)`` schedule: fires every ``period`` seconds."""

    def __init__(self, trigger: ScheduleTrigger, stack: Stack, invoke: Invoke, period: float):
        super().__init__(trigger, stack, invoke)
        self.period = period

    def describe(self) -> str:
        return f"every {self.period:.0f} s"

    def _run(self) -> None:
        while not self._stop.wait(self.period):
            self._fire_logged()


class CronRunner(Runner):
    """A ``cron(...)`` or ``at(...)`` schedule: sleeps until its next fire time by ``now``,
    waking at least every ``poll`` seconds so a changed clock (or a test's) is noticed."""

    def __init__(
        self,
        trigger: ScheduleTrigger,
        stack: Stack,
        invoke: Invoke,
        *,
        now: Clock = utc_now,
        poll: float = 30.0,
    ):
        super().__init__(trigger, stack, invoke)
        self.now = now
        self.poll = poll

    def next_fire(self, after: datetime) -> datetime | None:
        return cron.next_fire(self.trigger.expression, after, self.trigger.timezone)

    def describe(self) -> str:
        upcoming = self.next_fire(self.now())
        when = upcoming.isoformat() if upcoming else "never again"
        return f"{self.trigger.expression} {self.trigger.timezone or 'UTC'}, next {when}"

    def _run(self) -> None:
        after = self.now()
        while (fire_at := self.next_fire(after)) is not None:
            if not self._sleep_until(fire_at):
                return
            log.info("%s fires for %s", self.trigger.name, fire_at.isoformat())
            self._fire_logged(fire_at)
            after = max(fire_at, self.now())
        log.info("%s (%s) fires no more", self.trigger.name, self.trigger.expression)

    def _sleep_until(self, moment: datetime) -> bool:
        """Wait for ``moment``; False when stopped first."""
        while not self._stop.is_set():
            left = (moment - self.now()).total_seconds()
            if left <= 0:
                return True
            self._stop.wait(min(left, self.poll))
        return False


def runners(
    triggers: list[ScheduleTrigger], stack: Stack, invoke: Invoke, *, now: Clock = utc_now
) -> list[Runner]:
    """A runner for every enabled schedule; disabled or unreadable ones are only logged."""
    found = []
    for trigger in triggers:
        if not trigger.enabled:
            log.info("%s (%s) is disabled: not fired", trigger.name, trigger.expression)
            continue
        runner = _runner(trigger, stack, invoke, now)
        if runner is not None:
            found.append(runner)
    return found


def _runner(trigger: ScheduleTrigger, stack: Stack, invoke: Invoke, now: Clock) -> Runner | None:
    period = rate_seconds(trigger.expression)
    if period is not None:
        return ScheduleRunner(trigger, stack, invoke, period)
    try:
        cron.next_fire(trigger.expression, now(), trigger.timezone)
    except (ValueError, KeyError) as error:  # KeyError: zoneinfo's unknown time zone
        log.error("%s (%s) is not fired locally: %s", trigger.name, trigger.expression, error)
        return None
    return CronRunner(trigger, stack, invoke, now=now)
