"""PynamoDB plumbing shared by every store: table binding from the environment, connections, and
translation of DynamoDB's conditional-check failures into domain errors.

Models bind their table, endpoint and region when they are used, not when they are imported, so
one process (the local runner, a test worker) can point at a freshly provisioned stack.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from pynamodb.connection import Connection
from pynamodb.exceptions import PutError, TransactWriteError, UpdateError

from eoffice import aws
from eoffice.config import require
from eoffice.errors import Conflict


class EnvBoundMeta(type):
    """Metaclass for a PynamoDB ``Meta`` whose table name comes from an environment variable.

    Subclass ``Meta`` with ``table_env = "ORG_TABLE"``; the name is read on each access, and
    PynamoDB reconnects when it changes.
    """

    table_env: str

    @property
    def table_name(cls) -> str:
        return require(cls.table_env)

    @property
    def host(cls) -> str | None:
        return aws.endpoint_url()

    @property
    def region(cls) -> str:
        return aws.region()


def connection() -> Connection:
    """A connection for transactions (PynamoDB transactions take one explicitly), reused across
    calls: building one creates a botocore client, which costs tens of milliseconds."""
    return _connection(aws.region(), aws.endpoint_url())


@lru_cache(maxsize=8)
def _connection(region: str, host: str | None) -> Connection:
    return Connection(region=region, host=host)


def _is_conditional_failure(error: Exception) -> bool:
    cause: Any = getattr(error, "cause", None)
    code = getattr(error, "cause_response_code", None)
    if code in {"ConditionalCheckFailedException", "TransactionCanceledException"}:
        return True
    return cause is not None and "ConditionalCheckFailed" in str(cause)


@contextmanager
def conflicts_as(message: str, **extra: Any) -> Iterator[None]:
    """Turn a failed condition (uniqueness, optimistic lock) into a 409 ``Conflict``."""
    try:
        yield
    except (PutError, UpdateError, TransactWriteError) as error:
        if _is_conditional_failure(error):
            raise Conflict(message, **extra) from error
        raise
