"""``python -m bench``: measure, print a report, and exit 1 when a target is missed, so CI can run
it like a test. ``--quick`` trades precision for time (fewer start-up repetitions, a smaller
regency for the request benchmark, fewer scans for the intake, fewer assignments and rounds for
the dispositions, fewer check-ins and units read for the attendance, a smaller regency for the
TPP report, a shorter load run, fewer events for the notifications, fewer test cases for the
fuzzer, no Lighthouse for the web app, one round of each operation for the bill)."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from eoffice_local.template import load as load_template

from bench import (
    attendance,
    aws_calls,
    cost,
    dispositions,
    fuzz,
    intake,
    load,
    notifications,
    signing,
    startup,
    tpp,
    webapp,
)

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REPEAT = 7
QUICK_REPEAT = 3
QUICK_EMPLOYEES = 200
QUICK_FILES = 60
QUICK_ASSIGNMENTS = 5000
QUICK_ROUNDS = 10
QUICK_LETTERS = 3
QUICK_DURATION = 15.0


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"{QUICK_REPEAT} start-up runs instead of {DEFAULT_REPEAT}",
    )
    parser.add_argument("--repeat", type=int, help="start-up runs per variant (overrides --quick)")
    parser.add_argument(
        "--only",
        choices=(
            "startup",
            "requests",
            "intake",
            "dispositions",
            "signing",
            "attendance",
            "tpp",
            "load",
            "notifications",
            "fuzz",
            "web",
            "cost",
            "screenshots",
        ),
        help="run one of the twelve benchmarks (or regenerate the web app's screenshots, which only "
        "--only screenshots does)",
    )
    parser.add_argument(
        "--employees",
        type=int,
        help="generated demo employees for the request and dispositions benchmarks (default "
        f"{aws_calls.DEMO_EMPLOYEES}, --quick {QUICK_EMPLOYEES})",
    )
    parser.add_argument(
        "--files",
        type=int,
        help=f"scans for the intake benchmark (default {intake.FILES}, --quick {QUICK_FILES})",
    )
    parser.add_argument(
        "--assignments",
        type=int,
        help="bulk-loaded assignments for the dispositions benchmark (default "
        f"{dispositions.ASSIGNMENTS:,}, --quick {QUICK_ASSIGNMENTS:,})",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        help="measured requests of each kind in the dispositions benchmark (default "
        f"{dispositions.REPEAT}, --quick {QUICK_ROUNDS})",
    )
    parser.add_argument(
        "--checkins",
        type=int,
        help="employees who check in and out in the attendance benchmark (default "
        f"{attendance.CHECKINS}, --quick {attendance.QUICK_CHECKINS})",
    )
    parser.add_argument(
        "--clients",
        type=int,
        default=load.CLIENTS,
        help=f"concurrent clients of the load benchmark (default {load.CLIENTS})",
    )
    parser.add_argument(
        "--duration",
        type=float,
        help=f"seconds of the load benchmark (default {load.DURATION:.0f}, --quick "
        f"{QUICK_DURATION:.0f})",
    )
    return parser.parse_args(argv)


def run_startup(repeat: int) -> list[str]:
    """Print the start-up table; explain a miss with ``-X importtime`` so the fix is obvious."""
    template = load_template(ROOT / "template.yaml")
    report = startup.measure(template, repeat)
    print(report.render())
    failures = report.failures()
    for measured in report.functions:
        if report.problems(measured):
            profile = startup.import_profile(measured.variant)
            print(f"Where {measured.variant.name}'s import time goes (-X importtime, self ms):")
            print("  by package:", _listed(startup.by_package(profile)))
            print("  slowest modules:", _listed(startup.slowest(profile)))
    return failures


def _listed(pairs: list[tuple[str, float]]) -> str:
    return ", ".join(f"{name} {ms:.0f}" for name, ms in pairs)


def run_requests(employees: int) -> list[str]:
    report = aws_calls.measure(employees)
    print(report.render())
    return report.failures()


def run_intake(files: int) -> list[str]:
    report = intake.measure(files)
    print(report.render())
    return report.failures()


def run_dispositions(employees: int, assignments: int, rounds: int, letters: int) -> list[str]:
    report = dispositions.measure(employees, assignments, rounds, letters)
    print(report.render())
    return report.failures()


def run_signing(quick: bool) -> list[str]:
    if quick:
        report = signing.measure(signing.QUICK_ROUNDS, signing.QUICK_SCAN_ROUNDS)
    else:
        report = signing.measure()
    print(report.render())
    return report.failures()


def run_attendance(quick: bool, checkins: int | None) -> list[str]:
    default = attendance.QUICK_CHECKINS if quick else attendance.CHECKINS
    report = attendance.measure(
        checkins or default,
        attendance.QUICK_SLICE_UNITS if quick else attendance.SLICE_UNITS,
        attendance.QUICK_PURE_REPEAT if quick else attendance.PURE_REPEAT,
    )
    print(report.render())
    return report.failures()


def run_tpp(quick: bool) -> list[str]:
    if quick:
        report = tpp.measure(tpp.QUICK_EMPLOYEES, tpp.QUICK_UNITS, tpp.QUICK_UNITS)
    else:
        report = tpp.measure()
    print(report.render())
    return report.failures()


def run_load(clients: int, duration: float) -> list[str]:
    report = load.measure(clients, duration)
    print(report.render())
    return report.failures()


def run_notifications(quick: bool) -> list[str]:
    if quick:
        report = notifications.measure(
            notifications.QUICK_LATENCY_EVENTS, notifications.QUICK_BATCHES
        )
    else:
        report = notifications.measure()
    print(report.render())
    return report.failures()


def run_fuzz(quick: bool) -> list[str]:
    report = fuzz.measure(fuzz.QUICK_BUDGET if quick else fuzz.BUDGET)
    print(report.render())
    return report.failures()


def run_web(quick: bool) -> list[str]:
    report = webapp.measure(with_lighthouse=not quick)
    print(report.render())
    return report.failures()


def run_cost(quick: bool) -> list[str]:
    report = cost.measure(cost.QUICK_ROUNDS if quick else cost.ROUNDS)
    print(report.render())
    return report.failures()


def run_screenshots() -> list[str]:
    from bench import screenshots

    for path in screenshots.take():
        print(path.relative_to(ROOT))
    return []


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    # aws-sam-translator (template loading) warns at exit about CloudWatch metrics it never sends.
    logging.getLogger("samtranslator").setLevel(logging.ERROR)
    repeat = args.repeat or (QUICK_REPEAT if args.quick else DEFAULT_REPEAT)
    started = time.perf_counter()
    failures: list[str] = []
    if args.only in {None, "startup"}:
        failures += run_startup(repeat)
        print()
    if args.only in {None, "requests"}:
        employees = args.employees or (QUICK_EMPLOYEES if args.quick else aws_calls.DEMO_EMPLOYEES)
        failures += run_requests(employees)
        print()
    if args.only in {None, "intake"}:
        failures += run_intake(args.files or (QUICK_FILES if args.quick else intake.FILES))
        print()
    if args.only in {None, "dispositions"}:
        employees = args.employees or (QUICK_EMPLOYEES if args.quick else dispositions.EMPLOYEES)
        failures += run_dispositions(
            employees,
            args.assignments or (QUICK_ASSIGNMENTS if args.quick else dispositions.ASSIGNMENTS),
            args.rounds or (QUICK_ROUNDS if args.quick else dispositions.REPEAT),
            QUICK_LETTERS if args.quick else dispositions.LETTERS,
        )
        print()
    if args.only in {None, "signing"}:
        failures += run_signing(args.quick)
        print()
    if args.only in {None, "attendance"}:
        failures += run_attendance(args.quick, args.checkins)
        print()
    if args.only in {None, "tpp"}:
        failures += run_tpp(args.quick)
        print()
    if args.only in {None, "load"}:
        duration = args.duration or (QUICK_DURATION if args.quick else load.DURATION)
        failures += run_load(args.clients, duration)
        print()
    if args.only in {None, "notifications"}:
        failures += run_notifications(args.quick)
        print()
    if args.only in {None, "fuzz"}:
        failures += run_fuzz(args.quick)
        print()
    if args.only in {None, "web"}:
        failures += run_web(args.quick)
        print()
    if args.only in {None, "cost"}:
        failures += run_cost(args.quick)
        print()
    if args.only == "screenshots":
        failures += run_screenshots()
    elapsed = time.perf_counter() - started
    if failures:
        print(f"FAILED ({elapsed:.0f} s):")
        print("\n".join(f"  - {failure}" for failure in failures))
        return 1
    print(f"All targets met ({elapsed:.0f} s).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
