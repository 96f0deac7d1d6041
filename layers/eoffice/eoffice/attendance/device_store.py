"""Devices in the attendance table: the pending requests for a second phone, an employee's
profile (his bound device), a device's binding, moving a binding in one transaction with the
record of who decided it (``DEVLOG#<at>#<action>`` in his partition). Keys: ``table.py``; the
profile's shape is the check-in's (``checkin_store.Profile``)."""

from __future__ import annotations

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from eoffice.attendance.checkin_store import Profile
from eoffice.attendance.models import DeviceDecision, DeviceRequestView
from eoffice.attendance.table import AttendanceRow, employee_key
from eoffice.dynamo import connection, get_or_none
from eoffice.errors import Conflict

PENDING = "DEVICES#PENDING"
DECISION_PREFIX = "DEVLOG#"


def _request_sk(device: str) -> str:
    return f"DEVREQ#{device}"


def _binding_pk(device: str) -> str:
    return f"DEVICE#{device}"


def pending_requests() -> list[DeviceRequestView]:
    """Every request waiting for an admin (gsi2 ``DEVICES#PENDING``)."""
    return [
        DeviceRequestView.model_validate_json(row.body or "{}")
        for row in AttendanceRow.queue.query(PENDING)
    ]


def request(nip: str, device: str) -> DeviceRequestView | None:
    row = get_or_none(AttendanceRow, employee_key(nip), _request_sk(device))
    return DeviceRequestView.model_validate_json(row.body or "{}") if row else None


def profile(nip: str) -> Profile:
    """His profile, read strongly consistent (an empty one when he has none yet)."""
    row = get_or_none(AttendanceRow, employee_key(nip), "PROFILE", consistent=True)
    return Profile.from_body(row.body, int(row.rev or 0)) if row else Profile()


def bound_to(device: str) -> str | None:
    """The NIP the device is bound to (strongly consistent), None when it is free."""
    row = get_or_none(AttendanceRow, _binding_pk(device), "BINDING", consistent=True)
    return row.nip if row is not None else None


def decisions(nip: str) -> list[DeviceDecision]:
    """Every approval and release of his phones, oldest first."""
    rows = AttendanceRow.query(employee_key(nip), AttendanceRow.sk.startswith(DECISION_PREFIX))
    return [DeviceDecision.model_validate_json(row.body or "{}") for row in rows]


def rebind(
    nip: str,
    profile: Profile,
    old: str | None,
    request_device: str | None,
    decision: DeviceDecision,
) -> None:
    """Write ``profile`` (read at ``profile.rev``), move the binding from ``old`` to its
    device, drop the request for ``request_device`` and record ``decision``: all or nothing."""
    device = profile.device
    row = AttendanceRow(employee_key(nip), "PROFILE", body=profile.body(), rev=profile.rev + 1)
    logged = f"{DECISION_PREFIX}{decision.at.isoformat()}#{decision.action.value}"
    try:
        with TransactWrite(connection=connection()) as tx:
            tx.save(AttendanceRow(employee_key(nip), logged, body=decision.model_dump_json()))
            if profile.rev == 0:
                tx.save(row, condition=AttendanceRow.pk.does_not_exist())
            else:
                tx.save(row, condition=AttendanceRow.rev == profile.rev)
            if old and old != device:
                stale = AttendanceRow(_binding_pk(old), "BINDING")
                tx.delete(stale, condition=AttendanceRow.nip == nip)
                # A web phone's credential goes with its binding (ADR 0024).
                tx.delete(AttendanceRow(_binding_pk(old), "WEBAUTHN"))
            if device and device != old:
                binding = AttendanceRow(_binding_pk(device), "BINDING", nip=nip)
                tx.save(
                    binding,
                    condition=AttendanceRow.pk.does_not_exist() | (AttendanceRow.nip == nip),
                )
            if request_device is not None:
                tx.delete(AttendanceRow(employee_key(nip), _request_sk(request_device)))
    except TransactWriteError as error:
        raise Conflict(
            "the device or the employee's profile changed meanwhile; try again",
            code="device_changed",
        ) from error
