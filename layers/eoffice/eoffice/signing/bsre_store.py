"""BSrE's esign client credentials (basic auth), kept in Secrets Manager as a JSON document
``{"username": ..., "password": ...}`` under the name the template gives the signing function
(``BSRE_CREDENTIALS_SECRET``): never in the environment, never logged."""

from __future__ import annotations

import json

from eoffice import aws


def read_credentials(secret: str) -> tuple[str, str]:
    """The client's username and password; empty ones when no secret is configured (a service
    inside the institution's network that asks for none)."""
    if not secret:
        return "", ""
    value = aws.client("secretsmanager").get_secret_value(SecretId=secret)["SecretString"]
    credentials = json.loads(value)
    return credentials["username"], credentials["password"]
