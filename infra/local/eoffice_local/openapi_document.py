"""The whole ``/openapi.json`` document, built in-process (no emulator), for the web app's
generated API client (``web/src/api/openapi.json``, committed; ``web/src/api/schema.d.ts`` is
generated from it by openapi-typescript). A test fails when the committed file is stale.

The document is the one the API function serves: its own resolver's routes, with the fragment of
the routes other functions answer merged in (``functions/api/openapi-elsewhere.json``). It is asked
of the resolver as a client would, ``GET /openapi.json``, so the two cannot drift apart.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from eoffice_local.openapi_fragment import DOCUMENT_PATH, _document_owner
from eoffice_local.runtime import load_handler, placeholder_settings
from eoffice_local.template import Template

WEB_DOCUMENT = Path("web") / "src" / "api" / "openapi.json"


def document(template: Template) -> dict[str, Any]:
    spec = template.functions[_document_owner(template)]
    with placeholder_settings():
        load_handler(spec)
    app = sys.modules[f"_eoffice_fn_{spec.logical_id}"].app
    answer = app.resolve(_get(DOCUMENT_PATH), _Context())
    if answer["statusCode"] != 200:
        raise RuntimeError(f"{DOCUMENT_PATH} answered {answer['statusCode']}: {answer['body']}")
    schema: dict[str, Any] = json.loads(answer["body"])
    return schema


def render(template: Template) -> str:
    return json.dumps(document(template), indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def write(template: Template, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(template), encoding="utf-8")
    return path


def _get(path: str) -> dict[str, Any]:
    """An API Gateway HTTP API (payload 2.0) event of an anonymous ``GET``."""
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {"host": "localhost"},
        "requestContext": {
            "accountId": "000000000000",
            "apiId": "local",
            "domainName": "localhost",
            "domainPrefix": "localhost",
            "http": {
                "method": "GET",
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "127.0.0.1",
                "userAgent": "eoffice openapi",
            },
            "requestId": "eoffice-openapi",
            "routeKey": "$default",
            "stage": "$default",
            "time": "01/Jan/2026:00:00:00 +0000",
            "timeEpoch": 0,
        },
        "isBase64Encoded": False,
    }


class _Context:
    """The little of a Lambda context a resolver reads."""

    function_name = "eoffice-openapi"
    aws_request_id = "eoffice-openapi"
    memory_limit_in_mb = 128
    invoked_function_arn = "arn:aws:lambda:ap-southeast-3:000000000000:function:eoffice-openapi"
