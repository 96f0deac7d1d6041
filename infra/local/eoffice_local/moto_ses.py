"""SES v2's account-level suppression list, which moto 5.2 does not have, added to its server.

On AWS a send to a suppressed address succeeds and SES turns it into a bounce without trying;
so the e-mail channel asks ``GetSuppressedDestination`` first, to know the address is gone. This
gives the emulator the three calls that list needs (``PutSuppressedDestination``,
``GetSuppressedDestination``, ``DeleteSuppressedDestination``), kept per account and region on
moto's own SES v2 backend, so ``/moto-api/reset`` forgets them like everything else. Installed by
:mod:`eoffice_local.moto_server` before the server builds its routes.
"""

from __future__ import annotations

import importlib
import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

_ROUTES = (
    "{0}/v2/email/suppression/addresses$",
    "{0}/v2/email/suppression/addresses/(?P<EmailAddress>[^/]+)$",
)
_REASONS = frozenset({"BOUNCE", "COMPLAINT"})


def add_suppression_list() -> None:
    # moto's internals, patched at run time: typed loosely on purpose.
    urls: Any = importlib.import_module("moto.sesv2.urls")
    responses: Any = importlib.import_module("moto.sesv2.responses")
    handler = responses.SESV2Response.dispatch
    for route in _ROUTES:
        urls.url_paths.setdefault(route, handler)
    responses.SESV2Response.put_suppressed_destination = _put
    responses.SESV2Response.get_suppressed_destination = _get
    responses.SESV2Response.delete_suppressed_destination = _delete


def _suppressed(response: Any) -> dict[str, dict[str, str]]:
    backend = response.sesv2_backend
    found: dict[str, dict[str, str]] | None = getattr(backend, "eoffice_suppressed", None)
    if found is None:
        found = {}
        backend.eoffice_suppressed = found
    return found


def _address(response: Any) -> str:
    return unquote(str(response.path).split("?", 1)[0].rsplit("/", 1)[-1]).lower()


def _put(response: Any) -> str:
    body = json.loads(response.body or "{}")
    address, reason = str(body.get("EmailAddress", "")).lower(), body.get("Reason")
    if "@" not in address or reason not in _REASONS:
        raise _error("BadRequestException", "EmailAddress and Reason are required")
    _suppressed(response)[address] = {
        "EmailAddress": address,
        "Reason": reason,
        "LastUpdateTime": datetime.now(UTC).isoformat(),
    }
    return "{}"


def _get(response: Any) -> str:
    entry = _suppressed(response).get(_address(response))
    if entry is None:
        raise _error("NotFoundException", "Email address is not on the suppression list")
    return json.dumps({"SuppressedDestination": entry})


def _delete(response: Any) -> str:
    if _suppressed(response).pop(_address(response), None) is None:
        raise _error("NotFoundException", "Email address is not on the suppression list")
    return "{}"


def _error(code: str, message: str) -> Exception:
    """moto's JSON error, which SES v2 clients read as AWS's (the code in ``x-amzn-ErrorType``)."""
    from moto.core.exceptions import JsonRESTError

    error = JsonRESTError(code, message)
    error.code = 404 if code == "NotFoundException" else 400
    return error
