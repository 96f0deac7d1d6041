"""EventBridge Scheduler's cron and at expressions, evaluated in the schedule's time zone."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from eoffice_local.cron import at, next_fire, parse
from eoffice_local.template import load

TPP = "cron(0 1 1 * ? *)"
WITA = "Asia/Makassar"


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def test_the_monthly_tpp_run_is_01_00_wita_on_the_first_which_is_the_day_before_in_utc() -> None:
    first = next_fire(TPP, utc(2026, 11, 28, 12), WITA)
    assert first == utc(2026, 11, 30, 17)
    assert first is not None and first.tzinfo == UTC
    assert next_fire(TPP, first, WITA) == utc(2026, 12, 31, 17)


def test_the_fire_time_itself_is_not_after_itself() -> None:
    assert next_fire(TPP, utc(2026, 11, 30, 17), WITA) == utc(2026, 12, 31, 17)
    assert next_fire(TPP, utc(2026, 11, 30, 16, 59, 59), WITA) == utc(2026, 11, 30, 17)


def test_without_a_time_zone_the_schedule_runs_in_utc() -> None:
    assert next_fire(TPP, utc(2026, 11, 28, 12), None) == utc(2026, 12, 1, 1)
    assert next_fire(TPP, utc(2026, 11, 28, 12)) == utc(2026, 12, 1, 1)


@pytest.mark.parametrize("weekdays", ["MON-FRI", "2-6", "MON,TUE,WED,THU,FRI", "mon-fri"])
def test_working_days_skip_the_weekend(weekdays: str) -> None:
    # Friday 2026-11-27 09:00 WITA has passed; Saturday and Sunday do not count.
    expression = f"cron(0 8 ? * {weekdays} *)"
    assert next_fire(expression, utc(2026, 11, 27, 1), WITA) == utc(2026, 11, 30, 0)


def test_day_of_week_one_is_sunday_as_in_aws() -> None:
    assert next_fire("cron(0 0 ? * 1 *)", utc(2026, 11, 25), None) == utc(2026, 11, 29)
    assert next_fire("cron(0 0 ? * SAT *)", utc(2026, 11, 25), None) == utc(2026, 11, 28)
    assert next_fire("cron(0 0 ? * 7 *)", utc(2026, 11, 25), None) == utc(2026, 11, 28)


def test_steps_lists_and_ranges() -> None:
    assert next_fire("cron(0/15 * * * ? *)", utc(2026, 1, 1, 10, 16), None) == utc(
        2026, 1, 1, 10, 30
    )
    assert next_fire("cron(*/20 * * * ? *)", utc(2026, 1, 1, 10, 41), None) == utc(2026, 1, 1, 11)
    assert next_fire("cron(5/20 9-10 * * ? *)", utc(2026, 1, 1, 10, 46), None) == utc(
        2026, 1, 2, 9, 5
    )
    assert next_fire("cron(0 6,18 * * ? *)", utc(2026, 1, 1, 7), None) == utc(2026, 1, 1, 18)
    assert parse("cron(0 0 1 JAN-MAR/2,JUL ? *)").months == (1, 3, 7)


def test_month_names_and_month_ends() -> None:
    assert next_fire("cron(0 0 31 * ? *)", utc(2026, 1, 31, 1), None) == utc(2026, 3, 31)
    assert next_fire("cron(0 0 1 JUL,AUG ? *)", utc(2026, 11, 28), None) == utc(2027, 7, 1)
    assert next_fire("cron(0 0 29 FEB ? *)", utc(2026, 1, 1), None) == utc(2028, 2, 29)


def test_a_year_field_limits_the_schedule_and_ends_it() -> None:
    assert next_fire("cron(0 0 1 1 ? 2030)", utc(2026, 11, 28), None) == utc(2030, 1, 1)
    assert next_fire("cron(0 0 1 1 ? 2030)", utc(2030, 1, 1), None) is None
    assert next_fire("cron(0 0 1 1 ? 2027-2029)", utc(2028, 6, 1), None) == utc(2029, 1, 1)
    assert next_fire("cron(0 0 30 2 ? *)", utc(2026, 1, 1), None) is None


def test_a_skipped_local_time_does_not_fire_and_a_repeated_one_fires_once() -> None:
    # New York: 2026-03-08 02:00 -> 03:00 (02:30 does not exist); 2026-11-01 02:00 -> 01:00.
    york = "America/New_York"
    assert next_fire("cron(30 2 * * ? *)", utc(2026, 3, 8), york) == utc(2026, 3, 9, 6, 30)
    first = next_fire("cron(30 1 * * ? *)", utc(2026, 11, 1), york)
    assert first == utc(2026, 11, 1, 5, 30)  # 01:30 EDT
    assert next_fire("cron(30 1 * * ? *)", first, york) == utc(2026, 11, 2, 6, 30)


def test_a_one_time_schedule() -> None:
    once = "at(2026-12-01T01:00:00)"
    assert at(once, WITA) == utc(2026, 11, 30, 17)
    assert next_fire(once, utc(2026, 11, 1), WITA) == utc(2026, 11, 30, 17)
    assert next_fire(once, utc(2026, 11, 30, 17), WITA) is None
    with pytest.raises(ValueError, match="at\\(yyyy-mm-ddThh:mm:ss\\)"):
        at("at(2026-12-01)")


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("cron(0 1 L * ? *)", "day-of-month 'L': 'L' is not supported"),
        ("cron(0 1 15W * ? *)", "day-of-month '15W': 'W' is not supported"),
        ("cron(0 1 ? * 6L *)", "day-of-week '6L': 'L' is not supported"),
        ("cron(0 1 ? * 6#3 *)", "day-of-week '6#3': '#' is not supported"),
        ("cron(0 1 1 * 2 *)", "'\\?' goes in exactly one"),
        ("cron(0 1 ? * ? *)", "'\\?' goes in exactly one"),
        ("cron(? 1 1 * ? *)", "minute '\\?': only a day field"),
        ("cron(0 1 1 * ?)", "6 fields, not 5"),
        ("cron(60 1 1 * ? *)", "minute 60: outside 0-59"),
        ("cron(0 24 1 * ? *)", "hour 24: outside 0-23"),
        ("cron(0 1 ? * 8 *)", "day-of-week 8: outside 1-7"),
        ("cron(0 1 1 13 ? *)", "month 13: outside 1-12"),
        ("cron(0 1 1 FOO ? *)", "month 'FOO': not a number"),
        ("cron(0 1 ? * FRI-MON *)", "day-of-week 'FRI-MON': the range runs backwards"),
        ("cron(0/0 1 1 * ? *)", "minute '0/0': the step must be at least 1"),
        ("cron(0 1 1 * ? 1969)", "year 1969: outside 1970-2199"),
    ],
)
def test_expressions_the_runner_cannot_play_are_refused_by_name(
    expression: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        next_fire(expression, utc(2026, 1, 1), None)


def test_the_instant_must_be_aware() -> None:
    with pytest.raises(ValueError, match="aware"):
        next_fire(TPP, datetime(2026, 11, 28, 12), WITA)


def test_a_functions_first_schedule_is_the_first_the_template_declares(tmp_path: Path) -> None:
    """SAM's transform lists generated schedules in an order of its own, which changed when
    unrelated resources were added; ``--schedule`` without a name means the first declared."""
    (tmp_path / "fn").mkdir()
    (tmp_path / "fn" / "app.py").write_text("def handler(event, context):\n    return event\n")
    events = {
        name: {"Type": "ScheduleV2", "Properties": {"ScheduleExpression": "rate(1 hour)"}}
        for name in ("Zeta", "Alpha", "Mid")
    }
    template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Transform": "AWS::Serverless-2016-10-31",
        "Resources": {
            "Fn": {
                "Type": "AWS::Serverless::Function",
                "Properties": {
                    "CodeUri": "fn/",
                    "Handler": "app.handler",
                    "Runtime": "python3.12",
                    "Events": events,
                },
            }
        },
    }
    path = tmp_path / "template.yaml"
    path.write_text(yaml.safe_dump(template, sort_keys=False))
    names = [trigger.name for trigger in load(path).schedules]
    assert names == ["FnZeta", "FnAlpha", "FnMid"]
