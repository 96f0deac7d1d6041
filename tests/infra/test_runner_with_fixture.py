"""The local runner's generic machinery on a fixture template that has what the product does not
yet: a queue-triggered function, schedules, a path parameter route and CORS with credentials."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from eoffice import aws
from eoffice_local.environment import LocalEnvironment
from eoffice_local.events import scheduled_event
from eoffice_local.gateway import LocalHttpApi
from eoffice_local.issuer import DevIssuer
from eoffice_local.poller import QueuePoller
from eoffice_local.provision import Stack, provision
from eoffice_local.runtime import Runtime
from eoffice_local.template import Template, load

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "template.yaml"


@pytest.fixture(scope="module")
def fixture(local_env: LocalEnvironment) -> tuple[Template, Stack, Runtime]:
    template = load(FIXTURE)
    stack = provision(
        template,
        stack_name="runner-fixture",
        endpoint_url=local_env.stack.endpoint_url,
        region=local_env.stack.region,
    )
    return template, stack, Runtime(template, stack)


@pytest.fixture(scope="module")
def gateway(
    fixture: tuple[Template, Stack, Runtime], tmp_path_factory: pytest.TempPathFactory
) -> tuple[LocalHttpApi, DevIssuer]:
    template, stack, runtime = fixture
    issuer = DevIssuer.at(
        tmp_path_factory.mktemp("k") / "key.pem",
        issuer="https://issuer.example/test",
        audience="fixture-client",
    )
    return LocalHttpApi(template, stack, issuer, runtime.invoke), issuer


def test_invoke_a_schedule_sends_its_input(fixture: tuple[Template, Stack, Runtime]) -> None:
    template, stack, runtime = fixture
    by_name = {trigger.name: trigger for trigger in template.schedules}
    assert len(by_name) == 2
    for trigger in by_name.values():
        event = scheduled_event(trigger, stack)
        assert runtime.invoke("Worker", event) == event
        assert event["job"] in {"nightly", "hourly"}


def test_queue_trigger_runs_the_function_through_the_poller(
    fixture: tuple[Template, Stack, Runtime],
) -> None:
    template, stack, runtime = fixture
    (trigger,) = template.queue_triggers
    sqs = aws.client("sqs")
    sqs.send_message(QueueUrl=stack.refs[trigger.queue], MessageBody=json.dumps({"job": 1}))
    poller = QueuePoller(trigger, stack, sqs, runtime.invoke, wait_seconds=1)
    assert poller.poll_once() == 1
    assert runtime.invocations["Worker"] >= 1
    assert poller.poll_once() == 0, "the handled message was deleted"


def test_path_parameters_claims_and_query(gateway: tuple[LocalHttpApi, DevIssuer]) -> None:
    api, issuer = gateway
    token = issuer.issue("someone", email="someone@example.org")
    answer = api.handle(
        "POST",
        "/letters/abc%20d?x=1&x=2&y=",
        {"authorization": f"Bearer {token}", "content-type": "application/json"},
        b'{"a": 1}',
        "10.0.0.9",
    )
    assert answer.status == 200
    event = json.loads(answer.body)
    assert event["version"] == "2.0"
    assert event["routeKey"] == "POST /letters/{letter_id}"
    assert event["pathParameters"] == {"letter_id": "abc d"}
    assert event["queryStringParameters"] == {"x": "1,2", "y": ""}
    assert event["body"] == '{"a": 1}' and event["isBase64Encoded"] is False
    claims = event["requestContext"]["authorizer"]["jwt"]["claims"]
    assert claims["cognito:username"] == "someone"
    assert claims["email_verified"] == "true"
    assert isinstance(claims["exp"], str), "API Gateway passes claims as strings"
    assert event["requestContext"]["http"]["sourceIp"] == "10.0.0.9"


def test_routes_without_a_match_or_method_are_404(gateway: tuple[LocalHttpApi, DevIssuer]) -> None:
    api, issuer = gateway
    token = issuer.issue("someone")
    assert api.handle("GET", "/letters/x", {"authorization": token}, b"", "127.0.0.1").status == 404
    assert api.handle("GET", "/nothing", {}, b"", "127.0.0.1").status == 404


def test_binary_bodies_are_base64(gateway: tuple[LocalHttpApi, DevIssuer]) -> None:
    api, issuer = gateway
    answer = api.handle(
        "POST",
        "/letters/1",
        {"authorization": issuer.issue("a"), "content-type": "application/pdf"},
        b"%PDF-\x00\xff",
        "127.0.0.1",
    )
    event = json.loads(answer.body)
    assert event["isBase64Encoded"] is True
    import base64

    assert base64.b64decode(event["body"]) == b"%PDF-\x00\xff"


def test_cors_preflight_and_headers_follow_the_template(
    gateway: tuple[LocalHttpApi, DevIssuer],
) -> None:
    api, _ = gateway
    preflight = api.handle(
        "OPTIONS",
        "/letters/1",
        {"origin": "https://a.example", "access-control-request-method": "POST"},
        b"",
        "127.0.0.1",
    )
    assert preflight.status == 204
    assert preflight.headers["access-control-allow-origin"] == "https://a.example"
    assert preflight.headers["access-control-allow-credentials"] == "true"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    stranger = api.handle(
        "OPTIONS",
        "/letters/1",
        {"origin": "https://evil.example", "access-control-request-method": "POST"},
        b"",
        "127.0.0.1",
    )
    assert "access-control-allow-origin" not in stranger.headers
    health = api.handle("GET", "/health", {"origin": "https://b.example"}, b"", "127.0.0.1")
    assert health.status == 200
    assert health.headers["access-control-allow-origin"] == "https://b.example"
