"""What a recorded check-in announces on the bus, for the notifications function to tell the
head (issue 17): new attendance flags (``AttendanceFlagged``) and a phone waiting for approval
(``DeviceApprovalRequested``).

Only on those rare paths, after the check-in is committed: an ordinary check-in makes no call
beyond its three DynamoDB calls, and the events client is built on the first announcement, not at
start-up. A failed publication is logged and never fails the check-in: it is already recorded,
its flags are in the review queue (and the heads' morning digest), and a phone resending it
would get the stored answer and announce nothing anyway. The client's timeouts are short
(``aws.client(quick=True)``): a slow bus must not turn a recorded check-in into a timeout.
"""

from __future__ import annotations

from typing import Any

from eoffice.attendance.checkin_store import Writes
from eoffice.attendance.models import DeviceRequestView, Flag
from eoffice.observability import logger

DOMAIN = "attendance"


def announce(writes: Writes) -> None:
    """Publish what ``writes`` (just committed) raised, each event once per request."""
    found: list[tuple[str, dict[str, Any]]] = []
    if writes.flags:
        found.append(("AttendanceFlagged", flagged(writes.flags)))
    if writes.device_request is not None and writes.device_request_new:
        found.append(("DeviceApprovalRequested", device_waiting(writes.device_request)))
    for detail_type, detail in found:
        _publish(detail_type, detail)


def publish_request(request: DeviceRequestView) -> None:
    """A web credential just registered waits for approval (``credentials.register``)."""
    _publish("DeviceApprovalRequested", device_waiting(request))


def flagged(flags: list[Flag]) -> dict[str, Any]:
    """One employee's new flags of one request. ``flag_ids`` (sorted) names them: a flag's id is
    made of its kind and the check-in's client id, so the same flags give the same event key."""
    first = flags[0]
    return {
        "nip": first.nip,
        "acted_by_nip": first.nip,  # never told of his own flags
        "unit_id": first.unit_id,
        "day": min(f.day for f in flags).isoformat(),
        "flag_ids": sorted({f.flag_id for f in flags}),
        "kinds": sorted({f.kind.value for f in flags}),
    }


def device_waiting(request: DeviceRequestView) -> dict[str, Any]:
    """A second phone of his was refused and now waits for approval (announced once: later
    attempts find the request); the device is its hash. ``requested_at`` tells this wait from
    an earlier one of the same phone, approved since."""
    return {
        "nip": request.nip,
        "acted_by_nip": request.nip,
        "unit_id": request.unit_id,
        "device": request.device,
        "requested_at": request.requested_at.isoformat(),
    }


def _publish(detail_type: str, detail: dict[str, Any]) -> None:
    from eoffice import events  # the events client only on this rare path

    try:
        events.publish(DOMAIN, detail_type, detail, quick=True)
    except Exception:  # recorded already: the announcement must not undo that
        logger.exception("check-in event not published", detail_type=detail_type)
