"""The web app's phones: WebAuthn platform credentials (ADR 0024). A browser cannot read Android
ID, so the phone is bound by a credential it creates at first use: registered here, verified
with py_webauthn, stored under the credential id's hash (``device_hash``, as Android IDs are),
and waiting for his head's or an admin's approval like any new phone (``devices.approve``); a
released phone's credential is removed with its binding (``device_store.rebind``).

Web credentials are never bound on first use (native phones are): registering needs only a
sign-in, which a colleague who knows the password also has; his head's approval does not.

Storage: ``credential_store``; py_webauthn is imported here only, on use.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from eoffice import clock, settings
from eoffice.attendance import challenges, credential_store
from eoffice.attendance.checkin import device_hash
from eoffice.attendance.models import (
    CheckInSource,
    CredentialRegistration,
    DeviceRequestView,
    RegisteredDevice,
    RegistrationOptions,
    RegistrationState,
)
from eoffice.auth import Principal
from eoffice.errors import Conflict, InvalidInput

RP_NAME = "e-Office Kabupaten Luwu Timur"
USER_VERIFICATION = "required"  # the phone's screen lock (fingerprint, PIN) at every use


def _user_handle(nip: str) -> bytes:
    """WebAuthn's user.id: opaque, not the NIP itself (the spec asks for no personal data)."""
    return hashlib.sha256(f"eoffice-webauthn-user:{nip}".encode()).digest()[:16]


def registration_options(principal: Principal) -> RegistrationOptions:
    from webauthn import generate_registration_options
    from webauthn.helpers import options_to_json_dict
    from webauthn.helpers.structs import (
        AuthenticatorAttachment,
        AuthenticatorSelectionCriteria,
        ResidentKeyRequirement,
        UserVerificationRequirement,
    )

    now = clock.utcnow()
    issued = challenges.issue(
        challenges.REGISTER, principal.nip, "", now + challenges.REGISTRATION_VALIDITY
    )
    config = settings.get(settings.WebAuthn)
    options = generate_registration_options(
        rp_id=config.rp_id,
        rp_name=RP_NAME,
        user_name=principal.employee.username,
        user_id=_user_handle(principal.nip),
        user_display_name=principal.employee.name,
        challenge=issued.value,
        timeout=int(challenges.REGISTRATION_VALIDITY.total_seconds() * 1000),
        authenticator_selection=AuthenticatorSelectionCriteria(
            authenticator_attachment=AuthenticatorAttachment.PLATFORM,
            resident_key=ResidentKeyRequirement.DISCOURAGED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
    )
    return RegistrationOptions(options=options_to_json_dict(options), expires_at=issued.expires_at)


def register(principal: Principal, data: CredentialRegistration) -> RegisteredDevice:
    """Verify the new credential (its challenge is ours, for him, unexpired; origin, rp id,
    user verification) and store it with a device request waiting for approval."""
    from webauthn import verify_registration_response
    from webauthn.helpers.exceptions import InvalidRegistrationResponse

    now = clock.utcnow()
    challenge = _registration_challenge(principal.nip, data.client_data_json, now)
    config = settings.get(settings.WebAuthn)
    try:
        verified = verify_registration_response(
            credential={
                "id": data.credential_id,
                "rawId": data.credential_id,
                "type": "public-key",
                "response": {
                    "clientDataJSON": data.client_data_json,
                    "attestationObject": data.attestation_object,
                    "transports": data.transports,
                },
            },
            expected_challenge=challenge,
            expected_rp_id=config.rp_id,
            expected_origin=config.allowed_origins,
            require_user_verification=True,
        )
    except InvalidRegistrationResponse as error:
        raise InvalidInput(
            f"the credential is not valid: {error}", code="invalid_credential"
        ) from None
    if challenges.b64url(verified.credential_id) != data.credential_id:
        raise InvalidInput(
            "the credential id is not the authenticator's", code="invalid_credential"
        )
    device = device_hash(data.credential_id)
    request = DeviceRequestView(
        nip=principal.nip,
        name=principal.employee.name,
        unit_id=principal.unit_id,
        device=device,
        requested_at=now,
        source=CheckInSource.web,
    )
    stored = credential_store.Credential(
        nip=principal.nip,
        public_key=challenges.b64url(verified.credential_public_key),
        sign_count=verified.sign_count,
        registered_at=now,
    )
    bound = credential_store.bound_to(device)
    if bound is not None and bound != principal.nip:
        raise Conflict("this credential belongs to another employee", code="device_in_use")
    if bound == principal.nip:  # registered again after its approval: nothing changes
        return RegisteredDevice(
            device=device, credential_id=data.credential_id, state=RegistrationState.approved
        )
    credential_store.register(device, stored, request)
    _announce(request)
    return RegisteredDevice(
        device=device,
        credential_id=data.credential_id,
        state=RegistrationState.pending_approval,
        request=request,
    )


def _registration_challenge(nip: str, client_data_json: str, now: datetime) -> bytes:
    """The challenge the browser signed, when we issued it to him and it has not expired."""
    sent = challenges.read_challenge(client_data_json)
    expires = challenges.opened(challenges.REGISTER, nip, "", sent) if sent else None
    if sent is None or expires is None:
        raise InvalidInput("the credential answers no challenge of ours", code="invalid_credential")
    if expires < now:
        raise InvalidInput("the registration took too long: start again", code="challenge_expired")
    return sent


def _announce(request: DeviceRequestView) -> None:
    """A phone waiting for approval is announced as the check-in announces one."""
    from eoffice.attendance import checkin_events

    checkin_events.publish_request(request)
