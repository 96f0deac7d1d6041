"""The organisation: the caller (``/me``), units, positions, offices, employees, acting officials.

Routes parse and answer; every rule (who may, what is consistent) is in ``eoffice.org.service``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from eoffice.http.body import raw_body
from eoffice.http.caller import caller
from eoffice.http.openapi import operation
from eoffice.org import service
from eoffice.org.admin_models import (
    ActingCreate,
    EmployeeCreate,
    EmployeeUpdate,
    EmployeeView,
    ImportReport,
    Me,
    OfficeCreate,
    OfficeUpdate,
    PositionCreate,
    PositionUpdate,
    UnitCreate,
    UnitUpdate,
)
from eoffice.org.models import ActingAssignment, Office, Position, Unit
from eoffice.paging import Page

router = APIGatewayHttpRouter()
ORG = ["organisation"]
UnitFilter = Annotated[str | None, Query(description="Only this unit's records")]


@router.get(
    "/me", **operation("getMe", "The caller: employee record, unit, roles, acting", tags=ORG)
)
def get_me() -> Me:
    return service.me(caller(router))


# ---------------------------------------------------------------- units
@router.get("/units", **operation("listUnits", "All units of the regency", tags=ORG))
def list_units() -> list[Unit]:
    return service.list_units(caller(router))


@router.post(
    "/units",
    **operation(
        "createUnit", "Create a unit (admin)", tags=ORG, errors=(403, 404, 409), status_code=201
    ),
)
def create_unit(body: UnitCreate) -> Unit:
    return service.create_unit(caller(router), body)


@router.get("/units/<unit_id>", **operation("getUnit", "One unit", tags=ORG, errors=(404,)))
def get_unit(unit_id: Annotated[str, Path()]) -> Unit:
    caller(router)
    return service.get_unit(unit_id)


@router.patch(
    "/units/<unit_id>",
    **operation("updateUnit", "Change a unit (admin)", tags=ORG, errors=(403, 404, 409)),
)
def update_unit(unit_id: Annotated[str, Path()], body: UnitUpdate) -> Unit:
    return service.update_unit(caller(router), unit_id, body)


# ---------------------------------------------------------------- positions
@router.get("/positions", **operation("listPositions", "Positions, of one unit or all", tags=ORG))
def list_positions(unit: UnitFilter = None) -> list[Position]:
    return service.list_positions(caller(router), unit)


@router.post(
    "/positions",
    **operation(
        "createPosition", "Create a position (admin)", tags=ORG, errors=(403, 404), status_code=201
    ),
)
def create_position(body: PositionCreate) -> Position:
    return service.create_position(caller(router), body)


@router.patch(
    "/positions/<position_id>",
    **operation("updatePosition", "Change a position (admin)", tags=ORG, errors=(403, 404, 409)),
)
def update_position(position_id: Annotated[str, Path()], body: PositionUpdate) -> Position:
    return service.update_position(caller(router), position_id, body)


# ---------------------------------------------------------------- offices
@router.get(
    "/offices", **operation("listOffices", "Office locations, of one unit or all", tags=ORG)
)
def list_offices(unit: UnitFilter = None) -> list[Office]:
    return service.list_offices(caller(router), unit)


@router.post(
    "/offices",
    **operation(
        "createOffice",
        "Create an office location (admin)",
        description="The fence is the `polygon` when given, else the circle of `radius_m` around "
        "the point. A polygon that cannot be a fence (fewer than 3 or more than 200 vertices, "
        "crossing edges, no area, a vertex over 5 km from the first) answers 422 "
        "`invalid_polygon` and nothing is saved.",
        tags=ORG,
        errors=(403, 404),
        status_code=201,
    ),
)
def create_office(body: OfficeCreate) -> Office:
    return service.create_office(caller(router), body)


@router.patch(
    "/offices/<office_id>",
    **operation(
        "updateOffice",
        "Change an office location (admin)",
        description="`polygon: null` goes back to the circle; an invalid polygon answers 422 "
        "`invalid_polygon`.",
        tags=ORG,
        errors=(403, 404, 409),
    ),
)
def update_office(office_id: Annotated[str, Path()], body: OfficeUpdate) -> Office:
    return service.update_office(caller(router), office_id, body)


# ---------------------------------------------------------------- employees
@router.get(
    "/employees",
    **operation("listEmployees", "Employees by unit and name (admin, hr)", tags=ORG, errors=(403,)),
)
def list_employees(
    unit: UnitFilter = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(description="From the previous page")] = None,
) -> Page[EmployeeView]:
    items, next_cursor = service.list_employees(caller(router), unit, limit=limit, cursor=cursor)
    return Page[EmployeeView](items=items, next_cursor=next_cursor)


@router.post(
    "/employees",
    **operation(
        "createEmployee",
        "Register an employee (admin)",
        description="Without `office_ids` he gets every office of his unit; `[]` means none. "
        "An unknown office id answers 422 `invalid_office`. With an `email` (and active), his "
        "Cognito sign-in is queued (`sign_in.state: pending`, then `created`); without one he "
        "gets none (`sign_in.reason: no_email`).",
        tags=ORG,
        errors=(403, 404, 409),
        status_code=201,
    ),
)
def create_employee(body: EmployeeCreate) -> EmployeeView:
    return service.create_employee(caller(router), body)


@router.post(
    "/employees/import",
    **operation(
        "importEmployees",
        "Import employees from CSV (admin): every row or none",
        description="Body: `text/csv` with the columns nip, name, unit_code, position, roles, "
        "tpp_amount, office_ids (separated by `;`; the older `office_id` or `office` column is "
        "read too), active, username, email, employed_from, employed_until. A file without "
        "tpp_amount or the employment dates keeps an employee's; a changed tpp_amount is paid "
        "from the current month (a first one of a record made this month: from the start). "
        "Answers 200 when every row was "
        "written, or 422 `import_rejected` listing each bad row (`rows`) when none was. "
        "`dry_run=true` checks the same and answers what would be written (`dry_run: true`), "
        "writing and queueing nothing. An applied import queues a Cognito sign-in for each "
        "active employee with an e-mail who has none (`sign_ins`: the job to follow at "
        "`GET /sign-ins/jobs/{job_id}`, and how many were queued).",
        tags=ORG,
        errors=(403, 413, 415),
        raw_body="text/csv",
    ),
)
def import_employees(
    dry_run: Annotated[bool, Query(description="Only check; write nothing")] = False,
) -> ImportReport:
    # The CSV import (its row parser, csv) loads with the first import, not at every cold start:
    # an administrator's rare request (issue 19).
    from eoffice.org import employee_import

    body = raw_body(router, "text/csv")
    return employee_import.import_employees(caller(router), body, dry_run=dry_run)


@router.get(
    "/employees/<nip>",
    **operation("getEmployee", "One employee (admin, hr, or oneself)", tags=ORG, errors=(403, 404)),
)
def get_employee(nip: Annotated[str, Path()]) -> EmployeeView:
    return service.get_employee(caller(router), nip)


@router.patch(
    "/employees/<nip>",
    **operation(
        "updateEmployee",
        "Change an employee (admin)",
        description="Moving him to another unit without `office_ids` gives him that unit's "
        "offices; `office_ids` replaces his offices (`[]`: none). `active: false` disables his "
        "Cognito sign-in, `active: true` enables it again (queued: `sign_in` shows it done).",
        tags=ORG,
        errors=(403, 404, 409),
    ),
)
def update_employee(nip: Annotated[str, Path()], body: EmployeeUpdate) -> EmployeeView:
    return service.update_employee(caller(router), nip, body)


# ---------------------------------------------------------------- acting officials
@router.get(
    "/acting-assignments",
    **operation("listActing", "Plt/Plh assignments not yet ended (admin)", tags=ORG, errors=(403,)),
)
def list_acting(
    not_ended_by: Annotated[date | None, Query(description="Default: today")] = None,
) -> list[ActingAssignment]:
    return service.list_acting(caller(router), not_ended_by)


@router.post(
    "/acting-assignments",
    **operation(
        "createActing", "Appoint a Plt/Plh (admin)", tags=ORG, errors=(403, 404), status_code=201
    ),
)
def create_acting(body: ActingCreate) -> ActingAssignment:
    return service.create_acting(caller(router), body)
