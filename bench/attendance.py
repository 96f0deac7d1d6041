"""Attendance (issue 6): check-ins per second through the local runner, the DynamoDB calls of a
check-in, and the daily status of 5,000 employees for one day.

The local environment is started as the tests start it (moto server, template.yaml provisioned
on a stack of its own, a small demo regency). Units, offices and employees are bulk-written with
the org store (``load_structure``, ``write_employees``), each employee with his unit's office.

1. **Check-ins per second.** N employees (200, ``--quick`` 50) of one unit, each with a phone of
   his own, check in (``in``: the first use binds the phone) and then out, one after the other,
   through the in-process HTTP API (the authorizer, event and handler API Gateway would use;
   the local runner runs one instance of a function at a time, as one Lambda container does).
   Every check-in must be accepted with at most 3 DynamoDB calls. Baselines, interleaved so that
   they see the same load: one raw ``GetItem`` of the attendance table and ``GET /health``
   through the same gateway.
2. **Calls per check-in,** counted with ``eoffice_local.aws_calls.counting``: a first check-in,
   a second one, a replay (same client id), an offline batch of 10 and its replay.
3. **The daily status of 5,000 employees** in 170 units (about 2 check-ins each, some on leave,
   some corrected, some absent or waiting for review): (a) ``day_rules.statuses``, the pure part,
   over all of them; (b) the read path on moto, ``day_status.unit_statuses`` (3 Queries a unit) for a
   slice of the units written to the tables (10, ``--quick`` 3), its calls and time, extrapolated
   to 170 units. The read path must give the same days as the pure computation.
"""

from __future__ import annotations

import gc
import os
import random
import sys
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from eoffice_local.aws_calls import counting, total
from eoffice_local.demo_attendance import make_checkin, make_correction, make_leave, wita

from bench import web_checkins
from bench.dispositions import Client, Measured, Sample
from bench.environment import local_environment
from bench.intake import quiet_function_logs
from bench.report import median, percentile, table, timed, verdict

if TYPE_CHECKING:
    from eoffice.attendance.leave_models import Leave
    from eoffice.attendance.models import CheckIn, Correction, StaffDay
    from eoffice.attendance.schedule_rules import DayPlanner
    from eoffice.org.models import Employee, Office, Unit

STACK = "eoffice-bench-attendance"
"""A stack name of its own (see ``bench.dispositions.STACK``)."""
CHECKINS = 200
QUICK_CHECKINS = 50
SLICE_UNITS = 10
QUICK_SLICE_UNITS = 3
REGENCY_EMPLOYEES = 5000
REGENCY_UNITS = 170
PURE_REPEAT = 7
QUICK_PURE_REPEAT = 3
READ_REPEAT = 3
"""Rounds over the slice's units on the read path (each unit read once a round)."""
BATCH_ITEMS = 10
UNIT_QUERIES = 3  # a unit's day: its employees, its check-ins, its leave
MAX_CALLS = 3
"""DynamoDB calls a check-in or an offline batch may make (issue 6)."""
REPLAY_CALLS = 2
"""A replay reads (the caller, the snapshot) and writes nothing."""
DEMO_EMPLOYEES = 20
RAW_SAMPLES = 15
SEED = 6
MALILI = (-2.6343, 121.1050)
_NAMESPACE = uuid.UUID("5d0c8f8e-7a53-4e0c-9a55-6f3b1e2d4c70")
_T = TypeVar("_T")


def progress(text: str) -> None:
    """A line on stderr: the report (stdout) comes at the end."""
    print(f"  [attendance] {text}", file=sys.stderr, flush=True)


def _id(kind: str, key: str) -> str:
    return uuid.uuid5(_NAMESPACE, f"{kind}:{key}").hex


def _nip(n: int, appointed: str) -> str:
    """A well-formed NIP (born 1990, ``appointed`` YYYYMM, man) unique for n < 111,888 and
    unlike the demo's (appointed in other months)."""
    return f"1990{(n // 28) % 12 + 1:02d}{n % 28 + 1:02d}{appointed}1{n % 999 + 1:03d}"


# ------------------------------------------------------------------ the synthetic regency
@dataclass
class UnitData:
    unit: Unit
    office: Office
    employees: list[Employee] = field(default_factory=list)
    checkins: list[CheckIn] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)
    leave: list[Leave] = field(default_factory=list)


@dataclass
class Regency:
    """5,000 employees' day in 170 units, and the status each should get."""

    day: date
    units: list[UnitData]
    expected: dict[str, str]
    """NIP -> the status the day should have (``DayStatus`` value)."""

    @property
    def employees(self) -> list[Employee]:
        return [e for u in self.units for e in u.employees]

    @property
    def checkins(self) -> list[CheckIn]:
        return [c for u in self.units for c in u.checkins]

    @property
    def corrections(self) -> list[Correction]:
        return [c for u in self.units for c in u.corrections]

    @property
    def leave(self) -> list[Leave]:
        return [item for u in self.units for item in u.leave]


def new_unit(key: str, name: str, parent_id: str, point: tuple[float, float]) -> UnitData:
    from eoffice import clock
    from eoffice.org.models import Office, Unit, UnitKind

    now = clock.utcnow()
    unit_id = _id("unit", key)
    unit = Unit(
        unit_id=unit_id,
        code=key,
        name=name,
        kind=UnitKind.section,
        parent_id=parent_id,
        created_at=now,
        updated_at=now,
    )
    office = Office(
        office_id=_id("office", key),
        name=f"Kantor {name}",
        unit_id=unit_id,
        latitude=point[0],
        longitude=point[1],
        radius_m=100,
        address=None,
        created_at=now,
        updated_at=now,
    )
    return UnitData(unit, office)


def new_employee(data: UnitData, n: int, appointed: str, prefix: str) -> Employee:
    from eoffice import clock
    from eoffice.org.models import Employee, Role

    now = clock.utcnow()
    return Employee(
        nip=_nip(n, appointed),
        name=f"Pegawai Uji {prefix} {n + 1:04d}",
        unit_id=data.unit.unit_id,
        position_id=None,
        roles=[Role.staff],
        tpp_amount=0,
        office_ids=[data.office.office_id],
        active=True,
        username=f"bench.{prefix}.{n:04d}",
        email=None,
        created_at=now,
        updated_at=now,
    )


def _employee_day(data: UnitData, employee: Employee, day: date, rng: random.Random) -> str:
    """Draw his day and record it in ``data``; the status it should get."""
    office, fate = data.office, rng.random()
    made: list[CheckIn] = []
    status = "present"
    if fate < 0.03:
        kind = rng.choice(["cuti_tahunan", "cuti_sakit", "izin", "dinas_luar"])
        data.leave.append(make_leave(employee, day, kind, rng))
        status = "leave"
    elif fate < 0.04:
        status = "present" if rng.random() < 0.6 else "leave"
        data.corrections.append(make_correction(employee, day, status))
    elif fate < 0.06:
        status = "absent"
    elif fate < 0.065:
        made.append(make_checkin(employee, office, "in", wita(day, 7, 10), "pending_review"))
        made.append(make_checkin(employee, office, "out", wita(day, 16, 10)))
        status = "pending_review"
    else:
        late = rng.random() < 0.12
        minute = rng.randint(0, 90) if late else rng.randint(0, 29)
        start = wita(day, 7, 0) + timedelta(minutes=minute, seconds=rng.randint(0, 59))
        made.append(make_checkin(employee, office, "in", start))
        if rng.random() < 0.05:  # checked in twice (the app said "no signal")
            made.append(make_checkin(employee, office, "in", start + timedelta(minutes=3)))
        if fate >= 0.075:  # 1 % forget to check out
            early = rng.random() < 0.06
            minute = rng.randint(-60, -1) if early else rng.randint(0, 75)
            made.append(
                make_checkin(
                    employee, office, "out", wita(day, 16, 30, 30) + timedelta(minutes=minute)
                )
            )
    data.checkins.extend(made)
    return status


def synthetic_regency(
    day: date, parent_id: str, employees: int = REGENCY_EMPLOYEES, units: int = REGENCY_UNITS
) -> Regency:
    """``employees`` spread evenly over ``units`` units under ``parent_id``, each unit with an
    office, and their ``day``: about 2 check-ins each, 3 % on approved leave, 1 % corrected,
    2 % absent, 0.5 % waiting for review, 1 % without a check-out, 12 % late."""
    rng = random.Random(SEED)
    made = [
        new_unit(
            f"BENCH-ATT-{u:03d}",
            f"Bidang Uji Presensi {u + 1}",
            parent_id,
            (MALILI[0] + 0.001 * (u % 20), MALILI[1] + 0.001 * (u // 20)),
        )
        for u in range(units)
    ]
    expected: dict[str, str] = {}
    for n in range(employees):
        data = made[n % units]
        employee = new_employee(data, n, "201109", "presensi")
        data.employees.append(employee)
        expected[employee.nip] = _employee_day(data, employee, day, rng)
    return Regency(day, made, expected)


# ------------------------------------------------------------------ writing it to the tables
def write_units(units: Sequence[UnitData]) -> None:
    """Units, offices and employees with the org store's bulk paths."""
    from eoffice.org import store

    store.load_structure([u.unit for u in units], [], [u.office for u in units])
    store.write_employees([e for u in units for e in u.employees], [])


def write_days(units: Sequence[UnitData]) -> None:
    """The units' check-ins as the check-in function stores them (keys from
    ``checkin_store``), their corrections and approved leave through the attendance stores."""
    from eoffice.attendance import leave_store, ledger_store
    from eoffice.attendance.checkin_store import checkin_index_keys, checkin_sort_key
    from eoffice.attendance.table import AttendanceRow, employee_key

    with AttendanceRow.batch_write() as batch:
        for data in units:
            for checkin in data.checkins:
                keys = checkin_index_keys(checkin)
                batch.save(
                    AttendanceRow(
                        employee_key(checkin.nip),
                        checkin_sort_key(checkin),
                        gsi1pk=keys[0] if keys else None,
                        gsi1sk=keys[1] if keys else None,
                        body=checkin.model_dump_json(),
                    )
                )
    for data in units:
        for correction in data.corrections:
            ledger_store.add_correction(correction, data.unit.unit_id)
        for item in data.leave:
            leave_store.create(item, None)


# ------------------------------------------------------------------ 1. check-ins per second
@dataclass
class Round:
    """One check-in each of N employees, with the baselines interleaved."""

    label: str
    checkins: Measured
    health: Measured
    get_item_ms: list[float]
    web: web_checkins.WebRound | None = None
    """The web check-ins interleaved with these (issue 18)."""

    @property
    def per_second(self) -> float:
        spent = sum(s.ms for s in self.checkins.samples) / 1000
        return len(self.checkins.samples) / spent if spent else float("nan")


def _fix(kind: str, rng: random.Random, at: datetime | None = None) -> dict[str, Any]:
    """A fix within 40 m of the office at MALILI, 5-15 m accuracy."""
    return {
        "kind": kind,
        "latitude": MALILI[0] + rng.uniform(-0.00025, 0.00025),
        "longitude": MALILI[1] + rng.uniform(-0.00025, 0.00025),
        "accuracy_m": round(rng.uniform(5, 15), 1),
        "phone_time": (at or datetime.now(UTC)).isoformat(),
        "mock_location": False,
    }


def check_in_body(kind: str, device: str, rng: random.Random) -> dict[str, Any]:
    return {"client_id": uuid.uuid4().hex, "device_id": device, **_fix(kind, rng)}


def device_of(employee: Employee) -> str:
    return f"android-{employee.nip[-8:]}{employee.nip[4:8]}"


def raw_get_item_ms(key: dict[str, Any]) -> float:
    """One raw GetItem on the attendance table with the functions' kind of client."""
    from eoffice import aws

    dynamodb: Any = aws.client("dynamodb")
    started = time.perf_counter()
    dynamodb.get_item(TableName=os.environ["ATTENDANCE_TABLE"], Key=key)
    return (time.perf_counter() - started) * 1000


def _profile_key(nip: str) -> dict[str, Any]:
    return {"pk": {"S": f"EMP#{nip}"}, "sk": {"S": "PROFILE"}}


def check_in_round(
    client: Client,
    staff: Sequence[Employee],
    kind: str,
    rng: random.Random,
    web: web_checkins.WebStaff | None = None,
) -> Round:
    """Each of ``staff`` checks ``kind`` once; before each, a raw GetItem and GET /health; after
    each, the web check-in of the web employee of the same rank (when ``web`` is given)."""
    label = "check in, first use of the phone" if kind == "in" else "check out, bound phone"
    measured = Round(
        label,
        Measured(label, f"{len(staff)} employees", 201),
        Measured("GET /health", "same gateway", 200),
        [],
        web_checkins.new_round(kind, len(staff)) if web else None,
    )
    for index, employee in enumerate(staff):
        measured.get_item_ms.append(raw_get_item_ms(_profile_key(staff[index - 1].nip)))
        sample, _ = client.call("GET", "/health", employee.username)
        measured.health.samples.append(sample)
        fix = _fix(kind, rng)
        body = {"client_id": uuid.uuid4().hex, "device_id": device_of(employee), **fix}
        sample, answer = client.call("POST", "/attendance/check-ins", employee.username, body)
        _expect_state(sample, answer, "accepted")
        calls = total(sample.calls, "dynamodb")
        if sample.status == 201 and calls > MAX_CALLS:
            sample.problem = f"{calls} DynamoDB calls (target <= {MAX_CALLS})"
        measured.checkins.samples.append(sample)
        if web and measured.web:
            web_checkins.web_check(client, web, web.employees[index], fix, measured.web)
        if (index + 1) % 50 == 0:
            progress(f"{kind}: {index + 1}/{len(staff)}")
    return measured


def _expect_state(sample: Sample, answer: Any, state: str) -> None:
    if sample.status in {200, 201} and isinstance(answer, dict) and answer.get("state") != state:
        sample.problem = f"{answer.get('state')} {answer.get('reasons')}, not {state}"


# ------------------------------------------------------------------ 2. calls per check-in
@dataclass(frozen=True)
class Counted:
    label: str
    status: int
    calls: Counter[str]
    limit: int
    expected: str
    problem: str = ""

    @property
    def dynamodb(self) -> int:
        return total(self.calls, "dynamodb")

    @property
    def scans(self) -> int:
        return sum(n for name, n in self.calls.items() if name.endswith(":Scan"))

    @property
    def passed(self) -> bool:
        return not self.problem and not self.scans and self.dynamodb <= self.limit


def count_calls(client: Client, first: Employee, offline: Employee) -> list[Counted]:
    """A first check-in, a second, a replay; an offline batch of BATCH_ITEMS and its replay."""
    rng = random.Random(SEED + 1)
    rows = []
    device = device_of(first)
    body = check_in_body("in", device, rng)
    sample, answer = client.call("POST", "/attendance/check-ins", first.username, body)
    rows.append(_counted("check-in, first use (binds the phone)", sample, answer, 201, MAX_CALLS))
    body = check_in_body("out", device, rng)
    sample, answer = client.call("POST", "/attendance/check-ins", first.username, body)
    rows.append(_counted("second check-in (phone bound)", sample, answer, 201, MAX_CALLS))
    sample, answer = client.call("POST", "/attendance/check-ins", first.username, body)
    replay = _counted("replay of it (same client_id)", sample, answer, 200, REPLAY_CALLS)
    if not replay.problem and not (isinstance(answer, dict) and answer.get("duplicate")):
        replay = _with_problem(replay, "not answered as a duplicate")
    rows.append(replay)
    batch = offline_batch(offline, rng)
    label = f"offline batch of {BATCH_ITEMS} (first use of the phone)"
    sample, answer = client.call("POST", "/attendance/check-ins/batch", offline.username, batch)
    rows.append(_batch_counted(label, sample, answer, MAX_CALLS, duplicate=False))
    sample, answer = client.call("POST", "/attendance/check-ins/batch", offline.username, batch)
    label = "replay of the batch"
    rows.append(_batch_counted(label, sample, answer, REPLAY_CALLS, duplicate=True))
    return rows


def offline_batch(employee: Employee, rng: random.Random) -> dict[str, Any]:
    """BATCH_ITEMS fixes queued over the last hours, in and out in turn, sent now."""
    now = datetime.now(UTC)
    started = now - timedelta(minutes=30 * BATCH_ITEMS)
    booted = now - timedelta(days=3)  # the phone's elapsedRealtime() counts from here
    items = []
    for n in range(BATCH_ITEMS):
        at = started + timedelta(minutes=30 * n)
        item = {"client_id": uuid.uuid4().hex, **_fix("in" if n % 2 == 0 else "out", rng, at)}
        items.append({**item, "elapsed_ms": _ms(at - booted), "boot_count": 7})
    return {
        "device_id": device_of(employee),
        "sent_at": now.isoformat(),
        "sent_elapsed_ms": _ms(now - booted),
        "boot_count": 7,
        "items": items,
    }


def _ms(span: timedelta) -> int:
    return int(span.total_seconds() * 1000)


def _counted(label: str, sample: Sample, answer: Any, status: int, limit: int) -> Counted:
    expected = f"{status}, <= {limit}"
    problem = "" if sample.status == status else f"answered {sample.status}: {answer}"
    if not problem and isinstance(answer, dict) and answer.get("state") != "accepted":
        problem = f"{answer.get('state')} {answer.get('reasons')}"
    return Counted(label, sample.status, Counter(sample.calls), limit, expected, problem)


def _batch_counted(
    label: str, sample: Sample, answer: Any, limit: int, *, duplicate: bool
) -> Counted:
    counted = _counted(label, sample, None, 200, limit)
    results = answer.get("results", []) if isinstance(answer, dict) else []
    if counted.problem:
        return _with_problem(counted, f"answered {sample.status}: {answer}")
    if len(results) != BATCH_ITEMS:
        return _with_problem(counted, f"{len(results)} results, not {BATCH_ITEMS}")
    states = Counter(str(r.get("state")) for r in results)
    if states != Counter({"accepted": BATCH_ITEMS}):
        return _with_problem(counted, f"states {dict(states)}")
    if any(bool(r.get("duplicate")) != duplicate for r in results):
        return _with_problem(counted, "duplicate" if not duplicate else "not all duplicates")
    return counted


def _with_problem(counted: Counted, problem: str) -> Counted:
    return Counted(
        counted.label, counted.status, counted.calls, counted.limit, counted.expected, problem
    )


# ------------------------------------------------------------------ 3. the daily status
@dataclass
class Pure:
    """``day_rules.statuses`` over the whole synthetic regency, timed in a few ways."""

    employees: int
    units: int
    checkins: int
    corrections: int
    leave: int
    repeat: int
    one_call_ms: list[float] = field(default_factory=list)
    per_unit_ms: list[float] = field(default_factory=list)
    parse_ms: list[float] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    wrong: int = 0


@dataclass
class ReadPath:
    """``day_status.unit_statuses`` on moto for a slice of the units."""

    units: int
    employees: int
    planner: Sample
    reads: Measured
    raw_query_ms: float = 0.0
    raw_get_ms: float = 0.0
    items: dict[str, int] = field(default_factory=dict)
    disagreements: int = 0
    over_budget: int = 0  # unit reads with more calls than 3 + 3 per absent employee

    @property
    def unit_calls(self) -> Counter[str]:
        """The calls of the unit read that made the most."""
        return self.reads.worst.calls

    @property
    def unit_calls_by_table(self) -> Counter[str]:
        return self.reads.worst.by_table


def planner_for(day: date, units: list[Unit]) -> DayPlanner:
    from eoffice.attendance import schedules

    return schedules.planner(day, day, units)


def pure_statuses(
    regency: Regency, all_units: list[Unit], repeat: int
) -> tuple[Pure, dict[str, Any]]:
    """Time ``statuses`` over the regency: once for all employees, then unit by unit (as
    ``unit_statuses`` would), each with a fresh planner (its cache cold); and parsing the day's
    check-ins from their stored JSON (what the read path adds in our code). Returns the days by
    NIP for the read path to be compared with."""
    from eoffice import clock
    from eoffice.attendance import day_rules
    from eoffice.attendance.models import CheckIn

    result = Pure(
        len(regency.employees),
        len(regency.units),
        len(regency.checkins),
        len(regency.corrections),
        len(regency.leave),
        repeat,
    )
    day, now = regency.day, clock.utcnow()
    everyone, checkins = regency.employees, regency.checkins
    corrections, leave = regency.corrections, regency.leave
    bodies = [c.model_dump_json() for c in checkins]
    by_nip: dict[str, Any] = {}

    def one_call() -> None:
        nonlocal by_nip
        planner = planner_for(day, all_units)
        gc.collect()
        started = time.perf_counter()
        found = day_rules.statuses(everyone, day, planner, checkins, corrections, leave, now)
        result.one_call_ms.append((time.perf_counter() - started) * 1000)
        by_nip = {staff.nip: staff for staff in found}

    def per_unit() -> None:
        planner = planner_for(day, all_units)
        gc.collect()
        started = time.perf_counter()
        for data in regency.units:
            day_rules.statuses(
                data.employees, day, planner, data.checkins, data.corrections, data.leave, now
            )
        result.per_unit_ms.append((time.perf_counter() - started) * 1000)

    for round_ in range(repeat):  # the order alternates: neither always runs first
        for action in (one_call, per_unit) if round_ % 2 == 0 else (per_unit, one_call):
            action()
        gc.collect()
        started = time.perf_counter()
        for body in bodies:
            CheckIn.model_validate_json(body)
        result.parse_ms.append((time.perf_counter() - started) * 1000)
    result.counts = Counter(str(staff.status.value) for staff in by_nip.values())
    result.wrong = sum(
        1 for nip, status in regency.expected.items() if by_nip[nip].status.value != status
    )
    return result, by_nip


def observed(client: Client, action: Callable[[], _T]) -> tuple[Sample, _T]:
    """Run ``action`` with its AWS calls counted and timed by operation and table, as the
    requests are (``bench.dispositions.Client``)."""
    waited: defaultdict[str, float] = defaultdict(float)
    by_table: Counter[str] = Counter()
    with counting() as calls, client._timed(waited, by_table):
        started = time.perf_counter()
        result = action()
        ms = (time.perf_counter() - started) * 1000
    sample = Sample(200, ms, sum(waited.values()), Counter(calls), by_table, dict(waited))
    return sample, result


def read_path(
    client: Client,
    regency: Regency,
    slice_units: Sequence[UnitData],
    pure: dict[str, StaffDay],
    repeat: int,
) -> ReadPath:
    """Load the planner once, then read each unit's day ``repeat`` times (after one warm-up
    read), counting and timing its calls; check each read against the pure computation."""
    from eoffice.attendance import day_status, schedules

    day = regency.day
    day_status.unit_statuses(slice_units[0].unit.unit_id, day, schedules.planner(day, day))
    planner_sample, planner = observed(client, lambda: schedules.planner(day, day))
    result = ReadPath(
        len(slice_units),
        sum(len(u.employees) for u in slice_units),
        planner_sample,
        Measured("unit_statuses", "one unit", 200),
    )
    for _ in range(repeat):
        for data in slice_units:
            sample, found = observed(
                client, partial(day_status.unit_statuses, data.unit.unit_id, day, planner)
            )
            result.reads.samples.append(sample)
            result.disagreements += _disagreements(found, data, pure)
            # 3 Queries, and 3 more for each absent employee whose record changed since the day
            # began (he may have moved units): here every employee was written today, so none
            # needs the 1 Query for leave filed in another unit that the others get
            absent = sum(1 for staff in found if staff.status == "absent")
            if total(sample.calls, "dynamodb") > UNIT_QUERIES * (1 + absent):
                result.over_budget += 1
    unit_id = slice_units[0].unit.unit_id
    result.raw_query_ms = raw_unit_day_query_ms(unit_id, day)
    result.raw_get_ms = median(
        raw_get_item_ms(_profile_key(slice_units[0].employees[0].nip)) for _ in range(RAW_SAMPLES)
    )
    result.items = table_items()
    return result


def _disagreements(found: Sequence[StaffDay], data: UnitData, pure: dict[str, StaffDay]) -> int:
    """Employees whose day differs between the read path and the pure computation (or who are
    missing from one of them)."""
    read = {staff.nip: staff.model_dump() for staff in found}
    wanted = {e.nip: pure[e.nip].model_dump() for e in data.employees}
    return sum(1 for nip in read.keys() | wanted.keys() if read.get(nip) != wanted.get(nip))


def raw_unit_day_query_ms(unit_id: str, day: date) -> float:
    """A raw Query of the unit's day on gsi1 (what ``ledger_store.unit_day`` asks), median of a few:
    the floor of one of the read path's Queries on this emulator at the table's size."""
    from eoffice import aws
    from eoffice.attendance.table import unit_month_key

    dynamodb: Any = aws.client("dynamodb")
    iso = day.isoformat()
    request = {
        "TableName": os.environ["ATTENDANCE_TABLE"],
        "IndexName": "gsi1",
        "KeyConditionExpression": "gsi1pk = :pk AND begins_with(gsi1sk, :day)",
        "ExpressionAttributeValues": {
            ":pk": {"S": unit_month_key(unit_id, iso[:7])},
            ":day": {"S": f"{iso}#"},
        },
    }
    dynamodb.query(**request)
    samples = []
    for _ in range(RAW_SAMPLES):
        started = time.perf_counter()
        dynamodb.query(**request)
        samples.append((time.perf_counter() - started) * 1000)
    return median(samples)


def table_items() -> dict[str, int]:
    """Items in the org and attendance tables (moto's Query time grows with them)."""
    from eoffice import aws

    dynamodb: Any = aws.client("dynamodb")
    found = {}
    for logical, env in (("OrgTable", "ORG_TABLE"), ("AttendanceTable", "ATTENDANCE_TABLE")):
        described = dynamodb.describe_table(TableName=os.environ[env])["Table"]
        found[logical] = int(described.get("ItemCount", 0))
    return found


def working_day_before(today: date, unit_id: str) -> date:
    """The last day before ``today`` on which the regency's default schedule works, so every
    status is final (a past day) and not a day off."""
    from eoffice.attendance import schedules

    first = today - timedelta(days=21)
    planner = schedules.planner(first, today)
    day = today - timedelta(days=1)
    while day >= first:
        hours, _ = planner.hours_on(unit_id, day)
        if hours is not None and not hours.ramadan:
            return day
        day -= timedelta(days=1)
    raise RuntimeError(f"no working day in the three weeks before {today}")


# ------------------------------------------------------------------ the report
@dataclass
class AttendanceReport:
    rounds: list[Round]
    counted: list[Counted]
    pure: Pure
    read: ReadPath
    day: date
    cores: int
    load: tuple[float, float]
    elapsed_s: float
    review: web_checkins.WebRound | None = None
    """Web check-ins under the default WebCheckInMockPolicy (review)."""
    assertion: web_checkins.AssertionCost | None = None

    def failures(self) -> list[str]:
        web = [r.web for r in self.rounds if r.web] + ([self.review] if self.review else [])
        problems = web_checkins.failures(web)
        for measured in self.rounds:
            m = measured.checkins
            for problem, n in sorted(m.problems.items()):
                problems.append(f"attendance, {m.label}: {problem} ({n} of {len(m.samples)})")
            if m.scans:
                problems.append(f"attendance, {m.label}: made {m.scans} Scan call(s)")
        for c in self.counted:
            if c.problem:
                problems.append(f"attendance, {c.label}: {c.problem}")
            if c.scans:
                problems.append(f"attendance, {c.label}: made {c.scans} Scan call(s)")
            if c.dynamodb > c.limit:
                problems.append(
                    f"attendance, {c.label}: {c.dynamodb} DynamoDB calls (target <= {c.limit})"
                )
        if self.pure.wrong:
            problems.append(
                f"attendance, daily status: {self.pure.wrong} of {self.pure.employees} "
                "employees got another status than their day should give"
            )
        if self.read.disagreements:
            problems.append(
                f"attendance, read path: {self.read.disagreements} employee-days differ from "
                "the pure computation"
            )
        if self.read.over_budget or any(n.endswith(":Scan") for n in self.read.unit_calls):
            problems.append(f"attendance, a unit's day: {_operations(self.read.unit_calls)}")
        return problems

    def render(self) -> str:
        return "\n".join(
            [
                f"Attendance: {self.cores} cores, load average {self.load[0]:.1f} before, "
                f"{self.load[1]:.1f} after; {self.elapsed_s:.0f} s",
                "",
                self._throughput(),
                "",
                self._web(),
                "",
                self._counted(),
                "",
                self._pure(),
                "",
                self._read(),
            ]
        )

    def _throughput(self) -> str:
        headers = (
            "request",
            "n",
            "per s",
            "p50 ms",
            "p95 ms",
            "p50 waiting on AWS",
            "p50 our code",
            "p50 / GetItem",
            "p50 / GET /health",
            "dynamodb calls",
            "other AWS",
        )
        rows = []
        for r in self.rounds:
            m, get_item, health = r.checkins, median(r.get_item_ms), r.health.p50
            low, high = m.dynamodb
            rows.append(
                [
                    m.label,
                    str(len(m.samples)),
                    f"{r.per_second:.1f}",
                    f"{m.p50:.1f}",
                    f"{m.p95:.1f}",
                    f"{m.aws_p50:.1f} ms ({m.aws_p50 / m.p50:.0%})",
                    f"{m.own_p50:.1f} ms",
                    f"{m.p50 / get_item:.1f}x",
                    f"{m.p50 / health:.1f}x",
                    str(high) if low == high else f"{low}-{high}",
                    str(max(_other_calls(s.calls) for s in m.samples)),
                ]
            )
        for r in self.rounds:
            rows.append(
                [
                    f"  baseline GET /health ({r.label.split(',')[0]} round)",
                    str(len(r.health.samples)),
                    "",
                    f"{r.health.p50:.1f}",
                    f"{r.health.p95:.1f}",
                    "",
                    f"{r.health.own_p50:.1f} ms",
                    "",
                    "1.0x",
                    str(r.health.dynamodb[1]),
                    str(max(_other_calls(s.calls) for s in r.health.samples)),
                ]
            )
            rows.append(
                [
                    f"  baseline raw GetItem ({r.label.split(',')[0]} round)",
                    str(len(r.get_item_ms)),
                    "",
                    f"{median(r.get_item_ms):.1f}",
                    f"{percentile(r.get_item_ms, 95):.1f}",
                    "",
                    "",
                    "1.0x",
                    "",
                    "1",
                    "0",
                ]
            )
        operations = "; ".join(
            f"{r.label.split(',')[0]}: "
            + _waited(r.checkins.worst.by_table, r.checkins.waited_ms())
            for r in self.rounds
        )
        return "\n".join(
            [
                "Check-ins per second through the local runner (gateway, authorizer, handler, "
                "moto; one function instance, one check-in at a time; each employee his own "
                "phone)",
                table(headers, rows),
                f"Where a check-in's calls go (median ms): {operations}.",
                "per s = check-ins / the sum of their latencies (the interleaved baselines left "
                "out).",
            ]
        )

    def _web(self) -> str:
        paired = [r for r in self.rounds if r.web]
        native = [(r.label, r.checkins, r.per_second) for r in paired]
        web = [r.web for r in paired if r.web]
        return web_checkins.render(native, web, self.review, self.assertion)

    def _counted(self) -> str:
        headers = ("request", "status", "dynamodb calls", "operations", "target", "result")
        rows = [
            [
                c.label,
                str(c.status),
                str(c.dynamodb),
                _operations(c.calls),
                c.expected + ", no Scan",
                verdict(c.passed) + (f" ({c.problem})" if c.problem else ""),
            ]
            for c in self.counted
        ]
        return "\n".join(["DynamoDB calls per check-in", table(headers, rows)])

    def _pure(self) -> str:
        p = self.pure
        per_unit = median(p.per_unit_ms)
        rows = [
            [
                f"statuses(), one call for all {p.employees:,}",
                f"{median(p.one_call_ms):.0f}",
                f"{median(p.one_call_ms) * 1000 / p.employees:.0f}",
            ],
            [
                f"statuses(), {p.units} calls (one per unit)",
                f"{per_unit:.0f}",
                f"{per_unit * 1000 / p.employees:.0f}",
            ],
            [
                f"parse the day's {p.checkins:,} check-ins from JSON (CheckIn)",
                f"{median(p.parse_ms):.0f}",
                f"{median(p.parse_ms) * 1000 / p.employees:.0f}",
            ],
        ]
        statuses = ", ".join(f"{name} {n:,}" for name, n in p.counts.most_common())
        return "\n".join(
            [
                f"Daily status, pure part (day_rules.statuses): {p.employees:,} employees in "
                f"{p.units} units on {self.day.isoformat()}, {p.checkins:,} check-ins, "
                f"{p.leave} approved leave, {p.corrections} corrections; median of {p.repeat}, "
                "a fresh DayPlanner each time",
                table(("what", "ms", "us per employee"), rows),
                f"Statuses: {statuses}; as drawn: "
                + ("all" if not p.wrong else f"{p.employees - p.wrong:,} of {p.employees:,}"),
            ]
        )

    def _read(self) -> str:
        r = self.read
        reads, planner = r.reads, r.planner
        per_unit_calls = total(r.unit_calls, "dynamodb")
        planner_calls = total(planner.calls, "dynamodb")
        units = self.pure.units
        items = ", ".join(f"{name} {n:,} items" for name, n in r.items.items())
        rows = [
            [
                "schedules.planner (once)",
                f"{planner.ms:.0f}",
                f"{planner.aws_ms:.0f}",
                f"{planner.ms - planner.aws_ms:.1f}",
                _operations(planner.calls),
            ],
            [
                f"unit_statuses, one unit (~{r.employees // r.units} employees)",
                f"{reads.p50:.0f}",
                f"{reads.aws_p50:.0f}",
                f"{reads.own_p50:.1f}",
                _operations(r.unit_calls),
            ],
            [
                f"EXTRAPOLATED to {units} units: planner + {units} x unit",
                f"{planner.ms + units * reads.p50:,.0f}",
                f"{planner.aws_ms + units * reads.aws_p50:,.0f}",
                f"{planner.ms - planner.aws_ms + units * reads.own_p50:,.0f}",
                f"{planner_calls + units * per_unit_calls} calls",
            ],
        ]
        return "\n".join(
            [
                f"Daily status, read path on moto (day_status.unit_statuses): {r.units} units, "
                f"{r.employees} employees written to the tables, each unit read {READ_REPEAT} "
                f"times (medians); {items}",
                table(("what", "ms", "waiting on AWS", "our code ms", "dynamodb calls"), rows),
                "Where the calls go (median ms):",
                "  schedules.planner: " + _waited(planner.by_table, planner.waited),
                "  a unit's day: " + _waited(r.unit_calls_by_table, reads.waited_ms()),
                f"Raw Query of one unit's day (gsi1) {r.raw_query_ms:.1f} ms, raw GetItem "
                f"{r.raw_get_ms:.1f} ms on the same emulator. Read path vs pure computation: "
                + (
                    "the same days"
                    if not r.disagreements
                    else f"{r.disagreements} employee-days differ"
                ),
            ]
        )


def _waited(by_table: Counter[str], waited: dict[str, float]) -> str:
    """``Operation Table/index xN: ms``, slowest first."""
    listed = sorted(by_table.items(), key=lambda kv: -waited.get(kv[0], 0.0))
    return ", ".join(f"{name} x{n} {waited.get(name, 0.0):.0f}" for name, n in listed)


def _other_calls(calls: Counter[str]) -> int:
    """AWS calls to services other than DynamoDB."""
    return sum(n for name, n in calls.items() if not name.startswith("dynamodb:"))


def _operations(calls: Counter[str]) -> str:
    return (
        ", ".join(f"{name.partition(':')[2]} x{n}" for name, n in sorted(calls.items())) or "none"
    )


# ------------------------------------------------------------------ running it
def _timed(what: str, action: Callable[[], _T]) -> _T:
    return timed(what, action, progress)


def measure(
    checkins: int = CHECKINS, slice_units: int = SLICE_UNITS, repeat: int = PURE_REPEAT
) -> AttendanceReport:
    from eoffice import clock
    from eoffice.org import store
    from eoffice_local import demo_data
    from eoffice_local.seed import demo_id

    load_before, started = os.getloadavg()[0], time.perf_counter()
    with local_environment(STACK, DEMO_EMPLOYEES) as env, quiet_function_logs():
        client = Client(env)
        root = demo_id("unit", demo_data.ROOT_CODE)
        day = working_day_before(clock.today(), root)
        regency = _timed(f"synthetic regency for {day} built", lambda: synthetic_regency(day, root))
        site = new_unit("BENCH-ATT-CHECKIN", "Bidang Uji Check-in", root, MALILI)
        site.employees = [new_employee(site, n, "201108", "checkin") for n in range(checkins + 3)]
        browsers = [new_employee(site, n, "201107", "web") for n in range(checkins + 1)]
        site.employees += browsers
        slice_ = regency.units[:slice_units]
        _timed("units and employees written", lambda: write_units([site, *slice_]))
        _timed("the slice's days written", lambda: write_days(slice_))
        warm_up, counted_staff = site.employees[:1], site.employees[1:3]
        staff = site.employees[3 : checkins + 3]
        web = _timed("web credentials approved", lambda: web_checkins.enrol(client, browsers))
        rng = random.Random(SEED)
        # imports the handler (and py_webauthn), first connections
        check_in_round(client, warm_up, "in", rng, web_checkins.WebStaff(browsers[-1:], web.phones))
        web.employees = browsers[:-1]
        with web_checkins.mock_policy("accept"):
            rounds = [check_in_round(client, staff, kind, rng, web) for kind in ("in", "out")]
        review = web_checkins.review_round(client, web, partial(_fix, "in", rng))
        assertion = _timed("the assertion alone", lambda: web_checkins.assertion_cost(staff[0]))
        counted = count_calls(client, *counted_staff)
        progress("check-ins done")
        all_units = store.list_units()
        known = {u.unit_id for u in all_units}
        all_units += [u.unit for u in regency.units if u.unit.unit_id not in known]
        pure, by_nip = _timed("pure statuses", lambda: pure_statuses(regency, all_units, repeat))
        read = _timed("read path", lambda: read_path(client, regency, slice_, by_nip, READ_REPEAT))
    load = (load_before, os.getloadavg()[0])
    elapsed = time.perf_counter() - started
    return AttendanceReport(
        rounds, counted, pure, read, day, os.cpu_count() or 0, load, elapsed, review, assertion
    )
