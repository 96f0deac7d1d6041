"""boto3 clients, created once per process and reused across invocations.

Every client honours ``AWS_ENDPOINT_URL`` (botocore reads it), so the same code talks to the embedded
moto server, a LocalStack container or AWS. Clients are cached per (service, endpoint, region) so a
test that re-points the environment gets fresh clients.
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from typing import Any

import boto3
from botocore.config import Config

_CONFIG = Config(
    retries={"mode": "standard", "max_attempts": 4},
    connect_timeout=3,
    read_timeout=10,
    s3={"addressing_style": "path"},
)
# For a call made after the work is done and committed, that must never outlast the request
# (the check-in's announcements: its function has 15 s, and the phone waits): one retry, and
# seconds, not tens of them.
_QUICK = Config(
    retries={"mode": "standard", "max_attempts": 2},
    connect_timeout=1,
    read_timeout=2,
    s3={"addressing_style": "path"},
)


def endpoint_url() -> str | None:
    return os.environ.get("AWS_ENDPOINT_URL") or None


def region() -> str:
    return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "ap-southeast-3"


_CREATING = threading.Lock()


@lru_cache(maxsize=32)
def _client(service: str, endpoint: str | None, region_name: str, quick: bool = False) -> Any:
    session: Any = boto3.session.Session()
    config = _QUICK if quick else _CONFIG
    return session.client(service, endpoint_url=endpoint, region_name=region_name, config=config)


def client(service: str, *, quick: bool = False) -> Any:
    """A boto3 client for ``service`` at the configured endpoint and region. The lock makes
    threads that ask at once (the TPP report's S3 writes) share one client: ``lru_cache`` alone
    would let each build its own, at 0.15-0.2 s of CPU apiece on these machines."""
    with _CREATING:
        return _client(service, endpoint_url(), region(), quick)


_NOT_FOUND = frozenset({"404", "NoSuchKey", "NotFound"})
_DENIED = frozenset({"403", "AccessDenied", "Forbidden"})


def is_missing_object(error: Exception, *, may_list: bool) -> bool:
    """Whether an S3 ``ClientError`` means the object does not exist. Without
    ``s3:ListBucket`` on the bucket (``may_list=False``) S3 answers a missing key with 403,
    so that counts as missing too; with it, a 403 is a real refusal."""
    response = getattr(error, "response", None)
    code = response.get("Error", {}).get("Code") if isinstance(response, dict) else None
    return code in _NOT_FOUND or (not may_list and code in _DENIED)
