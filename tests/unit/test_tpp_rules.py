"""TPP rule sets as data: the default holds exactly the domain reference's numbers ("This project's
default TPP rule set"), bands look minutes up at their edges, and an inconsistent rule set is
refused before it can be published."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from eoffice.attendance.models import LeaveType
from eoffice.tpp.defaults import default_rule_set
from eoffice.tpp.rule_set_models import CltnRule, Rounding, RuleSet, RuleSetCreate
from pydantic import ValidationError

D = Decimal
REFERENCE_BANDS = [(30, D("0.5")), (60, D("1")), (90, D("1.25")), (None, D("2.5"))]


def rules_with(**changes: Any) -> RuleSetCreate:
    return RuleSetCreate.model_validate({**default_rule_set().model_dump(), **changes})


def bands(*limits_and_percents: tuple[int | None, str]) -> list[dict[str, Any]]:
    return [{"up_to_minutes": limit, "percent": D(pct)} for limit, pct in limits_and_percents]


# ---------------------------------------------------------------- the default
def test_the_default_is_the_reference() -> None:
    rules = default_rule_set()
    as_pairs = [(band.up_to_minutes, band.percent) for band in rules.late_bands]
    assert as_pairs == REFERENCE_BANDS  # TL1 1-30 0.5 %, TL2 31-60 1 %, TL3 61-90 1.25 %, TL4
    assert [(band.up_to_minutes, band.percent) for band in rules.early_bands] == REFERENCE_BANDS
    assert (rules.missing_check_in_band, rules.missing_check_out_band) == (4, 4)  # TL4, PSW4
    assert rules.absent_percent == D(3)  # TK
    assert rules.leave_percent == {
        LeaveType.izin: D(1),
        LeaveType.cuti_tahunan: D(0),
        LeaveType.cuti_sakit: D(0),
        LeaveType.cuti_melahirkan: D(0),
        LeaveType.cuti_besar: D(0),
        LeaveType.cuti_alasan_penting: D(0),
        LeaveType.cltn: D(0),  # CLTN is handled by ``cltn``, not by a daily rate
        LeaveType.dinas_luar: D(0),
    }
    assert rules.max_day_percent is None
    assert rules.discipline_cap_percent == D(40)
    assert rules.zero_without_presence is True
    assert (rules.cltn, rules.rounding) == (CltnRule.pro_rata, Rounding.half_up)
    assert rules.effective_from == date(2021, 1, 1)


def test_the_default_survives_json() -> None:
    rules = default_rule_set()
    assert RuleSetCreate.model_validate_json(rules.model_dump_json()) == rules


def test_early_bands_are_a_copy() -> None:
    rules = default_rule_set()
    assert rules.early_bands[0] is not rules.late_bands[0]


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        (-3, (0, "0")),
        (0, (0, "0")),
        (1, (1, "0.5")),
        (30, (1, "0.5")),
        (31, (2, "1")),
        (60, (2, "1")),
        (61, (3, "1.25")),
        (90, (3, "1.25")),
        (91, (4, "2.5")),
        (1440, (4, "2.5")),
    ],
)
def test_band_lookup_at_the_edges(minutes: int, expected: tuple[int, str]) -> None:
    rules = default_rule_set()
    number, percent = expected
    assert rules.late_percent(minutes) == (number, D(percent))
    assert rules.early_percent(minutes) == (number, D(percent))


def test_a_custom_set_bands_by_its_own_limits() -> None:
    rules = rules_with(
        late_bands=bands((15, "0.25"), (60, "1"), (None, "3")),
        missing_check_in_band=3,
    )
    assert [rules.late_percent(m) for m in (15, 16, 60, 61)] == [
        (1, D("0.25")),
        (2, D(1)),
        (2, D(1)),
        (3, D(3)),
    ]
    assert rules.early_percent(16) == (1, D("0.5"))  # PSW bands untouched


def test_a_published_version() -> None:
    published = RuleSet.model_validate(
        {
            **default_rule_set().model_dump(),
            "version": 2,
            "published_at": datetime(2026, 1, 2, tzinfo=UTC),
            "published_by": "system",
        }
    )
    assert published.version == 2 and published.late_percent(31) == (2, D(1))
    with pytest.raises(ValidationError):
        RuleSet.model_validate({**published.model_dump(), "version": 0})


# ---------------------------------------------------------------- refused
def without(kind: LeaveType) -> dict[LeaveType, Decimal]:
    rates = dict(default_rule_set().leave_percent)
    del rates[kind]
    return rates


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param(
            {"late_bands": bands((60, "1"), (30, "0.5"), (None, "2.5"))},
            "must rise",
            id="falling limits",
        ),
        pytest.param(
            {"early_bands": bands((30, "0.5"), (30, "1"), (None, "2.5"))},
            "must rise",
            id="equal limits",
        ),
        pytest.param(
            {"late_bands": bands((30, "0.5"), (None, "1"), (None, "2.5"))},
            "only the last",
            id="open band not last",
        ),
        pytest.param(
            {"early_bands": bands((30, "0.5"), (60, "1"))},
            "has no up_to_minutes",
            id="last band closed",
        ),
        pytest.param(
            {"leave_percent": without(LeaveType.cuti_besar)},
            "leave_percent lacks cuti_besar",
            id="missing leave type",
        ),
        pytest.param(
            {"leave_percent": {**default_rule_set().leave_percent, "cuti_haji": D(0)}},
            "leave_percent",
            id="unknown leave type",
        ),
        pytest.param(
            {"missing_check_in_band": 5}, "missing_check_in_band", id="check-in band over"
        ),
        pytest.param(
            {"missing_check_out_band": 5}, "missing_check_out_band", id="check-out band over"
        ),
        pytest.param({"missing_check_in_band": 0}, "missing_check_in_band", id="band zero"),
        pytest.param(
            {"missing_check_in_band": 3, "late_bands": bands((30, "0.5"), (None, "2.5"))},
            "missing_check_in_band",
            id="band over a shorter list",
        ),
        pytest.param({"absent_percent": D("100.01")}, "absent_percent", id="TK over 100"),
        pytest.param(
            {"discipline_cap_percent": D(101)}, "discipline_cap_percent", id="cap over 100"
        ),
        pytest.param(
            {"late_bands": bands((30, "100.5"), (None, "2.5"))}, "percent", id="band over 100"
        ),
        pytest.param(
            {"leave_percent": {**default_rule_set().leave_percent, LeaveType.izin: D(-1)}},
            "leave_percent",
            id="negative leave rate",
        ),
        pytest.param(
            {"late_bands": bands((30, "0.125"), (None, "2.5"))},
            "decimal places",
            id="band with 3 decimals",
        ),
        pytest.param(
            {"max_day_percent": D("3.005")}, "max_day_percent", id="day limit with 3 decimals"
        ),
        pytest.param(
            {"late_bands": bands((0, "0.5"), (None, "2.5"))}, "up_to_minutes", id="limit zero"
        ),
        pytest.param({"late_bands": []}, "late_bands", id="no bands"),
        pytest.param({"cltn": "never"}, "cltn", id="unknown CLTN rule"),
        pytest.param({"rounding": "banker"}, "rounding", id="unknown rounding"),
        pytest.param({"surprise": 1}, "surprise", id="unknown field"),
        pytest.param({"name": "  "}, "name", id="blank name"),
    ],
)
def test_inconsistent_rule_sets_are_refused(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        rules_with(**changes)


def test_a_rule_set_needs_every_number() -> None:
    dumped = default_rule_set().model_dump()
    for key in ("absent_percent", "discipline_cap_percent", "cltn", "rounding", "leave_percent"):
        incomplete = {k: v for k, v in dumped.items() if k != key}
        with pytest.raises(ValidationError, match=key):
            RuleSetCreate.model_validate(incomplete)
