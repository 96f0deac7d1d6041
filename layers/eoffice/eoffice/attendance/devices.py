"""Devices: one phone, one employee. The first phone an employee checks in with is bound to him
(by the check-in itself); a check-in from another phone is refused and asks for approval, which
moves his binding to the new phone. A lost phone's binding can be released.

Who approves and releases (ADR 0028): his heads (the head of his unit or of a unit above, or
their Plt/Plh), who know whose phone it is, and admins, the operators who handle lost phones at
Diskominfo; never the employee himself. hr oversees the days, not the phones. Storage:
``device_store.py``."""

from __future__ import annotations

from dataclasses import replace

from eoffice import clock
from eoffice.attendance import access, device_store
from eoffice.attendance.models import DeviceAction, DeviceDecision, DeviceRequestView
from eoffice.auth import Principal
from eoffice.errors import Conflict, Forbidden, NotFound
from eoffice.org import store
from eoffice.org.models import Role


def pending_requests(principal: Principal) -> list[DeviceRequestView]:
    """Admins: every request; a head: those of the employees now in the units he oversees (one
    who moved since he asked is his new head's), his own left out."""
    _require_any_approver(principal)
    waiting = device_store.pending_requests()
    if principal.has_any(Role.admin):
        return waiting
    heads = access.headed_oversight(principal)
    now_in = {
        nip: e.unit_id for nip, (e, _) in store.employees_by_nip([r.nip for r in waiting]).items()
    }
    return [
        r for r in waiting if heads.covers(now_in.get(r.nip, r.unit_id)) and r.nip != principal.nip
    ]


def approve(principal: Principal, nip: str, device: str) -> DeviceRequestView:
    """Bind ``device`` to ``nip`` instead of his current phone (one transaction). A head asking
    about someone he does not oversee is told what anyone is of a request that does not exist."""
    _require_any_approver(principal)
    request = device_store.request(nip, device)
    if request is None or not _approves_for(principal, _unit_now(nip, request.unit_id)):
        raise NotFound("no such device request", code="device_request_not_found")
    access.require_not_own(principal, nip)
    profile = device_store.profile(nip)
    bound_to = device_store.bound_to(device)
    if bound_to is not None and bound_to != nip:
        raise Conflict(
            "the device is bound to another employee: release it first", code="device_in_use"
        )
    decision = _decision(principal, DeviceAction.approved, device)
    device_store.rebind(nip, replace(profile, device=device), profile.device, device, decision)
    return request


def release(principal: Principal, nip: str) -> None:
    """Unbind his phone (lost, handed in): his next phone binds on its first check-in."""
    _require_approver_of(principal, nip)
    access.require_not_own(principal, nip)
    profile = device_store.profile(nip)
    if not profile.device:
        raise NotFound("this employee has no bound device", code="no_bound_device")
    decision = _decision(principal, DeviceAction.released, profile.device)
    device_store.rebind(nip, replace(profile, device=None), profile.device, None, decision)


def history(principal: Principal, nip: str) -> list[DeviceDecision]:
    """Who approved or released his phones and when: for him, his heads and admins."""
    if nip != principal.nip:
        _require_approver_of(principal, nip)
    return device_store.decisions(nip)


def _decision(principal: Principal, action: DeviceAction, device: str) -> DeviceDecision:
    return DeviceDecision(action=action, device=device, by=principal.nip, at=clock.utcnow())


def _require_any_approver(principal: Principal) -> None:
    """403 for whoever approves no phone at all: neither admin nor head of any unit today."""
    if not principal.has_any(Role.admin) and not access.headed_units(principal):
        raise Forbidden("only admins and heads approve devices", code="not_a_device_approver")


def _require_approver_of(principal: Principal, nip: str) -> None:
    """403 for who approves no phone; 404 for an employee outside what he approves for, as for
    a NIP nobody has."""
    _require_any_approver(principal)
    employee = store.get_employee(nip)
    if employee is None or not _approves_for(principal, employee.unit_id):
        raise NotFound(f"no employee has NIP {nip}", code="employee_not_found")


def _unit_now(nip: str, asked_in: str) -> str:
    """His unit today (he may have moved since he asked): his new head decides."""
    employee = store.get_employee(nip)
    return employee.unit_id if employee is not None else asked_in


def _approves_for(principal: Principal, unit_id: str) -> bool:
    return principal.has_any(Role.admin) or access.headed_oversight(principal).covers(unit_id)
