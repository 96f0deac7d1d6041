"""The public verification pages, in Bahasa Indonesia, for a phone's browser: a letter's record
(what its QR code opens), the form to check a PDF, the report on a checked file, and a refusal.

Plain HTML with a form that posts the file: no JavaScript, no resource from elsewhere, so the
pages work on any phone and reveal nothing to a third party. Every value is escaped.
"""

from __future__ import annotations

import html
from datetime import datetime

from eoffice.outgoing import wording
from eoffice.outgoing.models import FileCheck, PublicDocument
from eoffice.signing.report_models import SignatureReport

_CAPACITY = {
    "self": "",
    "plt": "Pelaksana Tugas (Plt.)",
    "plh": "Pelaksana Harian (Plh.)",
    "seal": "Segel elektronik",
}
_KIND = {
    "signature": "Tanda tangan",
    "seal": "Segel elektronik",
    "document_timestamp": "Cap waktu dokumen",
}
_STATUS = {"valid": "sah", "revoked": "DICABUT", "incomplete": "belum lengkap ditandatangani"}
_GREEN, _RED, _AMBER = "#1b7f3b", "#b3261e", "#8a5300"
_REFUSALS = {
    "file_too_large": "Berkas terlalu besar: paling besar 4 MB yang dapat diperiksa di sini.",
    "rate_limited": "Terlalu banyak berkas diperiksa dari alamat Anda dalam satu menit. "
    "Silakan coba lagi sebentar lagi.",
    "not_a_pdf": "Berkas ini bukan berkas PDF yang dapat dibaca.",
    "file_missing": "Pilih berkas PDF yang akan diperiksa terlebih dahulu.",
}
_REFUSED = "Berkas tidak dapat diperiksa. Kirim berkas PDF melalui formulir di bawah."
e = html.escape


def record_page(document: PublicDocument, upload_url: str) -> str:
    """A letter's public record, and the form to check a copy of it."""
    rows = [
        ("Nomor", document.number or "-"),
        ("Perihal", document.subject or "(dirahasiakan)"),
        ("Unit pengirim", document.unit_name),
        ("Tempat, tanggal", document.signed_on or "-"),
        ("SHA-256 berkas", document.sha256),
    ]
    if document.revocation_reason:
        rows.append(("Alasan pencabutan", document.revocation_reason))
    signers = "".join(
        _signer(s.name, s.position, s.capacity, s.signed_at, s.level) for s in document.signatures
    )
    hint = (
        "<p><small>Pastikan SHA-256 berkas yang Anda pegang sama dengan nilai di atas, atau "
        "unggah berkasnya di bawah untuk memeriksa setiap tanda tangan.</small></p>"
    )
    body = (
        f"<h1>Verifikasi Dokumen Elektronik</h1>{_verdict(*_record_verdict(document))}"
        f"{_table(rows)}<h2>Penandatangan</h2><ol>{signers}</ol>{hint}{_form(upload_url)}"
    )
    return _page(f"Verifikasi Dokumen {document.number or document.document_id}", body)


def upload_page(upload_url: str) -> str:
    """The form alone, for someone who holds a file but no QR code."""
    intro = (
        "<p>Unggah berkas PDF surat elektronik untuk memeriksa apakah tanda tangannya utuh, "
        "dari sertifikat yang terpercaya, dan apakah berkas diubah setelah ditandatangani.</p>"
    )
    return _page(
        "Periksa Dokumen Elektronik",
        f"<h1>Periksa Dokumen Elektronik</h1>{intro}{_form(upload_url)}",
    )


def report_page(check: FileCheck, upload_url: str, record_url: str | None) -> str:
    """What the check of an uploaded file found; ``record_url`` opens the letter it belongs to."""
    report = check.report
    rows = [
        ("SHA-256 berkas", report.file_sha256),
        ("Ukuran", f"{wording.angka(report.size)} bita"),
    ]
    known = check.known_document
    more = ""
    if known is not None:
        same = "berkas yang sama persis" if known.same_file else "salinan yang berbeda"
        rows = [
            ("Surat terdaftar", known.number or known.document_id),
            ("Status surat", f"{_STATUS[known.status]}; {same}"),
            *rows,
        ]
        if record_url:
            more = f'<p><a href="{e(record_url)}">Lihat catatan surat ini</a></p>'
    entries = "".join(_signature(number, s) for number, s in enumerate(report.signatures, 1))
    listing = f"<h2>Tanda tangan</h2><ol>{entries}</ol>" if entries else ""
    body = (
        f"<h1>Hasil Pemeriksaan Berkas</h1>{_verdict(*_report_verdict(check))}"
        f"{_table(rows)}{more}{listing}<h2>Periksa berkas lain</h2>{_form(upload_url)}"
    )
    return _page("Hasil Pemeriksaan Berkas", body)


def refusal_page(code: str, upload_url: str) -> str:
    """Why a file was not checked (too large, too many, not a PDF, none chosen)."""
    message = _REFUSALS.get(code, _REFUSED)
    body = f"<h1>Berkas Tidak Diperiksa</h1>{_verdict(message, _RED)}{_form(upload_url)}"
    return _page("Berkas Tidak Diperiksa", body)


# ---------------------------------------------------------------- pieces
def _record_verdict(document: PublicDocument) -> tuple[str, str]:
    if document.status == "revoked":
        when = wording.waktu(document.revoked_at) if document.revoked_at else "-"
        return f"Dokumen ini telah DICABUT pada {when}.", _RED
    if document.status == "incomplete":
        done = sum(1 for s in document.signatures if s.capacity != "seal")
        return (
            f"Dokumen ini BELUM LENGKAP: baru {done} dari {document.signers_total} "
            "penandatangan yang menandatanganinya. Tanda tangan yang sudah ada tercantum di "
            "bawah.",
            _AMBER,
        )
    return "Dokumen ini sah dan ditandatangani secara elektronik melalui sistem e-Office.", _GREEN


def _report_verdict(check: FileCheck) -> tuple[str, str]:
    report = check.report
    if not report.signature_count:
        return "Berkas ini tidak memuat tanda tangan elektronik.", _RED
    if not report.all_valid:
        return (
            "Keaslian berkas ini TIDAK dapat dipastikan: ada tanda tangan yang rusak atau tidak "
            "terpercaya, atau berkas diubah setelah ditandatangani.",
            _RED,
        )
    known = check.known_document
    if known is not None and known.status != "valid":
        return f"Setiap tanda tangan utuh, tetapi surat ini {_STATUS[known.status]}.", _AMBER
    return "Setiap tanda tangan pada berkas ini utuh, sah, dan terpercaya.", _GREEN


def _signature(number: int, entry: SignatureReport) -> str:
    signer = entry.signer
    who = "-"
    if signer is not None:
        who = ", ".join(p for p in (signer.common_name, signer.organization) if p) or "-"
    stamp = entry.timestamp
    when = wording.waktu(stamp.time) if stamp is not None and stamp.time else "tidak ada"
    facts = [
        f"<strong>{e(_KIND.get(entry.kind, entry.kind))} {number}</strong>",
        f"Penanda tangan: {e(who)}",
        f"Utuh: {'ya' if entry.intact else 'TIDAK'}",
        f"Sertifikat terpercaya: {'ya' if entry.trusted else 'TIDAK'}",
        f"Cap waktu: {e(when)}",
        f"Diubah setelah ditandatangani: {'YA' if entry.modified_after_signing else 'tidak'}",
        *(e(note) for note in entry.notes),
    ]
    return f"<li>{'<br>'.join(facts)}</li>"


def _signer(name: str, position: str, capacity: str, signed_at: datetime, level: str) -> str:
    acting = _CAPACITY.get(capacity, "")
    return (
        f"<li><strong>{e(name)}</strong><br>{e(position)}"
        f"{'<br>' + e(acting) if acting else ''}"
        f"<br>Waktu: {e(wording.waktu(signed_at))} (PAdES {e(level)})</li>"
    )


def _form(upload_url: str) -> str:
    return (
        f'<form method="post" action="{e(upload_url)}" enctype="multipart/form-data">'
        '<p><label for="berkas">Berkas PDF (paling besar 4 MB):</label><br>'
        '<input type="file" id="berkas" name="berkas" accept="application/pdf,.pdf" required>'
        '</p><p><button type="submit">Periksa tanda tangan</button></p></form>'
    )


def _verdict(text: str, colour: str) -> str:
    return f'<p class="v" style="background:{colour}">{e(text)}</p>'


def _table(rows: list[tuple[str, str]]) -> str:
    return (
        "<table>"
        + "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in rows)
        + ("</table>")
    )


def _page(title: str, body: str) -> str:
    return f"""<!doctype html>
<html lang="id"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)}</title>
<style>body{{font-family:system-ui,sans-serif;margin:1rem;max-width:40rem;color:#222}}
.v{{padding:.8rem;border-radius:.4rem;color:#fff}}
th{{text-align:left;padding-right:.6rem;vertical-align:top}}td{{word-break:break-all}}
li{{margin:.6rem 0}}small{{color:#555}}button{{font-size:1rem;padding:.4rem .8rem}}</style>
</head><body>{body}</body></html>"""
