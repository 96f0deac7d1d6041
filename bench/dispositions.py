"""Dispositions at a regency's size: dispose, the read receipt and an inbox page, with 5,000
employees and 50,000 assignments in the tables.

The local environment is started as the tests start it (moto server, template.yaml provisioned on
a stack of its own, the demo regency). A few letters are registered through the API the way a
clerk does it (``POST /letters``, the scan sent through the presigned form, the intake function
drained in-process). The 50,000 assignments are written directly with PynamoDB's
``batch_write``, each built by ``eoffice.dispositions.store.assignment_row`` as ``dispose`` would
build it, so every index key is there. They are spread over every employee, heads weighted more,
with a year of history (older ones mostly done, recent ones open); kadis.kominfo and
staf.kominfo get a few hundred each, so their inbox page reads a real partition.

Then, through the in-process HTTP API (the authorizer, event and handler API Gateway would use),
each round does, in this order, and times each request:
- dispose, clerk to head: tu.kominfo disposes a registered letter of DISKOMINFO-SP to
  kadis.kominfo;
- read: kadis.kominfo opens that assignment for the first time (the read receipt);
- dispose, head forwards: kadis.kominfo disposes the same letter to staf.kominfo, which
  forwards the assignment he holds;
- inbox page: ``GET /me/inbox?limit=50`` as kadis.kominfo and as staf.kominfo;
- the baseline, ``GET /me`` as kadis.kominfo, in the same round so that it sees the same load.

Every request's botocore calls are counted (``eoffice_local.aws_calls.counting``) and timed by
operation, table and index. A Scan anywhere, a wrong answer (status, or effect: the first open
marks it read, the forward's parent is the assignment held, an inbox page has 50 items and starts
with the newest), or an inbox page that is more than the caller's lookup and one Query of the
dispositions table fails the run.

moto answers a Query by walking every item of the table, whatever the key; the load records how
a raw inbox Query's time grows as the table fills, so the latencies can be read against it.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.client import BaseClient
from eoffice_local.aws_calls import counting, total
from eoffice_local.environment import LocalEnvironment
from eoffice_local.gateway import LocalHttpApi

from bench.environment import local_environment
from bench.intake import quiet_function_logs
from bench.report import median, percentile, table, verdict

STACK = "eoffice-bench-dispositions"
"""A stack name of its own: PynamoDB keeps a model's connection while its table name stays the
same, so a name another benchmark used would send the calls to that one's stopped emulator."""
EMPLOYEES = 5000
ASSIGNMENTS = 50_000
REPEAT = 50
LETTERS = 10
"""Registered letters the rounds take in turn: each ends with REPEAT / LETTERS x 2 assignments,
a letter's tree of a realistic size."""
BIG_INBOXES = {"kadis.kominfo": 400, "staf.kominfo": 300}
"""Users whose inbox is read in the rounds, with the bulk assignments each receives."""
HEAD_WEIGHT = 5
"""Heads receive this many times the dispositions a member of staff does."""
LOAD_CHECKPOINTS = 5
"""The raw inbox Query is timed before the load and after each fifth of it."""
RAW_SAMPLES = 7
SEED = 11
CLERK, HEAD, STAFF = "tu.kominfo", "kadis.kominfo", "staf.kominfo"
INBOX_TARGET = "1 Query of the dispositions table + the caller's lookup"


# ------------------------------------------------------------------ what a request did
@dataclass
class Sample:
    status: int
    ms: float
    aws_ms: float
    calls: Counter[str]
    """``service:Operation`` as ``counting()`` sees them."""
    by_table: Counter[str]
    """DynamoDB calls by ``Operation Table[/index]``, e.g. ``Query DispositionsTable/gsi1``."""
    waited: dict[str, float]
    """Milliseconds inside those calls, by ``Operation table`` (``service:Operation`` for other
    services)."""
    problem: str = ""
    """Set when the answer was not what the round needed (wrong status, or right status and the
    wrong effect)."""


@dataclass
class Measured:
    label: str
    user: str
    expected: int
    samples: list[Sample] = field(default_factory=list)

    @property
    def p50(self) -> float:
        return median(s.ms for s in self.samples)

    @property
    def p95(self) -> float:
        return percentile([s.ms for s in self.samples], 95)

    @property
    def aws_p50(self) -> float:
        return median(s.aws_ms for s in self.samples)

    @property
    def own_p50(self) -> float:
        """Median time not spent inside AWS calls: our code, Powertools, the local gateway."""
        return median(s.ms - s.aws_ms for s in self.samples)

    @property
    def worst(self) -> Sample:
        """The sample with the most DynamoDB calls (the first of them)."""
        return max(self.samples, key=lambda s: total(s.calls, "dynamodb"))

    @property
    def dynamodb(self) -> tuple[int, int]:
        counts = [total(s.calls, "dynamodb") for s in self.samples]
        return min(counts), max(counts)

    @property
    def scans(self) -> int:
        return sum(n for s in self.samples for name, n in s.calls.items() if name.endswith(":Scan"))

    @property
    def problems(self) -> Counter[str]:
        found = Counter(s.problem for s in self.samples if s.problem)
        found.update(
            f"answered {s.status}, expected {self.expected}"
            for s in self.samples
            if s.status != self.expected and not s.problem
        )
        return found

    def waited_ms(self) -> dict[str, float]:
        """Median ms per request waiting on each DynamoDB operation and table."""
        names = {name for s in self.samples for name in s.by_table}
        return {name: median(s.waited.get(name, 0.0) for s in self.samples) for name in names}


# ------------------------------------------------------------------ the report
@dataclass(frozen=True)
class LoadReport:
    employees: int
    assignments: int
    inboxes: dict[str, int]
    build_s: float
    write_s: float
    letters: int
    register_s: float
    raw_query_ms: list[tuple[int, float]]
    """(items in the dispositions table, median ms of a raw inbox Query of 50)."""
    raw_get_ms: float


@dataclass(frozen=True)
class Machine:
    """How busy the machine was: moto's times move with it."""

    cores: int
    load_before: float
    load_after: float
    rounds_s: float


@dataclass(frozen=True)
class DispositionsReport:
    load: LoadReport
    measured: list[Measured]
    baseline: Measured
    repeat: int
    machine: Machine

    def all(self) -> list[Measured]:
        return [*self.measured, self.baseline]

    def failures(self) -> list[str]:
        problems = []
        for m in self.all():
            for problem, n in sorted(m.problems.items()):
                problems.append(f"{m.label} ({m.user}): {problem} ({n} of {len(m.samples)})")
            if m.scans:
                problems.append(f"{m.label}: made {m.scans} Scan call(s)")
            if m.label.startswith("inbox page") and not inbox_ok(m):
                problems.append(
                    f"{m.label}: {_operations(m.worst.by_table)} (target {INBOX_TARGET})"
                )
        return problems

    def render(self) -> str:
        load = self.load
        inboxes = ", ".join(f"{user} {n}" for user, n in load.inboxes.items())
        lines = [
            f"Dispositions: {load.employees} employees, {load.assignments:,} assignments "
            f"bulk-loaded ({inboxes} of them), {load.letters} letters registered through the API; "
            f"{self.repeat} rounds",
            table(
                ("step", "s"),
                [
                    ["build the assignments (pydantic, assignment_row)", f"{load.build_s:.1f}"],
                    ["batch_write them (BatchWriteItem x25)", f"{load.write_s:.1f}"],
                    [
                        f"register {load.letters} letters (POST, upload, intake)",
                        f"{load.register_s:.1f}",
                    ],
                ],
            ),
            "moto's Query grows with the table: raw inbox Query (gsi1, limit 50) by items in the "
            "dispositions table: "
            + ", ".join(f"{n:,} {ms:.0f} ms" for n, ms in load.raw_query_ms)
            + f"; raw GetItem {load.raw_get_ms:.1f} ms",
            "",
            f"Latency through the in-process API ({self.repeat} requests each, interleaved; "
            f"baseline {self.baseline.label}; {self.machine.cores} cores, load average "
            f"{self.machine.load_before:.1f} before, {self.machine.load_after:.1f} after; "
            f"rounds {self.machine.rounds_s:.0f} s)",
            self._latency(),
            "",
            "DynamoDB calls per request (most of any round; operation and table)",
            self._calls(),
        ]
        return "\n".join(lines)

    def _latency(self) -> str:
        base, own = self.baseline.p50, self.baseline.own_p50
        headers = (
            "request",
            "p50 ms",
            "p95 ms",
            "p50 / baseline",
            "p50 waiting on AWS",
            "p50 our code",
            "our code / baseline's",
        )
        rows = [
            [
                f"{m.label} ({m.user})",
                f"{m.p50:.0f}",
                f"{m.p95:.0f}",
                f"{m.p50 / base:.2f}x" if base else "-",
                f"{m.aws_p50:.0f} ms ({m.aws_p50 / m.p50:.0%})" if m.p50 else "-",
                f"{m.own_p50:.1f} ms",
                f"{m.own_p50 / own:.1f}x" if own else "-",
            ]
            for m in self.all()
        ]
        return table(headers, rows)

    def _calls(self) -> str:
        headers = ("request", "dynamodb calls", "other AWS", "target", "result")
        rows, details = [], []
        for m in self.all():
            low, high = m.dynamodb
            worst = m.worst
            waited = m.waited_ms()
            others = ", ".join(
                f"{name} x{n}"
                for name, n in sorted(worst.calls.items())
                if not name.startswith("dynamodb:")
            )
            is_inbox = m.label.startswith("inbox page")
            passed = not m.scans and not m.problems and (not is_inbox or inbox_ok(m))
            label = f"{m.label} ({m.user})"
            rows.append(
                [
                    label,
                    str(high) if low == high else f"{low}-{high}",
                    others or "none",
                    "no Scan" + (", 1 Query + caller" if is_inbox else ""),
                    verdict(passed),
                ]
            )
            listed = sorted(worst.by_table.items(), key=lambda kv: -waited.get(kv[0], 0.0))
            details.append(f"  {label}:")
            details.extend(f"    {name} x{n}: {waited.get(name, 0.0):.0f} ms" for name, n in listed)
        return "\n".join(
            [
                table(headers, rows),
                "Where the DynamoDB calls go (Operation Table/index; median ms a request):",
                *details,
            ]
        )


def inbox_ok(m: Measured) -> bool:
    """Every inbox page: one Query of the dispositions table and the caller's lookup on the org
    table (one Query), nothing else on DynamoDB."""
    expected = Counter({"Query DispositionsTable": 1, "Query OrgTable": 1})
    return all(_per_table(s) == expected and total(s.calls, "dynamodb") == 2 for s in m.samples)


def _per_table(sample: Sample) -> Counter[str]:
    """``Operation Table`` counts, indexes folded in."""
    folded: Counter[str] = Counter()
    for name, n in sample.by_table.items():
        folded[name.partition("/")[0]] += n
    return folded


def _operations(by_table: Counter[str]) -> str:
    return ", ".join(f"{name} x{n}" for name, n in sorted(by_table.items())) or "none"


# ------------------------------------------------------------------ calling the API
class Client:
    """Calls the HTTP API in-process, as API Gateway would, with one token per user; counts
    and times every botocore call of each request."""

    def __init__(self, env: LocalEnvironment) -> None:
        self.gateway = LocalHttpApi(env.template, env.stack, env.issuer, env.runtime.invoke)
        self.env = env
        self._tokens: dict[str, str] = {}
        self.tables = {
            value: name.removesuffix("_TABLE").title().replace("_", "") + "Table"
            for name, value in os.environ.items()
            if name.endswith("_TABLE")
        }

    def headers(self, user: str, body: bytes) -> dict[str, str]:
        token = self._tokens.setdefault(user, self.env.token(user))
        sent = {"host": "127.0.0.1:3000", "authorization": f"Bearer {token}"}
        if body:
            sent["content-type"] = "application/json"
        return sent

    def call(self, method: str, target: str, user: str, payload: Any = None) -> tuple[Sample, Any]:
        """The request's sample and its JSON answer (None when it has no JSON body). The
        handler's log lines are swallowed to keep the report readable."""
        body = json.dumps(payload).encode() if payload is not None else b""
        headers = self.headers(user, body)
        waited: defaultdict[str, float] = defaultdict(float)
        by_table: Counter[str] = Counter()
        with (
            contextlib.redirect_stdout(io.StringIO()),
            counting() as calls,
            self._timed(waited, by_table),
        ):
            started = time.perf_counter()
            answer = self.gateway.handle(method, target, headers, body, "127.0.0.1")
            ms = (time.perf_counter() - started) * 1000
        sample = Sample(
            answer.status, ms, sum(waited.values()), Counter(calls), by_table, dict(waited)
        )
        try:
            parsed = json.loads(answer.body) if answer.body else None
        except ValueError:
            parsed = None
        return sample, parsed

    @contextlib.contextmanager
    def _timed(self, waited: defaultdict[str, float], by_table: Counter[str]) -> Iterator[None]:
        """Milliseconds inside botocore calls, by ``Operation table`` for DynamoDB (by
        ``service:Operation`` otherwise), and how many DynamoDB calls went to each table."""
        original = BaseClient._make_api_call  # type: ignore[attr-defined]
        tables = self.tables

        def timed(client: BaseClient, operation_name: str, api_params: Any) -> Any:
            service = client.meta.service_model.service_name
            if service == "dynamodb":
                index = f"/{api_params['IndexName']}" if "IndexName" in api_params else ""
                name = f"{operation_name} {_table_of(api_params, tables)}{index}"
                by_table[name] += 1
            else:
                name = f"{service}:{operation_name}"
            started = time.perf_counter()
            try:
                return original(client, operation_name, api_params)
            finally:
                waited[name] += (time.perf_counter() - started) * 1000

        BaseClient._make_api_call = timed  # type: ignore[attr-defined]
        try:
            yield
        finally:
            BaseClient._make_api_call = original  # type: ignore[attr-defined]


def _table_of(params: Any, tables: dict[str, str]) -> str:
    """The logical name of the table(s) a DynamoDB call names (``+`` between several)."""
    names: set[str] = set()
    if "TableName" in params:
        names.add(params["TableName"])
    names.update(params.get("RequestItems", {}))
    for item in params.get("TransactItems", []):
        names.update(op["TableName"] for op in item.values() if "TableName" in op)
    return "+".join(sorted(tables.get(n, n) for n in names)) or "?"


# ------------------------------------------------------------------ the environment and its data
def bulk_assignments(employees: int, count: int, now: datetime) -> tuple[list[Any], dict[str, int]]:
    """``count`` assignments spread over the demo's people: BIG_INBOXES first, the rest drawn
    with heads weighted HEAD_WEIGHT; over the past year, older ones mostly closed. Two or three
    assignments share a (synthetic) letter, as a disposition and its forward do."""
    from eoffice.dispositions.models import (
        Assignment,
        AssignmentKind,
        AssignmentStatus,
        LetterBrief,
    )
    from eoffice.letters.models import Sifat, Urgensi
    from eoffice.org.models import Role
    from eoffice_local import demo_data
    from eoffice_local.seed import demo_id

    rng = random.Random(SEED)
    org = demo_data.generate(employees, seed=7)  # the seed load_demo uses
    people = list(org.employees)
    heads = [e for e in people if Role.head in e.roles]
    weights = [HEAD_WEIGHT if Role.head in e.roles else 1 for e in people]
    by_username = {e.username: e for e in people}
    named = {u: min(n, count // 4) for u, n in BIG_INBOXES.items()}
    recipients = [by_username[u] for u, n in named.items() for _ in range(n)]
    recipients += rng.choices(people, weights=weights, k=count - len(recipients))
    rng.shuffle(recipients)

    made: list[Any] = []
    letter: LetterBrief | None = None
    for index, person in enumerate(recipients):
        if letter is None or rng.random() < 0.4:
            agency = rng.choice(["Kementerian Dalam Negeri", "BKN", "Pemprov Sulawesi Selatan"])
            letter = LetterBrief(
                letter_id=f"{rng.getrandbits(128):032x}",
                unit_id=demo_id("unit", person.unit_code),
                agenda_label=f"{index + 1:05d}/{person.unit_code}/2026",
                subject=f"Surat uji beban nomor {index + 1}",
                sender_agency=agency,
                sifat=Sifat.biasa,
                urgensi=rng.choice([Urgensi.biasa, Urgensi.biasa, Urgensi.segera]),
            )
        created = now - timedelta(seconds=rng.uniform(60, 365 * 86_400))
        sender = rng.choice(heads)
        kind = AssignmentKind.tembusan if rng.random() < 0.15 else AssignmentKind.assignment
        fields: dict[str, Any] = {}
        if kind is AssignmentKind.tembusan:
            status = (
                AssignmentStatus.read
                if now - created > timedelta(days=7)
                else (rng.choice([AssignmentStatus.sent, AssignmentStatus.read]))
            )
        else:
            deadline = created + timedelta(days=7)
            fields |= {"deadline": deadline, "remind_at": deadline - timedelta(hours=24)}
            if now - created > timedelta(days=30):
                status = rng.choices(
                    [
                        AssignmentStatus.done,
                        AssignmentStatus.returned,
                        AssignmentStatus.cancelled,
                        AssignmentStatus.in_progress,
                    ],
                    weights=[85, 5, 5, 5],
                )[0]
            else:
                status = rng.choice(
                    [AssignmentStatus.sent, AssignmentStatus.read, AssignmentStatus.in_progress]
                )
            if status is AssignmentStatus.done:
                fields |= {
                    "done_at": created + timedelta(days=rng.uniform(0.5, 6)),
                    "report": "Sudah ditindaklanjuti sesuai arahan.",
                    "closed_by_nip": person.nip,
                }
            if status.open and deadline < now:
                fields |= {"overdue": True, "overdue_at": deadline}
        if status is not AssignmentStatus.sent and status is not AssignmentStatus.cancelled:
            fields |= {"read_at": created + timedelta(hours=2), "read_by_nip": person.nip}
        made.append(
            Assignment(
                assignment_id=f"{rng.getrandbits(128):032x}",
                disposition_id=f"{rng.getrandbits(128):032x}",
                letter_id=letter.letter_id,
                kind=kind,
                sender_nip=sender.nip,
                acted_by_nip=sender.nip,
                recipient_nip=person.nip,
                recipient_name=person.name,
                recipient_unit_id=demo_id("unit", person.unit_code),
                recipient_position_id=(
                    demo_id("position", person.position_key) if person.position_key else None
                ),
                instructions=["tindak_lanjuti"],
                note="Mohon segera ditindaklanjuti." if rng.random() < 0.3 else None,
                status=status,
                created_at=created,
                letter=letter,
                **fields,
            )
        )
    return made, named


def write(assignments: list[Any]) -> None:
    from eoffice.dispositions.store import DispositionRow, assignment_row

    with DispositionRow.batch_write() as batch:
        for assignment in assignments:
            batch.save(assignment_row(assignment, 1))


def raw_inbox_query_ms(nip: str) -> float:
    """A raw inbox Query (gsi1, newest first, 50 items) with the functions' kind of client: the
    floor of an inbox page on this emulator at the table's current size."""
    from eoffice import aws
    from eoffice.dispositions.store import inbox_partition

    dynamodb: Any = aws.client("dynamodb")
    request = {
        "TableName": os.environ["DISPOSITIONS_TABLE"],
        "IndexName": "gsi1",
        "KeyConditionExpression": "gsi1pk = :pk",
        "ExpressionAttributeValues": {":pk": {"S": inbox_partition(nip)}},
        "ScanIndexForward": False,
        "Limit": 50,
    }
    dynamodb.query(**request)
    samples = []
    for _ in range(RAW_SAMPLES):
        started = time.perf_counter()
        dynamodb.query(**request)
        samples.append((time.perf_counter() - started) * 1000)
    return median(samples)


def raw_get_item_ms() -> float:
    """A raw GetItem on the dispositions table (the settings item, absent or not)."""
    from eoffice import aws

    dynamodb: Any = aws.client("dynamodb")
    key = {"pk": {"S": "SETTINGS"}, "sk": {"S": "DISPOSITION"}}
    table_name = os.environ["DISPOSITIONS_TABLE"]
    dynamodb.get_item(TableName=table_name, Key=key)
    samples = []
    for _ in range(RAW_SAMPLES):
        started = time.perf_counter()
        dynamodb.get_item(TableName=table_name, Key=key)
        samples.append((time.perf_counter() - started) * 1000)
    return median(samples)


def load(
    employees: int, count: int, nip: str
) -> tuple[int, dict[str, int], float, float, list[tuple[int, float]]]:
    """Build and write the bulk assignments in LOAD_CHECKPOINTS chunks, timing a raw inbox
    Query of ``nip`` before and after each chunk."""
    now = datetime.now(UTC)
    started = time.perf_counter()
    assignments, inboxes = bulk_assignments(employees, count, now)
    build_s = time.perf_counter() - started
    raw = [(0, raw_inbox_query_ms(nip))]
    write_s = 0.0
    step = -(-len(assignments) // LOAD_CHECKPOINTS)
    for start in range(0, len(assignments), step):
        chunk = assignments[start : start + step]
        started = time.perf_counter()
        write(chunk)
        write_s += time.perf_counter() - started
        raw.append((start + len(chunk), raw_inbox_query_ms(nip)))
    return len(assignments), inboxes, build_s, write_s, raw


# ------------------------------------------------------------------ registered letters
def register_letters(env: LocalEnvironment, client: Client, count: int) -> list[str]:
    """``count`` letters of DISKOMINFO-SP registered by its clerk with their scans, as in the
    tests: POST /letters, the scan through the presigned form, the intake function drained."""
    import httpx
    from eoffice import aws
    from eoffice_local.poller import QueuePoller

    from bench.scans import make_scan

    (trigger,) = [t for t in env.template.queue_triggers if t.function == "IntakeFunction"]
    poller = QueuePoller(trigger, env.stack, aws.client("sqs"), env.runtime.invoke, wait_seconds=1)
    ids = []
    for index in range(count):
        body = {
            "sender_agency": "Kementerian Dalam Negeri",
            "sender_number": f"100.3/{80_000 + index}/SJ",
            "sender_date": "2026-11-20",
            "subject": f"Percepatan transformasi digital, surat uji {index + 1}",
            "classification_code": "100.3",
            "sifat": "biasa",
            "urgensi": "biasa",
            "addressee": "Kepala Dinas Komunikasi, Informatika, Statistik dan Persandian",
        }
        sample, answer = client.call("POST", "/letters", CLERK, body)
        if sample.status != 201:
            raise RuntimeError(f"POST /letters answered {sample.status}: {answer}")
        form = answer["upload"]
        scan = make_scan(1, with_text=True, seed=80_000 + index)
        sent = httpx.post(
            form["url"], data=form["fields"], files={"file": ("s.pdf", scan)}, timeout=30
        )
        if sent.status_code not in {200, 201, 204}:
            raise RuntimeError(f"the scan's upload answered {sent.status_code}")
        ids.append(answer["letter"]["letter_id"])
    empty = 0
    with contextlib.redirect_stdout(io.StringIO()):
        for _ in range(30 + count):
            empty = 0 if poller.poll_once() else empty + 1
            if empty >= 2:
                break
    for letter_id in ids:
        sample, letter = client.call("GET", f"/letters/{letter_id}", CLERK)
        if sample.status != 200 or letter.get("status") != "registered":
            raise RuntimeError(f"letter {letter_id} was not registered: {letter}")
    return ids


# ------------------------------------------------------------------ the rounds
def rounds(client: Client, letters: list[str], repeat: int) -> tuple[list[Measured], Measured]:
    """One warm-up round (handler imports, first connections), then ``repeat`` measured ones."""
    dispose_head = Measured("dispose, clerk to head", CLERK, 201)
    read = Measured("read (first open)", HEAD, 200)
    dispose_staff = Measured("dispose, head forwards", HEAD, 201)
    inbox_head = Measured("inbox page, limit 50", HEAD, 200)
    inbox_staff = Measured("inbox page, limit 50", STAFF, 200)
    baseline = Measured("GET /me", HEAD, 200)
    nips = _nips()
    for index in range(repeat + 1):
        keep = index > 0
        letter_id = letters[index % len(letters)]
        path = f"/letters/{letter_id}/dispositions"
        sample, answer = client.call("POST", path, CLERK, _dispose_body(nips[HEAD], index))
        _keep(keep, dispose_head, sample)
        first = answer["assignments"][0] if sample.status == 201 else None
        if first is not None:
            target = f"/letters/{letter_id}/assignments/{first['assignment_id']}"
            sample, opened = client.call("GET", target, HEAD)
            if sample.status == 200 and opened.get("status") != "read":
                sample.problem = f"the first open left it {opened.get('status')}, not read"
            _keep(keep, read, sample)
        sample, answer = client.call("POST", path, HEAD, _dispose_body(nips[STAFF], index))
        second = answer["assignments"][0] if sample.status == 201 else None
        parent = second.get("parent_assignment_id") if second else None
        if second and first and parent != first["assignment_id"]:
            sample.problem = "did not forward the assignment he holds"
        _keep(keep, dispose_staff, sample)
        newest = {HEAD: first, STAFF: second}
        for measured in (inbox_head, inbox_staff):
            sample, page = client.call("GET", "/me/inbox?limit=50", measured.user)
            items = page.get("items", []) if sample.status == 200 else []
            latest = newest[measured.user]
            if sample.status == 200 and len(items) != 50:
                sample.problem = f"a page of {len(items)} items, not 50"
            elif items and latest and items[0]["assignment_id"] != latest["assignment_id"]:
                sample.problem = "the page does not start with the newest assignment"
            _keep(keep, measured, sample)
        sample, _ = client.call("GET", "/me", HEAD)
        _keep(keep, baseline, sample)
        if index and index % 10 == 0:
            progress(f"round {index}/{repeat}")
    return [dispose_head, read, dispose_staff, inbox_head, inbox_staff], baseline


def _keep(keep: bool, measured: Measured, sample: Sample) -> None:
    if keep:
        measured.samples.append(sample)


def _dispose_body(nip: str, round_index: int = 0) -> dict[str, Any]:
    """A disposition of its own each round: the same one again, still open, is refused (409
    ``already_disposed``, ``dispose_rules.check_not_disposed_again``)."""
    note = f"Putaran {round_index}: mohon ditindaklanjuti."
    return {"recipients": [{"nip": nip}], "instructions": ["tindak_lanjuti"], "note": note}


def _nips() -> dict[str, str]:
    from eoffice_local import demo_data

    return {u: demo_data.generate(0, seed=7).employee(u).nip for u in (CLERK, HEAD, STAFF)}


def progress(text: str) -> None:
    """A line on stderr: the full run takes minutes, the report (stdout) comes at the end."""
    print(f"  [dispositions] {text}", file=sys.stderr, flush=True)


def measure(
    employees: int = EMPLOYEES,
    assignments: int = ASSIGNMENTS,
    repeat: int = REPEAT,
    letters: int = LETTERS,
) -> DispositionsReport:
    load_before = os.getloadavg()[0]
    with local_environment(STACK, employees) as env, quiet_function_logs():
        progress(f"environment up, {employees} employees loaded")
        client = Client(env)
        nip = _nips()[HEAD]
        count, inboxes, build_s, write_s, raw = load(employees, assignments, nip)
        progress(f"{count:,} assignments written in {write_s:.0f} s")
        raw_get = raw_get_item_ms()
        started = time.perf_counter()
        letter_ids = register_letters(env, client, letters)
        register_s = time.perf_counter() - started
        progress(f"{letters} letters registered in {register_s:.0f} s; {repeat} rounds to go")
        started = time.perf_counter()
        measured, baseline = rounds(client, letter_ids, repeat)
        rounds_s = time.perf_counter() - started
    loaded = LoadReport(
        employees, count, inboxes, build_s, write_s, letters, register_s, raw, raw_get
    )
    machine = Machine(os.cpu_count() or 0, load_before, os.getloadavg()[0], rounds_s)
    return DispositionsReport(loaded, measured, baseline, repeat, machine)
