"""EventBridge Scheduler expressions, evaluated locally so ``eoffice dev`` fires a ``cron(...)`` or
``at(...)`` schedule when AWS would: in the schedule's own time zone, not in UTC.

``cron(minute hour day-of-month month day-of-week year)``, as AWS writes it: ``?`` in exactly one
of the two day fields, ``*``, ``,``, ``-``, ``/``, month names JAN-DEC, day-of-week 1-7 = SUN-SAT
(or SUN-SAT by name). ``L``, ``W`` and ``#`` are refused rather than guessed at: no schedule of
ours needs them. Across a daylight-saving change it behaves as Scheduler documents: a local time
that does not exist is skipped, a repeated one fires once (its first occurrence).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

__all__ = ["Cron", "at", "next_fire", "parse"]

_LAST_YEAR = 2199  # AWS accepts years 1970-2199
_MONTHS = {
    m: i
    for i, m in enumerate(
        ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], 1
    )
}
_WEEKDAYS = {d: i for i, d in enumerate(["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"], 1)}


@dataclass(frozen=True)
class _Field:
    name: str
    low: int
    high: int
    names: dict[str, int]


_FIELDS = (
    _Field("minute", 0, 59, {}),
    _Field("hour", 0, 23, {}),
    _Field("day-of-month", 1, 31, {}),
    _Field("month", 1, 12, _MONTHS),
    _Field("day-of-week", 1, 7, _WEEKDAYS),
    _Field("year", 1970, _LAST_YEAR, {}),
)
_CRON = re.compile(r"^cron\((.*)\)$")
_AT = re.compile(r"^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$")


@dataclass(frozen=True)
class Cron:
    """A parsed cron expression; a day field that is ``?`` is None (the other one decides)."""

    minutes: tuple[int, ...]
    hours: tuple[int, ...]
    days: frozenset[int] | None
    months: tuple[int, ...]
    weekdays: frozenset[int] | None  # AWS numbering: 1 = Sunday ... 7 = Saturday
    years: frozenset[int]

    def on(self, day: date) -> bool:
        """Whether the schedule fires at some time of ``day`` (a local date)."""
        if self.days is not None:
            return day.day in self.days
        return self.weekdays is not None and (day.isoweekday() % 7) + 1 in self.weekdays


def parse(expression: str) -> Cron:
    """``cron(0 1 1 * ? *)`` (or its six fields alone) parsed; ValueError naming what is wrong."""
    text = expression.strip()
    match = _CRON.match(text)
    fields = (match.group(1) if match else text).split()
    if len(fields) != len(_FIELDS):
        raise ValueError(f"{expression!r}: a cron expression has 6 fields, not {len(fields)}")
    dom, dow = fields[2], fields[4]
    if (dom == "?") == (dow == "?"):
        raise ValueError(f"{expression!r}: '?' goes in exactly one of day-of-month, day-of-week")
    minutes, hours, days, months, weekdays, years = (
        _values(f, spec) for f, spec in zip(_FIELDS, fields, strict=True)
    )
    return Cron(
        minutes=tuple(sorted(minutes)),
        hours=tuple(sorted(hours)),
        days=None if dom == "?" else frozenset(days),
        months=tuple(sorted(months)),
        weekdays=None if dow == "?" else frozenset(weekdays),
        years=frozenset(years),
    )


def _values(field: _Field, spec: str) -> set[int]:
    if spec == "?":
        if field.name.startswith("day-of-"):
            return set()
        raise ValueError(f"cron {field.name} '?': only a day field may be '?'")
    found: set[int] = set()
    for part in spec.split(","):
        found |= _part(field, part)
    return found


def _part(field: _Field, part: str) -> set[int]:
    base, _, step_text = part.partition("/")
    step = _number(field, step_text, plain=True) if step_text else 1
    if step < 1:
        raise ValueError(f"cron {field.name} {part!r}: the step must be at least 1")
    if base == "*":
        low, high = field.low, field.high
    elif "-" in base:
        first, _, last = base.partition("-")
        low, high = _number(field, first), _number(field, last)
    else:
        low = _number(field, base)
        high = field.high if step_text else low
    if low > high:
        raise ValueError(f"cron {field.name} {part!r}: the range runs backwards")
    return set(range(low, high + 1, step))


def _number(field: _Field, text: str, *, plain: bool = False) -> int:
    upper = text.upper()
    if not plain and upper in field.names:
        return field.names[upper]
    if not text.isdigit():
        unsupported = [sign for sign in ("L", "W", "#") if sign in upper]
        if unsupported:
            raise ValueError(
                f"cron {field.name} {text!r}: {unsupported[0]!r} is not supported locally"
                " (L, W and # are refused)"
            )
        raise ValueError(f"cron {field.name} {text!r}: not a number")
    value = int(text)
    if not plain and not field.low <= value <= field.high:
        raise ValueError(f"cron {field.name} {value}: outside {field.low}-{field.high}")
    return value


def at(expression: str, tz: str = "UTC") -> datetime:
    """The instant of a one-time ``at(yyyy-mm-ddThh:mm:ss)`` schedule (local to ``tz``), in UTC."""
    match = _AT.match(expression.strip())
    if not match:
        raise ValueError(f"{expression!r}: expected at(yyyy-mm-ddThh:mm:ss)")
    local = datetime.fromisoformat(match.group(1)).replace(tzinfo=ZoneInfo(tz))
    return local.astimezone(UTC)


def next_fire(expression: str, after: datetime, tz: str | None = "UTC") -> datetime | None:
    """The first fire time of a ``cron(...)`` or ``at(...)`` expression strictly after ``after``
    (aware), evaluated in ``tz`` (UTC when None); None when it never fires again."""
    if after.tzinfo is None:
        raise ValueError("next_fire needs an aware datetime (with a time zone)")
    zone = tz or "UTC"
    if expression.strip().startswith("at("):
        once = at(expression, zone)
        return once if once > after else None
    return _next_cron(parse(expression), after, ZoneInfo(zone))


def _next_cron(cron: Cron, after: datetime, zone: ZoneInfo) -> datetime | None:
    for day in _days(cron, after.astimezone(zone).date()):
        for hour in cron.hours:
            for minute in cron.minutes:
                fire = _instant(day, hour, minute, zone)
                if fire is not None and fire > after:
                    return fire
    return None


def _days(cron: Cron, start: date) -> Iterator[date]:
    """The local dates the schedule fires on, from ``start`` on, in order."""
    for year in sorted(y for y in cron.years if y >= start.year):
        for month in cron.months:
            if (year, month) < (start.year, start.month):
                continue
            last = calendar.monthrange(year, month)[1]
            for number in range(1, last + 1):
                day = date(year, month, number)
                if day >= start and cron.on(day):
                    yield day


def _instant(day: date, hour: int, minute: int, zone: ZoneInfo) -> datetime | None:
    """The UTC instant of a local wall time (its first occurrence); None when the clocks skip it."""
    local = datetime.combine(day, time(hour, minute), tzinfo=zone)
    instant = local.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        return None
    return instant
