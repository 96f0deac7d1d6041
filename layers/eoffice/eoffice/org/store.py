"""Data access for the organisation: one DynamoDB table (``ORG_TABLE``), several item kinds.

Access patterns (see docs/decisions/0004-table-design.md):
- a unit, position, office or employee by id: GetItem on ``pk``;
- all units / positions / offices, an agency's employees: Query ``gsi1`` (``UNITS``,
  ``POSITIONS#…``, ``OFFICES``, ``EMPLOYEES`` + ``{unit_id}#`` prefix);
- the caller from the token's username: one Query on ``gsi2`` (``USER#{username}``) that returns
  the employee and the acting assignments that have not ended;
- uniqueness of unit codes and usernames: guard items written in the same transaction.
The domain never builds a key itself: it calls the functions below.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any, TypeVar

from pynamodb.attributes import (
    BooleanAttribute,
    DiscriminatorAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.indexes import GlobalSecondaryIndex
from pynamodb.transactions import TransactWrite

from eoffice.dynamo import (
    Row,
    conflicts_as,
    connection,
    decode_cursor,
    encode_cursor,
    get_or_none,
    gsi,
    table_meta,
)
from eoffice.org.models import (
    ActingAssignment,
    Employee,
    GeoPoint,
    Office,
    Position,
    TppAmountPeriod,
    Unit,
)

_T = TypeVar("_T", bound="OrgItem")
_V = TypeVar("_V", bound="_Versioned")
_M = TypeVar("_M")
_BATCH_GET = 100


class OrgItem(Row):
    """Every item of the table; ``kind`` tells PynamoDB which subclass to build."""

    Meta = table_meta("ORG_TABLE")

    kind = DiscriminatorAttribute()
    by_collection: GlobalSecondaryIndex[OrgItem] = gsi(1)
    by_user: GlobalSecondaryIndex[OrgItem] = gsi(2)


class UniqueItem(OrgItem, discriminator="unique"):
    """Guards a unique value (a unit code, a username); ``owner`` is who holds it."""

    owner = UnicodeAttribute()


class _Versioned(OrgItem):
    version = VersionAttribute()
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()


class UnitItem(_Versioned, discriminator="unit"):
    unit_id = UnicodeAttribute()
    code = UnicodeAttribute()
    name = UnicodeAttribute()
    unit_kind = UnicodeAttribute()
    parent_id = UnicodeAttribute(null=True)
    active = BooleanAttribute(default=True)


class PositionItem(_Versioned, discriminator="position"):
    position_id = UnicodeAttribute()
    name = UnicodeAttribute()
    unit_id = UnicodeAttribute()
    is_head = BooleanAttribute(default=False)
    echelon = UnicodeAttribute(null=True)


class GeoPointAttribute(MapAttribute[str, Any]):
    latitude = NumberAttribute()
    longitude = NumberAttribute()


class OfficeItem(_Versioned, discriminator="office"):
    office_id = UnicodeAttribute()
    name = UnicodeAttribute()
    unit_id = UnicodeAttribute()
    latitude = NumberAttribute()
    longitude = NumberAttribute()
    radius_m = NumberAttribute()
    polygon = ListAttribute(of=GeoPointAttribute, null=True)
    address = UnicodeAttribute(null=True)


class TppAmountAttribute(MapAttribute[str, Any]):
    from_month = UnicodeAttribute(null=True)  # None: from the start
    amount = NumberAttribute()


class EmployeeItem(_Versioned, discriminator="employee"):
    nip = UnicodeAttribute()
    name = UnicodeAttribute()
    unit_id = UnicodeAttribute()
    position_id = UnicodeAttribute(null=True)
    roles = ListAttribute(of=UnicodeAttribute)
    tpp_amount = NumberAttribute()
    tpp_amounts = ListAttribute(of=TppAmountAttribute, null=True)  # absent: never changed
    office_ids = ListAttribute(of=UnicodeAttribute, null=True)
    office_id = UnicodeAttribute(null=True)  # items written before office_ids: read only
    active = BooleanAttribute(default=True)
    username = UnicodeAttribute()
    email = UnicodeAttribute(null=True)
    employed_from = UnicodeAttribute(null=True)  # ISO date; absent: no start known
    employed_until = UnicodeAttribute(null=True)  # ISO date; absent: still employed


class ActingItem(OrgItem, discriminator="acting"):
    acting_id = UnicodeAttribute()
    actor_nip = UnicodeAttribute()
    position_id = UnicodeAttribute()
    unit_id = UnicodeAttribute()
    capacity = UnicodeAttribute()
    starts_on = UnicodeAttribute()
    ends_on = UnicodeAttribute()
    decree_number = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()


# ---------------------------------------------------------------- keys
# The employee item sorts after every acting item on gsi2, so "acting not ended by DAY, and the
# employee" is one range condition: gsi2sk >= "ACT#{DAY}".
_EMPLOYEE_GSI2_SK = "~EMP"


def _unit_key(unit_id: str) -> str:
    return f"UNIT#{unit_id}"


def _employee_key(nip: str) -> str:
    return f"EMP#{nip}"


def _user_key(username: str) -> str:
    return f"USER#{username}"


def _unique_key(namespace: str, value: str) -> str:
    return f"{namespace}#{value}"


def _version(version: int | None) -> dict[str, Any]:
    """Keyword for an item's version: absent for a new item (PynamoDB then requires that none
    exists), else the version read, which the write must still find (optimistic locking)."""
    return {} if version is None else {"version": version}


# ---------------------------------------------------------------- conversions
def _unit(item: UnitItem) -> Unit:
    return Unit(
        unit_id=item.unit_id,
        code=item.code,
        name=item.name,
        kind=item.unit_kind,
        parent_id=item.parent_id,
        active=item.active,
        created_at=item.created_at,
        updated_at=item.updated_at,
    )


def _position(item: PositionItem) -> Position:
    return Position(
        position_id=item.position_id,
        name=item.name,
        unit_id=item.unit_id,
        is_head=item.is_head,
        echelon=item.echelon,
        created_at=item.created_at,
        updated_at=item.updated_at,
    )


def _office(item: OfficeItem) -> Office:
    return Office(
        office_id=item.office_id,
        name=item.name,
        unit_id=item.unit_id,
        latitude=float(item.latitude),
        longitude=float(item.longitude),
        radius_m=int(item.radius_m),
        polygon=[
            GeoPoint(latitude=float(point.latitude), longitude=float(point.longitude))
            for point in item.polygon
        ]
        if item.polygon
        else None,
        address=item.address,
        created_at=item.created_at,
        updated_at=item.updated_at,
    )


def _employee(item: EmployeeItem) -> Employee:
    return Employee(
        nip=item.nip,
        name=item.name,
        unit_id=item.unit_id,
        position_id=item.position_id,
        roles=list(item.roles),
        tpp_amount=int(item.tpp_amount),
        tpp_amounts=[
            TppAmountPeriod(from_month=p.from_month, amount=int(p.amount))
            for p in item.tpp_amounts or []
        ],
        office_ids=_office_ids(item),
        active=item.active,
        username=item.username,
        email=item.email,
        employed_from=_date_or_none(item.employed_from),
        employed_until=_date_or_none(item.employed_until),
        created_at=item.created_at,
        updated_at=item.updated_at,
    )


def _date_or_none(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _iso_or_none(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _office_ids(item: EmployeeItem) -> list[str]:
    """The stored list; an item from before offices were a list holds one ``office_id``."""
    if item.office_ids is not None:
        return [str(office_id) for office_id in item.office_ids]
    return [item.office_id] if item.office_id else []


def _acting(item: ActingItem) -> ActingAssignment:
    return ActingAssignment(
        acting_id=item.acting_id,
        actor_nip=item.actor_nip,
        position_id=item.position_id,
        unit_id=item.unit_id,
        capacity=item.capacity,
        starts_on=date.fromisoformat(item.starts_on),
        ends_on=date.fromisoformat(item.ends_on),
        decree_number=item.decree_number,
        created_at=item.created_at,
    )


def _collection(
    model: type[_T],
    pk: str,
    prefix: str = "",
    *,
    limit: int | None = None,
    cursor: str | None = None,
) -> tuple[list[_T], str | None]:
    condition = OrgItem.gsi1sk.startswith(prefix) if prefix else None
    result = OrgItem.by_collection.query(
        pk,
        condition,
        limit=limit,
        last_evaluated_key=decode_cursor(cursor, pk, prefix),
    )
    items = [item for item in result if isinstance(item, model)]
    return items, encode_cursor(result.last_evaluated_key) if limit else None


def _record(
    model: type[_V], pk: str, sk: str, convert: Callable[[_V], _M]
) -> tuple[_M, int] | None:
    item = _get(model, pk, sk)
    return (convert(item), int(item.version or 0)) if item else None


def _get(model: type[_T], pk: str, sk: str) -> _T | None:
    item = get_or_none(OrgItem, pk, sk)
    return item if isinstance(item, model) else None


# ---------------------------------------------------------------- units
def get_unit(unit_id: str) -> Unit | None:
    item = _get(UnitItem, _unit_key(unit_id), "UNIT")
    return _unit(item) if item else None


def unit_record(unit_id: str) -> tuple[Unit, int] | None:
    """The unit and the version read, for an optimistic update."""
    return _record(UnitItem, _unit_key(unit_id), "UNIT", _unit)


def unit_by_code(code: str) -> Unit | None:
    """One Query: units sit on gsi1 under ``UNITS`` sorted by code."""
    for item in OrgItem.by_collection.query("UNITS", OrgItem.gsi1sk == code.upper()):
        if isinstance(item, UnitItem):
            return _unit(item)
    return None


def list_units() -> list[Unit]:
    items, _ = _collection(UnitItem, "UNITS")
    return [_unit(item) for item in items]


def save_unit(unit: Unit, *, previous_code: str | None = None, version: int | None = None) -> None:
    """Create or update a unit; the code stays unique through a guard item in one transaction."""
    item = _unit_item(unit, version)
    conflict = f"unit code {unit.code} is taken, or the unit changed meanwhile"
    with conflicts_as(conflict), TransactWrite(connection=connection()) as tx:
        tx.save(item)
        if previous_code != unit.code:
            _claim(tx, "UNITCODE", unit.code, unit.unit_id)
            if previous_code:
                tx.delete(UniqueItem(_unique_key("UNITCODE", previous_code), "UNIQUE"))


def _unit_item(unit: Unit, version: int | None) -> UnitItem:
    return UnitItem(
        _unit_key(unit.unit_id),
        "UNIT",
        gsi1pk="UNITS",
        gsi1sk=f"{unit.code}",
        unit_id=unit.unit_id,
        code=unit.code,
        name=unit.name,
        unit_kind=unit.kind.value,
        parent_id=unit.parent_id,
        active=unit.active,
        created_at=unit.created_at,
        updated_at=unit.updated_at,
        **_version(version),
    )


def load_structure(
    units: Sequence[Unit], positions: Sequence[Position], offices: Sequence[Office]
) -> None:
    """Bulk load of a new, already consistent org chart (the demo regency, a migration): batch
    writes without the per-item conditions of the admin path, which cost a transaction each."""
    with OrgItem.batch_write() as batch:
        for unit in units:
            batch.save(_unit_item(unit, 1))
            batch.save(UniqueItem(_unique_key("UNITCODE", unit.code), "UNIQUE", owner=unit.unit_id))
        for position in positions:
            batch.save(_position_item(position, 1))
        for office in offices:
            batch.save(_office_item(office, 1))


def _claim(tx: TransactWrite, namespace: str, value: str, owner: str) -> None:
    guard = UniqueItem(_unique_key(namespace, value), "UNIQUE", owner=owner)
    tx.save(guard, condition=OrgItem.pk.does_not_exist())


# ---------------------------------------------------------------- positions and offices
def get_position(position_id: str) -> Position | None:
    item = _get(PositionItem, f"POS#{position_id}", "POSITION")
    return _position(item) if item else None


def position_record(position_id: str) -> tuple[Position, int] | None:
    """The position and the version read, for an optimistic update."""
    return _record(PositionItem, f"POS#{position_id}", "POSITION", _position)


def list_positions(unit_id: str | None = None) -> list[Position]:
    items, _ = _collection(PositionItem, "POSITIONS", f"{unit_id}#" if unit_id else "")
    return [_position(item) for item in items]


def save_position(position: Position, *, version: int | None = None) -> None:
    with conflicts_as("the position changed meanwhile"):
        _position_item(position, version).save()


def _position_item(position: Position, version: int | None) -> PositionItem:
    return PositionItem(
        f"POS#{position.position_id}",
        "POSITION",
        gsi1pk="POSITIONS",
        gsi1sk=f"{position.unit_id}#{position.position_id}",
        **_version(version),
        **position.model_dump(),
    )


def get_office(office_id: str) -> Office | None:
    item = _get(OfficeItem, f"OFFICE#{office_id}", "OFFICE")
    return _office(item) if item else None


def office_record(office_id: str) -> tuple[Office, int] | None:
    """The office and the version read, for an optimistic update."""
    return _record(OfficeItem, f"OFFICE#{office_id}", "OFFICE", _office)


def list_offices(unit_id: str | None = None) -> list[Office]:
    items, _ = _collection(OfficeItem, "OFFICES", f"{unit_id}#" if unit_id else "")
    return [_office(item) for item in items]


def offices_by_id(office_ids: Iterable[str]) -> dict[str, Office]:
    """The offices that exist among ``office_ids`` (BatchGet, 100 keys a call)."""
    keys = [(f"OFFICE#{office_id}", "OFFICE") for office_id in dict.fromkeys(office_ids)]
    found: dict[str, Office] = {}
    for start in range(0, len(keys), _BATCH_GET):
        for item in OrgItem.batch_get(keys[start : start + _BATCH_GET]):
            if isinstance(item, OfficeItem):
                found[item.office_id] = _office(item)
    return found


def office_key(office_id: str) -> dict[str, dict[str, str]]:
    """An office's key in the low-level client's form, for a BatchGetItem that spans tables
    (the check-in reads its offices with its own items in one call)."""
    return {"pk": {"S": f"OFFICE#{office_id}"}, "sk": {"S": "OFFICE"}}


def office_from_raw(item: dict[str, Any]) -> Office:
    """An office from an item the low-level client returned under an ``office_key``."""
    model = OrgItem.from_raw_data(item)
    if not isinstance(model, OfficeItem):
        raise ValueError(f"not an office item: {item.get('pk')}")
    return _office(model)


def save_office(office: Office, *, version: int | None = None) -> None:
    with conflicts_as("the office changed meanwhile"):
        _office_item(office, version).save()


def _office_item(office: Office, version: int | None) -> OfficeItem:
    fields = office.model_dump(exclude={"polygon"})
    polygon = (
        [GeoPointAttribute(latitude=p.latitude, longitude=p.longitude) for p in office.polygon]
        if office.polygon
        else None
    )
    return OfficeItem(
        f"OFFICE#{office.office_id}",
        "OFFICE",
        gsi1pk="OFFICES",
        gsi1sk=f"{office.unit_id}#{office.office_id}",
        polygon=polygon,
        **_version(version),
        **fields,
    )


# ---------------------------------------------------------------- employees
def _employee_item(employee: Employee, version: int | None) -> EmployeeItem:
    fields = employee.model_dump()
    fields["roles"] = [role.value for role in employee.roles]
    fields["tpp_amounts"] = [
        TppAmountAttribute(from_month=p.from_month, amount=p.amount) for p in employee.tpp_amounts
    ] or None
    fields["employed_from"] = _iso_or_none(employee.employed_from)
    fields["employed_until"] = _iso_or_none(employee.employed_until)
    return EmployeeItem(
        _employee_key(employee.nip),
        "EMPLOYEE",
        gsi1pk="EMPLOYEES",
        gsi1sk=f"{employee.unit_id}#{employee.name.casefold()}#{employee.nip}",
        gsi2pk=_user_key(employee.username),
        gsi2sk=_EMPLOYEE_GSI2_SK,
        **_version(version),
        **fields,
    )


def get_employee(nip: str) -> Employee | None:
    item = _get(EmployeeItem, _employee_key(nip), "EMPLOYEE")
    return _employee(item) if item else None


def employee_record(nip: str) -> tuple[Employee, int] | None:
    """The employee and the version read, for an optimistic update."""
    return _record(EmployeeItem, _employee_key(nip), "EMPLOYEE", _employee)


def create_employee(employee: Employee) -> None:
    """Write a new employee; fails with 409 when the NIP or the username is already taken."""
    with (
        conflicts_as(
            f"NIP {employee.nip} or username {employee.username} is already registered",
            code="employee_exists",
        ),
        TransactWrite(connection=connection()) as tx,
    ):
        tx.save(_employee_item(employee, None), condition=OrgItem.pk.does_not_exist())
        _claim(tx, "USERNAME", employee.username, employee.nip)


def update_employee(employee: Employee, version: int) -> None:
    """Replace an employee's record if nobody changed it since ``version`` was read."""
    item = _employee_item(employee, version)
    with conflicts_as("the employee changed meanwhile; reload and try again"):
        item.save()


def employees_by_nip(nips: Sequence[str]) -> dict[str, tuple[Employee, int]]:
    """Employees that exist among ``nips``, with their versions (BatchGet, 100 keys a call)."""
    found: dict[str, tuple[Employee, int]] = {}
    keys = [(_employee_key(nip), "EMPLOYEE") for nip in nips]
    for start in range(0, len(keys), _BATCH_GET):
        for item in OrgItem.batch_get(keys[start : start + _BATCH_GET]):
            if isinstance(item, EmployeeItem):
                found[item.nip] = (_employee(item), int(item.version or 0))
    return found


def username_owners(usernames: Iterable[str]) -> dict[str, str]:
    """Username -> NIP for the usernames already taken (BatchGet)."""
    keys = [(_unique_key("USERNAME", name), "UNIQUE") for name in set(usernames)]
    owners: dict[str, str] = {}
    for start in range(0, len(keys), _BATCH_GET):
        for item in OrgItem.batch_get(keys[start : start + _BATCH_GET]):
            if isinstance(item, UniqueItem):
                owners[item.pk.split("#", 1)[1]] = item.owner
    return owners


def write_employees(new: Sequence[Employee], changed: Sequence[tuple[Employee, int]]) -> None:
    """Bulk write of already validated employees: new ones with their username guards, changed
    ones (with the version read) over their record. Puts are idempotent, so a retried import
    converges."""
    with OrgItem.batch_write() as batch:
        for employee in new:
            batch.save(_employee_item(employee, 1))
            batch.save(
                UniqueItem(_unique_key("USERNAME", employee.username), "UNIQUE", owner=employee.nip)
            )
        for employee, version in changed:
            batch.save(_employee_item(employee, version + 1))


def list_employees(
    unit_id: str | None, *, limit: int, cursor: str | None
) -> tuple[list[Employee], str | None]:
    items, next_cursor = _collection(
        EmployeeItem, "EMPLOYEES", f"{unit_id}#" if unit_id else "", limit=limit, cursor=cursor
    )
    return [_employee(item) for item in items], next_cursor


def unit_employees(unit_id: str) -> list[Employee]:
    """Every employee of one unit (one Query, paged through by PynamoDB)."""
    items, _ = _collection(EmployeeItem, "EMPLOYEES", f"{unit_id}#")
    return [_employee(item) for item in items]


def unit_employee_records(unit_id: str) -> list[tuple[Employee, int]]:
    """Every employee of one unit with the version read, for ``write_employees`` (one Query)."""
    items, _ = _collection(EmployeeItem, "EMPLOYEES", f"{unit_id}#")
    return [(_employee(item), int(item.version or 0)) for item in items]


def nip_for_username(username: str) -> str | None:
    item = _get(UniqueItem, _unique_key("USERNAME", username), "UNIQUE")
    return item.owner if item else None


def caller(username: str, today: date) -> tuple[Employee, list[ActingAssignment]] | None:
    """The employee signed in as ``username`` and his acting assignments not ended by
    ``today``: one Query."""
    employee: Employee | None = None
    acting: list[ActingAssignment] = []
    condition = OrgItem.gsi2sk >= f"ACT#{today.isoformat()}"
    for item in OrgItem.by_user.query(_user_key(username), condition):
        if isinstance(item, EmployeeItem):
            employee = _employee(item)
        elif isinstance(item, ActingItem):
            acting.append(_acting(item))
    return (employee, acting) if employee else None


# ---------------------------------------------------------------- acting assignments
def save_acting(acting: ActingAssignment, actor_username: str) -> None:
    item = ActingItem(
        _employee_key(acting.actor_nip),
        f"ACTING#{acting.acting_id}",
        gsi1pk="ACTING",
        gsi1sk=f"{acting.ends_on.isoformat()}#{acting.acting_id}",
        gsi2pk=_user_key(actor_username),
        gsi2sk=f"ACT#{acting.ends_on.isoformat()}#{acting.acting_id}",
        acting_id=acting.acting_id,
        actor_nip=acting.actor_nip,
        position_id=acting.position_id,
        unit_id=acting.unit_id,
        capacity=acting.capacity.value,
        starts_on=acting.starts_on.isoformat(),
        ends_on=acting.ends_on.isoformat(),
        decree_number=acting.decree_number,
        created_at=acting.created_at,
    )
    item.save()


def list_acting(not_ended_by: date) -> list[ActingAssignment]:
    """Acting assignments whose end date is ``not_ended_by`` or later (one Query)."""
    result = OrgItem.by_collection.query("ACTING", OrgItem.gsi1sk >= not_ended_by.isoformat())
    return [_acting(item) for item in result if isinstance(item, ActingItem)]
