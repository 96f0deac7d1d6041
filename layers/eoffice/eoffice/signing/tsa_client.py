"""RFC 3161 time stamps over the standard library, on a kept-alive connection.

pyHanko's own ``HTTPTimeStamper`` opens an aiohttp session per call, and its
``RequestsHTTPTimeStamper`` a connection per call: slower than one ``http.client`` connection
kept open per process (docs/performance.md, Signing). Each signature then skips the TCP
connect (and, with an HTTPS TSA, the TLS handshake, the larger share). One instance per URL per
process: pyHanko caches a dummy token in it for the size estimate, so reusing it saves a second
TSA round trip on every signature.
"""

from __future__ import annotations

import functools
import http.client
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from asn1crypto import tsp
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.sign.timestamps.common_utils import TimestampRequestError

DEFAULT_TIMEOUT = 5.0
_QUERY = "application/timestamp-query"
_STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)
"""How a kept-alive connection the server has closed meanwhile fails (before any answer):
the request is sent again once, on a new connection. A timeout is not retried."""
KEEP_IDLE_SECONDS = 30.0
"""A connection idle longer is not reused: a NAT gateway (AWS's drops idle flows after 350 s)
or a frozen Lambda may have lost it without a word, and a request on it would wait the whole
timeout. Servers close theirs after 5-75 s, which the retry above covers."""


class TsaUnreachable(TimestampRequestError):
    """No (whole) answer from the TSA: refused, timed out, connection lost, HTTP error."""


class UrllibTimeStamper(TimeStamper):
    """A pyHanko time stamper that POSTs the request with ``http.client`` (blocking, one call),
    on a connection kept for the next request; through ``urllib`` when a proxy applies."""

    def __init__(self, url: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"time stamp URL must be http(s): {url!r}")
        super().__init__()
        self.url = url
        self.timeout = timeout
        parts = urllib.parse.urlsplit(url)
        self._https = parts.scheme == "https"
        self._host = parts.hostname or ""
        self._port = parts.port
        self._target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self._kept: http.client.HTTPConnection | None = None
        self._kept_at = 0.0
        self._lock = threading.Lock()

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        try:
            body = self._post(req.dump())
        except urllib.error.HTTPError as error:
            raise TimestampRequestError(
                f"time stamp server {self.url}: HTTP {error.code}"
            ) from None
        except (OSError, urllib.error.URLError, http.client.HTTPException) as error:
            raise TsaUnreachable(f"time stamp server {self.url} failed: {error!r}") from error
        try:
            answer = tsp.TimeStampResp.load(body)
            _ = answer["status"]["status"].native  # a garbled answer fails here, not in pyHanko
        except ValueError as error:
            raise TimestampRequestError(f"time stamp server {self.url} sent garbage") from error
        return answer

    @functools.cached_property
    def _proxied(self) -> bool:
        """Whether a proxy from the environment applies, read once per instance (urllib's
        default opener reads it once per process; reading the environment costs ~0.1 ms)."""
        proxy = urllib.request.getproxies().get("https" if self._https else "http")
        return bool(proxy) and not urllib.request.proxy_bypass(self._host)

    def _post(self, data: bytes) -> bytes:
        if self._proxied:
            return self._post_through_urllib(data)
        if not self._lock.acquire(blocking=False):  # another thread has the kept connection
            connection = self._connect()
            try:
                return self._exchange(connection, data)[0]
            finally:
                connection.close()
        try:
            return self._post_kept(data)
        finally:
            self._lock.release()

    def _post_kept(self, data: bytes) -> bytes:
        """On the kept connection (the lock held); any failure closes and forgets it."""
        connection, self._kept = self._kept, None
        if connection is not None and time.monotonic() - self._kept_at > KEEP_IDLE_SECONDS:
            connection.close()
            connection = None
        try:
            if connection is not None:
                try:
                    body, reusable = self._exchange(connection, data)
                except _STALE:
                    connection.close()
                    connection = None
            if connection is None:
                connection = self._connect()
                body, reusable = self._exchange(connection, data)
        except BaseException:
            if connection is not None:
                connection.close()
            raise
        if reusable:
            self._kept, self._kept_at = connection, time.monotonic()
        else:
            connection.close()
        return body

    def _connect(self) -> http.client.HTTPConnection:
        if self._https:
            return http.client.HTTPSConnection(
                self._host, self._port, timeout=self.timeout, context=_tls_context()
            )
        return http.client.HTTPConnection(self._host, self._port, timeout=self.timeout)

    def _exchange(self, connection: http.client.HTTPConnection, data: bytes) -> tuple[bytes, bool]:
        """(the answer's body, whether the connection may serve the next request)."""
        connection.request("POST", self._target, body=data, headers={"Content-Type": _QUERY})
        response = connection.getresponse()
        body = response.read()
        if response.status >= 400:
            raise urllib.error.HTTPError(self.url, response.status, "", response.headers, None)
        return body, not response.will_close

    def _post_through_urllib(self, data: bytes) -> bytes:
        request = urllib.request.Request(  # noqa: S310 (scheme checked in __init__)
            self.url, data=data, headers={"Content-Type": _QUERY}, method="POST"
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
            body: bytes = response.read()
        return body


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """What ``urllib`` verifies an HTTPS TSA with (the system's CAs), made once."""
    return ssl.create_default_context()


@functools.cache
def timestamper(url: str, timeout: float = DEFAULT_TIMEOUT) -> UrllibTimeStamper:
    """The process-wide time stamper for ``url`` (its dummy token is fetched once)."""
    return UrllibTimeStamper(url, timeout)
