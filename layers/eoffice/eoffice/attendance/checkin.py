"""Recording check-ins: online ones one at a time, offline ones in batches. Every attempt is
recorded, accepted or not, with the evidence; a check-in sent twice (same client id) is recorded
once and answered with its first result.

Steps (three DynamoDB calls in all, with the caller's lookup): read what the decision needs
(``checkin_store.read_snapshot``), decide (``decide``, pure), record it all in one transaction;
new flags or a phone waiting for approval are then announced on the bus (``checkin_events``).
A concurrent request of the same employee or device makes the transaction fail; it is decided
again once on fresh reads (the concurrent duplicate's stored answer included), then 409.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from eoffice import clock, settings
from eoffice.attendance import checkin_store as store
from eoffice.attendance.checkin_rules import (
    Fix,
    TimeVerdict,
    batch_offset_s,
    impossible_travel,
    judge_place,
    offline_time,
    online_time,
)
from eoffice.attendance.day_rules import counts_as
from eoffice.attendance.models import (
    BatchResult,
    CheckIn,
    CheckInBatch,
    CheckInCreate,
    CheckInResult,
    CheckInSource,
    CheckState,
    CountsAs,
    CountsReason,
    DeviceRequestView,
    Flag,
    FlagKind,
    QueuedCheckIn,
    RejectReason,
)
from eoffice.attendance.wording import Counting, message
from eoffice.auth import Principal

_Fixed = CheckInCreate | QueuedCheckIn
RECENT_SELFIES = 30  # photos a new selfie is compared with
SAME_PHOTO_BITS = 6  # difference-hash distance up to which two selfies are the same photo
# Older than this on arrival: answered, never recorded. Longer than any offline window
# (OfflineWindowHours is at most 30 days), shorter than a guard's life (GUARD_DAYS): a phone
# replaying its old queue after the guards expired records nothing twice.
STALE = timedelta(days=31)


def device_hash(device_id: str) -> str:
    """Devices are known by a hash: the raw id never reaches storage, logs or flags."""
    return hashlib.sha256(f"eoffice-device:{device_id}".encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Candidate:
    fix: _Fixed
    time: TimeVerdict
    offline: bool
    offset_s: float
    selfie_problem: str | None = None
    selfie_key: str | None = None
    selfie_hash: str | None = None
    assertion_problem: RejectReason | None = None  # web: the WebAuthn assertion's (ADR 0024)
    sign_count: int | None = None  # web: the authenticator's counter it signed with

    @property
    def client_id(self) -> str:
        return self.fix.client_id

    @property
    def day(self) -> date:
        return self.time.effective_at.astimezone(clock.regency_tz()).date()


# ---------------------------------------------------------------- entry points
def record_online(principal: Principal, data: CheckInCreate) -> CheckInResult:
    received = clock.utcnow()
    offset = (data.phone_time - received).total_seconds()
    candidate = Candidate(data, online_time(received), offline=False, offset_s=offset)
    return _record(principal, data.device_id, [candidate], received)[0]


def record_batch(principal: Principal, batch: CheckInBatch) -> BatchResult:
    received = clock.utcnow()
    limits = settings.get(settings.CheckInLimits)
    offset = batch_offset_s(batch, received)
    candidates = [
        Candidate(item, offline_time(item, batch, received, limits), True, offset)
        for item in batch.items
    ]
    results = _record(principal, batch.device_id, candidates, received, limits)
    return BatchResult(clock_offset_s=round(offset, 3), results=results)


def _record(
    principal: Principal,
    device_id: str,
    candidates: list[Candidate],
    received: datetime,
    limits: settings.CheckInLimits | None = None,
) -> list[CheckInResult]:
    limits = limits or settings.get(settings.CheckInLimits)
    device = device_hash(device_id)
    web = any(c.fix.webauthn is not None for c in candidates)
    for attempt in (1, 2):
        snapshot = store.read_snapshot(
            principal.nip,
            device,
            {c.day for c in candidates},
            [c.client_id for c in candidates],
            principal.employee.office_ids,
            principal.unit_id,
            consistent=attempt == 2,  # what the concurrent request wrote
            web=web,
        )
        checked = _with_selfies(principal.nip, candidates, snapshot.guards)
        if web:
            checked = _with_assertions(principal.nip, checked, snapshot)
        decision = decide(principal, device, checked, snapshot, received, limits)
        try:
            store.commit(decision.writes, received)
        except store.ConcurrentWrite:
            if attempt == 2:
                raise
            continue
        if decision.writes.flags or decision.writes.device_request_new:
            from eoffice.attendance import checkin_events

            checkin_events.announce(decision.writes)
        return decision.results
    raise AssertionError("unreachable")


def _with_selfies(
    nip: str, candidates: list[Candidate], stored: dict[str, CheckInResult]
) -> list[Candidate]:
    """Selfies named by new check-ins, checked by content (S3; Pillow loads only here)."""
    checked = []
    for candidate in candidates:
        selfie_id = candidate.fix.selfie_id
        if selfie_id is None or candidate.client_id in stored:
            checked.append(candidate)
            continue
        from eoffice.attendance import selfies

        inspection = selfies.inspect(nip, selfie_id)
        checked.append(
            replace(
                candidate,
                selfie_problem=inspection.problem,
                selfie_key=inspection.key if inspection.ok else None,
                selfie_hash=inspection.dhash,
            )
        )
    return checked


def _with_assertions(
    nip: str, candidates: list[Candidate], snapshot: store.Snapshot
) -> list[Candidate]:
    """Web check-ins' assertions, checked against the credential the snapshot read (no call of
    its own; py_webauthn loads only here). Without a credential of his the device's problem
    says why (``_web_device_problem``).

    A queued (offline) item is not held to the stored sign count: it was signed before the
    check-ins sent since, so an authenticator that counts gave it a lower number. Its replay is
    stopped by its ``client_id`` (a guard) and its challenge, bound to him and to that id."""
    credential = snapshot.credential
    if credential is None or credential.nip != nip:
        return candidates
    from eoffice.attendance import web_assertions

    uncounted = replace(credential, sign_count=0)
    checked = []
    for candidate in candidates:
        assertion = candidate.fix.webauthn
        if assertion is None or candidate.client_id in snapshot.guards:
            checked.append(candidate)
            continue
        held_to = uncounted if candidate.offline else credential
        verdict = web_assertions.check(
            nip, candidate.client_id, assertion, held_to, candidate.time.effective_at
        )
        checked.append(
            replace(candidate, assertion_problem=verdict.problem, sign_count=verdict.sign_count)
        )
    return checked


# ---------------------------------------------------------------- the decision (pure)
@dataclass
class Decision:
    results: list[CheckInResult]
    writes: store.Writes


@dataclass
class _State:
    """What deciding one batch carries from item to item."""

    last_fix: Fix | None
    device_problem: RejectReason | None
    selfies: list[dict[str, str]] = field(default_factory=list)
    days_used: dict[date, int] = field(default_factory=dict)
    shared_flagged: set[date] = field(default_factory=set)
    signed: list[Candidate] = field(default_factory=list)  # web: valid assertions


def decide(
    principal: Principal,
    device: str,
    candidates: Sequence[Candidate],
    snapshot: store.Snapshot,
    received: datetime,
    limits: settings.CheckInLimits,
) -> Decision:
    profile = snapshot.profile
    web = any(c.fix.webauthn is not None for c in candidates)
    if web:
        problem, bind = _web_device_problem(principal.nip, device, snapshot), False
    else:
        problem, bind = _device_problem(principal.nip, device, snapshot)
    last_fix = Fix.from_json(profile.last_fix) if profile.last_fix else None
    state = _State(last_fix, problem, selfies=list(profile.selfies))
    writes = store.Writes(
        principal.nip, device, [], replace(profile), bind=bind and snapshot.binding is None
    )
    if bind:
        writes.profile.device = device
    answered: dict[str, CheckInResult] = {}
    for candidate in sorted(candidates, key=lambda c: c.time.effective_at):
        earlier = snapshot.guards.get(candidate.client_id) or answered.get(candidate.client_id)
        if earlier is not None:
            answered[candidate.client_id] = earlier.model_copy(update={"duplicate": True})
            continue
        if candidate.offline and received - candidate.fix.phone_time > STALE:
            answered[candidate.client_id] = _stale(candidate, received)
            continue
        checkin, flags = _judge(principal, device, candidate, snapshot, received, limits, state)
        result = _result(checkin, snapshot)
        writes.checkins.append((checkin, result))
        writes.flags.extend(flags)
        answered[candidate.client_id] = result
    writes.device_days = dict(state.days_used)
    writes.signed = state.signed
    if state.last_fix is not None:
        writes.profile.last_fix = state.last_fix.as_json()
    writes.profile.selfies = state.selfies[-RECENT_SELFIES:]
    if problem is RejectReason.device_not_approved and writes.checkins:
        writes.device_request = DeviceRequestView(
            nip=principal.nip,
            name=principal.employee.name,
            unit_id=principal.unit_id,
            device=device,
            requested_at=received,
            source=CheckInSource.web if web else CheckInSource.native,
        )
        writes.device_request_new = not snapshot.device_requested
    writes.sign_count = _new_sign_count(snapshot, writes)
    results = [answered[c.client_id] for c in candidates]
    return Decision(results, writes)


def _new_sign_count(snapshot: store.Snapshot, writes: store.Writes) -> tuple[int, int] | None:
    """(read, highest signed) when an accepted assertion moved the authenticator's counter."""
    if snapshot.credential is None:
        return None
    read = snapshot.credential.sign_count
    signed = [c.sign_count or 0 for c in writes.signed]
    highest = max(signed, default=0)
    return (read, highest) if highest > read else None


def _web_device_problem(nip: str, device: str, snapshot: store.Snapshot) -> RejectReason | None:
    """A web credential is never bound on first use: registered (``credentials.register``), his,
    and approved by his head or an admin (his profile's device), else the check-in is refused."""
    credential = snapshot.credential
    if credential is None:
        return RejectReason.device_not_registered
    if credential.nip != nip or (snapshot.binding is not None and snapshot.binding != nip):
        return RejectReason.device_bound_to_other
    if snapshot.profile.device != device:
        return RejectReason.device_not_approved
    return None


def _device_problem(
    nip: str, device: str, snapshot: store.Snapshot
) -> tuple[RejectReason | None, bool]:
    """(the device's problem, whether this first use binds it). One device, one employee; a
    second device of his waits for his head's or an admin's approval (ADR 0028)."""
    if snapshot.binding is not None and snapshot.binding != nip:
        return RejectReason.device_bound_to_other, False
    bound = snapshot.profile.device
    if bound is not None and bound != device:
        return RejectReason.device_not_approved, False
    return None, bound is None


def _judge(
    principal: Principal,
    device: str,
    candidate: Candidate,
    snapshot: store.Snapshot,
    received: datetime,
    limits: settings.CheckInLimits,
    state: _State,
) -> tuple[CheckIn, list[Flag]]:
    fix = candidate.fix
    reasons: list[RejectReason] = [state.device_problem] if state.device_problem else []
    flags: list[tuple[FlagKind, dict[str, object]]] = []
    if fix.mock_location:
        reasons.append(RejectReason.mock_location)
        flags.append(
            (FlagKind.mock_location, {"latitude": fix.latitude, "longitude": fix.longitude})
        )
    if fix.accuracy_m > limits.max_gps_accuracy_m:
        reasons.append(RejectReason.accuracy_too_low)
    place = judge_place(snapshot.offices, fix.latitude, fix.longitude, fix.accuracy_m, limits)
    if place.office_id is None:
        reasons.append(RejectReason.no_office)
    elif not place.inside:
        reasons.append(RejectReason.outside_geofence)
    if candidate.selfie_problem:
        reasons.append(RejectReason.invalid_selfie)
    if candidate.assertion_problem is not None and not state.device_problem:
        reasons.append(candidate.assertion_problem)
    verdict = CheckState.rejected if reasons else CheckState.accepted
    if fix.webauthn is not None and verdict is CheckState.accepted:
        state.signed.append(candidate)
        if settings.get(settings.WebAuthn).mock_policy == "review":
            flags.append((FlagKind.web_location_unverified, {"accuracy_m": fix.accuracy_m}))
            verdict = CheckState.pending_review
    if candidate.time.problems:
        flags.append(
            (
                FlagKind.implausible_clock,
                {"problems": list(candidate.time.problems), **candidate.time.evidence},
            )
        )
        verdict = CheckState.pending_review if verdict is CheckState.accepted else verdict
    checkin_id = f"{candidate.day}-{candidate.client_id}"
    here = Fix(fix.latitude, fix.longitude, fix.accuracy_m, candidate.time.effective_at, checkin_id)
    if verdict is not CheckState.rejected:
        travel = impossible_travel(state.last_fix, here)
        if travel is not None:
            flags.append((FlagKind.impossible_travel, travel))
            verdict = CheckState.pending_review
        if state.last_fix is None or here.at >= state.last_fix.at:
            state.last_fix = here
    flags.extend(_shared_device(principal.nip, device, candidate, snapshot, state))
    flags.extend(_reused_selfie(candidate, checkin_id, state))
    checkin = CheckIn(
        checkin_id=checkin_id,
        client_id=candidate.client_id,
        nip=principal.nip,
        unit_id=principal.unit_id,
        kind=fix.kind,
        state=verdict,
        reasons=reasons,
        flags=[kind for kind, _ in flags],
        latitude=fix.latitude,
        longitude=fix.longitude,
        accuracy_m=fix.accuracy_m,
        mock_location=fix.mock_location,
        device=device,
        phone_time=fix.phone_time,
        received_at=received,
        effective_at=candidate.time.effective_at,
        time_source=candidate.time.source,
        source=fix.source,
        offline=candidate.offline,
        clock_offset_s=round(candidate.offset_s, 3),
        office_id=place.office_id,
        distance_m=place.distance_m,
        selfie_key=candidate.selfie_key,
        selfie_hash=candidate.selfie_hash,
    )
    return checkin, [_flag(checkin, kind, evidence, received) for kind, evidence in flags]


def _shared_device(
    nip: str, device: str, candidate: Candidate, snapshot: store.Snapshot, state: _State
) -> list[tuple[FlagKind, dict[str, object]]]:
    """The device is used by him on this day; another employee used it too: flag it (once a
    day and batch), rejected attempts included, which is where a shared phone shows."""
    day = candidate.day
    used = snapshot.device_days.get(day)
    state.days_used.setdefault(day, used.version if used else 0)
    others = sorted((used.nips if used else set()) - {nip})
    if not others or day in state.shared_flagged:
        return []
    state.shared_flagged.add(day)
    evidence: dict[str, object] = {"device": device, "day": day.isoformat(), "nips": [*others, nip]}
    return [(FlagKind.shared_device, evidence)]


def _reused_selfie(
    candidate: Candidate, checkin_id: str, state: _State
) -> list[tuple[FlagKind, dict[str, object]]]:
    """A selfie that is the same photo as one of his recent ones (re-encoded or rescaled
    included): a known way to check in without being there."""
    if candidate.selfie_hash is None or candidate.selfie_problem:
        return []
    from eoffice.attendance.selfie_rules import hamming

    found: list[tuple[FlagKind, dict[str, object]]] = []
    for earlier in state.selfies:
        distance = hamming(earlier["hash"], candidate.selfie_hash)
        if distance <= SAME_PHOTO_BITS:
            evidence = {"same_as": earlier["checkin_id"], "distance_bits": distance}
            found = [(FlagKind.reused_selfie, evidence)]
            break
    state.selfies.append({"hash": candidate.selfie_hash, "checkin_id": checkin_id})
    return found


def _flag(checkin: CheckIn, kind: FlagKind, evidence: dict[str, object], now: datetime) -> Flag:
    return Flag(
        flag_id=f"{kind.value}-{checkin.client_id}",
        kind=kind,
        nip=checkin.nip,
        unit_id=checkin.unit_id,
        day=checkin.day,
        raised_at=now,
        checkin_id=checkin.checkin_id,
        evidence=evidence,
    )


def _stale(candidate: Candidate, received: datetime) -> CheckInResult:
    reasons = [RejectReason.too_old]
    counting = Counting(CountsAs.none, CountsReason.rejected, candidate.time.effective_at)
    return CheckInResult(
        client_id=candidate.client_id,
        checkin_id=f"{candidate.day}-{candidate.client_id}",
        kind=candidate.fix.kind,
        state=CheckState.rejected,
        reasons=reasons,
        received_at=received,
        effective_at=candidate.time.effective_at,
        time_source=candidate.time.source,
        source=candidate.fix.source,
        counts_as=counting.counts_as,
        counts_reason=counting.reason,
        message=message(candidate.fix.kind, CheckState.rejected, reasons, None, counting),
    )


def _counting(checkin: CheckIn, snapshot: store.Snapshot) -> Counting:
    """What the check-in counts for in its day, told in the answer (``day_rules.counts_as``)."""
    hours, day_off = snapshot.hours_on(checkin.day)
    at = checkin.effective_at
    if checkin.state is CheckState.rejected:
        return Counting(CountsAs.none, CountsReason.rejected, at, hours, day_off)
    counts, reason = counts_as(checkin.kind, at, hours)
    if checkin.state is CheckState.pending_review:
        return Counting(CountsAs.none, CountsReason.pending_review, at, hours, day_off, counts)
    return Counting(counts, reason, at, hours, day_off)


def _result(checkin: CheckIn, snapshot: store.Snapshot) -> CheckInResult:
    counting = _counting(checkin, snapshot)
    return CheckInResult(
        client_id=checkin.client_id,
        checkin_id=checkin.checkin_id,
        kind=checkin.kind,
        state=checkin.state,
        reasons=checkin.reasons,
        flags=checkin.flags,
        received_at=checkin.received_at,
        effective_at=checkin.effective_at,
        time_source=checkin.time_source,
        source=checkin.source,
        office_id=checkin.office_id,
        distance_m=checkin.distance_m,
        counts_as=counting.counts_as,
        counts_reason=counting.reason,
        message=message(checkin.kind, checkin.state, checkin.reasons, checkin.distance_m, counting),
    )
