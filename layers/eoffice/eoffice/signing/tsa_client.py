"""RFC 3161 time stamps over the standard library.

pyHanko's own ``HTTPTimeStamper`` opens an aiohttp session per call, slower than urllib
(docs/performance.md, Signing). One instance per URL per process: pyHanko caches a dummy token in it for the
size estimate, so reusing it saves a second TSA round trip on every signature.
"""

from __future__ import annotations

import functools
import http.client
import urllib.error
import urllib.request

from asn1crypto import tsp
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.sign.timestamps.common_utils import TimestampRequestError

DEFAULT_TIMEOUT = 5.0
_QUERY = "application/timestamp-query"


class TsaUnreachable(TimestampRequestError):
    """No (whole) answer from the TSA: refused, timed out, connection lost, HTTP error."""


class UrllibTimeStamper(TimeStamper):
    """A pyHanko time stamper that POSTs the request with ``urllib`` (blocking, one call)."""

    def __init__(self, url: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"time stamp URL must be http(s): {url!r}")
        super().__init__()
        self.url = url
        self.timeout = timeout

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        request = urllib.request.Request(  # noqa: S310 (scheme checked in __init__)
            self.url, data=req.dump(), headers={"Content-Type": _QUERY}, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                body: bytes = response.read()
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


@functools.cache
def timestamper(url: str, timeout: float = DEFAULT_TIMEOUT) -> UrllibTimeStamper:
    """The process-wide time stamper for ``url`` (its dummy token is fetched once)."""
    return UrllibTimeStamper(url, timeout)
