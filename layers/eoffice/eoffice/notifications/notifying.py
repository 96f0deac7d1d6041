"""Telling people of a domain event: who (``notice_rules``), what (``wording``), through which
channels (``preference_rules``), sent (``sending``) and recorded (``store``).

Every event arrives at least once. A notice is written once per (event, person) before anything
is sent, and each channel's delivery is recorded on it: an event delivered again sends nothing
that was sent, and retries only the channels that failed. A failed channel does not hold up the
others: they are sent and recorded first; then :class:`ChannelsFailed` makes the queue deliver
the event again later (its backoff), until the channel succeeds or the retries are spent: at the
last one the notice is marked given up for the administrators, and the message moves to the
dead-letter queue, from which a redrive tries the failing channel again (nothing else).

SQS may also hand one message to two instances at once. The delivery that writes a notice holds
its channels while it sends; a later one claims them with a conditional write first. A delivery
that finds them held (:class:`InFlight`) sends nothing and comes back with the queue's retry.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from eoffice import clock, settings
from eoffice.errors import Conflict
from eoffice.notifications import preference_rules, preferences, sending, store, wording
from eoffice.notifications.facts import facts_for
from eoffice.notifications.models import (
    Channel,
    ChannelDelivery,
    Delivery,
    DeliveryStatus,
    Message,
    NoticeKind,
    Notification,
)
from eoffice.notifications.notice_rules import DomainEvent, Notice, notices
from eoffice.org import store as org_store
from eoffice.org.models import Employee

_SAVE_ATTEMPTS = 3
# How long a delivery holds a notice's channels: longer than one can take (the function's timeout
# is 120 s), shorter than the queue's visibility timeout (720 s), so the claim of a delivery that
# died has lapsed when the queue hands its message out again.
CLAIM = timedelta(seconds=150)


class ChannelsFailed(Exception):
    """Some channel failed for now: the event is to be delivered again (after the queue's
    backoff); what was sent stays sent."""


class InFlight(ChannelsFailed):
    """Another delivery of the same message is sending this notice now: nothing is sent; the
    queue's retry finds its channels settled (or the claim lapsed, and sends them)."""


def handle(event: DomainEvent, *, attempt: int = 1) -> list[Notification]:
    """Tell everyone ``event`` concerns; returns the notices as they stand. ``attempt`` is the
    queue's receive count: at the last one a failing channel is given up."""
    facts = facts_for(event)
    if facts is None:
        return []
    told = notices(event, facts)
    people = org_store.employees_by_nip(sorted({n.nip for n in told} | _for_nips(told)))
    failed: list[str] = []
    results = []
    for notice in told:
        found = people.get(notice.nip)
        if found is None or not found[0].active:
            continue
        acting_for = people.get(notice.for_nip or "")
        by = acting_for[0].name if acting_for else None
        message = wording.message(facts.turn_key or event.key, notice, facts.item, by)
        try:
            note, still_failing = deliver(message, found[0], event.time, attempt=attempt)
        except InFlight:
            failed.append(f"{notice.nip} in flight")
            continue
        results.append(note)
        failed.extend(still_failing)
    if failed:
        raise ChannelsFailed(f"{event.detail_type} {event.key}: {', '.join(failed)}")
    return results


def _for_nips(told: list[Notice]) -> set[str]:
    return {n.for_nip for n in told if n.for_nip}


def deliver(
    message: Message, employee: Employee, created_at: datetime, *, attempt: int
) -> tuple[Notification, list[str]]:
    """Record the notice (once) and send it through every channel not yet done; returns the
    notice and the channels that failed for now. :class:`InFlight` when another delivery holds
    them."""
    stored, created = _recorded(message, created_at)
    note = stored.note
    recipient = sending.Recipient(employee, preferences.of(employee.nip))
    done = {d.channel for d in note.deliveries if d.status.final}
    choice = preference_rules.choose(
        recipient.preferences,
        urgent=message.urgent,
        at=clock.utcnow(),
        reachable=sending.reachable(recipient),
    )
    pending = [c for c in choice.channels if c not in done]
    earlier = _fallback_due(choice, note, {})  # push settled before, not taken: e-mail again
    if earlier is not None:
        pending.append(earlier)
    if not pending:
        return note, []
    rev = stored.rev if created else _claim(stored, message.nip)
    attempts = {d.channel: d.attempts for d in note.deliveries}
    outcomes: dict[Channel, Delivery] = {c: sending.send(c, message, recipient) for c in pending}
    fallback = _fallback_due(choice, note, outcomes)
    if fallback is not None and fallback not in outcomes:
        outcomes[fallback] = sending.send(fallback, message, recipient)
    last_try = attempt >= settings.get(settings.Notify).max_attempts
    updated = _with(note, outcomes, attempts)
    refused = any(d.status is DeliveryStatus.rejected for d in outcomes.values())
    failing = [c.value for c, d in outcomes.items() if d.status is DeliveryStatus.failed]
    if (refused or (failing and last_try)) and updated.given_up_at is None:
        # For the administrators' list of failures; a failing channel stays failed (not
        # settled), so a redrive from the dead-letter queue tries it again.
        updated = updated.model_copy(update={"given_up_at": clock.utcnow()})
    _save(updated, message.nip, rev)
    return updated, failing


def _fallback_due(
    choice: preference_rules.Choice, note: Notification, outcomes: dict[Channel, Delivery]
) -> Channel | None:
    """The fallback (e-mail) while web push has not taken the notice: its outcome now, or the
    one an earlier delivery settled (no subscription left, refused). None when push took it,
    is still to be tried, or the fallback itself was already settled (sent once)."""
    fallback = choice.fallback
    if fallback is None or any(d.channel is fallback and d.status.final for d in note.deliveries):
        return None
    pushed = outcomes.get(Channel.web_push)
    status = pushed.status if pushed is not None else _settled(note, Channel.web_push)
    if status is None or status is DeliveryStatus.sent:
        return None
    return fallback


def _settled(note: Notification, channel: Channel) -> DeliveryStatus | None:
    """A channel's status on the notice once nothing more will be tried on it; else None."""
    return next(
        (d.status for d in note.deliveries if d.channel is channel and d.status.final), None
    )


def _claim(stored: store.Stored, nip: str) -> int:
    """Hold the notice's channels for this delivery (a conditional write); its revision."""
    now = clock.utcnow().timestamp()
    if stored.claimed_until is not None and stored.claimed_until > now:
        raise InFlight(f"{stored.note.notification_id} is being sent")
    until = now + CLAIM.total_seconds()
    try:
        return store.save_notice(stored.note, nip, stored.rev, claimed_until=until)
    except Conflict as changed:
        raise InFlight(f"{stored.note.notification_id} changed meanwhile") from changed


def _recorded(message: Message, created_at: datetime) -> tuple[store.Stored, bool]:
    """The notice, and whether this delivery wrote it (then it holds its channels)."""
    note = Notification(
        notification_id=message.notification_id,
        nip=message.nip,
        kind=NoticeKind(message.kind),
        title=message.title,
        body=message.body,
        path=message.path,
        urgent=message.urgent,
        created_at=created_at,
    )
    until = clock.utcnow().timestamp() + CLAIM.total_seconds()
    created = store.create_notice(note, message.nip, claimed_until=until)
    if created is not None:
        return created, True
    found = store.notice(message.notification_id)
    if found is None:  # removed between the two calls: nothing to keep it against
        raise Conflict("the notice vanished while being recorded")
    return found, False


def _with(
    note: Notification, outcomes: dict[Channel, Delivery], attempts: dict[Channel, int]
) -> Notification:
    now = clock.utcnow()
    kept = [d for d in note.deliveries if d.channel not in outcomes]
    for channel, delivery in outcomes.items():
        kept.append(
            ChannelDelivery(
                channel=channel,
                status=delivery.status,
                attempts=attempts.get(channel, 0) + 1,
                at=now,
            )
        )
    return replace_deliveries(note, kept)


def _save(note: Notification, nip: str, rev: int) -> None:
    """Save the deliveries; another delivery of the same event may have saved first: then keep
    what both sent (its record wins for channels it settled)."""
    for _ in range(_SAVE_ATTEMPTS):
        try:
            store.save_notice(note, nip, rev)
            return
        except Conflict:
            found = store.notice(note.notification_id)
            if found is None:
                return
            theirs, rev = found.note, found.rev
            settled = {d.channel for d in theirs.deliveries if d.status.final}
            mine = [d for d in note.deliveries if d.channel not in settled]
            merged = [d for d in theirs.deliveries if d.channel in settled] + mine
            note = replace_deliveries(theirs, merged).model_copy(
                update={"given_up_at": theirs.given_up_at or note.given_up_at}
            )
    raise Conflict("the notice kept changing while its deliveries were recorded")


def replace_deliveries(note: Notification, deliveries: list[ChannelDelivery]) -> Notification:
    return note.model_copy(update={"deliveries": sorted(deliveries, key=lambda d: d.channel.value)})
