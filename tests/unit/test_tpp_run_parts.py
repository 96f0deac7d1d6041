"""Pure parts of the report run: which rule set a month uses, the scheduled month in WITA, and
the report's file names."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from eoffice.scheduled import scheduled_time
from eoffice.tpp.defaults import default_rule_set
from eoffice.tpp.month_rules import previous_month
from eoffice.tpp.report_file_rules import unit_names
from eoffice.tpp.rule_set_models import RuleSet
from eoffice.tpp.rule_sets import effective_on


def _version(number: int, effective_from: date) -> RuleSet:
    data = default_rule_set().model_dump()
    data.update(effective_from=effective_from)
    return RuleSet(
        **data, version=number, published_at=datetime(2026, 1, 1, tzinfo=UTC), published_by="x"
    )


def test_a_month_uses_the_version_effective_on_its_first_day() -> None:
    published = [
        _version(1, date(2021, 1, 1)),
        _version(2, date(2026, 12, 1)),
        _version(3, date(2026, 11, 15)),  # published later, effective mid-month
        _version(4, date(2026, 12, 1)),  # a correction of version 2, same day
    ]
    assert effective_on(published, date(2026, 11, 1)).version == 1  # type: ignore[union-attr]
    assert effective_on(published, date(2026, 12, 1)).version == 4  # type: ignore[union-attr]
    assert effective_on(published, date(2020, 12, 1)) is None


@pytest.mark.parametrize(
    ("scheduled", "month"),
    [
        ("2026-11-30T17:00:00Z", "2026-11"),  # 01:00 WITA on 1 December
        ("2026-12-31T17:00:00Z", "2026-12"),  # 01:00 WITA on 1 January
        ("2027-01-31T17:00:00Z", "2027-01"),
        ("2026-12-01T02:00:00Z", "2026-11"),  # a late retry the same morning
    ],
)
def test_the_scheduled_month_is_the_previous_one_in_wita(scheduled: str, month: str) -> None:
    moment = scheduled_time({"scheduled_time": scheduled})
    assert previous_month(moment) == month


def test_a_placeholder_left_in_the_event_means_now() -> None:
    moment = scheduled_time({"scheduled_time": "<aws.scheduler.scheduled-time>"})
    assert moment.tzinfo is not None and abs((moment - datetime.now(UTC)).total_seconds()) < 60


def test_unit_file_names_are_safe_and_distinct() -> None:
    names = unit_names({"a": "DINKES/RSUD", "b": "DINKES_RSUD", "c": "  ", "d": "dinkes-rsud"})
    assert names == {"a": "DINKES_RSUD", "b": "DINKES_RSUD~2", "c": "unit", "d": "dinkes-rsud"}


def test_a_value_a_spreadsheet_would_run_is_written_as_text() -> None:
    """Every CSV cell, whatever its column: formula starts get an apostrophe, numbers do not."""
    import csv
    import io

    from eoffice.spreadsheets import csv_bytes, text_cell

    running = ['=HYPERLINK("x")', "@SUM(A1)", "+1+1", "-2+3", "\t=1+1", "\r=1+1", "-", "=5"]
    for value in running:
        assert text_cell(value) == "'" + value, value
    for value in ("Andi Baso", "-5", "+62", "2.50", "-0.25", "", "1990-01-01", "A=B"):
        assert text_cell(value) == value, value
    body = csv_bytes(["=Kolom", "N"], [['=HYPERLINK("x")', "-5"], ["Andi", "\t@x"]])
    read = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert read == [["'=Kolom", "N"], ['\'=HYPERLINK("x")', "-5"], ["Andi", "'\t@x"]]
