"""Public verification (no sign-in): what the QR code on a signed letter opens, and the check of
any PDF someone holds. Both run in the signing function.

The record shows what makes a letter checkable (number, signers, times, the signed file's
SHA-256, revocation) and, for a secret letter (sifat rahasia), not its subject. A letter with a
first signature is public already (its QR code is printed): it shows as incomplete until the last
signer has signed. The pages themselves are in :mod:`eoffice.outgoing.verify_pages`.
"""

from __future__ import annotations

from typing import Literal

from eoffice import settings
from eoffice.errors import NotFound, PayloadTooLarge, TooManyRequests
from eoffice.http import forms
from eoffice.org import store as org_store
from eoffice.outgoing import rules, store
from eoffice.outgoing.models import (
    FileCheck,
    KnownDocument,
    Outgoing,
    OutgoingStatus,
    PublicDocument,
    PublicSignature,
)

MAX_VERIFY_BYTES = 4 * 1024 * 1024  # a Lambda request is at most 6 MB, base64 included
FORM_FIELD = "berkas"
"""The file input of the public page's form."""
_FORM_ALLOWANCE = 16 * 1024
"""Bytes of a form's own (boundaries, headers) not counted against the file's limit."""
_PUBLIC = frozenset({OutgoingStatus.signing, OutgoingStatus.signed, OutgoingStatus.revoked})


def public_document(document_id: str) -> PublicDocument:
    found = store.get(document_id)
    if found is None or found[0].status not in _PUBLIC or found[0].signed_file is None:
        raise NotFound("no signed document has this id", code="document_not_found")
    return _public(found[0])


def _public(outgoing: Outgoing) -> PublicDocument:
    signed = outgoing.signed_file
    assert signed is not None
    unit = org_store.get_unit(outgoing.unit_id)
    revocation = outgoing.revocation
    return PublicDocument(
        document_id=outgoing.outgoing_id,
        status=_public_status(outgoing),
        number=outgoing.number,
        kind=outgoing.kind.value,
        subject=outgoing.subject if rules.shows_in_public(outgoing.sifat) else None,
        unit_name=unit.name if unit else outgoing.unit_code,
        signed_on=outgoing.signed_on,
        signatures=[
            PublicSignature(
                name=s.name,
                position=s.position,
                capacity=s.capacity,
                signed_at=s.signed_at,
                level=s.level,
            )
            for s in outgoing.signatures
        ],
        signers_total=len(outgoing.signers),
        sha256=signed.sha256,
        size=signed.size,
        revoked_at=revocation.at if revocation else None,
        revocation_reason=revocation.reason if revocation else None,
    )


def known_document(signature_hashes: list[str], file_sha256: str) -> KnownDocument | None:
    """The letter a file matches: the same file, or else one of its signatures (a later
    revision of a file adds to it but keeps the signatures)."""
    owner = store.signed_by_lookup("FILE", file_sha256)
    same_file = owner is not None
    hashes = iter(signature_hashes)
    while owner is None and (sha := next(hashes, None)) is not None:
        owner = store.signed_by_lookup("CMS", sha)
    found = store.get(owner) if owner else None
    if found is None:
        return None
    outgoing = found[0]
    kept = outgoing.signed_file
    same = same_file and kept is not None and kept.sha256 == file_sha256
    return KnownDocument(
        document_id=outgoing.outgoing_id,
        number=outgoing.number,
        status=_public_status(outgoing),
        same_file=same,
    )


def _public_status(outgoing: Outgoing) -> Literal["valid", "revoked", "incomplete"]:
    if outgoing.status is OutgoingStatus.revoked:
        return "revoked"
    return "valid" if outgoing.status is OutgoingStatus.signed else "incomplete"


def admit(size: int, address: str) -> None:
    """Refuse before any work: a file too large, or an address over its rate."""
    _require_size(size)
    limit = settings.get(settings.Signing).verify_rate_limit
    if not store.take_rate(address, limit=limit):
        raise TooManyRequests(
            f"at most {limit} files a minute from one address; wait a minute", code="rate_limited"
        )


def _require_size(size: int) -> None:
    if size > MAX_VERIFY_BYTES:
        raise PayloadTooLarge(
            f"at most {MAX_VERIFY_BYTES:,} bytes can be checked here", code="file_too_large"
        )


# ---------------------------------------------------------------- any file
def check_file(data: bytes, address: str) -> FileCheck:
    """Verify every signature of ``data`` against the configured roots (pyHanko, loaded
    here), and find the letter of this system it belongs to."""
    admit(len(data), address)
    return _checked(data)


def check_form(body: bytes, content_type: str, address: str) -> FileCheck:
    """:func:`check_file` of the file a browser's form sent (the public page, no JavaScript):
    admitted (size, rate) before the form is even parsed."""
    admit(max(0, len(body) - _FORM_ALLOWANCE), address)
    data = forms.file_field(body, content_type, FORM_FIELD)
    _require_size(len(data))
    return _checked(data)


def _checked(data: bytes) -> FileCheck:
    from eoffice.errors import InvalidInput
    from eoffice.signing import keys
    from eoffice.signing.verify import verify_pdf

    try:
        report = verify_pdf(data, keys.trust_roots())
    except ValueError as error:
        raise InvalidInput(str(error), code="not_a_pdf") from error
    hashes = [s.cms_sha256 for s in report.signatures if s.cms_sha256]
    return FileCheck(report=report, known_document=known_document(hashes, report.file_sha256))
