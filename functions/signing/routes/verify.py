"""Public verification, no sign-in: the page a signed letter's QR code opens, the check of any
PDF (JSON for programs, and a form with an HTML report for people), and external recipients'
links. Rules in ``eoffice.outgoing.verification``; the pages in ``eoffice.outgoing.verify_pages``;
the report in ``eoffice.signing.verify``."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from eoffice.http import body_guard
from eoffice.http.body import raw_body
from eoffice.http.openapi import PAGE, operation
from eoffice.outgoing.models import FileCheck, PublicDocument

from routes.sign import public_base

router = APIGatewayHttpRouter()
TAGS = ["verification"]
UPLOAD_PATH = "/verify/upload"
body_guard.takes_forms("POST", UPLOAD_PATH)  # the page's form posts the file here


def _wants_html() -> bool:
    accept = (router.current_event.headers.get("accept") or "").lower()
    return "text/html" in accept and "application/json" not in accept.split("text/html")[0]


def _html(status: int, page: str) -> Response[str]:
    return Response(status, content_type="text/html; charset=utf-8", body=page)


def _public_url(path: str) -> str:
    from eoffice.outgoing.wording import public_url

    return public_url(public_base(), path)


@router.get(
    "/verify/<document_id>",
    **operation(
        "verifyDocument",
        "A signed document's public record (what its QR code opens)",
        description="A page in Bahasa Indonesia for a browser (`Accept: text/html`), with a form "
        "to check a copy of the file; JSON (`PublicDocument`) otherwise: number, subject (not for "
        "a secret letter), signers and times, the signed file's SHA-256, and whether the letter "
        "was revoked. A letter some but not all of whose signers have signed is `incomplete` "
        "and lists the signatures it has.",
        tags=TAGS,
        errors=(404,),
        public=True,
        content={"application/json": {"model": PublicDocument}, "text/html": {"schema": PAGE}},
    ),
)
def verify_document(
    document_id: Annotated[str, Path(description="The id in the QR code")],
) -> Response[str]:
    from eoffice.outgoing import verification, verify_pages

    document = verification.public_document(document_id)
    if _wants_html():
        return _html(200, verify_pages.record_page(document, _public_url(UPLOAD_PATH)))
    return Response(200, content_type="application/json", body=document.model_dump_json())


@router.get(
    "/verify",
    **operation(
        "verifyPage",
        "The public page to check a PDF (an HTML form in Bahasa Indonesia, no JavaScript)",
        description="The form posts the file to `POST /verify/upload`.",
        tags=TAGS,
        public=True,
        page=True,
    ),
)
def verify_page() -> Response[str]:
    from eoffice.outgoing import verify_pages

    return _html(200, verify_pages.upload_page(_public_url(UPLOAD_PATH)))


@router.post(
    UPLOAD_PATH,
    **operation(
        "verifyUploadedFile",
        "Check a PDF sent by the public page's form: a report page in Bahasa Indonesia",
        description="`multipart/form-data` with the PDF in the field `berkas`, at most 4 MB, "
        "as the form of `GET /verify` and of a letter's record sends it. The same checks and "
        "the same rate limit per address as `POST /verify`; the answer is an HTML page, also "
        "when the file is refused, with the refusal's status (413 too large, 415 not a form, "
        "422 no file or not a PDF, 429 too many from one address).",
        tags=TAGS,
        errors=(413, 415, 429),
        public=True,
        page=True,
        raw_body="multipart/form-data",
    ),
)
def verify_uploaded_file() -> Response[str]:
    from eoffice.errors import DomainError
    from eoffice.outgoing import verification, verify_pages

    upload_url = _public_url(UPLOAD_PATH)
    event = router.current_event
    try:
        body = raw_body(router, "multipart/form-data")
        content_type = event.headers.get("content-type") or ""
        check = verification.check_form(body, content_type, event.request_context.http.source_ip)
    except DomainError as refused:
        return _html(refused.status, verify_pages.refusal_page(refused.code, upload_url))
    known = check.known_document
    record = _public_url(f"/verify/{known.document_id}") if known else None
    return _html(200, verify_pages.report_page(check, upload_url, record))


@router.post(
    "/verify",
    **operation(
        "verifyFile",
        "Check any PDF: a report per signature, and the letter of this system it matches",
        description="Send the PDF itself as the body (`Content-Type: application/pdf`), at most "
        "4 MB. Each signature: intact or not, signer and chain, trusted to the configured roots "
        "or not, timestamp, and whether (and how) the document was modified after signing. "
        "Rate-limited per address.",
        tags=TAGS,
        errors=(413, 415, 422, 429),
        public=True,
        raw_body="application/pdf",
    ),
)
def verify_file() -> FileCheck:
    from eoffice.outgoing import verification

    data = raw_body(router, "application/pdf", "application/octet-stream")
    address = router.current_event.request_context.http.source_ip
    return verification.check_file(data, address)


@router.get(
    "/shared/<token>",
    **operation(
        "openSharedLetter",
        "Download a signed letter sent to an external recipient (the link in its record)",
        description="Redirects (302) to a short-lived download of the signed PDF. The link "
        "lives 30 days; a revoked letter answers 410.",
        tags=TAGS,
        errors=(404, 410),
        public=True,
        status_code=302,
        redirect="A short-lived download of the signed PDF",
    ),
)
def open_shared_letter(
    token: Annotated[str, Path(description="The token in the link", min_length=20, max_length=100)],
) -> Response[str]:
    from eoffice.outgoing import delivery

    location = delivery.open_share(token)
    return Response(302, content_type="text/plain", body="", headers={"location": location})
