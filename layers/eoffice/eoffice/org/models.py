"""The organisation's records as every function reads them (units, positions, offices, employees,
acting assignments) and the types they share. What the administration routes send and answer is
in ``admin_models``; storage models live in ``store.py``."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

from pydantic import (
    AfterValidator,
    Field,
    StringConstraints,
)

from eoffice.models import InputModel, Latitude, Longitude, OutputModel
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


class Capacity(StrEnum):
    """In what capacity the person who acted did so (domain reference: Plt./Plh./a.n.)."""

    self = "self"
    plt = "plt"
    plh = "plh"

    @classmethod
    def acting(cls, capacity: ActingCapacity) -> Capacity:
        return cls(capacity.value)


Nip = Annotated[str, AfterValidator(validate_nip)]
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


# ---------------------------------------------------------------- units
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


# ---------------------------------------------------------------- employees
EMPLOYED_FROM_DOC = (
    "TMT: his first day here (appointed, or transferred in from another regency). "
    "Days before it are not his working days; null: employed since before any record"
)
EMPLOYED_UNTIL_DOC = (
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
    employed_from: date | None = Field(None, description=EMPLOYED_FROM_DOC)
    employed_until: date | None = Field(None, description=EMPLOYED_UNTIL_DOC)
    created_at: datetime
    updated_at: datetime


# ---------------------------------------------------------------- acting officials
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
