"""Letter intake: scanned PDFs dropped into ``inbox/{unit_code}/``, announced on IntakeQueue and
turned into letters by the intake function, as a regency's scanners would feed it.

The local environment is started as the tests start it (moto server, template.yaml provisioned,
a small demo regency). The scans come from ``bench/scans.py``: 1 to 20 pages, half of them with an
OCR text layer, each with a first page of its own so that none is a duplicate. The queue is
drained the way Lambda's SQS mapping would, in batches of the template's ``BatchSize``, through the
intake function in-process.

What is compared, in the same run and on the same emulator:
- the intake function's own work per file: its invocations' time divided by the files;
- the bare floor: one ``GetObject`` of the same object and ``hashlib.sha256`` over its bytes,
  done for each batch's objects just before the batch is handed to the function (interleaved, so
  both see the same load; the drain's wall time leaves these reads out).

The invocations are split into time waiting on each AWS service (botocore calls timed, and counted
with ``eoffice_local.aws_calls.counting``; reading GetObject's body counts as S3) and the rest, our
code; ``inspect()`` alone is timed apart on the same bytes. Every file must become a letter awaiting its metadata, with gapless
agenda numbers and the right page count and text flag; a lost or refused file fails the run.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from botocore.client import BaseClient
from botocore.response import StreamingBody
from eoffice_local.aws_calls import counting
from eoffice_local.environment import LocalEnvironment

from bench.environment import local_environment
from bench.report import table, verdict
from bench.scans import make_scan

FILES = 200
EMPLOYEES = 20
"""A small demo regency: the org table's size does not matter here (one unit lookup per file)."""
UNIT_CODE = "DISKOMINFO-SP"
MAX_PAGES = 20
SEED_BASE = 90_000
"""Scan seeds; distinct seeds give distinct first pages, so no file is a duplicate of another."""

CALLS_PER_FILE = 12
"""AWS calls the intake may make for a scanned file: on S3 HeadObject, GetObject, PutObject
(letters bucket) and DeleteObject; on DynamoDB GetItem x4 (rejection, letter, fingerprint, agenda
counter), the unit's Query, UpdateItem (the registration's ticket) and TransactWriteItems; and
PutEvents. A scan with a text layer adds one PutItem (the text)."""

OWN_WORK_TARGET = 3.0
"""Our code's share of an invocation (time not spent waiting on AWS) per file, at most this many
times the bare GetObject + SHA-256 of the same file (issue 19; docs/performance.md, Letter
intake: it was 8 while the QR search decoded page 1 three times over)."""

FUNCTION = "IntakeFunction"
STACK = "eoffice-bench-intake"
"""A stack name of its own: PynamoDB keeps a model's connection while its table name stays the
same, so after the request benchmark's environment (stack ``eoffice-bench``) a reused name would
send this one's calls to that benchmark's stopped emulator."""
_EMPTY_POLLS = 2  # the queue counts as drained after this many empty receives in a row


@dataclass(frozen=True)
class Scan:
    key: str
    pages: int
    with_text: bool
    data: bytes
    sha256: str


def scans(count: int) -> list[Scan]:
    """``count`` scans, pages 1..20 in turn, a text layer on every other file (the pattern shifts
    by one every 20 files, so each page count comes with and without text)."""
    made = []
    for index in range(count):
        pages = 1 + index % MAX_PAGES
        with_text = (index + index // MAX_PAGES) % 2 == 0
        data = make_scan(pages, with_text=with_text, seed=SEED_BASE + index)
        suffix = "-ocr" if with_text else ""
        key = f"inbox/{UNIT_CODE}/scan-{index:03d}-{pages:02d}p{suffix}.pdf"
        made.append(Scan(key, pages, with_text, data, hashlib.sha256(data).hexdigest()))
    return made


@dataclass
class Invocations:
    """What the intake function did while the queue was drained."""

    count: int = 0
    seconds: float = 0.0
    errors: int = 0
    item_failures: int = 0
    calls: Counter[str] = field(default_factory=Counter)
    waited: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    """Seconds inside botocore calls, by ``service:Operation``."""
    transactions: list[tuple[int, float]] = field(default_factory=list)
    """Per invocation: TransactWriteItems calls and their seconds, to show how moto's cost grows."""

    def waiting_on(self, service: str) -> float:
        return sum(s for name, s in self.waited.items() if name.startswith(f"{service}:"))


@dataclass
class Baseline:
    """The floor of any intake, for the same objects: GetObject with its body, and SHA-256 over
    the bytes. Measured just before each batch is handed to the function."""

    files: int = 0
    read_s: float = 0.0
    hash_s: float = 0.0
    mismatches: int = 0

    @property
    def seconds(self) -> float:
        return self.read_s + self.hash_s

    def take(self, s3: Any, bucket: str, key: str, version: str | None, sha256: str) -> None:
        started = time.perf_counter()
        versioned = {"VersionId": version} if version and version != "null" else {}
        data = s3.get_object(Bucket=bucket, Key=key, **versioned)["Body"].read()
        read = time.perf_counter()
        digest = hashlib.sha256(data).hexdigest()
        self.hash_s += time.perf_counter() - read
        self.read_s += read - started
        self.files += 1
        self.mismatches += digest != sha256


@dataclass(frozen=True)
class Checks:
    """What the tables hold after the drain."""

    letters: int
    awaiting_metadata: int
    agenda_numbers_gapless: bool
    files_described_right: int
    rejections: int
    left_in_inbox: int
    left_on_queue: int
    dead_letters: int


@dataclass(frozen=True)
class Outcome:
    label: str
    measured: str
    target: str
    passed: bool | None
    """None: information only."""


@dataclass(frozen=True)
class IntakeReport:
    files: int
    pages: int
    with_text: int
    megabytes: float
    batch_size: int
    generate_s: float
    put_s: float
    drain_s: float
    baseline: Baseline
    inspect_s: float
    inspect_ms: dict[str, float]
    invoked: Invocations
    checks: Checks

    # -------------------------------------------------------------- figures
    def per_file_ms(self, seconds: float) -> float:
        return seconds / self.files * 1000

    @property
    def intake_ms(self) -> float:
        return self.per_file_ms(self.invoked.seconds)

    @property
    def baseline_ms(self) -> float:
        if not self.baseline.files:
            return float("nan")
        return self.baseline.seconds / self.baseline.files * 1000

    @property
    def aws_ms(self) -> float:
        return self.per_file_ms(sum(self.invoked.waited.values()))

    @property
    def own_ms(self) -> float:
        return self.intake_ms - self.aws_ms

    @property
    def ratio(self) -> float:
        return self.intake_ms / self.baseline_ms

    @property
    def own_ratio(self) -> float:
        return self.own_ms / self.baseline_ms

    @property
    def calls_per_file(self) -> float:
        return sum(self.invoked.calls.values()) / self.files

    @property
    def call_budget(self) -> float:
        """Calls per file allowed on average: ``CALLS_PER_FILE``, plus one per text layer."""
        return CALLS_PER_FILE + self.with_text / self.files

    @property
    def scans_made(self) -> int:
        return sum(n for name, n in self.invoked.calls.items() if name.endswith(":Scan"))

    # -------------------------------------------------------------- verdicts
    def outcomes(self) -> list[Outcome]:
        c, n, inv = self.checks, self.files, self.invoked
        return [
            Outcome(
                "letters awaiting metadata (all in the unit)",
                f"{c.awaiting_metadata}/{n} ({c.letters})",
                f"{n}/{n} ({n})",
                c.awaiting_metadata == n and c.letters == n,
            ),
            Outcome(
                "agenda numbers",
                "1..N, no gap" if c.agenda_numbers_gapless else "gaps or repeats",
                "1..N, no gap",
                c.agenda_numbers_gapless,
            ),
            Outcome(
                "pages, text layer, SHA-256 recorded right",
                f"{c.files_described_right}/{n}",
                f"{n}/{n}",
                c.files_described_right == n,
            ),
            Outcome(
                "objects read back as put (bare reads)",
                f"{self.baseline.files - self.baseline.mismatches}/{self.baseline.files}",
                f"{n}/{n}",
                self.baseline.files == n and not self.baseline.mismatches,
            ),
            Outcome(
                "refused / failed batch items / raised",
                f"{c.rejections} / {inv.item_failures} / {inv.errors}",
                "0 / 0 / 0",
                not (c.rejections or inv.item_failures or inv.errors),
            ),
            Outcome(
                "left in inbox / on queue / dead letters",
                f"{c.left_in_inbox} / {c.left_on_queue} / {c.dead_letters}",
                "0 / 0 / 0",
                not (c.left_in_inbox or c.left_on_queue or c.dead_letters),
            ),
            Outcome(
                "AWS calls per file (Scan calls)",
                f"{self.calls_per_file:.2f} ({self.scans_made})",
                f"<= {self.call_budget:.2f} (0)",
                self.calls_per_file <= self.call_budget + 1e-9 and not self.scans_made,
            ),
            Outcome(
                "our code per file / bare read+SHA-256",
                f"{self.own_ratio:.1f}x",
                f"<= {OWN_WORK_TARGET:g}x",
                self.own_ratio <= OWN_WORK_TARGET,
            ),
            Outcome("intake per file / bare read+SHA-256", f"{self.ratio:.1f}x", "-", None),
        ]

    def failures(self) -> list[str]:
        return [
            f"intake: {o.label}: {o.measured} (target {o.target})"
            for o in self.outcomes()
            if o.passed is False
        ]

    # -------------------------------------------------------------- rendering
    def render(self) -> str:
        drain_s = self.drain_s or float("nan")
        return "\n".join(
            [
                f"Letter intake: {self.files} scanned PDFs ({self.pages:,} pages, 1 to "
                f"{MAX_PAGES} a file, {self.with_text} with a text layer, {self.megabytes:.0f} MB) "
                f"into inbox/{UNIT_CODE}/, drained through {FUNCTION} in batches of "
                f"{self.batch_size} (demo regency, {EMPLOYEES} employees)",
                self._steps(),
                f"Throughput: {self.files / drain_s:.1f} files/s, "
                f"{self.pages / drain_s:.0f} pages/s, one function instance "
                f"(Lambda would run several batches at once)",
                "",
                "Where an invocation's time goes, per file (means):",
                self._breakdown(),
                "",
                self._verdicts(),
            ]
        )

    def _steps(self) -> str:
        headers = ("step", "total s", "per file ms")
        rows = [
            ("make the scans (bench/scans.py)", self.generate_s),
            ("PutObject into the intake bucket", self.put_s),
            ("drain the queue (wall: receive, invoke, delete)", self.drain_s),
            ("  intake function invocations", self.invoked.seconds),
            ("bare GetObject + SHA-256 (before each batch)", self.baseline.seconds),
            ("  GetObject, body read", self.baseline.read_s),
            ("  SHA-256", self.baseline.hash_s),
        ]
        return table(
            headers, [[label, f"{s:.1f}", f"{self.per_file_ms(s):.1f}"] for label, s in rows]
        )

    def _breakdown(self) -> str:
        headers = ("part", "ms per file", "share", "calls per file (their ms per file)")
        invoked_ms = self.intake_ms
        rows = []
        names = {"dynamodb": "DynamoDB", "s3": "S3", "events": "EventBridge"}
        others = {name.partition(":")[0] for name in self.invoked.calls} - set(names)
        for service in [*names, *sorted(others)]:
            label = f"waiting on {names.get(service, service)}"
            ms = self.per_file_ms(self.invoked.waiting_on(service))
            calls = sorted(
                (
                    self.per_file_ms(self.invoked.waited[name]),
                    name.partition(":")[2],
                    n / self.files,
                )
                for name, n in self.invoked.calls.items()
                if name.startswith(f"{service}:")
            )
            listed = (
                ", ".join(f"{op} {n:.2g} ({op_ms:.0f} ms)" for op_ms, op, n in reversed(calls))
                or "none"
            )
            rows.append([label, f"{ms:.1f}", f"{ms / invoked_ms:.0%}", listed])
        inspect_ms = self.per_file_ms(self.inspect_s)
        rows.append(
            [
                "our code (the rest)",
                f"{self.own_ms:.1f}",
                f"{self.own_ms / invoked_ms:.0%}",
                "",
            ]
        )
        rows.append(
            [
                "  of which inspect() (timed apart)",
                f"{inspect_ms:.1f}",
                f"{inspect_ms / invoked_ms:.0%}",
                "",
            ]
        )
        rows.append(["invocation", f"{invoked_ms:.1f}", "100%", f"{self.calls_per_file:.2f}"])
        detail = ", ".join(f"{label} {ms:.0f} ms" for label, ms in self.inspect_ms.items())
        lines = [table(headers, rows), f"inspect() alone, mean per file: {detail}"]
        batches = self.invoked.transactions
        if len(batches) >= 2:
            (first_n, first_s), (last_n, last_s) = batches[0], batches[-1]
            lines.append(
                "TransactWriteItems (eoffice_local.moto_server keeps it from growing with the "
                f"table): {first_s / first_n * 1000:.0f} ms a call in the first batch, "
                f"{last_s / last_n * 1000:.0f} ms in the last"
            )
        return "\n".join(lines)

    def _verdicts(self) -> str:
        headers = ("check", "measured", "target", "result")
        rows = [[o.label, o.measured, o.target, verdict(o.passed)] for o in self.outcomes()]
        return table(headers, rows)


# ------------------------------------------------------------------ measuring
@contextlib.contextmanager
def timed_calls() -> Iterator[defaultdict[str, float]]:
    """Seconds spent inside botocore calls, by ``service:Operation``. Reading a response's
    streamed body (GetObject's bytes) happens after the call returns; it counts as the call's."""
    spent: defaultdict[str, float] = defaultdict(float)
    original = BaseClient._make_api_call  # type: ignore[attr-defined]
    original_read = StreamingBody.read

    def timed(self: BaseClient, operation_name: str, api_params: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(self, operation_name, api_params)
        finally:
            name = f"{self.meta.service_model.service_name}:{operation_name}"
            spent[name] += time.perf_counter() - started

    def timed_read(self: StreamingBody, amt: int | None = None) -> bytes:
        started = time.perf_counter()
        try:
            return original_read(self, amt)
        finally:
            spent["s3:GetObject"] += time.perf_counter() - started

    BaseClient._make_api_call = timed  # type: ignore[attr-defined]
    StreamingBody.read = timed_read  # type: ignore[method-assign]
    try:
        yield spent
    finally:
        BaseClient._make_api_call = original  # type: ignore[attr-defined]
        StreamingBody.read = original_read  # type: ignore[method-assign]


@contextlib.contextmanager
def quiet_function_logs() -> Iterator[None]:
    """Send the functions' log lines to /dev/null: they are still formatted (that is part of the
    function's work), only not printed over the report."""
    from eoffice.observability import logger

    handler = logger.registered_handler
    if not hasattr(handler, "setStream"):
        yield
        return
    with Path(os.devnull).open("w") as sink:
        previous = handler.setStream(sink)
        try:
            yield
        finally:
            if previous is not None:
                handler.setStream(previous)


def observed(
    env: LocalEnvironment, record: Invocations, baseline: Baseline, made: list[Scan]
) -> Callable[[str, Any], Any]:
    """The runtime's ``invoke``, timed and counted into ``record``; before each batch, the bare
    read and hash of its objects into ``baseline``, so both are measured under the same load."""
    from eoffice import aws
    from eoffice.intake.dispatch import objects_in

    s3 = aws.client("s3")
    expected = {scan.key: scan.sha256 for scan in made}

    def invoke(name: str, event: Any) -> Any:
        for message in event["Records"]:
            for item in objects_in(message["body"]):
                baseline.take(s3, item.bucket, item.key, item.version, expected.get(item.key, ""))
        with counting() as calls, timed_calls() as spent:
            started = time.perf_counter()
            try:
                result = env.runtime.invoke(name, event)
            except Exception:
                record.errors += 1
                raise
            finally:
                record.seconds += time.perf_counter() - started
                record.count += 1
        record.calls.update(calls)
        for operation, seconds in spent.items():
            record.waited[operation] += seconds
        transact = "dynamodb:TransactWriteItems"
        if calls[transact]:
            record.transactions.append((calls[transact], spent[transact]))
        if isinstance(result, dict):
            record.item_failures += len(result.get("batchItemFailures") or [])
        return result

    return invoke


def put_all(s3: Any, bucket: str, made: list[Scan]) -> float:
    started = time.perf_counter()
    for scan in made:
        s3.put_object(Bucket=bucket, Key=scan.key, Body=scan.data, ContentType="application/pdf")
    return time.perf_counter() - started


def inspect_alone(made: list[Scan]) -> tuple[float, dict[str, float]]:
    """``files.inspect`` on each file's bytes in this process: seconds for all, and means by kind.
    The first call (untimed) imports pypdf, Pillow and zxing-cpp, as the function's first
    invocation would."""
    from eoffice import object_store as objects
    from eoffice.letters.file_rules import inspect

    limit = objects.max_upload_bytes()
    inspect(made[0].data, max_bytes=limit)
    spent: dict[Scan, float] = {}
    for scan in made:
        started = time.perf_counter()
        inspect(scan.data, max_bytes=limit)
        spent[scan] = time.perf_counter() - started

    def mean_ms(chosen: list[Scan]) -> float:
        return sum(spent[s] for s in chosen) / len(chosen) * 1000 if chosen else float("nan")

    kinds = {
        "with text": [s for s in made if s.with_text],
        "without": [s for s in made if not s.with_text],
        "1 page": [s for s in made if s.pages == 1],
        f"{MAX_PAGES} pages": [s for s in made if s.pages == MAX_PAGES],
    }
    return sum(spent.values()), {label: mean_ms(chosen) for label, chosen in kinds.items()}


def drain(poller: Any, files: int) -> float:
    """Poll until the queue stays empty; the wall seconds up to the end of the last batch."""
    started = last = time.perf_counter()
    empty = 0
    for _ in range(files + 20):  # one batch a round at least: a bound, never reached
        if poller.poll_once():
            last = time.perf_counter()
            empty = 0
        else:
            empty += 1
            if empty >= _EMPTY_POLLS:
                break
    return last - started


def check(env: LocalEnvironment, made: list[Scan], queue_url: str) -> Checks:
    """Read back what intake left: letters, rejections, the inbox and the queues."""
    from eoffice import aws
    from eoffice.letters import store
    from eoffice.letters.models import Letter, LetterQuery, LetterStatus
    from eoffice.org import store as org_store

    unit = org_store.unit_by_code(UNIT_CODE)
    if unit is None:
        raise RuntimeError(f"the demo regency has no unit {UNIT_CODE}")

    def every(status: LetterStatus | None) -> list[Letter]:
        found: list[Letter] = []
        cursor: str | None = None
        while True:
            query = LetterQuery(unit_id=unit.unit_id, status=status)
            page, cursor = store.list_letters(query, limit=200, cursor=cursor)
            found += page
            if cursor is None:
                return found

    letters = every(None)
    awaiting = every(LetterStatus.needs_metadata)
    expected = {scan.sha256: scan for scan in made}
    right = 0
    for letter in awaiting:
        if len(letter.files) != 1:
            continue
        file = letter.files[0]
        scan = expected.get(file.sha256)
        if scan and file.pages == scan.pages and file.has_text == scan.with_text:
            right += 1
    numbers = sorted(letter.agenda_number for letter in letters)
    rejections, _ = store.list_rejections(limit=200, cursor=None)

    s3, sqs = aws.client("s3"), aws.client("sqs")
    inbox = s3.list_objects_v2(Bucket=env.stack.refs["IntakeBucket"], Prefix="inbox/")
    return Checks(
        letters=len(letters),
        awaiting_metadata=len(awaiting),
        agenda_numbers_gapless=numbers == list(range(1, len(letters) + 1)),
        files_described_right=right,
        rejections=len(rejections),
        left_in_inbox=int(inbox.get("KeyCount", 0)),
        left_on_queue=_messages(sqs, queue_url),
        dead_letters=_messages(sqs, env.stack.refs["IntakeDeadLetterQueue"]),
    )


def _messages(sqs: Any, queue_url: str) -> int:
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=names)["Attributes"]
    return sum(int(attributes.get(name, 0)) for name in names)


def measure(files: int = FILES) -> IntakeReport:
    started = time.perf_counter()
    made = scans(files)
    generate_s = time.perf_counter() - started
    with local_environment(STACK, EMPLOYEES) as env:
        from eoffice import aws
        from eoffice_local.poller import QueuePoller

        (trigger,) = [t for t in env.template.queue_triggers if t.function == FUNCTION]
        s3 = aws.client("s3")
        bucket = env.stack.refs["IntakeBucket"]
        put_s = put_all(s3, bucket, made)
        inspect_s, inspect_ms = inspect_alone(made)
        env.runtime.handler(env.runtime.spec(FUNCTION))  # import the handler: a warm function
        record, baseline = Invocations(), Baseline()
        invoke = observed(env, record, baseline, made)
        poller = QueuePoller(trigger, env.stack, aws.client("sqs"), invoke, wait_seconds=1)
        with quiet_function_logs():
            drain_s = drain(poller, files) - baseline.seconds
        checks = check(env, made, env.stack.refs[trigger.queue])
    return IntakeReport(
        files=files,
        pages=sum(scan.pages for scan in made),
        with_text=sum(scan.with_text for scan in made),
        megabytes=sum(len(scan.data) for scan in made) / 1e6,
        batch_size=trigger.batch_size,
        generate_s=generate_s,
        put_s=put_s,
        drain_s=drain_s,
        baseline=baseline,
        inspect_s=inspect_s,
        inspect_ms=inspect_ms,
        invoked=record,
        checks=checks,
    )
