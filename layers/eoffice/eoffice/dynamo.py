"""PynamoDB plumbing shared by every store: the one row shape every table's model extends, table
binding from the function's settings, connections, and translation of DynamoDB's
conditional-check failures into domain errors.

Models bind their table, endpoint and region when they are used, not when they are imported, so
one process (the local runner, a test worker) can point at a freshly provisioned stack.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, TypeVar, cast

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.connection import Connection
from pynamodb.exceptions import PutError, TransactWriteError, UpdateError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import MetaProtocol, Model

from eoffice import aws, settings
from eoffice.errors import Conflict, InvalidInput


class EnvBoundMeta(type):
    """Metaclass for a PynamoDB ``Meta`` whose table name comes from an environment variable.

    Subclass ``Meta`` with ``table_env = "ORG_TABLE"``; the name is read on each access, and
    PynamoDB reconnects when it changes. It does not reconnect when only the endpoint changes:
    a process that points at a second emulator must use other table names (another stack).
    """

    table_env: str

    @property
    def table_name(cls) -> str:
        return settings.resource(cls.table_env)

    @property
    def host(cls) -> str | None:
        return aws.endpoint_url()

    @property
    def region(cls) -> str:
        return aws.region()


def table_meta(variable: str) -> MetaProtocol:
    """The ``Meta`` of a model on the table whose name the settings variable ``variable`` carries
    (``Meta = table_meta("ORG_TABLE")``)."""
    return cast(MetaProtocol, EnvBoundMeta("Meta", (), {"table_env": variable}))


class Row(Model):
    """The shape every table's items share (ADR 0004): the keys, up to three generic index key
    pairs, the record as JSON and its revision. A store's model extends it with ``Meta`` (from
    :func:`table_meta`), the indexes its table has (:func:`gsi`) and the attributes that differ;
    an attribute left unset is not written, so a table that never uses one stores nothing of it.
    """

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    gsi1pk = UnicodeAttribute(null=True)
    gsi1sk = UnicodeAttribute(null=True)
    gsi2pk = UnicodeAttribute(null=True)
    gsi2sk = UnicodeAttribute(null=True)
    gsi3pk = UnicodeAttribute(null=True)
    gsi3sk = UnicodeAttribute(null=True)
    body = UnicodeAttribute(null=True)  # the record as JSON (its pydantic model)
    rev = NumberAttribute(null=True)  # optimistic lock, where a kind of item has one


def gsi(number: int) -> GlobalSecondaryIndex[Any]:
    """The index ``gsi{number}`` as every table declares it: keyed by ``gsi{number}pk`` and
    ``gsi{number}sk``, every attribute projected. A class of its own per call: PynamoDB binds an
    index to the model it is declared on."""
    meta = type("Meta", (), {"index_name": f"gsi{number}", "projection": AllProjection()})
    keys = {
        f"gsi{number}pk": UnicodeAttribute(hash_key=True),
        f"gsi{number}sk": UnicodeAttribute(range_key=True),
    }
    index: type[GlobalSecondaryIndex[Any]] = type(
        f"Gsi{number}", (GlobalSecondaryIndex,), {"Meta": meta, **keys}
    )
    return index()


_Row = TypeVar("_Row", bound=Model)


def get_or_none(model: type[_Row], pk: str, sk: str, *, consistent: bool = False) -> _Row | None:
    """One GetItem; None when the item does not exist."""
    try:
        return model.get(pk, sk, consistent_read=consistent)
    except model.DoesNotExist:
        return None


def connection() -> Connection:
    """A connection for transactions (PynamoDB transactions take one explicitly), reused across
    calls: building one creates a botocore client, which costs tens of milliseconds."""
    return _connection(aws.region(), aws.endpoint_url())


@lru_cache(maxsize=8)
def _connection(region: str, host: str | None) -> Connection:
    return Connection(region=region, host=host)


def is_conditional_failure(error: Exception) -> bool:
    """Whether a write failed on its condition (not on throttling or a broken request)."""
    cause: Any = getattr(error, "cause", None)
    code = getattr(error, "cause_response_code", None)
    if code in {"ConditionalCheckFailedException", "TransactionCanceledException"}:
        return True
    return cause is not None and "ConditionalCheckFailed" in str(cause)


@contextmanager
def conflicts_as(
    message: str, *, current: Callable[[], Any] | None = None, **extra: Any
) -> Iterator[None]:
    """Turn a failed condition (uniqueness, optimistic lock) into a 409 ``Conflict``; with
    ``current``, the answer carries what it reads then (the record's state that won)."""
    try:
        yield
    except (PutError, UpdateError, TransactWriteError) as error:
        if is_conditional_failure(error):
            state = current() if current is not None else None
            raise Conflict(message, current=state, **extra) from error
        raise


def encode_cursor(last_key: dict[str, Any] | None) -> str | None:
    if not last_key:
        return None
    return base64.urlsafe_b64encode(json.dumps(last_key).encode()).decode()


def decode_cursor(
    cursor: str | None, partition: str, prefix: str, *, index: str | None = "gsi1"
) -> dict[str, Any] | None:
    """The start key a cursor stands for, checked to be a key of the same listing (``index``'s
    partition and sort-key prefix; ``index=None``: the table's own ``pk``/``sk``): a cursor made
    up or taken from another listing is the client's error, not DynamoDB's."""
    if not cursor:
        return None
    try:
        value = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except ValueError:
        value = None
    hash_key, range_key = (f"{index}pk", f"{index}sk") if index else ("pk", "sk")
    if not (
        isinstance(value, dict)
        and set(value) == {"pk", "sk", hash_key, range_key}
        and all(
            isinstance(v, dict) and set(v) == {"S"} and isinstance(v["S"], str)
            for v in value.values()
        )
        and value[hash_key]["S"] == partition
        and value[range_key]["S"].startswith(prefix)
    ):
        raise InvalidInput("cursor is not one this listing gave out", code="invalid_cursor")
    return value
