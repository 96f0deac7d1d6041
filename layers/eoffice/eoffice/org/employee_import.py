"""Bulk import of employees from a CSV file, as BKPSDM keeps them.

All or nothing: every row is checked first (fields, references to units, positions and offices,
duplicates within the file, usernames taken by someone else); if any row is bad, nothing is written
and every bad row is reported. Only a clean file is applied, with idempotent puts, so importing the
same file again after an interruption converges to the same state.

Columns (header required, order free): ``nip, name, unit_code, position, roles, tpp_amount,
office_ids, active, username, email``. ``position`` is an id or the exact name within the unit;
``office_ids`` are offices separated by ``;``, each an id (of any unit: buildings are shared) or
the exact name of one of the unit's offices; the older single-office columns ``office_id`` and
``office`` are still read. Empty offices: a new employee gets every office of his unit, an
existing one keeps his, or gets his new unit's offices when the row moves him. ``roles`` are
separated by ``;``; ``tpp_amount`` is whole Rupiah, ``12500000`` or ``12.500.000``; ``active`` is
true/false, ya/tidak or 1/0 (default true). ``employed_from`` and ``employed_until`` (TMT: his
first and last day here) are ISO dates, ``2026-11-11``; an empty cell is no date. A file without
these columns keeps an existing employee's dates; one with them sets them, empty cells clearing.
Likewise a file without ``tpp_amount`` keeps the existing amounts; a changed amount is paid from
the current month on and earlier months keep theirs (``eoffice.org.tpp_amounts``).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from pydantic import ValidationError

from eoffice import clock
from eoffice.auth import Principal, require_role
from eoffice.errors import InvalidInput, PayloadTooLarge
from eoffice.org import hierarchy, store, tpp_amounts
from eoffice.org.admin_models import MAX_OFFICES, EmployeeCreate, ImportReport
from eoffice.org.import_rows import (
    RowError,
    RowProblem,
    RowProblemCode,
    RowValueError,
    cell,
    row_error,
)
from eoffice.org.models import Employee, Office, Position, Role, Unit, employment_problem
from eoffice.signins import requesting

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
MAX_ROWS_REPORTED = 1_000
"""Bad rows listed in one answer: 10,000 with their problems could pass Lambda's 6 MB answer."""
REQUIRED_COLUMNS = ("nip", "name", "unit_code", "username")
EMPLOYMENT_COLUMNS = ("employed_from", "employed_until")
KNOWN_COLUMNS = {
    *REQUIRED_COLUMNS,
    "position",
    "roles",
    "tpp_amount",
    "office_ids",
    "office_id",  # before employees had several offices
    "office",  # the same, by id or name
    "active",
    "email",
    *EMPLOYMENT_COLUMNS,
}
_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TRUE = {"", "true", "ya", "y", "1", "yes", "aktif"}
_FALSE = {"false", "tidak", "t", "0", "no", "nonaktif"}


@dataclass
class _Reference:
    """The org chart, read once per import, to resolve codes and names without a call a row."""

    units_by_code: dict[str, Unit]
    positions: dict[str, list[Position]] = field(default_factory=dict)
    offices: dict[str, list[Office]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> _Reference:
        ref = cls({unit.code: unit for unit in store.list_units()})
        for position in store.list_positions():
            ref.positions.setdefault(position.unit_id, []).append(position)
        for office in store.list_offices():
            ref.offices.setdefault(office.unit_id, []).append(office)
        return ref

    def position_id(self, unit_id: str, value: str) -> str:
        candidates = self.positions.get(unit_id, [])
        found = _match(candidates, value, "position_id")
        if found is None:
            raise _unknown(RowProblemCode.unknown_position, "position", value)
        return found

    def office_id(self, unit_id: str, value: str) -> str:
        # An employee may be assigned to another unit's office (a shared building), so an id
        # is looked up everywhere; a name only within the unit.
        everywhere = [office for offices in self.offices.values() for office in offices]
        if any(office.office_id == value for office in everywhere):
            return value
        found = _match(self.offices.get(unit_id, []), value, "office_id")
        if found is None:
            raise _unknown(RowProblemCode.unknown_office, "office_ids", value)
        return found

    def office_ids(self, unit_id: str, row: Mapping[str, str]) -> list[str] | None:
        """The offices a row names in any office column, in order; None when it names none."""
        values = [
            part.strip()
            for column in ("office_ids", "office_id", "office")
            for part in (row.get(column) or "").split(";")
            if part.strip()
        ]
        if not values:
            return None
        return list(dict.fromkeys(self.office_id(unit_id, value) for value in values))

    def unit_office_ids(self, unit_id: str) -> list[str]:
        """What ``service.unit_office_ids`` answers, from the chart read once."""
        offices_of = {
            unit: [office.office_id for office in offices] for unit, offices in self.offices.items()
        }
        units = self.units_by_code.values()
        return hierarchy.default_office_ids(unit_id, units, offices_of, MAX_OFFICES)


def _match(candidates: list[Position] | list[Office], value: str, id_field: str) -> str | None:
    for candidate in candidates:
        if getattr(candidate, id_field) == value or candidate.name.casefold() == value.casefold():
            return str(getattr(candidate, id_field))
    return None


def _unknown(code: RowProblemCode, column: str, value: str) -> RowValueError:
    what = column.removesuffix("_ids").removesuffix("_code")
    return RowValueError(code, column, value, f"{what} '{value}' does not exist in this unit")


def parse_rupiah(value: str) -> int:
    text = value.strip()
    if _THOUSANDS.match(text):
        text = text.replace(".", "")
    if not text.isdigit():
        raise RowValueError(
            RowProblemCode.invalid_amount,
            "tpp_amount",
            value,
            f"tpp_amount '{value}' is not a whole Rupiah amount",
        )
    return int(text)


def parse_active(value: str) -> bool:
    text = value.strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise RowValueError(
        RowProblemCode.invalid_active, "active", value, f"active '{value}' must be true or false"
    )


def parse_date(value: str, column: str) -> date | None:
    """An ISO date (``2026-11-11``), or None for an empty cell."""
    text = value.strip()
    if not text:
        return None
    try:
        if _ISO_DATE.match(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise RowValueError(
        RowProblemCode.invalid_date,
        column,
        value,
        f"{column} '{value}' is not a date as YYYY-MM-DD",
    )


def _employment(row: Mapping[str, str]) -> dict[str, date | None]:
    """The employment dates of the columns the file has: a column it lacks is left unset, so
    that an existing employee keeps that date (``_dates``)."""
    return {
        column: parse_date(row[column], column) for column in EMPLOYMENT_COLUMNS if column in row
    }


def _role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        message = f"role '{value}' is not one of {', '.join(role.value for role in Role)}"
        raise RowValueError(RowProblemCode.invalid_value, "roles", value, message) from None


def _row_to_create(row: Mapping[str, str], ref: _Reference) -> EmployeeCreate:
    """One row as an EmployeeCreate; raises ValueError or ValidationError with the reasons."""
    code = (row.get("unit_code") or "").strip().upper()
    unit = ref.units_by_code.get(code)
    if unit is None:
        raise RowValueError(
            RowProblemCode.unknown_unit, "unit_code", code, f"unit_code '{code}' does not exist"
        )
    position = (row.get("position") or "").strip()
    roles = [part.strip() for part in (row.get("roles") or "staff").split(";") if part.strip()]
    return EmployeeCreate(
        nip=(row.get("nip") or "").strip(),
        name=row.get("name") or "",
        unit_id=unit.unit_id,
        position_id=ref.position_id(unit.unit_id, position) if position else None,
        roles=[_role(role) for role in roles],
        **({"tpp_amount": parse_rupiah(row["tpp_amount"] or "0")} if "tpp_amount" in row else {}),
        office_ids=ref.office_ids(unit.unit_id, row),
        active=parse_active(row.get("active") or ""),
        username=row.get("username") or "",
        email=(row.get("email") or "").strip() or None,
        **_employment(row),
    )


_COLUMN_OF = {"unit_id": "unit_code", "position_id": "position"}
"""EmployeeCreate's fields that a CSV column of another name fills."""


def _problems(error: ValueError | ValidationError) -> list[RowProblem]:
    if isinstance(error, RowValueError):
        return [error.problem]
    if not isinstance(error, ValidationError):
        return [
            RowProblem(
                code=RowProblemCode.invalid_value, column=None, value=None, message=str(error)
            )
        ]
    return [
        RowProblem(
            code=RowProblemCode.invalid_value,
            column=_COLUMN_OF.get(str(e["loc"][0]), str(e["loc"][0])) if e["loc"] else None,
            value=cell(e.get("input")),
            message=f"{'.'.join(str(part) for part in e['loc']) or 'row'}: {e['msg']}",
        )
        for e in error.errors()
    ]


def _read_rows(text: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    unknown = [name for name in header if name not in KNOWN_COLUMNS]
    if missing or unknown:
        raise InvalidInput(
            f"CSV header: missing columns {missing or 'none'}, unknown columns {unknown or 'none'}",
            code="invalid_csv_header",
        )
    reader.fieldnames = header
    rows = [{k: (v or "") for k, v in row.items() if k is not None} for row in reader]
    if len(rows) > MAX_ROWS:
        raise InvalidInput(f"at most {MAX_ROWS} rows per import", code="too_many_rows")
    return rows


def import_employees(principal: Principal, body: bytes, *, dry_run: bool = False) -> ImportReport:
    """Check every row; apply all of them only when none is bad, else raise ``import_rejected``
    listing every bad row. A dry run checks the same and answers what would be written, writing
    nothing. An applied import queues the sign-ins it needs (``signins.requesting``)."""
    require_role(principal, Role.admin)
    if len(body) > MAX_BYTES:
        raise PayloadTooLarge(f"a CSV import is at most {MAX_BYTES} bytes", code="csv_too_large")
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput(
            "the CSV file must be UTF-8 text", code="invalid_csv_encoding"
        ) from error
    rows = _read_rows(text)
    ref = _Reference.load()
    parsed, errors = _validate_rows(rows, ref)
    existing = store.employees_by_nip([data.nip for _, data in parsed])
    owners = store.username_owners([data.username for _, data in parsed])
    for line, data in parsed:
        problem = _conflict(data, existing, owners)
        if problem:
            errors.append(row_error(line, data.nip, [problem]))
    if errors:
        errors.sort(key=lambda error: error.row)
        listed = errors[:MAX_ROWS_REPORTED]
        more = f" (the first {len(listed)} listed)" if len(listed) < len(errors) else ""
        raise InvalidInput(
            f"{len(errors)} of {len(rows)} rows are invalid{more}; nothing was imported",
            code="import_rejected",
            rows=[error.model_dump() for error in listed],
            rows_invalid=len(errors),
        )
    new, changed = _planned([data for _, data in parsed], existing, ref)
    employees = [*new, *(employee for employee, _ in changed)]
    if not dry_run:
        store.write_employees(new, changed)
    sign_ins = requesting.for_import(principal, employees, dry_run=dry_run)
    return ImportReport(
        rows=len(rows),
        created=len(new),
        updated=len(changed),
        dry_run=dry_run,
        sign_ins=sign_ins,
    )


def _validate_rows(
    rows: list[dict[str, str]], ref: _Reference
) -> tuple[list[tuple[int, EmployeeCreate]], list[RowError]]:
    parsed: list[tuple[int, EmployeeCreate]] = []
    errors: list[RowError] = []
    seen_nips: dict[str, int] = {}
    seen_usernames: dict[str, int] = {}
    for line, row in enumerate(rows, start=2):
        try:
            data = _row_to_create(row, ref)
        except (ValueError, ValidationError) as error:
            errors.append(row_error(line, row.get("nip") or None, _problems(error)))
            continue
        duplicate = [
            RowProblem(
                code=RowProblemCode.duplicate_in_file,
                column=column,
                value=str(seen[key]),
                message=f"{label} also on line {seen[key]}",
            )
            for label, column, key, seen in (
                ("NIP", "nip", data.nip, seen_nips),
                ("username", "username", data.username, seen_usernames),
            )
            if key in seen
        ]
        seen_nips.setdefault(data.nip, line)
        seen_usernames.setdefault(data.username, line)
        if duplicate:
            errors.append(row_error(line, data.nip, duplicate))
        else:
            parsed.append((line, data))
    return parsed, errors


def _conflict(
    data: EmployeeCreate, existing: Mapping[str, tuple[Employee, int]], owners: Mapping[str, str]
) -> RowProblem | None:
    owner = owners.get(data.username)
    if owner is not None and owner != data.nip:
        message = f"username {data.username} belongs to NIP {owner}"
        return RowProblem(
            code=RowProblemCode.username_taken, column="username", value=owner, message=message
        )
    current = existing.get(data.nip)
    if current is not None and current[0].username != data.username:
        was = current[0].username
        message = f"NIP {data.nip} signs in as {was}; a username cannot change"
        return RowProblem(
            code=RowProblemCode.username_fixed, column="username", value=was, message=message
        )
    problem = employment_problem(**_dates(data, current[0] if current else None))
    if problem is None:
        return None
    return RowProblem(
        code=RowProblemCode.employment_dates, column="employed_until", value=None, message=problem
    )


def _dates(data: EmployeeCreate, current: Employee | None) -> dict[str, date | None]:
    """The row's employment dates; a column the file lacks keeps the existing employee's."""
    return {
        column: getattr(
            current if current and column not in data.model_fields_set else data, column
        )
        for column in EMPLOYMENT_COLUMNS
    }


def _offices(data: EmployeeCreate, current: Employee | None, ref: _Reference) -> list[str]:
    """Named offices win; else a new or moved employee gets his unit's, others keep theirs."""
    if data.office_ids is not None:
        return data.office_ids
    if current is not None and current.unit_id == data.unit_id:
        return current.office_ids
    return ref.unit_office_ids(data.unit_id)


def _planned(
    rows: list[EmployeeCreate],
    existing: Mapping[str, tuple[Employee, int]],
    ref: _Reference,
) -> tuple[list[Employee], list[tuple[Employee, int]]]:
    """The records the rows make: new employees, and changed ones with the version read."""
    now = clock.utcnow()
    new: list[Employee] = []
    changed: list[tuple[Employee, int]] = []
    for data in rows:
        current = existing.get(data.nip)
        if current is None:
            fields = {**data.model_dump(), "office_ids": _offices(data, None, ref)}
            new.append(Employee(created_at=now, updated_at=now, **fields))
        else:
            employee, version = current
            fields = {
                **data.model_dump(exclude={"tpp_amount"}),
                "office_ids": _offices(data, employee, ref),
                **_dates(data, employee),
            }
            updated = employee.model_copy(update={**fields, "updated_at": now})
            if "tpp_amount" in data.model_fields_set:
                updated = tpp_amounts.set_amount(updated, data.tpp_amount, None)
            changed.append((updated, version))
    return new, changed
