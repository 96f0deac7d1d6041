"""Web check-ins against native ones (issue 18), measured inside the attendance bench's rounds.

A web check-in (ADR 0024) is two requests: ``POST /attendance/check-ins/challenges`` for a
server challenge, then ``POST /attendance/check-ins`` with a WebAuthn assertion over it, which
the check-in function verifies with py_webauthn. The native path is one request with the phone's
Android ID. Each web employee has a platform credential played in Python
(``eoffice_local.platform_authenticator``: P-256, the signatures a phone's authenticator makes),
registered and approved by an admin before the rounds (not timed). In each round of the
attendance bench, every native check-in is followed by a web one of another employee, so both
paths see the same load, the same tables and the same warm function instance.

Also measured on its own: the assertion's check (``web_assertions.check``: the challenge's
HMAC, then py_webauthn's signature verification) in-process, and py_webauthn's import, which
only the web path pays, once per function instance.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from eoffice_local.aws_calls import total

from bench.dispositions import Client, Measured, Sample
from bench.report import median, percentile, table

if TYPE_CHECKING:
    from eoffice.attendance.models import WebAuthnAssertion
    from eoffice.org.models import Employee
    from eoffice_local.platform_authenticator import Authenticator

ADMIN = "admin"
"""The demo's administrator, who approves the credentials as he approves phones."""
MAX_CALLS = 3
"""DynamoDB calls a check-in may make (issue 6), the web path included (issue 18)."""
CHALLENGE_CALLS = 1
"""The caller's lookup only: the challenge is an HMAC under a key derived once per instance."""
STATES = {"accept": "accepted", "review": "pending_review"}
"""What a web check-in gets under each ``WebCheckInMockPolicy``: under the default (review), the
browser cannot tell a mock location, so each waits for the head and makes one more call (the
review flag's event)."""
ASSERTION_REPEAT = 200
IMPORT_REPEAT = 5


@dataclass
class WebStaff:
    """Employees with an approved platform credential each."""

    employees: list[Employee]
    phones: dict[str, Authenticator] = field(default_factory=dict)

    def phone(self, employee: Employee) -> Authenticator:
        return self.phones[employee.nip]


@dataclass
class WebRound:
    """The web half of a round: the challenge requests and the check-ins that used them."""

    challenges: Measured
    checkins: Measured
    policy: str = "accept"

    @property
    def per_second(self) -> float:
        """Web check-ins over the time of both their requests."""
        spent = sum(s.ms for s in self.challenges.samples + self.checkins.samples) / 1000
        return len(self.checkins.samples) / spent if spent else float("nan")

    @property
    def pair_p50(self) -> float:
        """The median of challenge + check-in, per employee."""
        pairs = zip(self.challenges.samples, self.checkins.samples, strict=True)
        return median(a.ms + b.ms for a, b in pairs)


def enrol(client: Client, employees: Sequence[Employee]) -> WebStaff:
    """Register a platform credential for each employee and have the admin approve it."""
    from eoffice import settings
    from eoffice_local.platform_authenticator import Authenticator

    config = settings.get(settings.WebAuthn)
    staff = WebStaff(list(employees))
    for employee in employees:
        phone = Authenticator(config.rp_id, config.allowed_origins[0])
        user = employee.username or ""
        sample, answer = client.call("POST", "/attendance/devices/webauthn/options", user)
        _require(sample, answer, 200, "options")
        body = phone.register(answer["options"])
        sample, answer = client.call("POST", "/attendance/devices/webauthn", user, body)
        _require(sample, answer, 201, "registration")
        target = f"/attendance/devices/requests/{employee.nip}/{answer['device']}/approve"
        sample, answer = client.call("POST", target, ADMIN)
        _require(sample, answer, 200, "approval")
        staff.phones[employee.nip] = phone
    return staff


def _require(sample: Sample, answer: Any, status: int, step: str) -> None:
    if sample.status != status:
        raise RuntimeError(f"web enrolment, {step}: answered {sample.status}: {answer}")


def new_round(kind: str, employees: int, policy: str = "accept") -> WebRound:
    label = "web check in" if kind == "in" else "web check out"
    return WebRound(
        Measured(f"{label}: the challenge", f"{employees} employees", 200),
        Measured(f"{label}, approved credential ({policy})", f"{employees} employees", 201),
        policy,
    )


@contextlib.contextmanager
def mock_policy(policy: str) -> Iterator[None]:
    """Run with ``WebCheckInMockPolicy`` set to ``policy`` (the function reads it as the
    template's parameter becomes an environment variable)."""
    from eoffice import settings

    name, before = "WEB_CHECKIN_MOCK_POLICY", os.environ.get("WEB_CHECKIN_MOCK_POLICY")
    os.environ[name] = policy
    settings.reset()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before
        settings.reset()


def review_round(
    client: Client, staff: WebStaff, rng_fix: Callable[[], dict[str, Any]]
) -> WebRound:
    """Each web employee checks in once more under the default policy (review)."""
    measured = new_round("in", len(staff.employees), "review")
    with mock_policy("review"):
        for employee in staff.employees:
            web_check(client, staff, employee, rng_fix(), measured)
    return measured


def web_check(
    client: Client, staff: WebStaff, employee: Employee, fix: dict[str, Any], into: WebRound
) -> None:
    """One web check-in: a challenge for a new client id, then the check-in signed over it."""
    user, client_id = employee.username or "", uuid.uuid4().hex
    asked = {"client_ids": [client_id]}
    sample, answer = client.call("POST", "/attendance/check-ins/challenges", user, asked)
    if sample.status == 200 and total(sample.calls, "dynamodb") > CHALLENGE_CALLS:
        calls = total(sample.calls, "dynamodb")
        sample.problem = f"{calls} DynamoDB calls (target <= {CHALLENGE_CALLS})"
    into.challenges.samples.append(sample)
    challenge = answer[0]["challenge"] if sample.status == 200 else "none"
    phone = staff.phone(employee)
    body = {
        **fix,
        "client_id": client_id,
        "device_id": phone.id,
        "webauthn": phone.assert_(challenge),
    }
    sample, answer = client.call("POST", "/attendance/check-ins", user, body)
    wanted = STATES[into.policy]
    if sample.status == 201 and isinstance(answer, dict) and answer.get("state") != wanted:
        sample.problem = f"{answer.get('state')} {answer.get('reasons')}, not {wanted}"
    calls = total(sample.calls, "dynamodb")
    if sample.status == 201 and calls > MAX_CALLS:
        sample.problem = f"{calls} DynamoDB calls (target <= {MAX_CALLS})"
    into.checkins.samples.append(sample)


# ------------------------------------------------------------------ the assertion on its own
@dataclass(frozen=True)
class AssertionCost:
    check_ms: list[float]
    import_ms: list[float]
    """py_webauthn's import in a fresh interpreter, less the interpreter's own start."""


def assertion_cost(employee: Employee, repeat: int = ASSERTION_REPEAT) -> AssertionCost:
    """Time ``web_assertions.check`` in-process on fresh assertions (each over its own
    challenge), and py_webauthn's import in fresh interpreters."""
    from eoffice import clock, settings
    from eoffice.attendance import web_assertions
    from eoffice.attendance.credential_store import Credential
    from eoffice_local.platform_authenticator import Authenticator, b64url

    config = settings.get(settings.WebAuthn)
    phone = Authenticator(config.rp_id, config.allowed_origins[0])
    now = clock.utcnow()
    credential = Credential(employee.nip, b64url(phone._cose_key()), 0, now)
    samples = []
    for n in range(repeat + 1):  # the first loads py_webauthn: not counted
        client_id = f"bench-{n}"
        assertion = _signed(phone, employee.nip, client_id, now)
        started = time.perf_counter()
        verdict = web_assertions.check(employee.nip, client_id, assertion, credential, now)
        if n:
            samples.append((time.perf_counter() - started) * 1000)
        if verdict.problem is not None:
            raise RuntimeError(f"the bench's assertion was refused: {verdict.problem}")
        credential = Credential(employee.nip, credential.public_key, verdict.sign_count or 0, now)
    return AssertionCost(samples, [_import_ms() for _ in range(IMPORT_REPEAT)])


def _signed(phone: Authenticator, nip: str, client_id: str, now: datetime) -> WebAuthnAssertion:
    """An assertion over a challenge issued for ``client_id``, valid for five minutes."""
    from eoffice.attendance import challenges
    from eoffice.attendance.models import WebAuthnAssertion

    issued = challenges.issue(challenges.CHECK_IN, nip, client_id, now + timedelta(minutes=5))
    return WebAuthnAssertion.model_validate(phone.assert_(issued.text))


def _import_ms() -> float:
    """py_webauthn's verification import in a fresh interpreter, less ``import sys``'s start."""
    code = "import time; t = time.perf_counter(); {}; print((time.perf_counter() - t) * 1000)"
    measured = [
        float(
            subprocess.run(
                [sys.executable, "-c", code.format(statement)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        for statement in ("import webauthn", "pass")
    ]
    return measured[0] - measured[1]


# ------------------------------------------------------------------ the report
def render(
    native: Sequence[tuple[str, Measured, float]],
    web: Sequence[WebRound],
    review: WebRound | None,
    cost: AssertionCost | None,
) -> str:
    """Web rounds next to the native rounds they were interleaved with, then the round under
    the default policy and the assertion's own cost."""
    headers = (
        "request",
        "n",
        "per s",
        "p50 ms",
        "p95 ms",
        "p50 our code",
        "dynamodb calls",
        "other AWS",
        "per s / native's",
    )
    rows = []
    for (label, measured, per_second), round_ in zip(native, web, strict=True):
        rows.append(_row(label, measured, f"{per_second:.1f}", "1.00x"))
        rows += _web_rows(round_, per_second)
    if review is not None and native:
        rows += _web_rows(review, native[-1][2])
    lines = [
        "Web check-ins against native ones in one run: each native check-in followed by a web "
        "one of another employee, both under WebCheckInMockPolicy accept (the same calls); then "
        "each web employee once more under the default, review",
        table(headers, rows),
        "web per s = web check-ins / the sum of their challenge and check-in latencies; the "
        "review round's ratio is to the native check-out round. Under review a web check-in "
        "waits for the head: its other AWS call is the review flag's EventBridge event.",
    ]
    if cost is not None:
        lines.append(
            f"The assertion's check in-process (web_assertions.check: challenge HMAC + "
            f"py_webauthn), {len(cost.check_ms)} assertions: p50 {median(cost.check_ms):.2f} ms, "
            f"p95 {percentile(cost.check_ms, 95):.2f} ms; py_webauthn's import, paid once per "
            f"instance by the first web check-in only: median {median(cost.import_ms):.0f} ms of "
            f"{len(cost.import_ms)} fresh interpreters."
        )
    return "\n".join(lines)


def _web_rows(round_: WebRound, native_per_second: float) -> list[list[str]]:
    ratio = round_.per_second / native_per_second if native_per_second else float("nan")
    return [
        _row(round_.challenges.label, round_.challenges, "", ""),
        _row(round_.checkins.label, round_.checkins, f"{round_.per_second:.1f}", f"{ratio:.2f}x"),
    ]


def _row(label: str, m: Measured, per_second: str, ratio: str) -> list[str]:
    low, high = m.dynamodb
    others = max(sum(s.calls.values()) - total(s.calls, "dynamodb") for s in m.samples)
    return [
        label,
        str(len(m.samples)),
        per_second,
        f"{m.p50:.1f}",
        f"{m.p95:.1f}",
        f"{m.own_p50:.1f} ms",
        str(high) if low == high else f"{low}-{high}",
        str(others),
        ratio,
    ]


def failures(web: Sequence[WebRound]) -> list[str]:
    problems = []
    for round_ in web:
        for m in (round_.challenges, round_.checkins):
            for problem, n in sorted(m.problems.items()):
                problems.append(f"attendance, {m.label}: {problem} ({n} of {len(m.samples)})")
            if m.scans:
                problems.append(f"attendance, {m.label}: made {m.scans} Scan call(s)")
    return problems
