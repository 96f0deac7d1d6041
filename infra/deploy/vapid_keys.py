"""Give a deployed stack its VAPID keys, once: dev-only tooling, never shipped.

    AWS_PROFILE=... python infra/deploy/vapid_keys.py --secret-id eoffice/prod/vapid-keys \\
        --subject mailto:diskominfo@luwutimurkab.go.id

Creates the secret with a fresh key pair, or writes one into a secret that has no value yet (as
CloudFormation leaves a secret declared without one). A secret that already holds usable VAPID
keys is left as it is: a new pair would orphan every browser's subscription. One holding anything
else is refused unless ``--replace-invalid``. Prints only the public key (the web app's
``applicationServerKey``) on stdout; never the private key. ``AWS_ENDPOINT_URL`` is honoured, so
it also runs against the emulator.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from eoffice import aws
from eoffice.notifications import vapid_store


class VapidSetupError(RuntimeError):
    """The secret holds something that is not VAPID keys, and replacing it was not asked for."""


def ensure(secret_id: str, subject: str, *, replace_invalid: bool = False) -> tuple[str, bool]:
    """The secret's public key, and whether this call wrote a new key pair."""
    client = aws.client("secretsmanager")
    current = _current_value(client, secret_id)
    if current is not None:
        try:
            return vapid_store.parse(secret_id, current).public_key, False
        except vapid_store.VapidKeysUnavailable as error:
            if not replace_invalid:
                raise VapidSetupError(f"{error}; --replace-invalid writes a new key pair") from None
    document = vapid_store.generate(subject)
    value = json.dumps(document)
    if _exists(client, secret_id):
        client.put_secret_value(SecretId=secret_id, SecretString=value)
    else:
        client.create_secret(
            Name=secret_id, SecretString=value, Description="VAPID keys for web push (RFC 8292)"
        )
    vapid_store.forget()
    return document["public_key"], True


def _current_value(client: Any, secret_id: str) -> str | None:
    try:
        answer = client.get_secret_value(SecretId=secret_id)
    except client.exceptions.ResourceNotFoundException:
        return None  # no secret, or a secret without a current value
    value = answer.get("SecretString")
    return str(value) if value else None


def _exists(client: Any, secret_id: str) -> bool:
    try:
        client.describe_secret(SecretId=secret_id)
    except client.exceptions.ResourceNotFoundException:
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--secret-id", required=True, help="the secret's name or ARN")
    parser.add_argument(
        "--subject", required=True, help="the contact push services may write to (mailto:...)"
    )
    parser.add_argument("--replace-invalid", action="store_true")
    args = parser.parse_args(argv)
    try:
        public_key, created = ensure(
            args.secret_id, args.subject, replace_invalid=args.replace_invalid
        )
    except (VapidSetupError, ValueError) as error:
        print(f"vapid_keys: {error}", file=sys.stderr)
        return 1
    print(
        "kunci VAPID baru dibuat" if created else "kunci VAPID sudah ada, tidak diubah",
        file=sys.stderr,
    )
    print(public_key)
    return 0


if __name__ == "__main__":
    sys.exit(main())
