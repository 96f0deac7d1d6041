"""The moto internals ``eoffice_local.moto_server`` and ``moto_query_index`` patch are where and
as the patches expect (ADR 0001): an upgraded moto fails here, naming what moved, before it fails
a race test in a way nobody can read."""

from __future__ import annotations

import inspect
import re
import tomllib
from importlib import metadata
from pathlib import Path

import moto.dynamodb.models as models
from moto.dynamodb.models import dynamo_type

ROOT = Path(__file__).resolve().parents[2]
PATCHED_PARAMETERS = {
    # method: the leading parameters the patches pass on or read by name
    (models.DynamoDBBackend, "put_item"): ["self"],
    (models.DynamoDBBackend, "get_item"): ["self"],
    (models.DynamoDBBackend, "query"): ["self"],
    (models.DynamoDBBackend, "delete_item"): ["self"],
    (models.DynamoDBBackend, "update_item"): ["self", "table_name", "key"],
    (models.DynamoDBBackend, "transact_write_items"): ["self", "transact_items"],
    (models.Table, "put_item"): ["self", "item_attrs"],
    (models.Table, "delete_item"): ["self", "hash_key", "range_key"],
    (models.Table, "all_items"): ["self"],
    (models.Table, "get_item"): ["self", "hash_key", "range_key"],
}
QUERY_ARGUMENTS = {"hash_key", "index_name", "hash_key_conditions"}


def _pinned() -> str:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    dependencies = project["project"]["optional-dependencies"]["dev"]
    (moto,) = [d for d in dependencies if d.startswith("moto")]
    found = re.fullmatch(r"moto\[server\]==([\d.]+)", moto.split(";")[0].strip())
    assert found, f"moto must be pinned exactly (ADR 0001), not {moto!r}"
    return found.group(1)


def test_moto_is_the_pinned_version() -> None:
    installed = metadata.version("moto")
    assert installed == _pinned(), (
        f"moto {installed} is installed but the patches were verified against {_pinned()}: "
        "read ADR 0001's section on the patches before upgrading"
    )


def test_the_patched_methods_are_shaped_as_the_patches_expect() -> None:
    moved = []
    for (owner, name), leading in PATCHED_PARAMETERS.items():
        method = getattr(owner, name, None)
        if method is None:
            moved.append(f"{owner.__name__}.{name} is gone")
            continue
        parameters = list(inspect.signature(method).parameters)[: len(leading)]
        if parameters != leading:
            moved.append(f"{owner.__name__}.{name} now takes {parameters}, not {leading}")
    query = set(inspect.signature(models.Table.query).parameters)
    if not query >= QUERY_ARGUMENTS:
        moved.append(f"Table.query lost {sorted(QUERY_ARGUMENTS - query)}")
    assert moved == [], "moto's internals moved: " + "; ".join(moved)


def test_the_backend_module_holds_what_the_transaction_patch_replaces() -> None:
    import copy

    assert models.copy is copy or hasattr(models.copy, "deepcopy"), "models.copy is not copy"
    source = inspect.getsource(models.DynamoDBBackend.transact_write_items)
    # moto keeps each table's state before a transaction with ``copy.deepcopy`` (which
    # ``_TablesByReference`` turns into a reference) and restores it when the transaction fails.
    assert "original_table_state" in source and "copy.deepcopy(" in source, (
        "transactions no longer copy each table with copy.deepcopy: see ADR 0001"
    )
    for error in ("TransactionCanceledException", "MultipleTransactionsException"):
        assert hasattr(models, error), f"moto.dynamodb.models.{error} is gone"
    assert hasattr(models, "MockValidationException")
    assert hasattr(dynamo_type, "DynamoType")


def test_a_table_keeps_its_items_where_the_patches_read_them() -> None:
    table = models.Table(
        "t",
        account_id="123456789012",
        region="ap-southeast-3",
        schema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        attr=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
    )
    table.put_item({"pk": {"S": "a"}, "sk": {"S": "1"}})
    assert (table.hash_key_attr, table.range_key_attr) == ("pk", "sk")
    hash_key, range_key = dynamo_type.DynamoType({"S": "a"}), dynamo_type.DynamoType({"S": "1"})
    assert table.items[hash_key][range_key] is table.get_item(hash_key, range_key)
