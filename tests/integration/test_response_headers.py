"""Every answer a function gives carries ``X-Content-Type-Options: nosniff``, its
``x-correlation-id`` and a cache rule: ``no-store`` but for the description of the API
(``/openapi.json``, ``/docs``: ``no-cache``). Errors and 500s included, in both HTTP layers (the
resolver-based functions and the check-in function). The gateway's own answers (401 of the
authorizer) never reach a function: README "API conventions" says what they carry."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from support.api import Answer, Api

DESCRIPTION = {"/openapi.json", "/docs"}


def headers_problems(answer: Answer, path: str) -> list[str]:
    headers = answer.headers
    wrong = []
    if headers.get("x-content-type-options") != "nosniff":
        wrong.append("no nosniff")
    if not headers.get("x-correlation-id"):
        wrong.append("no x-correlation-id")
    cache = "no-cache" if path in DESCRIPTION and answer.status == 200 else "no-store"
    if headers.get("cache-control") != cache:
        wrong.append(f"cache-control {headers.get('cache-control')!r}, not {cache}")
    return wrong


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


@pytest.mark.parametrize("user", ["admin", "staf.kominfo", None])
def test_every_operation_answers_with_the_headers(api: Api, user: str | None) -> None:
    """Each operation of the document, called as an admin, a staff member and (public routes)
    without a token: whatever it answers (200, 4xx), the headers are there."""
    document = api.get("/openapi.json").json
    token = api.token(user) if user else None
    wrong, statuses = [], set()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if user is None and operation["security"] != [{}]:
                continue  # the gateway answers 401 itself
            body = operation.get("requestBody", {}).get("content", {})
            kind = next(iter(body), None)
            answer = api.call(
                method.upper(),
                concrete(path),
                token=token,
                body=b"{}" if kind else None,
                headers={"content-type": kind} if kind else {},
            )
            statuses.add(answer.status)
            if problems := headers_problems(answer, path):
                wrong.append(f"{method.upper()} {path} ({answer.status}): {', '.join(problems)}")
    assert not wrong, "\n".join(wrong)
    assert {200, 404, 422} <= statuses


def test_errors_and_unknown_routes_carry_the_headers(api: Api) -> None:
    for answer in (
        api.get("/no/such/route", user="admin"),  # the API function's 404
        api.post(
            "/units", user="admin", body=b"\xff", headers={"content-type": "application/json"}
        ),
        api.post("/attendance/check-ins", user="staf.kominfo", body=b"\xff"),
        api.post("/attendance/check-ins", user="staf.kominfo", json_body={"kind": "in"}),
    ):
        assert answer.status in {400, 404, 415, 422}, answer.body
        assert not headers_problems(answer, ""), answer.headers


def event(route_key: str, path: str, **fields: Any) -> dict[str, Any]:
    return {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": path,
        "rawQueryString": "",
        "headers": {"content-type": "application/json"},
        "requestContext": {"requestId": "REQ-500", "http": {"method": "POST", "path": path}},
        **fields,
    }


@pytest.mark.parametrize(
    ("function", "payload"),
    [
        # An event API Gateway never sends (no method): the resolver itself fails.
        ("ApiFunction", event("ANY /{proxy+}", "/units", requestContext={"requestId": "REQ-500"})),
        # A body that is not a string: the check-in function fails reading it.
        (
            "CheckInFunction",
            event(
                "POST /attendance/check-ins",
                "/attendance/check-ins",
                body=["not", "a", "string"],
                requestContext={
                    "requestId": "REQ-500",
                    "authorizer": {"jwt": {"claims": {"sub": "x", "username": "staf.kominfo"}}},
                },
            ),
        ),
    ],
    ids=["resolver", "check-in"],
)
def test_a_500_carries_the_headers(api: Api, function: str, payload: dict[str, Any]) -> None:
    response = api.env.runtime.invoke(function, payload)
    assert response["statusCode"] == 500, response
    headers = {name.lower(): value for name, value in response["headers"].items()}
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-correlation-id"] == "REQ-500"
    assert headers["cache-control"] == "no-store"
    assert headers["content-type"] == "application/problem+json"


def test_swagger_ui_and_the_document_through_a_real_port(http: httpx.Client) -> None:
    for path in ("/docs", "/openapi.json", "/health"):
        answer = http.get(path)
        assert answer.status_code == 200
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["x-correlation-id"]
        expected = "no-cache" if path in DESCRIPTION else "no-store"
        assert answer.headers["cache-control"] == expected, path
    assert http.get("/docs").headers["content-type"].startswith("text/html")
