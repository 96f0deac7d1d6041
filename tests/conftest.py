"""Shared fixtures: one embedded emulator per test process, template.yaml provisioned on it, the
demo regency loaded, and ways to call the API.

- ``api``: the local HTTP API's logic in-process (authorizer, payload 2.0 event, the handler),
  which talks to the emulator over HTTP: the handler-level tests;
- ``http``: an httpx client on the local runner's real port, where each invocation runs in an
  execution environment of its own, several at a time, as in ``make dev``: the end-to-end tests.

Fixtures only: what they hand out is built in ``tests/support/`` (``support.api`` for the drivers).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from eoffice_local import emulator as emulators
from eoffice_local import notify_demo
from eoffice_local.environment import LocalEnvironment
from eoffice_local.gateway import Server
from eoffice_local.notify_demo import NotifyServices
from support.api import Api, Intake

TEST_EMPLOYEES = 20


@pytest.fixture(scope="session")
def notify_services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NotifyServices]:
    """The notification channels' local ends: VAPID keys, the WhatsApp Cloud API stand-in."""
    services = notify_demo.start(tmp_path_factory.mktemp("notify"))
    yield services
    services.stop()


@pytest.fixture(scope="session")
def local_env(
    tmp_path_factory: pytest.TempPathFactory, pki_env: Any, notify_services: NotifyServices
) -> Iterator[LocalEnvironment]:
    """As ``make dev`` runs it: the signing function's timestamp authority is the test PKI's,
    and the demo signers (bupati, sekda, kadis.kominfo) have KMS keys certified by it; every
    notification channel is on (``notify_demo``: VAPID keys, SES sender, WhatsApp stand-in)."""
    emulator = emulators.start_moto(emulators.free_port())
    state_dir = tmp_path_factory.mktemp("state")
    parameters = {"TimestampAuthorityUrl": pki_env.tsa_url} | notify_services.parameters
    env = LocalEnvironment.start(
        emulator=emulator, stack_name="eoffice-test", state_dir=state_dir, parameters=parameters
    )
    notify_services.store()
    from eoffice_local.seed import load_demo
    from eoffice_local.signing_demo import load_signers

    load_demo(TEST_EMPLOYEES)
    load_signers(pki_env.pki)
    yield env
    env.stop()


@pytest.fixture(autouse=True)
def _settings_read_afresh() -> Iterator[None]:
    """Each test starts as a cold start would: the functions' settings are read again from the
    environment (a test that changes a variable mid-way calls ``settings.reset()`` itself)."""
    from eoffice import settings

    settings.reset()
    yield
    settings.reset()


@pytest.fixture
def handler_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """What importing a handler needs outside a stack (its settings are validated at import):
    each required variable not set already, named after itself; no resource is reached."""
    from eoffice import settings
    from eoffice_local.runtime import placeholder_variables

    for variable, value in placeholder_variables().items():
        monkeypatch.setenv(variable, value)
    settings.reset()
    yield
    settings.reset()


@pytest.fixture(scope="session")
def api(local_env: LocalEnvironment) -> Api:
    return Api(local_env)


@pytest.fixture(scope="session")
def server(local_env: LocalEnvironment) -> Iterator[Server]:
    served = local_env.serve(port=emulators.free_port())
    served.httpd.quiet = True  # type: ignore[attr-defined]
    yield served


@pytest.fixture
def http(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as client:
        yield client


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def intake(local_env: LocalEnvironment) -> Intake:
    return Intake(local_env)


# The served test PKI (``pki_env``, ``pki_knobs``) for the signing tests: tests/support/pki.py.
pytest_plugins = ["support.pki"]
