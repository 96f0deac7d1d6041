"""His monthly TPP over time.

A month's TPP report must pay the amount in force in that month, also when it is computed again
after a raise, so an amount is set from a month on (``tpp_amount_from``): earlier months keep
theirs, and a period set for a later month stays. The periods live on the employee's record
(no extra read for a report), and ``tpp_amount`` is the latest period's amount.
"""

from __future__ import annotations

from eoffice import clock
from eoffice.org.models import Employee, TppAmountPeriod


def amount_for(employee: Employee, month: str) -> int:
    """His TPP for ``month`` (YYYY-MM): the latest period begun by then."""
    amount = employee.tpp_amount
    for period in employee.tpp_amounts:
        if period.from_month is None or period.from_month <= month:
            amount = period.amount
    return amount


def default_from(employee: Employee) -> str | None:
    """When a new amount starts if nobody says: the regency's current month; but from the start
    (None) for a record made this month that has never had one (0 and no periods: an amount
    not entered yet, which no report can have paid: a new record's months are reported from
    the next month on)."""
    month = clock.today().strftime("%Y-%m")
    created = employee.created_at.astimezone(clock.regency_tz()).strftime("%Y-%m")
    if not employee.tpp_amounts and employee.tpp_amount == 0 and created == month:
        return None
    return month


def is_change(employee: Employee, amount: int, from_month: str | None) -> bool:
    """Whether setting ``amount`` changes anything: the amount shown (his latest) sent back
    without a month is no change, so a form or a file sent again cannot move a later raise to
    this month."""
    return from_month is not None or amount != employee.tpp_amount


def with_amount(employee: Employee, amount: int, from_month: str | None) -> Employee:
    """``employee`` paid ``amount`` from ``from_month`` until his next period (None: in every
    month, the periods forgotten). The first change keeps his old amount as the period before
    every other; periods that add nothing (the same amount as the one before) are dropped, and
    none are kept when one amount remains."""
    if from_month is None:
        return employee.model_copy(update={"tpp_amount": amount, "tpp_amounts": []})
    periods = employee.tpp_amounts or [TppAmountPeriod(from_month=None, amount=employee.tpp_amount)]
    kept = [p for p in periods if p.from_month != from_month]
    kept.append(TppAmountPeriod(from_month=from_month, amount=amount))
    kept.sort(key=lambda p: p.from_month or "")
    merged = [p for i, p in enumerate(kept) if i == 0 or p.amount != kept[i - 1].amount]
    return employee.model_copy(
        update={
            "tpp_amount": merged[-1].amount,
            "tpp_amounts": merged if len(merged) > 1 else [],
        }
    )


def set_amount(employee: Employee, amount: int, from_month: str | None) -> Employee:
    """``employee`` after someone set ``amount`` (from ``from_month``, else the default one):
    the one rule for a form and a file alike."""
    if not is_change(employee, amount, from_month):
        return employee
    return with_amount(employee, amount, from_month or default_from(employee))
