"""A JSON body no parser should be handed (not UTF-8, or nested far deeper than any model) is
the client's error: 400 problem+json with a stable code, from every operation that takes JSON,
in every function that serves HTTP, and nothing changes."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pytest
from support.api import Api

NOT_UTF8 = b"\xff"
DEEP = b"[" * 100_000 + b"]" * 100_000
"""Far past Python's recursion limit: json.loads raises RecursionError on it."""
NESTED = b'{"a":' * 200 + b"1" + b"}" * 200
"""Parses, but deeper than any model: RecursionError later, in validation or serialisation."""


def json_operations(document: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if "application/json" in operation.get("requestBody", {}).get("content", {})
    ]


def concrete(path: str) -> str:
    """A path with every parameter filled: the body is refused before any route looks at it."""
    return re.sub(r"\{[^}]+\}", "1", path)


def state_digest(api: Api) -> str:
    """Every item of every table and every object key: what "nothing changed" means."""
    from eoffice import aws

    dynamodb, s3 = aws.client("dynamodb"), aws.client("s3")
    digest = hashlib.sha256()
    for name in sorted(dynamodb.list_tables()["TableNames"]):
        for page in dynamodb.get_paginator("scan").paginate(TableName=name):
            digest.update(repr(sorted(map(repr, page["Items"]))).encode())
    for bucket in sorted(b["Name"] for b in s3.list_buckets()["Buckets"]):
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            digest.update(repr(sorted(o["Key"] for o in page.get("Contents", []))).encode())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def operations(api: Api) -> list[tuple[str, str]]:
    found = json_operations(api.get("/openapi.json").json)
    assert len(found) >= 40, "every JSON operation of the document"
    functions = {route.function for route in api.env.template.routes}
    assert {"ApiFunction", "SigningFunction", "AttendanceFunction"} <= functions
    assert ("POST", "/attendance/check-ins") in found  # the check-in function (no router)
    return found


@pytest.mark.parametrize(
    ("body", "code"),
    [(NOT_UTF8, "invalid_encoding"), (DEEP, "json_too_deep"), (NESTED, "json_too_deep")],
    ids=["not-utf8", "deep", "nested"],
)
def test_every_json_operation_refuses_an_unreadable_body(
    api: Api, operations: list[tuple[str, str]], body: bytes, code: str
) -> None:
    token = api.token("admin")
    before = state_digest(api)
    wrong = []
    for method, path in operations:
        answer = api.call(
            method,
            concrete(path),
            token=token,
            body=body,
            headers={"content-type": "application/json"},
        )
        problem = answer.json if answer.content_type == "application/problem+json" else {}
        if (answer.status, problem.get("code")) != (400, code):
            wrong.append(f"{method} {path}: {answer.status} {answer.body[:80]!r}")
    assert not wrong, "\n".join(wrong)
    assert state_digest(api) == before


def test_a_body_without_content_type_is_read_as_json_too(api: Api) -> None:
    """Powertools parses a body that declares no type as JSON: the same guard applies."""
    answer = api.call("POST", "/units", user="admin", body=NOT_UTF8)
    assert (answer.status, answer.json["code"]) == (400, "invalid_encoding")
    assert answer.content_type == "application/problem+json"


def test_a_well_formed_body_still_reaches_validation(api: Api) -> None:
    """Ordinary invalid JSON stays what it was: 422 validation_failed with the field errors."""
    answer = api.call(
        "POST", "/units", user="admin", body=b"{", headers={"content-type": "application/json"}
    )
    assert (answer.status, answer.json["code"]) == (422, "validation_failed")
    answer = api.post("/units", user="admin", json_body={"name": "x" * 3, "tree": [[[[1]]]]})
    assert (answer.status, answer.json["code"]) == (422, "validation_failed")
    # Brackets inside strings (escaped quotes too) are text, not nesting.
    text = '["\\"' + "[{" * 100
    answer = api.post("/units", user="admin", json_body={"name": text, "code": [text] * 40})
    assert (answer.status, answer.json["code"]) == (422, "validation_failed")


def test_raw_bodies_are_not_read_as_json(api: Api) -> None:
    """A CSV or PDF body is bytes: a byte that is not UTF-8 is the route's to judge."""
    answer = api.call(
        "POST",
        "/employees/import",
        user="admin",
        body=b"nip,name\n\xff\xfe,x\n",
        headers={"content-type": "text/csv"},
    )
    assert answer.status == 422, answer.body
    assert answer.json["code"] != "invalid_encoding"


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"],
)
def test_a_json_route_refuses_other_media_types(api: Api, content_type: str) -> None:
    """Found by the fuzzer: Powertools refused text/plain with an exception nobody handled,
    and tried to parse forms (a multipart body without a boundary raised): 500s. No route takes
    a form, so none is parsed."""
    before = state_digest(api)
    answer = api.call(
        "POST",
        "/units",
        user="admin",
        body=b'{"code": "X-415", "name": "Unit 415", "kind": "section"}',
        headers={"content-type": content_type},
    )
    assert (answer.status, answer.json["code"]) == (415, "unsupported_media_type"), answer.body
    assert answer.content_type == "application/problem+json"
    assert state_digest(api) == before
