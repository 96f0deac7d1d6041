"""The monthly TPP report (issue 7) at the regency's size, through the local runner: total time,
peak memory, and the share spent computing against the share spent reading attendance from the
emulator, measured in the same run.

**The data.** The local environment is started as the tests start it (its own moto server,
``template.yaml`` provisioned on a stack of its own, the small demo regency with the 2026
calendar and the default rule set). On top of it, 5,000 employees (``--quick`` 600) in 170 units
(``--quick`` 20), each with a TPP amount, are bulk-written with the org store, with their record
last changed in October: the normal case, read from their unit's partition. The demo's own
people are back-dated the same way. Every employee gets a month of attendance for November
2026 on the working days of the regency's calendar (drawn, seeded): most on time, some late by 1
to 120 minutes, some leaving early, a few without a check-in or a check-out, some absent days, a
few check-ins waiting for review, about one employee in ten on approved leave for a few days,
and a few corrections. The check-ins (about 210,000) are written straight with
``BatchWriteItem`` (25 items a call, several threads), each item exactly as
``checkin_store`` writes an accepted check-in (pk/sk, gsi1pk/gsi1sk, body): the month is drawn
and written by ``eoffice_local.demo_attendance``, as the demo's month is. The leave goes in
through ``leave_store.create``, the corrections through ``ledger_store.add_correction``. The
idempotency guards are not written: the report does not read them.

**The run.** ``TppReportFunction`` is invoked through the local runner with the scheduler's event
for 01:00 WITA on 1 December 2026; the function's clock reads that moment (plus the time
elapsed), so every day of November is over, as it would be on AWS. Measured:

- total wall time, and the run's own ``phase_seconds`` (read, compute, render, write). Every AWS
  call is timed and attributed to the phase it fell in, so the read phase splits into waiting on
  moto and our code (parsing the items);
- every DynamoDB call, by operation, table and index: Query pages and logical Queries (a first
  page, without ``ExclusiveStartKey``) per partition, and moto's milliseconds per page, so that
  moto's cost can be told apart from ours. Targets: no Scan, and one Query per unit of its
  month's attendance partition (pages aside);
- memory, three ways. (a) A ``tracemalloc`` peak around a second invocation, a firing an hour
  later: it reads and computes everything again, finds the same data and ends ``unchanged``
  (tracemalloc slows Python down, so it is kept off the timed first run). (b) Before a third
  invocation an admin corrects one day of one employee; that run computes everything, renders
  and writes version 2 with what changed, the whole path, in a process of its own started for
  it, as a new Lambda container would run it: its ``ru_maxrss`` is what Lambda's "Max Memory
  Used" would show (interpreter, imports, clients and the run; read as ``VmHWM``, since
  ``ru_maxrss`` carries the parent's over a fork). (c) The bench process's
  ``ru_maxrss`` before and after the runs (it includes the seeding). Targets: (a) and (b)
  under 1 GB, the function's memory;
- the files written and their sizes, the employees and the Rupiah paid; the runs must end
  ``complete``, ``unchanged``, ``complete`` with one employee changed.

**The baseline**, measured in the same run on the same tables (after the first two runs): the
bare cost of reading the same partitions, raw boto3 Query pages of 20 synthetic units' month
partitions on gsi1 (all of them with ``--quick``), no item parsed into a model. botocore's
decoding of those pages is then timed on its own, to split the page's time into moto (server
and HTTP) and our process's CPU. Extrapolated per item to every item the run read on gsi1, it is
the floor of reading the month's attendance on this emulator: the run's attendance Queries, its
read phase, its compute and the whole invocation are given as ratios of it.

**Scaling for Lambda.** The function has 1,024 MB, and Lambda gives a full vCPU at 1,769 MB, so
CPU-bound work is assumed to take 1,769 / 1,024 = 1.73 times what it takes on one core here
(assuming a core here is about as fast as a Lambda vCPU). Target: the compute and the rendering,
scaled so, within 300 s, a third of the function's 15 minutes; the reads on DynamoDB come on top
and are not measured here (moto is not DynamoDB).
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from unittest import mock

from botocore.client import BaseClient
from eoffice_local.aws_calls import counting, observing
from eoffice_local.demo_attendance import (
    WRITERS,
    Drawn,
    Rates,
    make_correction,
    working_days,
    write_leave_and_corrections,
    write_months,
)

from bench.attendance import UnitData, new_employee, new_unit, write_units
from bench.environment import local_environment
from bench.intake import quiet_function_logs
from bench.report import table, timed, verdict

if TYPE_CHECKING:
    from eoffice.attendance.models import DayHours
    from eoffice.org.models import Employee, Office
    from eoffice_local.environment import LocalEnvironment

STACK = "eoffice-bench-tpp"
"""A stack name of its own (see ``bench.dispositions.STACK``)."""
EMPLOYEES = 5000
UNITS = 170
QUICK_EMPLOYEES = 600
QUICK_UNITS = 20
BASELINE_UNITS = 20
"""Units whose partitions the baseline reads with raw boto3 (all of them with ``--quick``)."""
DEMO_EMPLOYEES = 20
MONTH = "2026-11"
FIRST, LAST = date(2026, 11, 1), date(2026, 11, 30)
FIRES_AT = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)
"""01:00 WITA on 1 December 2026: the schedule's firing for November."""
AGAIN_AT = FIRES_AT + timedelta(hours=1)
LATER_AT = FIRES_AT + timedelta(hours=2)
CHANGED_BEFORE = datetime(2026, 10, 15, 1, 0, tzinfo=UTC)
"""Every employee's record was last changed before the month: read from his unit's partition."""
MEMORY_LIMIT_MB = 1024
LAMBDA_CPU_FACTOR = 1769 / 1024
COMPUTE_BUDGET_S = 300.0
SEED = 7
TPP_AMOUNTS = (1_750_000, 2_250_000, 2_800_000, 3_500_000, 4_750_000, 6_000_000)
RATES = Rates()
"""A working day's fate and the share on leave: ``eoffice_local.demo_attendance``'s defaults."""
_KEY_EQUALS = re.compile(r"(#?\w+)\s*=\s*(:\w+)")


def progress(text: str) -> None:
    """A line on stderr: the report (stdout) comes at the end."""
    print(f"  [tpp] {text}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------ writing it
@dataclass
class Seeded:
    units: int
    employees: int
    demo: int
    working_days: int
    checkins: int = 0
    pending: int = 0
    leave: int = 0
    corrections: int = 0
    days: Counter[str] = field(default_factory=Counter)
    tpp_total: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    unit_ids: list[str] = field(default_factory=list)
    """The units with active employees: each must be read once."""
    synthetic_ids: list[str] = field(default_factory=list)
    late: tuple[str, str, date] | None = None
    """(NIP, unit, day) of the correction that arrives after the first report."""


def backdate_demo() -> list[tuple[Employee, Office]]:
    """The demo's people, their record last changed before the month, each with an office."""
    from eoffice.org import store

    people: list[Employee] = []
    cursor: str | None = None
    while True:
        page, cursor = store.list_employees(None, limit=100, cursor=cursor)
        people += page
        if cursor is None:
            break
    offices = store.list_offices()
    by_id = {office.office_id: office for office in offices}
    stamps = {"created_at": CHANGED_BEFORE, "updated_at": CHANGED_BEFORE}
    records = store.employees_by_nip([e.nip for e in people])
    store.write_employees(
        [], [(e.model_copy(update=stamps), version) for e, version in records.values()]
    )
    return [
        (
            e.model_copy(update=stamps),
            by_id.get(e.office_ids[0] if e.office_ids else "", offices[0]),
        )
        for e in people
        if e.active
    ]


def synthetic_units(employees: int, units: int, parent_id: str) -> list[UnitData]:
    """``employees`` spread evenly over ``units`` new units under ``parent_id`` (the attendance
    benchmark's builders), each with a TPP amount and a record older than the month."""
    rng = random.Random(SEED)
    made = [
        new_unit(
            f"BENCH-TPP-{u:03d}",
            f"Bidang Uji TPP {u + 1}",
            parent_id,
            (-2.6343 + 0.001 * (u % 20), 121.1050 + 0.001 * (u // 20)),
        )
        for u in range(units)
    ]
    made = [
        UnitData(
            data.unit.model_copy(
                update={"created_at": CHANGED_BEFORE, "updated_at": CHANGED_BEFORE}
            ),
            data.office,
        )
        for data in made
    ]
    for n in range(employees):
        data = made[n % units]
        employee = new_employee(data, n, "201110", "tpp")
        data.employees.append(
            employee.model_copy(
                update={
                    "tpp_amount": rng.choice(TPP_AMOUNTS),
                    "created_at": CHANGED_BEFORE,
                    "updated_at": CHANGED_BEFORE,
                }
            )
        )
    return made


def seed(employees: int, units: int) -> Seeded:
    """The synthetic regency and everybody's month, written to the tables."""
    from eoffice_local import demo_data
    from eoffice_local.seed import demo_id

    root = demo_id("unit", demo_data.ROOT_CODE)
    started = time.perf_counter()
    demo = backdate_demo()
    regency = synthetic_units(employees, units, root)
    write_units(regency)
    plan = working_days(root, FIRST, LAST)
    seeded = Seeded(units, employees, len(demo), len(plan))
    seeded.seconds["units and employees"] = time.perf_counter() - started
    groups: defaultdict[str, list[tuple[Employee, Office]]] = defaultdict(list)
    for employee, office in demo:
        groups[employee.unit_id].append((employee, office))
    for data in regency:
        groups[data.unit.unit_id] += [(e, data.office) for e in data.employees]
    seeded.unit_ids = sorted(groups)
    seeded.synthetic_ids = [data.unit.unit_id for data in regency]
    seeded.late = (regency[0].employees[0].nip, regency[0].unit.unit_id, plan[2][0])
    seeded.tpp_total = sum(e.tpp_amount for staff in groups.values() for e, _ in staff)
    started = time.perf_counter()
    drawn = _draw_and_write(groups, plan)
    seeded.seconds["check-ins (draw, BatchWriteItem)"] = time.perf_counter() - started
    started = time.perf_counter()
    write_leave_and_corrections(drawn)
    seeded.seconds["leave and corrections"] = time.perf_counter() - started
    seeded.checkins, seeded.pending, seeded.days = drawn.checkins, drawn.pending, drawn.days
    seeded.leave, seeded.corrections = len(drawn.leave), len(drawn.corrections)
    return seeded


def _draw_and_write(
    groups: dict[str, list[tuple[Employee, Office]]], plan: list[tuple[date, DayHours]]
) -> Drawn:
    """Unit by unit: draw its month and write its check-ins (``write_months``)."""

    def report(done: int, total: Drawn) -> None:
        if done % 50 == 0:
            progress(f"{done}/{len(groups)} units' months written ({total.checkins:,} check-ins)")

    units = [groups[unit_id] for unit_id in sorted(groups)]
    return write_months(units, plan, random.Random(SEED + 1), RATES, report)


def add_late_correction(late: tuple[str, str, date]) -> None:
    """An admin marks one of his days as izin after the report was published."""
    from eoffice.attendance import ledger_store
    from eoffice.org import store

    nip, unit_id, day = late
    employee = store.get_employee(nip)
    if employee is None:
        raise RuntimeError(f"employee {nip} is missing")
    ledger_store.add_correction(make_correction(employee, day, "leave"), unit_id)


# ------------------------------------------------------------------ what the run did
@dataclass(frozen=True)
class Call:
    operation: str
    target: str
    """``Table[/index]`` for DynamoDB (logical names), ``s3`` ..."""
    partition: str
    """A Query's partition key value."""
    continued: bool
    """A further page (``ExclusiveStartKey`` given)."""
    items: int
    started: float
    ms: float


@dataclass
class Recorder:
    """Every AWS call of the process while it records: what, where, how long."""

    tables: dict[str, str]
    calls: list[Call] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)

    def waited_since(self, started: float) -> float:
        """Milliseconds during which at least one AWS call was in flight, among the calls that
        started at or after ``started`` (the report's files are written by a few threads at
        once: their calls overlap). The calls are kept in the order they ended."""
        chosen = []
        for call in reversed(self.calls):
            if call.started + call.ms / 1000 < started:
                break
            if call.started >= started:
                chosen.append(call)
        return union_ms(chosen)

    def recording(self) -> contextlib.AbstractContextManager[None]:
        """Every answered AWS call kept, with its time, while the block runs."""

        def keep(
            client: BaseClient,
            _: Any,
            operation: str,
            params: Any,
            answer: Any,
            started: float,
            ms: float,
        ) -> None:
            service = client.meta.service_model.service_name
            self.add(self.call(service, operation, params, answer, started, ms))

        return observing(keep)

    def call(
        self, service: str, operation: str, params: Any, answer: Any, started: float, ms: float
    ) -> Call:
        if service != "dynamodb":
            return Call(operation, service, "", False, 0, started, ms)
        names = {params["TableName"]} if "TableName" in params else set()
        names.update(params.get("RequestItems", {}))
        for action in params.get("TransactItems", []):
            names.update(op["TableName"] for op in action.values() if "TableName" in op)
        target = "+".join(sorted(self.tables.get(n, n) for n in names)) or "?"
        if "IndexName" in params:
            target += f"/{params['IndexName']}"
        items = int(answer.get("Count", 0)) if isinstance(answer, dict) else 0
        return Call(
            operation,
            target,
            _partition(params) if operation == "Query" else "",
            "ExclusiveStartKey" in params,
            items,
            started,
            ms,
        )


def union_ms(calls: Sequence[Call]) -> float:
    """Milliseconds covered by the calls' intervals (overlaps counted once)."""
    covered, until = 0.0, float("-inf")
    for call in sorted(calls, key=lambda c: c.started):
        end = call.started + call.ms / 1000
        if end > until:
            covered += end - max(call.started, until)
            until = end
    return covered * 1000


def _partition(params: Any) -> str:
    """The value the key condition sets the partition key to (the first ``name = :value``)."""
    found = _KEY_EQUALS.search(str(params.get("KeyConditionExpression", "")))
    if found is None:
        return "?"
    value = params.get("ExpressionAttributeValues", {}).get(found.group(2), {})
    return str(next(iter(value.values()), "?"))


@contextlib.contextmanager
def phase_waits(recorder: Recorder) -> Iterator[defaultdict[str, float]]:
    """Milliseconds spent inside AWS calls during each of the run's phases: each time the run
    closes a phase segment (``reading.Phases.add``), the calls made since it opened go to it."""
    from eoffice.tpp import reading

    original = reading.Phases.add
    waited: defaultdict[str, float] = defaultdict(float)

    def add(phases: reading.Phases, phase: str, started: float) -> None:
        waited[phase] += recorder.waited_since(started)
        original(phases, phase, started)

    with mock.patch.object(reading.Phases, "add", add):
        yield waited


@contextlib.contextmanager
def clock_at(moment: datetime) -> Iterator[None]:
    """The functions' clock reads ``moment`` plus the time elapsed since."""
    from eoffice import clock

    began = time.monotonic()

    def utcnow() -> datetime:
        return moment + timedelta(seconds=time.monotonic() - began)

    with mock.patch.object(clock, "utcnow", utcnow):
        yield


def max_rss_mb() -> float:
    """The process's peak resident set so far (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class Invocation:
    result: dict[str, Any]
    seconds: float
    calls: Counter[str]
    recorder: Recorder
    waited: dict[str, float]
    rss_before_mb: float
    rss_after_mb: float
    traced_peak_mb: float | None = None

    @property
    def phases(self) -> dict[str, float]:
        return dict(self.result.get("phase_seconds") or {})

    @property
    def aws_seconds(self) -> float:
        """Time with at least one AWS call in flight."""
        return union_ms(self.recorder.calls) / 1000

    @property
    def scans(self) -> int:
        return sum(n for name, n in self.calls.items() if name.endswith(":Scan"))


def invoke(env: LocalEnvironment, at: datetime, *, traced: bool = False) -> Invocation:
    """The report function with the scheduler's event for ``at``, its clock at ``at``."""
    from eoffice_local.events import scheduled_event

    event = scheduled_event(env.schedule("TppReportFunction"), env.stack, at=at)
    recorder = Recorder({name: logical for logical, name in _table_names(env).items()})
    before = max_rss_mb()
    if traced:
        tracemalloc.start()
    try:
        with (
            counting() as calls,
            recorder.recording(),
            phase_waits(recorder) as waited,
            clock_at(at),
        ):
            started = time.perf_counter()
            result = env.runtime.invoke("TppReportFunction", event)
            seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 2**20 if traced else None
    finally:
        if traced:
            tracemalloc.stop()
    waits = {phase: ms / 1000 for phase, ms in waited.items()}
    return Invocation(result, seconds, Counter(calls), recorder, waits, before, max_rss_mb(), peak)


def _table_names(env: LocalEnvironment) -> dict[str, str]:
    """Logical id -> physical name of the stack's tables."""
    return {
        logical: os.environ[variable]
        for logical, variable in (
            ("OrgTable", "ORG_TABLE"),
            ("AttendanceTable", "ATTENDANCE_TABLE"),
            ("TppTable", "TPP_TABLE"),
        )
        if variable in os.environ
    }


# ------------------------------------------------------------------ a fresh process
FRESH = """
import json, resource, sys, time
from datetime import datetime, timedelta
from unittest import mock

def rss_mb():
    # VmHWM: this process's peak resident set. ru_maxrss would carry the parent's over the
    # fork (Linux keeps the larger of the two across exec).
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

class Context:
    function_name = "bench-TppReportFunction"
    invoked_function_arn = "arn:aws:lambda:local:000000000000:function:bench-TppReportFunction"
    aws_request_id = "bench-fresh"
    function_version = "$LATEST"
    log_group_name = log_stream_name = "bench"

    def __init__(self, memory, timeout):
        self.memory_limit_in_mb, self.timeout, self.began = memory, timeout, time.monotonic()

    def get_remaining_time_in_millis(self):
        return max(0, int((self.timeout - time.monotonic() + self.began) * 1000))

code_uri, handler_name, memory, timeout, at, event, out = sys.argv[1:8]
sys.path.insert(0, code_uri)
module_name, _, attribute = handler_name.rpartition(".")
handler = getattr(__import__(module_name), attribute)
init_mb = rss_mb()
from eoffice import clock
from eoffice_local.aws_calls import counting, observing
moment, began = datetime.fromisoformat(at), time.monotonic()
with counting() as calls, mock.patch.object(
    clock, "utcnow", lambda: moment + timedelta(seconds=time.monotonic() - began)
):
    started = time.perf_counter()
    result = handler(json.loads(event), Context(int(memory), int(timeout)))
    seconds = time.perf_counter() - started
scans = sum(n for name, n in calls.items() if name.endswith(":Scan"))
with open(out, "w") as sink:
    json.dump({"result": result, "seconds": seconds, "rss_init_mb": init_mb,
               "rss_peak_mb": rss_mb(), "scans": scans}, sink)
"""
"""One invocation in a process of its own, as a new Lambda container runs it: only the
handler's imports (the function's folder first on ``sys.path``, like ``/var/task``), a context
with the template's memory and timeout, the clock at the scheduled time. Its peak resident set
is what Lambda's "Max Memory Used" would report, cold start included."""


@dataclass
class Fresh:
    result: dict[str, Any]
    seconds: float
    rss_init_mb: float
    rss_peak_mb: float
    scans: int
    error: str = ""


def invoke_fresh(env: LocalEnvironment, at: datetime) -> Fresh:
    """``TppReportFunction`` with the scheduler's event for ``at``, in a fresh interpreter."""
    from eoffice_local.events import scheduled_event

    spec = env.runtime.spec("TppReportFunction")
    event = scheduled_event(env.schedule("TppReportFunction"), env.stack, at=at)
    with tempfile.TemporaryDirectory(prefix="bench-tpp-") as folder:
        out = Path(folder) / "run.json"
        arguments = [str(spec.code_uri), spec.handler, str(spec.memory), str(spec.timeout)]
        completed = subprocess.run(
            [sys.executable, "-c", FRESH, *arguments, at.isoformat(), json.dumps(event), str(out)],
            env=dict(os.environ),
            stdout=subprocess.DEVNULL,  # the function's log lines
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
        if completed.returncode != 0 or not out.exists():
            return Fresh({}, 0.0, 0.0, 0.0, 0, error=completed.stderr[-2000:])
        return Fresh(**json.loads(out.read_text()))


# ------------------------------------------------------------------ the baseline
@dataclass
class Baseline:
    partitions: list[str]
    pages: int
    items: int
    seconds: float
    decode_seconds: float = 0.0
    """Of ``seconds``, botocore decoding the pages (our process's CPU, on Lambda as well);
    the rest is moto and HTTP."""

    @property
    def us_per_item(self) -> float:
        return self.seconds * 1e6 / self.items if self.items else float("nan")

    @property
    def ms_per_page(self) -> float:
        return self.seconds * 1000 / self.pages if self.pages else float("nan")


def bare_reads(unit_ids: Sequence[str]) -> Baseline:
    """Raw boto3 Query pages of the units' month partitions on gsi1, no item parsed into a
    model; then botocore's decoding of the same pages timed on its own."""
    from botocore.parsers import create_parser
    from eoffice import aws
    from eoffice.attendance.table import unit_month_key

    dynamodb: Any = aws.client("dynamodb")
    baseline = Baseline([unit_month_key(unit_id, MONTH) for unit_id in unit_ids], 0, 0, 0.0)
    pages: list[tuple[Any, dict[str, Any]]] = []

    def keep(operation_model: Any, response_dict: dict[str, Any], **_: Any) -> None:
        pages.append((operation_model, dict(response_dict)))

    event = "before-parse.dynamodb.Query"
    dynamodb.meta.events.register(event, keep)
    try:
        for partition in baseline.partitions:
            _read_partition(dynamodb, partition, baseline)
    finally:
        dynamodb.meta.events.unregister(event, keep)
    parser = create_parser("json")
    started = time.perf_counter()
    for operation_model, response in pages:
        parser.parse(response, operation_model.output_shape)
    baseline.decode_seconds = time.perf_counter() - started
    return baseline


def _read_partition(dynamodb: Any, partition: str, baseline: Baseline) -> None:
    request: dict[str, Any] = {
        "TableName": os.environ["ATTENDANCE_TABLE"],
        "IndexName": "gsi1",
        "KeyConditionExpression": "gsi1pk = :pk",
        "ExpressionAttributeValues": {":pk": {"S": partition}},
    }
    started = time.perf_counter()
    while True:
        page = dynamodb.query(**request)
        baseline.pages += 1
        baseline.items += int(page["Count"])
        if "LastEvaluatedKey" not in page:
            break
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    baseline.seconds += time.perf_counter() - started


# ------------------------------------------------------------------ the report
@dataclass
class Queried:
    """The Queries of one target (``Table/index``)."""

    target: str
    pages: int = 0
    first_pages: Counter[str] = field(default_factory=Counter)
    items: int = 0
    ms: float = 0.0


def queries(calls: Sequence[Call]) -> dict[str, Queried]:
    found: dict[str, Queried] = {}
    for call in calls:
        if call.operation != "Query":
            continue
        q = found.setdefault(call.target, Queried(call.target))
        q.pages += 1
        q.items += call.items
        q.ms += call.ms
        if not call.continued:
            q.first_pages[call.partition] += 1
    return found


@dataclass
class TppReport:
    seeded: Seeded
    first: Invocation
    second: Invocation
    third: Fresh
    baseline: Baseline
    version: dict[str, Any]
    later: dict[str, Any]
    """The version the third run published (after the late correction)."""
    seed_seconds: float
    cores: int
    load: tuple[float, float]
    elapsed_s: float

    # -------------------------------------------------------------- derived figures
    @property
    def attendance(self) -> Queried:
        return queries(self.first.recorder.calls).get(
            "AttendanceTable/gsi1", Queried("AttendanceTable/gsi1")
        )

    @property
    def own_reads(self) -> int:
        """Queries of an employee's own partition (``EMP#``): only for one who changed since
        the month began."""
        return sum(
            1
            for c in self.first.recorder.calls
            if c.operation == "Query" and c.partition.startswith("EMP#") and not c.continued
        )

    @property
    def peak_mb(self) -> float:
        """The tracemalloc peak of the second run."""
        return self.second.traced_peak_mb or 0.0

    @property
    def states(self) -> str:
        runs = (self.first, self.second, self.third)
        return ", ".join(str(run.result.get("state")) for run in runs)

    @property
    def compute_render_s(self) -> float:
        phases = self.first.phases
        return phases.get("compute", 0.0) + phases.get("render", 0.0)

    @property
    def scaled_compute_s(self) -> float:
        return self.compute_render_s * LAMBDA_CPU_FACTOR

    @property
    def unit_reads_ok(self) -> bool:
        from eoffice.attendance.table import unit_month_key

        wanted = {unit_month_key(u, MONTH) for u in self.seeded.unit_ids}
        first_pages = self.attendance.first_pages
        return set(first_pages) == wanted and all(n == 1 for n in first_pages.values())

    def checks(self) -> list[tuple[str, str, str, bool]]:
        """(check, measured, target, passed)."""
        a, peak, rss = self.attendance, self.peak_mb, self.third.rss_peak_mb
        expected = self.seeded.employees + self.seeded.demo
        scans = self.first.scans + self.second.scans + self.third.scans
        wanted = "complete, unchanged, complete"
        changed = self.later.get("changed_employees")
        most = max(a.first_pages.values(), default=0)
        return [
            ("runs end", self.states, wanted, self.states == wanted),
            (
                "employees in the report",
                str(self.version.get("employees")),
                str(expected),
                self.version.get("employees") == expected,
            ),
            ("employees changed by the late correction", str(changed), "1", changed == 1),
            (
                "third run in a fresh process",
                self.third.error.strip().splitlines()[-1] if self.third.error else "ran",
                "ran",
                not self.third.error,
            ),
            ("Scan calls (three runs)", str(scans), "0", not scans),
            (
                "attendance Queries per unit (pages aside)",
                f"{most} ({len(a.first_pages)} partitions)",
                f"1 ({len(self.seeded.unit_ids)} units)",
                self.unit_reads_ok,
            ),
            (
                "employees read from their own partition",
                str(self.own_reads),
                "0",
                not self.own_reads,
            ),
            (
                "tracemalloc peak (second run)",
                f"{peak:,.0f} MB ({peak / MEMORY_LIMIT_MB:.2f} of 1 GB)",
                f"< {MEMORY_LIMIT_MB:,} MB",
                peak < MEMORY_LIMIT_MB,
            ),
            (
                "peak resident set, fresh process (third run)",
                f"{rss:,.0f} MB ({rss / MEMORY_LIMIT_MB:.2f} of 1 GB)",
                f"< {MEMORY_LIMIT_MB:,} MB",
                0 < rss < MEMORY_LIMIT_MB,
            ),
            (
                f"compute + render x {LAMBDA_CPU_FACTOR:.2f} (Lambda, 1,024 MB)",
                f"{self.scaled_compute_s:.1f} s",
                f"<= {COMPUTE_BUDGET_S:.0f} s",
                self.scaled_compute_s <= COMPUTE_BUDGET_S,
            ),
        ]

    def failures(self) -> list[str]:
        return [
            f"tpp, {name}: {measured} (target {target})"
            + (f"; {self._partition_reads()}" if name.startswith("attendance") else "")
            for name, measured, target, passed in self.checks()
            if not passed
        ]

    def _partition_reads(self) -> str:
        first_pages = self.attendance.first_pages
        twice = sum(1 for n in first_pages.values() if n > 1)
        return (
            f"{len(first_pages)} partitions for {len(self.seeded.unit_ids)} units, "
            f"{twice} read more than once"
        )

    # -------------------------------------------------------------- rendering
    def render(self) -> str:
        return "\n".join(
            [
                f"TPP monthly report, {MONTH}: {self.cores} cores, load average "
                f"{self.load[0]:.1f} before, {self.load[1]:.1f} after; {self.elapsed_s:.0f} s "
                f"(seeding {self.seed_seconds:.0f} s)",
                "",
                self._data(),
                "",
                self._run(),
                "",
                self._calls(),
                "",
                self._memory(),
                "",
                self._baseline(),
                "",
                self._files(),
                "",
                self._checks(),
            ]
        )

    def _data(self) -> str:
        s = self.seeded
        days = ", ".join(f"{name} {n:,}" for name, n in s.days.most_common())
        seconds = ", ".join(f"{name} {value:.1f} s" for name, value in s.seconds.items())
        write_s = s.seconds.get("check-ins (draw, BatchWriteItem)", 0.0)
        return "\n".join(
            [
                f"Data: {s.employees:,} employees in {s.units} units (+ the demo's {s.demo} people "
                f"in its units: {len(s.unit_ids)} units with staff), TPP Rp {s.tpp_total:,} a "
                f"month; {s.working_days} working days; {s.checkins:,} check-ins "
                f"({s.pending:,} pending review), {s.leave:,} approved leave, "
                f"{s.corrections:,} corrections",
                f"Employee-days: {days}",
                f"Written in: {seconds} "
                f"({s.checkins / write_s if write_s else 0:,.0f} check-ins/s, {WRITERS} threads)",
            ]
        )

    def _run(self) -> str:
        first, phases = self.first, self.first.phases
        rows = []
        for phase in ("read", "compute", "render", "write"):
            seconds, waited = phases.get(phase, 0.0), first.waited.get(phase, 0.0)
            rows.append(_phase_row(phase, seconds, waited, first.seconds))
        other = first.seconds - sum(phases.values())
        other_wait = first.aws_seconds - sum(first.waited.values())
        rows.append(_phase_row("other (lease, head, publish)", other, other_wait, first.seconds))
        rows.append(
            _phase_row("the whole invocation", first.seconds, first.aws_seconds, first.seconds)
        )
        return "\n".join(
            [
                f"The run: TppReportFunction, scheduled event for {FIRES_AT.isoformat()} "
                f"(01:00 WITA, 1 December), state {first.result.get('state')}, "
                f"version {first.result.get('version')}, {first.seconds:.1f} s",
                table(
                    ("phase (phase_seconds)", "s", "share", "waiting on AWS s", "our code s"),
                    rows,
                ),
                f"Compute + render {self.compute_render_s:.1f} s "
                f"({self.compute_render_s / first.seconds:.0%} of the run) against read "
                f"{phases.get('read', 0.0):.1f} s ({phases.get('read', 0.0) / first.seconds:.0%}); "
                f"scaled for Lambda at 1,024 MB (x{LAMBDA_CPU_FACTOR:.2f}): "
                f"{self.scaled_compute_s:.1f} s; all our code scaled: "
                f"{(first.seconds - first.aws_seconds) * LAMBDA_CPU_FACTOR:.1f} s",
            ]
        )

    def _calls(self) -> str:
        found = queries(self.first.recorder.calls)
        rows = []
        for target, q in sorted(found.items(), key=lambda kv: -kv[1].ms):
            rows.append(
                [
                    f"Query {target}",
                    str(sum(q.first_pages.values())),
                    str(q.pages),
                    f"{q.items:,}",
                    f"{q.ms / 1000:.1f}",
                    f"{q.ms / q.pages:.1f}",
                ]
            )
        others: defaultdict[str, list[float]] = defaultdict(list)
        for call in self.first.recorder.calls:
            if call.operation != "Query":
                others[f"{call.operation} {call.target}"].append(call.ms)
        for name, spent in sorted(others.items(), key=lambda kv: -sum(kv[1])):
            count = len(spent)
            rows.append(
                [name, str(count), "", "", f"{sum(spent) / 1000:.1f}", f"{sum(spent) / count:.1f}"]
            )
        a = self.attendance
        per_unit = max(a.first_pages.values(), default=0)
        return "\n".join(
            [
                "AWS calls of the run (first invocation; Queries: logical = first pages)",
                table(("call", "logical", "pages", "items", "s", "ms per page/call"), rows),
                f"Attendance: {len(a.first_pages)} unit partitions, at most {per_unit} Query per "
                f"unit, {a.pages} pages ({a.pages / max(len(a.first_pages), 1):.2f} per unit), "
                f"moto {a.ms / max(a.pages, 1):.0f} ms per page; own-partition reads "
                f"{self.own_reads}; "
                f"calls by operation: {_operations(self.first.calls)}",
            ]
        )

    def _memory(self) -> str:
        first, second, third = self.first, self.second, self.third
        rows = [
            _traced_row("tracemalloc peak, second run (same data)", second),
            [
                "fresh process, third run (late correction, new version): after importing "
                "the handler",
                f"{third.rss_init_mb:,.0f}",
                f"{third.rss_init_mb / MEMORY_LIMIT_MB:.2f}",
            ],
            [
                f"fresh process: peak resident set at the end ({third.result.get('state')}, "
                f"{third.seconds:.0f} s)",
                f"{third.rss_peak_mb:,.0f}",
                f"{third.rss_peak_mb / MEMORY_LIMIT_MB:.2f}",
            ],
            ["bench process ru_maxrss before the first run", f"{first.rss_before_mb:,.0f}", ""],
            ["bench process ru_maxrss after the first run", f"{first.rss_after_mb:,.0f}", ""],
            ["bench process ru_maxrss after the second run", f"{second.rss_after_mb:,.0f}", ""],
        ]
        return "\n".join(
            [
                "Memory",
                table(("what", "MB", "of 1,024 MB"), rows),
                "tracemalloc counts what Python allocates while the run is traced; the fresh "
                "process's peak resident set (VmHWM) is what Lambda's Max Memory Used would "
                "show (interpreter, imports, clients and the run); the bench process's "
                "ru_maxrss includes the seeding.",
            ]
        )

    def _baseline(self) -> str:
        b, first, a = self.baseline, self.first, self.attendance
        same = [
            c
            for c in first.recorder.calls
            if c.target == "AttendanceTable/gsi1" and c.partition in set(b.partitions)
        ]
        same_s = sum(c.ms for c in same) / 1000
        floor = b.us_per_item * a.items / 1e6
        read = first.phases.get("read", 0.0)
        rows = [
            [f"bare reads of the run's {a.items:,} items (extrapolated)", f"{floor:.1f}", "1.00x"],
            [
                "attendance Queries in the run (gsi1, all units)",
                f"{a.ms / 1000:.1f}",
                _x(a.ms / 1000, floor),
            ],
            ["read phase (every read, parsing)", f"{read:.1f}", _x(read, floor)],
            ["compute + render", f"{self.compute_render_s:.1f}", _x(self.compute_render_s, floor)],
            ["the whole invocation", f"{first.seconds:.1f}", _x(first.seconds, floor)],
        ]
        return "\n".join(
            [
                f"Baseline (same run, after the runs): raw boto3 Query of {len(b.partitions)} "
                f"units' month partitions (gsi1), nothing parsed: {b.pages} pages, "
                f"{b.items:,} items, {b.seconds:.1f} s, {b.ms_per_page:.0f} ms per page, "
                f"{b.us_per_item:.0f} us per item; of which botocore decoding the pages "
                f"{b.decode_seconds * 1000 / max(b.pages, 1):.0f} ms per page (our process, on "
                f"Lambda too), moto and HTTP "
                f"{(b.seconds - b.decode_seconds) * 1000 / max(b.pages, 1):.0f} ms per page. "
                f"The run's Queries of the same partitions: {len(same)} pages, {same_s:.1f} s "
                f"({_x(same_s, b.seconds)} the bare reads).",
                table(("figure", "s", "vs bare reads"), rows),
            ]
        )

    def _files(self) -> str:
        files = self.version.get("files", [])
        regency = [f for f in files if "/" not in f["name"]]
        units = [f for f in files if "/" in f["name"]]
        by_kind: defaultdict[str, list[int]] = defaultdict(list)
        for f in units:
            by_kind[f["name"].rsplit(".", 1)[-1]].append(int(f["bytes"]))
        listed = ", ".join(f"{f['name']} {int(f['bytes']) / 1024:,.0f} KB" for f in regency)
        per_unit = ", ".join(
            f"{len(sizes)} .{kind} ({sum(sizes) / 2**20:.1f} MB)" for kind, sizes in by_kind.items()
        )
        v = self.version
        return "\n".join(
            [
                f"Files: {len(files)}, {sum(int(f['bytes']) for f in files) / 2**20:.1f} MB: "
                f"{listed}; per unit {per_unit}",
                f"Report: {v.get('employees', 0):,} employees, TPP Rp {v.get('tpp_total', 0):,}, "
                f"deductions Rp {v.get('deduction_total', 0):,}, "
                f"paid Rp {v.get('paid_total', 0):,}; "
                f"{v.get('pending_days', 0):,} days left out pending review",
            ]
        )

    def _checks(self) -> str:
        rows = [
            [name, measured, target, verdict(ok)] for name, measured, target, ok in self.checks()
        ]
        return table(("check", "measured", "target", "result"), rows)


def _traced_row(label: str, run: Invocation) -> list[str]:
    peak = run.traced_peak_mb or 0.0
    return [
        f"{label}: {run.result.get('state')}, {run.seconds:.0f} s traced",
        f"{peak:,.1f}",
        f"{peak / MEMORY_LIMIT_MB:.2f}",
    ]


def _phase_row(name: str, seconds: float, waited: float, whole: float) -> list[str]:
    return [
        name,
        f"{seconds:.1f}",
        f"{seconds / whole:.0%}" if whole else "-",
        f"{waited:.1f}",
        f"{seconds - waited:.1f}",
    ]


def _x(value: float, floor: float) -> str:
    return f"{value / floor:.2f}x" if floor else "-"


def _operations(calls: Counter[str]) -> str:
    return ", ".join(f"{name} x{n}" for name, n in sorted(calls.items())) or "none"


# ------------------------------------------------------------------ running it
_T = TypeVar("_T")


def _timed(what: str, action: Callable[[], _T]) -> _T:
    return timed(what, action, progress)


def measure(
    employees: int = EMPLOYEES, units: int = UNITS, baseline_units: int = BASELINE_UNITS
) -> TppReport:
    load_before, started = os.getloadavg()[0], time.perf_counter()
    with local_environment(STACK, DEMO_EMPLOYEES) as env, quiet_function_logs():
        seeded = _timed("regency and month written", lambda: seed(employees, units))
        seed_seconds = time.perf_counter() - started
        first = _timed("first run", lambda: invoke(env, FIRES_AT))
        progress(f"phases {first.phases}")
        second = _timed("second run (traced)", lambda: invoke(env, AGAIN_AT, traced=True))
        chosen = seeded.synthetic_ids[:baseline_units]
        baseline = _timed("bare reads", lambda: bare_reads(chosen))
        if seeded.late is not None:
            add_late_correction(seeded.late)
        third = _timed("third run (fresh process)", lambda: invoke_fresh(env, LATER_AT))
        version, later = (_version(run.result) for run in (first, third))
    load = (load_before, os.getloadavg()[0])
    elapsed = time.perf_counter() - started
    return TppReport(
        seeded,
        first,
        second,
        third,
        baseline,
        version,
        later,
        seed_seconds,
        os.cpu_count() or 0,
        load,
        elapsed,
    )


def _version(run: dict[str, Any]) -> dict[str, Any]:
    """The version a run published (or found), as JSON."""
    from eoffice.tpp import store
    from eoffice.tpp.report_models import REGENCY

    number = run.get("version")
    found = store.version(MONTH, REGENCY, int(number)) if number else None
    return found.model_dump(mode="json") if found else {}
