"""Merging another function's OpenAPI document refuses a component name given to two schemas."""

from __future__ import annotations

from typing import Any

import pytest
from eoffice.http.app import SchemaCollision, merge_paths


def _doc(path: str, schemas: dict[str, Any]) -> dict[str, Any]:
    return {"paths": {path: {"get": {"operationId": path}}}, "components": {"schemas": schemas}}


PARAF = {"type": "object", "properties": {"order": {"type": "integer"}}, "title": "Review"}
ATTENDANCE = {"type": "object", "properties": {"decision": {"type": "string"}}, "title": "Review"}


def test_a_name_given_to_two_different_schemas_is_refused_and_nothing_is_merged() -> None:
    schema = _doc("/outgoing", {"Review": PARAF})
    with pytest.raises(SchemaCollision, match="Review"):
        merge_paths(schema, _doc("/attendance", {"Review": ATTENDANCE}))
    assert schema["components"]["schemas"]["Review"] == PARAF
    assert "/attendance" not in schema["paths"]


def test_the_same_schema_under_the_same_name_merges() -> None:
    schema = _doc("/outgoing", {"Review": PARAF, "Problem": {"type": "object"}})
    merge_paths(
        schema, _doc("/attendance", {"Problem": {"type": "object"}, "CheckIn": {"type": "object"}})
    )
    assert set(schema["components"]["schemas"]) == {"Review", "Problem", "CheckIn"}
    assert set(schema["paths"]) == {"/outgoing", "/attendance"}
