"""The run's time budget: the report function has 15 minutes, and publishing needs its share of
them, so a run stops cleanly before a step it could not finish (a rerun completes the month)."""

from __future__ import annotations

from collections.abc import Callable

RESERVE_MS = 60_000
"""Stop before a step when less than this is left: publishing still needs its time."""


class OutOfTime(RuntimeError):
    """The function would be stopped before publishing: end cleanly as failed; rerun."""


def require_time(remaining_ms: Callable[[], int], before: str) -> None:
    """Raise :class:`OutOfTime` when too little is left to go on to ``before``."""
    if remaining_ms() < RESERVE_MS:
        raise OutOfTime(f"stopped before {before}: too little time left")
