"""End to end over the local runner's HTTP port: what a browser or curl sees."""

from __future__ import annotations

import json
import socket
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
from eoffice_local.gateway import Server
from support.api import Api


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


def test_the_port_holds_150_connections_opened_at_once(server: Server) -> None:
    """Every client connects in the same instant (more than a default listen backlog of 5
    could queue) and then asks; each one is answered, none is reset or refused."""
    count = 150
    host, port = server.httpd.server_address[:2]
    connect = threading.Barrier(count)
    ask = threading.Barrier(count)

    def client(_: int) -> str:
        connect.wait(timeout=60)
        with socket.create_connection((str(host), int(port)), timeout=30) as conn:
            ask.wait(timeout=60)
            conn.sendall(b"GET /health HTTP/1.1\r\nHost: local\r\nConnection: close\r\n\r\n")
            answer = b""
            while chunk := conn.recv(65536):
                answer += chunk
        return answer.decode(errors="replace")

    with ThreadPoolExecutor(count) as pool:
        answers = list(pool.map(client, range(count)))
    failed = [a[:80] for a in answers if not a.startswith("HTTP/1.1 200")]
    assert failed == [], f"{len(failed)} of {count} not answered: {failed[:3]}"
    assert all(json.loads(a.split("\r\n\r\n", 1)[1]) == {"status": "ok"} for a in answers)
