"""The bill's arithmetic, on figures small enough to compute by hand."""

from __future__ import annotations

from collections import Counter

import pytest

from bench import bill


def test_an_operation_times_its_count_sums_over_operations() -> None:
    per = {"a": Counter({"s3.tier1": 2, "dynamodb.wru": 3}), "b": Counter({"s3.tier1": 1})}
    used = bill.month(per, {"a": 10, "b": 5})
    assert used == Counter({"s3.tier1": 25, "dynamodb.wru": 30})


def test_a_line_pays_only_what_exceeds_its_free_allowance() -> None:
    meter = bill.METERS["kms.requests"]
    under, over = (
        bill.Line("kms.requests", meter.free / 2),
        bill.Line("kms.requests", meter.free + 10_000),
    )
    assert under.usd_free == 0 and under.usd == pytest.approx(meter.free / 2 * meter.price)
    assert over.usd_free == pytest.approx(10_000 * meter.price)


def test_a_meter_without_allowance_costs_the_same_with_or_without() -> None:
    line = bill.Line("s3.tier1", 1000)
    assert line.usd == line.usd_free == pytest.approx(1000 * bill.METERS["s3.tier1"].price)


def test_storage_kept_for_days_and_for_good() -> None:
    # 30.4 GB a month is a GB a day: kept 7 days, 7 GB are always there.
    assert bill.kept_for(30.4 * bill.GB, 7) == pytest.approx(7)
    # 1 GB a month never deleted: in the 12th month, 11 months' and half of this one's.
    assert bill.kept_for_good(bill.GB, 12) == pytest.approx(11.5)


def test_duration_is_rounded_up_to_the_millisecond_times_memory() -> None:
    assert bill.gb_seconds(999.2, 1024) == pytest.approx(1.0)
    assert bill.gb_seconds(500, 2048) == pytest.approx(1.0)


def test_totals_and_services() -> None:
    lines = bill.lines({"s3.tier1": 1000, "kms.keys": 2, "xray.traces": 0})
    assert [line.meter for line in lines] == ["s3.tier1", "kms.keys"]  # unused meters left out
    expected = 1000 * bill.METERS["s3.tier1"].price + 2 * bill.METERS["kms.keys"].price
    assert bill.total(lines) == pytest.approx(expected) == pytest.approx(bill.total_free(lines))
    assert set(bill.by_service(lines)) == {"S3", "KMS"}
