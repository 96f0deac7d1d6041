"""Logs are JSON lines with the request's correlation id, and carry no token or personal data."""

from __future__ import annotations

import json

import pytest
from conftest import Api


def _log_lines(text: str) -> list[dict[str, object]]:
    lines = []
    for line in text.splitlines():
        try:
            parsed = json.loads(line)
        except ValueError:
            continue
        if isinstance(parsed, dict) and "level" in parsed:
            lines.append(parsed)
    return lines


def test_access_log_has_correlation_id_and_no_secrets(
    api: Api, capfd: pytest.CaptureFixture[str]
) -> None:
    token = api.token("tpp.bkpsdm")
    nip = api.get("/me", token=token).json["employee"]["nip"]
    capfd.readouterr()
    answer = api.get(f"/employees/{nip}", token=token)
    assert answer.status == 200
    output = capfd.readouterr().out
    records = [r for r in _log_lines(output) if r.get("message") == "request"]
    assert records, output
    record = records[-1]
    assert record["status"] == 200
    assert record["path"] == "/employees/{number}"
    assert record["correlation_id"], "the API Gateway request id ties the lines of a request"
    assert token not in output
    assert nip not in output
    assert "tpp.bkpsdm" not in output
