"""A month of plausible attendance, drawn and bulk-written: the demo's past month and the
benchmarks' months of a regency.

``eoffice dev`` loads the last full month (WITA) before today for every demo employee, so the
TPP report of that month (the README's walkthrough) pays real, varied deductions: on most working
days a check-in before 07:30 and a check-out after the end of the day, but also late arrivals in
every TL band, early departures, days without a check-in or a check-out, absent days (TK), a few
corrected days and approved leave of several kinds (cuti, izin, dinas luar).

Written the fast way, since start-up time matters: the check-ins go straight to the attendance
table with ``BatchWriteItem`` (25 items a call, a few threads), each item exactly as
``checkin_store`` writes a check-in (keys, index keys, body); the leave goes in through
``leave_store.create``, the corrections through ``ledger_store.add_correction``. What the days and the
report never read is not written: the idempotency guards, device bindings and flags.
"""

from __future__ import annotations

import hashlib
import os
import random
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from eoffice.attendance.leave_models import Leave
    from eoffice.attendance.models import CheckIn, Correction, DayHours
    from eoffice.org.models import Employee, Office

WITA = timedelta(hours=8)
BATCH = 25
"""Items of one BatchWriteItem call (DynamoDB's limit)."""
WRITERS = 4
"""Threads writing check-ins: moto answers one call at a time, the threads overlap our side of
each call with its side."""
CORRECTED_BY = "199010052015031002"
"""The demo administrator (``admin``) enters the corrections."""


@dataclass(frozen=True)
class Rates:
    """How a working day turns out, as shares of the days (the rest come and go on time, or
    late or early by ``late``/``early``), and how many employees take one leave in the month.

    ``habits``: (factor, weight) pairs; each employee draws one factor, which scales his
    lapses (absent, no check-in or check-out, late, early), so that some keep perfect time
    and a few are late every week, as in a real office. One pair: everyone alike."""

    absent: float = 0.015
    corrected: float = 0.003
    pending: float = 0.003
    no_in: float = 0.006
    no_out: float = 0.010
    late: float = 0.12
    early: float = 0.05
    twice: float = 0.03
    leave_share: float = 0.10
    leave_kinds: tuple[tuple[str, int], ...] = (
        ("cuti_tahunan", 40),
        ("izin", 20),
        ("cuti_sakit", 18),
        ("dinas_luar", 15),
        ("cuti_alasan_penting", 5),
        ("cltn", 2),
    )
    habits: tuple[tuple[float, int], ...] = ((1.0, 1),)

    def of_one(self, rng: random.Random) -> Rates:
        """The rates of one employee: his habit drawn (nothing drawn when all are alike)."""
        if len(self.habits) == 1:
            return self
        factors, weights = zip(*self.habits, strict=True)
        factor = rng.choices(factors, weights)[0]
        return replace(
            self,
            absent=self.absent * factor,
            no_in=self.no_in * factor,
            no_out=self.no_out * factor,
            late=self.late * factor,
            early=self.early * factor,
            habits=((1.0, 1),),
        )


DEMO_RATES = Rates(
    pending=0.0,  # a check-in waiting for review needs its flag, which is not written here
    leave_share=0.12,
    leave_kinds=(("cuti_tahunan", 35), ("izin", 25), ("dinas_luar", 25), ("cuti_sakit", 15)),
    habits=((0.0, 35), (0.5, 35), (1.0, 20), (2.5, 10)),
)


def wita(day: date, hh: int, mm: int, ss: int = 0) -> datetime:
    """``day`` at hh:mm:ss WITA, as an aware UTC datetime."""
    return datetime(day.year, day.month, day.day, hh, mm, ss, tzinfo=UTC) - WITA


# ------------------------------------------------------------------ records
def make_checkin(
    employee: Employee,
    office: Office,
    kind: str,
    at: datetime,
    state: str = "accepted",
    *,
    rng: random.Random | None = None,
) -> CheckIn:
    """A check-in at the office's point, judged on the server's clock, as the check-in function
    records one. With ``rng`` its ids come from it (a month of them: ``os.urandom`` is slow
    here) and the phone is his one phone; without, random ones."""
    from eoffice.attendance.models import CheckIn, CheckKind, CheckState, TimeSource
    from eoffice.clock import regency_tz

    client_id = _random_id(rng)
    device = _phone_of(employee.nip) if rng else _random_id(None)
    day = at.astimezone(regency_tz()).date()
    return CheckIn(
        checkin_id=f"{day.isoformat()}-{client_id}",
        client_id=client_id,
        nip=employee.nip,
        unit_id=employee.unit_id,
        kind=CheckKind(kind),
        state=CheckState(state),
        latitude=office.latitude,
        longitude=office.longitude,
        accuracy_m=8.0,
        mock_location=False,
        device=device,
        phone_time=at,
        received_at=at + timedelta(seconds=2),
        effective_at=at,
        time_source=TimeSource.server,
        office_id=office.office_id,
        distance_m=0.0,
    )


def _random_id(rng: random.Random | None) -> str:
    if rng is None:
        return uuid.uuid4().hex
    return uuid.UUID(int=rng.getrandbits(128), version=4).hex


def _phone_of(nip: str) -> str:
    """A stand-in for the hash of his phone's id: one phone per employee, as the binding rule
    wants."""
    return hashlib.sha256(f"demo-phone:{nip}".encode()).hexdigest()


def make_leave(employee: Employee, day: date, kind: str, rng: random.Random) -> Leave:
    """Approved leave of ``kind`` around ``day`` (up to three days either side)."""
    from eoffice import clock
    from eoffice.attendance.leave_models import Leave
    from eoffice.attendance.leave_store import new_leave_id
    from eoffice.attendance.models import LeaveState, LeaveType

    filed = clock.utcnow() - timedelta(days=10)
    travel = kind == "dinas_luar"
    return Leave(
        leave_id=new_leave_id(),
        nip=employee.nip,
        name=employee.name,
        unit_id=employee.unit_id,
        type=LeaveType(kind),
        starts_on=day - timedelta(days=rng.randint(0, 3)),
        ends_on=day + timedelta(days=rng.randint(0, 3)),
        state=LeaveState.approved,
        reason="Keperluan keluarga" if not travel else "Rapat koordinasi di provinsi",
        travel_order_number="094/123/BKPSDM/2026" if travel else None,
        destination="Makassar" if travel else None,
        approver_unit_id=employee.unit_id,
        filed_by=employee.nip,
        filed_at=filed,
        updated_at=filed,
    )


def make_correction(employee: Employee, day: date, status: str) -> Correction:
    """An administrator's correction of ``day``: present 07:20-16:05, or izin."""
    from eoffice import clock
    from eoffice.attendance.models import Correction, DayStatus, LeaveType

    at = clock.utcnow() - timedelta(hours=1)
    present = status == "present"
    return Correction(
        correction_id=f"{day.isoformat()}-{at.strftime('%Y%m%d%H%M%S%f')}",
        nip=employee.nip,
        day=day,
        status=DayStatus(status),
        first_in=wita(day, 7, 20) if present else None,
        last_out=wita(day, 16, 5) if present else None,
        leave_type=None if present else LeaveType.izin,
        reason="Gangguan jaringan di kantor, presensi dicatat manual",
        by=CORRECTED_BY,
        at=at,
    )


def checkin_item(checkin: CheckIn) -> dict[str, Any]:
    """The item ``checkin_store`` writes for a check-in (its keys, its index keys, its body)."""
    from eoffice.attendance.checkin_store import checkin_index_keys, checkin_sort_key
    from eoffice.attendance.table import employee_key

    item: dict[str, Any] = {
        "pk": {"S": employee_key(checkin.nip)},
        "sk": {"S": checkin_sort_key(checkin)},
        "body": {"S": checkin.model_dump_json()},
    }
    keys = checkin_index_keys(checkin)
    if keys is not None:
        item["gsi1pk"], item["gsi1sk"] = {"S": keys[0]}, {"S": keys[1]}
    return item


# ------------------------------------------------------------------ a month, drawn
@dataclass
class Drawn:
    """What was drawn for some employees' month (the check-ins as table items)."""

    items: list[dict[str, Any]] = field(default_factory=list)
    leave: list[Leave] = field(default_factory=list)
    corrections: list[tuple[Correction, str]] = field(default_factory=list)
    days: Counter[str] = field(default_factory=Counter)
    checkins: int = 0
    pending: int = 0

    def add(self, other: Drawn) -> None:
        """Count ``other`` in (its check-in items stay with it: they are written separately)."""
        self.leave += other.leave
        self.corrections += other.corrections
        self.days.update(other.days)
        self.checkins += other.checkins
        self.pending += other.pending


def working_days(unit_id: str, first: date, last: date) -> list[tuple[date, DayHours]]:
    """The working days from ``first`` to ``last`` and their hours, under the schedule and the
    calendar that apply to the unit."""
    from eoffice.attendance import schedules

    planner = schedules.planner(first, last)
    plan = []
    for n in range((last - first).days + 1):
        day = first + timedelta(days=n)
        hours, _ = planner.hours_on(unit_id, day)
        if hours is not None:
            plan.append((day, hours))
    return plan


def draw_month(
    employee: Employee,
    office: Office,
    plan: Sequence[tuple[date, DayHours]],
    rng: random.Random,
    drawn: Drawn,
    rates: Rates = Rates(),
) -> None:
    """His month into ``drawn``: his habit, maybe one approved leave of a few days, then each
    working day it does not cover."""
    rates = rates.of_one(rng)
    covered: set[date] = set()
    if rng.random() < rates.leave_share:
        kinds, weights = zip(*rates.leave_kinds, strict=True)
        leave = make_leave(employee, rng.choice(plan)[0], rng.choices(kinds, weights)[0], rng)
        drawn.leave.append(leave)
        covered = {d for d, _ in plan if leave.starts_on <= d <= leave.ends_on}
        drawn.days["on leave"] += len(covered)
    for day, hours in plan:
        if day not in covered:
            for checkin in _day(employee, office, day, hours, rng, drawn, rates):
                drawn.items.append(checkin_item(checkin))
                drawn.checkins += 1


def _at(day: date, clock_time: str, minutes: int, rng: random.Random) -> datetime:
    hh, mm = (int(part) for part in clock_time.split(":"))
    return wita(day, hh, mm) + timedelta(minutes=minutes, seconds=rng.randint(0, 59))


def _arrival(
    day: date, hours: DayHours, rng: random.Random, drawn: Drawn, rates: Rates
) -> datetime:
    if rng.random() < rates.late:
        drawn.days["late (1-120 min)"] += 1
        return _at(day, hours.start, rng.randint(1, 120), rng)
    return _at(day, hours.start, -rng.randint(1, 30), rng)


def _departure(
    day: date, hours: DayHours, rng: random.Random, drawn: Drawn, rates: Rates
) -> datetime:
    if rng.random() < rates.early:
        drawn.days["left early (1-90 min)"] += 1
        return _at(day, hours.end, -rng.randint(2, 90), rng)
    return _at(day, hours.end, rng.randint(0, 75), rng)


def _day(
    employee: Employee,
    office: Office,
    day: date,
    hours: DayHours,
    rng: random.Random,
    drawn: Drawn,
    rates: Rates,
) -> list[CheckIn]:
    """One working day of one employee: its check-ins (the corrections go to ``drawn``)."""
    fate = rng.random()
    absent = rates.absent
    corrected = absent + rates.corrected
    pending = corrected + rates.pending
    no_in = pending + rates.no_in
    if fate < absent:
        drawn.days["absent"] += 1
        return []
    if fate < corrected:
        drawn.days["corrected"] += 1
        status = "present" if rng.random() < 0.6 else "leave"
        drawn.corrections.append((make_correction(employee, day, status), employee.unit_id))
        return []
    if fate < pending:
        drawn.days["check-in pending review"] += 1
        drawn.pending += 1
        start = _at(day, hours.start, -10, rng)
        return [
            make_checkin(employee, office, "in", start, "pending_review", rng=rng),
            make_checkin(employee, office, "out", _at(day, hours.end, 5, rng), rng=rng),
        ]
    if fate < no_in:
        drawn.days["no check-in"] += 1
        departure = _departure(day, hours, rng, drawn, rates)
        return [make_checkin(employee, office, "out", departure, rng=rng)]
    arrival = _arrival(day, hours, rng, drawn, rates)
    made = [make_checkin(employee, office, "in", arrival, rng=rng)]
    if rng.random() < rates.twice:  # the app said "no signal" and he tapped again
        again = made[0].effective_at + timedelta(minutes=2)
        made.append(make_checkin(employee, office, "in", again, rng=rng))
    if fate < no_in + rates.no_out:
        drawn.days["no check-out"] += 1
        return made
    departure = _departure(day, hours, rng, drawn, rates)
    made.append(make_checkin(employee, office, "out", departure, rng=rng))
    drawn.days["in and out"] += 1
    return made


# ------------------------------------------------------------------ writing it
def put_items(items: Sequence[dict[str, Any]]) -> None:
    """Raw ``BatchWriteItem`` into the attendance table, 25 items a call, until nothing is left
    unprocessed."""
    from eoffice import aws

    dynamodb: Any = aws.client("dynamodb")
    table_name = os.environ["ATTENDANCE_TABLE"]
    for start in range(0, len(items), BATCH):
        request: dict[str, Any] = {
            table_name: [{"PutRequest": {"Item": item}} for item in items[start : start + BATCH]]
        }
        while request:
            answer = dynamodb.batch_write_item(RequestItems=request)
            request = answer.get("UnprocessedItems") or {}


def write_months(
    groups: Iterable[Sequence[tuple[Employee, Office]]],
    plan: Sequence[tuple[date, DayHours]],
    rng: random.Random,
    rates: Rates = Rates(),
    progress: Callable[[int, Drawn], None] | None = None,
) -> Drawn:
    """Group by group (a unit's staff): draw its month, hand its check-ins to the writers (a few
    groups in flight, so a regency's month never sits in this process). Leave and corrections
    are drawn, not written: see :func:`write_leave_and_corrections`."""
    total = Drawn()
    pending = []
    with ThreadPoolExecutor(WRITERS) as writers:
        for n, group in enumerate(groups):
            drawn = Drawn()
            for employee, office in group:
                draw_month(employee, office, plan, rng, drawn, rates)
            pending.append(writers.submit(put_items, drawn.items))
            total.add(drawn)
            while len(pending) > 2 * WRITERS:
                pending.pop(0).result()
            if progress is not None:
                progress(n + 1, total)
        for future in pending:
            future.result()
    return total


def write_leave_and_corrections(drawn: Drawn) -> None:
    """The drawn leave through ``leave_store.create`` (the employee's filing count in turn),
    the corrections through ``ledger_store.add_correction``."""
    from eoffice.attendance import leave_store, ledger_store

    filed: Counter[str] = Counter()
    for leave in drawn.leave:
        leave_store.create(leave, filed[leave.nip] or None)
        filed[leave.nip] += 1
    for correction, unit_id in drawn.corrections:
        ledger_store.add_correction(correction, unit_id)
