"""The VAPID keys in Secrets Manager, on the emulator: read once per secret, refused clearly when
missing or malformed (naming the secret, never showing the key), and put there once by the
deployment helper ``infra/deploy/vapid_keys.py``."""

from __future__ import annotations

import importlib.util
import json
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from eoffice import aws
from eoffice.notifications import vapid_store
from eoffice.notifications.push_models import VapidKeys
from eoffice_local.aws_calls import counting
from support.api import Api

ROOT = Path(__file__).resolve().parents[2]
SUBJECT = "mailto:diskominfo@luwutimurkab.go.id"


def _helper() -> ModuleType:
    spec = importlib.util.spec_from_file_location("vapid_keys", ROOT / "infra/deploy/vapid_keys.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["vapid_keys"] = module
    spec.loader.exec_module(module)
    return module


vapid_keys = _helper()


@pytest.fixture(autouse=True)
def _fresh_cache(api: Api) -> Iterator[None]:
    """On the session's emulator (``api`` points AWS_ENDPOINT_URL at it); no cached keys."""
    vapid_store.forget()
    yield
    vapid_store.forget()


def _name() -> str:
    return f"eoffice/test/vapid-{uuid.uuid4().hex[:8]}"


def _stored(value: str) -> str:
    name = _name()
    aws.client("secretsmanager").create_secret(Name=name, SecretString=value)
    return name


def test_generated_keys_load_from_the_secret_once() -> None:
    document = vapid_store.generate(SUBJECT)
    name = _stored(json.dumps(document))

    with counting() as calls:
        keys = vapid_store.load(name)
        again = vapid_store.load(name)

    assert again is keys
    assert dict(calls) == {"secretsmanager:GetSecretValue": 1}
    assert (keys.public_key, keys.subject) == (document["public_key"], SUBJECT)


def test_a_pem_private_key_in_the_secret_is_read() -> None:
    from cryptography.hazmat.primitives import serialization

    document = vapid_store.generate(SUBJECT)
    key = VapidKeys.from_document(document).private_key
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    name = _stored(json.dumps({**document, "private_key": pem}))
    assert vapid_store.load(name).public_key == document["public_key"]


def test_a_missing_secret_is_a_clear_error() -> None:
    name = _name()
    with pytest.raises(vapid_store.VapidKeysUnavailable, match=f"secret {name} does not exist"):
        vapid_store.load(name)


def test_a_secret_without_a_value_is_a_clear_error() -> None:
    name = _name()
    aws.client("secretsmanager").create_secret(Name=name)
    with pytest.raises(vapid_store.VapidKeysUnavailable, match=name):
        vapid_store.load(name)


@pytest.mark.parametrize(
    ("value", "complaint"),
    [
        ("not json", "is not JSON"),
        ('["a list"]', "not a JSON object"),
        ('{"public_key": "x", "subject": "mailto:a@b.id"}', "private_key"),
        ("GENERATED_WRONG_PUBLIC", "not the private key's"),
    ],
)
def test_a_malformed_secret_is_a_clear_error_without_the_key(value: str, complaint: str) -> None:
    document = vapid_store.generate(SUBJECT)
    if value == "GENERATED_WRONG_PUBLIC":
        value = json.dumps({**document, "public_key": vapid_store.generate()["public_key"]})
    name = _stored(value)
    with pytest.raises(vapid_store.VapidKeysUnavailable, match=complaint) as refused:
        vapid_store.load(name)
    assert name in str(refused.value)
    assert document["private_key"] not in str(refused.value)
    with pytest.raises(vapid_store.VapidKeysUnavailable):
        vapid_store.load(name)  # a failure is not cached as a success


# -- the deployment helper ---------------------------------------------------------------------


def test_the_helper_creates_the_secret_once_and_prints_only_the_public_key(
    capsys: pytest.CaptureFixture[str],
) -> None:
    name = _name()
    assert vapid_keys.main(["--secret-id", name, "--subject", SUBJECT]) == 0
    first = capsys.readouterr()
    stored = json.loads(
        aws.client("secretsmanager").get_secret_value(SecretId=name)["SecretString"]
    )
    assert first.out == stored["public_key"] + "\n"
    assert stored["private_key"] not in first.out + first.err
    assert vapid_store.load(name).subject == SUBJECT

    assert (
        vapid_keys.main(["--secret-id", name, "--subject", "mailto:lain@luwutimurkab.go.id"]) == 0
    )
    second = capsys.readouterr()
    assert second.out == first.out  # left unchanged: subscriptions stay valid
    assert "tidak diubah" in second.err
    versions = aws.client("secretsmanager").list_secret_version_ids(SecretId=name)["Versions"]
    assert len(versions) == 1


def test_the_helper_fills_a_secret_declared_without_a_value() -> None:
    name = _name()
    aws.client("secretsmanager").create_secret(Name=name)
    public_key, created = vapid_keys.ensure(name, SUBJECT)
    assert created and vapid_store.load(name).public_key == public_key


def test_the_helper_does_not_overwrite_something_else_unless_told(
    capsys: pytest.CaptureFixture[str],
) -> None:
    name = _stored('{"password": "sesuatu yang lain"}')
    assert vapid_keys.main(["--secret-id", name, "--subject", SUBJECT]) == 1
    refused = capsys.readouterr()
    assert refused.out == "" and "--replace-invalid" in refused.err
    value = aws.client("secretsmanager").get_secret_value(SecretId=name)["SecretString"]
    assert json.loads(value) == {"password": "sesuatu yang lain"}

    command = ["--secret-id", name, "--subject", SUBJECT, "--replace-invalid"]
    assert vapid_keys.main(command) == 0
    assert vapid_store.load(name).public_key == capsys.readouterr().out.strip()


def test_the_helper_refuses_a_subject_push_services_would_not_take(
    capsys: pytest.CaptureFixture[str],
) -> None:
    name = _name()
    assert vapid_keys.main(["--secret-id", name, "--subject", "diskominfo"]) == 1
    assert "subject" in capsys.readouterr().err
    with pytest.raises(vapid_store.VapidKeysUnavailable):
        vapid_store.load(name)
