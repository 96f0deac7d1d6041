"""Which version of the TPP rule set a month uses (``eoffice.tpp.rule_sets.effective_on``): the one
effective on its first day, the latest published of a day."""

from __future__ import annotations

from datetime import UTC, date, datetime

from eoffice.tpp.defaults import default_rule_set
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
