"""Devices: one phone, one employee. The first phone an employee checks in with is bound to him
(by the check-in itself); a check-in from another phone is refused and asks an admin's approval,
which moves his binding to the new phone. Admins can also release a lost phone's binding."""

from __future__ import annotations

from dataclasses import replace

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from eoffice.attendance.checkin_store import Profile
from eoffice.attendance.models import DeviceRequestView
from eoffice.attendance.table import AttendanceRow, employee_key
from eoffice.auth import Principal, require_role
from eoffice.dynamo import connection, get_or_none
from eoffice.errors import Conflict, NotFound
from eoffice.org.models import Role

PENDING = "DEVICES#PENDING"


def pending_requests(principal: Principal) -> list[DeviceRequestView]:
    require_role(principal, Role.admin)
    return [
        DeviceRequestView.model_validate_json(row.body or "{}")
        for row in AttendanceRow.queue.query(PENDING)
    ]


def approve(principal: Principal, nip: str, device: str) -> DeviceRequestView:
    """Bind ``device`` to ``nip`` instead of his current phone (one transaction)."""
    require_role(principal, Role.admin)
    request = get_or_none(AttendanceRow, employee_key(nip), f"DEVREQ#{device}")
    if request is None:
        raise NotFound("no such device request", code="device_request_not_found")
    profile = _profile(nip)
    binding = get_or_none(AttendanceRow, f"DEVICE#{device}", "BINDING", consistent=True)
    if binding is not None and binding.nip != nip:
        raise Conflict(
            "the device is bound to another employee: release it first", code="device_in_use"
        )
    _rebind(nip, replace(profile, device=device), profile.device, request)
    return DeviceRequestView.model_validate_json(request.body or "{}")


def release(principal: Principal, nip: str) -> None:
    """Unbind his phone (lost, handed in): his next phone binds on its first check-in."""
    require_role(principal, Role.admin)
    profile = _profile(nip)
    if not profile.device:
        raise NotFound("this employee has no bound device", code="no_bound_device")
    _rebind(nip, replace(profile, device=None), profile.device, None)


def _profile(nip: str) -> Profile:
    row = get_or_none(AttendanceRow, employee_key(nip), "PROFILE", consistent=True)
    return Profile.from_body(row.body, int(row.rev or 0)) if row else Profile()


def _rebind(nip: str, profile: Profile, old: str | None, request: AttendanceRow | None) -> None:
    """Write ``profile`` (read at ``profile.rev``), move the binding from ``old`` to its
    device, and drop the request: all or nothing."""
    device = profile.device
    row = AttendanceRow(employee_key(nip), "PROFILE", body=profile.body(), rev=profile.rev + 1)
    try:
        with TransactWrite(connection=connection()) as tx:
            if profile.rev == 0:
                tx.save(row, condition=AttendanceRow.pk.does_not_exist())
            else:
                tx.save(row, condition=AttendanceRow.rev == profile.rev)
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
