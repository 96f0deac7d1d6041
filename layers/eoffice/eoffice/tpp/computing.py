"""Computing a month's report data: every employee of the scope's units, unit by unit in code
order (``eoffice.tpp.reading`` reads a unit, ``eoffice.tpp.pay_rules`` computes an employee),
so the whole regency's month never sits in memory at once."""

from __future__ import annotations

import time
from collections.abc import Callable

from eoffice.org import hierarchy
from eoffice.org import store as org_store
from eoffice.org.models import Unit
from eoffice.tpp import pay_rules, penalties, reading
from eoffice.tpp.budget_rules import require_time
from eoffice.tpp.models import EmployeeMonth, ReportData, RuleSetRef, UnitTotals
from eoffice.tpp.report_models import REGENCY
from eoffice.tpp.rule_set_models import RuleSet


def compute_month(
    month: str,
    scope: str,
    rules: RuleSet,
    remaining_ms: Callable[[], int],
    phases: reading.Phases,
    units: list[Unit] | None = None,
) -> ReportData:
    """Every employee of the scope's units, unit by unit in code order. ``units``: the
    organisation when the caller has read it (the run keeps it for the workbook)."""
    started = time.perf_counter()
    units = org_store.list_units() if units is None else units
    in_force = penalties.covering(month)
    phases.add("read", started)
    chosen = _units_of(scope, units)
    context = reading.MonthContext.load(month, units, phases)
    leave = None
    if scope == REGENCY:
        started = time.perf_counter()
        leave = reading.regency_leave(chosen, context.first, context.last)
        phases.add("read", started)
    employees: list[EmployeeMonth] = []
    totals: list[UnitTotals] = []
    for unit in chosen:
        require_time(remaining_ms, f"unit {unit.code}")
        found = []
        for item in reading.unit_months(context, unit, leave):
            started = time.perf_counter()
            found.append(pay_rules.employee_month(item.info, item.days, rules, in_force, month))
            phases.add("compute", started)
        if found:
            employees.extend(found)
            totals.append(_unit_totals(unit, found))
    return ReportData(
        month=month,
        scope=scope,
        rule_set=RuleSetRef(
            name=rules.name, version=rules.version, effective_from=rules.effective_from
        ),
        units=totals,
        employees=employees,
        tpp_total=sum(e.tpp_amount for e in employees),
        deduction_total=sum(e.deduction for e in employees),
        paid_total=sum(e.paid for e in employees),
    )


def _units_of(scope: str, units: list[Unit]) -> list[Unit]:
    if scope == REGENCY:
        chosen = units
    else:
        wanted = hierarchy.descendants(scope, units) | {scope}
        chosen = [unit for unit in units if unit.unit_id in wanted]
    return sorted(chosen, key=lambda unit: (unit.code, unit.unit_id))


def _unit_totals(unit: Unit, employees: list[EmployeeMonth]) -> UnitTotals:
    return UnitTotals(
        unit_id=unit.unit_id,
        code=unit.code,
        name=unit.name,
        employees=len(employees),
        tpp_total=sum(e.tpp_amount for e in employees),
        deduction_total=sum(e.deduction for e in employees),
        paid_total=sum(e.paid for e in employees),
    )
