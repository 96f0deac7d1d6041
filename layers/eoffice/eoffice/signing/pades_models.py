"""What a PAdES signature is given and what it gives back: the visible mark, the first
signature's stamps, the long-term wish, the signed file. Types only: :mod:`eoffice.signing.pades`
signs with them and :mod:`eoffice.signing.stamps` draws them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from asn1crypto import x509


@dataclass(frozen=True)
class VisibleSignature:
    verify_url: str
    """What the QR code opens."""
    signer_name: str
    position: str
    """Jabatan as printed, e.g. "Plt. Kepala Dinas Kominfo" (the caller adds Plt./Plh.)."""
    signed_at_text: str
    """As printed, e.g. "28 November 2026 16:14 WITA" (rendered by the caller)."""
    slot: int = 0
    """Which signer: on the draft's ``[[ttd<slot+1>]]`` placeholder, else side by side at the
    bottom of the last page."""


@dataclass(frozen=True)
class LetterStamps:
    """Applied with the FIRST signature only: page content added later voids signatures."""

    number: str
    """e.g. "800.1.2.2/12/KOMINFO/2026": on ``[[nomor]]``, else in the top margin of page 1."""
    date_line: str
    """e.g. "Malili, 28 November 2026": on ``[[tanggal]]``, else after the number."""
    footer: str
    """Indonesian footer, bottom of every page."""


@dataclass(frozen=True)
class LongTerm:
    """Try B-LT: embed revocation data when the signer's OCSP/CRL answers in time."""

    trust_roots: tuple[x509.Certificate, ...]
    timeout: float = 3.0


@dataclass(frozen=True)
class Signed:
    pdf: bytes
    field_name: str
    """"Tanda_Tangan_1", ...; "Segel" for the seal."""
    level: Literal["B-T", "B-LT"]
    cms_sha256: str
    """SHA-256 of the CMS DER: recognises this signature in later revisions of the file."""
    file_sha256: str
    signed_at: datetime
    """The time-stamp token's time (UTC)."""
