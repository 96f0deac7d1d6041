"""Pydantic models of leave (cuti, izin) and official travel (dinas luar): the request an
employee (or hr for him) files, the record kept with its history, and the document forms.

The kinds themselves (``LeaveType``, ``LeaveState``) are shared with the daily status and live in
``eoffice.attendance.models``.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from eoffice.attendance.models import LeaveState, LeaveType
from eoffice.models import InputModel, OutputModel, Upload
from eoffice.org.models import ActingCapacity, Nip

DocumentId = Annotated[
    str,
    StringConstraints(pattern=r"^[0-9a-f]{32}$"),
    Field(description="From POST /leaves/documents, once the file is uploaded"),
]
DocumentType = Literal["application/pdf", "image/jpeg", "image/png"]


# ---------------------------------------------------------------- what a client sends
class LeaveCreate(InputModel):
    """A leave or travel request. Dates are whole WITA days, both included."""

    type: LeaveType
    starts_on: date
    ends_on: date = Field(description="The last day of leave, included; at most 366 days in all")
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=1000)]
    travel_order_number: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
        | None
    ) = Field(None, description="Nomor surat perintah tugas (SPT): dinas_luar only, required")
    destination: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
        | None
    ) = Field(None, description="Where the travel goes: dinas_luar only")
    document_id: DocumentId | None = Field(
        None, description="The uploaded document (doctor's note): required for cuti_sakit"
    )
    nip: Nip | None = Field(None, description="File for this employee (hr only); default: yourself")


class LeaveNote(InputModel):
    note: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
        | None
    ) = Field(None, description="Why: required to reject")


class LeaveDocumentCreate(InputModel):
    content_type: DocumentType = Field(description="The file's type; the form accepts only it")
    nip: Nip | None = Field(None, description="Upload for this employee (hr only)")


# ---------------------------------------------------------------- what it gets back
class LeaveAction(StrEnum):
    filed = "filed"
    approved = "approved"
    rejected = "rejected"
    cancelled = "cancelled"


class LeaveEvent(OutputModel):
    at: datetime
    action: LeaveAction
    by: str = Field(description="NIP of who acted")
    acting: ActingCapacity | None = Field(None, description="Set when he acted as Plt/Plh")
    note: str | None = None


class Leave(OutputModel):
    """A leave or travel as recorded. Only ``approved`` leave covers its days."""

    leave_id: str
    nip: str
    name: str = Field(description="The employee's name when filed")
    unit_id: str = Field(description="His unit when filed")
    type: LeaveType
    starts_on: date
    ends_on: date
    state: LeaveState
    reason: str
    travel_order_number: str | None = None
    destination: str | None = None
    document_id: str | None = None
    document_key: str | None = Field(None, description="Where the document is kept")
    document_media_type: str | None = None
    document_version: str | None = Field(
        None, description="The document's S3 version checked when filed: the one its link serves"
    )
    approver_unit_id: str = Field(description="The unit whose head (or his Plt/Plh) decides")
    filed_by: str = Field(description="NIP of who filed: the employee, or hr for him")
    filed_at: datetime
    updated_at: datetime
    history: list[LeaveEvent] = Field(default_factory=list)

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    def overlaps(self, first: date, last: date) -> bool:
        return self.starts_on <= last and first <= self.ends_on

    def covers(self, day: date) -> bool:
        """Whether this leave excuses ``day``: it is approved and ``day`` is one of its dates."""
        return self.state is LeaveState.approved and self.starts_on <= day <= self.ends_on


class LeaveDocumentUpload(OutputModel):
    """Upload the file with ``upload`` (POST ``fields`` then ``file``), then file the leave with
    ``document_id``."""

    document_id: str
    upload: Upload
