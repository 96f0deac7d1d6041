"""eoffice.org.tpp_amounts: which monthly TPP a month pays, and how a change is recorded."""

from __future__ import annotations

from datetime import UTC, datetime

from eoffice.org.models import Employee, Role
from eoffice.org.tpp_amounts import amount_for, default_from, with_amount

NOW = datetime(2026, 11, 28, tzinfo=UTC)


def employee(amount: int) -> Employee:
    return Employee(
        nip="198001012006041001",
        name="Pegawai Uji",
        unit_id="u1",
        position_id=None,
        roles=[Role.staff],
        tpp_amount=amount,
        active=True,
        username="uji",
        email=None,
        created_at=NOW,
        updated_at=NOW,
    )


def periods(e: Employee) -> list[tuple[str | None, int]]:
    return [(p.from_month, p.amount) for p in e.tpp_amounts]


def test_without_a_change_every_month_pays_the_one_amount() -> None:
    plain = employee(2_000_000)
    assert plain.tpp_amounts == []
    assert amount_for(plain, "2020-01") == amount_for(plain, "2030-12") == 2_000_000


def test_a_raise_starts_in_its_month_and_earlier_months_keep_the_old_amount() -> None:
    raised = with_amount(employee(2_000_000), 2_500_000, "2026-11")
    assert periods(raised) == [(None, 2_000_000), ("2026-11", 2_500_000)]
    assert raised.tpp_amount == 2_500_000
    assert amount_for(raised, "2026-10") == 2_000_000
    assert amount_for(raised, "2026-11") == amount_for(raised, "2027-03") == 2_500_000


def test_a_back_dated_change_stops_at_the_next_period() -> None:
    raised = with_amount(employee(2_000_000), 2_500_000, "2026-11")
    back = with_amount(raised, 2_200_000, "2026-08")
    assert periods(back) == [(None, 2_000_000), ("2026-08", 2_200_000), ("2026-11", 2_500_000)]
    assert back.tpp_amount == 2_500_000  # the latest period's
    assert [amount_for(back, m) for m in ("2026-07", "2026-08", "2026-10", "2026-12")] == [
        2_000_000,
        2_200_000,
        2_200_000,
        2_500_000,
    ]


def test_setting_a_month_again_replaces_it_and_periods_that_add_nothing_go() -> None:
    raised = with_amount(employee(2_000_000), 2_500_000, "2026-11")
    again = with_amount(raised, 2_600_000, "2026-11")
    assert periods(again) == [(None, 2_000_000), ("2026-11", 2_600_000)]
    undone = with_amount(again, 2_000_000, "2026-11")
    assert periods(undone) == [] and undone.tpp_amount == 2_000_000
    same = with_amount(employee(2_000_000), 2_000_000, "2026-11")
    assert periods(same) == []


def test_a_first_amount_is_paid_from_the_start_and_a_later_one_from_this_month() -> None:
    unset = employee(0)
    assert default_from(unset) is None
    first = with_amount(unset, 2_000_000, default_from(unset))
    assert (first.tpp_amount, periods(first)) == (2_000_000, [])
    assert amount_for(first, "2020-01") == 2_000_000
    assert default_from(first) is not None  # a month: YYYY-MM
    assert len(default_from(first) or "") == 7
    dropped = with_amount(first, 0, "2026-11")
    assert default_from(dropped) is not None  # 0 after an amount is a decision, not "unset"
