"""Signing an outgoing letter, resolving an unknown BSrE outcome, delivering again. Every rule
is in ``eoffice.outgoing.signing`` and ``eoffice.outgoing.delivery``."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from eoffice.http.caller import caller
from eoffice.http.openapi import operation
from eoffice.outgoing.models import ClaimResolution, Outgoing, SignRequest

router = APIGatewayHttpRouter()
TAGS = ["outgoing"]
OutgoingId = Annotated[str, Path(description="The outgoing letter's id")]


def public_base() -> str:
    """This API's own address, for the QR code when no VERIFY_BASE_URL is configured."""
    headers = router.current_event.headers
    host = headers.get("host") or router.current_event.request_context.domain_name
    local = host.startswith(("127.0.0.1", "localhost"))
    scheme = headers.get("x-forwarded-proto") or ("http" if local else "https")
    return f"{scheme}://{host}"


@router.post(
    "/outgoing/<outgoing_id>/sign",
    **operation(
        "signOutgoing",
        "Sign the letter (the next signer, or his Plt/Plh)",
        description="PAdES B-T (B-LT when the certificate's OCSP/CRL answers) with a visible QR "
        "signature. The first signature numbers the letter and stamps the number, date and "
        "footer; the last one is followed by the seal where configured, and the letter is "
        "delivered. A BSrE signer sends `nik` and `passphrase` or `totp` (never stored); "
        "others send `{}`.",
        tags=TAGS,
        idempotent=True,
        # Never kept, not even hashed: a hash of a 6-digit TOTP or a short passphrase is
        # guessed in moments, and a NIK is personal data.
        unhashed=("nik", "passphrase", "totp"),
        errors=(403, 404, 409, 422, 502, 504),
    ),
)
def sign_outgoing(outgoing_id: OutgoingId, body: SignRequest) -> Outgoing:
    from eoffice.outgoing import signing

    return signing.sign(caller(router), outgoing_id, body, public_base=public_base())


@router.post(
    "/outgoing/<outgoing_id>/sign/resolve",
    **operation(
        "resolveSigningAttempt",
        "After a BSrE signature with an unknown outcome: it was not signed (signer or admin)",
        tags=TAGS,
        errors=(403, 404, 409, 422),
    ),
)
def resolve_attempt(outgoing_id: OutgoingId, body: ClaimResolution) -> Outgoing:
    from eoffice.outgoing import signing

    return signing.resolve_claim(caller(router), outgoing_id, body, public_base=public_base())


@router.post(
    "/outgoing/<outgoing_id>/deliver",
    **operation(
        "deliverOutgoing",
        "Deliver a signed letter again (after a failure part-way; idempotent)",
        tags=TAGS,
        errors=(403, 404, 409),
    ),
)
def deliver_outgoing(outgoing_id: OutgoingId) -> Outgoing:
    from eoffice.outgoing import delivery

    return delivery.redeliver(caller(router), outgoing_id)
