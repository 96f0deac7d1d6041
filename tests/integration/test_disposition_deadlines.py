"""Disposition deadlines through the local runner: the default deadline counted on the stored
calendar, and the scheduled deadline function (reminder, overdue mark, escalation) invoked as its
EventBridge Scheduler schedule would.

The deadline function handles every due assignment of the stack, so each test asserts on its own
assignments (fresh recipients, by id), never on the function's counts. Deadlines are a few seconds
ahead; the tests wait for them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from eoffice import clock
from eoffice.attendance.schedules import regency_working_calendar
from eoffice.clock import regency_tz
from eoffice.dispositions import deadline_rules
from eoffice.dispositions import store as dispositions_store
from eoffice.letters.models import Urgensi
from eoffice_local.environment import LocalEnvironment
from eoffice_local.events import scheduled_event
from eoffice_local.gateway import Server
from support.api import Api, Intake
from support.dispositions import assignment_path, dispose
from support.events import EventTap
from support.letters import registered_letter
from support.organisation import NIP, new_employee

SENDER = "kadis.kominfo"
WATCH_EVENTS = ("DeadlineReminder", "AssignmentOverdue", "DeadlineEscalated")


# ---------------------------------------------------------------- helpers
def run_deadlines(
    api: Api, at: datetime | None = None, schedule: str | None = None
) -> dict[str, Any]:
    """One run of DeadlinesFunction with the event its schedule sends (as scheduled ``at``)."""
    env = api.env
    event = scheduled_event(env.schedule("DeadlinesFunction", schedule), env.stack, at)
    result: dict[str, Any] = env.runtime.invoke("DeadlinesFunction", event)
    return result


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def wait_until(moment: datetime, margin: float = 1.2) -> None:
    """Sleep until ``moment`` has passed for a run: a run works as of its scheduled time, which
    Scheduler gives in whole seconds (so up to a second before the clock)."""
    delay = (moment - datetime.now(UTC)).total_seconds() + margin
    if delay > 0:
        time.sleep(delay)


def current(api: Api, assignment: dict[str, Any]) -> dict[str, Any]:
    """The assignment as stored, read by its sender from the letter's tree (which, unlike the
    recipient opening it, changes nothing)."""
    tree = api.get(f"/letters/{assignment['letter_id']}/dispositions", user=SENDER)
    assert tree.status == 200, tree.body
    stack = list(tree.json["roots"])
    while stack:
        node = stack.pop()
        if node["assignment"]["assignment_id"] == assignment["assignment_id"]:
            return node["assignment"]  # type: ignore[no-any-return]
        stack.extend(node["children"])
    raise AssertionError(f"{assignment['assignment_id']} is not in its letter's tree")


def history(api: Api, letter_id: str) -> list[dict[str, Any]]:
    answer = api.get(f"/letters/{letter_id}/history", user="tu.kominfo")
    assert answer.status == 200, answer.body
    return answer.json  # type: ignore[no-any-return]


def overdue_entries(api: Api, assignment: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        entry
        for entry in history(api, assignment["letter_id"])
        if entry["action"] == "assignment_overdue"
        and entry["details"]["assignment_id"] == assignment["assignment_id"]
    ]


def events_about(seen: list[dict[str, Any]], assignment_id: str) -> dict[str, list[Any]]:
    """The deadline function's events about one assignment, by type."""
    return {
        kind: [
            event["detail"]
            for event in seen
            if event["detail-type"] == kind
            and event["detail"].get("assignment_id") == assignment_id
        ]
        for kind in WATCH_EVENTS
    }


def watch_events(tap: EventTap, assignment_id: str) -> dict[str, list[Any]]:
    return events_about(tap.drain(), assignment_id)


def fresh_recipient(api: Api) -> dict[str, Any]:
    """A new staff member of the sender's own unit: his inbox holds only this test's work."""
    unit_id = api.get("/me", user=SENDER).json["unit"]["unit_id"]
    return new_employee(api, unit_id)


def superior_of_sender(api: Api) -> str:
    """The head of the unit above the sender's (DISKOMINFO-SP hangs from the regency: the
    bupati), found through the org API."""
    unit = api.get("/me", user=SENDER).json["unit"]
    parent_id = api.get(f"/units/{unit['unit_id']}", user=SENDER).json["parent_id"]
    assert parent_id, unit
    bupati = api.get("/me", user="bupati").json
    assert bupati["unit"]["unit_id"] == parent_id
    assert bupati["employee"]["nip"] == NIP["bupati"]
    return NIP["bupati"]


def dispose_due_in(
    api: Api, letter: dict[str, Any], seconds: float, *recipients: str, **fields: Any
) -> dict[str, Any]:
    """``SENDER`` disposes ``letter`` with a deadline ``seconds`` ahead (ISO, with its zone)."""
    deadline = (datetime.now(UTC) + timedelta(seconds=seconds)).astimezone(regency_tz())
    return dispose(
        api, SENDER, letter["letter_id"], *recipients, deadline=deadline.isoformat(), **fields
    )


# ---------------------------------------------------------------- the default deadline
@pytest.mark.parametrize("urgensi", ["amat_segera", "segera", "biasa"])
def test_the_default_deadline_is_counted_on_the_stored_calendar(
    api: Api, intake: Intake, urgensi: str
) -> None:
    letter = registered_letter(api, intake, urgensi=urgensi)
    assert letter["urgensi"] == urgensi
    (assignment,) = dispose(api, SENDER, letter["letter_id"], "staf.kominfo")["assignments"]
    sent = at(assignment["created_at"])
    settings = dispositions_store.get_settings()
    year = sent.astimezone(regency_tz()).year
    calendar = regency_working_calendar(year, year + 1)
    expected = deadline_rules.default_deadline(sent, Urgensi(urgensi), settings, calendar)
    assert at(assignment["deadline"]) == expected
    # It ends when the regency's working hours of that day end.
    assert at(assignment["deadline"]) == calendar.end_of(expected.date())
    assert at(assignment["remind_at"]) == deadline_rules.reminder_time(sent, expected, settings)
    disposed = [e for e in history(api, letter["letter_id"]) if e["action"] == "disposed"]
    assert at(disposed[-1]["details"]["deadline"]) == expected


def dispose_at(
    api: Api, intake: Intake, monkeypatch: pytest.MonkeyPatch, moment: datetime, urgensi: str
) -> dict[str, Any]:
    """``SENDER`` disposes a fresh letter of ``urgensi`` to staf.kominfo as if at ``moment``."""
    letter = registered_letter(api, intake, urgensi=urgensi)
    with monkeypatch.context() as patched:
        patched.setattr(clock, "utcnow", lambda: moment.astimezone(UTC))
        return dispose(api, SENDER, letter["letter_id"], "staf.kominfo")


@pytest.mark.parametrize(
    ("urgensi", "due"),
    [
        ("biasa", "2026-12-21T08:00:00Z"),  # Monday a week later, 16:00 WITA
        ("amat_segera", "2026-12-15T08:00:00Z"),  # Tuesday, 16:00 WITA
    ],
)
def test_a_disposition_at_night_is_due_at_the_end_of_a_working_day(
    api: Api, intake: Intake, monkeypatch: pytest.MonkeyPatch, urgensi: str, due: str
) -> None:
    """Disposed on Monday 14 December at 02:54 WITA: due when a working day's hours end, not
    at 02:54 (the regency's schedule: Monday to Thursday until 16:00)."""
    night = datetime(2026, 12, 14, 2, 54, tzinfo=regency_tz())
    answer = dispose_at(api, intake, monkeypatch, night, urgensi)
    (assignment,) = answer["assignments"]
    assert assignment["deadline"] == due
    assert assignment["deadline_provisional"] is False
    assert answer["notices"] == []


def test_a_deadline_in_a_year_nobody_entered_is_provisional(
    api: Api, intake: Intake, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Bupati disposes on 30 December 2026 with five working days: they run into 2027, whose
    calendar nobody entered. The deadline counts weekends only and says so."""
    assert api.get("/calendar/2027", user=SENDER).json["configured"] is False
    december = datetime(2026, 12, 30, 10, tzinfo=regency_tz())
    answer = dispose_at(api, intake, monkeypatch, december, "biasa")
    (assignment,) = answer["assignments"]
    # 30 and 31 December, 1, 4 and 5 January (1 January unknown: counted), then Wednesday.
    assert assignment["deadline"] == "2027-01-06T08:00:00Z"
    assert assignment["deadline_provisional"] is True
    (notice,) = answer["notices"]
    assert (notice["code"], notice["year"]) == ("calendar_not_configured", 2027)
    assert "Kalender kerja tahun 2027 belum diisi" in notice["message"]
    # Within 2026, whose calendar is entered: nothing to say.
    answer = dispose_at(api, intake, monkeypatch, december, "amat_segera")
    assert answer["assignments"][0]["deadline"] == "2026-12-31T08:00:00Z"
    assert answer["assignments"][0]["deadline_provisional"] is False
    assert answer["notices"] == []


def test_a_forward_keeps_within_the_deadline_it_was_given(api: Api, intake: Intake) -> None:
    letter = registered_letter(api, intake, urgensi="biasa")
    lid = letter["letter_id"]
    due = (datetime.now(UTC) + timedelta(hours=2)).replace(microsecond=0)
    (first,) = dispose(api, "tu.kominfo", lid, SENDER, deadline=due.isoformat())["assignments"]
    assert at(first["deadline"]) == due
    later = (due + timedelta(minutes=1)).isoformat()
    problem = dispose(api, SENDER, lid, "staf.kominfo", expect=422, deadline=later)
    assert problem["code"] == "deadline_after_parent"
    # Without one asked, five working days would be later: the forward is due with its parent.
    (second,) = dispose(api, SENDER, lid, "staf.kominfo")["assignments"]
    assert second["parent_assignment_id"] == first["assignment_id"]
    assert at(second["deadline"]) == due


def test_an_unusable_deadline_is_refused(api: Api, intake: Intake) -> None:
    letter = registered_letter(api, intake)
    just_now = (datetime.now(UTC) - timedelta(seconds=1)).isoformat()
    for deadline, code in [
        ("2020-01-01T10:00:00+08:00", "deadline_in_past"),
        (just_now, "deadline_in_past"),
        ("2099-01-01T10:00:00", "validation_failed"),  # no time zone
        ("besok pagi", "validation_failed"),
    ]:
        problem = dispose(
            api, SENDER, letter["letter_id"], "staf.kominfo", expect=422, deadline=deadline
        )
        assert problem["code"] == code, deadline
    assert api.get(f"/letters/{letter['letter_id']}/dispositions", user=SENDER).json["count"] == 0


# ---------------------------------------------------------------- the deadline function
def test_an_action_early_in_a_wita_month_is_due_on_time(api: Api, intake: Intake) -> None:
    """The first eight hours of a month in WITA are still the previous month in UTC (midnight
    WITA is the "end of Monday" of a default deadline): the watch must find such a reminder or
    deadline when it comes, not when the UTC month turns. Read only: no run at a made-up time."""
    wita = regency_tz()
    later = datetime.now(wita) + timedelta(days=12)
    year, month = (later.year + 1, 1) if later.month == 12 else (later.year, later.month + 1)
    remind_at = datetime(year, month, 1, 0, 30, tzinfo=wita)
    lead = timedelta(hours=dispositions_store.get_settings().reminder_hours_before)
    letter = registered_letter(api, intake)
    deadline = (remind_at + lead).isoformat()
    (mine,) = dispose(api, SENDER, letter["letter_id"], "staf.kominfo", deadline=deadline)[
        "assignments"
    ]
    assert at(mine["remind_at"]) == remind_at

    def due(now: datetime) -> set[str]:
        return {a.assignment_id for a, _ in dispositions_store.due_for_action(now)}

    assert mine["assignment_id"] not in due(remind_at - timedelta(minutes=1))
    assert mine["assignment_id"] in due(remind_at + timedelta(minutes=1))
    # The same month rule for the escalation at a deadline at midnight WITA.
    midnight = datetime(year, month, 1, tzinfo=wita)
    before = midnight - timedelta(microseconds=1)
    assert dispositions_store.watch_partition(midnight) == f"WATCH#{before:%Y-%m}"


def test_the_schedule_is_an_eventbridge_scheduler_rate(api: Api) -> None:
    trigger = api.env.schedule("DeadlinesFunction")
    assert trigger.kind == "scheduler"
    assert trigger.expression == "rate(15 minutes)"
    # The scheduled time reaches the function, as Scheduler fills it in.
    when = datetime(2026, 12, 7, 1, 30, tzinfo=UTC)
    assert scheduled_event(trigger, api.env.stack, when) == {
        "action": "disposition-deadlines",
        "scheduled_time": "2026-12-07T01:30:00Z",
    }
    result = run_deadlines(api)
    assert set(result) == {"reminded", "escalated", "skipped"}
    assert all(isinstance(count, int) and count >= 0 for count in result.values())


def test_reminder_then_overdue_and_escalation(api: Api, intake: Intake) -> None:
    tap = EventTap(api)
    superior = superior_of_sender(api)
    recipient = fresh_recipient(api)
    letter = registered_letter(api, intake, urgensi="segera")
    (mine,) = dispose_due_in(api, letter, 10, recipient["nip"])["assignments"]
    aid = mine["assignment_id"]
    sent, deadline, remind_at = (
        at(mine["created_at"]),
        at(mine["deadline"]),
        at(mine["remind_at"]),
    )
    assert remind_at == deadline - (deadline - sent) / 2  # halfway: less than 24 h allowed

    # Before the reminder time: nothing for it.
    margin = timedelta(milliseconds=500)
    assert datetime.now(UTC) < remind_at - margin, "the disposition took too long to send"
    run_deadlines(api)
    stored = current(api, mine)
    assert stored["reminded_at"] is None and stored["overdue"] is False

    # After it: one reminder, to the recipient.
    wait_until(remind_at)
    run_deadlines(api)
    stored = current(api, mine)
    assert stored["reminded_at"] and at(stored["reminded_at"]) >= remind_at
    assert stored["overdue"] is False and stored["status"] == "sent"
    assert datetime.now(UTC) < deadline - margin, "the reminder run took too long"
    run_deadlines(api)  # again before the deadline: no second reminder
    seen = watch_events(tap, aid)
    (reminder,) = seen["DeadlineReminder"]
    assert reminder["notify"] == [recipient["nip"]]
    assert reminder["event_id"] == f"{aid}:reminder"
    assert reminder["recipient_nip"] == recipient["nip"]
    assert reminder["sender_nip"] == NIP[SENDER]
    assert reminder["letter_id"] == letter["letter_id"]
    assert reminder["urgensi"] == "segera"
    assert at(reminder["deadline"]) == deadline
    assert seen["AssignmentOverdue"] == [] and seen["DeadlineEscalated"] == []

    # After the deadline: overdue, in the letter's history, escalated to sender and superior.
    wait_until(deadline)
    run_deadlines(api)
    stored = current(api, mine)
    assert stored["overdue"] is True
    assert at(stored["overdue_at"]) >= deadline
    assert stored["status"] == "sent"  # still open: the recipient may still act
    (entry,) = overdue_entries(api, mine)
    assert entry["actor_nip"] is None
    assert entry["details"]["recipient_nip"] == recipient["nip"]
    assert entry["details"]["escalated_to"] == [NIP[SENDER], superior]
    seen = watch_events(tap, aid)
    (overdue,) = seen["AssignmentOverdue"]
    assert overdue["event_id"] == f"{aid}:overdue"
    assert overdue["recipient_nip"] == recipient["nip"]
    (escalated,) = seen["DeadlineEscalated"]
    assert escalated["notify"] == [NIP[SENDER], superior]
    assert escalated["superior_nip"] == superior
    assert escalated["event_id"] == f"{aid}:escalation"
    assert len(seen["DeadlineReminder"]) == 1

    # Running again changes nothing for it.
    run_deadlines(api)
    assert {kind: len(found) for kind, found in watch_events(tap, aid).items()} == {
        "DeadlineReminder": 1,
        "AssignmentOverdue": 1,
        "DeadlineEscalated": 1,
    }
    assert len(overdue_entries(api, mine)) == 1
    assert current(api, mine) == stored

    # The recipient sees it overdue in his inbox and badge.
    user = recipient["username"]
    listed = api.get("/me/inbox?overdue=true", user=user)
    assert listed.status == 200, listed.body
    assert [a["assignment_id"] for a in listed.json["items"]] == [aid]
    assert listed.json["items"][0]["overdue"] is True
    by_deadline = api.get("/me/inbox?sort=deadline", user=user).json["items"]
    assert [a["assignment_id"] for a in by_deadline] == [aid]
    summary = api.get("/me/inbox/summary", user=user).json
    assert summary == {"unread": 1, "in_progress": 0, "overdue": 1, "open": 1}

    # Done late: it leaves the overdue list and the badge, and keeps its overdue mark.
    done = api.post(assignment_path(mine) + "/complete", user=user, json_body={"report": "Telat"})
    assert done.status == 200, done.body
    assert done.json["status"] == "done" and done.json["overdue"] is True
    assert api.get("/me/inbox?overdue=true", user=user).json["items"] == []
    summary = api.get("/me/inbox/summary", user=user).json
    assert summary == {"unread": 0, "in_progress": 0, "overdue": 0, "open": 0}
    run_deadlines(api)
    assert len(watch_events(tap, aid)["DeadlineEscalated"]) == 1


def test_closed_assignments_and_tembusan_are_never_escalated(api: Api, intake: Intake) -> None:
    tap = EventTap(api)
    done_by, returned_by, cancelled_for, still_open, copied = (
        fresh_recipient(api) for _ in range(5)
    )
    letter = registered_letter(api, intake, urgensi="amat_segera")
    disposed = dispose_due_in(
        api,
        letter,
        4,
        done_by["nip"],
        returned_by["nip"],
        cancelled_for["nip"],
        still_open["nip"],
        tembusan=[{"nip": copied["nip"]}],
    )
    by_recipient = {a["recipient_nip"]: a for a in disposed["assignments"]}
    assert by_recipient[copied["nip"]]["kind"] == "tembusan"
    assert by_recipient[copied["nip"]]["deadline"] is None

    def act(who: dict[str, Any], step: str, user: str, body: Any = None) -> None:
        answer = api.post(
            assignment_path(by_recipient[who["nip"]]) + f"/{step}", user=user, json_body=body
        )
        assert answer.status == 200, answer.body

    act(done_by, "complete", done_by["username"], {"report": "Sudah ditindaklanjuti"})
    act(returned_by, "return", returned_by["username"], {"reason": "Bukan tugas bidang kami"})
    act(cancelled_for, "cancel", SENDER)
    deadline = at(by_recipient[still_open["nip"]]["deadline"])
    wait_until(deadline)
    for _ in range(2):  # one action per run: the reminder is due first, then the escalation
        run_deadlines(api)
    assert current(api, by_recipient[still_open["nip"]])["overdue"] is True

    seen = tap.drain()
    for who, status in [
        (done_by, "done"),
        (returned_by, "returned"),
        (cancelled_for, "cancelled"),
        (copied, "sent"),
    ]:
        assignment = by_recipient[who["nip"]]
        stored = current(api, assignment)
        assert stored["status"] == status
        assert stored["overdue"] is False, who
        assert stored["reminded_at"] is None and stored["overdue_at"] is None
        assert overdue_entries(api, assignment) == []
        assert all(
            found == [] for found in events_about(seen, assignment["assignment_id"]).values()
        )
        assert api.get("/me/inbox?overdue=true", user=who["username"]).json["items"] == []
        assert api.get("/me/inbox/summary", user=who["username"]).json["overdue"] == 0
    open_one = by_recipient[still_open["nip"]]["assignment_id"]
    assert len(events_about(seen, open_one)["DeadlineEscalated"]) == 1


# ---------------------------------------------------------------- the operator's command
@pytest.fixture(scope="module")
def running(local_env: LocalEnvironment, server: Server) -> LocalEnvironment:
    local_env.save_state(server.url)
    return local_env


def invoke_deadlines(running: LocalEnvironment, *options: str) -> dict[str, Any]:
    """``eoffice invoke DeadlinesFunction --schedule [options]``, as an operator types it."""
    result = subprocess.run(
        [
            *(sys.executable, "-m", "eoffice_local.cli", "invoke", "DeadlinesFunction"),
            *("--schedule", *options),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "EOFFICE_STATE_DIR": str(running.state_dir)},
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_the_cli_runs_the_schedule(api: Api, intake: Intake, running: LocalEnvironment) -> None:
    recipient = fresh_recipient(api)
    letter = registered_letter(api, intake)
    (mine,) = dispose_due_in(api, letter, 2, recipient["nip"])["assignments"]
    wait_until(at(mine["deadline"]))
    counts = invoke_deadlines(running)
    assert set(counts) == {"reminded", "escalated", "skipped"}
    assert counts["reminded"] + counts["escalated"] >= 1
    stored = current(api, mine)
    assert stored["reminded_at"] is not None or stored["overdue"] is True


def test_a_run_is_computed_as_of_its_scheduled_time(
    api: Api, intake: Intake, running: LocalEnvironment
) -> None:
    """``eoffice invoke DeadlinesFunction --schedule --at T`` replays the run of time T: the
    reminder and the overdue mark of a deadline an hour ahead are made now, dated T."""
    recipient = fresh_recipient(api)
    letter = registered_letter(api, intake)
    (mine,) = dispose_due_in(api, letter, 3600, recipient["nip"])["assignments"]
    remind_at, deadline = at(mine["remind_at"]), at(mine["deadline"])

    reminded_at = (remind_at + timedelta(minutes=1)).replace(microsecond=0)
    assert (
        invoke_deadlines(running, "--at", reminded_at.astimezone(regency_tz()).isoformat())[
            "reminded"
        ]
        >= 1
    )
    stored = current(api, mine)
    assert at(stored["reminded_at"]) == reminded_at and stored["overdue"] is False
    overdue_at = (deadline + timedelta(minutes=1)).replace(microsecond=0)
    assert invoke_deadlines(running, "--at", overdue_at.isoformat())["escalated"] >= 1
    stored = current(api, mine)
    assert stored["overdue"] is True and at(stored["overdue_at"]) == overdue_at
    assert datetime.now(UTC) < deadline  # all of it before the deadline really came


# ---------------------------------------------------------------- the calendar check
def test_admins_are_warned_before_a_year_without_a_calendar_starts(api: Api) -> None:
    """Every morning the deadline function checks this year's calendar and, from 1 December,
    the next one's: a year nobody entered is published for admins and hr (and counted in the
    metric whose alarm mails the operators)."""
    tap = EventTap(api, source="eoffice.calendar")
    trigger = api.env.schedule("DeadlinesFunction", "DeadlinesFunctionCalendarCheck")
    assert (trigger.expression, trigger.timezone) == ("cron(0 8 * * ? *)", "Asia/Makassar")

    def check(moment: datetime) -> list[int]:
        result = run_deadlines(api, moment, "DeadlinesFunctionCalendarCheck")
        return result["missing_years"]  # type: ignore[no-any-return]

    wita = regency_tz()
    # 2026 is entered (the demo); 2027 is not, and is due from 1 December 2026.
    assert check(datetime(2026, 11, 30, 8, tzinfo=wita)) == []
    assert check(datetime(2026, 12, 1, 8, tzinfo=wita)) == [2027]
    # Far years no test enters: both due in December, one once the other is entered.
    assert check(datetime(2098, 12, 1, 8, tzinfo=wita)) == [2098, 2099]
    put = {"days_off": [{"on": "2099-01-01", "name": "Tahun Baru 2099 Masehi"}]}
    assert api.call("PUT", "/calendar/2099", user="admin", json_body=put).status == 200
    assert check(datetime(2098, 12, 2, 8, tzinfo=wita)) == [2098]

    warnings = tap.of("CalendarNotConfigured")
    assert [(w["year"], w["checked_on"]) for w in warnings] == [
        (2027, "2026-12-01"),
        (2098, "2098-12-01"),
        (2099, "2098-12-01"),
        (2098, "2098-12-02"),
    ]
    first = warnings[0]
    assert first["event_id"] == "calendar:2027:missing:2026-12-01"
    assert first["notify_roles"] == ["admin", "hr"]
    assert "Kalender kerja tahun 2027" in first["message"]
    assert "sebelum 1 Januari 2027" in first["message"]
