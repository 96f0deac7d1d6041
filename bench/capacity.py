"""DynamoDB request units of the calls a piece of code makes, estimated from what it sent and got:
what on-demand billing charges. moto answers every ``ReturnConsumedCapacity`` with a fixed
figure, so the units are worked out here from the items' sizes, by DynamoDB's published rules:

- an item's size is its attribute names and values in bytes (strings in UTF-8, a number about
  one byte per two digits plus one, a map or list 3 bytes plus one a member);
- a read unit is 4 KB strongly consistent or 8 KB eventually consistent (half a unit per 4 KB);
  a GetItem or BatchGetItem rounds each item up, a Query the sum of the items it read, and a read
  that finds nothing still costs its smallest unit;
- a write unit is 1 KB of the item written, once for the table and once more for every global
  secondary index the item has the keys of (all of ours project ALL); a conditional write that
  fails its condition is charged as if it had written; a transaction counts twice.

A DeleteItem or UpdateItem is counted as one unit per index touched, since what it removes is
not seen here; the notifications' hot path writes with PutItem.
"""

from __future__ import annotations

import contextlib
import math
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from botocore.client import BaseClient

READ_BLOCK = 4096
WRITE_BLOCK = 1024


def value_bytes(value: dict[str, Any]) -> int:
    """The size of one attribute value in DynamoDB's JSON form (``{"S": "..."}``...)."""
    ((kind, raw),) = value.items()
    if kind == "S":
        return len(str(raw).encode())
    if kind == "N":
        significant = len(Decimal(str(raw)).normalize().as_tuple().digits)
        return math.ceil(significant / 2) + 1
    if kind == "B":
        return len(raw)
    if kind in {"BOOL", "NULL"}:
        return 1
    if kind in {"SS", "NS", "BS"}:
        return sum(value_bytes({kind[0]: member}) for member in raw)
    if kind == "L":
        return 3 + sum(1 + value_bytes(member) for member in raw)
    if kind == "M":
        return 3 + sum(1 + len(name.encode()) + value_bytes(v) for name, v in raw.items())
    raise ValueError(f"not a DynamoDB attribute value type: {kind}")


def item_bytes(item: dict[str, Any]) -> int:
    return sum(len(name.encode()) + value_bytes(value) for name, value in item.items())


def _read_units(size: int, consistent: bool) -> float:
    blocks = max(1, math.ceil(size / READ_BLOCK))
    return blocks * (1.0 if consistent else 0.5)


def _write_units(item: dict[str, Any], index_keys: list[str]) -> int:
    blocks = max(1, math.ceil(item_bytes(item) / WRITE_BLOCK))
    indexes = sum(1 for key in index_keys if key in item)
    return blocks * (1 + indexes)


@dataclass
class Units:
    """Read and write request units, summed."""

    read: float = 0.0
    write: float = 0.0

    def add(self, other: Units) -> None:
        self.read += other.read
        self.write += other.write


def units(
    operation: str, params: dict[str, Any], response: dict[str, Any], indexes: dict[str, list[str]]
) -> Units:
    """The request units of one DynamoDB call; ``indexes``: each table's global secondary index
    hash keys (an item with that attribute is written to that index too)."""
    consistent = bool(params.get("ConsistentRead"))
    if operation == "GetItem":
        return Units(read=_read_units(item_bytes(response.get("Item") or {}), consistent))
    if operation in {"Query", "Scan"}:
        size = sum(item_bytes(item) for item in response.get("Items", []))
        return Units(read=_read_units(size, consistent))
    if operation == "BatchGetItem":
        found = [i for items in response.get("Responses", {}).values() for i in items]
        wanted = sum(len(r.get("Keys", [])) for r in params.get("RequestItems", {}).values())
        read = sum(_read_units(item_bytes(i), consistent) for i in found)
        return Units(read=read + 0.5 * max(0, wanted - len(found)))
    if operation == "PutItem":
        return Units(write=_write_units(params["Item"], indexes.get(params["TableName"], [])))
    if operation in {"DeleteItem", "UpdateItem"}:
        return Units(write=1 + len(indexes.get(params["TableName"], [])))
    if operation == "BatchWriteItem":
        write = 0
        for table, requests in params.get("RequestItems", {}).items():
            for request in requests:
                put = request.get("PutRequest")
                item = put["Item"] if put else {}
                write += _write_units(item, indexes.get(table, [])) if put else 1
        return Units(write=write)
    if operation == "TransactWriteItems":
        write = 0
        for entry in params.get("TransactItems", []):
            ((kind, body),) = entry.items()
            table = body.get("TableName", "")
            if kind == "Put":
                write += 2 * _write_units(body["Item"], indexes.get(table, []))
            else:
                write += 2 * (1 + len(indexes.get(table, [])))
        return Units(write=write)
    return Units()


@dataclass
class Recorder:
    """What :func:`recording` saw: the DynamoDB units, every call as ``service:Operation``, and
    the seconds spent inside them by ``service:Operation`` (waiting on the emulator)."""

    indexes: dict[str, list[str]]
    dynamodb: Units = field(default_factory=Units)
    calls: dict[str, int] = field(default_factory=dict)
    waited: dict[str, float] = field(default_factory=dict)


def table_indexes(dynamodb: Any, tables: list[str]) -> dict[str, list[str]]:
    """Each table's global secondary index hash keys, from DescribeTable."""
    found = {}
    for name in tables:
        described = dynamodb.describe_table(TableName=name)["Table"]
        found[name] = [
            next(k["AttributeName"] for k in gsi["KeySchema"] if k["KeyType"] == "HASH")
            for gsi in described.get("GlobalSecondaryIndexes", [])
        ]
    return found


@contextlib.contextmanager
def recording(indexes: dict[str, list[str]]) -> Iterator[Recorder]:
    """Yields a Recorder filled while the block runs (all threads of this process). A call that
    raises (a failed condition) is charged as DynamoDB charges it: the write it would have made."""
    recorder = Recorder(indexes)
    lock = threading.Lock()
    original = BaseClient._make_api_call  # type: ignore[attr-defined]

    def observed(client: BaseClient, operation_name: str, api_params: Any) -> Any:
        service = client.meta.service_model.service_name
        response: dict[str, Any] = {}
        started = time.perf_counter()
        try:
            response = original(client, operation_name, api_params)
            return response
        finally:
            spent = time.perf_counter() - started
            with lock:
                name = f"{service}:{operation_name}"
                recorder.calls[name] = recorder.calls.get(name, 0) + 1
                recorder.waited[name] = recorder.waited.get(name, 0.0) + spent
                if service == "dynamodb":
                    recorder.dynamodb.add(units(operation_name, api_params, response, indexes))

    BaseClient._make_api_call = observed  # type: ignore[attr-defined]
    try:
        yield recorder
    finally:
        BaseClient._make_api_call = original  # type: ignore[attr-defined]
