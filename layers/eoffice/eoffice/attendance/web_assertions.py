"""Checking a web check-in's WebAuthn assertion (ADR 0024): the challenge is the one issued for
this employee and this check-in's ``client_id`` and had not expired when the check-in was made;
origin, rp id, user verification and the signature with the stored public key (py_webauthn,
imported here only, so the native path never loads it). Pure but for the challenge key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from eoffice import settings
from eoffice.attendance import challenges
from eoffice.attendance.credential_store import Credential
from eoffice.attendance.models import RejectReason, WebAuthnAssertion


@dataclass(frozen=True)
class Verdict:
    problem: RejectReason | None
    sign_count: int | None = None  # the authenticator's counter, when the assertion holds


def check(
    nip: str,
    client_id: str,
    assertion: WebAuthnAssertion,
    credential: Credential,
    made_at: datetime,
) -> Verdict:
    sent = challenges.read_challenge(assertion.client_data_json)
    expires = challenges.opened(challenges.CHECK_IN, nip, client_id, sent) if sent else None
    if sent is None or expires is None:
        return Verdict(RejectReason.assertion_invalid)
    if expires < made_at:
        return Verdict(RejectReason.challenge_expired)
    return _verify(assertion, credential, sent)


def _verify(assertion: WebAuthnAssertion, credential: Credential, challenge: bytes) -> Verdict:
    from webauthn import verify_authentication_response
    from webauthn.helpers.exceptions import WebAuthnException

    config = settings.get(settings.WebAuthn)
    response: dict[str, str] = {
        "authenticatorData": assertion.authenticator_data,
        "clientDataJSON": assertion.client_data_json,
        "signature": assertion.signature,
    }
    if assertion.user_handle:
        response["userHandle"] = assertion.user_handle
    try:
        verified = verify_authentication_response(
            credential={
                "id": assertion.credential_id,
                "rawId": assertion.credential_id,
                "type": "public-key",
                "response": response,
            },
            expected_challenge=challenge,
            expected_rp_id=config.rp_id,
            expected_origin=config.allowed_origins,
            credential_public_key=challenges.from_b64url(credential.public_key),
            credential_current_sign_count=credential.sign_count,
            require_user_verification=True,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError):
        return Verdict(RejectReason.assertion_invalid)
    return Verdict(None, verified.new_sign_count)
