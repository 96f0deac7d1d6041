"""Notifications (issue 17): how long from a domain event to the push at the push service, how many
notices one function instance sends a second, and what 1,000 of them cost on AWS.

A throw-away environment with every notification channel on as ``make dev`` has them
(``eoffice_local.notify_demo``: VAPID keys in Secrets Manager, the sender verified in the
emulator's SES), the push service stand-in (``eoffice_local.push_service``, which checks VAPID
and timestamps what it receives), a few letters of DISKOMINFO-SP registered through the API, and
kadis.kominfo and staf.kominfo each with a browser subscribed through the API, as the app does
(their own P-256 keys and auth secret), told through the regency's default channels (web push
and e-mail) with no quiet hours (the run may be at night in WITA).

1. **Throughput**, first, while nothing polls the queue: two real disposals through the
   in-process API (clerk to head, head forwards to staff) give the real events; their messages
   are taken off the queue and published again with new EventBridge and disposition ids (new
   disposals, so new notices), in batches of the trigger's BatchSize, to the handler in-process, warm (two batches
   first), against moto and the stand-in. Every botocore call is counted and its DynamoDB
   request units estimated (``bench.capacity``); the function's log lines are measured. After
   each batch, the baseline: for each of its notices, the bare pywebpush encrypt and POST of the
   same payload to the same stand-in (VAPID signed) and a bare SES SendEmail of the same words.
2. **Latency through the local runner**: the template's queue trigger polled as ``make dev``
   polls it (``QueuePoller``, 1 s long polls, each invocation in an execution environment of its
   own) and the HTTP API served on a free port; the clerk disposes a letter to kadis.kominfo over
   HTTP, one event at a time, and the time from the API's answer (the event is on the bus by
   then) to the stand-in's receipt of his push is split in the local poller's part (answer to
   the invocation's start) and the function's (the invocation's start to the push).
3. **Cost** per 1,000 notifications (``bench.notify_cost``) from the measured milliseconds and
   counted calls, at the template's MemorySize, with ``bench.prices``.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eoffice_local.environment import LocalEnvironment
from eoffice_local.push_service import PushServiceStandIn

from bench import notify_cost, prices
from bench.capacity import Units, recording, table_indexes
from bench.dispositions import CLERK, HEAD, STAFF, _dispose_body, _nips
from bench.report import median, percentile, table, verdict

STACK = "eoffice-bench-notifications"
EMPLOYEES = 50
LETTERS = 2
LATENCY_EVENTS = 40
QUICK_LATENCY_EVENTS = 10
BATCHES = 40
QUICK_BATCHES = 8
WARM_BATCHES = 2
PUSH_WAIT_S = 30.0
FUNCTION = "NotificationsFunction"

LATENCY_P95_TARGET_S = 1.0
"""Locally, event to push at p95. The local poller takes a message as soon as it is queued (moto
answers a long poll at once), so what remains is the function's work: well under a second on
this machine, loaded or not. In AWS the event source adds its own polling (docs/performance.md)."""
OVER_CALLS_TARGET = 1.5
"""A notice's time against what its own AWS calls took (timed as the function made them) and a
bare push of its payload: our code at most half again. The ratio to the bare channels alone
(a push and a SendEmail) is reported too, but as information: a notice makes ten AWS calls where
they make one, so it moves with the emulator's speed (0.07x to 0.13x in six runs)."""
DYNAMODB_CALLS_TARGET = 8
"""DynamoDB calls per notice of a disposal at most: the letter, the people it names, the acting
appointments in force, those told, the notice written, his preferences, his subscriptions, the
deliveries saved."""
COST_TARGET_USD = 0.15
"""Per 1,000 notifications with e-mail on (SES alone is $0.10)."""
COST_WITHOUT_EMAIL_TARGET_USD = 0.02
"""Per 1,000 notifications, everything but SES."""
LAMBDA_FULL_VCPU_MB = 1769
"""The memory at which Lambda gives a function one whole vCPU; less memory, a share of one."""


def progress(text: str) -> None:
    print(f"  [notifications] {text}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- the browsers
@dataclass
class Browser:
    """A browser's push keys and its subscription at the stand-in."""

    endpoint: str = ""
    p256dh: str = ""
    auth: str = ""

    @classmethod
    def new(cls, service: PushServiceStandIn, server_key: str) -> Browser:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ec

        public = ec.generate_private_key(ec.SECP256R1()).public_key()
        point = public.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return cls(service.subscribe(server_key), _b64url(point), _b64url(os.urandom(16)))

    @property
    def subscription_id(self) -> str:
        return self.endpoint.rsplit("/", 1)[1]

    def json(self) -> dict[str, Any]:
        keys = {"p256dh": self.p256dh, "auth": self.auth}
        return {"endpoint": self.endpoint, "expirationTime": None, "keys": keys}


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def subscribe(client: Any, service: PushServiceStandIn, user: str) -> Browser:
    """As the app does: the key from the API, a subscription at the push service, sent back;
    the default channels, no quiet hours."""
    _, key = client.call("GET", "/notifications/push-key", user)
    browser = Browser.new(service, key["public_key"])
    sample, _ = client.call("POST", "/me/push-subscriptions", user, browser.json())
    if sample.status != 201:
        raise RuntimeError(f"POST /me/push-subscriptions as {user} answered {sample.status}")
    sample, _ = client.call(
        "PUT", "/me/notification-preferences", user, {"clear_quiet_hours": True}
    )
    if sample.status != 200:
        raise RuntimeError(f"PUT /me/notification-preferences as {user} answered {sample.status}")
    return browser


# ---------------------------------------------------------------- the queue
class Queue:
    """The notifications queue, read directly: what the acts published, taken off unhandled."""

    def __init__(self, env: LocalEnvironment) -> None:
        from eoffice import aws

        (self.trigger,) = [t for t in env.template.queue_triggers if t.function == FUNCTION]
        self.sqs = aws.client("sqs")
        self.url = env.stack.refs[self.trigger.queue]
        self.arn = env.stack.attrs[self.trigger.queue]["Arn"]
        self.region = env.stack.region

    def take(self) -> list[dict[str, Any]]:
        """Every message queued now, deleted from the queue."""
        taken: list[dict[str, Any]] = []
        while True:
            got = self.sqs.receive_message(
                QueueUrl=self.url, MaxNumberOfMessages=10, WaitTimeSeconds=0
            ).get("Messages", [])
            if not got:
                return taken
            self.sqs.delete_message_batch(
                QueueUrl=self.url,
                Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got)
                ],
            )
            taken.extend(got)


def republished(template: dict[str, Any]) -> dict[str, Any]:
    """The event of a new disposal of the same shape: new EventBridge and disposition ids (a
    disposal's notices are keyed on its disposition, so a copy with the old id would tell nobody
    again), a new SQS message, its first receive."""
    body = json.loads(template["Body"])
    body["id"] = str(uuid.uuid4())
    detail = body["detail"]
    if "disposition_id" not in detail:
        raise ValueError(f"{body['detail-type']} is no disposal: its copies would be repeats")
    detail["disposition_id"] = uuid.uuid4().hex
    for assignment in detail.get("assignments", []):
        assignment["disposition_id"] = detail["disposition_id"]
    return {
        "MessageId": str(uuid.uuid4()),
        "ReceiptHandle": uuid.uuid4().hex,
        "Body": json.dumps(body),
        "Attributes": {"ApproximateReceiveCount": "1"},
    }


# ---------------------------------------------------------------- 1. throughput
@dataclass
class Throughput:
    events: int
    notices: int
    seconds: float
    cpu_seconds: float
    calls: dict[str, int]
    waited: dict[str, float]
    """Seconds inside AWS calls by ``service:Operation``: moto and its SES."""
    units: Units
    log_bytes: int
    baseline_ms: list[float]
    """Per notice: one bare push and one bare SendEmail."""
    push_ms: list[float]
    failures: int
    batch_size: int
    events_per_dispose: float
    """Messages the two disposals put on the notifications queue, a disposal."""
    put_events_per_dispose: float

    @property
    def per_second(self) -> float:
        return self.notices / self.seconds if self.seconds else 0.0

    @property
    def ms_per_notice(self) -> float:
        return self.seconds * 1000 / self.notices if self.notices else float("nan")

    @property
    def baseline_per_second(self) -> float:
        return 1000 / median(self.baseline_ms)

    @property
    def ratio(self) -> float:
        return self.per_second / self.baseline_per_second

    @property
    def aws_ms(self) -> float:
        """Milliseconds a notice inside its AWS calls."""
        return sum(self.waited.values()) * 1000 / self.notices

    @property
    def floor_ms(self) -> float:
        """What a notice cannot take less than: its AWS calls, and a push of its payload."""
        return self.aws_ms + median(self.push_ms)

    @property
    def over_calls(self) -> float:
        return self.ms_per_notice / self.floor_ms

    def per_notice(self, service: str) -> float:
        count = sum(n for name, n in self.calls.items() if name.startswith(f"{service}:"))
        return count / self.notices if self.notices else float("nan")

    def lambda_ms(self, memory_mb: int) -> float:
        """Milliseconds per notice at ``memory_mb`` in Lambda: the CPU part stretched to the vCPU
        share that memory buys, the waiting (moto, the stand-in) as measured."""
        share = min(1.0, memory_mb / LAMBDA_FULL_VCPU_MB)
        cpu = self.cpu_seconds * 1000 / self.notices
        return self.ms_per_notice - cpu + cpu / share


@contextlib.contextmanager
def counted_logs() -> Iterator[list[int]]:
    """The in-process functions' log lines go to a sink that counts their bytes (still
    formatted: that is part of the function's work)."""
    from eoffice.observability import logger

    count = [0]

    class Sink(io.TextIOBase):
        def write(self, text: str) -> int:
            count[0] += len(text.encode())
            return len(text)

    handler = logger.registered_handler
    if not hasattr(handler, "setStream"):
        raise RuntimeError("the functions' logger writes to no stream: nothing to measure")
    previous = handler.setStream(Sink())
    try:
        yield count
    finally:
        if previous is not None:
            handler.setStream(previous)


def throughput(
    env: LocalEnvironment,
    client: Any,
    service: PushServiceStandIn,
    browsers: dict[str, Browser],
    letter_id: str,
    batches: int,
    vapid: Any,
) -> Throughput:
    from eoffice import aws
    from eoffice_local.aws_calls import counting, total
    from eoffice_local.poller import sqs_event

    queue = Queue(env)
    queue.take()  # what the letters' registration published
    nips = _nips()
    path = f"/letters/{letter_id}/dispositions"
    with counting() as published:
        for user, to in ((CLERK, HEAD), (HEAD, STAFF)):
            sample, _ = client.call("POST", path, user, _dispose_body(nips[to]))
            if sample.status != 201:
                raise RuntimeError(f"dispose as {user} answered {sample.status}")
    templates = queue.take()
    if not templates:
        raise RuntimeError("the disposals queued no event for the notifications function")
    size = queue.trigger.batch_size
    baseline = Baseline(env, service, browsers[HEAD], vapid)
    indexes = table_indexes(aws.client("dynamodb"), _tables())
    failures = 0

    def batch(n: int) -> list[dict[str, Any]]:
        return [republished(templates[(n * size + i) % len(templates)]) for i in range(size)]

    def received() -> int:
        return sum(len(service.received(b.subscription_id)) for b in browsers.values())

    for n in range(WARM_BATCHES):
        env.runtime.invoke(FUNCTION, sqs_event(batch(n), queue.arn, queue.region))
    _, told = client.call("GET", "/me/notifications", HEAD)
    _, me = client.call("GET", "/me", HEAD)
    baseline.copy(told["items"][0], me["employee"]["email"])
    baseline.warm()
    seconds = cpu = 0.0
    calls: Counter[str] = Counter()
    waited: Counter[str] = Counter()
    units = Units()
    pushed_before = received()
    with counted_logs() as logged:
        for n in range(batches):
            event = sqs_event(batch(n), queue.arn, queue.region)
            with recording(indexes) as recorded:
                started, cpu_started = time.perf_counter(), time.process_time()
                answer = env.runtime.invoke(FUNCTION, event)
                seconds += time.perf_counter() - started
                cpu += time.process_time() - cpu_started
            calls.update(recorded.calls)
            waited.update(recorded.waited)
            units.add(recorded.dynamodb)
            failures += len(answer.get("batchItemFailures") or [])
            baseline.run(size)
    notices = received() - pushed_before
    return Throughput(
        events=batches * size,
        notices=notices,
        seconds=seconds,
        cpu_seconds=cpu,
        calls=dict(calls),
        waited=dict(waited),
        units=units,
        log_bytes=logged[0],
        baseline_ms=baseline.ms,
        push_ms=baseline.push_ms,
        failures=failures,
        batch_size=size,
        events_per_dispose=len(templates) / 2,
        put_events_per_dispose=total(published, "events") / 2,
    )


class Baseline:
    """The bare channel calls of one notice, without the function: pywebpush's encryption and
    POST of the same payload to the same stand-in (VAPID signed, the same headers), and an SES
    SendEmail of the same words, through one session and one client as the function keeps."""

    def __init__(
        self, env: LocalEnvironment, service: PushServiceStandIn, like: Browser, vapid: Any
    ) -> None:
        import requests
        from eoffice import aws

        self.service = service
        self.browser = Browser(service.subscribe(vapid.public_key), like.p256dh, like.auth)
        self.vapid = vapid
        self.session = requests.Session()
        self.ses = aws.client("sesv2")
        self.sender = os.environ["EMAIL_SENDER"]
        self.to = ""
        self.words: dict[str, Any] = {}
        self.ms: list[float] = []
        self.push_ms: list[float] = []

    def copy(self, notice: dict[str, Any], to: str) -> None:
        """The notice whose payload and words the baseline sends, and the address it mails."""
        self.words = {k: notice[k] for k in ("title", "body", "path", "urgent")}
        self.words["tag"] = notice["notification_id"]
        self.to = to

    def warm(self) -> None:
        self.run(2)
        self.ms.clear()
        self.push_ms.clear()

    def run(self, count: int) -> None:
        for _ in range(count):
            started = time.perf_counter()
            self._push()
            pushed = time.perf_counter()
            self._mail()
            self.push_ms.append((pushed - started) * 1000)
            self.ms.append((time.perf_counter() - started) * 1000)
        if len(self.service.received(self.browser.subscription_id)) < len(self.push_ms):
            raise RuntimeError("the baseline's pushes did not all arrive")

    def _push(self) -> None:
        from py_vapid import Vapid02
        from pywebpush import WebPusher

        claims = {"aud": self.service.base_url, "exp": int(time.time()) + 12 * 3600}
        signed = Vapid02(self.vapid.private_key).sign(claims | {"sub": self.vapid.subject})
        headers = {
            "Authorization": signed["Authorization"],
            "Urgency": "normal",
            "Topic": _b64url(os.urandom(18)),
        }
        data = json.dumps(self.words, ensure_ascii=False, separators=(",", ":")).encode()
        info = {"endpoint": self.browser.endpoint, "keys": self.browser.json()["keys"]}
        answer = WebPusher(info, requests_session=self.session).send(
            data, headers, ttl=86400, content_encoding="aes128gcm", timeout=10
        )
        if answer.status_code != 201:
            raise RuntimeError(f"the bare push answered {answer.status_code}")

    def _mail(self) -> None:
        subject = f"e-Office Luwu Timur: {self.words['title']}"
        text = {"Data": self.words["body"], "Charset": "UTF-8"}
        self.ses.send_email(
            FromEmailAddress=self.sender,
            Destination={"ToAddresses": [self.to]},
            Content={
                "Simple": {
                    "Subject": {"Data": subject, "Charset": "UTF-8"},
                    "Body": {"Text": text, "Html": {"Data": f"<p>{text['Data']}</p>"}},
                }
            },
        )


# ---------------------------------------------------------------- 2. latency
@dataclass
class Invocation:
    started: float
    published: float
    """The first record's SentTimestamp: when EventBridge put the event on the queue."""
    ended: float = 0.0


@dataclass
class Timed:
    """One event through the local runner (epoch seconds, one clock: all on this machine)."""

    published: float
    answered: float
    invoked: float
    pushed: float
    ended: float

    @property
    def latency(self) -> float:
        return self.pushed - self.answered

    @property
    def queued(self) -> float:
        """The event on the queue (moto's SentTimestamp, to the millisecond) to the invocation."""
        return self.invoked - self.published

    @property
    def from_publication(self) -> float:
        return self.pushed - self.published

    @property
    def polled(self) -> float:
        """The API's answer to the invocation's start: the local event source's part."""
        return self.invoked - self.answered

    @property
    def function(self) -> float:
        """The invocation's start to the push at the push service: the function's part."""
        return self.pushed - self.invoked


@dataclass
class Latency:
    events: list[Timed] = field(default_factory=list)
    first: Timed | None = None
    """The warm-up event: the function's execution environment started for it."""
    missing: int = 0
    dispose_ms: list[float] = field(default_factory=list)

    def seconds(self, part: Callable[[Timed], float]) -> list[float]:
        return [part(t) for t in self.events]


def latency(
    env: LocalEnvironment,
    service: PushServiceStandIn,
    browser: Browser,
    letters: list[str],
    count: int,
) -> Latency:
    import httpx
    from eoffice import aws
    from eoffice_local.emulator import free_port
    from eoffice_local.poller import QueuePoller

    queue = Queue(env)
    queue.take()
    invocations: list[Invocation] = []

    def timed_invoke(name: str, event: Any) -> Any:
        sent = event["Records"][0]["attributes"].get("SentTimestamp")
        call = Invocation(time.time(), int(sent) / 1000 if sent else float("nan"))
        invocations.append(call)
        try:
            return env.workers.invoke(name, event)
        finally:
            call.ended = time.time()

    server = env.serve(port=free_port())
    server.httpd.quiet = True  # type: ignore[attr-defined]
    poller = QueuePoller(
        queue.trigger, env.stack, aws.client("sqs"), timed_invoke, wait_seconds=1
    ).start()
    measured = Latency()
    head = _nips()[HEAD]
    headers = {"Authorization": f"Bearer {env.token(CLERK)}"}
    try:
        with httpx.Client(base_url=server.url, timeout=60) as http:
            for n in range(count + 1):
                path = f"/letters/{letters[n % len(letters)]}/dispositions"
                before = len(service.received(browser.subscription_id))
                started = time.time()
                answer = http.post(path, json=_dispose_body(head, n + 1), headers=headers)
                answered = time.time()
                if answer.status_code != 201:
                    raise RuntimeError(f"dispose answered {answer.status_code}: {answer.text}")
                timed = _wait_for_push(service, browser, before, answered, invocations)
                if n == 0:
                    measured.first = timed
                    continue
                measured.dispose_ms.append((answered - started) * 1000)
                if timed is None:
                    measured.missing += 1
                else:
                    measured.events.append(timed)
    finally:
        poller.stop()
    return measured


def _wait_for_push(
    service: PushServiceStandIn,
    browser: Browser,
    before: int,
    answered: float,
    invocations: list[Invocation],
) -> Timed | None:
    """The push that came for the event answered at ``answered``, and the invocation that sent
    it (once that invocation ended: the next event finds the function idle)."""
    deadline = answered + PUSH_WAIT_S
    while time.time() < deadline:
        got = service.received(browser.subscription_id)[before:]
        if got:
            pushed = got[0].received_at
            call = next((c for c in reversed(invocations) if c.started <= pushed), None)
            while call is not None and not call.ended and time.time() < deadline:
                time.sleep(0.005)
            if call is None or not call.ended:
                return None
            return Timed(call.published, answered, call.started, pushed, call.ended)
        time.sleep(0.002)
    return None


# ---------------------------------------------------------------- the report
@dataclass
class NotifyReport:
    throughput: Throughput
    latency: Latency
    memory_mb: int
    cpus: int
    load: tuple[float, float]

    def per_notice(self, events_per_batch: float) -> notify_cost.PerNotice:
        t = self.throughput
        return notify_cost.PerNotice(
            lambda_ms=t.lambda_ms(self.memory_mb),
            memory_mb=self.memory_mb,
            notices_per_event=t.notices / t.events,
            events_per_batch=events_per_batch,
            read_units=t.units.read / t.notices,
            write_units=t.units.write / t.notices,
            emails=t.per_notice("sesv2") - self._suppression_checks(),
            log_bytes=t.log_bytes / t.notices,
        )

    def _suppression_checks(self) -> float:
        t = self.throughput
        return t.calls.get("sesv2:GetSuppressedDestination", 0) / t.notices

    def bill(self) -> list[notify_cost.CostLine]:
        return notify_cost.lines(self.per_notice(self.throughput.batch_size))

    def quiet_bill(self) -> list[notify_cost.CostLine]:
        """Every event alone in its batch, every KMS request made: the dearest traffic."""
        return notify_cost.lines(self.per_notice(1))

    def latency_p95(self) -> float:
        return percentile(self.latency.seconds(lambda t: t.latency), 95)

    def failures(self) -> list[str]:
        t, failed = self.throughput, []
        if self.latency.missing:
            failed.append(f"notifications: {self.latency.missing} events never reached the push")
        if not self.latency.events or self.latency_p95() > LATENCY_P95_TARGET_S:
            failed.append(
                f"notifications: event to push p95 {self.latency_p95():.2f} s "
                f"(target <= {LATENCY_P95_TARGET_S:.1f} s)"
            )
        if t.failures or t.notices != t.events:
            failed.append(
                f"notifications: {t.notices} pushes for {t.events} events, {t.failures} failed"
            )
        if t.over_calls > OVER_CALLS_TARGET:
            failed.append(
                f"notifications: a notice takes {t.over_calls:.2f}x its AWS calls and a push "
                f"(target <= {OVER_CALLS_TARGET})"
            )
        if t.per_notice("dynamodb") > DYNAMODB_CALLS_TARGET or t.calls.get("dynamodb:Scan"):
            failed.append(
                f"notifications: {t.per_notice('dynamodb'):.1f} DynamoDB calls a notice "
                f"(target <= {DYNAMODB_CALLS_TARGET}, no Scan)"
            )
        bill = self.bill()
        if notify_cost.total(bill) > COST_TARGET_USD:
            failed.append(f"notifications: ${notify_cost.total(bill):.4f} per 1,000")
        if notify_cost.without_email(bill) > COST_WITHOUT_EMAIL_TARGET_USD:
            failed.append(
                f"notifications: ${notify_cost.without_email(bill):.4f} per 1,000 without SES"
            )
        return failed

    def render(self) -> str:
        return "\n".join([self._latency(), "", self._throughput(), "", self._cost()])

    def _latency(self) -> str:
        lat = self.latency
        rows = [
            [label, *(f"{percentile(values, p) * 1000:.0f}" for p in (50, 95, 100))]
            for label, values in (
                ("event to push: the API's answer to receipt", lat.seconds(lambda t: t.latency)),
                ("  local poller: the answer to the invocation", lat.seconds(lambda t: t.polled)),
                ("  function: the invocation to the push", lat.seconds(lambda t: t.function)),
                (
                    "event to push: on the queue to receipt",
                    lat.seconds(lambda t: t.from_publication),
                ),
                ("  on the queue to the invocation", lat.seconds(lambda t: t.queued)),
                (
                    "after the push, the rest of the invocation",
                    lat.seconds(lambda t: t.ended - t.pushed),
                ),
                ("the disposal request itself", [ms / 1000 for ms in lat.dispose_ms]),
            )
        ]
        first = lat.first.latency if lat.first else float("nan")
        p95 = self.latency_p95()
        return "\n".join(
            [
                f"Event to push through the local runner: {len(lat.events)} disposals over HTTP, "
                f"one at a time, polled as `make dev` polls (1 s long polls, isolated runtime); "
                f"{self.cpus} CPUs, load {self.load[0]:.1f} -> {self.load[1]:.1f}",
                table(["part", "p50 ms", "p95 ms", "max ms"], rows),
                f"First event (the function's environment starting): {first * 1000:.0f} ms",
                f"p95 {p95 * 1000:.0f} ms (target <= {LATENCY_P95_TARGET_S * 1000:.0f} ms) "
                f"{verdict(p95 <= LATENCY_P95_TARGET_S)}; events without a push: {lat.missing} "
                f"(target 0) {verdict(lat.missing == 0)}",
            ]
        )

    def _throughput(self) -> str:
        t = self.throughput
        calls = ", ".join(
            f"{name} {n / t.notices:.2f} ({t.waited.get(name, 0) * 1000 / n:.1f} ms each)"
            for name, n in sorted(t.calls.items())
            if n
        )
        lambda_ms = t.lambda_ms(self.memory_mb)
        return "\n".join(
            [
                f"One function instance, warm, in-process: {t.events} events in batches of "
                f"{t.batch_size} (real disposals' events published again), web push + e-mail",
                f"  {t.notices} notices in {t.seconds:.2f} s: {t.per_second:.1f} notices/s, "
                f"{t.ms_per_notice:.1f} ms a notice: {self._waited('dynamodb'):.1f} ms waiting on "
                f"moto's DynamoDB, {self._waited('sesv2'):.1f} ms on its SES, "
                f"{t.cpu_seconds * 1000 / t.notices:.1f} ms CPU in this process; failed records "
                f"{t.failures}",
                f"  baseline, bare channels of one notice (pywebpush encrypt + POST, SES "
                f"SendEmail): median {median(t.baseline_ms):.1f} ms ({t.baseline_per_second:.1f}"
                f"/s), of it the push {median(t.push_ms):.1f} ms",
                f"  notices/s against bare channels/s: {t.ratio:.2f}x (information)",
                f"  a notice against its own AWS calls ({t.aws_ms:.1f} ms) and a bare push: "
                f"{t.over_calls:.2f}x (target <= {OVER_CALLS_TARGET}) "
                f"{verdict(t.over_calls <= OVER_CALLS_TARGET)}; our own code about "
                f"{t.ms_per_notice - t.floor_ms:.1f} ms a notice",
                f"  AWS calls a notice: {calls}",
                f"  DynamoDB a notice: {t.per_notice('dynamodb'):.1f} calls (target <= "
                f"{DYNAMODB_CALLS_TARGET}, no Scan) "
                f"{verdict(t.per_notice('dynamodb') <= DYNAMODB_CALLS_TARGET and not t.calls.get('dynamodb:Scan'))}"
                f", estimated {t.units.read / t.notices:.1f} RRU and "
                f"{t.units.write / t.notices:.1f} WRU; logs {t.log_bytes / t.notices:.0f} bytes",
                f"  events a disposal: {t.events_per_dispose:.1f} queued, PutEvents calls "
                f"{t.put_events_per_dispose:.1f}",
                f"  in Lambda at {self.memory_mb} MB ({min(1, self.memory_mb / LAMBDA_FULL_VCPU_MB):.2f}"
                f" vCPU): about {lambda_ms:.1f} ms a notice (the CPU part stretched), "
                f"{1000 / lambda_ms:.1f} notices/s an instance",
            ]
        )

    def _waited(self, service: str) -> float:
        t = self.throughput
        spent = sum(s for name, s in t.waited.items() if name.startswith(f"{service}:"))
        return spent * 1000 / t.notices

    def _cost(self) -> str:
        bill = self.bill()
        rows = [[line.what, f"{line.quantity:,.4g}", line.unit, f"{line.usd:.5f}"] for line in bill]
        total = notify_cost.total(bill)
        rows.append(["total", "", "", f"{total:.5f}"])
        quiet = notify_cost.total(self.quiet_bill())
        bare = notify_cost.without_email(bill)
        return "\n".join(
            [
                f"Cost per 1,000 notifications on AWS ({prices.REGION}, list prices of "
                f"{prices.AS_OF}, USD; batches of {self.throughput.batch_size}, "
                f"{self.memory_mb} MB)",
                table(["what", "quantity", "unit", "USD"], rows),
                f"Total ${total:.4f} (target <= ${COST_TARGET_USD:.2f}) "
                f"{verdict(total <= COST_TARGET_USD)}; without SES ${bare:.4f} (target <= "
                f"${COST_WITHOUT_EMAIL_TARGET_USD:.2f}) "
                f"{verdict(bare <= COST_WITHOUT_EMAIL_TARGET_USD)}; every event alone in its "
                f"batch (quiet traffic): ${quiet:.4f}",
            ]
        )


# ---------------------------------------------------------------- the run
def measure(latency_events: int = LATENCY_EVENTS, batches: int = BATCHES) -> NotifyReport:
    from eoffice.notifications.push_models import VapidKeys
    from eoffice_local import notify_demo

    from bench.dispositions import Client, register_letters
    from bench.environment import local_environment
    from bench.intake import quiet_function_logs

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-notify-") as keys:
        services = notify_demo.start(Path(keys))
        service = services.push  # the push service stand-in make dev runs too
        try:
            with (
                local_environment(STACK, EMPLOYEES, services.parameters) as env,
                Path(os.devnull).open("w") as sink,
                quiet_function_logs(),
            ):
                env.workers.logs = sink
                services.store()
                client = Client(env)
                letters = register_letters(env, client, LETTERS)
                browsers = {user: subscribe(client, service, user) for user in (HEAD, STAFF)}
                progress(f"{LETTERS} letters registered; {batches} batches in-process")
                vapid = VapidKeys.from_document(services.vapid)
                ran = throughput(env, client, service, browsers, letters[0], batches, vapid)
                progress(f"{latency_events} events through the local runner")
                timed = latency(env, service, browsers[HEAD], letters, latency_events)
                memory = env.runtime.spec(FUNCTION).memory
        finally:
            services.stop()
    return NotifyReport(ran, timed, memory, os.cpu_count() or 0, (load_before, os.getloadavg()[0]))


def _tables() -> list[str]:
    return sorted(value for name, value in os.environ.items() if name.endswith("_TABLE"))
