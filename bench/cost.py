"""The monthly bill (issue 19): each of the regency's operations (a check-in with its selfie, a
day read, a letter registered, a disposition, an inbox read, a letter opened, a signed letter, a
unit's TPP report) run a few times against the moto server, through the in-process HTTP API and
the functions' handlers; its AWS calls, the bytes it stores and its handlers' milliseconds
measured; ``bench.bill`` scales them by the regency's month and prices them.

What one operation uses, as measured here:

- **Lambda**: one invocation per handler call the local runtime makes; billed time is the
  function's own work (its wall time less the time inside AWS calls, which moto on this machine
  makes slow) plus ``AWS_CALL_MS`` per AWS call, times its function's MemorySize.
- **DynamoDB** request units from the items themselves: a write is ``ceil(item KB)`` WRU for the
  table and again for each index whose keys the item has (twice within a transaction); a read is
  ``ceil(4 KB chunks)`` RRU, half when eventually consistent. Item sizes are what the handlers
  sent and got, by DynamoDB's rules (names plus values); a Put's bytes are stored for good, or,
  with a time to live, until it expires.
- **S3** requests the handlers made, plus the browser's own (the presigned upload, the presigned
  GET behind a link); bytes put into each bucket (PutObject bodies, uploads).
- **API Gateway** one request per call of the HTTP API; **X-Ray** one trace per invocation of a
  function whose template Tracing is Active (Lambda samples 1 a second and 5 % of the rest: at
  the regency's traffic, below one request a second on average, nearly every one).

Counted from the template, not measured: the KMS keys, the alarms, KMS's calls for the tables'
and queues' data keys (DynamoDB's cached five minutes; SQS's for KmsDataKeyReusePeriodSeconds,
per sender and receiver), Cognito's users (every employee signs in), the signers' KMS keys
(``KMS_SIGNERS``, an assumption). Not in the bill: logs, CloudFront: see docs/performance.md.

**Notices**: after each operation that published a domain event, the notifications function
takes the queue (the template's trigger, polled as ``make dev`` polls it) as an operation of its
own, ``notices: <operation>``, counted the same way, SES's e-mails too (one per recipient), with
every channel on as ``make dev`` has them (``eoffice_local.notify_demo``) and the recipients
subscribed to web push as the app subscribes them: each official gets both a push and an e-mail,
the regency's default channels (``NotifyDefaultChannels``: web_push,email).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from eoffice_local.environment import LocalEnvironment

from bench import bill
from bench.cost_meter import Metered
from bench.dispositions import CLERK, HEAD, STAFF, Client, _dispose_body, _nips
from bench.environment import local_environment
from bench.report import table

ROOT = Path(__file__).resolve().parents[1]
STACK = "eoffice-bench-cost"
EMPLOYEES = 20
ROUNDS = 3
"""Each operation is run this many times after a warm-up one; the report keeps the mean."""
QUICK_ROUNDS = 1
TARGET_USD = 10.0

# ---------------------------------------------------------------- the regency's month (the issue)
REGENCY_EMPLOYEES = 5000
WORKING_DAYS = 22
CHECKINS_PER_DAY = 2
LETTERS_PER_DAY = 300
SCAN_BYTES = 1_000_000
DISPOSITIONS_PER_LETTER = 3
SIGNED_PER_DAY = 100
MONTH_OF_SERVICE = 12
"""The bill of the twelfth month: what is kept for good (letters, records) has grown a year."""
INBOX_READS_PER_ASSIGNMENT = 3
"""An assignment's recipient looks at his inbox about three times for it."""
DAY_READS_PER_CHECKIN = 1
"""After each check-in the employee looks at his day."""
LETTER_OPENS_PER_ASSIGNMENT = 1
"""Each recipient opens the letter and its file once."""
KMS_SIGNERS = 0
"""Officials who sign with a KMS key of their own (US$1 a month each, ADR 0011): none assumed,
since the regency signs through BSrE, Indonesia's certified TTE service; each KMS signer adds
US$1 a month (a PKCS#12 in Secrets Manager adds $0.40)."""
NOTICES = "notices: "
"""Prefix of the operation that is the notifications function's work after another."""
NOTIFICATIONS = "NotificationsFunction"


@dataclass
class Used:
    """What one operation used, summed over its runs."""

    meters: Counter[str] = field(default_factory=Counter)
    ms_by_function: Counter[str] = field(default_factory=Counter)
    runs: int = 0

    def per_run(self) -> Counter[str]:
        return Counter({k: v / self.runs for k, v in self.meters.items()})


@dataclass(frozen=True)
class Template:
    """What the bill reads from template.yaml."""

    memory: dict[str, int]
    traced: frozenset[str]
    intake_noncurrent_days: int
    selfie_days: int
    bucket_keys: bool
    letters_archive_days: int
    """Days before a letter's file moves to the archive's storage class."""
    letters_archive_class: str
    """STANDARD_IA or GLACIER_IR."""
    """Days before a letter's file moves to Standard-IA."""
    queue_key_reuse_s: int
    kms_keys: int
    alarms: int
    tables: int
    queues: int


@dataclass(frozen=True)
class CostReport:
    operations: dict[str, Counter[str]]
    counts: dict[str, float]
    template: Template
    selfie_bytes: float
    levers: list[tuple[str, float, float]]
    memory: list[Memory]
    bare_mb: float
    """A bare interpreter's peak RSS, for scale."""

    @property
    def lines(self) -> list[bill.Line]:
        return bill.lines(priced(self.operations, self.counts, self.template))

    def failures(self) -> list[str]:
        total = bill.total_free(self.lines)
        if total > TARGET_USD:
            return [f"cost: US${total:.2f} a month with the always-free allowances (target <= 10)"]
        return []

    def render(self) -> str:
        rows = [
            [
                line.priced.service,
                line.priced.what,
                f"{line.quantity:,.1f} {line.priced.unit}",
                f"{line.priced.price:.8g}",
                f"{line.usd:.2f}",
                f"{line.usd_free:.2f}",
            ]
            for line in self.lines
        ]
        ops = [
            [
                name,
                f"{self.counts[name]:,.0f}",
                ", ".join(
                    f"{k} {v:,.1f}" for k, v in sorted(used.items()) if v and not k.startswith(_RAW)
                ),
            ]
            for name, used in self.operations.items()
        ]
        levers = [[what, f"{before:.2f}", f"{after:.2f}"] for what, before, after in self.levers]
        lines = self.lines
        return "\n".join(
            [
                f"The monthly bill ({bill.prices.REGION}, prices of {bill.prices.AS_OF}; "
                f"{REGENCY_EMPLOYEES:,} employees, {WORKING_DAYS} working days, month "
                f"{MONTH_OF_SERVICE} of service; each operation the mean of {ROUNDS} runs)",
                table(("operation", "a month", "one operation uses"), ops),
                f"Selfie as the web app makes it: {self.selfie_bytes / 1000:.0f} KB",
                table(("service", "what", "quantity", "USD/unit", "USD", "USD, free"), rows),
                f"Total: US${bill.total(lines):.2f} a month without the always-free allowances, "
                f"US${bill.total_free(lines):.2f} with them (target <= {TARGET_USD:.0f})",
                f"Signers' KMS keys: KMS_SIGNERS = {KMS_SIGNERS} (the regency signs through "
                "BSrE); each official who signs with a KMS key adds US$1.00 a month.",
                f"This is month {MONTH_OF_SERVICE}: from month 13, DataKey's yearly rotation "
                "adds about US$1.00 a month (KMS bills each rotated key material).",
                "E-mail is web push's fallback (ADR 0029), measured with every recipient "
                "subscribed: each 1,000 notices e-mailed to officials without a push "
                f"subscription add US${bill.prices.SES_EMAIL * 1000:.2f}.",
                "Levers (total with the allowances, the lever undone / as the template has it):",
                table(("lever", "before", "after"), levers),
                "Memory per function (import: peak RSS of a fresh interpreter importing the "
                "handler; invocation: most bytes one warm invocation allocated, tracemalloc; "
                f"functions not run here show 0 and no time; a bare interpreter: "
                f"{self.bare_mb:.0f} MB):",
                table(
                    (
                        "function",
                        "MemorySize MB",
                        "import MB",
                        "invocation MB",
                        "warm ms",
                        "of which AWS",
                        "warm at 512/1024/1769",
                        "import ms",
                        "cold import at 512/1024/1769",
                    ),
                    [_memory_row(m) for m in self.memory],
                ),
            ]
        )


_RAW = ("lambda.ms.", "lambda.wait.", "lambda.aws_calls.", "s3.put_objects", "s3.get_objects")
"""Meters the bill turns into others (GB-seconds, KMS calls without Bucket Keys): not shown."""


def _memory_row(m: Memory) -> list[str]:
    ran = m.ms == m.ms  # not NaN: the function ran here
    sizes = (512, 1024, FULL_VCPU_MB)
    warm = "/".join(f"{m.at(size):.0f}" for size in sizes) if ran else ""
    cold = "/".join(f"{m.cold_at(size):.0f}" for size in sizes)
    return [
        m.function,
        str(m.memory_mb),
        f"{m.import_mb:.0f}",
        f"{m.peak_mb:.1f}",
        f"{m.ms:.0f}" if ran else "",
        f"{m.wait_ms:.0f}" if ran else "",
        warm,
        f"{m.import_ms:.0f}",
        cold,
    ]


# ---------------------------------------------------------------- pricing what was measured
def priced(
    operations: dict[str, Counter[str]], counts: dict[str, float], template: Template
) -> Counter[str]:
    """The month's meters: the operations', with X-Ray's traces and the stores' GB-months as the
    template decides them, and what is paid per month whatever the traffic."""
    used = bill.month({n: _traced(u, template) for n, u in operations.items()}, counts)
    for meter in [
        m
        for m in used
        if m.startswith(("lambda.ms.", "lambda.calls.", "lambda.wait.", "lambda.aws_calls."))
    ]:
        del used[meter]
    if not template.bucket_keys:
        # Without S3 Bucket Keys every object written or read asks KMS for its data key.
        used["kms.requests"] += used["s3.put_objects"] + used["s3.get_objects"]
    for meter in ("s3.put_objects", "s3.get_objects"):
        used.pop(meter, None)
    stored = {m: used.pop(m, 0.0) for m in [m for m in used if m.startswith(STORED)]}
    used.update(storage(stored, template))
    five_minutes = bill.DAYS_PER_MONTH * 24 * 12
    seconds = bill.DAYS_PER_MONTH * 24 * 3600
    per_queue = 2 * seconds / template.queue_key_reuse_s  # its sender and its receiver
    used["kms.requests"] += template.tables * five_minutes + template.queues * per_queue
    used["kms.keys"] += template.kms_keys
    used["kms.signer_keys"] += KMS_SIGNERS
    used["alarms"] += template.alarms
    used["cognito.mau"] += REGENCY_EMPLOYEES
    return used


ARCHIVE_METERS = {"STANDARD_IA": "ia", "GLACIER_IR": "gir"}
STORED = ("s3.bytes.", "s3.objects.", "dynamodb.bytes_written", "dynamodb.ttl_byte_days")


def storage(written: dict[str, float], template: Template) -> Counter[str]:
    """GB-months from the month's bytes written: selfies kept SelfieRetentionDays, intake's
    copies (deleted once taken in) as old versions for the bucket's NoncurrentDays, letters'
    files and the tables' items for good (Standard, then Standard-IA after the template's days);
    point-in-time recovery is billed on the tables' size."""
    used: Counter[str] = Counter()
    selfies = written.get("s3.bytes.AttendanceBucket", 0.0)
    used["s3.gb_month.selfies"] += bill.kept_for(selfies, template.selfie_days)
    intake = written.get("s3.bytes.IntakeBucket", 0.0)
    used["s3.gb_month.intake_old"] += bill.kept_for(intake, template.intake_noncurrent_days)
    letters_written = written.get("s3.bytes.LettersBucket", 0.0)
    letters = bill.kept_for_good(letters_written, MONTH_OF_SERVICE)
    standard = min(letters, bill.kept_for(letters_written, template.letters_archive_days))
    archive = ARCHIVE_METERS[template.letters_archive_class]
    used["s3.gb_month.letters"] += standard
    used[f"s3.gb_month.letters_{archive}"] += letters - standard
    if letters > standard:
        used[f"s3.transitions.{archive}"] += written.get("s3.objects.LettersBucket", 0.0)
    records = bill.kept_for_good(written.get("dynamodb.bytes_written", 0.0), MONTH_OF_SERVICE)
    records += written.get("dynamodb.ttl_byte_days", 0.0) / bill.GB / bill.DAYS_PER_MONTH
    used["dynamodb.gb_month"] += records
    used["dynamodb.pitr_gb_month"] += records
    return used


AWS_CALL_MS = 10.0
"""What one AWS call is taken to take from a function in the region (DynamoDB answers in a few
ms, S3 in tens): moto on this machine answers in tens to hundreds, so its waiting is replaced."""


def billed_ms(used: Counter[str], function: str) -> float:
    """A function's billed time: its own work as measured (its time less the waiting on moto),
    plus AWS_CALL_MS for each AWS call it made."""
    own = used[f"lambda.ms.{function}"] - used[f"lambda.wait.{function}"]
    return max(0.0, own) + used[f"lambda.aws_calls.{function}"] * AWS_CALL_MS


def _traced(used: Counter[str], template: Template) -> Counter[str]:
    """One X-Ray trace per invocation of a function with active tracing; GB-seconds at each
    function's MemorySize."""
    found = Counter(used)
    for meter, calls in used.items():
        if meter.startswith("lambda.calls."):
            function = meter.removeprefix("lambda.calls.")
            found["lambda.requests"] += calls
            ms = billed_ms(used, function) / calls if calls else 0.0
            found["lambda.gb_s"] += calls * bill.gb_seconds(ms, template.memory[function])
            if function in template.traced:
                found["xray.traces"] += calls
    return found


def with_notices(counts: dict[str, float], operations: dict[str, Any]) -> dict[str, float]:
    """The notices' operations happen as often as the operations that raised them."""
    found = dict(counts)
    for name in operations:
        if name.startswith(NOTICES):
            found[name] = counts[name.removeprefix(NOTICES)]
    return found


def monthly_counts() -> dict[str, float]:
    """How often each measured operation happens in the regency's month."""
    letters = LETTERS_PER_DAY * WORKING_DAYS
    assignments = letters * DISPOSITIONS_PER_LETTER
    checkins = REGENCY_EMPLOYEES * CHECKINS_PER_DAY * WORKING_DAYS
    return {
        "checkin": checkins,
        "day read": checkins * DAY_READS_PER_CHECKIN,
        "letter": letters,
        "disposition": assignments,
        "inbox read": assignments * INBOX_READS_PER_ASSIGNMENT,
        "letter opened": assignments * LETTER_OPENS_PER_ASSIGNMENT,
        "signed letter": SIGNED_PER_DAY * WORKING_DAYS,
        "tpp report": UNITS,
    }


# ---------------------------------------------------------------- reading the template
def read_template(path: Path = ROOT / "template.yaml") -> Template:
    from eoffice_local.template import load as load_template

    raw = load_template(path).raw
    resources = raw["Resources"]
    defaults = raw.get("Globals", {}).get("Function", {})
    functions = {n: r for n, r in resources.items() if r["Type"] == "AWS::Serverless::Function"}
    memory = {
        n: int(f["Properties"].get("MemorySize", defaults["MemorySize"]))
        for n, f in functions.items()
    }
    traced = frozenset(
        n
        for n, f in functions.items()
        if _value(raw, f["Properties"].get("Tracing", defaults.get("Tracing"))) == "Active"
    )
    letter_rules = resources["LettersBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]
    days, storage_class = min(
        (int(t["TransitionInDays"]), str(t["StorageClass"]))
        for r in letter_rules
        for t in r.get("Transitions", [])
    )
    reuse = {
        int(r["Properties"].get("KmsDataKeyReusePeriodSeconds", 300))
        for r in resources.values()
        if r["Type"] == "AWS::SQS::Queue"
    }
    intake_rules = resources["IntakeBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]
    (old,) = [r for r in intake_rules if "NoncurrentVersionExpiration" in r and "Prefix" not in r]
    selfie_days = raw["Parameters"]["SelfieRetentionDays"]["Default"]
    buckets = [r for r in resources.values() if r["Type"] == "AWS::S3::Bucket"]
    encrypted = [
        rule
        for b in buckets
        for rule in b["Properties"]
        .get("BucketEncryption", {})
        .get("ServerSideEncryptionConfiguration", [])
        if rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    ]
    kinds = Counter(r["Type"] for r in resources.values())
    return Template(
        memory,
        traced,
        int(old["NoncurrentVersionExpiration"]["NoncurrentDays"]),
        int(selfie_days),
        all(rule.get("BucketKeyEnabled") for rule in encrypted),
        days,
        storage_class,
        min(reuse),
        kinds["AWS::KMS::Key"],
        kinds["AWS::CloudWatch::Alarm"],
        kinds["AWS::DynamoDB::Table"],
        kinds["AWS::SQS::Queue"],
    )


def _value(raw: dict[str, Any], value: Any) -> Any:
    """A property's value, a ``!Ref`` to a parameter read as that parameter's default."""
    if isinstance(value, dict) and "Ref" in value:
        return raw["Parameters"][value["Ref"]]["Default"]
    return value


# ---------------------------------------------------------------- the operations
class Scenario:
    """The operations, each run through the in-process HTTP API with its effects counted."""

    def __init__(self, env: LocalEnvironment, meter: Metered) -> None:
        self.env = env
        self.client = Client(env)
        self.meter = meter
        self.used: dict[str, Used] = {}
        self.peaks: Counter[str] = Counter()
        """The most bytes an invocation of each function allocated (the traced round only)."""
        self._timed_invocations()
        meter.buckets = {
            str(env.stack.resolve({"Ref": name})): name
            for name, r in env.template.raw["Resources"].items()
            if r["Type"] == "AWS::S3::Bucket"
        }
        self.pollers = {t.function: self._poller(t) for t in env.template.queue_triggers}

    def _poller(self, trigger: Any) -> Any:
        from eoffice import aws
        from eoffice_local.poller import QueuePoller

        sqs = aws.client("sqs")
        return QueuePoller(trigger, self.env.stack, sqs, self.env.runtime.invoke, wait_seconds=1)

    def drain(self, function: str) -> None:
        """Let ``function`` take what its queue holds (two empty receives in a row: drained)."""
        empty = 0
        for _ in range(30):
            empty = 0 if self.pollers[function].poll_once() else empty + 1
            if empty >= 2:
                return

    def _timed_invocations(self) -> None:
        runtime = self.env.runtime
        invoke = runtime.invoke
        scenario = self

        def timed(name: str, event: Any) -> Any:
            logical = runtime.spec(name).logical_id
            tracing = tracemalloc.is_tracing()
            before = tracemalloc.get_traced_memory()[0] if tracing else 0
            if tracing:
                tracemalloc.reset_peak()
            started = time.perf_counter()
            scenario.meter.running.append(logical)
            try:
                return invoke(name, event)
            finally:
                scenario.meter.running.pop()
                into = scenario.meter.into
                if into is not None:
                    into[f"lambda.calls.{logical}"] += 1
                    into[f"lambda.ms.{logical}"] += (time.perf_counter() - started) * 1000
                if tracing:
                    peak = tracemalloc.get_traced_memory()[1] - before
                    scenario.peaks[logical] = max(scenario.peaks[logical], peak)

        runtime.invoke = timed  # type: ignore[method-assign]
        self.client.gateway = type(self.client.gateway)(
            self.env.template, self.env.stack, self.env.issuer, timed
        )

    @contextlib.contextmanager
    def operation(self, name: str, measured: bool) -> Iterator[Counter[str]]:
        into: Counter[str] = Counter()
        self.meter.into = into
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                yield into
        finally:
            self.meter.into = None
        if measured:
            used = self.used.setdefault(name, Used())
            used.meters.update(into)
            used.runs += 1
        if into["events"] and not name.startswith(NOTICES):
            with self.operation(NOTICES + name, measured):
                self.drain(NOTIFICATIONS)

    def call(
        self, into: Counter[str], method: str, target: str, user: str, body: Any = None
    ) -> Any:
        sample, answer = self.client.call(method, target, user, body)
        if sample.status >= 300:
            raise RuntimeError(f"{method} {target} answered {sample.status}: {answer}")
        into["apigw.requests"] += 1
        return answer

    def upload(self, into: Counter[str], form: dict[str, Any], name: str, data: bytes) -> None:
        """The browser's presigned POST to S3, and the bytes it put in the form's bucket."""
        import httpx

        sent = httpx.post(
            form["url"], data=form["fields"], files={"file": (name, data)}, timeout=30
        )
        if sent.status_code >= 300:
            raise RuntimeError(f"the upload of {name} answered {sent.status_code}")
        bucket = form["url"].rstrip("/").rpartition("/")[2]
        logical = self.meter.buckets.get(bucket, bucket)
        into["s3.tier1"] += 1
        into["s3.put_objects"] += 1
        into[f"s3.bytes.{logical}"] += len(data)
        into[f"s3.objects.{logical}"] += 1

    def download(self, into: Counter[str], url: str) -> bytes:
        """The browser's presigned GET."""
        import httpx

        answer = httpx.get(url, timeout=30)
        if answer.status_code >= 300:
            raise RuntimeError(f"S3 GET answered {answer.status_code}")
        into["s3.tier2"] += 1
        into["s3.get_objects"] += 1
        return answer.content


def selfie_target() -> tuple[int, int]:
    """The web app's selfie target (web/src/lib/selfie.ts, TARGET), in bytes."""
    text = (ROOT / "web/src/lib/selfie.ts").read_text()
    found = re.search(r"TARGET: Target = \{ min: ([\d_]+), max: ([\d_]+) \}", text)
    assert found, "web/src/lib/selfie.ts has no TARGET"
    return int(found[1].replace("_", "")), int(found[2].replace("_", ""))


def make_selfie(seed: int) -> bytes:
    """A 480 x 640 photo (smooth shapes with sensor noise, as a face in a room) encoded as the
    web app does: JPEG, its quality stepped until the size is within the web app's target."""
    import random

    from PIL import Image, ImageDraw, ImageFilter

    low, high = selfie_target()
    rng = random.Random(seed)
    image = Image.new("RGB", (480, 640), (rng.randrange(90, 160), 120, 110))
    draw = ImageDraw.Draw(image)
    for _ in range(60):
        x, y, r = rng.randrange(480), rng.randrange(640), rng.randrange(10, 120)
        colour = (rng.randrange(40, 230), rng.randrange(40, 230), rng.randrange(40, 230))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    image = image.filter(ImageFilter.GaussianBlur(3))
    grain = Image.frombytes("L", (480, 640), rng.randbytes(480 * 640)).convert("RGB")
    image = Image.blend(image, grain, 0.06)
    quality, data = 72, b""
    for _ in range(5):
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=quality)
        data = buffer.getvalue()
        if len(data) > high and quality > 40:
            quality -= 12
        elif len(data) < low and quality < 95:
            quality += 12
        else:
            break
    return data


def check_in(scenario: Scenario, kind: str, seed: int, measured: bool) -> None:
    from bench.attendance import MALILI

    with scenario.operation("checkin", measured) as into:
        form = scenario.call(into, "POST", "/attendance/selfies", STAFF)
        scenario.upload(into, form, "selfie.jpg", make_selfie(seed))
        body = {
            "client_id": f"cost-{seed}-{kind}",
            "device_id": "android-cost-0001",
            "kind": kind,
            "latitude": MALILI[0],
            "longitude": MALILI[1],
            "accuracy_m": 8.0,
            "phone_time": _now(),
            "mock_location": False,
            "selfie_id": form["selfie_id"],
        }
        scenario.call(into, "POST", "/attendance/check-ins", STAFF, body)


def _now() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).isoformat()


def register_letter(scenario: Scenario, index: int, measured: bool) -> str:
    scan = _scan_of(SCAN_BYTES, index)
    with scenario.operation("letter", measured) as into:
        body = {
            "sender_agency": "Kementerian Dalam Negeri",
            "sender_number": f"100.3/{70_000 + index}/SJ",
            "sender_date": "2026-11-20",
            "subject": f"Surat uji biaya {index + 1}",
            "classification_code": "100.3",
            "sifat": "biasa",
            "urgensi": "biasa",
            "addressee": "Kepala Dinas Komunikasi, Informatika, Statistik dan Persandian",
        }
        answer = scenario.call(into, "POST", "/letters", CLERK, body)
        scenario.upload(into, answer["upload"], "s.pdf", scan)
        scenario.drain("IntakeFunction")
    return str(answer["letter"]["letter_id"])


def _scan_of(size: int, seed: int) -> bytes:
    """A scan of about ``size`` bytes: pages added until it weighs that much."""
    from bench.scans import make_scan

    pages = 1
    while len(data := make_scan(pages, with_text=True, seed=70_000 + seed)) < size and pages < 40:
        pages += 1
    return data


def dispose(scenario: Scenario, letter_id: str, index: int, measured: bool) -> str:
    nips = _nips()
    with scenario.operation("disposition", measured) as into:
        path = f"/letters/{letter_id}/dispositions"
        answer = scenario.call(into, "POST", path, CLERK, _dispose_body(nips[HEAD], index))
    return str(answer["assignments"][0]["assignment_id"])


def reads(scenario: Scenario, letter_id: str, assignment_id: str, measured: bool) -> None:
    with scenario.operation("inbox read", measured) as into:
        scenario.call(into, "GET", "/me/inbox?limit=50", HEAD)
    with scenario.operation("letter opened", measured) as into:
        scenario.call(into, "GET", f"/letters/{letter_id}/assignments/{assignment_id}", HEAD)
        link = scenario.call(into, "GET", f"/letters/{letter_id}/file", HEAD)
        scenario.download(into, link["url"])
    nip = _nips()[STAFF]
    with scenario.operation("day read", measured) as into:
        scenario.call(into, "GET", f"/attendance/days/{nip}/{date.today().isoformat()}", STAFF)


def signed_letter(scenario: Scenario, measured: bool) -> None:
    """An outgoing letter as the tests make one: drafted by staff with its PDF, taken in by the
    intake function, approved by its reviewer, signed by the head (the KMS backend, a timestamp
    from the test PKI), and delivered."""
    sys.path.insert(0, str(ROOT / "tests"))
    from support.outgoing import draft_body
    from support.pdfs import one_page_pdf

    with scenario.operation("signed letter", measured) as into:
        answer = scenario.call(into, "POST", "/outgoing", STAFF, draft_body())
        scenario.upload(into, answer["upload"], "d.pdf", one_page_pdf())
        scenario.drain("IntakeFunction")
        outgoing_id = answer["outgoing"]["outgoing_id"]
        outgoing = scenario.call(into, "GET", f"/outgoing/{outgoing_id}", STAFF)
        version = outgoing["versions"][-1]["version"]
        review = {"decision": "approve", "version": version}
        scenario.call(into, "POST", f"/outgoing/{outgoing_id}/reviews", CLERK, review)
        scenario.call(into, "POST", f"/outgoing/{outgoing_id}/sign", HEAD, {})


def tpp_report(scenario: Scenario, unit_id: str, measured: bool) -> None:
    """A unit's monthly TPP report asked for and made by the report function."""
    with scenario.operation("tpp report", measured) as into:
        body = {"month": TPP_MONTH, "unit_id": unit_id}
        scenario.call(into, "POST", "/tpp/reports", TPP_OFFICER, body)
        scenario.drain("TppReportFunction")


TPP_MONTH = "2026-11"
TPP_OFFICER = "tpp.bkpsdm"
UNITS = 170
"""The regency's units: a TPP report each a month."""


def round_of(scenario: Scenario, n: int, measured: bool, unit_id: str) -> None:
    check_in(scenario, "in" if n % 2 == 0 else "out", n, measured)
    letter = register_letter(scenario, n, measured)
    assignment = dispose(scenario, letter, n, measured)
    reads(scenario, letter, assignment, measured)
    signed_letter(scenario, measured)
    tpp_report(scenario, unit_id, measured)


def measure(rounds: int = ROUNDS) -> CostReport:
    import tempfile

    from eoffice_local import notify_demo
    from eoffice_local.pki import Pki
    from eoffice_local.pki_server import PkiServer
    from eoffice_local.signing_demo import load_signers

    from bench.notifications import subscribe

    server = PkiServer()
    pki = Pki("Biaya", base_url=server.base_url)
    server.serve(pki)
    keys = tempfile.TemporaryDirectory(prefix="bench-cost-")
    services = notify_demo.start(Path(keys.name))
    meter = Metered()
    parameters = {"TimestampAuthorityUrl": server.tsa_url, **services.parameters}
    try:
        with local_environment(STACK, EMPLOYEES, parameters) as env, meter.installed():
            load_signers(pki)
            services.store()
            scenario = Scenario(env, meter)
            with contextlib.redirect_stdout(io.StringIO()):
                for user in (HEAD, STAFF, CLERK):
                    subscribe(scenario.client, services.push, user)
            unit_id = _unit_of(scenario, CLERK)
            for n in range(rounds + 1):
                round_of(scenario, n, n > 0, unit_id)
                print(f"  [cost] round {n}/{rounds}", file=sys.stderr, flush=True)
            tracemalloc.start()
            try:
                round_of(scenario, rounds + 1, False, unit_id)
            finally:
                tracemalloc.stop()
            folders = {n: spec.code_uri for n, spec in env.template.functions.items()}
    finally:
        server.stop()
        services.stop()
        keys.cleanup()
    imported = {n: import_probe(folder) for n, folder in folders.items()}
    bare = import_probe(None)[0]
    operations = {name: used.per_run() for name, used in scenario.used.items()}
    template = read_template()
    counts = with_notices(monthly_counts(), operations)
    memory = [
        Memory(
            n,
            template.memory[n],
            imported[n][0],
            imported[n][1],
            scenario.peaks[n] / 2**20,
            _mean_ms(operations, n),
            _mean_ms(operations, n, "wait"),
        )
        for n in sorted(template.memory)
    ]
    selfie = operations["checkin"]["s3.bytes.AttendanceBucket"]
    return CostReport(
        operations, counts, template, selfie, levers(operations, counts, template), memory, bare
    )


def _unit_of(scenario: Scenario, username: str) -> str:
    with contextlib.redirect_stdout(io.StringIO()):
        _, me = scenario.client.call("GET", "/me", username)
    return str(me["employee"]["unit_id"] if "employee" in me else me["unit_id"])


IMPORT_PROBE = """
import sys, time
started = time.perf_counter()
if sys.argv[1:]:
    sys.path.insert(0, sys.argv[1])
    import app
ms = (time.perf_counter() - started) * 1000
status = open("/proc/self/status").read().split("VmHWM:")[1]
print(status.split()[0], ms)
"""
"""VmHWM, not getrusage's maxrss: Linux keeps maxrss across exec, so a child would report the
benchmark's own peak."""
IMPORT_RUNS = 3
"""The import is timed this many times; the fastest is kept (the machine is shared)."""


def import_probe(folder: Path | None) -> tuple[float, float]:
    """Peak resident MB and milliseconds of a fresh interpreter importing the function's handler
    (its cold start's footprint and work, Lambda's own runtime aside; with no folder, the bare
    interpreter's). Variables a handler requires and this process lacks get placeholders, as
    the OpenAPI command gives them."""
    import subprocess

    from eoffice_local.runtime import placeholder_variables

    env = {**os.environ, **placeholder_variables()}
    found = []
    for _ in range(IMPORT_RUNS):
        answer = subprocess.run(
            [sys.executable, "-c", IMPORT_PROBE, *([str(folder)] if folder else [])],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
            env=env,
        )
        kb, ms = answer.stdout.split()[-2:]
        found.append((int(kb) / 1024, float(ms)))
    return max(mb for mb, _ in found), min(ms for _, ms in found)


def _mean_ms(operations: dict[str, Counter[str]], function: str, what: str = "ms") -> float:
    calls = sum(used[f"lambda.calls.{function}"] for used in operations.values())
    ms = sum(used[f"lambda.{what}.{function}"] for used in operations.values())
    return ms / calls if calls else float("nan")


FULL_VCPU_MB = 1769
"""Lambda gives a function CPU in proportion to its memory: one full vCPU at 1,769 MB."""


@dataclass(frozen=True)
class Memory:
    """A function's memory figures: its MemorySize, what importing it took, the most one
    invocation allocated on top, its mean warm invocation in this run."""

    function: str
    memory_mb: int
    import_mb: float
    import_ms: float
    """The handler's import on this machine's core: a cold start's own work."""
    peak_mb: float
    ms: float
    """Here, on one core of this machine (as a full vCPU)."""
    wait_ms: float
    """Of which waiting on AWS calls (moto here)."""

    def cold_at(self, memory_mb: int) -> float:
        """The import at ``memory_mb``: CPU work, stretched by the CPU share."""
        return self.import_ms * max(1.0, FULL_VCPU_MB / memory_mb)

    def at(self, memory_mb: int) -> float:
        """The warm time at ``memory_mb``: the function's own work stretched by its CPU share,
        the waiting unchanged."""
        own = self.ms - self.wait_ms
        return self.wait_ms + own * max(1.0, FULL_VCPU_MB / memory_mb)


BEFORE_INTAKE_NONCURRENT_DAYS = 90
"""The intake bucket's rule before issue 19."""
BEFORE_LETTERS_ARCHIVE = "STANDARD_IA after 365"
BEFORE_QUEUE_KEY_REUSE_S = 300
"""SQS's default."""


def levers(
    operations: dict[str, Counter[str]], counts: dict[str, float], template: Template
) -> list[tuple[str, float, float]]:
    """Each lever's effect: the bill with it undone, and as the template has it."""

    def total(t: Template) -> float:
        return bill.total_free(bill.lines(priced(operations, counts, t)))

    now = total(template)
    every_function = frozenset(template.memory)
    return [
        (
            f"intake's old versions expire after {template.intake_noncurrent_days} days, not "
            f"{BEFORE_INTAKE_NONCURRENT_DAYS}",
            total(replace(template, intake_noncurrent_days=BEFORE_INTAKE_NONCURRENT_DAYS)),
            now,
        ),
        (
            f"X-Ray active on {len(template.traced)} of {len(every_function)} functions, not all",
            total(replace(template, traced=every_function)),
            now,
        ),
        (
            f"letters' files to {template.letters_archive_class} after "
            f"{template.letters_archive_days} days, not {BEFORE_LETTERS_ARCHIVE}",
            total(replace(template, letters_archive_days=365, letters_archive_class="STANDARD_IA")),
            now,
        ),
        (
            f"queues' data keys reused {template.queue_key_reuse_s} s, not "
            f"{BEFORE_QUEUE_KEY_REUSE_S}",
            total(replace(template, queue_key_reuse_s=BEFORE_QUEUE_KEY_REUSE_S)),
            now,
        ),
        (
            "S3 Bucket Keys on every SSE-KMS bucket (on before issue 19)",
            total(replace(template, bucket_keys=False)),
            now,
        ),
        ("the four levers of issue 19 together", total(before_issue_19(template)), now),
    ]


def before_issue_19(template: Template) -> Template:
    """The template as it was before issue 19's levers (Bucket Keys were on already)."""
    return replace(
        template,
        intake_noncurrent_days=BEFORE_INTAKE_NONCURRENT_DAYS,
        traced=frozenset(template.memory),
        letters_archive_days=365,
        letters_archive_class="STANDARD_IA",
        queue_key_reuse_s=BEFORE_QUEUE_KEY_REUSE_S,
    )
