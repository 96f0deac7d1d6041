"""The API describes itself truthfully: OpenAPI 3.1 generated from the models, every operation
with an operationId, a summary, its security and its error responses; Swagger UI at /docs."""

from __future__ import annotations

from typing import Any

from conftest import Api

PUBLIC = {
    "/health",
    "/openapi.json",
    "/verify",
    "/verify/upload",
    "/verify/{document_id}",
    "/shared/{token}",
}


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]


def test_openapi_document_is_complete(api: Api) -> None:
    answer = api.get("/openapi.json")
    assert answer.status == 200
    document = answer.json
    assert document["openapi"].startswith("3.1")
    assert "bearerAuth" in document["components"]["securitySchemes"]
    found = operations(document)
    assert len(found) >= 15
    ids = [operation["operationId"] for _, _, operation in found]
    assert len(ids) == len(set(ids)), "operationIds are unique"
    for path, method, operation in found:
        where = f"{method.upper()} {path}"
        assert operation.get("summary"), where
        if path in PUBLIC:
            assert operation["security"] == [{}], where
            continue
        assert operation["security"] == [{"bearerAuth": []}], where
        for status in ("401", "422"):
            content = operation["responses"][status]["content"]
            assert "application/problem+json" in content, where


def test_admin_operations_document_403(api: Api) -> None:
    document = api.get("/openapi.json").json
    assert "403" in document["paths"]["/units"]["post"]["responses"]
    assert "409" in document["paths"]["/employees"]["post"]["responses"]


def test_swagger_ui_is_served(api: Api) -> None:
    answer = api.get("/docs")
    assert answer.status == 200
    assert answer.content_type.startswith("text/html")
    assert b"swagger" in answer.body.lower()


def test_unknown_route_is_problem_json(api: Api) -> None:
    answer = api.get("/no/such/route", user="admin")
    assert answer.status == 404
    assert answer.content_type == "application/problem+json"
    assert answer.json["code"] == "route_not_found"


def test_the_document_describes_the_routes_other_functions_answer(api: Api) -> None:
    """Swagger UI (served by the API function) can sign and verify: the signing function's
    routes are in the document, from a fragment that matches what that function declares."""
    from eoffice_local import openapi_fragment

    template = api.env.template
    committed = openapi_fragment.fragment_path(template).read_text(encoding="utf-8")
    assert committed == openapi_fragment.render(template), "run `eoffice openapi-fragment`"
    paths = api.get("/openapi.json").json["paths"]
    signing = {r.path for r in template.routes if r.function == "SigningFunction"}
    assert {p for p in signing if "{proxy+}" not in p} <= set(paths)
    assert "/signing/keys/{key_id}/certificate" in paths  # under /signing/{proxy+}
    assert "operationId" in paths["/outgoing/{outgoing_id}/sign"]["post"]


def test_raw_bodies_are_described_as_files(api: Api) -> None:
    paths = api.get("/openapi.json").json["paths"]
    for path, media_type in (
        ("/verify", "application/pdf"),
        ("/outgoing/{outgoing_id}/versions", "application/pdf"),
        ("/employees/import", "text/csv"),
    ):
        body = paths[path]["post"]["requestBody"]["content"][media_type]
        assert body["schema"] == {"type": "string", "format": "binary"}, path
