"""``eoffice token`` and ``eoffice invoke`` attach to a running environment through its state
file, as an operator would from another shell."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from eoffice_local.environment import LocalEnvironment
from eoffice_local.gateway import Server


def run_cli(
    env: LocalEnvironment, *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "EOFFICE_STATE_DIR": str(env.state_dir)}
    return subprocess.run(
        [sys.executable, "-m", "eoffice_local.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environ,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def running(local_env: LocalEnvironment, server: Server) -> LocalEnvironment:
    local_env.save_state(server.url)
    return local_env


def test_token_is_signed_for_the_authorizer(running: LocalEnvironment) -> None:
    result = run_cli(running, "token", "kadis.kominfo", "--ttl", "120")
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip()
    claims = running.issuer.verify(
        token, issuer=running.issuer.issuer, audiences=[running.issuer.audience]
    )
    assert claims["cognito:username"] == "kadis.kominfo"
    assert claims["exp"] - claims["iat"] == 120


def test_token_for_an_unknown_user_fails(running: LocalEnvironment) -> None:
    result = run_cli(running, "token", "no.such.user")
    assert result.returncode == 2
    assert "no employee" in result.stderr


def test_invoke_with_an_event_file(running: LocalEnvironment, tmp_path: Path) -> None:
    event = {
        "version": "2.0",
        "routeKey": "GET /health",
        "rawPath": "/health",
        "rawQueryString": "",
        "headers": {},
        "isBase64Encoded": False,
        "requestContext": {
            "http": {"method": "GET", "path": "/health", "sourceIp": "127.0.0.1"},
            "stage": "$default",
            "requestId": "cli-test",
        },
    }
    path = tmp_path / "event.json"
    path.write_text(json.dumps(event))
    result = run_cli(running, "invoke", "api", "--event", str(path))
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["statusCode"] == 200
    assert json.loads(answer["body"]) == {"status": "ok"}


def test_invoke_shows_a_function_error_as_lambda_reports_it(running: LocalEnvironment) -> None:
    """The invocation runs in an execution environment of its own: a handler that raises gives
    Lambda's error payload on stdout and exit code 1; its traceback is in the logs on stderr.
    (The HTTP functions answer even an unreadable event with a 500 problem; the intake function
    raises on an event that is no SQS batch, as Powertools' batch processor does in Lambda.)"""
    result = run_cli(running, "invoke", "intake", "--event", "-", stdin="{}")
    assert result.returncode == 1, result.stderr
    error = json.loads(result.stdout)
    assert error["errorType"] and "errorMessage" in error
    assert "[IntakeFunction#1]" in result.stderr, "the function's log lines, forwarded"


def test_invoke_a_schedule_the_function_lacks(running: LocalEnvironment) -> None:
    result = run_cli(running, "invoke", "ApiFunction", "--schedule")
    assert result.returncode == 2
    assert "has no schedule" in result.stderr


def test_commands_need_a_running_environment(tmp_path: Path) -> None:
    environ = {**os.environ, "EOFFICE_STATE_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "eoffice_local.cli", "token", "admin"],
        capture_output=True,
        text=True,
        env=environ,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "make dev" in result.stderr


def test_sample_letter_has_the_placeholders_signing_uses(
    local_env: LocalEnvironment, tmp_path: Path
) -> None:
    from eoffice.signing import placeholders

    output = tmp_path / "surat.pdf"
    done = run_cli(local_env, "sample-letter", str(output), "--signers", "2")
    assert done.returncode == 0, done.stderr
    found = placeholders.find(output.read_bytes())
    names = sorted(p.name for p in found.found)
    assert names == ["nomor", "tanggal", "ttd1", "ttd2"]


def test_a_key_given_the_printed_policy_signs_for_the_signing_function(
    local_env: LocalEnvironment,
) -> None:
    """What an operator does for a signing key made with KMS's default key policy (before key
    policies were written at CreateKey): put the policy ``signing-key-policy`` prints."""
    from eoffice import aws
    from support.iam_policy import Request, kms_allows, statements_of

    role = str(local_env.stack.resolve({"Fn::GetAtt": ["SigningFunctionRole", "Arn"]}))
    statements = statements_of(local_env.template.resources["SigningFunctionRole"])
    identity = [local_env.stack.resolve(s) for s in statements]
    client = aws.client("kms")
    arn = client.create_key(KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["Arn"]
    sign = Request(
        "kms:Sign",
        arn,
        {"kms:MessageType": "RAW", "kms:SigningAlgorithm": "RSASSA_PKCS1_V1_5_SHA_256"},
    )

    def policy() -> str:
        return str(client.get_key_policy(KeyId=arn, PolicyName="default")["Policy"])

    assert not kms_allows(policy(), identity, role, sign)
    done = run_cli(local_env, "signing-key-policy", "--role-arn", role)
    assert done.returncode == 0, done.stderr
    client.put_key_policy(KeyId=arn, PolicyName="default", Policy=done.stdout)
    assert kms_allows(policy(), identity, role, sign)


def test_sample_scan_writes_a_new_letter_each_time(
    local_env: LocalEnvironment, tmp_path: Path
) -> None:
    from eoffice.letters.file_rules import inspect

    first, second = tmp_path / "scan-0001.pdf", tmp_path / "scan-0002.pdf"
    for output in (first, second):
        done = run_cli(local_env, "sample-scan", str(output))
        assert done.returncode == 0, done.stderr
        assert "Dinas Pendidikan" in done.stdout
    assert first.read_bytes() != second.read_bytes(), "the intake would refuse a duplicate"
    for output in (first, second):
        found = inspect(output.read_bytes(), max_bytes=25 * 2**20)
        assert found.media_type == "application/pdf" and found.pages == 1 and found.has_text
