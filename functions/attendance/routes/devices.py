"""Devices bound to employees: requests for a new phone, approval, release. Routes parse and
answer; the service is ``eoffice.attendance.devices``."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from eoffice.attendance.models import DeviceRequestView
from eoffice.http.caller import caller
from eoffice.http.openapi import operation

router = APIGatewayHttpRouter()
TAGS = ["attendance devices"]


@router.get(
    "/attendance/devices/requests",
    **operation("deviceRequests", "Phones waiting for approval (admin)", tags=TAGS, errors=(403,)),
)
def requests() -> list[DeviceRequestView]:
    from eoffice.attendance import devices

    return devices.pending_requests(caller(router))


@router.post(
    "/attendance/devices/requests/<nip>/<device>/approve",
    **operation(
        "approveDevice",
        "Bind the requested phone to the employee instead of his current one (admin)",
        tags=TAGS,
        errors=(403, 404, 409),
    ),
)
def approve(nip: str, device: str) -> DeviceRequestView:
    from eoffice.attendance import devices

    return devices.approve(caller(router), nip, device)


@router.delete(
    "/attendance/devices/<nip>",
    **operation(
        "releaseDevice",
        "Release an employee's bound phone; his next phone binds on first use (admin)",
        tags=TAGS,
        errors=(403, 404, 409),
        status_code=204,
    ),
)
def release(nip: str) -> Response[None]:
    from eoffice.attendance import devices

    devices.release(caller(router), nip)
    return Response(status_code=204)
