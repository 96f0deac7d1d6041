"""Rules of the organisation: who may change it, and what a consistent organisation is.

Every function takes the calling :class:`Principal` and checks it first; routes only parse and
answer. Reads of the org chart (units, positions, offices) are open to every signed-in employee,
since choosing a disposition's recipients needs them; changes are for admins; the employee list
is for admins and hr (BKPSDM), who keep the personnel data.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import TypeVar

from pydantic import BaseModel

from eoffice import clock
from eoffice.auth import Principal, require_role
from eoffice.errors import Forbidden, InvalidInput, NotFound
from eoffice.models import refuse_nulls
from eoffice.org import hierarchy, store, tpp_amounts
from eoffice.org.admin_models import (
    MAX_OFFICES,
    ActingCreate,
    ActingFor,
    EmployeeCreate,
    EmployeeUpdate,
    EmployeeView,
    Me,
    OfficeCreate,
    OfficeUpdate,
    PositionCreate,
    PositionUpdate,
    UnitCreate,
    UnitUpdate,
)
from eoffice.org.models import (
    ActingAssignment,
    Employee,
    GeoPoint,
    Office,
    Position,
    Role,
    Unit,
    UnitKind,
    employment_problem,
)
from eoffice.signins import requesting
from eoffice.signins.models import SignInStatus

PERSONNEL_READERS = (Role.admin, Role.hr)
_R = TypeVar("_R", bound=BaseModel)


def new_id() -> str:
    return uuid.uuid4().hex


def _found(record: tuple[_R, int] | None, kind: str, key: str) -> tuple[_R, int]:
    if record is None:
        raise NotFound(f"{kind} {key} does not exist", code=f"{kind}_not_found")
    return record


def _changed(current: _R, data: BaseModel, *, exclude: frozenset[str] = frozenset()) -> _R:
    """``current`` with the fields the client sent (but ``exclude``), stamped now."""
    changes = data.model_dump(exclude_unset=True, exclude=set(exclude))
    refuse_nulls(type(current), changes)
    return current.model_copy(update={**changes, "updated_at": clock.utcnow()})


# ---------------------------------------------------------------- units
def get_unit(unit_id: str) -> Unit:
    unit = store.get_unit(unit_id)
    if unit is None:
        raise NotFound(f"unit {unit_id} does not exist", code="unit_not_found")
    return unit


def list_units(principal: Principal) -> list[Unit]:
    return store.list_units()


def _check_parent(kind: UnitKind, parent_id: str | None, unit_id: str | None = None) -> None:
    if kind is UnitKind.regency:
        if parent_id is not None:
            raise InvalidInput("the regency is the root and has no parent", code="invalid_parent")
        return
    if parent_id is None:
        raise InvalidInput("every unit but the regency needs a parent_id", code="invalid_parent")
    get_unit(parent_id)
    if unit_id is not None and (
        parent_id == unit_id or parent_id in hierarchy.descendants(unit_id, store.list_units())
    ):
        raise InvalidInput("a unit cannot sit below itself", code="invalid_parent")


def create_unit(principal: Principal, data: UnitCreate) -> Unit:
    require_role(principal, Role.admin)
    _check_parent(data.kind, data.parent_id)
    now = clock.utcnow()
    unit = Unit(unit_id=new_id(), created_at=now, updated_at=now, **data.model_dump())
    store.save_unit(unit)
    return unit


def update_unit(principal: Principal, unit_id: str, data: UnitUpdate) -> Unit:
    require_role(principal, Role.admin)
    current, version = _found(store.unit_record(unit_id), "unit", unit_id)
    updated = _changed(current, data)
    if "parent_id" in data.model_fields_set:
        _check_parent(updated.kind, updated.parent_id, unit_id)
    store.save_unit(updated, previous_code=current.code, version=version)
    return updated


# ---------------------------------------------------------------- positions
def get_position(position_id: str) -> Position:
    position = store.get_position(position_id)
    if position is None:
        raise NotFound(f"position {position_id} does not exist", code="position_not_found")
    return position


def list_positions(principal: Principal, unit_id: str | None) -> list[Position]:
    return store.list_positions(unit_id)


def create_position(principal: Principal, data: PositionCreate) -> Position:
    require_role(principal, Role.admin)
    get_unit(data.unit_id)
    now = clock.utcnow()
    position = Position(position_id=new_id(), created_at=now, updated_at=now, **data.model_dump())
    store.save_position(position)
    return position


def update_position(principal: Principal, position_id: str, data: PositionUpdate) -> Position:
    require_role(principal, Role.admin)
    current, version = _found(store.position_record(position_id), "position", position_id)
    updated = _changed(current, data)
    store.save_position(updated, version=version)
    return updated


# ---------------------------------------------------------------- offices
def get_office(office_id: str) -> Office:
    office = store.get_office(office_id)
    if office is None:
        raise NotFound(f"office {office_id} does not exist", code="office_not_found")
    return office


def list_offices(principal: Principal, unit_id: str | None) -> list[Office]:
    return store.list_offices(unit_id)


def _check_polygon(polygon: list[GeoPoint] | None) -> None:
    """A drawn fence must be a simple ring of sensible size (``geo.polygon_problems``)."""
    if polygon is None:
        return
    # The geometry loads with the first fence drawn, not with /me at every API cold start.
    from eoffice.attendance import geo

    problems = geo.polygon_problems([(p.latitude, p.longitude) for p in polygon])
    if problems:
        raise InvalidInput(
            "the polygon cannot be a fence: " + "; ".join(problems), code="invalid_polygon"
        )


def create_office(principal: Principal, data: OfficeCreate) -> Office:
    """Save a new office and give it to the employees left without any.

    An employee created with no office named gets his unit's, or the nearest unit's above
    (``unit_office_ids``); one created before any existed holds ``[]`` and could never check in.
    So the active employees with no office, of the office's unit or of a unit below it whose
    default offices now include this one (a unit below with offices of its own keeps those), get
    it too. Employees who have offices, even other units', keep exactly theirs."""
    require_role(principal, Role.admin)
    _check_polygon(data.polygon)
    get_unit(data.unit_id)
    now = clock.utcnow()
    office = Office(office_id=new_id(), created_at=now, updated_at=now, **data.model_dump())
    store.save_office(office)
    _give_to_employees_without_office(office)
    return office


def _give_to_employees_without_office(office: Office) -> None:
    """One Query for the units, one for the offices, one per unit that defaults to ``office``,
    then a bulk write of the employees it reaches (with their versions, as an import does)."""
    units = store.list_units()
    offices_of: dict[str, list[str]] = {}
    for other in store.list_offices():  # the index may not show the new office yet
        if other.office_id != office.office_id:
            offices_of.setdefault(other.unit_id, []).append(other.office_id)
    offices_of.setdefault(office.unit_id, []).append(office.office_id)
    reached = {office.unit_id} | hierarchy.descendants(office.unit_id, units)
    now = clock.utcnow()
    changed: list[tuple[Employee, int]] = []
    for unit_id in sorted(reached):
        defaults = hierarchy.default_office_ids(unit_id, units, offices_of, MAX_OFFICES)
        if office.office_id not in defaults:
            continue
        for employee, version in store.unit_employee_records(unit_id):
            if employee.active and not employee.office_ids:
                update = {"office_ids": [office.office_id], "updated_at": now}
                changed.append((employee.model_copy(update=update), version))
    if changed:
        store.write_employees([], changed)


def update_office(principal: Principal, office_id: str, data: OfficeUpdate) -> Office:
    require_role(principal, Role.admin)
    _check_polygon(data.polygon)
    current, version = _found(store.office_record(office_id), "office", office_id)
    updated = _changed(current, data)
    if "polygon" in data.model_fields_set:  # as points, not the dicts _changed dumped
        updated = updated.model_copy(update={"polygon": data.polygon})
    store.save_office(updated, version=version)
    return updated


# ---------------------------------------------------------------- employees
def check_placement(unit_id: str, position_id: str | None, office_ids: list[str]) -> None:
    """The unit exists, the position belongs to it, and every office exists (any unit's: a
    building may house several units)."""
    get_unit(unit_id)
    if position_id is not None and get_position(position_id).unit_id != unit_id:
        raise InvalidInput(
            f"position {position_id} does not belong to unit {unit_id}", code="invalid_position"
        )
    missing = sorted(set(office_ids) - set(store.offices_by_id(office_ids))) if office_ids else []
    if missing:
        raise InvalidInput(
            f"no office has the id {', '.join(missing)}", code="invalid_office", missing=missing
        )


def unit_office_ids(unit_id: str) -> list[str]:
    """The offices an employee of ``unit_id`` gets when nobody names his (two Queries): his
    unit's, else the nearest unit's above (``hierarchy.default_office_ids``)."""
    offices_of: dict[str, list[str]] = {}
    for office in store.list_offices():
        offices_of.setdefault(office.unit_id, []).append(office.office_id)
    return hierarchy.default_office_ids(unit_id, store.list_units(), offices_of, MAX_OFFICES)


def check_employment(employee: Employee | EmployeeCreate) -> None:
    """His employment dates are in order (422 ``invalid_employment_dates``). A change is checked
    on the record as it will be saved, so a change of one date is judged against the other."""
    problem = employment_problem(employee.employed_from, employee.employed_until)
    if problem:
        raise InvalidInput(problem, code="invalid_employment_dates")


def _view(employee: Employee, sign_in: SignInStatus | None = None) -> EmployeeView:
    status = sign_in or requesting.statuses([employee])[employee.nip]
    return EmployeeView(**employee.model_dump(), sign_in=status)


def create_employee(principal: Principal, data: EmployeeCreate) -> EmployeeView:
    """Save him, then queue his Cognito sign-in when he has an e-mail (``signins``)."""
    require_role(principal, Role.admin)
    check_employment(data)
    office_ids = unit_office_ids(data.unit_id) if data.office_ids is None else data.office_ids
    check_placement(data.unit_id, data.position_id, office_ids)
    now = clock.utcnow()
    fields = {**data.model_dump(), "office_ids": office_ids}
    employee = Employee(created_at=now, updated_at=now, **fields)
    store.create_employee(employee)
    return _view(employee, requesting.after_save(employee))


def get_employee(principal: Principal, nip: str) -> EmployeeView:
    if nip != principal.nip:
        _require_personnel_reader(principal)
    employee = store.get_employee(nip)
    if employee is None:
        raise NotFound(f"no employee has NIP {nip}", code="employee_not_found")
    return _view(employee)


def update_employee(principal: Principal, nip: str, data: EmployeeUpdate) -> EmployeeView:
    """Change him; deactivating disables his sign-in, reactivating enables it, and an e-mail
    given to one who had none queues his invitation (``signins``)."""
    require_role(principal, Role.admin)
    current, version = _found(store.employee_record(nip), "employee", nip)
    updated = _tpp_amount_after(_changed(current, data, exclude=_TPP_AMOUNT_FIELDS), data)
    updated = updated.model_copy(update={"office_ids": _offices_after(current, updated, data)})
    check_employment(updated)
    if {"unit_id", "position_id", "office_ids"} & data.model_fields_set:
        check_placement(updated.unit_id, updated.position_id, updated.office_ids)
    store.update_employee(updated, version)
    return _view(updated, requesting.after_save(updated))


_TPP_AMOUNT_FIELDS = frozenset({"tpp_amount", "tpp_amount_from"})


def _tpp_amount_after(employee: Employee, data: EmployeeUpdate) -> Employee:
    """A new amount is paid from the month named, else from the current one (or from the start
    for his first); earlier months keep what they had (``tpp_amounts``)."""
    if data.tpp_amount is None:
        if data.tpp_amount_from is not None or "tpp_amount" in data.model_fields_set:
            raise InvalidInput(
                "tpp_amount must be whole Rupiah (0 for none); tpp_amount_from needs it",
                code="tpp_amount_required",
            )
        return employee
    return tpp_amounts.set_amount(employee, data.tpp_amount, data.tpp_amount_from)


def _offices_after(current: Employee, updated: Employee, data: EmployeeUpdate) -> list[str]:
    """Offices named in the change win ([] for none); without them, a move to another unit
    takes that unit's offices, and otherwise they stay."""
    if data.office_ids is not None:
        return data.office_ids
    if updated.unit_id != current.unit_id:
        return unit_office_ids(updated.unit_id)
    return current.office_ids


def list_employees(
    principal: Principal, unit_id: str | None, *, limit: int, cursor: str | None
) -> tuple[list[EmployeeView], str | None]:
    """A page of employees with their sign-ins (one more BatchGet per 100)."""
    _require_personnel_reader(principal)
    employees, next_cursor = store.list_employees(unit_id, limit=limit, cursor=cursor)
    sign_ins = requesting.statuses(employees)
    return [_view(e, sign_ins[e.nip]) for e in employees], next_cursor


def _require_personnel_reader(principal: Principal) -> None:
    if not principal.has_any(*PERSONNEL_READERS):
        raise Forbidden(
            "only admins and hr (BKPSDM) may read other employees' records", code="role_required"
        )


# ---------------------------------------------------------------- acting officials
def create_acting(principal: Principal, data: ActingCreate) -> ActingAssignment:
    """Record that ``actor_nip`` acts (Plt/Plh) in a head's position for a date range."""
    require_role(principal, Role.admin)
    actor = store.get_employee(data.actor_nip)
    if actor is None or not actor.active:
        raise InvalidInput(f"no active employee has NIP {data.actor_nip}", code="invalid_actor")
    position = get_position(data.position_id)
    if not position.is_head:
        raise InvalidInput(
            "an acting official acts in a head's position", code="not_a_head_position"
        )
    acting = ActingAssignment(
        acting_id=new_id(),
        unit_id=position.unit_id,
        created_at=clock.utcnow(),
        **data.model_dump(),
    )
    store.save_acting(acting, actor.username)
    return acting


def list_acting(principal: Principal, not_ended_by: date | None) -> list[ActingAssignment]:
    require_role(principal, Role.admin)
    return store.list_acting(not_ended_by or clock.today())


# ---------------------------------------------------------------- the caller
def me(principal: Principal) -> Me:
    """The caller's record, unit, roles and acting assignments in force (one more GetItem)."""
    return Me(
        employee=principal.employee,
        unit=get_unit(principal.unit_id),
        roles=sorted(principal.roles),
        acting=list(principal.acting),
        acting_for=[_acting_for(acting) for acting in principal.acting],
    )


def _acting_for(acting: ActingAssignment) -> ActingFor:
    """The post a Plt/Plh fills and its absent holder (a Query of the unit's employees)."""
    position = store.get_position(acting.position_id)
    unit = store.get_unit(acting.unit_id)
    holder = next(
        (
            e
            for e in store.unit_employees(acting.unit_id)
            if e.active and e.position_id == acting.position_id
        ),
        None,
    )
    return ActingFor(
        acting_id=acting.acting_id,
        capacity=acting.capacity,
        position_id=acting.position_id,
        position_name=position.name if position else acting.position_id,
        unit_id=acting.unit_id,
        unit_name=unit.name if unit else acting.unit_id,
        nip=holder.nip if holder else None,
        name=holder.name if holder else None,
    )
