"""The event a schedule in template.yaml would send its function."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from eoffice_local.provision import Stack
from eoffice_local.template import ScheduleTrigger


def scheduled_event(trigger: ScheduleTrigger, stack: Stack) -> Any:
    """The schedule's ``Input`` when it has one; otherwise what EventBridge sends: the
    "Scheduled Event" envelope for a rule, an empty object for a Scheduler schedule."""
    if trigger.input is not None:
        given = stack.resolve(trigger.input)
        return json.loads(given) if isinstance(given, str) else given
    if trigger.kind == "scheduler":
        return {}
    rule_arn = f"arn:aws:events:{stack.region}:{stack.account_id}:rule/{stack.name}-{trigger.name}"
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": stack.account_id,
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": stack.region,
        "resources": [rule_arn],
        "detail": {},
    }
