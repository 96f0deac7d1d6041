"""Public verification through the signing function: the check of any PDF (tampered copies,
later revisions, foreign certificates, bad bodies, the rate limit), the same check through the
public page's form, and a letter's public record (unknown ids, secret letters, a letter not every
signer has signed yet, the QR code's address)."""

from __future__ import annotations

import io
import time
import uuid
from typing import Any

import pytest
from eoffice import settings
from eoffice.http.problems import PROBLEM_JSON
from support.api import Answer, Api, Intake
from support.organisation import NIP
from support.outgoing import draft, sign, signed_file
from support.pdfs import one_page_pdf
from support.pki import PkiEnv, asn1_certificate

PDF = {"content-type": "application/pdf"}


@pytest.fixture(scope="module")
def signed(api: Api, intake: Intake) -> tuple[dict[str, Any], bytes]:
    """One signed letter and its file, shared by the checks that only read it."""
    outgoing = draft(api, intake, reviewers=[], subject="Surat untuk uji verifikasi")
    letter = sign(api, outgoing["outgoing_id"], "kadis.kominfo")
    return letter, signed_file(api, letter["outgoing_id"])


def check(api: Api, pdf: bytes, *, source: str | None = None) -> Answer:
    """POST /verify; from a source address of its own so the rate limit never interferes."""
    headers = {"host": "127.0.0.1:3000", **PDF}
    answer = api.gateway.handle("POST", "/verify", headers, pdf, source or fresh_address())
    return Answer(answer.status, answer.headers, answer.body)


def fresh_address() -> str:
    tail = uuid.uuid4().bytes
    return f"10.{tail[0]}.{tail[1]}.{tail[2]}"


def appearance_streams(pdf: bytes) -> list[bytes]:
    """The decoded content of the signature widget's appearance and every XObject in it."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    [embedded] = reader.embedded_signatures
    found: list[bytes] = []
    pending = [embedded.sig_field["/AP"]["/N"]]
    while pending:
        stream = pending.pop()
        found.append(stream.data)
        resources = stream.get("/Resources")
        xobjects = resources.get("/XObject") if resources is not None else None
        pending += [ref.get_object() for ref in (xobjects or {}).values()]
    return found


def qr_commands(url: str) -> bytes:
    """How pyHanko draws a QR code of ``url`` (same library, same error correction)."""
    import qrcode  # type: ignore[import-untyped]
    from pyhanko.pdf_utils.qr import PdfStreamQRImage

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(url)
    code.make()
    drawn: bytes = code.make_image(image_factory=PdfStreamQRImage).render_command_stream()
    return drawn


def one_signature(report: dict[str, Any]) -> dict[str, Any]:
    [entry] = report["signatures"]
    return entry  # type: ignore[no-any-return]


# ---------------------------------------------------------------- the file as kept
def test_the_signed_file_verifies_and_its_qr_opens_the_record(
    api: Api, signed: tuple[dict[str, Any], bytes]
) -> None:
    letter, pdf = signed
    answer = check(api, pdf)
    assert answer.status == 200, answer.body
    entry = one_signature(answer.json["report"])
    assert entry["intact"] and entry["trusted"] and not entry["modified_after_signing"]
    assert answer.json["known_document"] == {
        "document_id": letter["outgoing_id"],
        "number": letter["number"],
        "status": "valid",
        "same_file": True,
    }
    # The QR code (and its link) opens this letter's public record.
    url = f"http://127.0.0.1:3000/verify/{letter['outgoing_id']}"
    drawn = appearance_streams(pdf)
    assert qr_commands(url) in drawn
    assert qr_commands(url.replace(letter["outgoing_id"], uuid.uuid4().hex)) not in drawn
    record = api.get(f"/verify/{letter['outgoing_id']}")
    assert record.status == 200 and record.json["subject"] == "Surat untuk uji verifikasi"


# ---------------------------------------------------------------- changed copies
def test_a_byte_changed_inside_the_signed_range_is_reported(
    api: Api, signed: tuple[dict[str, Any], bytes]
) -> None:
    letter, pdf = signed
    at = pdf.index(b"/Producer")  # in the first revision: covered by the signature
    tampered = pdf[:at] + b"/Producex" + pdf[at + len(b"/Producer") :]
    assert len(tampered) == len(pdf) and tampered != pdf
    answer = check(api, tampered)
    assert answer.status == 200, answer.body
    report = answer.json["report"]
    entry = one_signature(report)
    assert not entry["intact"] and entry["modified_after_signing"], entry
    assert not report["all_valid"]
    # Its signature (the CMS) is still the letter's: the copy is named, but not the same file.
    known = answer.json["known_document"]
    assert known is not None and known["document_id"] == letter["outgoing_id"], answer.json
    assert known["same_file"] is False


def test_a_later_revision_is_reported_but_still_names_the_letter(
    api: Api, signed: tuple[dict[str, Any], bytes]
) -> None:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    letter, pdf = signed
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    # A red box drawn over the page in a new revision: the signed bytes stay as they were.
    box = writer.add_object(generic.StreamObject(stream_data=b"1 0 0 rg 72 400 300 80 re f"))
    writer.add_stream_to_page(0, box)
    out = io.BytesIO()
    writer.write(out)
    edited = out.getvalue()
    assert edited.startswith(pdf)

    answer = check(api, edited)
    assert answer.status == 200, answer.body
    report = answer.json["report"]
    entry = one_signature(report)
    assert entry["intact"] and entry["trusted"], entry  # the signed bytes are untouched
    assert entry["modified_after_signing"] and entry["modification_level"] == "other", entry
    assert not report["all_valid"]
    known = answer.json["known_document"]
    assert known is not None, answer.json
    assert known["document_id"] == letter["outgoing_id"] and known["same_file"] is False


def test_a_foreign_certificate_is_not_trusted_nor_known(api: Api, pki_env: PkiEnv) -> None:
    from eoffice.signing.backends.local import LocalKey
    from eoffice.signing.pades import sign_pdf

    key, certificate = pki_env.foreign.issue_key("Orang Asing")
    material = LocalKey(
        key, asn1_certificate(certificate), [asn1_certificate(pki_env.foreign.intermediate)]
    )
    signed = sign_pdf(
        one_page_pdf(), material, tsa_url=pki_env.foreign_server.tsa_url, visible=None
    )
    answer = check(api, signed.pdf)
    assert answer.status == 200, answer.body
    entry = one_signature(answer.json["report"])
    assert entry["intact"] and not entry["trusted"], entry
    assert entry["signer"]["common_name"] == "Orang Asing"
    assert answer.json["known_document"] is None
    assert not answer.json["report"]["all_valid"]


# ---------------------------------------------------------------- bad requests
def test_what_is_not_a_pdf_is_refused(api: Api) -> None:
    not_pdf = check(api, b"GIF89a not a pdf at all")
    assert not_pdf.status == 422 and not_pdf.json["code"] == "not_a_pdf", not_pdf.body
    assert not_pdf.headers["content-type"].startswith(PROBLEM_JSON)
    for body in (b"%PDF-1.7 sebagai teks", one_page_pdf()):  # UTF-8 or not, labelled text
        wrong_type = api.post("/verify", body=body, headers={"content-type": "text/plain"})
        assert wrong_type.status == 415, wrong_type.body
        assert wrong_type.json["code"] == "unsupported_media_type"
    unsigned = check(api, one_page_pdf())
    assert unsigned.status == 200, unsigned.body
    assert unsigned.json["report"]["signature_count"] == 0
    assert not unsigned.json["report"]["all_valid"]
    assert unsigned.json["known_document"] is None


def test_one_address_is_rate_limited(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VERIFY_RATE_LIMIT", "2")
    settings.reset()
    if time.time() % 60 > 55:  # the three requests belong in one minute's window
        time.sleep(61 - time.time() % 60)
    source = fresh_address()
    answers = [check(api, b"%PDF-1.7 rusak", source=source) for _ in range(3)]
    assert [a.status for a in answers[:2]] == [422, 422], [a.body for a in answers]
    assert answers[2].status == 429 and answers[2].json["code"] == "rate_limited"
    assert answers[2].headers["content-type"].startswith(PROBLEM_JSON)
    # Another address is not affected.
    assert check(api, b"%PDF-1.7 rusak").status == 422


# ---------------------------------------------------------------- public records
def test_unknown_and_unsigned_documents_are_not_found(api: Api, intake: Intake) -> None:
    unknown = api.get(f"/verify/{uuid.uuid4().hex}")
    assert unknown.status == 404 and unknown.content_type.startswith(PROBLEM_JSON)
    assert unknown.json["code"] == "document_not_found"
    created = api.post(
        "/outgoing",
        user="staf.kominfo",
        json_body={
            "classification_code": "800.1.2.2",
            "subject": "Belum ditandatangani",
            "recipients": [{"kind": "external", "name": "Warga"}],
            "signers": ["197503082002121003"],
        },
    )
    assert created.status == 201, created.body
    draft_id = created.json["outgoing"]["outgoing_id"]
    assert api.get(f"/verify/{draft_id}").status == 404


def test_a_secret_letters_public_record_hides_its_subject(api: Api, intake: Intake) -> None:
    outgoing = draft(
        api, intake, reviewers=[], sifat="rahasia", subject="Mutasi pejabat struktural"
    )
    letter = sign(api, outgoing["outgoing_id"], "kadis.kominfo")
    record = api.get(f"/verify/{letter['outgoing_id']}")
    assert record.status == 200, record.body
    assert record.json["subject"] is None and record.json["number"] == letter["number"]
    page = api.get(f"/verify/{letter['outgoing_id']}", headers={"accept": "text/html"})
    text = page.body.decode()
    assert "(dirahasiakan)" in text and "Mutasi pejabat" not in text


def test_a_file_over_the_limit_is_refused_before_any_work(api: Api) -> None:
    from eoffice.outgoing.verification import MAX_VERIFY_BYTES

    body = b"%PDF-1.7\n" + bytes(MAX_VERIFY_BYTES)
    answer = check(api, body, source=fresh_address())
    assert answer.status == 413 and answer.json["code"] == "file_too_large", answer.body


# ---------------------------------------------------------------- a letter being signed
HTML = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


def test_a_partly_signed_letter_shows_the_signatures_it_has_as_incomplete(
    api: Api, intake: Intake
) -> None:
    signers = [NIP["kadis.kominfo"], NIP["sekda"]]
    outgoing = draft(api, intake, reviewers=[], signers=signers, subject="Surat dua penanda")
    outgoing_id = outgoing["outgoing_id"]
    first = sign(api, outgoing_id, "kadis.kominfo")
    assert first["status"] == "signing"

    record = api.get(f"/verify/{outgoing_id}")  # what the printed QR code opens
    assert record.status == 200, record.body
    assert record.json["status"] == "incomplete" and record.json["signers_total"] == 2
    assert record.json["number"] == first["number"]
    assert [s["name"] for s in record.json["signatures"]] == [first["signatures"][0]["name"]]
    assert record.json["sha256"] == first["signed_file"]["sha256"]
    page = api.get(f"/verify/{outgoing_id}", headers=HTML)
    assert page.status == 200 and page.content_type.startswith("text/html")
    text = page.body.decode()
    assert "BELUM LENGKAP" in text and "1 dari 2 penandatangan" in text, text
    assert first["signatures"][0]["name"] in text and first["number"] in text
    assert 'action="http://127.0.0.1:3000/verify/upload"' in text
    assert 'enctype="multipart/form-data"' in text and 'name="berkas"' in text
    assert "<script" not in text and "http" not in text.replace(
        "http://127.0.0.1:3000/verify/upload", ""
    )  # nothing is loaded from elsewhere

    # Its file says the same as the record.
    known = check(api, signed_file(api, outgoing_id)).json["known_document"]
    assert known["status"] == "incomplete" and known["same_file"] is True

    final = sign(api, outgoing_id, "sekda")
    assert final["status"] == "signed"
    complete = api.get(f"/verify/{outgoing_id}")
    assert complete.json["status"] == "valid" and len(complete.json["signatures"]) == 2
    text = api.get(f"/verify/{outgoing_id}", headers=HTML).body.decode()
    assert "Dokumen ini sah" in text and "BELUM LENGKAP" not in text


# ---------------------------------------------------------------- the public page's form
def post_form(api: Api, pdf: bytes, *, source: str | None = None, field: str = "berkas") -> Answer:
    """What a browser sends when the form of the verification page is submitted (no file
    chosen: an empty part without a file name)."""
    import httpx

    files = {field: ("surat.pdf" if pdf else "", pdf, "application/pdf")}
    request = httpx.Request(
        "POST", "http://127.0.0.1:3000/verify/upload", files=files, data={"kirim": "1"}
    )
    headers = {"host": "127.0.0.1:3000", **HTML, "content-type": request.headers["content-type"]}
    body = request.read()
    answer = api.gateway.handle("POST", "/verify/upload", headers, body, source or fresh_address())
    return Answer(answer.status, answer.headers, answer.body)


def test_the_upload_page_checks_a_signed_and_a_tampered_file(
    api: Api, signed: tuple[dict[str, Any], bytes]
) -> None:
    letter, pdf = signed
    form = api.get("/verify", headers=HTML)
    assert form.status == 200 and form.content_type.startswith("text/html"), form.body
    text = form.body.decode()
    assert 'action="http://127.0.0.1:3000/verify/upload"' in text and "<script" not in text
    assert 'type="file"' in text and 'name="berkas"' in text and 'lang="id"' in text

    good = post_form(api, pdf)
    assert good.status == 200 and good.content_type.startswith("text/html"), good.body
    text = good.body.decode()
    assert "Hasil Pemeriksaan Berkas" in text and "utuh, sah, dan terpercaya" in text, text
    assert letter["number"] in text and "berkas yang sama persis" in text
    assert f'href="http://127.0.0.1:3000/verify/{letter["outgoing_id"]}"' in text
    assert "Sertifikat terpercaya: ya" in text and "Diubah setelah ditandatangani: tidak" in text
    size = f"{len(pdf):,}".replace(",", ".")  # Indonesian writes 1.234.567
    assert len(pdf) > 999 and f"<td>{size} bita</td>" in text, text

    at = pdf.index(b"/Producer")
    tampered = pdf[:at] + b"/Producex" + pdf[at + len(b"/Producer") :]
    bad = post_form(api, tampered)
    assert bad.status == 200, bad.body
    text = bad.body.decode()
    assert "TIDAK dapat dipastikan" in text and "Utuh: TIDAK" in text, text
    assert "salinan yang berbeda" in text and "utuh, sah" not in text


def test_the_upload_form_refuses_in_bahasa_indonesia(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    from eoffice.outgoing.verification import MAX_VERIFY_BYTES

    refusals = {
        422: [
            post_form(api, b"GIF89a bukan pdf"),
            post_form(api, b""),
            post_form(api, one_page_pdf(), field="lampiran"),
        ],
        413: [post_form(api, b"%PDF-1.7\n" + bytes(MAX_VERIFY_BYTES))],
    }
    for status, answers in refusals.items():
        for answer in answers:
            assert answer.status == status, answer.body
            assert answer.content_type.startswith("text/html")
            assert "Berkas Tidak Diperiksa" in answer.body.decode()
            assert 'name="berkas"' in answer.body.decode()  # the form again
    assert "bukan berkas PDF" in refusals[422][0].body.decode()
    assert "Pilih berkas PDF" in refusals[422][1].body.decode()
    assert "paling besar 4 MB" in refusals[413][0].body.decode()

    # One address's rate is shared with POST /verify.
    monkeypatch.setenv("VERIFY_RATE_LIMIT", "2")
    settings.reset()
    if time.time() % 60 > 55:
        time.sleep(61 - time.time() % 60)
    source = fresh_address()
    assert check(api, b"%PDF-1.7 rusak", source=source).status == 422
    assert post_form(api, b"%PDF-1.7 rusak", source=source).status == 422
    limited = post_form(api, one_page_pdf(), source=source)
    assert limited.status == 429 and "Terlalu banyak" in limited.body.decode(), limited.body


def test_a_hostile_form_is_refused_with_a_page(api: Api) -> None:
    """Multipart parts nested a few thousand times (134 KB) made the form parser recurse past
    Python's limit: a 500 from a public route. A browser's form has one level."""
    depth = 2000
    body = b"".join(
        b"--b%d\r\nContent-Type: multipart/mixed; boundary=b%d\r\n\r\n" % (i, i + 1)
        for i in range(depth)
    )
    body += b'--b%d\r\nContent-Disposition: form-data; name="berkas"\r\n\r\nx\r\n' % depth
    body += b"".join(b"--b%d--\r\n" % i for i in range(depth, -1, -1))
    headers = {"host": "127.0.0.1:3000", **HTML, "content-type": "multipart/form-data; boundary=b0"}
    answer = api.gateway.handle("POST", "/verify/upload", headers, body, fresh_address())
    assert answer.status == 422, answer.body[:300]
    assert answer.headers["content-type"].startswith("text/html")
    assert "Berkas Tidak Diperiksa" in answer.body.decode()
