"""Domain events on the EventBridge bus that template.yaml declares (``EVENT_BUS``), so that
notifications and reports can subscribe without touching the code that raised them."""

from __future__ import annotations

import json
from typing import Any

from eoffice import aws, settings
from eoffice.observability import logger

SOURCE_PREFIX = "eoffice"


class PublishError(RuntimeError):
    pass


def publish(domain: str, detail_type: str, detail: dict[str, Any], *, quick: bool = False) -> None:
    """Publish one event (``source`` = ``eoffice.{domain}``). Events are at least once: a
    replayed request may publish again, so consumers key on the ids in ``detail``. ``quick``:
    with short timeouts and one retry (``aws.client``), for a publication after the commit."""
    response = aws.client("events", quick=quick).put_events(
        Entries=[
            {
                "EventBusName": settings.resource("EVENT_BUS"),
                "Source": f"{SOURCE_PREFIX}.{domain}",
                "DetailType": detail_type,
                "Detail": json.dumps(detail, default=str),
            }
        ]
    )
    if response.get("FailedEntryCount"):
        logger.error("event not published", detail_type=detail_type)
        raise PublishError(f"{detail_type} was not published")
