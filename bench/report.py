"""Plain-text tables and medians: the report must read the same in a terminal and in CI logs."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar


def median(values: Iterable[float]) -> float:
    """The median, because one noisy run on a shared 2-core machine would move a mean."""
    return statistics.median(list(values))


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A left-aligned text table with a rule under the header."""
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(headers, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines.extend(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )
    return "\n".join(lines)


def verdict(passed: bool | None) -> str:
    """PASS/FAIL, or a dash for a figure reported as information only."""
    if passed is None:
        return "-"
    return "PASS" if passed else "FAIL"


def percentile(values: Sequence[float], pct: float) -> float:
    """The ``pct``-th percentile, interpolated between the two nearest ranks (numpy's default)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = (len(ordered) - 1) * pct / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


_R = TypeVar("_R")


def timed(what: str, action: Callable[[], _R], say: Callable[[str], None]) -> _R:
    """Run ``action`` and ``say`` how long ``what`` took (a progress line on stderr)."""
    started = time.perf_counter()
    result = action()
    say(f"{what} in {time.perf_counter() - started:.1f} s")
    return result
