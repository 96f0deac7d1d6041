"""Public verification (no sign-in): what the QR code on a signed letter opens, and the check of
any PDF someone holds. Both run in the signing function.

The page shows what makes a letter checkable (number, signers, times, the signed file's SHA-256,
revocation) and, for a secret letter (sifat rahasia), not its subject.
"""

from __future__ import annotations

import html
import os
from typing import Literal

from eoffice.errors import NotFound, PayloadTooLarge, TooManyRequests
from eoffice.org import store as org_store
from eoffice.outgoing import policy, store, wording
from eoffice.outgoing.models import (
    FileCheck,
    KnownDocument,
    Outgoing,
    OutgoingStatus,
    PublicDocument,
    PublicSignature,
)

MAX_VERIFY_BYTES = 4 * 1024 * 1024  # a Lambda request is at most 6 MB, base64 included
_PUBLIC = frozenset({OutgoingStatus.signed, OutgoingStatus.revoked})


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
        status="revoked" if outgoing.status is OutgoingStatus.revoked else "valid",
        number=outgoing.number,
        kind=outgoing.kind.value,
        subject=outgoing.subject if policy.shows_in_public(outgoing.sifat) else None,
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
    if size > MAX_VERIFY_BYTES:
        raise PayloadTooLarge(
            f"at most {MAX_VERIFY_BYTES:,} bytes can be checked here", code="file_too_large"
        )
    limit = int(os.environ.get("VERIFY_RATE_LIMIT") or 20)
    if not store.take_rate(address, limit=limit):
        raise TooManyRequests(
            f"at most {limit} files a minute from one address; wait a minute", code="rate_limited"
        )


# ---------------------------------------------------------------- the page
_CAPACITY = {
    "self": "",
    "plt": "Pelaksana Tugas (Plt.)",
    "plh": "Pelaksana Harian (Plh.)",
    "seal": "Segel elektronik",
}


def render_page(document: PublicDocument) -> str:
    """A readable page for a phone's browser, in Bahasa Indonesia."""
    e = html.escape
    valid = document.status == "valid"
    verdict = (
        "Dokumen ini sah dan ditandatangani secara elektronik melalui sistem e-Office."
        if valid
        else f"Dokumen ini telah DICABUT pada {e(wording.waktu(document.revoked_at))}."  # type: ignore[arg-type]
    )
    rows = [
        ("Nomor", document.number or "-"),
        ("Perihal", document.subject or "(dirahasiakan)"),
        ("Unit pengirim", document.unit_name),
        ("Tempat, tanggal", document.signed_on or "-"),
        ("SHA-256 berkas", document.sha256),
    ]
    if document.revocation_reason:
        rows.append(("Alasan pencabutan", document.revocation_reason))
    table = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in rows)
    signers = "".join(
        f"<li><strong>{e(s.name)}</strong><br>{e(s.position)}"
        f"{'<br>' + e(_CAPACITY.get(s.capacity, '')) if _CAPACITY.get(s.capacity) else ''}"
        f"<br>Waktu: {e(wording.waktu(s.signed_at))} (PAdES {e(s.level)})</li>"
        for s in document.signatures
    )
    colour = "#1b7f3b" if valid else "#b3261e"
    return f"""<!doctype html>
<html lang="id"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Verifikasi Dokumen {e(document.number or document.document_id)}</title>
<style>body{{font-family:system-ui,sans-serif;margin:1rem;max-width:40rem;color:#222}}
.v{{padding:.8rem;border-radius:.4rem;color:#fff;background:{colour}}}
th{{text-align:left;padding-right:.6rem;vertical-align:top}}td{{word-break:break-all}}
li{{margin:.6rem 0}}small{{color:#555}}</style></head>
<body><h1>Verifikasi Dokumen Elektronik</h1>
<p class="v">{verdict}</p>
<table>{table}</table>
<h2>Penandatangan</h2><ol>{signers}</ol>
<p><small>Pastikan SHA-256 berkas yang Anda pegang sama dengan nilai di atas, atau unggah
berkasnya ke layanan verifikasi (POST /verify) untuk memeriksa setiap tanda tangan.</small></p>
</body></html>"""


# ---------------------------------------------------------------- any file
def check_file(data: bytes, address: str) -> FileCheck:
    """Verify every signature of ``data`` against the configured roots (pyHanko, loaded
    here), and find the letter of this system it belongs to."""
    from eoffice.errors import InvalidInput
    from eoffice.signing import keys
    from eoffice.signing.verify import verify_pdf

    admit(len(data), address)
    try:
        report = verify_pdf(data, keys.trust_roots())
    except ValueError as error:
        raise InvalidInput(str(error), code="not_a_pdf") from error
    hashes = [s.cms_sha256 for s in report.signatures if s.cms_sha256]
    return FileCheck(report=report, known_document=known_document(hashes, report.file_sha256))
