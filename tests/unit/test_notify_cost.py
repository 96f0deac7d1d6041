"""The notification benchmark's arithmetic (bench/notify_cost.py, bench/capacity.py): the bill of
1,000 notifications from what one notice used, and the DynamoDB request units of a call."""

from __future__ import annotations

import math

import pytest

from bench import capacity, notify_cost, prices
from bench.notify_cost import PerNotice

BUSY = PerNotice(
    lambda_ms=100.0,
    memory_mb=512,
    notices_per_event=1.0,
    events_per_batch=5.0,
    read_units=3.0,
    write_units=4.0,
    emails=1.0,
    log_bytes=1024.0,
)


def line(bill: list[notify_cost.CostLine], starts: str) -> notify_cost.CostLine:
    (found,) = [entry for entry in bill if entry.what.startswith(starts)]
    return found


def test_each_line_is_its_quantity_for_1000_notices_at_its_price() -> None:
    bill = notify_cost.lines(BUSY)

    # 1,000 x 0.1 s x 0.5 GB; 1,000 events in 200 batches of 5
    assert line(bill, "Lambda duration").quantity == pytest.approx(50.0)
    assert line(bill, "Lambda duration").usd == pytest.approx(50 * prices.LAMBDA_ARM_GB_SECOND)
    assert line(bill, "Lambda requests").quantity == pytest.approx(200)
    assert line(bill, "SQS").quantity == pytest.approx(1000 + 2 * 200)
    assert line(bill, "EventBridge").quantity == pytest.approx(1000)
    assert line(bill, "DynamoDB reads").quantity == pytest.approx(3000)
    assert line(bill, "DynamoDB writes").usd == pytest.approx(4000 * prices.DYNAMODB_WRITE_UNIT)
    assert line(bill, "SES").usd == pytest.approx(1000 * prices.SES_EMAIL)
    assert line(bill, "KMS").quantity == pytest.approx(1000 + 200)
    assert line(bill, "X-Ray").quantity == pytest.approx(200)
    assert line(bill, "CloudWatch Logs").quantity == pytest.approx(1000 * 1024 / 1024**3)


def test_the_total_is_the_sum_of_the_lines_and_ses_can_be_left_out() -> None:
    bill = notify_cost.lines(BUSY)

    assert notify_cost.total(bill) == pytest.approx(sum(entry.usd for entry in bill))
    assert notify_cost.total(bill) - notify_cost.without_email(bill) == pytest.approx(
        line(bill, "SES").usd
    )


def test_events_alone_in_their_batches_cost_more_than_full_batches() -> None:
    alone = notify_cost.lines(PerNotice(**{**BUSY.__dict__, "events_per_batch": 1.0}))

    assert line(alone, "Lambda requests").quantity == pytest.approx(1000)
    assert notify_cost.total(alone) > notify_cost.total(notify_cost.lines(BUSY))


def test_an_event_telling_two_people_halves_what_the_event_costs_a_notice() -> None:
    two = notify_cost.lines(PerNotice(**{**BUSY.__dict__, "notices_per_event": 2.0}))
    one = notify_cost.lines(BUSY)

    for starts in ("EventBridge", "SQS", "Lambda requests", "KMS"):
        assert line(two, starts).usd == pytest.approx(line(one, starts).usd / 2)
    assert line(two, "Lambda duration").usd == pytest.approx(line(one, "Lambda duration").usd)


# ---------------------------------------------------------------- DynamoDB request units
def test_an_items_size_is_its_names_and_values() -> None:
    item = {
        "pk": {"S": "NIP#1"},  # 2 + 5
        "n": {"N": "12345"},  # 1 + ceil(5 / 2) + 1
        "ok": {"BOOL": True},  # 2 + 1
        "m": {"M": {"a": {"S": "xy"}}},  # 1 + 3 + (1 + 1 + 2)
    }

    assert capacity.item_bytes(item) == 7 + 5 + 3 + 8


def test_a_number_counts_only_its_significant_digits() -> None:
    assert capacity.value_bytes({"N": "1000"}) == capacity.value_bytes({"N": "1"})
    assert capacity.value_bytes({"N": "0.0012"}) == capacity.value_bytes({"N": "12"})


def test_reads_are_half_a_unit_per_4_kb_eventually_consistent_and_never_free() -> None:
    big = {"pk": {"S": "x" * 5000}}

    assert capacity.units("GetItem", {}, {}, {}).read == 0.5
    assert capacity.units("GetItem", {}, {"Item": big}, {}).read == 1.0
    assert capacity.units("GetItem", {"ConsistentRead": True}, {"Item": big}, {}).read == 2.0
    query = capacity.units("Query", {}, {"Items": [big, big]}, {})
    assert query.read == 0.5 * math.ceil(2 * capacity.item_bytes(big) / 4096)


def test_a_batch_get_counts_each_item_and_each_miss() -> None:
    params = {"RequestItems": {"t": {"Keys": [{}, {}, {}]}}}
    found = {"Responses": {"t": [{"pk": {"S": "a"}}, {"pk": {"S": "b"}}]}}

    assert capacity.units("BatchGetItem", params, found, {}).read == 1.5


def test_a_write_counts_once_more_for_each_index_the_item_is_in() -> None:
    item = {"pk": {"S": "a"}, "gsi1pk": {"S": "b"}, "body": {"S": "x" * 1500}}
    params = {"TableName": "t", "Item": item}

    assert capacity.units("PutItem", params, {}, {}).write == 2  # 1.5 KB: two units
    assert capacity.units("PutItem", params, {}, {"t": ["gsi1pk", "gsi2pk"]}).write == 4
    transaction = {"TransactItems": [{"Put": params}]}
    assert capacity.units("TransactWriteItems", transaction, {}, {"t": ["gsi1pk"]}).write == 8
