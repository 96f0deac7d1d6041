"""What the organisation's administration routes exchange: what an admin sends to create or
change units, positions, offices, employees and acting assignments (``*Create``, ``*Update``), and
the answers only those routes give (``Me``, the CSV import's report).

Apart from ``models`` (the organisation's records, which every function reads) so that a function
that never administers the organisation (check-in, signing, TPP, intake) does not build these
classes at its cold start.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from eoffice.models import InputModel, Latitude, Longitude, Month, OutputModel
from eoffice.org.models import (
    EMPLOYED_FROM_DOC,
    EMPLOYED_UNTIL_DOC,
    ActingAssignment,
    ActingCapacity,
    Email,
    Employee,
    GeoPoint,
    Nip,
    Role,
    Unit,
    UnitKind,
)
from eoffice.signins.models import SignInsQueued, SignInStatus

UnitCode = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, pattern=r"^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,30}[A-Za-z0-9])?$"
    ),
    AfterValidator(str.upper),
]
Username = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$"),
    AfterValidator(str.lower),
]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=200)]
Rupiah = Annotated[int, Field(ge=0, le=1_000_000_000, description="Whole Rupiah")]


class UnitCreate(InputModel):
    code: UnitCode = Field(description="Short code used in letter numbers and scanner folders")
    name: Name
    kind: UnitKind
    parent_id: str | None = Field(None, description="The unit above; only the regency has none")


class UnitUpdate(InputModel):
    code: UnitCode | None = None
    name: Name | None = None
    parent_id: str | None = None
    active: bool | None = None


class PositionCreate(InputModel):
    name: Name = Field(description="e.g. Kepala Dinas Komunikasi dan Informatika")
    unit_id: str
    is_head: bool = Field(False, description="Whether the holder heads the unit")
    echelon: str | None = Field(None, max_length=10, description="e.g. II.b, III.a")


class PositionUpdate(InputModel):
    name: Name | None = None
    is_head: bool | None = None
    echelon: str | None = Field(None, max_length=10)


_POLYGON_DOC = (
    "The check-in fence as a ring of 3-200 vertices (closing vertex optional, either "
    "orientation, no self-intersection, all within 5 km of the first). When given, it is the "
    "fence and radius_m is not used; otherwise the circle of radius_m around the office's point. "
    "Draw it around the building plus ~20 m."
)


# The API's bound; polygon_problems says why more than 200 vertices are refused (422).
FencePolygon = Annotated[list[GeoPoint], Field(max_length=1000, description=_POLYGON_DOC)]


class OfficeCreate(InputModel):
    name: Name
    unit_id: str
    latitude: Latitude = Field(description="The office's point on a map")
    longitude: Longitude
    radius_m: int = Field(100, ge=10, le=2000, description="Check-in radius in metres")
    polygon: FencePolygon | None = None
    address: str | None = Field(None, max_length=300)


class OfficeUpdate(InputModel):
    name: Name | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    radius_m: int | None = Field(None, ge=10, le=2000)
    polygon: FencePolygon | None = Field(None, description="null: back to the circle")
    address: str | None = Field(None, max_length=300)


def _unique(ids: list[str]) -> list[str]:
    if len(set(ids)) != len(ids):
        raise ValueError("office_ids must not repeat an office")
    return ids


MAX_OFFICES = 10


OfficeIds = Annotated[
    list[Annotated[str, StringConstraints(min_length=1, max_length=64)]],
    Field(max_length=MAX_OFFICES),
    AfterValidator(_unique),
]


class EmployeeCreate(InputModel):
    nip: Nip
    name: Name
    unit_id: str
    position_id: str | None = None
    roles: list[Role] = Field(default_factory=lambda: [Role.staff], min_length=1)
    tpp_amount: Rupiah = Field(0, description="Full monthly TPP before deductions, whole Rupiah")
    office_ids: OfficeIds | None = Field(
        None,
        description="Where he may check in. Omitted: every office of his unit; [] for none",
    )
    active: bool = True
    username: Username
    email: Email | None = None
    employed_from: date | None = Field(None, description=EMPLOYED_FROM_DOC)
    employed_until: date | None = Field(None, description=EMPLOYED_UNTIL_DOC)


class EmployeeUpdate(InputModel):
    name: Name | None = None
    unit_id: str | None = None
    position_id: str | None = None
    roles: list[Role] | None = Field(None, min_length=1)
    tpp_amount: Rupiah | None = None
    tpp_amount_from: Month | None = Field(
        None,
        description="The first month (YYYY-MM) the new tpp_amount is paid for, earlier or later "
        "than now; default: the current month (WITA). Other months keep their amounts",
    )
    office_ids: OfficeIds | None = Field(
        None,
        description="Replaces his offices. Omitted while unit_id changes: the new unit's offices",
    )
    active: bool | None = None
    email: Email | None = None
    employed_from: date | None = Field(None, description=EMPLOYED_FROM_DOC + "; null clears")
    employed_until: date | None = Field(None, description=EMPLOYED_UNTIL_DOC + "; null clears")


class ActingCreate(InputModel):
    actor_nip: Nip = Field(description="Who acts")
    position_id: str = Field(description="The head's position acted in")
    capacity: ActingCapacity
    starts_on: date
    ends_on: date
    decree_number: str | None = Field(None, max_length=100, description="Nomor surat perintah")

    @model_validator(mode="after")
    def _ordered(self) -> ActingCreate:
        if self.ends_on < self.starts_on:
            raise ValueError("ends_on must not be before starts_on")
        return self


class ActingFor(OutputModel):
    """Whose work a Plt/Plh does today: the post, and the absent official holding it (none when
    the post is vacant: letters to the unit's head then reach the Plt himself)."""

    acting_id: str
    capacity: ActingCapacity
    position_id: str
    position_name: str
    unit_id: str
    unit_name: str
    nip: str | None = Field(
        description="The absent holder: pass as on_behalf_of. None for a vacant post: give no "
        "on_behalf_of; disposing a letter, the API takes the unit from the letter"
    )
    name: str | None


class Me(OutputModel):
    employee: Employee
    unit: Unit
    roles: list[Role]
    acting: list[ActingAssignment] = Field(description="Acting assignments in force today")
    acting_for: list[ActingFor] = Field(
        default_factory=list,
        description="For each acting assignment today: the post and its absent holder",
    )


class ImportReport(OutputModel):
    """An import that was applied, or on a dry run would be (nothing written). A rejected one
    answers 422 with ``rows``: a RowError each."""

    rows: int
    created: int
    updated: int
    dry_run: bool = Field(False, description="True: only checked; nothing was written or queued")
    sign_ins: SignInsQueued | None = Field(
        None,
        description="The Cognito sign-ins queued for the imported employees (a dry run: how "
        "many would be, without a job); follow the job at GET /sign-ins/jobs/{job_id}",
    )


class EmployeeView(Employee):
    """An employee as the administration routes show him: his record and his sign-in."""

    sign_in: SignInStatus = Field(
        default_factory=SignInStatus,
        description="His Cognito sign-in: none (see reason), pending, created, disabled, failed",
    )
