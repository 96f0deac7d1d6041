"""Logs are JSON lines with the request's correlation id, and carry no token or personal data."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from eoffice.observability import logger
from support.api import Api


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


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """What the function logs, formatted by its own (Powertools JSON) formatter."""
    buffer = io.StringIO()
    extra = logging.StreamHandler(buffer)
    extra.setFormatter(logger.registered_formatter)
    logger.addHandler(extra)
    yield buffer
    logger.removeHandler(extra)


def test_access_log_has_correlation_id_and_no_secrets(api: Api, log_output: io.StringIO) -> None:
    token = api.token("tpp.bkpsdm")
    nip = api.get("/me", token=token).json["employee"]["nip"]
    log_output.seek(0)
    log_output.truncate()
    answer = api.get(f"/employees/{nip}", token=token)
    assert answer.status == 200
    output = log_output.getvalue()
    records = [r for r in _log_lines(output) if r.get("message") == "request"]
    assert records, output
    record = records[-1]
    assert record["status"] == 200
    assert record["path"] == "/employees/{number}"
    assert record["correlation_id"] == answer.headers["x-correlation-id"]
    assert token not in output
    assert nip not in output
    assert "tpp.bkpsdm" not in output
