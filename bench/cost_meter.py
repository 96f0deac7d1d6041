"""What AWS would bill for the calls a piece of code makes, counted at botocore's dispatch point
for ``bench.cost``: DynamoDB request units from the items themselves (DynamoDB's size rules, its
indexes, transactions' doubling), S3 requests by tier and the bytes put into each bucket, SQS
requests, EventBridge events, KMS calls, SES e-mails, and the time each function spends waiting on
them. The calls still go to the emulator; the counting adds only a DescribeTable per table and,
for an UpdateItem, a GetItem of the updated item (neither counted)."""

from __future__ import annotations

import contextlib
import math
import time
from collections import Counter
from collections.abc import Callable
from typing import Any


def attribute_bytes(value: dict[str, Any]) -> int:
    """A DynamoDB attribute value's size by DynamoDB's rules (close enough for units)."""
    ((kind, inner),) = value.items()
    if kind == "S":
        return len(inner.encode())
    if kind == "N":
        return len(str(inner).lstrip("-").replace(".", "")) // 2 + 2
    if kind == "B":
        return len(inner)
    if kind in {"BOOL", "NULL"}:
        return 1
    if kind in {"SS", "NS", "BS"}:
        return sum(attribute_bytes({kind[0]: v}) for v in inner)
    if kind == "L":
        return 3 + sum(1 + attribute_bytes(v) for v in inner)
    return 3 + item_bytes(inner)  # M


def item_bytes(item: dict[str, Any]) -> int:
    return sum(len(name.encode()) + attribute_bytes(v) for name, v in item.items())


def body_bytes(body: Any) -> int:
    """The size of a PutObject's Body: bytes, text or a seekable stream."""
    if isinstance(body, bytes | bytearray):
        return len(body)
    if isinstance(body, str):
        return len(body.encode())
    at = body.tell()
    size = body.seek(0, 2)
    body.seek(at)
    return int(size)


TTL_ATTRIBUTES = {"expires_at", "expiration"}
"""The tables' TimeToLiveSpecification attributes (template.yaml)."""


class Metered:
    """Installed around botocore's dispatch for the whole run; adds each call's units to
    ``into`` (the operation being measured) and keeps each table's indexes' keys."""

    def __init__(self) -> None:
        self.into: Counter[str] | None = None
        self.indexes: dict[str, list[set[str]]] = {}
        self.buckets: dict[str, str] = {}
        """Physical bucket name -> logical id, to say which bucket the bytes went to."""
        self.running: list[str] = []
        """The functions being invoked, innermost last: whose time a call spends waiting."""

    def installed(self) -> contextlib.AbstractContextManager[None]:
        """The meter on botocore's calls while the block runs."""
        from eoffice_local.aws_calls import observing

        return observing(self._observed)

    def _observed(
        self,
        client: Any,
        original: Callable[..., Any],
        operation: str,
        params: Any,
        answer: Any,
        started: float,
        ms: float,
    ) -> None:
        if self.into is None:
            return
        if self.running:
            self.into[f"lambda.wait.{self.running[-1]}"] += ms
            self.into[f"lambda.aws_calls.{self.running[-1]}"] += 1
        service = client.meta.service_model.service_name
        self.count(client, original, service, operation, params, answer)

    def count(
        self,
        client: Any,
        original: Callable[..., Any],
        service: str,
        op: str,
        params: Any,
        answer: Any,
    ) -> None:
        into = self.into
        assert into is not None
        if service == "dynamodb":
            into["dynamodb.rru"] += self._read_units(op, params, answer)
            into["dynamodb.wru"] += self._write_units(client, original, op, params)
        elif service == "s3":
            if not op.startswith("Delete"):  # DELETE requests are free
                tier2 = op.startswith(("Get", "Head"))
                into["s3.tier2" if tier2 else "s3.tier1"] += 1
            if op in {"PutObject", "CopyObject"}:
                into["s3.put_objects"] += 1
            if op == "PutObject":
                bucket = self.buckets.get(params["Bucket"], params["Bucket"])
                body = params.get("Body", b"")
                into[f"s3.bytes.{bucket}"] += body_bytes(body)
                into[f"s3.objects.{bucket}"] += 1
            if op == "GetObject":
                into["s3.get_objects"] += 1
        elif service == "sqs":
            into["sqs.requests"] += 1
        elif service == "events" and op == "PutEvents":
            into["events"] += len(params.get("Entries", []))
        elif service == "kms":
            into["kms.requests"] += 1
        elif service in {"ses", "sesv2"} and op in {"SendEmail", "SendRawEmail"}:
            into["ses.emails"] += _recipients(params)

    def _read_units(self, op: str, params: Any, answer: Any) -> float:
        half = 1.0 if params.get("ConsistentRead") else 0.5
        if op == "GetItem":
            return half * max(1, math.ceil(item_bytes(answer.get("Item", {})) / 4096))
        if op == "Query":
            size = sum(item_bytes(i) for i in answer.get("Items", []))
            return half * max(1, math.ceil(size / 4096))
        if op == "BatchGetItem":
            items = [i for found in answer.get("Responses", {}).values() for i in found]
            return sum(0.5 * max(1, math.ceil(item_bytes(i) / 4096)) for i in items)
        if op == "TransactGetItems":
            items = [r.get("Item", {}) for r in answer.get("Responses", [])]
            return sum(2 * max(1, math.ceil(item_bytes(i) / 4096)) for i in items)
        return 0.0

    def _write_units(
        self, client: Any, original: Callable[..., Any], op: str, params: Any
    ) -> float:
        if op in {"PutItem", "UpdateItem", "DeleteItem"}:
            return self._one(client, original, params, op.removesuffix("Item"), 1)
        if op == "BatchWriteItem":
            units = 0.0
            for table, requests in params["RequestItems"].items():
                for request in requests:
                    if "PutRequest" in request:
                        units += self._one(
                            client,
                            original,
                            {"TableName": table, **request["PutRequest"]},
                            "Put",
                            1,
                        )
                    else:
                        units += 1
            return units
        if op == "TransactWriteItems":
            units = 0.0
            for entry in params["TransactItems"]:
                ((kind, inner),) = entry.items()
                units += (
                    2 if kind == "ConditionCheck" else self._one(client, original, inner, kind, 2)
                )
            return units
        return 0.0

    def _one(
        self, client: Any, original: Callable[..., Any], params: Any, kind: str, times: int
    ) -> float:
        table = params["TableName"]
        item = params.get("Item")
        if item is None and kind == "Update":
            found = original(client, "GetItem", {"TableName": table, "Key": params["Key"]})
            item = found.get("Item", params["Key"])
        item = item or params.get("Key", {})
        units = max(1, math.ceil(item_bytes(item) / 1024))
        if kind == "Delete":
            return times * units
        indexes = self._indexes(client, original, table)
        written = 1 + sum(1 for keys in indexes if keys <= set(item))
        assert self.into is not None
        if kind == "Put":
            self._stored(item)
        return times * units * written

    def _stored(self, item: dict[str, Any]) -> None:
        """An item is kept for good, unless it has a time to live (a replay guard, a
        challenge): then for the days until it expires, as written."""
        assert self.into is not None
        ttl = [item[a] for a in TTL_ATTRIBUTES if a in item and "N" in item[a]]
        if not ttl:
            self.into["dynamodb.bytes_written"] += item_bytes(item)
            return
        days = max(0.0, (float(ttl[0]["N"]) - time.time()) / 86400)
        self.into["dynamodb.ttl_byte_days"] += item_bytes(item) * days

    def _indexes(self, client: Any, original: Callable[..., Any], table: str) -> list[set[str]]:
        if table not in self.indexes:
            described = original(client, "DescribeTable", {"TableName": table})["Table"]
            self.indexes[table] = [
                {k["AttributeName"] for k in index["KeySchema"]}
                for index in described.get("GlobalSecondaryIndexes", [])
            ]
        return self.indexes[table]


def _recipients(params: dict[str, Any]) -> int:
    """SES bills each recipient of a message as one e-mail (at least one a message)."""
    destination = params.get("Destination", {})
    found = sum(len(destination.get(k, [])) for k in ("ToAddresses", "CcAddresses", "BccAddresses"))
    return max(1, found)
