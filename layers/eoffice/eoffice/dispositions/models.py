"""Pydantic models of dispositions, by role: what a client sends, what it gets back.

One disposition (a dispose action) creates an **assignment** per recipient and a **tembusan**
(copy) per informed person; both are ``Assignment`` records, told apart by ``kind``. Forwarding
an assignment creates a disposition whose assignments hang below it: the tree of a letter.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from eoffice.letters.models import Sifat, Urgensi
from eoffice.models import InputModel, OutputModel, Upload
from eoffice.org.models import Capacity, Nip, Role, UnitKind

Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=2000)]
Code = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z][a-z0-9_]{1,39}$")]

MAX_RECIPIENTS = 40
MAX_TEMBUSAN = 40


class AssignmentStatus(StrEnum):
    sent = "sent"
    read = "read"
    in_progress = "in_progress"
    done = "done"
    returned = "returned"
    cancelled = "cancelled"

    @property
    def open(self) -> bool:
        return self in OPEN_STATUSES


OPEN_STATUSES = frozenset(
    {AssignmentStatus.sent, AssignmentStatus.read, AssignmentStatus.in_progress}
)


class AssignmentKind(StrEnum):
    assignment = "assignment"  # must act and report
    tembusan = "tembusan"  # informed only


# ---------------------------------------------------------------- settings
class Instruction(InputModel):
    code: Code
    label: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=100)]


_DEFAULT_INSTRUCTIONS = (
    ("untuk_diketahui", "Untuk diketahui"),
    ("tindak_lanjuti", "Tindak lanjuti"),
    ("tanggapan_dan_saran", "Tanggapan dan saran"),
    ("proses_lebih_lanjut", "Proses lebih lanjut"),
    ("koordinasikan", "Koordinasikan"),
    ("siapkan_jawaban", "Siapkan jawaban"),
    ("hadiri_wakili", "Hadiri/wakili"),
    ("arsipkan", "Arsipkan"),
)


def default_instructions() -> list[Instruction]:
    """The checklist of the paper slip (built on use: models cost start-up time)."""
    return [Instruction(code=code, label=label) for code, label in _DEFAULT_INSTRUCTIONS]


class DispositionSettings(InputModel):
    """What a regency may set differently (domain reference: rules are data)."""

    instructions: list[Instruction] = Field(
        default_factory=default_instructions, min_length=1, max_length=40
    )
    amat_segera_hours: int = Field(24, ge=1, le=240, description="Working hours")
    segera_hours: int = Field(48, ge=1, le=480, description="Working hours")
    biasa_working_days: int = Field(5, ge=1, le=60)
    reminder_hours_before: int = Field(
        24, ge=1, le=240, description="Remind this long before the deadline (at most halfway)"
    )
    dispose_to_anyone: list[Role] = Field(
        default_factory=lambda: [Role.bupati, Role.sekda],
        description="Roles that may dispose to any unit; others to their unit and below",
    )

    @model_validator(mode="after")
    def _unique_codes(self) -> DispositionSettings:
        codes = [instruction.code for instruction in self.instructions]
        if len(set(codes)) != len(codes):
            raise ValueError("instruction codes must be unique")
        return self

    def hours_for(self, urgensi: Urgensi) -> int:
        if urgensi is Urgensi.amat_segera:
            return self.amat_segera_hours
        if urgensi is Urgensi.segera:
            return self.segera_hours
        return 24 * self.biasa_working_days


# ---------------------------------------------------------------- requests
class Recipient(InputModel):
    """An employee by NIP, or the head of a unit by unit id."""

    nip: Nip | None = None
    unit_id: str | None = Field(None, description="The unit's head (or its Plt when vacant)")

    @model_validator(mode="after")
    def _one_of(self) -> Recipient:
        if (self.nip is None) == (self.unit_id is None):
            raise ValueError("give either nip or unit_id")
        return self


class DispositionContent(InputModel):
    """What a disposition says; shared by dispose and prepared dispositions."""

    recipients: list[Recipient] = Field(min_length=1, max_length=MAX_RECIPIENTS)
    tembusan: list[Recipient] = Field(default_factory=list, max_length=MAX_TEMBUSAN)
    instructions: list[Code] = Field(
        min_length=1, max_length=20, description="Codes from the settings' checklist"
    )
    note: Note | None = Field(None, description="Catatan")
    deadline: datetime | None = Field(
        None, description="Default: from the letter's urgensi, in working time"
    )

    @model_validator(mode="after")
    def _aware_deadline(self) -> DispositionContent:
        if self.deadline is not None and self.deadline.tzinfo is None:
            raise ValueError("deadline needs a time zone (e.g. +08:00)")
        return self


class DisposeRequest(DispositionContent):
    parent_assignment_id: str | None = Field(
        None, description="Forward this assignment of yours (builds the tree)"
    )
    on_behalf_of: Nip | None = Field(
        None, description="As Plt/Plh: the absent head in whose place you dispose"
    )


class PreparedCreate(DispositionContent):
    head_nip: Nip | None = Field(None, description="Default: the head of the letter's unit")


class PreparedUpdate(InputModel):
    recipients: list[Recipient] | None = Field(None, min_length=1, max_length=MAX_RECIPIENTS)
    tembusan: list[Recipient] | None = Field(None, max_length=MAX_TEMBUSAN)
    instructions: list[Code] | None = Field(None, min_length=1, max_length=20)
    note: Note | None = None
    deadline: datetime | None = None


class CompleteRequest(InputModel):
    report: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
    file_id: str | None = Field(None, description="An uploaded report file (see report-uploads)")


class ReturnRequest(InputModel):
    reason: Reason


# ---------------------------------------------------------------- answers
class LetterBrief(OutputModel):
    """What an inbox shows of the letter without reading it."""

    letter_id: str
    unit_id: str
    agenda_label: str
    subject: str | None
    sender_agency: str | None
    sifat: Sifat
    urgensi: Urgensi


class ReportFile(OutputModel):
    file_id: str
    media_type: str
    size: int
    sha256: str
    attached_at: datetime


class ReportUpload(OutputModel):
    """Upload the report's file with ``upload``, then send ``file_id`` with the report."""

    file_id: str
    upload: Upload


class Assignment(OutputModel):
    assignment_id: str
    disposition_id: str
    letter_id: str
    kind: AssignmentKind
    parent_assignment_id: str | None = Field(None, description="The assignment forwarded")
    sender_nip: str = Field(description="In whose name it was sent")
    sender_position_id: str | None = Field(None, description="The sender's position then")
    acted_by_nip: str = Field(description="Who pressed the button (a Plt/Plh, or the head)")
    acted_as: Capacity = Capacity.self
    prepared_by_nip: str | None = Field(None, description="The clerk who prepared it")
    recipient_nip: str
    recipient_name: str
    recipient_unit_id: str
    recipient_position_id: str | None = None
    instructions: list[str]
    note: str | None = None
    deadline: datetime | None = Field(None, description="None for tembusan")
    deadline_provisional: bool = Field(
        False,
        description="The default deadline was counted on a year whose calendar nobody entered "
        "(weekends only, no holidays): check it",
    )
    remind_at: datetime | None = Field(None, description="When the reminder event goes out")
    status: AssignmentStatus = AssignmentStatus.sent
    created_at: datetime
    read_at: datetime | None = None
    read_by_nip: str | None = None
    started_at: datetime | None = None
    done_at: datetime | None = None
    report: str | None = None
    report_file: ReportFile | None = None
    returned_at: datetime | None = None
    return_reason: str | None = None
    cancelled_at: datetime | None = None
    closed_by_nip: str | None = Field(None, description="Who reported, returned or cancelled")
    overdue: bool = Field(False, description="Marked when the deadline passed while open")
    overdue_at: datetime | None = None
    reminded_at: datetime | None = None
    letter: LetterBrief

    def is_overdue(self, now: datetime) -> bool:
        return self.status.open and self.deadline is not None and self.deadline < now


class DispositionNode(OutputModel):
    assignment: Assignment
    children: list[DispositionNode] = Field(default_factory=list)


class DispositionTree(OutputModel):
    letter_id: str
    roots: list[DispositionNode]
    count: int


class InboxSummary(OutputModel):
    unread: int
    in_progress: int
    overdue: int
    open: int


class PreparedStatus(StrEnum):
    pending = "pending"
    approved = "approved"
    discarded = "discarded"


class PreparedDisposition(OutputModel):
    prepared_id: str
    letter_id: str
    head_nip: str
    prepared_by_nip: str
    content: DispositionContent
    status: PreparedStatus = PreparedStatus.pending
    created_at: datetime
    updated_at: datetime
    decided_by_nip: str | None = None
    decided_at: datetime | None = None
    disposition_id: str | None = Field(None, description="The disposition sent on approval")
    letter: LetterBrief


class Notice(OutputModel):
    """Something the sender should know about what was sent (``message`` in Bahasa)."""

    code: str = Field(description="calendar_not_configured")
    year: int | None = None
    message: str


class Disposed(OutputModel):
    disposition_id: str
    assignments: list[Assignment]
    notices: list[Notice] = Field(
        default_factory=list,
        description="e.g. the default deadline was counted on a year without its calendar",
    )


class UnitCounts(OutputModel):
    unit_id: str
    unit_name: str
    parent_id: str | None
    open: int
    overdue: int
    done: int
    median_hours_to_done: float | None


class DispositionsSummary(OutputModel):
    unit_id: str
    since: date
    units: list[UnitCounts]
    total: UnitCounts


# ---------------------------------------------------------------- whom one may dispose to
class ReachableUnit(OutputModel):
    """A unit within the sender's reach: disposing to it (``unit_id``) reaches its head."""

    unit_id: str
    name: str
    kind: UnitKind
    parent_id: str | None


class UnitColleague(OutputModel):
    """Someone of the sender's own unit (a recipient by ``nip``)."""

    nip: str
    name: str
    unit_id: str
    position_name: str | None


class Recipients(OutputModel):
    sender_nip: str = Field(description="In whose name the choices are (the Plt's absent head)")
    units: list[ReachableUnit]
    people: list[UnitColleague]
