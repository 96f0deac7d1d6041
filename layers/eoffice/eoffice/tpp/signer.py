"""Who signs the monthly report: the head of BKPSDM, as the organisation says who heads a unit
(``eoffice.org.heads``), so the report and the letters name the same official."""

from __future__ import annotations

from typing import Any

from eoffice.org import heads
from eoffice.org import store as org_store

SIGNING_UNIT = "BKPSDM"


def signer() -> dict[str, Any]:
    """The head of BKPSDM: the holder of its head position, else who acts for him today
    (Plt./Plh., so titled; an official no longer active is not named), else nothing (the report
    has a blank line to sign on)."""
    unit = org_store.unit_by_code(SIGNING_UNIT)
    head = heads.head_of(unit.unit_id, by_role=False) if unit is not None else None
    if head is None:
        return {}
    found = {"signer_name": head.employee.name, "signer_nip": head.employee.nip}
    if head.acting is not None:
        found["signer_title"] = f"{head.acting.capacity.value.capitalize()}. Kepala {SIGNING_UNIT}"
    return found
