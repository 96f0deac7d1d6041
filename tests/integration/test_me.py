"""GET /me: the caller's record, unit, roles and acting assignments, in at most two DynamoDB calls
and never a Scan."""

from __future__ import annotations

from eoffice_local.aws_calls import counting, total
from support.api import Api


def test_me_answers_the_caller(api: Api) -> None:
    me = api.get("/me", user="kadis.kominfo").json
    assert me["employee"]["username"] == "kadis.kominfo"
    assert me["unit"]["code"] == "DISKOMINFO-SP"
    assert me["roles"] == ["head"]
    assert me["unit"]["unit_id"] == me["employee"]["unit_id"]


def test_me_makes_at_most_two_dynamodb_calls(api: Api) -> None:
    api.get("/me", user="sekda")  # load the handler first
    with counting() as calls:
        answer = api.get("/me", user="sekda")
    assert answer.status == 200
    assert total(calls, "dynamodb") <= 2, calls
    assert not any(name.endswith(":Scan") for name in calls)


def test_listing_requests_use_no_scan(api: Api) -> None:
    with counting() as calls:
        for path in (
            "/units",
            "/positions",
            "/offices",
            "/employees?limit=10",
            "/acting-assignments",
        ):
            assert api.get(path, user="admin").status == 200
    assert calls, "the requests reached DynamoDB"
    assert not any(name.endswith(":Scan") for name in calls), calls
