"""Sign-in as API Gateway's JWT authorizer and the handler see it: bad tokens never reach the
function (401 from the gateway), unknown or inactive users are refused by the handler (401),
and roles decide what a signed-in user may do (403)."""

from __future__ import annotations

import time

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from eoffice_local.issuer import DevIssuer
from support.api import Api


def test_health_needs_no_token(api: Api) -> None:
    answer = api.get("/health")
    assert answer.status == 200
    assert answer.json == {"status": "ok"}


def test_valid_token_reaches_the_handler(api: Api) -> None:
    answer = api.get("/me", user="staf.kominfo")
    assert answer.status == 200
    assert answer.json["employee"]["username"] == "staf.kominfo"


@pytest.mark.parametrize(
    "token_of",
    [
        pytest.param(lambda api: None, id="no token"),
        pytest.param(lambda api: "not-a-jwt", id="garbage"),
        pytest.param(
            lambda api: api.token("admin", now=time.time() - 7200, ttl=3600), id="expired"
        ),
        pytest.param(lambda api: api.token("admin", aud="another-client"), id="wrong audience"),
        pytest.param(
            lambda api: api.token("admin", iss="https://cognito-idp.example/other"),
            id="wrong issuer",
        ),
    ],
)
def test_gateway_refuses_bad_tokens(api: Api, token_of: object) -> None:
    calls_before = _api_function_calls(api)
    answer = api.get("/me", token=token_of(api))  # type: ignore[operator]
    assert answer.status == 401
    assert answer.json == {"message": "Unauthorized"}
    assert _api_function_calls(api) == calls_before, "the function must not be called"


def test_gateway_refuses_a_forged_signature(api: Api) -> None:
    forger = DevIssuer(
        rsa.generate_private_key(public_exponent=65537, key_size=2048),
        api.env.issuer.issuer,
        api.env.issuer.audience,
    )
    forged = forger.issue("admin")
    assert api.get("/me", token=forged).status == 401


def test_forged_token_with_the_right_kid_is_refused(api: Api) -> None:
    import jwt

    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    claims = jwt.decode(api.token("admin"), options={"verify_signature": False})
    forged = jwt.encode(claims, other, algorithm="RS256", headers={"kid": api.env.issuer.kid})
    assert api.get("/me", token=forged).status == 401


def test_unknown_user_gets_problem_401(api: Api) -> None:
    answer = api.get("/me", user="nobody.here")
    assert answer.status == 401
    assert answer.content_type == "application/problem+json"
    assert answer.json["code"] == "unknown_user"


def test_staff_calling_an_admin_endpoint_is_forbidden(api: Api) -> None:
    answer = api.post(
        "/units",
        user="staf.kominfo",
        json_body={"code": "X-TEST", "name": "Unit Uji", "kind": "section", "parent_id": "x"},
    )
    assert answer.status == 403
    assert answer.content_type == "application/problem+json"
    assert answer.json["code"] == "role_required"


def test_inactive_employee_is_refused(api: Api) -> None:
    unit_id = api.get("/me", user="staf.kominfo").json["unit"]["unit_id"]
    employee = {
        "nip": "198807072012122001",
        "name": "Pegawai Nonaktif",
        "unit_id": unit_id,
        "username": "pegawai.nonaktif",
    }
    assert api.post("/employees", user="admin", json_body=employee).status == 201
    assert api.get("/me", user="pegawai.nonaktif").status == 200
    deactivated = api.patch(
        f"/employees/{employee['nip']}", user="admin", json_body={"active": False}
    )
    assert deactivated.status == 200
    answer = api.get("/me", user="pegawai.nonaktif")
    assert answer.status == 401
    assert answer.json["code"] == "inactive_user"


def _api_function_calls(api: Api) -> int:
    return api.env.runtime.invocations.get("ApiFunction", 0)
