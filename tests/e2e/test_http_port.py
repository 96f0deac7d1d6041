"""End to end over the local runner's HTTP port: what a browser or curl sees."""

from __future__ import annotations

import httpx
from conftest import Api


def test_health_docs_and_openapi_over_http(http: httpx.Client) -> None:
    assert http.get("/health").json() == {"status": "ok"}
    docs = http.get("/docs")
    assert docs.status_code == 200 and docs.headers["content-type"].startswith("text/html")
    assert http.get("/openapi.json").json()["info"]["title"].startswith("e-Office")


def test_signed_in_flow_over_http(http: httpx.Client, api: Api) -> None:
    headers = {"Authorization": f"Bearer {api.token('admin')}"}
    me = http.get("/me", headers=headers)
    assert me.status_code == 200
    assert "admin" in me.json()["roles"]
    assert me.headers.get("apigw-requestid")
    assert me.headers.get("x-correlation-id"), "the id people quote when they report a problem"
    units = http.get("/units", headers=headers).json()
    assert sum(1 for unit in units if unit["kind"] == "district") == 11


def test_errors_over_http(http: httpx.Client, api: Api) -> None:
    assert http.get("/me").status_code == 401
    staff = {"Authorization": f"Bearer {api.token('staf.kominfo')}"}
    forbidden = http.post(
        "/units",
        headers=staff,
        json={"code": "X", "name": "Xx", "kind": "section", "parent_id": "p"},
    )
    assert forbidden.status_code == 403
    assert forbidden.headers["content-type"] == "application/problem+json"
    invalid = http.post(
        "/units",
        headers=staff,
        content=b"{not json",
    )
    assert invalid.status_code in {400, 422}
    assert invalid.headers["content-type"] == "application/problem+json"


def test_cors_for_web_clients(http: httpx.Client) -> None:
    preflight = http.options(
        "/me",
        headers={
            "Origin": "http://localhost:5173",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "authorization" in preflight.headers["access-control-allow-headers"]
    answer = http.get("/health", headers={"Origin": "http://localhost:5173"})
    assert answer.headers["access-control-allow-origin"] == "*"
