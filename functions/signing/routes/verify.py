"""Public verification, no sign-in: the page a signed letter's QR code opens, and the check of
any PDF. Rules in ``eoffice.outgoing.verification``; the report in ``eoffice.signing.verify``."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from eoffice.http.body import raw_body
from eoffice.http.openapi import operation
from eoffice.outgoing.models import FileCheck, PublicDocument

router = APIGatewayHttpRouter()
TAGS = ["verification"]
_PAGE = {"type": "string", "description": "The page in Bahasa Indonesia"}


def _wants_html() -> bool:
    accept = (router.current_event.headers.get("accept") or "").lower()
    return "text/html" in accept and "application/json" not in accept.split("text/html")[0]


@router.get(
    "/verify/<document_id>",
    **operation(
        "verifyDocument",
        "A signed document's public record (what its QR code opens)",
        description="A page in Bahasa Indonesia for a browser (`Accept: text/html`), JSON "
        "(`PublicDocument`) otherwise: number, subject (not for a secret letter), signers and times, the signed "
        "file's SHA-256, and whether the letter was revoked.",
        tags=TAGS,
        errors=(404,),
        public=True,
        content={"application/json": {"model": PublicDocument}, "text/html": {"schema": _PAGE}},
    ),
)
def verify_document(
    document_id: Annotated[str, Path(description="The id in the QR code")],
) -> Response[str]:
    from eoffice.outgoing import verification

    document = verification.public_document(document_id)
    if _wants_html():
        page = verification.render_page(document)
        return Response(200, content_type="text/html; charset=utf-8", body=page)
    return Response(200, content_type="application/json", body=document.model_dump_json())


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
