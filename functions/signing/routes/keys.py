"""Signing keys and trust roots (admin): create a KMS key and its certificate request, import
the issued certificate, register a PKCS#12, disable a key, and set the roots verification trusts.

Routes parse and answer; every rule is in ``eoffice.signing.keys``.
"""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from eoffice.http.caller import caller
from eoffice.http.openapi import operation
from eoffice.signing.key_models import (
    CertificateImport,
    Pkcs12Registration,
    SigningKey,
    SigningKeyCreate,
    TrustRoots,
    TrustRootsUpdate,
)

router = APIGatewayHttpRouter()
TAGS = ["signing keys"]
KeyId = Annotated[str, Path(description="The signing key's id")]


@router.post(
    "/signing/keys",
    **operation(
        "createSigningKey",
        "Create a KMS signing key and its certificate request (admin)",
        tags=TAGS,
        errors=(403, 404),
        status_code=201,
        description="The answer's `csr_pem` goes to the certificate authority (BSrE); import "
        "what it issues with `PUT /signing/keys/{key_id}/certificate`.",
    ),
)
def create_key(body: SigningKeyCreate) -> SigningKey:
    from eoffice.signing import keys

    return keys.create_kms_key(caller(router), body)


@router.get(
    "/signing/keys",
    **operation("listSigningKeys", "Every signing key (admin)", tags=TAGS, errors=(403,)),
)
def list_keys() -> list[SigningKey]:
    from eoffice.signing import keys

    return keys.list_keys(caller(router))


@router.get(
    "/signing/keys/<key_id>",
    **operation("getSigningKey", "One signing key (admin)", tags=TAGS, errors=(403, 404)),
)
def get_key(key_id: KeyId) -> SigningKey:
    from eoffice.signing import keys

    return keys.get_key(caller(router), key_id)


@router.put(
    "/signing/keys/<key_id>/certificate",
    **operation(
        "importSigningCertificate",
        "Import the certificate chain issued for a KMS key; the key becomes active (admin)",
        tags=TAGS,
        errors=(403, 404, 409),
    ),
)
def import_certificate(key_id: KeyId, body: CertificateImport) -> SigningKey:
    from eoffice.signing import keys

    return keys.import_certificate(caller(router), key_id, body)


@router.post(
    "/signing/keys/pkcs12",
    **operation(
        "registerPkcs12Key",
        "Register a PKCS#12 kept in Secrets Manager as an active key (admin)",
        tags=TAGS,
        errors=(403, 404),
        status_code=201,
    ),
)
def register_pkcs12(body: Pkcs12Registration) -> SigningKey:
    from eoffice.signing import keys

    return keys.register_pkcs12(caller(router), body)


@router.post(
    "/signing/keys/<key_id>/disable",
    **operation(
        "disableSigningKey", "Stop a key from signing (admin)", tags=TAGS, errors=(403, 404, 409)
    ),
)
def disable_key(key_id: KeyId) -> SigningKey:
    from eoffice.signing import keys

    return keys.disable_key(caller(router), key_id)


@router.get(
    "/signing/trust-roots",
    **operation("getTrustRoots", "The root certificates verification trusts", tags=TAGS),
)
def get_trust_roots() -> TrustRoots:
    from eoffice.signing import keys

    return keys.get_trust_roots(caller(router))


@router.put(
    "/signing/trust-roots",
    **operation(
        "replaceTrustRoots",
        "Replace the root certificates verification trusts (admin)",
        tags=TAGS,
        errors=(403, 409),
    ),
)
def replace_trust_roots(body: TrustRootsUpdate) -> TrustRoots:
    from eoffice.signing import keys

    return keys.replace_trust_roots(caller(router), body)
