"""moto's server, with DynamoDB transactions isolated and cheap.

moto serves requests on threads, and its TransactWriteItems applies each write and, on a failed
condition, restores a copy of the whole table taken before: a write another thread made
meanwhile is then lost, and a half-applied transaction is visible. DynamoDB guarantees that
transactions are isolated, and the agenda numbering (letters) relies on it; so this launcher
serialises moto's DynamoDB item operations behind one lock. Under that lock a transaction need
not copy the whole table (which made each one slower as the table grew): it keeps the items it
touches and puts them back if it is cancelled. Queries read only the queried partition
(``moto_query_index``), not the whole table. Run as
``python -m eoffice_local.moto_server -H HOST -p PORT``. It also gives moto SES v2's
suppression list (``moto_ses``).
"""

from __future__ import annotations

import copy
import functools
import importlib
import sys
import threading
from collections.abc import Callable
from typing import Any

from eoffice_local import moto_query_index, moto_ses

_LOCK = threading.RLock()
_SERIALISED = (
    "put_item",
    "get_item",
    "query",
    "update_item",
    "delete_item",
    "transact_write_items",
)


def _serialised(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def locked(*args: Any, **kwargs: Any) -> Any:
        with _LOCK:
            return method(*args, **kwargs)

    return locked


def make_dynamodb_isolated() -> None:
    # moto's internals, patched at run time: typed loosely on purpose.
    models: Any = importlib.import_module("moto.dynamodb.models")

    for name in _SERIALISED:
        setattr(models.DynamoDBBackend, name, _serialised(getattr(models.DynamoDBBackend, name)))
    models.copy = _TablesByReference(models.Table)
    partitions = moto_query_index.install(_LOCK)
    original = models.DynamoDBBackend.transact_write_items
    # The errors after which moto restores its copy of the tables: ours are put back instead.
    rolled_back = (
        models.TransactionCanceledException,
        models.MultipleTransactionsException,
        models.MockValidationException,
    )

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        with _LOCK:
            kept = _touched(self, transact_items)
            try:
                original(self, transact_items)
            except rolled_back:
                _put_back(kept, partitions)
                raise

    models.DynamoDBBackend.transact_write_items = transact_write_items


class _TablesByReference:
    """Stands in for the ``copy`` module inside moto's DynamoDB backend: a table is "copied" by
    reference (its rollback is ours), any other value really is."""

    def __init__(self, table_type: type) -> None:
        self._table_type = table_type

    def deepcopy(self, value: Any, memo: Any = None) -> Any:
        return value if isinstance(value, self._table_type) else copy.deepcopy(value, memo)


def _touched(backend: Any, transact_items: list[dict[str, Any]]) -> list[tuple[Any, Any, Any, Any]]:
    """(table, hash key, range key, item before) for each item the transaction names."""
    from moto.dynamodb.models.dynamo_type import DynamoType

    kept = []
    for entry in transact_items:
        operation = next(iter(entry.values()))
        table = backend.tables.get(operation.get("TableName"))
        if table is None:
            continue
        key = operation.get("Key") or operation.get("Item") or {}
        hash_key = DynamoType(key[table.hash_key_attr])
        range_key = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
        before = table.get_item(hash_key, range_key)
        kept.append((table, hash_key, range_key, copy.deepcopy(before)))
    return kept


def _put_back(
    kept: list[tuple[Any, Any, Any, Any]], partitions: moto_query_index.PartitionIndex
) -> None:
    for table, hash_key, range_key, before in reversed(kept):
        holder = table.items[hash_key] if range_key is not None else table.items
        slot = range_key if range_key is not None else hash_key
        if before is None:
            holder.pop(slot, None)
        else:
            holder[slot] = before
        partitions.refresh(table, (hash_key, range_key))


def main(argv: list[str] | None = None) -> None:
    from moto.server import main as moto_main

    make_dynamodb_isolated()
    moto_ses.add_suppression_list()
    moto_main(argv if argv is not None else sys.argv[1:])


if __name__ == "__main__":
    main()
