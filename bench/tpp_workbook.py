"""The TPP workbook's build time and size, one sheet per unit (before ADR 0026) against one sheet
per agency with its sections grouped (after), in the same run on the same data.

``python -m bench.tpp_workbook`` (``--quick``: fewer repetitions). No emulator: the workbook is a
pure function of the report data, the tree and the meta, so the bench builds them in process:
the demo regency's 169 units (``eoffice_local.demo_data``) with its own staffing at the demo's
size (``generate(200)``, about 410 people) and at a real regency's (``generate(5000)``, about
5,200), each employee with a drawn TPP and deduction and every column of the table filled.

**Before** is ``eoffice/tpp/workbook.py`` as of ``BASELINE`` (read with ``git show`` and loaded
as a module of its own); it is called as that commit's report function called it. **After** is
the current ``report_xlsx``. Each is built ``repeat`` times; the median is reported, with the
workbook's size and sheets. The per-unit workbooks (``units/*.xlsx``) are the same code before
and after and are not measured here (``bench.tpp`` measures the whole run's rendering).

Targets: after/before within 1.5x in time and 1.25x in size, and the 5,000-employee workbook's
build scaled for Lambda (1,769 / 1,024 for the function's 1,024 MB, see ``bench.tpp``) within
60 s of the report function's 900.
"""

from __future__ import annotations

import argparse
import io
import random
import subprocess
import sys
import time
import types
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from eoffice.attendance.models import LeaveType
from eoffice.org.models import Unit
from eoffice.tpp.models import EmployeeMonth, ReportData, RuleSetRef, UnitTotals
from eoffice.tpp.workbook import WorkbookMeta, report_xlsx
from eoffice_local import demo_data

from bench.report import median, table, verdict

ROOT = Path(__file__).resolve().parents[1]
BASELINE = "94a6e44"
"""main when the per-agency workbook was started: the last one-sheet-per-unit workbook."""
WORKBOOK = "layers/eoffice/eoffice/tpp/workbook.py"
SIZES = (("demo", 200), ("regency", 5000))
REPEAT, QUICK_REPEAT = 5, 2
LAMBDA_CPU_FACTOR = 1769 / 1024
TIME_RATIO, SIZE_RATIO, LAMBDA_BUDGET_S = 1.5, 1.25, 60.0
AT = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)


def regency(staff: int, seed: int = 7) -> tuple[ReportData, list[Unit]]:
    """The demo organisation with ``staff`` rank-and-file employees, as the report sees it."""
    org = demo_data.generate(staff, seed=seed)
    draw = random.Random(seed)
    units = [
        Unit(
            unit_id=spec.code,
            code=spec.code,
            name=spec.name,
            kind=spec.kind,
            parent_id=spec.parent_code,
            created_at=AT,
            updated_at=AT,
        )
        for spec in org.units
    ]
    by_unit: dict[str, list[EmployeeMonth]] = {}
    for spec in sorted(org.employees, key=lambda e: (e.unit_code, e.nip)):
        by_unit.setdefault(spec.unit_code, []).append(_month(spec.nip, spec, draw))
    names = {spec.code: spec.name for spec in org.units}
    totals = [
        UnitTotals(
            unit_id=code,
            code=code,
            name=names[code],
            employees=len(people),
            tpp_total=sum(e.tpp_amount for e in people),
            deduction_total=sum(e.deduction for e in people),
            paid_total=sum(e.paid for e in people),
        )
        for code, people in sorted(by_unit.items())
    ]
    employees = [e for code in sorted(by_unit) for e in by_unit[code]]
    data = ReportData(
        month="2026-11",
        scope="all",
        rule_set=RuleSetRef(name="Aturan bawaan", version=1, effective_from=date(2021, 1, 1)),
        units=totals,
        employees=employees,
        tpp_total=sum(e.tpp_amount for e in employees),
        deduction_total=sum(e.deduction for e in employees),
        paid_total=sum(e.paid for e in employees),
    )
    return data, units


def _month(nip: str, spec: demo_data.EmployeeSpec, draw: random.Random) -> EmployeeMonth:
    late = {f"TL{n}": draw.choice((0, 0, 0, 1, 2)) for n in range(1, 5)}
    early = {f"PSW{n}": draw.choice((0, 0, 0, 1)) for n in range(1, 5)}
    percent = Decimal(draw.randrange(0, 4000)) / 100
    deduction = spec.tpp_amount * int(percent * 100) // 10_000
    return EmployeeMonth(
        nip=nip,
        name=spec.name,
        unit_id=spec.unit_code,
        position="Analis",
        tpp_amount=spec.tpp_amount,
        working_days=21,
        days_present=21 - draw.choice((0, 0, 1, 2)),
        late_counts=late,
        early_counts=early,
        absent_days=draw.choice((0, 0, 0, 1)),
        leave_days={kind: draw.choice((0, 0, 0, 1)) for kind in LeaveType},
        pending_days=0,
        cltn_days=0,
        day_percent_sum=percent,
        attendance_percent=percent,
        cap_applied=False,
        no_presence=False,
        penalty_percent=Decimal(0),
        total_percent=percent,
        deduction=deduction,
        paid=spec.tpp_amount - deduction,
    )


def baseline_writer() -> Callable[[ReportData, WorkbookMeta], bytes] | None:
    """``report_xlsx`` of ``BASELINE``, or None without git or that commit."""
    try:
        source = subprocess.run(
            ["git", "show", f"{BASELINE}:{WORKBOOK}"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    module = types.ModuleType("bench_tpp_workbook_before")
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(compile(source, f"{BASELINE}:{WORKBOOK}", "exec"), module.__dict__)  # noqa: S102 - ours
    writer: Callable[[ReportData, WorkbookMeta], bytes] = module.report_xlsx
    return writer


@dataclass
class Built:
    seconds: list[float]
    size: int
    sheets: int

    @property
    def median_s(self) -> float:
        return median(self.seconds)


def build(make: Callable[[], bytes], repeat: int) -> Built:
    seconds, body = [], b""
    for _ in range(repeat):
        started = time.perf_counter()
        body = make()
        seconds.append(time.perf_counter() - started)
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        sheets = sum(1 for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
    return Built(seconds, len(body), sheets)


@dataclass
class Measured:
    label: str
    employees: int
    units: int
    before: Built | None
    after: Built

    def time_ratio(self) -> float | None:
        return self.after.median_s / self.before.median_s if self.before else None

    def size_ratio(self) -> float | None:
        return self.after.size / self.before.size if self.before else None


def measure(repeat: int) -> list[Measured]:
    before = baseline_writer()
    meta = WorkbookMeta(computed_at=AT, version=1, signer_name="Andi", signer_nip="1" * 18)
    found = []
    for label, staff in SIZES:
        data, units = regency(staff)
        old = build(lambda: before(data, meta), repeat) if before else None  # noqa: B023
        new = build(lambda: report_xlsx(data, meta, units), repeat)  # noqa: B023
        found.append(Measured(label, len(data.employees), len(data.units), old, new))
    return found


def render(found: list[Measured]) -> tuple[str, list[str]]:
    rows, failures = [], []
    for m in found:
        for name, built in (
            ("before (sheet per unit)", m.before),
            ("after (sheet per OPD)", m.after),
        ):
            if built is None:
                rows.append([m.label, name, "-", "-", "-", "-"])
                continue
            rows.append(
                [
                    f"{m.label}: {m.employees:,} employees, {m.units} units",
                    name,
                    f"{built.median_s:.2f}",
                    f"{min(built.seconds):.2f}-{max(built.seconds):.2f}",
                    f"{built.size / 1024:,.0f}",
                    str(built.sheets),
                ]
            )
    lines = [table(["data", "workbook", "median s", "range s", "KB", "sheets"], rows), ""]
    checks: list[tuple[str, str, str, bool | None]] = []
    for m in found:
        t, s = m.time_ratio(), m.size_ratio()
        if t is not None and s is not None:
            checks.append(
                (f"{m.label}: time after/before", f"{t:.2f}x", f"<= {TIME_RATIO}x", t <= TIME_RATIO)
            )
            checks.append(
                (f"{m.label}: size after/before", f"{s:.2f}x", f"<= {SIZE_RATIO}x", s <= SIZE_RATIO)
            )
        else:
            checks.append((f"{m.label}: before", f"no {BASELINE} (git)", "-", None))
    scaled = found[-1].after.median_s * LAMBDA_CPU_FACTOR
    checks.append(
        (
            f"{found[-1].label}: after x {LAMBDA_CPU_FACTOR:.2f} (Lambda)",
            f"{scaled:.1f} s",
            f"<= {LAMBDA_BUDGET_S:.0f} s",
            scaled <= LAMBDA_BUDGET_S,
        )
    )
    lines.append(
        table(
            ["check", "measured", "target", "result"],
            [[c, v, t, verdict(ok)] for c, v, t, ok in checks],
        )
    )
    failures = [c for c, _, _, ok in checks if ok is False]
    return "\n".join(lines), failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.tpp_workbook", description=__doc__)
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_REPEAT} builds, not {REPEAT}")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    text, failures = render(measure(QUICK_REPEAT if args.quick else REPEAT))
    print(text)
    print(
        f"\n{'All targets met' if not failures else 'Missed: ' + ', '.join(failures)} "
        f"({time.perf_counter() - started:.0f} s)."
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
