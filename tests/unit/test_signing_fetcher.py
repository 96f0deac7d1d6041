"""The OCSP/CRL fetchers' sessions (eoffice.signing.fetcher): one TLS context per process, the
one pyHanko would build (certifi's bundle, servers verified), a session of their own per call,
closed with it (B-LT against the served test PKI: tests/unit/test_pades_long_term.py)."""

from __future__ import annotations

import asyncio
import ssl

import aiohttp
from eoffice.signing import fetcher


async def _open_and_close() -> aiohttp.ClientSession:
    backend = fetcher.backend(1.5)
    assert backend.per_request_timeout == 1.5
    session = backend.session.get_session()  # type: ignore[union-attr]
    assert session.connector is not None
    assert session.connector._ssl is fetcher.tls_context()  # type: ignore[attr-defined]
    await backend.close()
    return session


def test_every_call_has_its_own_session_on_one_tls_context() -> None:
    first = asyncio.run(_open_and_close())
    second = asyncio.run(_open_and_close())
    assert first is not second
    assert first.closed and second.closed
    context = fetcher.tls_context()
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.cert_store_stats()["x509_ca"] > 50  # certifi's roots were loaded
