"""Through which channels a notice goes now, given a person's preferences. Pure.

An item that is not sent (urgent only, quiet hours) is not lost: it is in the person's list in
the app, and open work is in the heads' morning digest. Urgent items (*amat segera*,
escalations) pass both choices: the regent must learn at once that such a letter waits.

E-mail is the fallback of web push (ADR 0029): a notice that is not urgent goes to a phone or
browser that subscribed, and by e-mail only when no subscription took it (none, gone, failing).
An official on his phone is not told everything twice, and the regency does not pay SES for it.
Urgent items still go through every channel he chose.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, time

from eoffice import clock
from eoffice.notifications.models import Channel, Preferences, QuietHours


@dataclass(frozen=True)
class Choice:
    channels: tuple[Channel, ...]
    held_because: str | None = None  # "urgent_only" / "quiet_hours" when nothing is sent
    fallback: Channel | None = None
    """Sent too when none of ``channels``' push subscriptions took the notice (e-mail)."""


def defaults(channels: Collection[Channel], quiet: QuietHours | None) -> Preferences:
    """A person's preferences until he sets his own: the regency's defaults."""
    return Preferences(channels=list(channels), quiet_hours=quiet)


def choose(
    preferences: Preferences, *, urgent: bool, at: datetime, reachable: Collection[Channel]
) -> Choice:
    """The channels to use now: those he chose that can reach him (a push subscription, an
    e-mail address, a WhatsApp number, the channel configured), unless held."""
    if not urgent and preferences.urgent_only:
        return Choice((), "urgent_only")
    quiet = preferences.quiet_hours
    if not urgent and quiet is not None and in_quiet_hours(quiet, at):
        return Choice((), "quiet_hours")
    chosen = tuple(c for c in preferences.channels if c in reachable)
    if not urgent and Channel.web_push in chosen and Channel.email in chosen:
        return Choice(tuple(c for c in chosen if c is not Channel.email), fallback=Channel.email)
    return Choice(chosen)


def in_quiet_hours(quiet: QuietHours, at: datetime) -> bool:
    """Whether ``at`` falls in the quiet hours, read on the regency's clock (WITA)."""
    now = at.astimezone(clock.regency_tz()).time().replace(tzinfo=None)
    return _within(now, *quiet.times())


def _within(now: time, start: time, end: time) -> bool:
    if start < end:
        return start <= now < end
    return now >= start or now < end  # spans midnight
