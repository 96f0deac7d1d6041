"""The paths that functions other than the API function answer behind the same HTTP API
(signing, verification), as an OpenAPI fragment the API function merges into its document.

A Lambda function cannot import another function's code, so the fragment is generated here from
those functions' own resolvers and committed (``functions/api/openapi-elsewhere.json``); a test
fails when it no longer matches what they declare. Regenerate with ``eoffice openapi-fragment``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from eoffice.http.app import merge_paths, openapi_schema

from eoffice_local.runtime import load_handler, placeholder_settings
from eoffice_local.template import FunctionSpec, Template

DOCUMENT_PATH = "/openapi.json"
FRAGMENT = "openapi-elsewhere.json"


def _document_owner(template: Template) -> str:
    for route in template.routes:
        if route.path == DOCUMENT_PATH:
            return route.function
    raise LookupError(f"no function serves {DOCUMENT_PATH}")


def fragment(template: Template) -> dict[str, Any]:
    """The paths and schemas of every HTTP function but the one serving the document."""
    owner = _document_owner(template)
    others = sorted({r.function for r in template.routes if r.function != owner})
    merged: dict[str, Any] = {"paths": {}, "components": {"schemas": {}}}
    for name in others:
        schema = _schema_of(template.functions[name])
        schema["paths"].pop(DOCUMENT_PATH, None)
        merge_paths(merged, schema)
    return merged


def _schema_of(spec: FunctionSpec) -> dict[str, Any]:
    with placeholder_settings():
        load_handler(spec)
    module = sys.modules[f"_eoffice_fn_{spec.logical_id}"]
    # A function without a router (the check-in function) describes its routes on request.
    app = module.app if hasattr(module, "app") else module.describe()
    return openapi_schema(app, title=spec.logical_id, description="")


def fragment_path(template: Template) -> Path:
    return template.functions[_document_owner(template)].code_uri / FRAGMENT


def render(template: Template) -> str:
    return json.dumps(fragment(template), indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def write(template: Template) -> Path:
    path = fragment_path(template)
    path.write_text(render(template), encoding="utf-8")
    return path
