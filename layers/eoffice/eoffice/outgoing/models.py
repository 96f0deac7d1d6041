"""Pydantic models of outgoing letters, by role: what a client sends, what it gets back."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Base64Bytes, Field, StringConstraints, model_validator

from eoffice.letters.models import ClassificationCode, LongText, Sifat, Text, Urgensi
from eoffice.models import InputModel, OutputModel, Upload
from eoffice.org.models import Nip
from eoffice.signing.report_models import VerificationReport


class OutgoingKind(StrEnum):
    """Jenis naskah dinas (Permendagri 1/2023), the ones a regency sends most."""

    surat_dinas = "surat_dinas"
    nota_dinas = "nota_dinas"
    surat_undangan = "surat_undangan"
    surat_edaran = "surat_edaran"
    surat_tugas = "surat_tugas"
    surat_keterangan = "surat_keterangan"
    surat_pengantar = "surat_pengantar"
    keputusan = "keputusan"
    instruksi = "instruksi"
    pengumuman = "pengumuman"


class OutgoingStatus(StrEnum):
    draft = "draft"  # no file yet
    in_review = "in_review"  # reviewers give their paraf in order
    returned = "returned"  # a reviewer sent it back: the author uploads a new version
    ready_to_sign = "ready_to_sign"  # every reviewer approved the current version
    signing = "signing"  # some, not all, signers have signed
    signed = "signed"  # every signature (and the seal) is on it; delivered
    revoked = "revoked"  # withdrawn after signing: verification says so


class RecipientKind(StrEnum):
    unit = "unit"  # an internal unit: it receives the letter in its intake
    employee = "employee"  # an internal person: his unit receives it, addressed to him
    external = "external"  # anyone outside: a download link


class RecipientIn(InputModel):
    kind: RecipientKind
    unit_id: str | None = Field(None, description="For kind=unit")
    nip: Nip | None = Field(None, description="For kind=employee")
    name: Text | None = Field(None, description="For kind=external: agency or person")
    address: Text | None = Field(None, description="For kind=external: address or e-mail")

    @model_validator(mode="after")
    def _complete(self) -> RecipientIn:
        needed = {"unit": self.unit_id, "employee": self.nip, "external": self.name}[self.kind]
        if not needed:
            field = {"unit": "unit_id", "employee": "nip", "external": "name"}[self.kind]
            raise ValueError(f"a recipient of kind {self.kind.value} needs {field}")
        return self


class OutgoingRecipient(OutputModel):
    kind: RecipientKind
    unit_id: str | None = None
    nip: str | None = None
    name: str = Field(description="As printed: the unit's or person's name, or the external name")
    address: str | None = None


Signers = Annotated[list[Nip], Field(min_length=1, max_length=5)]
Reviewers = Annotated[list[Nip], Field(max_length=10)]


class OutgoingCreate(InputModel):
    """A new draft. ``signers`` sign in order (the last is the main signer); ``reviewers`` give
    their paraf in order before anyone signs."""

    kind: OutgoingKind = OutgoingKind.surat_dinas
    sifat: Sifat = Sifat.biasa
    urgensi: Urgensi = Urgensi.biasa
    classification_code: ClassificationCode
    subject: Text = Field(description="Hal/perihal")
    summary: LongText | None = Field(None, description="Isi ringkas")
    recipients: list[RecipientIn] = Field(min_length=1, max_length=50)
    tembusan: list[RecipientIn] = Field(default_factory=list, max_length=30)
    signers: Signers
    reviewers: Reviewers = Field(default_factory=list)
    unit_id: str | None = Field(None, description="Numbering unit; default the author's unit")

    @model_validator(mode="after")
    def _distinct(self) -> OutgoingCreate:
        if len(set(self.signers)) != len(self.signers):
            raise ValueError("a signer appears twice")
        if len(set(self.reviewers)) != len(self.reviewers):
            raise ValueError("a reviewer appears twice")
        return self


class OutgoingUpdate(InputModel):
    """Corrections to a draft before anyone signed; the paraf chain restarts."""

    kind: OutgoingKind | None = None
    sifat: Sifat | None = None
    urgensi: Urgensi | None = None
    classification_code: ClassificationCode | None = None
    subject: Text | None = None
    summary: LongText | None = None
    recipients: list[RecipientIn] | None = Field(None, min_length=1, max_length=50)
    tembusan: list[RecipientIn] | None = Field(None, max_length=30)
    reviewers: Reviewers | None = None


class DraftVersion(OutputModel):
    version: int
    file_id: str
    sha256: str
    size: int
    pages: int
    uploaded_at: datetime
    uploaded_by: str


class RefusedUpload(OutputModel):
    """A file sent as a new version that the intake function refused (kept in quarantine for the
    admins): its author sees why here and in the letter's history (``version_refused``)."""

    rejection_id: str
    reason: str = Field(
        description="unsupported_type, corrupt, encrypted, active_content, too_complex, "
        "too_large, empty, superseded, ... (the codes of GET /intake/rejections)"
    )
    detail: str
    key: str = Field(description="The upload's key in the intake bucket (drafts/{id}/{upload})")
    size: int | None = None
    rejected_at: datetime


class ReviewStatus(StrEnum):
    pending = "pending"
    approved = "approved"
    returned = "returned"


class ParafStep(OutputModel):
    """One reviewer's paraf (or return) of one version."""

    order: int
    nip: str
    name: str
    status: ReviewStatus = ReviewStatus.pending
    version: int | None = None
    acted_at: datetime | None = None
    acted_by_nip: str | None = Field(None, description="Differs from nip when a Plt/Plh acted")
    capacity: str | None = None
    note: str | None = None


class ReviewDecision(StrEnum):
    approve = "approve"
    return_ = "return"


class ReviewAction(InputModel):
    decision: ReviewDecision
    version: int = Field(description="The version reviewed: a newer upload makes this one stale")
    note: LongText | None = None

    @model_validator(mode="after")
    def _reason(self) -> ReviewAction:
        if self.decision is ReviewDecision.return_ and not self.note:
            raise ValueError("a returned draft needs a note saying what to change")
        return self


class SignerSlot(OutputModel):
    order: int
    nip: str
    name: str
    position: str = Field(description="Jabatan, as printed under the signature")


class SignatureRecord(OutputModel):
    order: int
    signer_nip: str = Field(description="The signer the letter names")
    signed_by_nip: str = Field(description="Who signed: the signer, or his Plt/Plh")
    capacity: Literal["self", "plt", "plh", "seal"]
    name: str
    position: str
    signed_at: datetime
    level: str = Field(description="PAdES baseline level: B-T or B-LT")
    backend: str = Field(description="Where the key lives: kms, pkcs12 or bsre")
    field_name: str
    cms_sha256: str
    file_sha256: str = Field(description="SHA-256 of the whole file after this signature")
    certificate_subject: str
    certificate_issuer: str
    certificate_serial: str


class SignedFile(OutputModel):
    key: str
    version_id: str | None
    sha256: str
    size: int


class Delivery(OutputModel):
    unit_id: str
    letter_id: str
    agenda_number: int
    agenda_year: int
    addressee: str


class ExternalLink(OutputModel):
    name: str
    address: str | None = None
    url: str
    expires_at: datetime


class Revocation(OutputModel):
    at: datetime
    by_nip: str
    reason: str


class SigningClaim(OutputModel):
    """A signature in progress: nobody else signs meanwhile. ``outcome_unknown`` when BSrE was
    asked and never answered: it stays until someone who checked resolves it."""

    by_nip: str
    at: datetime
    sent_to_bsre: bool = Field(
        False, description="BSrE was asked: if this claim goes stale, the outcome is unknown"
    )
    outcome_unknown: bool = False


class Outgoing(OutputModel):
    outgoing_id: str = Field(description="Also the document id its QR code and /verify name")
    unit_id: str
    unit_code: str
    author_nip: str
    kind: OutgoingKind
    sifat: Sifat
    urgensi: Urgensi
    classification_code: str
    subject: str
    summary: str | None = None
    recipients: list[OutgoingRecipient]
    tembusan: list[OutgoingRecipient] = Field(default_factory=list)
    signers: list[SignerSlot]
    reviews: list[ParafStep] = Field(default_factory=list)
    status: OutgoingStatus
    versions: list[DraftVersion] = Field(default_factory=list)
    refused_uploads: list[RefusedUpload] = Field(
        default_factory=list,
        description="The latest uploads refused as versions of this draft (at most 10), oldest "
        "first: a 202 for an upload only says it arrived",
    )
    provisional_number: str = Field(
        description="Shown until signed, e.g. 800.1.2.2/.../KOMINFO/2026"
    )
    number: str | None = Field(None, description="Assigned at the first signature")
    sequence: int | None = None
    number_year: int | None = None
    signed_on: str | None = Field(None, description="Tanggal surat, as stamped")
    signatures: list[SignatureRecord] = Field(default_factory=list)
    signed_file: SignedFile | None = None
    deliveries: list[Delivery] = Field(default_factory=list)
    external_links: list[ExternalLink] = Field(default_factory=list)
    delivered_at: datetime | None = None
    revocation: Revocation | None = None
    signing_claim: SigningClaim | None = None
    created_at: datetime
    updated_at: datetime

    @property
    def current_version(self) -> int | None:
        return self.versions[-1].version if self.versions else None

    def next_reviewer(self) -> ParafStep | None:
        return next((r for r in self.reviews if r.status is not ReviewStatus.approved), None)

    def next_signer(self) -> SignerSlot | None:
        signed = {s.order for s in self.signatures if s.capacity != "seal"}
        return next((s for s in self.signers if s.order not in signed), None)


class DraftCreated(OutputModel):
    outgoing: Outgoing
    upload: Upload


class RevokeRequest(InputModel):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=5, max_length=500)]


class SignRequest(InputModel):
    """For a BSrE signer only: his NIK and passphrase or TOTP, used for this request and never
    stored or logged. KMS and PKCS#12 signers send an empty body."""

    nik: Annotated[str, StringConstraints(pattern=r"^\d{16}$")] | None = None
    passphrase: str | None = Field(None, min_length=1, max_length=200, repr=False)
    totp: Annotated[str, StringConstraints(pattern=r"^\d{6,8}$")] | None = Field(None, repr=False)

    @model_validator(mode="after")
    def _one_secret(self) -> SignRequest:
        secrets = (self.passphrase is not None) + (self.totp is not None)
        if self.nik and secrets != 1:
            raise ValueError("with a nik, send exactly one of passphrase or totp")
        if not self.nik and secrets:
            raise ValueError("a passphrase or totp goes with the signer's nik")
        return self


class ClaimResolution(InputModel):
    """After a BSrE signature whose outcome was unknown, someone checked the esign service:
    ``not_signed`` (the signer or an admin) lets signing be tried again; ``signed`` (the signer)
    hands in the file BSrE signed, which is verified before it counts as his signature."""

    outcome: Literal["not_signed", "signed"]
    signed_pdf: Base64Bytes | None = Field(
        None, description="For outcome=signed: the signed PDF, base64 (at most 4 MB)"
    )
    nik: Annotated[str, StringConstraints(pattern=r"^\d{16}$")] | None = Field(
        None, description="For outcome=signed: the NIK whose BSrE certificate signed it"
    )
    note: LongText | None = None

    @model_validator(mode="after")
    def _file_with_signed(self) -> ClaimResolution:
        signed = self.outcome == "signed"
        if signed != (self.signed_pdf is not None) or signed != (self.nik is not None):
            raise ValueError("send signed_pdf and nik with outcome=signed, and only then")
        if self.signed_pdf is not None and len(self.signed_pdf) > 4 * 1024 * 1024:
            raise ValueError("signed_pdf is larger than 4 MB")
        return self


class VersionReceived(OutputModel):
    """A version sent inline, stored for the intake function to check and record."""

    outgoing_id: str
    sha256: str
    size: int
    status: Literal["received"] = "received"


# ---------------------------------------------------------------- public verification
class PublicSignature(OutputModel):
    name: str
    position: str
    capacity: str
    signed_at: datetime
    level: str


class PublicDocument(OutputModel):
    document_id: str
    status: Literal["valid", "revoked", "incomplete"] = Field(
        description="incomplete: a letter still being signed (not every signer has signed)"
    )
    number: str | None
    kind: str
    subject: str | None = Field(description="Left out for a secret letter")
    unit_name: str
    signed_on: str | None
    signatures: list[PublicSignature]
    signers_total: int = Field(description="How many officials sign the letter (the seal aside)")
    sha256: str = Field(description="SHA-256 of the signed file this system keeps (so far)")
    size: int
    revoked_at: datetime | None = None
    revocation_reason: str | None = None


class KnownDocument(OutputModel):
    """The letter of this system a checked file belongs to."""

    document_id: str
    number: str | None
    status: Literal["valid", "revoked", "incomplete"] = Field(
        description="incomplete: a letter still being signed (not every signature is on it)"
    )
    same_file: bool = Field(description="Byte for byte the file this system keeps")


class FileCheck(OutputModel):
    report: VerificationReport
    known_document: KnownDocument | None = Field(
        description="The letter of this system the file belongs to, if any"
    )
