"""pyHanko's OCSP/CRL/certificate fetchers, on a TLS context loaded once per process.

pyHanko's default session loads certifi's CA bundle into a new ``ssl.SSLContext`` for every
signature or verification (tens of milliseconds in a B-LT sign request, issue 19). The context
holds no connection and no event loop, so one serves every session: the same bundle, the same
checks. Sessions stay per call (a session is bound to the event loop that opened it) and are
closed with their backend, as pyHanko's own lazy session is.
"""

from __future__ import annotations

import functools
import ssl

import aiohttp
import certifi
from pyhanko_certvalidator.fetchers.aiohttp_fetchers import AIOHttpFetcherBackend
from pyhanko_certvalidator.fetchers.aiohttp_fetchers.util import LazySession


@functools.cache
def tls_context() -> ssl.SSLContext:
    """What pyHanko's default session verifies servers with, made once."""
    return ssl.create_default_context(cafile=certifi.where())


class _Session(LazySession):
    """pyHanko's lazy session (opened on first use, closed by the backend) on :func:`tls_context`."""

    def get_session(self) -> aiohttp.ClientSession:
        if self._session is None:
            connector = aiohttp.TCPConnector(ssl=tls_context())
            self._session = aiohttp.ClientSession(connector=connector)
        session: aiohttp.ClientSession = self._session
        return session


def backend(per_request_timeout: float) -> AIOHttpFetcherBackend:
    """A fetcher backend to close after use (``await backend.close()``)."""
    return AIOHttpFetcherBackend(_Session(), per_request_timeout=per_request_timeout)  # type: ignore[arg-type]
