"""Pydantic models of incoming letters (surat masuk), by role: what a client sends, what it gets
back. Field names follow tata naskah dinas (see the domain reference); official terms keep their
names: ``sifat``, ``urgensi``, ``tembusan``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints

from eoffice.models import InputModel, OutputModel, Upload
from eoffice.org.models import Nip


class Sifat(StrEnum):
    """Confidentiality. rahasia and sangat_rahasia narrow who may see the letter."""

    biasa = "biasa"
    terbatas = "terbatas"
    rahasia = "rahasia"
    sangat_rahasia = "sangat_rahasia"

    @property
    def secret(self) -> bool:
        return self in {Sifat.rahasia, Sifat.sangat_rahasia}


class Urgensi(StrEnum):
    biasa = "biasa"
    segera = "segera"  # within 48 hours
    amat_segera = "amat_segera"  # within 24 hours


class LetterStatus(StrEnum):
    awaiting_file = "awaiting_file"  # registered by a clerk; the scan is still to be uploaded
    needs_metadata = "needs_metadata"  # came from a scanner; a clerk must complete it
    registered = "registered"  # metadata and file: ready to be disposed


class Source(StrEnum):
    api = "api"
    scanner = "scanner"
    internal = "internal"  # an outgoing letter of another unit, delivered signed


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
ClassificationCode = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^\d{3}(\.\d{1,3}){0,4}$"),
    Field(description="Kode klasifikasi arsip (Permendagri 83/2022), e.g. 800.1.2.2"),
]


class LetterMetadata(InputModel):
    """What a clerk records of a letter; every field can be corrected later."""

    sender_agency: Text = Field(description="Instansi pengirim")
    sender_name: Text | None = Field(None, description="Pejabat/orang pengirim")
    sender_number: Text = Field(description="Nomor surat pengirim")
    sender_date: date = Field(description="Tanggal surat")
    received_on: date | None = Field(None, description="Tanggal diterima; default today (WITA)")
    subject: Text = Field(description="Hal/perihal")
    summary: LongText | None = Field(None, description="Isi ringkas")
    classification_code: ClassificationCode
    sifat: Sifat = Sifat.biasa
    urgensi: Urgensi = Urgensi.biasa
    attachment_count: int = Field(0, ge=0, le=999, description="Jumlah lampiran")
    addressee: Text = Field(description="Ditujukan kepada")
    addressee_nip: Nip | None = Field(
        None, description="The addressee as an employee: he may see a rahasia letter"
    )
    tembusan: list[Text] = Field(default_factory=list, max_length=30)


class LetterCreate(LetterMetadata):
    unit_id: str | None = Field(None, description="Receiving unit; default the caller's")


class LetterUpdate(InputModel):
    """A correction: only the fields sent change. Completing a scanned letter uses this too."""

    sender_agency: Text | None = None
    sender_name: Text | None = None
    sender_number: Text | None = None
    sender_date: date | None = None
    received_on: date | None = None
    subject: Text | None = None
    summary: LongText | None = None
    classification_code: ClassificationCode | None = None
    sifat: Sifat | None = None
    urgensi: Urgensi | None = None
    attachment_count: int | None = Field(None, ge=0, le=999)
    addressee: Text | None = None
    addressee_nip: Nip | None = None
    tembusan: list[Text] | None = Field(None, max_length=30)


@dataclass(frozen=True)
class LetterQuery:
    """What a list of a unit's letters asks for (filters, all optional but the unit)."""

    unit_id: str
    status: LetterStatus | None = None
    sifat: Sifat | None = None
    classification: str | None = None
    sender: str | None = None
    received_from: date | None = None
    received_to: date | None = None


class LetterFile(OutputModel):
    file_id: str
    media_type: str
    size: int
    sha256: str
    pages: int
    has_text: bool
    attached_at: datetime
    source: Source


class Letter(OutputModel):
    letter_id: str
    unit_id: str
    agenda_number: int = Field(description="Nomor agenda: per receiving unit and year, from 1")
    agenda_year: int
    status: LetterStatus
    source: Source
    sender_agency: str | None = None
    sender_name: str | None = None
    sender_number: str | None = None
    sender_date: date | None = None
    received_on: date
    subject: str | None = None
    summary: str | None = None
    classification_code: str | None = None
    sifat: Sifat = Sifat.biasa
    urgensi: Urgensi = Urgensi.biasa
    attachment_count: int = 0
    addressee: str | None = None
    addressee_nip: str | None = None
    tembusan: list[str] = Field(default_factory=list)
    files: list[LetterFile] = Field(default_factory=list)
    registered_by: str | None = Field(
        None, description="NIP of the clerk who registered or completed it; none for a raw scan"
    )
    disposed_to: list[str] = Field(
        default_factory=list, description="NIPs the letter was disposed to: they may see it"
    )
    registered_at: datetime
    updated_at: datetime

    @property
    def agenda_label(self) -> str:
        return f"{self.agenda_number}/{self.agenda_year}"


class Registration(OutputModel):
    letter: Letter
    upload: Upload


class HistoryAction(StrEnum):
    """What happened to a letter (incoming or outgoing), as its history records it: the stored
    value, so the enum reads every entry ever written."""

    # an incoming letter and its file
    registered = "registered"
    corrected = "corrected"
    metadata_completed = "metadata_completed"
    file_attached = "file_attached"
    file_rejected = "file_rejected"
    duplicate_received = "duplicate_received"
    # its dispositions
    disposed = "disposed"
    forwarded = "forwarded"
    assignment_read = "assignment_read"
    assignment_started = "assignment_started"
    assignment_done = "assignment_done"
    assignment_returned = "assignment_returned"
    assignment_cancelled = "assignment_cancelled"
    assignment_overdue = "assignment_overdue"
    disposition_prepared = "disposition_prepared"
    prepared_disposition_edited = "prepared_disposition_edited"
    prepared_disposition_discarded = "prepared_disposition_discarded"
    # an outgoing letter
    drafted = "drafted"
    version_uploaded = "version_uploaded"
    version_refused = "version_refused"
    paraf_given = "paraf_given"
    returned = "returned"
    numbered = "numbered"
    signing_attempt_resolved = "signing_attempt_resolved"
    signed = "signed"
    delivered = "delivered"
    delivered_signed = "delivered_signed"
    revoked = "revoked"


class HistoryEntry(OutputModel):
    at: datetime
    action: HistoryAction
    actor_nip: str | None = Field(None, description="None when the system acted (a scan)")
    details: dict[str, object] = Field(default_factory=dict)


class Rejection(OutputModel):
    """A file intake refused; it stays in quarantine for an admin."""

    rejection_id: str
    unit_code: str | None
    original_key: str
    quarantine_key: str
    reason: str = Field(
        description="empty, too_large, unsupported_type, corrupt, encrypted, active_content, "
        "too_complex, unknown_unit, unknown_letter, duplicate, cover_sheet_other_unit; for an "
        "outgoing draft also not_a_draft, superseded"
    )
    detail: str
    size: int | None
    duplicate_of: str | None = Field(None, description="The letter that already has this file")
    letter_id: str | None = Field(None, description="The letter the upload was meant for")
    rejected_at: datetime
    download_url: str | None = None
