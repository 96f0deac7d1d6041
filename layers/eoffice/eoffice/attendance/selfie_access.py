"""Showing a check-in's selfie: biometric data (UU 27/2022), so only to the employee, his heads
and hr (not admins), through a link that expires within a minute."""

from __future__ import annotations

from datetime import date

from eoffice.attendance import access, ledger_store
from eoffice.attendance.models import SelfieLink
from eoffice.auth import Principal
from eoffice.errors import NotFound


def selfie_link(principal: Principal, nip: str, day: date, checkin_id: str) -> SelfieLink:
    employee = access.employee_or_404(nip)
    access.require_see_selfie(principal, employee.nip, employee.unit_id)
    found = ledger_store.checkin_of(nip, day, checkin_id)
    checkin = found[0] if found else None
    if checkin is None or not checkin.selfie_key:
        raise NotFound("this check-in has no selfie", code="selfie_not_found")
    from eoffice.attendance import selfie_store

    url, expires_at = selfie_store.view_url(checkin.selfie_key)
    return SelfieLink(url=url, expires_at=expires_at)
