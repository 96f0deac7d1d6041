"""What an EventBridge Scheduler event tells the function it invokes.

A schedule's ``Input`` in template.yaml names ``"scheduled_time": "<aws.scheduler.scheduled-time>"``;
Scheduler puts the time the run was due in its place (``2026-12-01T01:00:00Z``), the same on a
retry. A function that works "as of" that time, not the clock's, gives the same answer when it
is retried late or replayed (``eoffice invoke FUNCTION --schedule --at TIME``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from eoffice import clock


def scheduled_time(event: Mapping[str, Any]) -> datetime:
    """The schedule's time; now when it is missing (a manual invoke with ``{}``), not a time
    with a zone, or still a placeholder."""
    given = str(event.get("scheduled_time") or "")
    try:
        moment = datetime.fromisoformat(given.replace("Z", "+00:00"))
    except ValueError:
        return clock.utcnow()
    return moment if moment.tzinfo else clock.utcnow()
