"""Signing an outgoing letter through BSrE's esign service (the BSrE half of
:mod:`eoffice.outgoing.signing`; the HTTP client is :mod:`eoffice.signing.backends.bsre`).

The service signs the whole PDF with the signer's certificate (held by BSrE, unlocked by his
passphrase or TOTP), so the number, date and footer are stamped first as a plain incremental
update, and the visible mark is sent as an image.

BSrE answers PAdES B-T; revocation data is added afterwards (B-LT) when reachable. A request
that reached the service and then timed out has an unknown outcome: ``BsreOutcomeUnknown`` goes
up unchanged and is never retried (the letter could be signed twice).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from asn1crypto import x509

from eoffice import settings
from eoffice.errors import Conflict, Forbidden, InvalidInput, UpstreamFailed
from eoffice.outgoing import wording
from eoffice.outgoing.models import Outgoing, SignRequest
from eoffice.signing import bsre_store, pades, pades_models
from eoffice.signing.backends import bsre
from eoffice.signing.cms import cms_sha256, tst_info
from eoffice.signing.stamps import appearance_png


def client() -> bsre.BsreClient:
    """A client of the configured service; its basic-auth credentials come from Secrets
    Manager (``BSRE_CREDENTIALS_SECRET``), never from the environment."""
    configured = settings.get(settings.Bsre)
    assert configured.bsre_url is not None  # asked only when BSrE is configured
    username, password = bsre_store.read_credentials(configured.bsre_credentials_secret)
    return bsre.BsreClient(
        configured.bsre_url,
        username=username,
        password=password,
        timeout=configured.bsre_timeout_seconds,
    )


@dataclass(frozen=True)
class Prepared:
    """A request ready to go to BSrE: the stamped document, its mark and the credentials."""

    service: bsre.BsreClient
    document: bytes
    appearance: bsre.BsreAppearance
    credentials: bsre.BsreCredentials = field(repr=False)


def prepare(
    pdf: bytes,
    request: SignRequest,
    visible: pades_models.VisibleSignature,
    stamps: pades_models.LetterStamps | None,
) -> Prepared:
    """Check the signer's certificate status and stamp the letter; nothing is signed yet."""
    service = client()
    nik = request.nik or ""
    _require_certificate(service, nik)
    document = pades.stamp_letter(pdf, stamps) if stamps else pdf
    page, x, y, width, height = pades.signature_box(document, visible.slot)
    appearance = bsre.BsreAppearance(
        image_png=appearance_png(visible),
        page=page,
        x=x,
        y=y,
        width=width,
        height=height,
        reason="Ditandatangani secara elektronik",
        location=wording.place(),
    )
    credentials = bsre.BsreCredentials(nik=nik, passphrase=request.passphrase, totp=request.totp)
    return Prepared(service, document, appearance, credentials)


def send(
    prepared: Prepared, long_term: pades_models.LongTerm | None
) -> tuple[pades_models.Signed, x509.Certificate]:
    """Have BSrE sign; the signed file and the certificate it was signed with. Once BSrE has
    answered, any failure is ``BsreOutcomeUnknown``: a signature exists and must not be made
    again."""
    try:
        signed = prepared.service.sign_pdf(
            prepared.document, prepared.credentials, prepared.appearance
        )
    except bsre.BsreRejected as rejected:
        raise Forbidden(f"BSrE refused to sign: {rejected}", code="bsre_rejected") from rejected
    except bsre.BsreUnavailable as unavailable:
        raise UpstreamFailed(
            "BSrE's esign service cannot be reached", code="bsre_unavailable"
        ) from unavailable
    try:
        return described(*_long_term_if_possible(signed, long_term))
    except pades.CertificateUnusable as unusable:  # a signature nobody can rely on: not kept
        raise Conflict(
            "BSrE signed with a certificate that is revoked or expired; the signature is not kept",
            code="certificate_unusable",
        ) from unusable
    except Exception as error:
        raise bsre.BsreOutcomeUnknown("BSrE signed, but the file could not be read") from error


def _long_term_if_possible(
    pdf: bytes, long_term: pades_models.LongTerm | None
) -> tuple[bytes, str]:
    """BSrE answers B-T: add the revocation data (B-LT) when it can be fetched."""
    upgraded = pades.add_long_term(pdf, long_term) if long_term is not None else None
    return (upgraded, "B-LT") if upgraded is not None else (pdf, "B-T")


def _require_certificate(service: bsre.BsreClient, nik: str) -> None:
    try:
        service.ensure_can_sign(nik)
    except bsre.BsreRejected as rejected:  # the certificate is not valid (expired, revoked...)
        raise Conflict(f"the signer's BSrE {rejected}", code=f"bsre_{rejected.code}") from rejected
    except bsre.BsreError as error:
        raise UpstreamFailed(
            "BSrE's certificate status cannot be checked", code="bsre_unavailable"
        ) from error


def described(pdf: bytes, level: str) -> tuple[pades_models.Signed, x509.Certificate]:
    """What we record of BSrE's signature, read from the file it returned."""
    import hashlib

    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    signature = [
        s for s in reader.embedded_signatures if s.sig_object.get("/Type") != "/DocTimeStamp"
    ][-1]
    signed_at = _token_time(signature.signer_info) or signature.self_reported_timestamp
    if signed_at is None:
        raise UpstreamFailed("BSrE's signature carries no time", code="bsre_no_timestamp")
    result = pades_models.Signed(
        pdf=pdf,
        field_name=signature.field_name,
        level=level,  # type: ignore[arg-type]  # B-T or B-LT
        cms_sha256=cms_sha256(signature.pkcs7_content),
        file_sha256=hashlib.sha256(pdf).hexdigest(),
        signed_at=signed_at.astimezone(UTC),
    )
    return result, signature.signer_cert


def _token_time(signer_info: Any) -> datetime | None:
    """The time in the signature's RFC 3161 timestamp token (what B-T adds)."""
    attributes = signer_info["unsigned_attrs"]
    for attribute in attributes if attributes.native else []:
        if attribute["type"].native == "signature_time_stamp_token":
            moment: datetime = tst_info(attribute["values"][0])["gen_time"].native
            return moment
    return None


def accept_returned(
    pdf: bytes, outgoing: Outgoing, before: bytes, nik: str, long_term: pades_models.LongTerm | None
) -> tuple[pades_models.Signed, x509.Certificate]:
    """Check that ``pdf`` is this letter with exactly one more signature, by ``nik``'s
    certificate, intact, trusted and not followed by changes: the earlier signatures are the ones
    recorded, and the file extends what was sent (``before``), or at a first signature at least
    carries the letter's number."""
    from eoffice.signing import keys
    from eoffice.signing.verify import verify_pdf

    try:
        report = verify_pdf(pdf, keys.trust_roots())
    except ValueError as error:
        raise InvalidInput(str(error), code="not_a_pdf") from error
    signatures = [s for s in report.signatures if s.kind == "signature"]
    recorded = [s.cms_sha256 for s in outgoing.signatures if s.capacity != "seal"]
    if [s.cms_sha256 for s in signatures[:-1]] != recorded or len(signatures) != len(recorded) + 1:
        raise InvalidInput(
            "the file is not this letter with one more signature", code="not_this_letter"
        )
    last = signatures[-1]
    if not (last.intact and last.trusted and not last.modified_after_signing):
        raise InvalidInput(
            f"the new signature does not verify ({last.trust_problem or last.summary})",
            code="signature_not_valid",
        )
    if last.signer is None or last.signer.serial_number != nik:
        raise InvalidInput(
            "the new signature is not by this NIK's certificate", code="not_this_signer"
        )
    if not (pdf.startswith(before) or (not recorded and _carries(pdf, outgoing.number or ""))):
        raise InvalidInput("the file is not the document that was sent", code="not_this_letter")
    try:
        return described(*_long_term_if_possible(pdf, long_term))
    except pades.CertificateUnusable as unusable:
        raise InvalidInput(
            "the new signature's certificate is revoked or expired", code="signature_not_valid"
        ) from unusable


def _carries(pdf: bytes, number: str) -> bool:
    """The letter's number is in the first page's text (what was stamped before sending)."""
    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text() or ""
    return bool(number) and number in " ".join(text.split())
