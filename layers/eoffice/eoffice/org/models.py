"""Pydantic models of the organisation, kept apart by role: what a client sends (``*Create``,
``*Update``), and what it gets back (the plain names). Storage models live in ``store.py``."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

from pydantic import (
    AfterValidator,
    Field,
    StringConstraints,
    model_validator,
)

from eoffice.models import InputModel, Latitude, Longitude, Month, OutputModel
from eoffice.org.nip import validate_nip

if TYPE_CHECKING:
    from eoffice.attendance import geo


class Role(StrEnum):
    """What a person may do. A person holds one or more roles."""

    admin = "admin"  # system administrator (Diskominfo-SP)
    bupati = "bupati"  # the regent
    sekda = "sekda"  # the regional secretary
    head = "head"  # head of a unit (Kepala Dinas/Badan/Bidang, Camat)
    tu = "tu"  # records clerk (tata usaha) of a unit
    staff = "staff"
    hr = "hr"  # BKPSDM officer: allowances, attendance review


class UnitKind(StrEnum):
    regency = "regency"  # Pemerintah Kabupaten: the root
    secretariat = "secretariat"  # Sekretariat Daerah, Sekretariat DPRD
    agency = "agency"  # dinas, badan, inspektorat, RSUD
    section = "section"  # bidang, bagian, sub-bagian
    district = "district"  # kecamatan


class ActingCapacity(StrEnum):
    plt = "plt"  # pelaksana tugas: acts in a vacant or long-absent position
    plh = "plh"  # pelaksana harian: acts while the holder is briefly away


Nip = Annotated[str, AfterValidator(validate_nip)]
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
Email = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        max_length=254,
        # ASCII, and a domain of DNS labels: an address in a signing certificate is IA5String,
        # and Cognito sends mail to it.
        pattern=r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@"
        r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$",
    ),
]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=200)]
Rupiah = Annotated[int, Field(ge=0, le=1_000_000_000, description="Whole Rupiah")]


# ---------------------------------------------------------------- units
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


class Unit(OutputModel):
    unit_id: str
    code: str
    name: str
    kind: UnitKind
    parent_id: str | None
    active: bool = True
    created_at: datetime
    updated_at: datetime


# ---------------------------------------------------------------- positions
class PositionCreate(InputModel):
    name: Name = Field(description="e.g. Kepala Dinas Komunikasi dan Informatika")
    unit_id: str
    is_head: bool = Field(False, description="Whether the holder heads the unit")
    echelon: str | None = Field(None, max_length=10, description="e.g. II.b, III.a")


class PositionUpdate(InputModel):
    name: Name | None = None
    is_head: bool | None = None
    echelon: str | None = Field(None, max_length=10)


class Position(OutputModel):
    position_id: str
    name: str
    unit_id: str
    is_head: bool
    echelon: str | None
    created_at: datetime
    updated_at: datetime


# ---------------------------------------------------------------- offices
class GeoPoint(InputModel):
    """A point on the WGS84 ellipsoid, in decimal degrees (as a phone's GPS reports it)."""

    latitude: Latitude
    longitude: Longitude


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


class Office(OutputModel):
    office_id: str
    name: str
    unit_id: str
    latitude: float
    longitude: float
    radius_m: int
    polygon: list[GeoPoint] | None = Field(None, description="The fence when set, else the circle")
    address: str | None
    created_at: datetime
    updated_at: datetime

    def fence(self) -> geo.Circle | geo.Polygon:
        """The check-in fence: the polygon when drawn, else the circle (cached per polygon)."""
        from eoffice.attendance import geo

        ring = [(p.latitude, p.longitude) for p in self.polygon] if self.polygon else None
        return geo.fence_of(self.latitude, self.longitude, self.radius_m, ring)


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


# ---------------------------------------------------------------- employees
_EMPLOYED_FROM_DOC = (
    "TMT: his first day here (appointed, or transferred in from another regency). "
    "Days before it are not his working days; null: employed since before any record"
)
_EMPLOYED_UNTIL_DOC = (
    "His last day here (retired, left, transferred out). Days after it are not his working "
    "days; null: still employed"
)


def employed_on(day: date, employed_from: date | None, employed_until: date | None) -> bool:
    """Whether ``day`` is within the employment; a missing date leaves that side open."""
    if employed_from is not None and day < employed_from:
        return False
    return employed_until is None or day <= employed_until


def employment_problem(employed_from: date | None, employed_until: date | None) -> str | None:
    """Why the two dates cannot be an employment, or None. The same day is a one-day employment."""
    if employed_from is not None and employed_until is not None and employed_until < employed_from:
        return (
            f"employed_until {employed_until.isoformat()} is before "
            f"employed_from {employed_from.isoformat()}"
        )
    return None


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
    employed_from: date | None = Field(None, description=_EMPLOYED_FROM_DOC)
    employed_until: date | None = Field(None, description=_EMPLOYED_UNTIL_DOC)


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
    employed_from: date | None = Field(None, description=_EMPLOYED_FROM_DOC + "; null clears")
    employed_until: date | None = Field(None, description=_EMPLOYED_UNTIL_DOC + "; null clears")


class TppAmountPeriod(OutputModel):
    """His monthly TPP from ``from_month`` until the next period (null: from the start)."""

    from_month: str | None
    amount: int


class Employee(OutputModel):
    nip: str
    name: str
    unit_id: str
    position_id: str | None
    roles: list[Role]
    tpp_amount: int = Field(description="His latest monthly TPP (see tpp_amounts), whole Rupiah")
    tpp_amounts: list[TppAmountPeriod] = Field(
        default_factory=list,
        description="Each amount with the month it is paid from, oldest first; empty while "
        "tpp_amount was never changed. A month's TPP report pays that month's amount",
    )
    office_ids: list[str] = Field(
        default_factory=list, description="The offices whose fences he may check in at"
    )
    active: bool
    username: str
    email: str | None
    employed_from: date | None = Field(None, description=_EMPLOYED_FROM_DOC)
    employed_until: date | None = Field(None, description=_EMPLOYED_UNTIL_DOC)
    created_at: datetime
    updated_at: datetime


# ---------------------------------------------------------------- acting officials
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


class ActingAssignment(OutputModel):
    acting_id: str
    actor_nip: str
    position_id: str
    unit_id: str
    capacity: ActingCapacity
    starts_on: date
    ends_on: date
    decree_number: str | None
    created_at: datetime

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


# ---------------------------------------------------------------- answers
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


class RowError(OutputModel):
    row: int = Field(description="Line number in the CSV file, the header being line 1")
    nip: str | None
    messages: list[str]


class ImportReport(OutputModel):
    """An import that was applied. A rejected one answers 422 with ``rows``: a RowError each."""

    rows: int
    created: int
    updated: int
