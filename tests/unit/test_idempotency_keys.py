"""What an idempotency record is kept under, and what its payload hash covers
(eoffice.http.idempotency): pure functions, no AWS."""

from __future__ import annotations

import json

import pytest
from eoffice.errors import DomainError
from eoffice.http import idempotency

KEY = "3f2b8c1e-9a4d-4e6b-8f0a-2c5d7e9b1a3f"
ROUTE = "/letters/<letter_id>/dispositions"


def test_a_uuid_is_taken_lower_cased_and_nothing_else_is() -> None:
    assert idempotency.parse_key(None) is None
    assert idempotency.parse_key(KEY.upper()) == KEY
    assert idempotency.parse_key(f" {KEY} ") == KEY
    for value in ("", "abc", KEY.replace("-", ""), f"{{{KEY}}}", f"urn:uuid:{KEY}", f"{KEY},{KEY}"):
        with pytest.raises(DomainError) as refused:
            idempotency.parse_key(value)
        assert refused.value.status == 400 and refused.value.code == "invalid_idempotency_key"


def _record(**changes: object) -> str:
    parts: dict[str, object] = {
        "subject": "sub-a",
        "method": "POST",
        "route": ROUTE,
        "path_parameters": {"letter_id": "L1"},
        "key": KEY,
    }
    parts.update(changes)
    return idempotency.record_id("disposeLetter", idempotency.scope(**parts))  # type: ignore[arg-type]


def test_the_record_is_the_callers_the_operations_and_the_keys() -> None:
    base = _record()
    assert base.startswith("disposeLetter#") and len(base.split("#")[1]) == 64
    assert _record() == base, "deterministic"
    assert _record(method="post") == base
    assert _record(subject="sub-b") != base, "another caller's same key is his own"
    assert _record(path_parameters={"letter_id": "L2"}) != base, "another letter"
    assert _record(route="/letters/<letter_id>/prepared-dispositions") != base
    assert _record(key="3f2b8c1e-9a4d-4e6b-8f0a-2c5d7e9b1a30") != base
    two = {"letter_id": "L1", "assignment_id": "A1"}
    assert _record(path_parameters=two) == _record(path_parameters=dict(reversed(two.items())))


def test_record_ids_are_the_ones_powertools_writes() -> None:
    """Powertools hashes what ``event_key_jmespath`` selects; record_id must say the same id
    (operators and tests look records up by it)."""
    import boto3
    from aws_lambda_powertools.utilities.idempotency import (
        DynamoDBPersistenceLayer,
        IdempotencyConfig,
    )

    client = boto3.client("dynamodb", region_name="ap-southeast-3")
    store = DynamoDBPersistenceLayer(table_name="unused", boto3_client=client)
    config = IdempotencyConfig(
        event_key_jmespath="scope", payload_validation_jmespath="payload", hash_function="sha256"
    )
    store.configure(config, key_prefix="disposeLetter")
    scope = idempotency.scope("sub-a", "POST", ROUTE, {"letter_id": "L1"}, KEY)
    data = {"scope": scope, "payload": {"note": "a"}}
    assert store._get_hashed_idempotency_key(data) == idempotency.record_id("disposeLetter", scope)
    other = {"scope": scope, "payload": {"note": "b"}}
    assert store._get_hashed_idempotency_key(other) == store._get_hashed_idempotency_key(data)
    assert store._get_hashed_payload(other) != store._get_hashed_payload(data)


def test_the_payload_hash_leaves_secrets_out_and_ignores_key_order() -> None:
    secrets = ("nik", "passphrase", "totp")
    body = json.dumps({"nik": "7324000000000001", "passphrase": "Rahasia#1", "a": 1})
    assert idempotency.fingerprint(body, secrets) == {"a": 1}
    assert idempotency.fingerprint('{"b": 2, "a": 1}') == idempotency.fingerprint('{"a":1,"b":2}')
    assert idempotency.fingerprint(None) is None and idempotency.fingerprint("") is None
    assert idempotency.fingerprint("not json") == "not json"
    assert idempotency.fingerprint("[1, 2]", secrets) == [1, 2]
