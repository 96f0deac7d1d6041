"""The local runner fires the template's schedules as EventBridge Scheduler would: rate ones every
period, cron ones at their fire time in their time zone, with the context attributes filled in."""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from eoffice_local import cli
from eoffice_local.environment import LocalEnvironment
from eoffice_local.events import scheduled_event
from eoffice_local.provision import Stack
from eoffice_local.scheduler import CronRunner, ScheduleRunner, rate_seconds, runners
from eoffice_local.template import ScheduleTrigger

PLACEHOLDERS = (
    '{"action": "tpp-monthly", "scheduled_time": "<aws.scheduler.scheduled-time>",'
    ' "execution": "<aws.scheduler.execution-id>", "attempt": <aws.scheduler.attempt-number>,'
    ' "schedule": "<aws.scheduler.schedule-arn>"}'
)
MONTHLY = ScheduleTrigger(
    function="DeadlinesFunction",
    name="TppMonthly",
    expression="cron(0 1 1 * ? *)",
    timezone="Asia/Makassar",
    input={"action": "tpp-monthly", "scheduled_time": "<aws.scheduler.scheduled-time>"},
    kind="scheduler",
)
STACK = Stack(
    name="eoffice-x",
    region="ap-southeast-3",
    account_id="123456789012",
    endpoint_url="http://127.0.0.1:1",
    parameters={},
    refs={},
    attrs={},
)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.value = now

    def __call__(self) -> datetime:
        return self.value


class Recorder:
    """Stands in for the runtime: keeps the events and says when one came."""

    def __init__(self) -> None:
        self.events: list[tuple[str, Any]] = []
        self.fired = threading.Event()

    def __call__(self, function: str, event: Any) -> Any:
        self.events.append((function, event))
        self.fired.set()
        return {"ok": True}


# --------------------------------------------------------------------------------------- rate


@pytest.mark.parametrize(
    ("expression", "seconds"),
    [
        ("rate(15 minutes)", 900),
        ("rate(1 minute)", 60),
        ("rate(2 hours)", 7200),
        ("rate(1 day)", 86400),
        ("cron(0 1 1 * ? *)", None),
    ],
)
def test_rate_expressions(expression: str, seconds: int | None) -> None:
    assert rate_seconds(expression) == seconds


def test_the_deadline_watch_runs_every_fifteen_minutes(local_env: LocalEnvironment) -> None:
    found = runners(local_env.template.schedules, local_env.stack, local_env.runtime.invoke)
    watch = {r.trigger.name: r for r in found if r.trigger.function == "DeadlinesFunction"}
    assert set(watch) == {"DeadlinesFunctionEveryFifteenMinutes", "DeadlinesFunctionCalendarCheck"}
    every = watch["DeadlinesFunctionEveryFifteenMinutes"]
    assert isinstance(every, ScheduleRunner) and every.period == 900
    assert isinstance(watch["DeadlinesFunctionCalendarCheck"], CronRunner)  # 08:00 WITA daily


def test_a_runner_invokes_its_function_with_the_scheduler_event(
    local_env: LocalEnvironment,
) -> None:
    trigger = local_env.schedule("DeadlinesFunction")
    calls: list[tuple[str, Any]] = []
    fired = threading.Event()

    def invoke(function: str, event: Any) -> Any:
        result = local_env.runtime.invoke(function, event)
        calls.append((function, result))
        fired.set()
        return result

    runner = ScheduleRunner(trigger, local_env.stack, invoke, period=0.2).start()
    try:
        assert fired.wait(10)
    finally:
        runner.stop()
    function, result = calls[0]
    assert function == "DeadlinesFunction"
    assert set(result) == {"reminded", "escalated", "skipped"}


# --------------------------------------------------------------------------------------- cron


def test_a_cron_schedule_fires_at_its_time_in_its_zone_with_that_scheduled_time() -> None:
    clock = Clock(datetime(2026, 11, 28, 12, tzinfo=UTC))
    recorder = Recorder()
    runner = CronRunner(MONTHLY, STACK, recorder, now=clock, poll=0.01).start()
    try:
        assert not recorder.fired.wait(0.3), "fired two days early"
        clock.value = datetime(2026, 11, 30, 16, 59, 59, tzinfo=UTC)  # 00:59:59 WITA
        assert not recorder.fired.wait(0.3), "fired before 01:00 WITA"
        clock.value = datetime(2026, 11, 30, 17, 0, 3, tzinfo=UTC)
        assert recorder.fired.wait(5)
        time.sleep(0.3)  # the next one is a month away: nothing more
    finally:
        runner.stop()
    assert recorder.events == [
        ("DeadlinesFunction", {"action": "tpp-monthly", "scheduled_time": "2026-11-30T17:00:00Z"})
    ]


def test_after_a_run_the_runner_waits_for_the_next_month() -> None:
    clock = Clock(datetime(2026, 11, 30, 17, 0, 1, tzinfo=UTC))
    recorder = Recorder()
    runner = CronRunner(MONTHLY, STACK, recorder, now=clock, poll=0.01).start()
    try:
        time.sleep(0.3)
        assert recorder.events == [], "the start-up time is past this month's run"
        clock.value = datetime(2026, 12, 31, 17, 0, 0, tzinfo=UTC)
        assert recorder.fired.wait(5)
        recorder.fired.clear()
        time.sleep(0.2)  # let the runner pick its next time before the clock jumps
        clock.value = datetime(2027, 2, 5, tzinfo=UTC)  # slept through January's run
        assert recorder.fired.wait(5)
        time.sleep(0.3)
    finally:
        runner.stop()
    times = [event["scheduled_time"] for _, event in recorder.events]
    assert times == ["2026-12-31T17:00:00Z", "2027-01-31T17:00:00Z"]


def test_a_waiting_cron_runner_stops_promptly() -> None:
    runner = CronRunner(MONTHLY, STACK, Recorder()).start()  # real clock, 30 s naps
    started = time.monotonic()
    runner.stop()
    assert time.monotonic() - started < 1
    assert not runner._thread.is_alive()


def test_runners_play_cron_schedules_and_only_log_disabled_or_unplayable_ones(
    caplog: pytest.LogCaptureFixture,
) -> None:
    disabled = dataclasses.replace(MONTHLY, name="Paused", enabled=False)
    last_day = dataclasses.replace(MONTHLY, name="LastDay", expression="cron(0 1 L * ? *)")
    rate = dataclasses.replace(MONTHLY, name="Often", expression="rate(5 minutes)")
    with caplog.at_level(logging.INFO, logger="eoffice.local.scheduler"):
        found = runners([MONTHLY, disabled, last_day, rate], STACK, Recorder())
    assert [(type(r), r.trigger.name) for r in found] == [
        (CronRunner, "TppMonthly"),
        (ScheduleRunner, "Often"),
    ]
    assert "Paused (cron(0 1 1 * ? *)) is disabled" in caplog.text
    assert "LastDay (cron(0 1 L * ? *)) is not fired locally" in caplog.text
    clock = Clock(datetime(2026, 11, 28, 12, tzinfo=UTC))
    (monthly,) = runners([MONTHLY], STACK, Recorder(), now=clock)
    assert monthly.describe() == "cron(0 1 1 * ? *) Asia/Makassar, next 2026-11-30T17:00:00+00:00"


# ------------------------------------------------------------------------------ context attributes


def test_the_context_attributes_are_filled_in_the_input_text() -> None:
    trigger = dataclasses.replace(MONTHLY, input=PLACEHOLDERS)
    at = datetime(2026, 12, 1, 1, 0, tzinfo=timezone(timedelta(hours=8)))
    first = scheduled_event(trigger, STACK, at)
    second = scheduled_event(trigger, STACK, at)
    assert first["scheduled_time"] == "2026-11-30T17:00:00Z"
    assert first["attempt"] == 1  # unquoted in the text: a number once substituted
    assert first["schedule"] == (
        "arn:aws:scheduler:ap-southeast-3:123456789012:schedule/default/eoffice-x-TppMonthly"
    )
    assert str(uuid.UUID(first["execution"])) == first["execution"]
    assert first["execution"] != second["execution"]
    assert first["action"] == "tpp-monthly"


def test_an_input_the_template_decoded_or_built_with_sub_is_filled_in_too() -> None:
    at = datetime(2026, 11, 30, 17, tzinfo=UTC)
    assert scheduled_event(MONTHLY, STACK, at) == {
        "action": "tpp-monthly",
        "scheduled_time": "2026-11-30T17:00:00Z",
    }
    built = {"Fn::Sub": '{"stack": "${AWS::StackName}", "t": "<aws.scheduler.scheduled-time>"}'}
    trigger = dataclasses.replace(MONTHLY, input=built)
    assert scheduled_event(trigger, STACK, at) == {
        "stack": "eoffice-x",
        "t": "2026-11-30T17:00:00Z",
    }


def test_without_a_time_the_scheduled_time_is_now() -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    event = scheduled_event(MONTHLY, STACK)
    after = datetime.now(UTC)
    sent = datetime.strptime(event["scheduled_time"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert before <= sent <= after


def test_a_scheduled_time_needs_a_zone() -> None:
    with pytest.raises(ValueError, match="time zone"):
        scheduled_event(MONTHLY, STACK, datetime(2026, 12, 1, 1))


def test_events_rules_keep_their_envelope_and_get_no_scheduler_attributes() -> None:
    rule = dataclasses.replace(MONTHLY, kind="rule", input=None)
    at = datetime(2026, 11, 30, 17, tzinfo=UTC)
    assert scheduled_event(rule, STACK, at)["time"] == "2026-11-30T17:00:00Z"
    with_input = dataclasses.replace(rule, input={"t": "<aws.scheduler.scheduled-time>"})
    assert scheduled_event(with_input, STACK, at) == {"t": "<aws.scheduler.scheduled-time>"}
    assert scheduled_event(dataclasses.replace(MONTHLY, input=None), STACK, at) == {}


def test_a_provisioned_schedule_reports_the_arn_of_its_name(local_env: LocalEnvironment) -> None:
    trigger = local_env.schedule("SigningFunction")
    with_arn = dataclasses.replace(trigger, input={"arn": "<aws.scheduler.schedule-arn>"})
    event = scheduled_event(with_arn, local_env.stack)
    stack = local_env.stack
    assert event["arn"] == (
        f"arn:aws:scheduler:{stack.region}:{stack.account_id}"
        f":schedule/default/{stack.name}-deliver-signed-letters"
    )


# ------------------------------------------------------------------------------ eoffice invoke --at


def test_invoke_at_reads_an_offset_or_the_schedules_zone(
    local_env: LocalEnvironment, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(local_env, "schedule", lambda function, name=None: MONTHLY)
    args = cli._parser().parse_args(
        ["invoke", "tpp_report", "--schedule", "--at", "2026-12-01T01:00+08:00"]
    )
    event = cli._schedule_event(local_env, args.function, args.schedule or None, args.at)
    assert event["scheduled_time"] == "2026-11-30T17:00:00Z"
    naive = cli._iso_time("2026-12-01T01:00")  # no offset: 01:00 in Asia/Makassar
    assert cli._schedule_event(local_env, "tpp_report", None, naive)["scheduled_time"] == (
        "2026-11-30T17:00:00Z"
    )


def test_invoke_at_needs_a_schedule_and_a_time(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["invoke", "api", "--event", "-", "--at", "2026-12-01T01:00+08:00"]) == 2
    assert "--at goes with --schedule" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["invoke", "api", "--schedule", "--at", "1 December"])
    assert "expected e.g. 2026-12-01T01:00+08:00" in capsys.readouterr().err


def test_a_functions_schedules_keep_the_order_template_yaml_declares(
    local_env: LocalEnvironment,
) -> None:
    """The translator's output order shifts with unrelated edits of the template; a function's
    first schedule (``eoffice invoke --schedule``) is the first of its Events all the same."""
    raw = local_env.template.raw["Resources"]
    for function in {s.function for s in local_env.template.schedules}:
        declared = [
            f"{function}{name}"
            for name, event in raw[function]["Properties"]["Events"].items()
            if event["Type"] in {"Schedule", "ScheduleV2"}
        ]
        found = [s.name for s in local_env.template.schedules if s.function == function]
        assert found == declared, function
    assert local_env.schedule("DeadlinesFunction").name == "DeadlinesFunctionEveryFifteenMinutes"
