"""The first administrator of a new deployment.

Every change to the organisation needs an admin, and a new stack has none: this writes the
regency's root unit and one admin employee straight into the org table, once. The admin then
builds the rest through the API (or a CSV import). Run it with AWS credentials against AWS, or
against any emulator; it refuses to run twice.
"""

from __future__ import annotations

import uuid

from eoffice import clock
from eoffice.errors import Conflict
from eoffice.org import store
from eoffice.org.admin_models import EmployeeCreate, UnitCreate
from eoffice.org.models import Employee, Role, Unit, UnitKind


class AlreadyBootstrappedError(RuntimeError):
    pass


def bootstrap(
    *, regency_code: str, regency_name: str, nip: str, name: str, username: str, email: str | None
) -> tuple[Unit, Employee]:
    """Create the root unit and its first admin; validation is the API's own models'."""
    now = clock.utcnow()
    root_data = UnitCreate(code=regency_code, name=regency_name, kind=UnitKind.regency)
    root = Unit(unit_id=uuid.uuid4().hex, created_at=now, updated_at=now, **root_data.model_dump())
    admin_data = EmployeeCreate(
        nip=nip,
        name=name,
        unit_id=root.unit_id,
        roles=[Role.admin],
        office_ids=[],  # the new root has no office yet
        username=username,
        email=email,
    )
    admin = Employee(created_at=now, updated_at=now, **admin_data.model_dump())
    if any(unit.parent_id is None for unit in store.list_units()):
        raise AlreadyBootstrappedError("this organisation already has its root unit")
    try:
        store.save_unit(root)
        store.create_employee(admin)
    except Conflict as error:
        raise AlreadyBootstrappedError(str(error)) from error
    return root, admin
