"""DynamoDB Query on the local moto server, in proportion to the partition it reads.

moto's ``Table.query`` (5.2.5 and the pinned 5.2.6) walks every item of the table
(``all_items()``, which also sorts them) on every Query page, for the base table and for
indexes alike. A page then costs time in proportion to the *table*: the monthly TPP report,
which pages through a large attendance table by gsi1 partition, took many minutes locally (the
figures: docs/performance.md and docs/research/tpp.md section 2, "Reading a month at scale"),
whereas DynamoDB reads only the partition.

This module narrows the items moto's own query code sees to the queried partition, and changes
nothing else: moto still matches the key conditions, sorts, pages (ExclusiveStartKey, Limit,
1 MB), filters and projects, so the answers stay moto's.

- Base table (or an index whose hash key is the table's): the partition is moto's own storage,
  ``table.items[hash value]``.
- Any other index: a secondary map, attribute -> value -> primary keys, built on the first Query
  that names that attribute and kept up to date by every path that writes items:
  ``Table.put_item`` / ``Table.delete_item`` (PutItem, DeleteItem, BatchWriteItem,
  transactions, PartiQL and imports go through them), ``DynamoDBBackend.update_item`` (which
  changes an item in place) and ``refresh`` for writes made around moto (the transaction
  roll-back of ``moto_server``). Each refresh re-reads the item from the table, so the map
  follows what is stored, not what a request asked for. Candidates are read back from the table
  when a Query runs, so a stale key can cost time but never add an item; moto then checks every
  candidate against the key condition as it would any item.

A dropped table, a restored one or moto's reset makes new ``Table`` objects, and the maps are
held by weak reference to the table they describe. All of it runs under the lock that
``moto_server`` already holds around item operations.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import threading
import weakref
from collections.abc import Callable, Iterator
from typing import Any

# moto's DynamoType, Item and Table are untyped here: moto's internals are patched at run time.
Key = tuple[Any, Any]  # (hash DynamoType, range DynamoType | None), as moto stores items
Frozen = tuple[str, Any]  # (DynamoDB type, moto's cast value): how DynamoType hashes and compares


def _frozen(value: Any) -> Frozen:
    """A value as the map keeps it: immutable, equal exactly when moto's ``DynamoType`` is.
    Strings and binaries are their own cast value (the common case, and the quick one)."""
    kind = value.type
    return (kind, value.value if kind in ("S", "B") else value.cast_value)


class _Partitions:
    """One attribute of one table: value -> primary keys of the items holding that value."""

    def __init__(self, attr: str) -> None:
        self.attr = attr
        self.by_value: dict[Frozen, dict[Key, None]] = {}
        self.value_of: dict[Key, Frozen] = {}
        # Items whose value cannot be hashed (a list, a map, a set): candidates for every value.
        self.odd: dict[Key, None] = {}

    def drop(self, key: Key) -> None:
        self.odd.pop(key, None)
        value = self.value_of.pop(key, None)
        if value is not None:
            keys = self.by_value[value]
            keys.pop(key, None)
            if not keys:
                del self.by_value[value]

    def add(self, key: Key, item: Any) -> None:
        value = item.attrs.get(self.attr)
        if value is None:
            return  # sparse: the item is not in this index
        try:
            frozen = _frozen(value)
            self.by_value.setdefault(frozen, {})[key] = None
        except (TypeError, ArithmeticError):  # unhashable, or a number moto cannot read
            self.odd[key] = None
            return
        self.value_of[key] = frozen

    def keys_for(self, value: Any) -> list[Key]:
        try:
            found = list(self.by_value.get(_frozen(value), ()))
        except (TypeError, ArithmeticError):
            found = list(self.value_of)
        return found + list(self.odd)


def _stored(table: Any) -> Iterator[tuple[Key, Any]]:
    """Every (key, item) in moto's storage: ``items[hash][range]``, or ``items[hash]``."""
    if table.range_key_attr:
        for hash_value, group in table.items.items():
            for range_value, item in group.items():
                yield (hash_value, range_value), item
    else:
        for hash_value, item in table.items.items():
            yield (hash_value, None), item


def _lookup(table: Any, key: Key) -> Any:
    """The item stored under ``key`` now, or None; never creates a group in moto's defaultdict."""
    hash_value, range_value = key
    held = table.items.get(hash_value)
    if held is None or not table.range_key_attr:
        return held
    return held.get(range_value) if range_value is not None else None


def _base_partition(table: Any, hash_value: Any) -> list[Any]:
    held = table.items.get(hash_value)
    if held is None:
        return []
    return list(held.values()) if table.range_key_attr else [held]


def _all_items_order(item: Any) -> Any:
    """The order moto's ``all_items`` returns, so moto sees the candidates as it would."""
    return (item.hash_key, item.range_key) if item.range_key else item.hash_key


class PartitionIndex:
    """The secondary maps of every table, and the patches that keep them and use them."""

    def __init__(self, lock: threading.RLock) -> None:
        self.lock = lock
        self._tables: weakref.WeakKeyDictionary[Any, dict[str, _Partitions]] = (
            weakref.WeakKeyDictionary()
        )
        self._narrowed = threading.local()

    # --- keeping the maps ---

    def tracks(self, table: Any) -> bool:
        return table in self._tables

    def refresh(self, table: Any, key: Key | None) -> None:
        """Re-read the item under ``key`` (after any write to it) into the table's maps."""
        maps = self._tables.get(table)
        if not maps:
            return
        if key is None:  # a write we cannot place: rebuild on the next Query
            del self._tables[table]
            return
        item = _lookup(table, key)
        for partitions in maps.values():
            partitions.drop(key)
            if item is not None:
                partitions.add(key, item)

    def _partitions(self, table: Any, attr: str) -> _Partitions:
        maps = self._tables.setdefault(table, {})
        partitions = maps.get(attr)
        if partitions is None:
            partitions = _Partitions(attr)
            for key, item in _stored(table):
                partitions.add(key, item)
            maps[attr] = partitions
        return partitions

    # --- using them ---

    def candidates(self, table: Any, arguments: dict[str, Any]) -> list[Any] | None:
        """The items a Query can match, in ``all_items`` order; None when it cannot be told."""
        conditions = arguments.get("hash_key_conditions")
        if arguments.get("index_name"):
            if not conditions:
                return None
            attr, value = conditions[0]
        else:
            attr, value = table.hash_key_attr, arguments.get("hash_key")
        if value is None:
            return None
        if attr == table.hash_key_attr:
            found = _base_partition(table, value)
        else:
            keys = self._partitions(table, attr).keys_for(value)
            stored = (_lookup(table, key) for key in keys)
            found = [item for item in stored if item is not None]
        return sorted(found, key=_all_items_order)

    def narrowed_items(self, table: Any) -> list[Any] | None:
        """The candidates of the Query this thread is running on ``table``, if any."""
        narrowed = getattr(self._narrowed, "value", None)
        if narrowed is not None and narrowed[0] is table:
            return list(narrowed[1])
        return None

    def query(self, run: Callable[[], Any], table: Any, arguments: dict[str, Any]) -> Any:
        """Run moto's query with ``all_items`` answering the partition's candidates."""
        with self.lock:
            found = self.candidates(table, arguments)
            if found is None:
                return run()
            self._narrowed.value = (table, found)
            try:
                return run()
            finally:
                self._narrowed.value = None


def _item_key(table: Any, attrs: dict[str, Any], dynamo_type: Any) -> Key | None:
    """The storage key of an item (or a request's Key), or None when it names none."""
    try:
        hash_value = dynamo_type(attrs[table.hash_key_attr])
        if not table.range_key_attr:
            return hash_value, None
        return hash_value, dynamo_type(attrs[table.range_key_attr])
    except (KeyError, TypeError, IndexError, AttributeError):
        return None


def install(lock: threading.RLock) -> PartitionIndex:
    """Patch moto's DynamoDB models; returns the index, whose ``refresh`` follows other writes."""
    models: Any = importlib.import_module("moto.dynamodb.models")
    dynamo_type: Any = importlib.import_module("moto.dynamodb.models.dynamo_type").DynamoType
    index = PartitionIndex(lock)
    _patch_reads(index, models.Table)
    _patch_table_writes(index, models.Table, dynamo_type)
    _patch_update(index, models.DynamoDBBackend, dynamo_type)
    return index


def _patch_reads(index: PartitionIndex, table_type: Any) -> None:
    query, all_items = table_type.query, table_type.all_items
    signature = inspect.signature(query)

    @functools.wraps(query)
    def narrowed_query(self: Any, *args: Any, **kwargs: Any) -> Any:
        arguments = signature.bind(self, *args, **kwargs).arguments
        return index.query(lambda: query(self, *args, **kwargs), self, arguments)

    @functools.wraps(all_items)
    def narrowed_all_items(self: Any) -> Any:
        found = index.narrowed_items(self)
        return found if found is not None else all_items(self)

    table_type.query, table_type.all_items = narrowed_query, narrowed_all_items


def _patch_table_writes(index: PartitionIndex, table_type: Any, dynamo_type: Any) -> None:
    put_item, delete_item = table_type.put_item, table_type.delete_item

    @functools.wraps(put_item)
    def indexed_put_item(self: Any, item_attrs: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        with index.lock:
            try:
                return put_item(self, item_attrs, *args, **kwargs)
            finally:
                if index.tracks(self):
                    # No key: moto refused the item before storing anything.
                    key = _item_key(self, item_attrs, dynamo_type)
                    if key is not None:
                        index.refresh(self, key)

    @functools.wraps(delete_item)
    def indexed_delete_item(self: Any, hash_key: Any, range_key: Any) -> Any:
        with index.lock:
            try:
                return delete_item(self, hash_key, range_key)
            finally:
                index.refresh(self, (hash_key, range_key))

    table_type.put_item, table_type.delete_item = indexed_put_item, indexed_delete_item


def _patch_update(index: PartitionIndex, backend_type: Any, dynamo_type: Any) -> None:
    """UpdateItem changes the stored item in place: refresh it from its key afterwards."""
    update_item = backend_type.update_item

    @functools.wraps(update_item)
    def indexed_update_item(self: Any, table_name: str, key: Any, *args: Any, **kwargs: Any) -> Any:
        with index.lock:
            try:
                return update_item(self, table_name, key, *args, **kwargs)
            finally:
                table = self.tables.get(table_name)
                if table is not None and index.tracks(table):
                    place = _item_key(table, key, dynamo_type) if isinstance(key, dict) else None
                    index.refresh(table, place)

    backend_type.update_item = indexed_update_item
