"""An emulator without Cognito (LocalStack's free image answers 501) still gets a stack: the
pool and client get stand-in ids, since the local dev issuer only needs them as names. Any other
failure still stops provisioning."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from eoffice_local import provision
from eoffice_local.provision import ProvisionError, Stack


def _stack() -> Stack:
    return Stack(
        name="s",
        region="ap-southeast-3",
        account_id="000000000000",
        endpoint_url="http://x",
        parameters={},
        refs={},
        attrs={},
    )


def _refusing(status: int, code: str) -> Any:
    def create(context: Any, lid: str, props: dict[str, Any]) -> Any:
        raise ClientError(
            {
                "Error": {"Code": code, "Message": "no"},
                "ResponseMetadata": {"HTTPStatusCode": status},
            },
            "CreateUserPool",
        )

    return create


def test_missing_cognito_gets_stand_in_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(
        provision._PROVISIONERS, "AWS::Cognito::UserPool", _refusing(501, "InternalFailure")
    )
    stack = _stack()
    context = provision._Context(stack, None)  # type: ignore[arg-type]
    provision._provision_one(
        context, "UserPool", {"Type": "AWS::Cognito::UserPool", "Properties": {}}
    )
    assert stack.refs["UserPool"].startswith("ap-southeast-3_")
    assert "dev issuer" in stack.skipped["UserPool"]


def test_other_failures_still_stop_provisioning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(
        provision._PROVISIONERS,
        "AWS::Cognito::UserPool",
        _refusing(400, "InvalidParameterException"),
    )
    context = provision._Context(_stack(), None)  # type: ignore[arg-type]
    with pytest.raises(ProvisionError):
        provision._provision_one(
            context, "UserPool", {"Type": "AWS::Cognito::UserPool", "Properties": {}}
        )
