"""Devices: one phone, one employee. The first phone an employee checks in with is bound to him
(by the check-in itself); a check-in from another phone is refused and asks an admin's approval,
which moves his binding to the new phone. Admins can also release a lost phone's binding.
Storage: ``device_store.py``."""

from __future__ import annotations

from dataclasses import replace

from eoffice.attendance import device_store
from eoffice.attendance.models import DeviceRequestView
from eoffice.auth import Principal, require_role
from eoffice.errors import Conflict, NotFound
from eoffice.org.models import Role


def pending_requests(principal: Principal) -> list[DeviceRequestView]:
    require_role(principal, Role.admin)
    return device_store.pending_requests()


def approve(principal: Principal, nip: str, device: str) -> DeviceRequestView:
    """Bind ``device`` to ``nip`` instead of his current phone (one transaction)."""
    require_role(principal, Role.admin)
    request = device_store.request(nip, device)
    if request is None:
        raise NotFound("no such device request", code="device_request_not_found")
    profile = device_store.profile(nip)
    bound_to = device_store.bound_to(device)
    if bound_to is not None and bound_to != nip:
        raise Conflict(
            "the device is bound to another employee: release it first", code="device_in_use"
        )
    device_store.rebind(nip, replace(profile, device=device), profile.device, device)
    return request


def release(principal: Principal, nip: str) -> None:
    """Unbind his phone (lost, handed in): his next phone binds on its first check-in."""
    require_role(principal, Role.admin)
    profile = device_store.profile(nip)
    if not profile.device:
        raise NotFound("this employee has no bound device", code="no_bound_device")
    device_store.rebind(nip, replace(profile, device=None), profile.device, None)
