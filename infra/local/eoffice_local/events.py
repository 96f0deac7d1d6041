"""The event a schedule in template.yaml would send its function."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from eoffice_local.provision import Stack
from eoffice_local.template import ScheduleTrigger

_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def scheduled_event(trigger: ScheduleTrigger, stack: Stack, at: datetime | None = None) -> Any:
    """The schedule's ``Input`` when it has one; otherwise what EventBridge sends: the
    "Scheduled Event" envelope for a rule, an empty object for a Scheduler schedule.

    ``at`` (aware; default now) is the scheduled time the event reports, so a run for
    "1 December 01:00 WITA" can be replayed at any moment."""
    when = _utc(at)
    if trigger.input is not None:
        return _input(trigger, stack, when)
    if trigger.kind == "scheduler":
        return {}
    rule_arn = f"arn:aws:events:{stack.region}:{stack.account_id}:rule/{stack.name}-{trigger.name}"
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": stack.account_id,
        "time": when.strftime(_TIME_FORMAT),
        "region": stack.region,
        "resources": [rule_arn],
        "detail": {},
    }


def context_attributes(trigger: ScheduleTrigger, stack: Stack, at: datetime) -> dict[str, str]:
    """What Scheduler puts in place of each ``<aws.scheduler.*>`` of a target's Input."""
    return {
        "<aws.scheduler.scheduled-time>": _utc(at).strftime(_TIME_FORMAT),
        "<aws.scheduler.execution-id>": str(uuid.uuid4()),
        "<aws.scheduler.attempt-number>": "1",
        "<aws.scheduler.schedule-arn>": schedule_arn(trigger, stack),
    }


def schedule_arn(trigger: ScheduleTrigger, stack: Stack) -> str:
    """The ARN the provisioner gave the schedule (from its ``Name``), else one built from it."""
    known = stack.attrs.get(trigger.name, {}).get("Arn")
    if known:
        return known
    return (
        f"arn:{stack.partition}:scheduler:{stack.region}:{stack.account_id}"
        f":schedule/default/{stack.name}-{trigger.name}"
    )


def _input(trigger: ScheduleTrigger, stack: Stack, at: datetime) -> Any:
    """Scheduler substitutes its context attributes in the Input *text*, before anything decodes
    it: an unquoted ``<aws.scheduler.attempt-number>`` becomes a JSON number that way."""
    given = stack.resolve(trigger.input)
    if trigger.kind != "scheduler":
        return json.loads(given) if isinstance(given, str) else given
    text = given if isinstance(given, str) else json.dumps(given)
    for placeholder, value in context_attributes(trigger, stack, at).items():
        text = text.replace(placeholder, value)
    return json.loads(text)


def _utc(at: datetime | None) -> datetime:
    if at is None:
        return datetime.now(UTC)
    if at.tzinfo is None:
        raise ValueError("a scheduled time needs a time zone (e.g. 2026-12-01T01:00+08:00)")
    return at.astimezone(UTC)
