"""Verification of signed PDFs (``POST /verify`` and the letter's own page).

Offline by default: no fetching, revocation soft-fail. A B-LT signature is checked against the
revocation data in its DSS; a B-T one is reported trusted on its chain alone (revoked only when
revocation data is at hand). ``fetch_timeout`` opts in to asking OCSP/CRL over the network.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import io
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from asn1crypto import x509
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import SigSeedSubFilter, enumerate_sig_fields
from pyhanko.sign.validation import async_validate_pdf_signature, async_validate_pdf_timestamp
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko_certvalidator import ValidationContext

from eoffice.signing import fetcher
from eoffice.signing.cms import cms_sha256
from eoffice.signing.report_models import (
    SignatureKind,
    SignatureReport,
    SignerReport,
    TimestampReport,
    VerificationReport,
)

_QUIET = ("pyhanko", "pyhanko_certvalidator")
_PERMITTED_LATER = {"lta_updates", "form_filling", "annotations"}
_EXPIRY = ("OUT_OF_BOUNDS", "EXPIRED")
_NO_CHAIN = ("NO_CERTIFICATE_CHAIN_FOUND", "CERTIFICATE_CHAIN_GENERAL_FAILURE")
_MALFORMED = (PdfReadError, ValueError, KeyError, IndexError, TypeError, AttributeError)
"""What asn1crypto and pyHanko raise on malformed input instead of a validation error."""
_SUBFILTERS = {f.value for f in SigSeedSubFilter}

logger = logging.getLogger(__name__)


def verify_pdf(
    pdf: bytes,
    trust_roots: Sequence[x509.Certificate],
    *,
    fetch_timeout: float | None = None,
) -> VerificationReport:
    """Report on every signature and document timestamp of ``pdf``; ValueError if not a PDF."""
    reader = _reader(pdf)
    with _quiet():
        entries = asyncio.run(_validate_all(reader, list(trust_roots), fetch_timeout))
    return VerificationReport(
        file_sha256=hashlib.sha256(pdf).hexdigest(),
        size=len(pdf),
        signature_count=len(entries),
        all_valid=bool(entries) and all(e.bottom_line for e in entries),
        signatures=entries,
    )


def _reader(pdf: bytes) -> PdfFileReader:
    if b"%PDF-" not in pdf[:1024]:
        raise ValueError("the file is not a PDF (no %PDF- header)")
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        _ = reader.root
    except (PdfReadError, ValueError, KeyError, IndexError) as error:
        raise ValueError(f"the file is not a readable PDF: {error}") from error
    return reader


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """pyHanko logs a full traceback for every untrusted, expired or revoked signature."""
    loggers = [logging.getLogger(name) for name in _QUIET]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


@dataclass(frozen=True)
class _Unreadable:
    """A filled signature field whose signature cannot even be parsed (garbled /Contents)."""

    field_name: str
    timestamp: bool
    contents: bytes
    error: Exception


async def _validate_all(
    reader: PdfFileReader, roots: list[x509.Certificate], fetch_timeout: float | None
) -> list[SignatureReport]:
    dss = _read_dss(reader)
    backend = fetcher.backend(fetch_timeout) if fetch_timeout else None
    entries = []
    try:
        for emb in _signatures(reader):
            if isinstance(emb, _Unreadable):
                entries.append(_broken(emb.field_name, emb.timestamp, emb.contents, emb.error))
                continue
            settings: dict[str, Any] = {"trust_roots": roots, "revocation_mode": "soft-fail"}
            if backend is not None:
                settings.update(allow_fetching=True, fetcher_backend=backend)
            else:
                settings["allow_fetching"] = False
            vc = dss.as_validation_context(settings) if dss else ValidationContext(**settings)
            entries.append(await _validate_or_broken(emb, vc))
    finally:
        if backend is not None:
            await backend.close()
    return entries


def _read_dss(reader: PdfFileReader) -> DocumentSecurityStore | None:
    """The DSS, or None when there is none or it cannot be read: the signatures are then
    judged without its revocation data instead of failing the whole report."""
    try:
        return DocumentSecurityStore.read_dss(reader) if "/DSS" in reader.root else None
    except _MALFORMED as error:
        logger.warning("unreadable DSS ignored: %s", type(error).__name__)
        return None


def _signatures(reader: PdfFileReader) -> list[EmbeddedPdfSignature | _Unreadable]:
    """Every filled signature field in signing order, as pyHanko's ``embedded_signatures``
    (which fails as a whole on one garbled CMS); unreadable ones come last."""
    readable: list[EmbeddedPdfSignature] = []
    unreadable: list[EmbeddedPdfSignature | _Unreadable] = []
    try:
        fields = list(enumerate_sig_fields(reader, filled_status=True))
    except _MALFORMED as error:
        raise ValueError("the PDF's signature fields cannot be read") from error
    for name, sig_object, sig_field in fields:
        try:
            if sig_object.get_object().get("/SubFilter") not in _SUBFILTERS:
                continue  # pyHanko ignores these too
            readable.append(EmbeddedPdfSignature(reader, sig_field, name))
        except _MALFORMED as error:
            unreadable.append(_unreadable(name, sig_object, error))
    readable.sort(key=lambda emb: emb.signed_revision)
    return [*readable, *unreadable]


def _unreadable(name: str, sig_object: Any, error: Exception) -> _Unreadable:
    try:
        signature = sig_object.get_object()
        timestamp = signature.get("/Type") == "/DocTimeStamp"
        contents = bytes(signature.raw_get("/Contents").original_bytes)
    except (*_MALFORMED, LookupError):
        timestamp, contents = False, b""
    return _Unreadable(name, timestamp, contents, error)


async def _validate_or_broken(emb: EmbeddedPdfSignature, vc: Any) -> SignatureReport:
    """A signature pyHanko cannot evaluate (bad timestamp, odd CMS) is reported broken; the
    others are still checked."""
    try:
        return await _validate(emb, vc)
    except (SignatureValidationError, *_MALFORMED) as error:
        timestamp = emb.sig_object_type == "/DocTimeStamp"
        return _broken(emb.field_name or "", timestamp, emb.pkcs7_content, error)


async def _validate(emb: EmbeddedPdfSignature, vc: Any) -> SignatureReport:
    if emb.sig_object_type == "/DocTimeStamp":
        stamp = await async_validate_pdf_timestamp(emb, validation_context=vc)
        return _report(emb, stamp, "document_timestamp", stamp.timestamp, None)
    status = await async_validate_pdf_signature(emb, vc)
    kind: SignatureKind = "seal" if _is_seal(emb) else "signature"
    ts = status.timestamp_validity
    token = None
    if ts is not None:
        token = TimestampReport(
            time=ts.timestamp,
            intact=ts.intact,
            trusted=ts.trusted,
            authority=_cn(ts.signing_cert.subject),
        )
    return _report(emb, status, kind, emb.self_reported_timestamp, token)


def _is_seal(emb: EmbeddedPdfSignature) -> bool:
    name = emb.field_name or ""
    return name.startswith("Segel") or "/Lock" in emb.sig_field


def _report(
    emb: EmbeddedPdfSignature,
    status: Any,
    kind: SignatureKind,
    claimed: Any,
    token: TimestampReport | None,
) -> SignatureReport:
    coverage = status.coverage.name.lower() if status.coverage is not None else None
    level = status.modification_level
    modification = level.name.lower() if level is not None else None
    modified = _modified(status.intact, coverage, modification, status.docmdp_ok)
    problem = _trust_problem(status, modified)
    chain = []
    if status.trusted and status.validation_path is not None:
        chain = [c.subject.human_friendly for c in status.validation_path.iter_certs(True)][::-1]
    entry = SignatureReport(
        field_name=emb.field_name or "",
        kind=kind,
        intact=status.intact,
        valid=status.valid,
        trusted=status.trusted,
        revoked=status.revoked,
        expired=True if problem == "expired" else (False if status.trusted else None),
        bottom_line=_bottom_line(status, modified),
        summary=status.summary(),
        signer=_signer(emb.signer_cert),
        chain=chain,
        trust_problem=problem,
        claimed_signing_time=claimed,
        timestamp=token,
        coverage=coverage,
        modification_level=modification,
        docmdp_ok=status.docmdp_ok,
        modified_after_signing=modified,
        notes=[],
        cms_sha256=cms_sha256(emb.pkcs7_content),
    )
    entry.notes = _notes(entry)
    return entry


def _bottom_line(status: Any, modified: bool) -> bool:
    """pyHanko's verdict; a document timestamp status has none, so judge it the same way."""
    if hasattr(status, "bottom_line"):
        return bool(status.bottom_line)
    return bool(status.intact and status.valid and status.trusted) and not modified


def _broken(field_name: str, timestamp: bool, contents: bytes, error: Exception) -> SignatureReport:
    """A signature that cannot even be evaluated (malformed CMS, wrong type): invalid."""
    logger.info("broken signature %r: %s", field_name, type(error).__name__)
    return SignatureReport(
        field_name=field_name,
        kind="document_timestamp" if timestamp else "signature",
        intact=False,
        valid=False,
        trusted=False,
        revoked=False,
        expired=None,
        bottom_line=False,
        summary=f"ERROR: {type(error).__name__}",
        signer=None,
        chain=[],
        trust_problem="invalid_signature",
        claimed_signing_time=None,
        timestamp=None,
        coverage=None,
        modification_level=None,
        docmdp_ok=None,
        modified_after_signing=True,
        notes=["Tanda tangan rusak atau tidak dapat dibaca."],
        cms_sha256=cms_sha256(contents),
    )


def _modified(
    intact: bool, coverage: str | None, modification: str | None, docmdp_ok: bool | None
) -> bool:
    """Changed after signing, beyond what later signatures and LT data may add."""
    if not intact:
        return True
    if coverage == "entire_file":
        return False
    return not (
        coverage == "entire_revision"
        and docmdp_ok is not False
        and modification in _PERMITTED_LATER
    )


def _trust_problem(status: Any, modified: bool) -> str | None:
    if not (status.intact and status.valid):
        return "invalid_signature"
    if status.revoked:
        return "revoked"
    if not status.trusted:
        indic = status.trust_problem_indic.name if status.trust_problem_indic else "UNKNOWN"
        if any(word in indic for word in _EXPIRY):
            return "expired"
        if indic in _NO_CHAIN:
            return "untrusted_root"
        return indic.lower()
    if modified:
        return "modified"
    return None


def _signer(cert: x509.Certificate | None) -> SignerReport | None:
    if cert is None:
        return None
    subject = cert.subject.native
    return SignerReport(
        common_name=subject.get("common_name"),
        organization=subject.get("organization_name"),
        serial_number=subject.get("serial_number"),
        issuer_common_name=_cn(cert.issuer),
        certificate_serial=format(cert.serial_number, "x"),
        not_before=cert.not_valid_before,
        not_after=cert.not_valid_after,
    )


def _cn(name: x509.Name) -> str | None:
    value = name.native.get("common_name")
    return str(value) if value is not None else None


_PROBLEM_NOTES = {
    "invalid_signature": "Isi dokumen telah berubah sejak ditandatangani atau tanda tangan tidak sah.",
    "revoked": "Sertifikat penanda tangan telah dicabut.",
    "expired": "Sertifikat penanda tangan sudah kedaluwarsa atau belum berlaku saat penandatanganan.",
    "untrusted_root": "Sertifikat penanda tangan tidak diterbitkan oleh penyelenggara yang dipercaya.",
    "modified": "Dokumen diubah setelah ditandatangani.",
}


def _notes(entry: SignatureReport) -> list[str]:
    notes = []
    if entry.bottom_line:
        notes.append("Tanda tangan sah dan dokumen tidak berubah sejak ditandatangani.")
    elif entry.trust_problem:
        notes.append(
            _PROBLEM_NOTES.get(
                entry.trust_problem, "Sertifikat penanda tangan tidak dapat dipercaya."
            )
        )
    if entry.modified_after_signing and entry.trust_problem != "modified":
        notes.append(_PROBLEM_NOTES["modified"])
    if entry.timestamp is not None and entry.timestamp.trusted:
        notes.append("Waktu penandatanganan dijamin oleh stempel waktu tepercaya.")
    if entry.coverage == "entire_revision" and not entry.modified_after_signing:
        notes.append(
            "Setelah tanda tangan ini hanya ada tambahan yang diizinkan (tanda tangan lain atau data validasi)."
        )
    return notes
