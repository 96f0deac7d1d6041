"""What verification tells a reader (``POST /verify``): one entry per signature, in file order."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from eoffice.models import OutputModel

SignatureKind = Literal["signature", "seal", "document_timestamp"]


class SignerReport(OutputModel):
    common_name: str | None
    organization: str | None
    serial_number: str | None
    """The subject's serialNumber attribute (BSrE puts the NIK or NIP there)."""
    issuer_common_name: str | None
    certificate_serial: str
    """Hexadecimal."""
    not_before: datetime
    not_after: datetime


class TimestampReport(OutputModel):
    time: datetime | None
    intact: bool
    trusted: bool
    authority: str | None
    """The TSA certificate's common name."""


class SignatureReport(OutputModel):
    field_name: str
    kind: SignatureKind
    intact: bool
    """The signed bytes are unchanged."""
    valid: bool
    """The signature value verifies over the signed attributes (pyHanko's ``valid``); it says
    nothing of the document's bytes, which ``intact`` covers."""
    trusted: bool
    """The certificate chains to a configured root and is not revoked nor expired."""
    revoked: bool
    expired: bool | None
    bottom_line: bool
    """pyHanko's overall verdict (includes the modification analysis)."""
    summary: str
    signer: SignerReport | None
    chain: list[str]
    """Certificate subjects from the signer to the root; empty when untrusted."""
    trust_problem: str | None
    """Short stable text: untrusted_root, expired, revoked, invalid_signature, modified, ..."""
    claimed_signing_time: datetime | None
    timestamp: TimestampReport | None
    coverage: str | None
    """entire_file, entire_revision, contiguous_block_from_start, unclear."""
    modification_level: str | None
    """none, lta_updates, form_filling, annotations, other."""
    docmdp_ok: bool | None
    modified_after_signing: bool
    notes: list[str]
    """For people, in Bahasa Indonesia."""
    cms_sha256: str
    """Equals ``Signed.cms_sha256`` of a signature this system made."""


class VerificationReport(OutputModel):
    file_sha256: str
    size: int
    signature_count: int
    all_valid: bool
    """At least one signature, and every one's bottom line is good."""
    signatures: list[SignatureReport]
