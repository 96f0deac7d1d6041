"""The deadline function, run by two EventBridge Scheduler schedules (template.yaml):

- every 15 minutes it reminds recipients before disposition deadlines, marks assignments
  overdue after them and escalates to the sender and the sender's superior
  (``eoffice.dispositions.watch``);
- every morning (``"action": "calendar-check"``) it warns when the calendar of this year, or
  from 1 December of the next, was not entered (``eoffice.calendar.readiness``).

Both work as of the schedule's time (``scheduled_time``, ``<aws.scheduler.scheduled-time>``),
so a late retry or ``eoffice invoke DeadlinesFunction --schedule --at TIME`` gives the answer of
that time; an event without one (a manual invoke with ``{}``) runs as of now.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext
from eoffice import settings
from eoffice.calendar import readiness
from eoffice.dispositions import watch
from eoffice.observability import instrumented
from eoffice.scheduled import scheduled_time

# Read and validated at cold start: a missing or malformed variable fails the first invocation.
SETTINGS = settings.load(settings.DeadlinesSettings)

CALENDAR_CHECK = "calendar-check"


def _handle(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    moment = scheduled_time(event)
    if event.get("action") == CALENDAR_CHECK:
        return {"missing_years": readiness.check(moment)}
    result = watch.run(moment)
    return {
        "reminded": len(result.reminded),
        "escalated": len(result.escalated),
        "skipped": result.skipped,
    }


handler = instrumented(_handle)
