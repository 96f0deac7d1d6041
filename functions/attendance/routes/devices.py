"""Devices bound to employees: requests for a new phone, approval, release, and the web app's
WebAuthn credentials (registered by the staff member, then approved like any new phone). Routes
parse and answer; the services are ``eoffice.attendance.devices`` and ``.credentials``."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from eoffice.attendance.models import (
    CredentialRegistration,
    DeviceDecision,
    DeviceRequestView,
    RegisteredDevice,
    RegistrationOptions,
)
from eoffice.http.caller import caller
from eoffice.http.openapi import operation

router = APIGatewayHttpRouter()
TAGS = ["attendance devices"]


@router.get(
    "/attendance/devices/requests",
    **operation(
        "deviceRequests",
        "Phones waiting for approval (admins: all; a head: his units')",
        tags=TAGS,
        errors=(403,),
    ),
)
def requests() -> list[DeviceRequestView]:
    from eoffice.attendance import devices

    return devices.pending_requests(caller(router))


@router.post(
    "/attendance/devices/requests/<nip>/<device>/approve",
    **operation(
        "approveDevice",
        "Bind the requested phone to the employee instead of his current one (his heads, admins)",
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
        "Release an employee's bound phone; his next phone binds on first use (his heads, admins)",
        tags=TAGS,
        errors=(403, 404, 409),
        status_code=204,
    ),
)
def release(nip: str) -> Response[None]:
    from eoffice.attendance import devices

    devices.release(caller(router), nip)
    return Response(status_code=204)


@router.get(
    "/attendance/devices/<nip>/history",
    **operation(
        "deviceHistory",
        "Who approved or released his phones, and when (himself, his heads, admins)",
        tags=TAGS,
        errors=(403, 404),
    ),
)
def history(nip: str) -> list[DeviceDecision]:
    from eoffice.attendance import devices

    return devices.history(caller(router), nip)


@router.post(
    "/attendance/devices/webauthn/options",
    **operation(
        "webauthnRegistrationOptions",
        "Options to create this phone's WebAuthn platform credential (the web app, first use)",
        tags=TAGS,
        errors=(401,),
        description="Pass `options` to navigator.credentials.create() (PublicKeyCredential."
        "parseCreationOptionsFromJSON); the challenge is valid until `expires_at`.",
    ),
)
def registration_options() -> RegistrationOptions:
    from eoffice.attendance import credentials

    return credentials.registration_options(caller(router))


@router.post(
    "/attendance/devices/webauthn",
    **operation(
        "registerWebauthnDevice",
        "Register the credential the phone created: it waits for his head's or an admin's approval",
        tags=TAGS,
        errors=(401, 409, 422),
        status_code=201,
        description="The request is listed in GET /attendance/devices/requests and approved by "
        "its `device` like a new phone; `DELETE /attendance/devices/{nip}` releases it.",
    ),
)
def register(body: CredentialRegistration) -> RegisteredDevice:
    from eoffice.attendance import credentials

    return credentials.register(caller(router), body)
