"""Leave documents (doctor's notes, travel orders), the decisions: what an uploaded document may
be. It holds 1 byte to 10 MB and is a PDF, JPEG or PNG that passes a letter file's check
(``letters.file_rules.check``, ADR 0015): a PDF with active content or past the inspection's
bounds is refused as ``active_content`` or ``too_complex``; anything else not accepted is
``invalid_document``.
Pure: ``leave_document_store.py`` reads the bucket, the leave service calls both."""

from __future__ import annotations

from dataclasses import dataclass

from eoffice.errors import InvalidInput

MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class CheckedDocument:
    key: str
    media_type: str
    size: int
    version: str | None = None


def check_size(size: int) -> None:
    """422 ``invalid_document`` unless 1 byte to ``MAX_BYTES``."""
    if not 0 < size <= MAX_BYTES:
        raise InvalidInput(
            f"a document must hold 1 byte to {MAX_BYTES // (1024 * 1024)} MB; it has {size:,} bytes",
            code="invalid_document",
        )


def media_type_of(data: bytes) -> str:
    """What ``data`` is, if a document accepted here; refused as ``letters.file_rules.check``
    says why."""
    from eoffice.letters.file_rules import HOSTILE, FileKind, RejectedFile, check  # not at start-up

    try:
        kinds = (FileKind.pdf, FileKind.jpeg, FileKind.png)
        return check(data, max_bytes=MAX_BYTES, kinds=kinds).media_type
    except RejectedFile as refused:
        code = refused.reason.value if refused.reason in HOSTILE else "invalid_document"
        raise InvalidInput(refused.detail, code=code) from refused
