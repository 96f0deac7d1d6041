"""The API describes itself truthfully: OpenAPI 3.1 generated from the models, every operation
with an operationId, a summary, its security, its success answer (status, content type and
schema) and its error responses; Swagger UI at /docs. Web and mobile clients are generated
from this document."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest
from support.api import Answer, Api
from support.attendance import MALILI, Site, fix
from support.organisation import unit_of

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


def test_every_operation_documents_its_success(api: Api) -> None:
    """Powertools writes the success answer from the route's return annotation only when the
    route's ``responses`` leave it out; ``operation()`` used to replace it with the errors."""
    document = api.get("/openapi.json").json
    wrong = []
    for path, method, operation in operations(document):
        responses = operation["responses"]
        successes = [status for status in responses if status.startswith("2")]
        redirect = responses.get("302", {}).get("headers", {}).get("Location")
        if not successes and not redirect:
            wrong.append(f"{method.upper()} {path}: no success documented")
        for status in successes:
            content = responses[status].get("content")
            if status == "204":
                if content:
                    wrong.append(f"{method.upper()} {path}: 204 with a body")
            elif not content or not all(media.get("schema") for media in content.values()):
                wrong.append(f"{method.upper()} {path}: {status} without a schema")
    assert not wrong, "\n".join(wrong)
    paths = document["paths"]
    assert paths["/units"]["post"]["responses"]["201"]["content"]["application/json"] == {
        "schema": {"$ref": "#/components/schemas/Unit"}
    }
    assert "200" not in paths["/units"]["post"]["responses"]


def test_files_redirects_and_pages_say_their_content(api: Api) -> None:
    paths = api.get("/openapi.json").json["paths"]
    cover = paths["/letters/{letter_id}/cover-sheet"]["get"]["responses"]["200"]["content"]
    assert cover == {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}
    shared = paths["/shared/{token}"]["get"]["responses"]["302"]
    assert shared["headers"]["Location"]["schema"] == {"type": "string", "format": "uri"}
    assert "content" not in shared
    page = paths["/verify/{document_id}"]["get"]["responses"]["200"]["content"]
    assert page["application/json"]["schema"] == {"$ref": "#/components/schemas/PublicDocument"}
    assert page["text/html"]["schema"]["type"] == "string"
    released = paths["/attendance/devices/{nip}"]["delete"]["responses"]["204"]
    assert "content" not in released
    check_in = paths["/attendance/check-ins"]["post"]["responses"]
    assert check_in["201"]["content"] == check_in["200"]["content"]  # 200: sent before


def test_the_gateways_401_is_documented_as_what_it_is(api: Api) -> None:
    """A missing or forged token is answered by API Gateway, not the function:
    ``{"message": "Unauthorized"}`` as application/json, never problem+json."""
    document = api.get("/openapi.json").json
    assert document["components"]["schemas"]["GatewayMessage"]["properties"]["message"] == {
        "title": "Message",
        "type": "string",
    }
    for path, method, operation in operations(document):
        if path in PUBLIC:
            assert "401" not in operation["responses"], f"{method} {path}"
            continue
        content = operation["responses"]["401"]["content"]
        gateway = content["application/json"]["schema"]
        assert gateway == {"$ref": "#/components/schemas/GatewayMessage"}, f"{method} {path}"
    answer = api.get("/units")
    assert (answer.status, answer.json) == (401, {"message": "Unauthorized"})


def test_json_operations_document_the_unreadable_body_answers(api: Api) -> None:
    document = api.get("/openapi.json").json
    for path, method, operation in operations(document):
        body = operation.get("requestBody", {}).get("content", {})
        if "application/json" in body:
            assert "400" in operation["responses"], f"{method} {path}"
        if body:
            assert "415" in operation["responses"], f"{method} {path}"
    assert "HTTPValidationError" not in document["components"]["schemas"]


def conforms(
    document: dict[str, Any], method: str, path: str, answer: Answer, **parameters: str
) -> None:
    """The answer is one the document describes: status, content type, headers and body."""
    import schemathesis
    from schemathesis.specs.openapi import checks

    operation = schemathesis.openapi.from_dict(document)[path][method]
    case = operation.Case(path_parameters=parameters)
    request = httpx.Request(method, f"http://127.0.0.1:3000{path}")
    response = httpx.Response(
        answer.status, headers=answer.headers, content=answer.body, request=request
    )
    response.read()
    response.elapsed = timedelta(0)
    case.validate_response(
        response,
        checks=[
            checks.status_code_conformance,
            checks.content_type_conformance,
            checks.response_headers_conformance,
            checks.response_schema_conformance,
        ],
    )


@pytest.fixture(scope="module")
def site(api: Api) -> Site:
    return Site(api, unit_of(api, "kadis.kominfo"))


def test_routes_answer_the_success_the_document_names(api: Api, site: Site) -> None:
    """201 for a creation, 200 for a replayed check-in, 204 for a released phone, a PDF for a
    cover sheet: what the routes really answer, checked against the document."""
    document = api.get("/openapi.json").json
    unit = api.post(
        "/units",
        user="admin",
        json_body={
            "code": f"DOC-{uuid.uuid4().hex[:6]}",
            "name": "Bidang Dok",
            "kind": "section",
            "parent_id": site.unit_id,
        },
    )
    assert unit.status == 201, unit.body
    conforms(document, "POST", "/units", unit)
    unit_id = unit.json["unit_id"]
    read = api.get(f"/units/{unit_id}", user="admin")
    conforms(document, "GET", "/units/{unit_id}", read, unit_id=unit_id)
    staff = site.staff()
    body = fix("in", MALILI, client_id=uuid.uuid4().hex, device_id=staff.device)
    first = api.post("/attendance/check-ins", user=staff.user, json_body=body)
    again = api.post("/attendance/check-ins", user=staff.user, json_body=body)
    assert (first.status, again.status) == (201, 200), first.body
    for answer in (first, again):
        conforms(document, "POST", "/attendance/check-ins", answer)
    released = api.call("DELETE", f"/attendance/devices/{staff.nip}", user="admin")
    assert released.status == 204, released.body
    conforms(document, "DELETE", "/attendance/devices/{nip}", released, nip=staff.nip)
    selfie = api.post("/attendance/selfies", user=staff.user)
    conforms(document, "POST", "/attendance/selfies", selfie)
    conforms(document, "GET", "/openapi.json", api.get("/openapi.json"))
    conforms(document, "GET", "/units", api.get("/units"))  # the gateway's 401


def test_the_verification_pages_answer_what_the_document_names(api: Api) -> None:
    """The public pages are HTML, their form's refusals too (a browser shows them): the
    document says so instead of a JSON string, and the form reaches its route."""
    from support.pdfs import one_page_pdf

    document = api.get("/openapi.json").json
    html = {"accept": "text/html"}
    conforms(document, "GET", "/verify", api.get("/verify", headers=html))
    upload = document["paths"]["/verify/upload"]["post"]["responses"]
    for status in ("200", "413", "415", "422", "429"):
        assert list(upload[status]["content"]) == ["text/html"], status
    for pdf, status in ((one_page_pdf(), 200), (b"GIF89a bukan pdf", 422)):
        request = httpx.Request(
            "POST", "http://127.0.0.1:3000/verify/upload", files={"berkas": ("a.pdf", pdf)}
        )
        headers = {**html, "content-type": request.headers["content-type"]}
        sent = api.gateway.handle("POST", "/verify/upload", headers, request.read(), "10.9.9.9")
        answer = Answer(sent.status, sent.headers, sent.body)
        assert answer.status == status, answer.body
        conforms(document, "POST", "/verify/upload", answer)


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


def test_the_web_apps_copy_of_the_document_is_current(api: Api) -> None:
    """The web app's client is generated from web/src/api/openapi.json: it is the document the
    API serves, as ``eoffice openapi`` writes it (web/'s own test checks schema.d.ts against it)."""
    from eoffice_local import openapi_document
    from eoffice_local.environment import ROOT

    template = api.env.template
    rendered = openapi_document.render(template)
    committed = (ROOT / openapi_document.WEB_DOCUMENT).read_text(encoding="utf-8")
    assert committed == rendered, "run `eoffice openapi`, then `npm run gen:api` in web/"
    assert json.loads(rendered) == api.get("/openapi.json").json
