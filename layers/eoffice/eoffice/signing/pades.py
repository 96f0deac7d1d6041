"""PAdES signing of outgoing letters: one incremental update per signer, B-T or B-LT.

The fast path (docs/research/signing.md section 6): pyHanko prepares the signature field, the
appearance and the byte-range digest ("interrupted signing"), the CMS is concatenated from DER
prepared once per certificate (:mod:`eoffice.signing.cms`), the key signs once (one KMS call),
the TSA is asked once, and pyHanko writes the CMS into the reserved space. Stock pyHanko is
far slower on a one-page letter (key re-parsing, a dry-run signature to size the space,
asn1crypto object building, aiohttp; figures in docs/performance.md, Signing).
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import logging
import threading
from collections.abc import Coroutine
from datetime import datetime
from typing import Any, Literal, TypeVar

from asn1crypto import algos
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers.pdf_signer import (
    DSSContentSettings,
    PdfTBSDocument,
    SigDSSPlacementPreference,
)
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from pyhanko.sign.validation import dss
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.errors import (
    ExpiredError,
    NotYetValidError,
    PathError,
    RevokedError,
    ValidationError,
)
from pyhanko_certvalidator.registry import SimpleCertificateStore

from eoffice.signing import cms, fetcher, placeholders
from eoffice.signing import stamps as marks
from eoffice.signing.backends.base import KeyMaterial
from eoffice.signing.pades_models import LetterStamps, LongTerm, Signed, VisibleSignature
from eoffice.signing.tsa_client import TsaUnreachable, timestamper

logger = logging.getLogger(__name__)
_T = TypeVar("_T")

SEAL_FIELD = "Segel"
SIGNATURE_FIELD = "Tanda_Tangan_{}"
_RESERVE_MARGIN = 512
"""Bytes of slack over the computed CMS size: TSA tokens vary by a few bytes (nonce, time)."""


class SigningFailed(Exception):
    """The letter could not be signed (no TSA answer, a revoked or expired certificate...).

    The message is safe to show a client (no URL, no library text); details go to the log."""


class CertificateUnusable(SigningFailed):
    """The signer's certificate is revoked, expired or not yet valid: no retry will help."""


_TSA_SILENT = "the timestamp authority did not answer"
_TSA_ERROR = "the timestamp authority answered with an error"
_TSA_UNUSABLE = "the timestamp authority's certificate is not usable"
_UNUSABLE = "the signer's certificate is not usable (revoked, expired or not yet valid)"
_UNUSABLE_ERRORS = (RevokedError, ExpiredError, NotYetValidError)


def sign_pdf(
    pdf: bytes,
    key: KeyMaterial,
    *,
    tsa_url: str,
    visible: VisibleSignature | None,
    stamps: LetterStamps | None = None,
    long_term: LongTerm | None = None,
    lock: bool = False,
) -> Signed:
    """Sign ``pdf`` in an incremental update (PAdES B-T, or B-LT when ``long_term`` works out).

    ``lock`` makes the institution's seal after the last signature: FieldMDP ALL and DocMDP
    NO_CHANGES, so any later change shows as a modification. Raises :class:`SigningFailed`
    when the TSA does not answer: a letter is never signed without a trusted time.
    """
    job = _Job(pdf, key, tsa_url, visible, stamps, lock)
    return _run(job.run(long_term))


def _run(coroutine: Coroutine[Any, Any, _T]) -> _T:
    """Run ``coroutine`` to its end on this thread's event loop, in a task that ends with no
    result of its own: a task holding the signed bytes had Python 3.11 format their repr
    (asyncio.run looks its SIGINT handler up, a partial holding the task), about 100 ms twice
    for a 5 MB scan (issue 19). Like ``asyncio.run``, refused inside a running loop."""
    results: list[_T] = []

    async def keep() -> None:
        results.append(await coroutine)

    _event_loop().run_until_complete(keep())
    return results[0]


_thread = threading.local()


def _event_loop() -> asyncio.AbstractEventLoop:
    """This thread's event loop for signatures, made once: ``asyncio.run`` makes one (a
    selector, a socket pair) and tears it down for every signature, about 0.2 ms. Each job
    closes its own sessions and awaits its tasks, so nothing is left on it between two."""
    loop: asyncio.AbstractEventLoop | None = getattr(_thread, "loop", None)
    if loop is None or loop.is_closed():
        loop = _thread.loop = asyncio.new_event_loop()
    return loop


def stamp_letter(pdf: bytes, stamps: LetterStamps) -> bytes:
    """The letter stamps as an unsigned incremental update (BSrE then signs the whole PDF)."""
    writer = _writer(pdf)
    marks.apply_letter_stamps(writer, stamps, placeholders.find(pdf, writer))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def signature_box(pdf: bytes, slot: int) -> tuple[int, float, float, float, float]:
    """(page index, x, y, width, height) of signature ``slot``: on its ``[[ttdN]]`` placeholder
    (recorded in the catalog when they were filled), else on the last page."""
    writer = _writer(pdf)
    return _signature_box(writer, slot, placeholders.find(pdf, writer))


def add_long_term(pdf: bytes, long_term: LongTerm) -> bytes | None:
    """Upgrade the last signature (e.g. BSrE's B-T) to LT; None when complete revocation data
    is out of reach within ``long_term.timeout``. Raises :class:`CertificateUnusable` when the
    revocation data says the signer's certificate is revoked, or it is expired."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    signatures = reader.embedded_signatures
    if not signatures:
        raise ValueError("the PDF has no signature to extend")
    out = io.BytesIO()

    async def extend() -> None:
        fetching = _Fetching(long_term)
        try:
            await asyncio.wait_for(
                dss.async_add_validation_info(signatures[-1], fetching.context, output=out),
                long_term.timeout,
            )
        finally:
            await fetching.close()

    try:
        asyncio.run(extend())
    except (TimeoutError, OSError, SigningError, ValueError, PathError, ValidationError) as error:
        if _unusable(error):
            logger.warning("long-term validation refused: %s", error)
            raise CertificateUnusable(_UNUSABLE) from error
        logger.warning("long-term validation data unavailable: %s", type(error).__name__)
        return None
    return out.getvalue()


def _unusable(error: BaseException) -> bool:
    """Whether ``error`` (or what it wraps) says revoked, expired or not yet valid."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, _UNUSABLE_ERRORS):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _writer(pdf: bytes) -> IncrementalPdfFileWriter:
    if not pdf.lstrip()[:5] == b"%PDF-":
        raise ValueError("not a PDF file")
    return IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)


def _signature_box(
    writer: IncrementalPdfFileWriter, slot: int, found: placeholders.Placeholders
) -> tuple[int, float, float, float, float]:
    placeholder = found.signature(slot)
    if placeholder is not None:
        page = placeholder.page
        return (page, *marks.signature_box_at(marks.page_box(writer, page), placeholder))
    last = marks.page_count(writer) - 1
    return (last, *marks.slot_box(marks.page_box(writer, last), slot))


class _Fetching:
    """A hard-fail validation context with a short per-request timeout, and its HTTP session
    (ours to close: pyHanko closes only sessions it opened itself)."""

    def __init__(self, long_term: LongTerm) -> None:
        self.backend = fetcher.backend(long_term.timeout)
        self.context = ValidationContext(
            trust_roots=list(long_term.trust_roots),
            allow_fetching=True,
            revocation_mode="hard-fail",
            fetcher_backend=self.backend,
        )

    async def close(self) -> None:
        await self.context.aclose()
        await self.backend.close()


class _CertOnlySigner(signers.Signer):
    """Gives pyHanko the certificate and mechanism to lay out the signature; never signs."""

    def __init__(self, key: KeyMaterial) -> None:
        super().__init__(
            signing_cert=key.certificate,
            cert_registry=SimpleCertificateStore.from_certs([key.certificate, *key.chain]),
            signature_mechanism=algos.SignedDigestAlgorithm({"algorithm": key.mechanism}),
        )

    async def async_sign_raw(
        self, data: bytes, digest_algorithm: str, dry_run: bool = False
    ) -> bytes:
        raise AssertionError("the CMS is built by eoffice.signing.cms")


class _Job:
    """One signature: the steps of :func:`sign_pdf` sharing their inputs."""

    def __init__(
        self,
        pdf: bytes,
        key: KeyMaterial,
        tsa_url: str,
        visible: VisibleSignature | None,
        letter_stamps: LetterStamps | None,
        lock: bool,
    ) -> None:
        self.pdf = pdf
        self.key = key
        self.tsa = timestamper(tsa_url)
        self.visible = visible
        self.letter_stamps = letter_stamps
        self.lock = lock
        self.template = cms.template(key)
        self.field_name = ""
        self.first = False
        self._placeholders: placeholders.Placeholders | None = None

    def _found(self, writer: IncrementalPdfFileWriter) -> placeholders.Placeholders:
        """The draft's placeholders, found once per signature (B-LT may prepare twice), with
        ``writer`` still unchanged."""
        if self._placeholders is None:
            self._placeholders = placeholders.find(self.pdf, writer)
        return self._placeholders

    async def run(self, long_term: LongTerm | None) -> Signed:
        token_size = await self._token_size()
        reserved = 2 * (
            self.template.size_bound(self.key.signature_size, token_size) + _RESERVE_MARGIN
        )
        fetching = _Fetching(long_term) if long_term is not None else None
        try:
            prepared = None
            if fetching is not None:
                prepared = await self._prepare_long_term(fetching, reserved)
            level: Literal["B-T", "B-LT"] = "B-LT" if prepared else "B-T"
            if prepared is None:
                prepared = await self._prepare(reserved, None)
            digest, tbs, out = prepared
            cms_der, signed_at = await self._cms(digest.document_digest)
            await PdfTBSDocument.async_finish_signing(
                out,
                digest,
                cms_der,
                post_sign_instr=tbs.post_sign_instructions,
                validation_context=fetching.context if fetching and level == "B-LT" else None,
            )
        finally:
            if fetching is not None:
                await fetching.close()
        data = out.getvalue()
        return Signed(
            pdf=data,
            field_name=self.field_name,
            level=level,
            cms_sha256=hashlib.sha256(cms_der).hexdigest(),
            file_sha256=hashlib.sha256(data).hexdigest(),
            signed_at=signed_at,
        )

    async def _token_size(self) -> int:
        """The size of a token from this TSA (fetched once per process): also proves it is up
        before anything is signed."""
        try:
            dummy = await self.tsa.async_dummy_response("sha256")
        except Exception as error:
            raise _tsa_failed(error) from error
        return len(dummy.dump())

    async def _prepare_long_term(self, fetching: _Fetching, reserved: int) -> Any:
        """Prepare with revocation data; None (go B-T) when that is not possible.

        pyHanko validates the signer and the TSA before the digest exists, so a failure here
        happens before the key is used: nothing is signed twice. What each failure means:

        - the signer's certificate revoked, expired or not yet valid: :class:`CertificateUnusable`;
        - the TSA's certificate revoked, expired or not yet valid: :class:`SigningFailed` (its
          token would void the signature; the TSA must be fixed or replaced);
        - anything else goes B-T with a warning: OCSP/CRL unreachable, slow or incomplete, or
          a signer or TSA certificate that does not chain to the trust roots (e.g. a TSA under
          another root). The token is still embedded, and the verifier reports whether its
          authority is trusted: refusing would only stop the letter.

        pyHanko wraps the signer's failures in ``SigningError``; the TSA's come unwrapped."""
        timeout = fetching.backend.per_request_timeout
        try:
            return await asyncio.wait_for(self._prepare(reserved, fetching), timeout)
        except SigningError as error:
            if _unusable(error):
                logger.warning("signer's certificate refused: %r", error.__cause__)
                raise CertificateUnusable(_UNUSABLE) from error
            logger.warning("B-LT not possible, signing B-T: %s (%r)", error, error.__cause__)
        except (PathError, ValidationError) as error:
            if _unusable(error):
                logger.error("the TSA's certificate is not usable: %s", error)
                raise SigningFailed(_TSA_UNUSABLE) from error
            logger.warning("TSA not validated, signing B-T: %s: %s", type(error).__name__, error)
        except (TimeoutError, OSError) as error:
            logger.warning("B-LT not possible in time, signing B-T: %s", type(error).__name__)
        return None

    async def _prepare(self, reserved: int, fetching: _Fetching | None) -> Any:
        """Field, appearance, stamps and the byte-range digest; nothing signed yet."""
        writer = _writer(self.pdf)
        found = self._found(writer)
        self.field_name = self._field_name(writer)
        if self.letter_stamps is not None:
            marks.apply_letter_stamps(writer, self.letter_stamps, found)
        elif self.first and found:
            marks.cover_placeholders(writer, found)
        style, text = marks.signature_appearance(self.visible) if self.visible else (None, None)
        pdf_signer = signers.PdfSigner(
            self._metadata(fetching),
            signer=_CertOnlySigner(self.key),
            timestamper=self.tsa if fetching is not None else None,
            stamp_style=style,
            new_field_spec=self._field_spec(writer, found),
        )
        return await pdf_signer.async_digest_doc_for_signing(
            writer, bytes_reserved=reserved, appearance_text_params=text
        )

    def _field_name(self, writer: IncrementalPdfFileWriter) -> str:
        taken = {name for name, *_ in fields.enumerate_sig_fields(writer.prev)}
        signed = sum(1 for _ in fields.enumerate_sig_fields(writer.prev, filled_status=True))
        if self.letter_stamps is not None and signed:
            raise ValueError("letter stamps go with the first signature only")
        self.first = not signed
        if self.lock:
            name, number = SEAL_FIELD, 1
            while name in taken:
                number += 1
                name = f"{SEAL_FIELD}_{number}"
            return name
        number = signed + 1
        while SIGNATURE_FIELD.format(number) in taken:
            number += 1
        return SIGNATURE_FIELD.format(number)

    def _metadata(self, fetching: _Fetching | None) -> Any:
        extra: dict[str, Any] = {}
        if fetching is not None:
            extra = {
                "embed_validation_info": True,
                "validation_context": fetching.context,
                "dss_settings": DSSContentSettings(
                    placement=SigDSSPlacementPreference.TOGETHER_WITH_SIGNATURE, include_vri=False
                ),
            }
        return signers.PdfSignatureMetadata(
            field_name=self.field_name,
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            name=self.visible.signer_name if self.visible else None,
            reason="Segel elektronik" if self.lock else "Tanda tangan elektronik",
            **extra,
        )

    def _field_spec(
        self, writer: IncrementalPdfFileWriter, found: placeholders.Placeholders
    ) -> Any:
        box = None
        page = 0
        if self.visible is not None:
            page, x, y, width, height = _signature_box(writer, self.visible.slot, found)
            box = (int(x), int(y), int(x + width), int(y + height))
        lock: dict[str, Any] = {}
        if self.lock:
            lock = {
                "field_mdp_spec": fields.FieldMDPSpec(fields.FieldMDPAction.ALL),
                "doc_mdp_update_value": fields.MDPPerm.NO_CHANGES,
            }
        return fields.SigFieldSpec(self.field_name, box=box, on_page=page, **lock)

    async def _cms(self, document_digest: bytes) -> tuple[bytes, datetime]:
        signed_attrs = self.template.signed_attributes(document_digest)
        signature = self.key.sign(signed_attrs)
        imprint = hashlib.sha256(signature).digest()
        try:
            token = await self.tsa.async_timestamp(imprint, "sha256")
        except Exception as error:
            raise _tsa_failed(error) from error
        info = cms.tst_info(token)
        _check_imprint(info, imprint)
        signed_at: datetime = info["gen_time"].native
        return self.template.signed_data(signed_attrs, signature, token.dump()), signed_at


def _check_imprint(tst_info: Any, imprint: bytes) -> None:
    """The token must time-stamp this very signature (a confused or hostile TSA could answer
    another hash; the token would then prove nothing and fail verification)."""
    message_imprint = tst_info["message_imprint"]
    algorithm = message_imprint["hash_algorithm"]["algorithm"].native
    if algorithm != "sha256" or message_imprint["hashed_message"].native != imprint:
        logger.error("TSA token for another hash (%s): not used", algorithm)
        raise SigningFailed(_TSA_ERROR)


def _tsa_failed(error: Exception) -> SigningFailed:
    """A client-safe :class:`SigningFailed`; the URL and the library's words go to the log."""
    silent = isinstance(error, TsaUnreachable) or (
        isinstance(error, OSError | TimeoutError) and not isinstance(error, TimestampRequestError)
    )  # pyHanko's TimestampRequestError (an answer it refused) is an OSError too
    logger.warning("timestamp authority failed: %s: %s", type(error).__name__, error)
    return SigningFailed(_TSA_SILENT if silent else _TSA_ERROR)
