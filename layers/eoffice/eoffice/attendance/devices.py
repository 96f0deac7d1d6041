"""Devices: one phone, one employee. The first phone an employee checks in with is bound to him
(by the check-in itself); a check-in from another phone is refused and asks an admin's approval,
which moves his binding to the new phone. Admins can also release a lost phone's binding."""

from __future__ import annotations

import json

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from eoffice.attendance.models import DeviceRequestView
from eoffice.attendance.rows import AttendanceRow, employee_key
from eoffice.auth import Principal, require_role
from eoffice.dynamo import connection, get_or_none
from eoffice.errors import Conflict, NotFound
from eoffice.org.models import Role

PENDING = "DEVICES#PENDING"


def pending_requests(principal: Principal) -> list[DeviceRequestView]:
    require_role(principal, Role.admin)
    return [
        DeviceRequestView.model_validate(json.loads(row.body or "{}"))
        for row in AttendanceRow.queue.query(PENDING)
    ]


def approve(principal: Principal, nip: str, device: str) -> DeviceRequestView:
    """Bind ``device`` to ``nip`` instead of his current phone (one transaction)."""
    require_role(principal, Role.admin)
    request = get_or_none(AttendanceRow, employee_key(nip), f"DEVREQ#{device}")
    if request is None:
        raise NotFound("no such device request", code="device_request_not_found")
    profile = get_or_none(AttendanceRow, employee_key(nip), "PROFILE", consistent=True)
    binding = get_or_none(AttendanceRow, f"DEVICE#{device}", "BINDING", consistent=True)
    if binding is not None and binding.nip != nip:
        raise Conflict(
            "the device is bound to another employee: release it first", code="device_in_use"
        )
    body = json.loads(profile.body or "{}") if profile else {}
    old = body.get("device")
    body["device"] = device
    rev = int(profile.rev) if profile and profile.rev is not None else None
    _rebind(nip, device, old, body, rev, request)
    return DeviceRequestView.model_validate(json.loads(request.body or "{}"))


def release(principal: Principal, nip: str) -> None:
    """Unbind his phone (lost, handed in): his next phone binds on its first check-in."""
    require_role(principal, Role.admin)
    profile = get_or_none(AttendanceRow, employee_key(nip), "PROFILE", consistent=True)
    body = json.loads(profile.body or "{}") if profile else {}
    if profile is None or not body.get("device"):
        raise NotFound("this employee has no bound device", code="no_bound_device")
    old = body["device"]
    body["device"] = None
    _rebind(nip, None, old, body, int(profile.rev or 0) or None, None)


def _rebind(
    nip: str,
    device: str | None,
    old: str | None,
    profile_body: dict[str, object],
    rev: int | None,
    request: AttendanceRow | None,
) -> None:
    profile = AttendanceRow(
        employee_key(nip), "PROFILE", body=json.dumps(profile_body), rev=(rev or 0) + 1
    )
    try:
        with TransactWrite(connection=connection()) as tx:
            if rev is None:
                tx.save(profile, condition=AttendanceRow.pk.does_not_exist())
            else:
                tx.save(profile, condition=AttendanceRow.rev == rev)
            if old and old != device:
                stale = AttendanceRow(f"DEVICE#{old}", "BINDING")
                tx.delete(stale, condition=AttendanceRow.nip == nip)
            if device and device != old:
                binding = AttendanceRow(f"DEVICE#{device}", "BINDING", nip=nip)
                tx.save(
                    binding,
                    condition=AttendanceRow.pk.does_not_exist() | (AttendanceRow.nip == nip),
                )
            if request is not None:
                tx.delete(request)
    except TransactWriteError as error:
        raise Conflict(
            "the device or the employee's profile changed meanwhile; try again",
            code="device_changed",
        ) from error
