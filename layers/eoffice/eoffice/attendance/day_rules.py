"""The status of one employee's day, from its hours, check-ins, leave and correction. Pure: no AWS.

Follows docs/research/attendance.md section 4, in this order:
1. not a working day (``hours`` is None) -> ``day_off``, whatever was recorded;
2. a working day of the schedule outside his employment (before ``employed_from`` or after
   ``employed_until``, the TMT dates of his record) -> ``not_employed``, whatever was recorded
   (check-ins, leave, a correction: the times are shown, the rest is ignored). It comes after
   the day off so that the month's working days stay the schedule's (the TPP's pro rata base),
   and before everything else because nothing recorded makes a day his before he joined or
   after he left: a wrong date is corrected on his record, not day by day;
3. a correction -> its status replaces the computed one (``present`` with times: its times, else
   the recorded ones, give the bands; ``present`` without times excuses the day: no band);
4. approved leave or travel -> ``leave`` with its type; check-ins that day change nothing;
5. the day is today and not over (before 24:00 WITA), or still to come -> ``not_yet``, with what
   is known so far (the first ``in`` and its late band; an offline batch may still bring an
   earlier ``in``);
6. a check-in waits for hr's review -> ``pending_review`` (times from the accepted check-ins, no
   bands: a forced TPP run leaves the pending check-ins out and evaluates the day again);
7. no valid ``in`` and no valid ``out`` -> ``absent`` (TK); otherwise ``present`` with the late (TL)
   and early-leave (PSW) bands: no ``in`` -> TL4, no ``out`` -> PSW4 (``minutes_*`` 0 then).

Valid check-ins are the accepted ones whose WITA date is the day. An ``in`` counts from 04:00 until
the day's end (one after the end is ignored: the day becomes out-only); an ``out`` counts when it
is after the first ``in``, until 24:00. Minutes are on the wall clock truncated to the minute
(07:30:59 is 07:30, not late). The deduction percentages belong to the TPP rule set, not here.

``evaluate`` applies this to an employee under his unit's hours (a ``DayPlanner``) and within his
employment; ``statuses`` to every employee of a unit's day, from what ``day_status`` read.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol

from eoffice.attendance.models import (
    AttendanceDay,
    CheckIn,
    CheckKind,
    CheckState,
    Correction,
    CountsAs,
    CountsReason,
    DayHours,
    DayStatus,
    LeaveType,
    StaffDay,
)
from eoffice.attendance.schedule_models import minutes_of
from eoffice.attendance.schedule_rules import DayPlanner
from eoffice.clock import regency_tz
from eoffice.errors import InvalidInput
from eoffice.org.models import Employee, employed_on

BAND_LIMITS: tuple[int, ...] = (30, 60, 90)
"""Upper limits (minutes, inclusive) of bands 1-3; more than the last is band 4. The TPP rule set
will version these with its percentages."""
LATE_PREFIX, EARLY_PREFIX = "TL", "PSW"  # terlambat, pulang sebelum waktu
CHECK_IN_OPENS = time(4, 0)
_DAY = timedelta(days=1)
_MONTH = re.compile(r"[12][0-9]{3}-(0[1-9]|1[0-2])")


def band(minutes: int) -> int:
    """0 for none; 1-30 -> 1, 31-60 -> 2, 61-90 -> 3, 91 or more -> 4."""
    if minutes <= 0:
        return 0
    for number, limit in enumerate(BAND_LIMITS, start=1):
        if minutes <= limit:
            return number
    return len(BAND_LIMITS) + 1


def worst_band() -> int:
    return len(BAND_LIMITS) + 1


def month_days(first: date, last: date) -> list[date]:
    """Every date from ``first`` to ``last``, both included."""
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def month_bounds(month: str) -> tuple[date, date]:
    """The first and last day of ``YYYY-MM``; 422 ``invalid_month`` otherwise."""
    if not _MONTH.fullmatch(month):
        raise InvalidInput("month must be YYYY-MM", code="invalid_month")
    first = date(int(month[:4]), int(month[5:]), 1)
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first, following - _DAY


class CheckInLike(Protocol):
    """What a day's status reads of a check-in (``models.CheckIn``, or the TPP report's slim
    record, for a month of a regency's check-ins: docs/performance.md)."""

    @property
    def nip(self) -> str: ...
    @property
    def kind(self) -> CheckKind: ...
    @property
    def state(self) -> CheckState: ...
    @property
    def effective_at(self) -> datetime: ...


def _wall_minutes(moment: datetime) -> int:
    """Minutes since midnight on the WITA wall clock, seconds dropped."""
    local = moment.astimezone(regency_tz())
    return local.hour * 60 + local.minute


@dataclass(frozen=True)
class _Recorded:
    """What the accepted check-ins of the day say (times in WITA)."""

    first_in: datetime | None
    last_out: datetime | None
    pending: int
    sources: tuple[
        str, ...
    ] = ()  # native, web: where the day's check-ins (rejected aside) came from


def _in_window(local: datetime, hours: DayHours | None) -> CountsReason | None:
    """Whether an ``in`` at ``local`` (WITA) can be the day's arrival: from 04:00 until the
    day's hours end (until 24:00 on a day without hours); None when it can."""
    minutes = local.hour * 60 + local.minute
    if minutes < CHECK_IN_OPENS.hour * 60 + CHECK_IN_OPENS.minute:
        return CountsReason.before_window
    if minutes > (minutes_of(hours.end) if hours else 24 * 60):
        return CountsReason.after_working_hours
    return None


def counts_as(
    kind: CheckKind, at: datetime, hours: DayHours | None
) -> tuple[CountsAs, CountsReason | None]:
    """What an accepted check-in at ``at`` counts for on a day with ``hours`` (None: no work):
    the rule ``evaluate_day`` applies, told at check-in. An ``out`` is the day's departure until
    24:00 (a later one replaces it; one before the first ``in`` drops out once that comes)."""
    if hours is None:
        return CountsAs.none, CountsReason.outside_working_day
    if kind is CheckKind.check_out:
        return CountsAs.departure, None
    outside = _in_window(at.astimezone(regency_tz()), hours)
    return (CountsAs.none, outside) if outside else (CountsAs.arrival, None)


def _recorded(
    day: date, nip: str, checkins: Sequence[CheckInLike], hours: DayHours | None
) -> _Recorded:
    tz = regency_tz()
    ins: list[datetime] = []
    outs: list[datetime] = []
    pending = 0
    sources: set[str] = set()
    for checkin in checkins:
        local = checkin.effective_at.astimezone(tz)
        if checkin.nip != nip or local.date() != day:
            continue
        if checkin.state is not CheckState.rejected:
            sources.add(str(getattr(checkin, "source", "native")))
        if checkin.state is CheckState.pending_review:
            pending += 1
        elif checkin.state is CheckState.accepted:
            if checkin.kind is CheckKind.check_out:
                outs.append(local)
            elif _in_window(local, hours) is None:
                ins.append(local)
    first_in = min(ins, default=None)
    last_out = max((out for out in outs if first_in is None or out > first_in), default=None)
    return _Recorded(first_in, last_out, pending, tuple(sorted(sources)))


def _bands(
    hours: DayHours, first_in: datetime | None, last_out: datetime | None
) -> dict[str, object]:
    """``present`` with its bands, or ``absent`` when neither time is known."""
    if first_in is None and last_out is None:
        return {"status": DayStatus.absent}
    late = max(0, _wall_minutes(first_in) - minutes_of(hours.start)) if first_in else 0
    early = max(0, minutes_of(hours.end) - _wall_minutes(last_out)) if last_out else 0
    late_band = band(late) if first_in else worst_band()
    early_band = band(early) if last_out else worst_band()
    return {
        "status": DayStatus.present,
        "first_in": first_in,
        "last_out": last_out,
        "minutes_late": late,
        "minutes_early": early,
        "late_band": f"{LATE_PREFIX}{late_band}" if late_band else None,
        "early_band": f"{EARLY_PREFIX}{early_band}" if early_band else None,
    }


def _corrected(hours: DayHours, correction: Correction, recorded: _Recorded) -> dict[str, object]:
    if correction.status is DayStatus.present:
        if correction.first_in is None and correction.last_out is None:
            # "present" without times excuses the day: present, no band.
            known = {"first_in": recorded.first_in, "last_out": recorded.last_out}
            return {"status": DayStatus.present, **known, "correction": correction}
        first_in = correction.first_in or recorded.first_in
        last_out = correction.last_out or recorded.last_out
        return {**_bands(hours, first_in, last_out), "correction": correction}
    return {
        "status": correction.status,
        "first_in": correction.first_in,
        "last_out": correction.last_out,
        "leave_type": correction.leave_type,
        "correction": correction,
    }


def _so_far(hours: DayHours, first_in: datetime | None) -> dict[str, object]:
    """``not_yet``, with the late band once he is in (a later ``in`` cannot make it worse)."""
    if first_in is None:
        return {"status": DayStatus.not_yet}
    late = max(0, _wall_minutes(first_in) - minutes_of(hours.start))
    number = band(late)
    return {
        "status": DayStatus.not_yet,
        "minutes_late": late,
        "late_band": f"{LATE_PREFIX}{number}" if number else None,
    }


def is_over(day: date, now: datetime) -> bool:
    """Whether the day has ended in WITA (check-outs count until 24:00)."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    return now.astimezone(regency_tz()).date() > day


def evaluate_day(
    day: date,
    nip: str,
    *,
    hours: DayHours | None,
    day_off_name: str | None,
    checkins: Sequence[CheckInLike],
    leave: tuple[LeaveType, str] | None,
    correction: Correction | None,
    now: datetime,
    employed_from: date | None = None,
    employed_until: date | None = None,
) -> AttendanceDay:
    """The day's status (see the module's docstring for the rules and their order).

    ``hours`` and ``day_off_name`` come from the schedule (``DayPlanner.hours_on``); ``checkins``
    are the employee's (other days' and other people's are ignored); ``leave`` is the approved
    leave covering the day (type, id); ``correction`` the latest one of the day; ``now`` aware;
    ``employed_from`` and ``employed_until`` his employment's first and last day (None: open).
    """
    over = is_over(day, now)
    recorded = _recorded(day, nip, checkins, hours)
    known = {"first_in": recorded.first_in, "last_out": recorded.last_out}
    outcome: dict[str, object]
    if hours is None:
        outcome = {"status": DayStatus.day_off, "day_off_name": day_off_name, **known}
    elif not employed_on(day, employed_from, employed_until):
        outcome = {"status": DayStatus.not_employed, **known}
    elif correction is not None:
        outcome = _corrected(hours, correction, recorded)
    elif leave is not None:
        outcome = {"status": DayStatus.leave, "leave_type": leave[0], "leave_id": leave[1]}
        outcome.update(known)
    elif not over:
        outcome = {**known, **_so_far(hours, recorded.first_in)}
    elif recorded.pending:
        outcome = {"status": DayStatus.pending_review, **known}
    else:
        outcome = _bands(hours, recorded.first_in, recorded.last_out)
    return AttendanceDay.model_validate(
        {
            "day": day,
            "nip": nip,
            "hours": hours,
            "pending_checkins": recorded.pending,
            "sources": list(recorded.sources),
            **outcome,
        }
    )


# ---------------------------------------------------------------- an employee's day, a unit's day
class LeaveLike(Protocol):
    """What the status needs of approved leave (``eoffice.attendance.leave_models.Leave``)."""

    nip: str
    leave_id: str
    type: LeaveType

    def covers(self, day: date) -> bool: ...


def evaluate(
    employee: Employee,
    day: date,
    planner: DayPlanner,
    checkins: Sequence[CheckInLike],
    correction: Correction | None,
    leave: Sequence[LeaveLike],
    now: datetime,
) -> AttendanceDay:
    """His day under his unit's hours and within his employment, with the leave that covers
    it."""
    hours, day_off = planner.hours_on(employee.unit_id, day)
    covering = next((item for item in leave if item.covers(day)), None)
    return evaluate_day(
        day,
        employee.nip,
        hours=hours,
        day_off_name=day_off,
        checkins=checkins,
        leave=(covering.type, covering.leave_id) if covering else None,
        correction=correction,
        now=now,
        employed_from=employee.employed_from,
        employed_until=employee.employed_until,
    )


def statuses(
    employees: Sequence[Employee],
    day: date,
    planner: DayPlanner,
    checkins: Sequence[CheckIn],
    corrections: Sequence[Correction],
    leave: Sequence[LeaveLike],
    now: datetime,
) -> list[StaffDay]:
    """The pure part of a unit's day: what the benchmark measures for 5,000 employees."""
    by_nip: dict[str, list[CheckIn]] = defaultdict(list)
    for checkin in checkins:
        by_nip[checkin.nip].append(checkin)
    latest = {c.nip: c for c in sorted(corrections, key=lambda c: c.at)}
    leave_by_nip: dict[str, list[LeaveLike]] = defaultdict(list)
    for item in leave:
        leave_by_nip[item.nip].append(item)
    return [
        staff_day(
            employee,
            evaluate(
                employee,
                day,
                planner,
                by_nip[employee.nip],
                latest.get(employee.nip),
                leave_by_nip[employee.nip],
                now,
            ),
        )
        for employee in sorted(employees, key=lambda e: e.name)
    ]


def staff_day(employee: Employee, status: AttendanceDay) -> StaffDay:
    """The day with who it is: its fields are validated already, so they are not again
    (validating them twice was a large share of a regency's day: docs/performance.md)."""
    return StaffDay.model_construct(name=employee.name, unit_id=employee.unit_id, **dict(status))
