"""Signing an outgoing letter (runs in the signing function, never in the API function).

One request gives one signature: the next signer's, by him or his Plt/Plh. The first signature
takes the letter's number and stamps it with the date and footer (page content added after a
signature would void it); the last is followed by the institution's seal where configured, and
the letter is delivered. A claim on the letter (:mod:`eoffice.outgoing.signing_claims`) keeps
two requests from signing it at once; the number is taken together with the claim, so a failed
signature keeps its number for the retry and the register has neither gaps nor duplicates.
Through BSrE, the signature itself is :mod:`eoffice.outgoing.signing_by_bsre`.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import x509

from eoffice import clock, events, settings
from eoffice import object_store as objects
from eoffice.auth import Principal
from eoffice.errors import Conflict, Forbidden, OutcomeUnknown, UpstreamFailed
from eoffice.letters.models import HistoryAction, HistoryEntry
from eoffice.observability import logger
from eoffice.org import store as org_store
from eoffice.org.models import Role
from eoffice.outgoing import drafts, rules, signing_claims, store, wording
from eoffice.outgoing.models import (
    ClaimResolution,
    Outgoing,
    OutgoingStatus,
    SignatureRecord,
    SignedFile,
    SignerSlot,
    SigningClaim,
    SignRequest,
)
from eoffice.outgoing.wording import public_url
from eoffice.signing import keys, pades, pades_models
from eoffice.signing.backends import bsre
from eoffice.signing.backends.base import SERVICE_ERRORS, KeyMaterial

_NUMBER_ATTEMPTS = 30


@dataclass(frozen=True)
class _Turn:
    """The signature one request gives, and the address it came in on (for public links)."""

    slot: SignerSlot
    capacity: str
    first: bool
    last: bool
    public_base: str


def sign(
    principal: Principal, outgoing_id: str, request: SignRequest, *, public_base: str
) -> Outgoing:
    """Give the next signature; answers the letter as it is afterwards."""
    outgoing, rev = drafts.load_visible(principal, outgoing_id)
    turn = _turn_of(principal, outgoing, public_base)
    outgoing, rev = _claim(principal, outgoing, rev, turn)
    ours = signing_claims.claim_time(outgoing)
    try:
        return _sign_claimed(principal, outgoing, rev, turn, request)
    except bsre.BsreOutcomeUnknown as unknown:
        signing_claims.settle(outgoing.outgoing_id, ours, unknown=True)
        raise OutcomeUnknown(
            "BSrE received the request but did not answer: the letter may have been signed. It "
            "is not retried; check the esign service, then resolve this signature attempt.",
            code="signing_outcome_unknown",
        ) from unknown
    except BaseException:
        signing_claims.settle(outgoing.outgoing_id, ours, unknown=None)
        raise


def _turn_of(principal: Principal, outgoing: Outgoing, public_base: str) -> _Turn:
    """The signature the caller may give now (as the signer or his Plt/Plh), or 403/409."""
    waiting = outgoing.next_signer()
    position_id = _position_of(waiting.nip) if waiting else None
    slot, capacity = rules.require_signer(principal, outgoing, position_id)
    last = slot.order == len(outgoing.signers) - 1
    return _Turn(slot, capacity, not outgoing.signatures, last, public_base)


# ---------------------------------------------------------------- the claim and the number
def _claim(principal: Principal, outgoing: Outgoing, rev: int, turn: _Turn) -> tuple[Outgoing, int]:
    """Mark the letter as being signed (and number it at its first signature)."""
    for _ in range(_NUMBER_ATTEMPTS):
        signing_claims.require_unclaimed(outgoing)
        now = clock.utcnow()
        claim = SigningClaim(by_nip=principal.nip, at=now)
        claimed = outgoing.model_copy(update={"signing_claim": claim})
        number = None
        if turn.first and outgoing.number is None:
            claimed, number = _numbered(claimed)
        elif turn.first:  # a retry keeps its number; the date is the day it is signed
            signed_on = wording.place_and_date(wording.place(), clock.today())
            claimed = claimed.model_copy(update={"signed_on": signed_on})
        entries = () if number is None else (_numbered_entry(claimed, principal, now),)
        try:
            store.commit(claimed, rev, entries, number=number)
            return claimed, rev + 1
        except store.NumberTaken:
            time.sleep(random.uniform(0, 0.02))  # noqa: S311 - jitter, not security
        except Conflict:
            pass
        outgoing, rev = _reloaded(principal, outgoing.outgoing_id, turn)
    raise Conflict("too many letters are being numbered at once; try again", code="numbering_busy")


def _numbered(outgoing: Outgoing) -> tuple[Outgoing, store.Number]:
    """The letter with the unit's next number of the year, and the counter move it takes."""
    year = clock.today().year
    number = store.Number(outgoing.unit_id, year, store.last_number(outgoing.unit_id, year))
    sequence = number.after + 1
    code, unit_code = outgoing.classification_code, outgoing.unit_code
    numbered = outgoing.model_copy(
        update={
            "sequence": sequence,
            "number_year": year,
            "number": rules.number(code, sequence, unit_code, year),
            "signed_on": wording.place_and_date(wording.place(), clock.today()),
        }
    )
    return numbered, number


def _numbered_entry(outgoing: Outgoing, principal: Principal, now: datetime) -> HistoryEntry:
    details = {"number": outgoing.number}
    return HistoryEntry(
        at=now, action=HistoryAction.numbered, actor_nip=principal.nip, details=details
    )


def _reloaded(principal: Principal, outgoing_id: str, turn: _Turn) -> tuple[Outgoing, int]:
    """The letter after a lost race, if it is still the caller's turn to sign it."""
    found = store.get(outgoing_id, consistent=True)
    if found is None:
        raise Conflict("the letter is gone", code="outgoing_not_found")
    slot, _ = rules.require_signer(principal, found[0], _position_of(turn.slot.nip))
    if slot.order != turn.slot.order:
        raise Conflict("another signature was given meanwhile; reload", code="signed_meanwhile")
    return found


def _position_of(nip: str) -> str | None:
    employee = org_store.get_employee(nip)
    return employee.position_id if employee else None


def resolve_claim(
    principal: Principal, outgoing_id: str, resolution: ClaimResolution, *, public_base: str
) -> Outgoing:
    """Someone checked BSrE after an unknown outcome: it was not signed (the signer or an
    admin says so), or it was (the signer hands in the file, verified before it counts)."""
    outgoing, rev = drafts.load_visible(principal, outgoing_id)
    claim = outgoing.signing_claim
    if claim is None or not signing_claims.outcome_unknown(claim):
        raise Conflict(
            "no signature attempt of this letter awaits resolution", code="nothing_to_resolve"
        )
    allowed = principal.nip == claim.by_nip or (
        resolution.outcome == "not_signed" and principal.has_any(Role.admin)
    )
    if not allowed:
        raise Forbidden(
            "the signer who tried (or, for not_signed, an admin) resolves it",
            code="resolve_not_allowed",
        )
    if resolution.signed_pdf is not None:
        turn = _turn_of(principal, outgoing, public_base)
        return _accept_returned(
            principal, outgoing, rev, turn, resolution.signed_pdf, resolution.nik or ""
        )
    now = clock.utcnow()
    updated = outgoing.model_copy(update={"signing_claim": None, "updated_at": now})
    details = {"outcome": resolution.outcome, "note": resolution.note, "attempt_at": claim.at}
    entry = HistoryEntry(
        at=now,
        action=HistoryAction.signing_attempt_resolved,
        actor_nip=principal.nip,
        details=details,
    )
    store.save(updated, rev, entry)
    return updated


def _accept_returned(
    principal: Principal, outgoing: Outgoing, rev: int, turn: _Turn, pdf: bytes, nik: str
) -> Outgoing:
    """The file BSrE signed in the lost request: it becomes the signer's signature once it
    verifies as this letter with one more trusted signature."""
    from eoffice.outgoing import signing_by_bsre

    signed, certificate = signing_by_bsre.accept_returned(
        pdf, outgoing, _document(outgoing), nik, _long_term()
    )
    return _finish(principal, outgoing, rev, turn, [Given(signed, certificate, "bsre")])


# ---------------------------------------------------------------- the signature
@dataclass(frozen=True)
class Given:
    """One signature put on the file, with who certified it."""

    signed: pades_models.Signed
    certificate: x509.Certificate
    backend: str


def _sign_claimed(
    principal: Principal,
    outgoing: Outgoing,
    rev: int,
    turn: _Turn,
    request: SignRequest,
) -> Outgoing:
    source = _document(outgoing)
    visible = pades_models.VisibleSignature(
        verify_url=public_url(turn.public_base, f"/verify/{outgoing.outgoing_id}"),
        signer_name=principal.employee.name,
        position=rules.printed_position(turn.slot.position, turn.capacity),
        signed_at_text=wording.waktu(clock.utcnow()),
        slot=turn.slot.order,
    )
    key = keys.key_for_signer(principal.nip)
    if key is not None:
        given = [_with_key(source, key, visible, outgoing, turn)]
    elif request.nik and bsre_configured():
        return _sign_with_bsre(principal, outgoing, rev, turn, source, request, visible)
    else:
        raise Conflict(
            "you have no signing key: ask an admin to issue one, or sign with BSrE (nik and "
            "passphrase or totp)",
            code="no_signing_key",
        )
    return _finish(principal, outgoing, rev, turn, given)


def _finish(
    principal: Principal, outgoing: Outgoing, rev: int, turn: _Turn, given: list[Given]
) -> Outgoing:
    """The seal after the last signature where configured, then the record and delivery."""
    if turn.last and seal_key_id():
        given.append(_seal(given[-1].signed.pdf))
    return _record(principal, outgoing, rev, turn, given)


def _document(outgoing: Outgoing) -> bytes:
    """What the next signature goes on: the signed file so far, or the last draft version."""
    bucket = objects.letters_bucket()
    if outgoing.signed_file is not None:
        return objects.read(bucket, outgoing.signed_file.key, outgoing.signed_file.version_id)
    latest = outgoing.versions[-1]
    return objects.read(bucket, drafts.version_key(outgoing.outgoing_id, latest.file_id), None)


def _stamps(outgoing: Outgoing, issuer: str) -> pades_models.LetterStamps:
    assert outgoing.number is not None and outgoing.signed_on is not None
    return pades_models.LetterStamps(
        number=outgoing.number,
        date_line=outgoing.signed_on,
        footer=wording.footer(issuer, settings.get(settings.Signing).signature_authority),
    )


def _long_term() -> pades_models.LongTerm | None:
    roots = keys.trust_roots()
    return pades_models.LongTerm(trust_roots=tuple(roots)) if roots else None


def _with_key(
    pdf: bytes,
    key: KeyMaterial,
    visible: pades_models.VisibleSignature,
    outgoing: Outgoing,
    turn: _Turn,
) -> Given:
    stamps = _stamps(outgoing, key.certificate.issuer.human_friendly) if turn.first else None
    with _signing_errors():
        signed = pades.sign_pdf(
            pdf, key, tsa_url=tsa_url(), visible=visible, stamps=stamps, long_term=_long_term()
        )
    return Given(signed, key.certificate, _backend_of(key))


@contextmanager
def _signing_errors() -> Iterator[None]:
    """What a failed signature means to the caller; nothing was recorded."""
    try:
        yield
    except pades.CertificateUnusable as unusable:
        raise Conflict(str(unusable), code="certificate_unusable") from unusable
    except pades.SigningFailed as failed:
        raise UpstreamFailed(f"signing failed: {failed}", code="signing_failed") from failed
    except SERVICE_ERRORS as error:  # KMS or Secrets Manager
        raise UpstreamFailed(
            "the signing key could not sign (KMS or Secrets Manager)", code="signing_key_failed"
        ) from error


def _sign_with_bsre(
    principal: Principal,
    outgoing: Outgoing,
    rev: int,
    turn: _Turn,
    source: bytes,
    request: SignRequest,
    visible: pades_models.VisibleSignature,
) -> Outgoing:
    """BSrE signs the whole file. The claim says so before the request goes out, so that a
    request cut short (the function stopped) is never repeated; once BSrE has answered, a
    failure to record the signature leaves the outcome unknown instead of signing again."""
    from eoffice.outgoing import signing_by_bsre

    stamps = _stamps(outgoing, wording.BSRE) if turn.first else None
    prepared = signing_by_bsre.prepare(source, request, visible, stamps)
    outgoing, rev = signing_claims.mark_sent_to_bsre(outgoing, rev)
    try:
        signed, certificate = signing_by_bsre.send(prepared, _long_term())
    except (Forbidden, UpstreamFailed, Conflict):  # no signature to keep: BSrE said no, was
        # not reached, or signed with a certificate that is revoked or expired
        signing_claims.settle(
            outgoing.outgoing_id, signing_claims.claim_time(outgoing), unknown=False
        )
        raise
    try:
        return _finish(principal, outgoing, rev, turn, [Given(signed, certificate, "bsre")])
    except Exception as error:
        raise bsre.BsreOutcomeUnknown("BSrE signed, but recording it failed") from error


def _backend_of(key: KeyMaterial) -> str:
    """Where the key lives, as the signature record names it: kms, pkcs12 (or bsre)."""
    from eoffice.signing.backends.kms import KmsKey

    return "kms" if isinstance(key, KmsKey) else "pkcs12"


def _seal(pdf: bytes) -> Given:
    key = keys.key_material(seal_key_id())
    with _signing_errors():
        signed = pades.sign_pdf(
            pdf, key, tsa_url=tsa_url(), visible=None, long_term=_long_term(), lock=True
        )
    return Given(signed, key.certificate, _backend_of(key))


def _record(
    principal: Principal, outgoing: Outgoing, rev: int, turn: _Turn, given: list[Given]
) -> Outgoing:
    """Keep the signed file (object lock) before any record points at it, then record."""
    final = given[-1].signed
    key, version_id = objects.keep_file(
        f"outgoing/{outgoing.outgoing_id}/signed/{turn.slot.order + 1}-{final.file_sha256[:16]}.pdf",
        final.pdf,
        "application/pdf",
        final.file_sha256,
        owner=outgoing.outgoing_id,
    )
    now = clock.utcnow()
    records = [_record_of(principal, turn, given[0])]
    records += [_seal_record(len(outgoing.signers), g) for g in given[1:]]
    updated = outgoing.model_copy(
        update={
            "signatures": [*outgoing.signatures, *records],
            "signed_file": SignedFile(
                key=key, version_id=version_id, sha256=final.file_sha256, size=len(final.pdf)
            ),
            "status": OutgoingStatus.signed if turn.last else OutgoingStatus.signing,
            "signing_claim": None,
            "updated_at": now,
        }
    )
    details = {
        "order": turn.slot.order,
        "capacity": turn.capacity,
        "level": given[0].signed.level,
        "sha256": final.file_sha256,
        "sealed": len(given) > 1,
    }
    entry = HistoryEntry(
        at=now, action=HistoryAction.signed, actor_nip=principal.nip, details=details
    )
    cms = tuple(g.signed.cms_sha256 for g in given)
    store.commit(updated, rev, (entry,), cms_sha256=cms, file_sha256=final.file_sha256)
    _announce(
        "OutgoingSigned",
        {"outgoing_id": updated.outgoing_id, "number": updated.number, "order": turn.slot.order},
    )
    if not turn.last:
        return updated
    return _deliver(updated, final.pdf, turn.public_base)


def _announce(name: str, detail: dict[str, object]) -> None:
    """Publish after the signature is recorded; a failure here must not turn it into an error
    (the event is lost, the letter is not)."""
    try:
        events.publish("outgoing", name, detail)
    except Exception:
        logger.exception("event not published", event=name)


def _deliver(signed: Outgoing, pdf: bytes, public_base: str) -> Outgoing:
    """Deliver at once; if that fails the letter stays signed and owed, and the schedule
    (``delivery.deliver_pending``) delivers it: the signer's answer is not an error."""
    from eoffice.outgoing import delivery

    try:
        return delivery.deliver(
            signed.outgoing_id, just_signed=signed, data=pdf, public_base=public_base
        )
    except Exception:
        logger.exception("delivery failed; the schedule will retry", outgoing_id=signed.outgoing_id)
        return signed


def _certificate_fields(certificate: x509.Certificate) -> dict[str, str]:
    return {
        "certificate_subject": certificate.subject.human_friendly,
        "certificate_issuer": certificate.issuer.human_friendly,
        "certificate_serial": format(certificate.serial_number, "x"),
    }


def _common(given: Given) -> dict[str, object]:
    signed = given.signed
    return {
        "signed_at": signed.signed_at,
        "level": signed.level,
        "backend": given.backend,
        "field_name": signed.field_name,
        "cms_sha256": signed.cms_sha256,
        "file_sha256": signed.file_sha256,
        **_certificate_fields(given.certificate),
    }


def _record_of(principal: Principal, turn: _Turn, given: Given) -> SignatureRecord:
    return SignatureRecord(
        order=turn.slot.order,
        signer_nip=turn.slot.nip,
        signed_by_nip=principal.nip,
        capacity=turn.capacity,
        name=principal.employee.name,
        position=rules.printed_position(turn.slot.position, turn.capacity),
        **_common(given),
    )


def _seal_record(order: int, given: Given) -> SignatureRecord:
    subject = given.certificate.subject.native
    return SignatureRecord(
        order=order,
        signer_nip="",
        signed_by_nip="",
        capacity="seal",
        name=str(subject.get("common_name") or subject.get("organization_name") or "Segel"),
        position="Segel elektronik",
        **_common(given),
    )


# ---------------------------------------------------------------- configuration
def tsa_url() -> str:
    url = settings.get(settings.Signing).tsa_url
    if not url:
        raise UpstreamFailed(
            "no timestamp authority is configured (TSA_URL)", code="no_timestamp_authority"
        )
    return url


def seal_key_id() -> str:
    return settings.get(settings.Signing).seal_signer_id


def bsre_configured() -> bool:
    return settings.get(settings.Bsre).bsre_url is not None
