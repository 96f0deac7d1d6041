"""A Query on the local moto server reads only its partition (``eoffice_local.moto_query_index``)
and answers exactly as unpatched moto does.

Two servers run side by side: ours (``eoffice_local.moto_server``) and plain ``moto.server``.
Every write goes to both, and every Query's pages are compared whole (items, order, counts,
LastEvaluatedKey); each test also checks what the answer must be, so that a bug shared by both
would not pass. Indexes are queried before the writes that change them, so the maps are kept up
to date by the writes, not only built once.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from eoffice_local import emulator as emulators

REGION = "ap-southeast-3"
Client = Any  # boto3's DynamoDB client


def _client(url: str) -> Client:
    return boto3.client(
        "dynamodb",
        endpoint_url=url,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"max_attempts": 1}, read_timeout=120),
    )


@pytest.fixture(scope="module")
def ours() -> Iterator[Client]:
    emulator = emulators.start_moto(emulators.free_port())
    yield _client(emulator.endpoint_url)
    emulator.stop()


@pytest.fixture(scope="module")
def plain() -> Iterator[Client]:
    """moto's own server, unpatched: the reference for every answer."""
    port = emulators.free_port()
    command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(f"{url}/moto-api/data.json", timeout=1).close()  # noqa: S310
            break
        except OSError:
            time.sleep(0.1)
    yield _client(url)
    process.terminate()
    process.wait(timeout=10)


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _create_table(client: Client, name: str) -> None:
    """Shaped like the template's tables: pk/sk, gsi1 with a sort key, gsi2 without one."""
    attributes = ("pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk")
    client.create_table(
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in attributes],
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "gsi1",
                "KeySchema": [
                    {"AttributeName": "gsi1pk", "KeyType": "HASH"},
                    {"AttributeName": "gsi1sk", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            },
            {
                "IndexName": "gsi2",
                "KeySchema": [{"AttributeName": "gsi2pk", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            },
        ],
    )


class Twin:
    """One table on both servers; writes go to both, Query pages must agree."""

    def __init__(self, ours: Client, plain: Client) -> None:
        self.name = f"t{uuid.uuid4().hex[:10]}"
        self.clients = (ours, plain)
        for client in self.clients:
            _create_table(client, self.name)

    def call(self, operation: str, **kwargs: Any) -> str | None:
        """Run on both; both must succeed, or fail with the same code (returned)."""
        codes: list[str | None] = []
        for client in self.clients:
            try:
                getattr(client, operation)(**self._named(operation, kwargs))
                codes.append(None)
            except ClientError as error:
                codes.append(error.response["Error"]["Code"])
        assert codes[0] == codes[1], (operation, codes)
        return codes[0]

    def _named(self, operation: str, kwargs: dict[str, Any]) -> dict[str, Any]:
        if operation == "batch_write_item":
            return {"RequestItems": {self.name: kwargs["requests"]}}
        if operation == "transact_write_items":
            items = [{kind: {**body, "TableName": self.name}} for kind, body in kwargs["items"]]
            return {"TransactItems": items}
        return {"TableName": self.name, **kwargs}

    def put(self, **attrs: str) -> None:
        self.call("put_item", Item={k: _s(v) for k, v in attrs.items()})

    def pages(self, **query: Any) -> list[dict[str, Any]]:
        """Every page of a Query, walked by LastEvaluatedKey, identical on both servers."""
        walked = [_walk(client, self.name, query) for client in self.clients]
        assert walked[0] == walked[1]
        return walked[0]

    def keys(self, **query: Any) -> list[str]:
        """The ``sk`` of every item the Query returns, page after page, in order."""
        return [item["sk"]["S"] for page in self.pages(**query) for item in page["Items"]]


def _walk(client: Client, table: str, query: dict[str, Any]) -> list[dict[str, Any]]:
    pages: list[dict[str, Any]] = []
    start: dict[str, Any] | None = None
    while True:
        extra = {"ExclusiveStartKey": start} if start else {}
        answer = client.query(TableName=table, **query, **extra)
        answer.pop("ResponseMetadata", None)
        pages.append(answer)
        start = answer.get("LastEvaluatedKey")
        if start is None or len(pages) > 100:
            return pages


def _on(index: str | None, partition: str, **more: Any) -> dict[str, Any]:
    """A Query of one partition of the table (index None) or of an index."""
    key = {"gsi1": "gsi1pk", "gsi2": "gsi2pk", None: "pk"}[index]
    names = {"#h": key, **more.pop("names", {})}
    values = {":h": _s(partition), **more.pop("values", {})}
    condition = "#h = :h" + (f" AND {more.pop('sort')}" if "sort" in more else "")
    query = {
        "KeyConditionExpression": condition,
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": values,
        **more,
    }
    return query | ({"IndexName": index} if index else {})


@pytest.fixture
def twin(ours: Client, plain: Client) -> Twin:
    return Twin(ours, plain)


def _seed(twin: Twin) -> None:
    """Three employees in two units; one row has no gsi1 keys (sparse), some carry a TTL."""
    requests = []
    for emp in ("E1", "E2", "E3"):
        unit = "U1" if emp != "E3" else "U2"
        for day in range(1, 8):
            item = {
                "pk": _s(f"EMP#{emp}"),
                "sk": _s(f"IN#2026-11-{day:02d}"),
                "gsi1pk": _s(f"UNIT#{unit}#2026-11"),
                "gsi1sk": _s(f"2026-11-{day:02d}#{emp}"),
                "gsi2pk": _s(f"DAY#{unit}#{day:02d}"),
                "note": _s("x" * day),
                "expires_at": {"N": str(1_700_000_000 + day)},
            }
            requests.append({"PutRequest": {"Item": item}})
    twin.call("batch_write_item", requests=requests)
    twin.put(pk="EMP#E1", sk="PROFILE", name="Andi")  # in no index


def test_base_table_queries_answer_as_moto(twin: Twin) -> None:
    _seed(twin)
    assert twin.keys(**_on(None, "EMP#E1")) == [f"IN#2026-11-0{d}" for d in range(1, 8)] + [
        "PROFILE"
    ]
    between = _on(
        None,
        "EMP#E2",
        sort="sk BETWEEN :a AND :b",
        values={":a": _s("IN#2026-11-03"), ":b": _s("IN#2026-11-05")},
    )
    assert twin.keys(**between) == ["IN#2026-11-03", "IN#2026-11-04", "IN#2026-11-05"]
    prefix = _on(None, "EMP#E1", sort="begins_with(sk, :p)", values={":p": _s("IN#")})
    descending = twin.keys(**prefix, ScanIndexForward=False, Limit=3)
    assert descending == [f"IN#2026-11-0{d}" for d in range(7, 0, -1)]
    assert len(twin.pages(**prefix, ScanIndexForward=False, Limit=3)) == 3
    filtered = _on(
        None, "EMP#E1", FilterExpression="contains(note, :n)", values={":n": _s("xxxxx")}
    )
    pages = twin.pages(**filtered, Limit=4)
    assert [page["ScannedCount"] for page in pages] == [4, 4]
    assert [i["sk"]["S"] for p in pages for i in p["Items"]] == [
        "IN#2026-11-05",
        "IN#2026-11-06",
        "IN#2026-11-07",
    ]
    projected = twin.pages(**_on(None, "EMP#E3", ProjectionExpression="sk, expires_at"))
    assert projected[0]["Items"][0] == {
        "sk": _s("IN#2026-11-01"),
        "expires_at": {"N": "1700000001"},
    }
    assert twin.pages(**_on(None, "EMP#NOBODY"))[0]["Items"] == []
    assert twin.pages(**_on(None, "EMP#E1", Select="COUNT"))[0]["Count"] == 8


def test_index_queries_answer_as_moto(twin: Twin) -> None:
    _seed(twin)
    unit = twin.keys(**_on("gsi1", "UNIT#U1#2026-11"))
    assert len(unit) == 14 and "PROFILE" not in unit  # sparse: the profile has no gsi1 keys
    paged = twin.pages(**_on("gsi1", "UNIT#U1#2026-11", Limit=5, ScanIndexForward=False))
    assert [p["Count"] for p in paged] == [5, 5, 4]
    assert set(paged[0]["LastEvaluatedKey"]) == {"pk", "sk", "gsi1pk", "gsi1sk"}
    first = paged[0]["Items"][0]
    assert (first["gsi1sk"], first["pk"]) == (_s("2026-11-07#E2"), _s("EMP#E2"))
    days = _on("gsi1", "UNIT#U1#2026-11", sort="gsi1sk < :d", values={":d": _s("2026-11-03")})
    assert twin.keys(**days) == ["IN#2026-11-01", "IN#2026-11-01", "IN#2026-11-02", "IN#2026-11-02"]
    filtered = _on("gsi1", "UNIT#U2#2026-11", FilterExpression="attribute_exists(note)")
    assert len(twin.keys(**filtered, ProjectionExpression="sk")) == 7
    keys_only = twin.pages(**_on("gsi2", "DAY#U1#03", Limit=1))
    assert [p["Items"] for p in keys_only][:2] == [
        [{"pk": _s("EMP#E1"), "sk": _s("IN#2026-11-03"), "gsi2pk": _s("DAY#U1#03")}],
        [{"pk": _s("EMP#E2"), "sk": _s("IN#2026-11-03"), "gsi2pk": _s("DAY#U1#03")}],
    ]
    assert twin.pages(**_on("gsi1", "UNIT#NONE#2026-11"))[0]["Items"] == []


def test_updates_move_items_between_index_partitions(twin: Twin) -> None:
    _seed(twin)
    u1, u2 = _on("gsi1", "UNIT#U1#2026-11"), _on("gsi1", "UNIT#U2#2026-11")
    assert (len(twin.keys(**u1)), len(twin.keys(**u2))) == (14, 7)  # both maps built now
    moved = {"pk": _s("EMP#E1"), "sk": _s("IN#2026-11-02")}
    twin.call(
        "update_item",
        Key=moved,
        UpdateExpression="SET gsi1pk = :u",
        ExpressionAttributeValues={":u": _s("UNIT#U2#2026-11")},
    )
    assert (len(twin.keys(**u1)), len(twin.keys(**u2))) == (13, 8)
    twin.call("update_item", Key=moved, UpdateExpression="REMOVE gsi1pk")  # leaves the index
    assert (len(twin.keys(**u1)), len(twin.keys(**u2))) == (13, 7)
    profile = {"pk": _s("EMP#E1"), "sk": _s("PROFILE")}
    joined = {":u": _s("UNIT#U2#2026-11"), ":s": _s("0-profile")}
    twin.call(
        "update_item",
        Key=profile,
        UpdateExpression="SET gsi1pk = :u, gsi1sk = :s",
        ExpressionAttributeValues=joined,
    )
    assert twin.keys(**u2)[0] == "PROFILE"  # a sparse item joins the index
    upsert = {"pk": _s("EMP#E9"), "sk": _s("NEW")}
    twin.call(
        "update_item",
        Key=upsert,
        UpdateExpression="SET gsi1pk = :u, gsi1sk = :s",
        ExpressionAttributeValues=joined,
    )
    twin.put(
        pk="EMP#E3", sk="IN#2026-11-01", gsi1pk="UNIT#U1#2026-11", gsi1sk="2026-11-01#E3"
    )  # overwrite
    twin.call("delete_item", Key={"pk": _s("EMP#E2"), "sk": _s("IN#2026-11-07")})
    refused = {
        "Key": {"pk": _s("EMP#E1"), "sk": _s("IN#2026-11-07")},
        "ConditionExpression": "attribute_not_exists(pk)",
    }
    assert twin.call("delete_item", **refused) == "ConditionalCheckFailedException"
    # Equal index sort keys: moto orders by the table's keys next (EMP#E1 before EMP#E9).
    assert twin.keys(**u2) == ["PROFILE", "NEW", *[f"IN#2026-11-0{d}" for d in range(2, 8)]]
    assert len(twin.keys(**u1)) == 13
    assert twin.keys(**_on(None, "EMP#E2", ScanIndexForward=False))[0] == "IN#2026-11-06"
    # The sort key of an index may change too, within a partition.
    twin.call(
        "update_item",
        Key=profile,
        UpdateExpression="SET gsi1sk = :s",
        ExpressionAttributeValues={":s": _s("9")},
    )
    assert twin.keys(**u2)[-1] == "PROFILE"


def test_transactions_and_batches_keep_the_partitions(twin: Twin) -> None:
    _seed(twin)
    u1, u2 = _on("gsi1", "UNIT#U1#2026-11"), _on("gsi1", "UNIT#U2#2026-11")
    day3 = _on("gsi2", "DAY#U1#03")
    before = (twin.pages(**u1), twin.pages(**u2), twin.pages(**day3))
    move = (
        "Update",
        {
            "Key": {"pk": _s("EMP#E1"), "sk": _s("IN#2026-11-03")},
            "UpdateExpression": "SET gsi1pk = :u REMOVE gsi2pk",
            "ExpressionAttributeValues": {":u": _s("UNIT#U2#2026-11")},
        },
    )
    put = (
        "Put",
        {
            "Item": {
                "pk": _s("EMP#E5"),
                "sk": _s("IN#1"),
                "gsi1pk": _s("UNIT#U2#2026-11"),
                "gsi1sk": _s("0"),
            }
        },
    )
    drop = ("Delete", {"Key": {"pk": _s("EMP#E2"), "sk": _s("IN#2026-11-01")}})
    failing = (
        "ConditionCheck",
        {
            "Key": {"pk": _s("EMP#E3"), "sk": _s("PROFILE")},
            "ConditionExpression": "attribute_exists(pk)",
        },
    )
    assert (
        twin.call("transact_write_items", items=[move, put, drop, failing])
        == "TransactionCanceledException"
    )
    assert (twin.pages(**u1), twin.pages(**u2), twin.pages(**day3)) == before  # rolled back
    twice = ("Update", {**move[1], "Key": {"pk": _s("EMP#E5"), "sk": _s("IN#1")}})  # put's item
    assert twin.call("transact_write_items", items=[move, put, twice]) == "ValidationException"
    assert (twin.pages(**u1), twin.pages(**u2), twin.pages(**day3)) == before  # written: none
    assert twin.call("transact_write_items", items=[move, put, drop]) is None
    assert len(twin.keys(**u1)) == 12
    assert twin.keys(**u2)[:2] == ["IN#1", "IN#2026-11-01"]
    assert "IN#2026-11-03" in twin.keys(**u2)
    assert len(twin.keys(**day3)) == 1
    requests = [
        {"DeleteRequest": {"Key": {"pk": _s("EMP#E3"), "sk": _s(f"IN#2026-11-0{d}")}}}
        for d in range(1, 4)
    ] + [
        {
            "PutRequest": {
                "Item": {
                    "pk": _s("EMP#E6"),
                    "sk": _s(f"IN#{d}"),
                    "gsi1pk": _s("UNIT#U1#2026-11"),
                    "gsi1sk": _s(f"~{d}"),
                }
            }
        }
        for d in range(3)
    ]
    twin.call("batch_write_item", requests=requests)
    assert twin.keys(**u1)[-3:] == ["IN#0", "IN#1", "IN#2"]
    assert len(twin.keys(**u2)) == 9 - 3


def test_a_recreated_table_starts_empty(ours: Client) -> None:
    name = f"t{uuid.uuid4().hex[:10]}"
    item = {"pk": _s("A"), "sk": _s("1"), "gsi1pk": _s("P"), "gsi1sk": _s("1")}
    _create_table(ours, name)
    ours.put_item(TableName=name, Item=item)
    query = {"TableName": name, **_on("gsi1", "P")}
    assert ours.query(**query)["Count"] == 1
    ours.delete_table(TableName=name)
    _create_table(ours, name)
    assert ours.query(**query)["Count"] == 0
    ours.put_item(TableName=name, Item=item | {"sk": _s("2")})
    assert [i["sk"] for i in ours.query(**query)["Items"]] == [_s("2")]


SPEED_ITEMS = 30_000
SMALL = 100


def _write_many(client: Client, table: str) -> None:
    """30,000 small items in 300 partitions (base and gsi1), then one more of 100."""

    def item(n: int, partition: str) -> dict[str, Any]:
        return {
            "pk": _s(f"EMP#{partition}#{n % 10}"),
            "sk": _s(f"{n:06d}"),
            "gsi1pk": _s(partition),
            "gsi1sk": _s(f"{n:06d}"),
        }

    def batch(start: int) -> None:
        rows = [item(n, f"UNIT#{n // 100:04d}") for n in range(start, start + 25)]
        client.batch_write_item(RequestItems={table: [{"PutRequest": {"Item": r}} for r in rows]})

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(batch, range(0, SPEED_ITEMS, 25)))
    rows = [item(n, "UNIT#SMALL") for n in range(SMALL)]
    for start in range(0, SMALL, 25):
        requests = [{"PutRequest": {"Item": r}} for r in rows[start : start + 25]]
        client.batch_write_item(RequestItems={table: requests})


def _median_seconds(*calls: Callable[[], Any], rounds: int = 5) -> list[float]:
    """Each call's median time; the calls take turns, so a busy machine slows them alike."""
    spent: list[list[float]] = [[] for _ in calls]
    for _ in range(rounds):
        for call, times in zip(calls, spent, strict=True):
            started = time.perf_counter()
            call()
            times.append(time.perf_counter() - started)
    return [statistics.median(times) for times in spent]


def test_a_small_partition_reads_fast_in_a_big_table(ours: Client) -> None:
    """A full walk of the table is what a Scan with Limit=1 costs (moto sorts every item before
    the first): a Query of 100 items must cost a small part of that (about a seventh here,
    mostly moto writing the response). Unpatched, a Query walks and sorts the table too, and
    costs about twice the Scan, so this test fails."""
    name = f"t{uuid.uuid4().hex[:10]}"
    _create_table(ours, name)
    _write_many(ours, name)
    small = {"TableName": name, **_on("gsi1", "UNIT#SMALL")}
    employee = {"TableName": name, **_on(None, "EMP#UNIT#SMALL#3")}
    assert ours.query(**small)["Count"] == SMALL
    assert ours.query(**employee)["Count"] == SMALL // 10
    walk, by_index, by_table = _median_seconds(
        lambda: ours.scan(TableName=name, Limit=1),
        lambda: ours.query(**small),
        lambda: ours.query(**employee),
    )
    assert by_index < walk / 2, (by_index, walk)
    assert by_table < walk / 2, (by_table, walk)
