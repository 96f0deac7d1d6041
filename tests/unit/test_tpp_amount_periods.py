"""eoffice.org.tpp_amounts: which monthly TPP a month pays, and how a change is recorded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from eoffice import clock
from eoffice.org.models import Employee, Role
from eoffice.org.tpp_amounts import amount_for, default_from, is_change, with_amount

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


def test_a_first_amount_of_a_new_record_is_paid_from_the_start() -> None:
    unset = employee(0).model_copy(update={"created_at": clock.utcnow()})
    assert default_from(unset) is None
    first = with_amount(unset, 2_000_000, default_from(unset))
    assert (first.tpp_amount, periods(first)) == (2_000_000, [])
    assert amount_for(first, "2020-01") == 2_000_000
    assert default_from(first) == clock.today().strftime("%Y-%m")  # a raise: from this month


def test_an_older_record_at_0_keeps_its_paid_months_at_0() -> None:
    """Made before this month: its earlier months may have been reported, at 0."""
    older = employee(0).model_copy(update={"created_at": clock.utcnow() - timedelta(days=62)})
    month = clock.today().strftime("%Y-%m")
    assert default_from(older) == month
    given = with_amount(older, 2_000_000, default_from(older))
    assert periods(given) == [(None, 0), (month, 2_000_000)]


def test_sending_the_amount_shown_again_changes_nothing() -> None:
    later = with_amount(employee(1_000_000), 1_500_000, "2099-12")
    assert later.tpp_amount == 1_500_000
    assert not is_change(later, 1_500_000, None)  # would move the raise to this month
    assert is_change(later, 1_500_000, "2026-11") and is_change(later, 1_400_000, None)
