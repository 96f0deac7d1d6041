"""Who is told of which event (notice_rules), through what and when (preference_rules), and what
a notice says (wording): the pure parts of notifications."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from eoffice.notifications import preference_rules, wording
from eoffice.notifications.models import Channel, NoticeKind, Preferences, QuietHours
from eoffice.notifications.notice_rules import (
    DISPOSITIONS,
    LETTERS,
    OUTGOING,
    DomainEvent,
    Facts,
    Item,
    Notice,
    needs,
    notices,
    people_concerned,
)

BUPATI, SEKDA, PLT_SEKDA, KADIS, CLERK = "b", "s", "plt-s", "k", "tu"
NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)  # 10:00 WITA


def event(origin: str, detail_type: str, **detail: Any) -> DomainEvent:
    return DomainEvent("ev-1", origin, detail_type, NOW, detail)


def disposed(*recipients: str, actor: str = BUPATI) -> DomainEvent:
    assignments = [
        {"assignment_id": f"a-{r}", "recipient_nip": r, "kind": "assignment"} for r in recipients
    ]
    return event(
        DISPOSITIONS, "LetterDisposed", letter_id="L1", acted_by_nip=actor, assignments=assignments
    )


def told(found: list[Notice]) -> list[tuple[str, NoticeKind, bool, str | None]]:
    return [(n.nip, n.kind, n.urgent, n.for_nip) for n in found]


# ---------------------------------------------------------------- who
def test_a_disposition_tells_each_recipient_and_whoever_acts_in_his_post() -> None:
    facts = Facts(item=Item("/surat/L1"), stand_ins={SEKDA: (PLT_SEKDA,)})

    assert told(notices(disposed(SEKDA, KADIS), facts)) == [
        (SEKDA, NoticeKind.disposition_received, False, None),
        (PLT_SEKDA, NoticeKind.disposition_received, False, SEKDA),
        (KADIS, NoticeKind.disposition_received, False, None),
    ]
    assert people_concerned(disposed(SEKDA, KADIS)) == {SEKDA, KADIS}


def test_an_amat_segera_letter_makes_its_notices_urgent() -> None:
    facts = Facts(item=Item("/surat/L1", urgent=True))

    assert told(notices(disposed(SEKDA), facts)) == [
        (SEKDA, NoticeKind.disposition_received, True, None)
    ]


def test_nobody_is_told_of_his_own_act_and_nobody_twice() -> None:
    facts = Facts(item=Item("/surat/L1"), stand_ins={SEKDA: (BUPATI,)})

    assert [n.nip for n in notices(disposed(SEKDA, SEKDA, actor=BUPATI), facts)] == [SEKDA]


@pytest.mark.parametrize(
    ("detail_type", "kind"),
    [
        ("AssignmentRead", NoticeKind.disposition_read),
        ("AssignmentStarted", NoticeKind.disposition_reported),
        ("AssignmentDone", NoticeKind.disposition_reported),
        ("AssignmentReturned", NoticeKind.disposition_returned),
    ],
)
def test_what_a_recipient_does_is_told_to_the_sender(detail_type: str, kind: NoticeKind) -> None:
    moved = event(
        DISPOSITIONS,
        detail_type,
        letter_id="L1",
        sender_nip=BUPATI,
        recipient_nip=SEKDA,
        acted_by_nip=SEKDA,
    )

    assert told(notices(moved, Facts(item=Item("/surat/L1")))) == [(BUPATI, kind, False, None)]
    assert needs(moved) == {"letter", "stand_ins"}


def test_cancelled_assignments_and_unknown_events_tell_nobody() -> None:
    cancelled = event(DISPOSITIONS, "AssignmentCancelled", letter_id="L1", sender_nip=BUPATI)

    disguised = event(
        LETTERS, "LetterDisposed", letter_id="L1", assignments=[{"recipient_nip": SEKDA}]
    )

    assert notices(disguised, Facts()) == []  # a letters event of that name is not a disposition
    assert needs(cancelled) == set()
    assert needs(event("eoffice.calendar", "CalendarNotConfigured")) == set()
    assert notices(cancelled, Facts()) == []


def test_deadlines_follow_what_the_watch_decided() -> None:
    reminder = event(
        DISPOSITIONS, "DeadlineReminder", letter_id="L1", notify=[KADIS], recipient_nip=KADIS
    )
    overdue = event(DISPOSITIONS, "AssignmentOverdue", letter_id="L1", recipient_nip=KADIS)
    escalated = event(DISPOSITIONS, "DeadlineEscalated", letter_id="L1", notify=[SEKDA, BUPATI])
    facts = Facts(item=Item("/surat/L1"))

    assert told(notices(reminder, facts)) == [(KADIS, NoticeKind.deadline_reminder, False, None)]
    assert told(notices(overdue, facts)) == [(KADIS, NoticeKind.deadline_overdue, False, None)]
    assert told(notices(escalated, facts)) == [
        (SEKDA, NoticeKind.deadline_escalated, True, None),
        (BUPATI, NoticeKind.deadline_escalated, True, None),
    ]


def test_a_drafts_turn_goes_to_the_next_in_its_chain() -> None:
    uploaded = event(OUTGOING, "OutgoingVersionUploaded", outgoing_id="O1", version=2)
    facts = Facts(
        item=Item("/surat-keluar/O1"), next_in_chain=SEKDA, chain_kind=NoticeKind.draft_to_review
    )

    assert needs(uploaded) == {"chain"}
    assert told(notices(uploaded, facts)) == [(SEKDA, NoticeKind.draft_to_review, False, None)]
    assert notices(uploaded, Facts(item=Item("/surat-keluar/O1"))) == []  # nobody's turn


def test_a_signed_letter_delivered_to_a_unit_tells_its_clerks() -> None:
    delivered = event(LETTERS, "LetterRegistered", letter_id="L2", unit_id="u1", source="internal")
    scanned = event(LETTERS, "LetterRegistered", letter_id="L3", unit_id="u1", source="scanner")

    assert needs(delivered) == {"clerks", "letter"}
    assert needs(scanned) == set()  # the clerk scanned it himself
    assert told(notices(delivered, Facts(item=Item("/surat/L2"), people=(CLERK,)))) == [
        (CLERK, NoticeKind.letter_delivered, False, None)
    ]


# ---------------------------------------------------------------- through what, when
def prefs(**changes: Any) -> Preferences:
    return Preferences(channels=[Channel.web_push, Channel.email], **changes)


def test_only_the_chosen_channels_that_can_reach_him() -> None:
    choice = preference_rules.choose(
        prefs(), urgent=False, at=NOW, reachable={Channel.email, Channel.whatsapp}
    )

    assert choice.channels == (Channel.email,)


@pytest.mark.parametrize(
    ("wita", "quiet"),
    [
        ("20:59", False),
        ("21:00", True),
        ("23:30", True),
        ("03:00", True),
        ("05:59", True),
        ("06:00", False),
    ],
)
def test_quiet_hours_span_midnight_on_the_regencys_clock(wita: str, quiet: bool) -> None:
    hours, minutes = map(int, wita.split(":"))
    at = datetime(2026, 12, 7, (hours - 8) % 24, minutes, tzinfo=UTC)  # WITA is UTC+8
    night = QuietHours(start="21:00", end="06:00")
    everything = {Channel.web_push, Channel.email}

    held = preference_rules.choose(
        prefs(quiet_hours=night), urgent=False, at=at, reachable=everything
    )
    urgent = preference_rules.choose(
        prefs(quiet_hours=night), urgent=True, at=at, reachable=everything
    )

    assert (held.held_because == "quiet_hours") is quiet
    assert bool(held.channels) is not quiet
    assert urgent.channels == (Channel.web_push, Channel.email)  # urgent items pass


def test_urgent_only_holds_the_rest() -> None:
    reachable = {Channel.web_push}

    assert (
        preference_rules.choose(
            prefs(urgent_only=True), urgent=False, at=NOW, reachable=reachable
        ).held_because
        == "urgent_only"
    )
    assert preference_rules.choose(
        prefs(urgent_only=True), urgent=True, at=NOW, reachable=reachable
    ).channels == (Channel.web_push,)


def test_quiet_hours_must_not_be_empty() -> None:
    with pytest.raises(ValueError, match="different times"):
        QuietHours(start="21:00", end="21:00")


# ---------------------------------------------------------------- what it says
def test_a_notice_names_the_letter_it_is_about() -> None:
    item = Item("/surat/L1", subject="Undangan  rapat\nkoordinasi", sender="Dinas Pendidikan")
    message = wording.message("ev-1", Notice(SEKDA, NoticeKind.disposition_received), item, None)

    assert message.title == "Disposisi baru"
    assert (
        message.body
        == "Anda menerima disposisi, perihal “Undangan rapat koordinasi”, dari Dinas Pendidikan."
    )
    assert message.path == "/surat/L1"
    assert message.notification_id == wording.notification_id("ev-1", SEKDA)
    assert message.notification_id != wording.notification_id("ev-1", KADIS)


def test_a_rahasia_letter_is_never_named() -> None:
    item = Item(
        "/surat/L1",
        subject="Hasil pemeriksaan inspektorat",
        sender="Inspektorat",
        confidential=True,
    )
    message = wording.message(
        "ev-1", Notice(SEKDA, NoticeKind.disposition_received, True), item, None
    )

    assert "pemeriksaan" not in message.body and "Inspektorat" not in message.body
    assert "rahasia" in message.body
    assert message.title == "Disposisi baru" and message.urgent


def test_a_stand_in_is_told_whose_work_it_is() -> None:
    message = wording.message(
        "ev-1",
        Notice(PLT_SEKDA, NoticeKind.disposition_received, for_nip=SEKDA),
        None,
        "Drs. Andi Baso",
    )

    assert message.body == "Anda menerima disposisi (sebagai Plt/Plh Drs. Andi Baso)."


# ---------------------------------------------------------------- once, however often published
def test_an_event_published_twice_has_one_key() -> None:
    first = DomainEvent("eb-1", DISPOSITIONS, "LetterDisposed", NOW, {"disposition_id": "d1"})
    again = DomainEvent("eb-2", DISPOSITIONS, "LetterDisposed", NOW, {"disposition_id": "d1"})
    other = DomainEvent("eb-3", DISPOSITIONS, "LetterDisposed", NOW, {"disposition_id": "d2"})

    assert first.key == again.key != other.key
    assert wording.notification_id(first.key, SEKDA) == wording.notification_id(again.key, SEKDA)


def test_the_watchs_own_event_ids_and_the_fallback() -> None:
    reminder = DomainEvent(
        "eb-1", DISPOSITIONS, "DeadlineReminder", NOW, {"event_id": "a1:reminder"}
    )
    reviewed = DomainEvent("eb-2", OUTGOING, "OutgoingReviewed", NOW, {"outgoing_id": "o1"})

    assert reminder.key == "a1:reminder"
    assert reviewed.key == "eb-2"  # two reviewers' paraf name the same draft: kept apart
    assert (
        DomainEvent("eb-3", OUTGOING, "OutgoingSigned", NOW, {"outgoing_id": "o1", "order": 2}).key
        == "OutgoingSigned:o1:2"
    )


def test_a_prepared_disposition_waits_for_its_head() -> None:
    prepared = event(
        DISPOSITIONS,
        "DispositionPrepared",
        letter_id="L1",
        prepared_id="p1",
        head_nip=KADIS,
        acted_by_nip=CLERK,
    )
    facts = Facts(item=Item("/surat/L1"), stand_ins={KADIS: (PLT_SEKDA,)})

    assert people_concerned(prepared) == {KADIS}
    assert told(notices(prepared, facts)) == [
        (KADIS, NoticeKind.prepared_for_approval, False, None),
        (PLT_SEKDA, NoticeKind.prepared_for_approval, False, KADIS),
    ]


def test_leave_goes_to_its_approver_and_back_to_the_employee() -> None:
    filed = event(
        "eoffice.attendance",
        "LeaveFiled",
        leave_id="v1",
        nip=CLERK,
        approver_unit_id="u1",
        acted_by_nip=CLERK,
    )
    approved = event(
        "eoffice.attendance",
        "LeaveDecided",
        leave_id="v1",
        nip=CLERK,
        state="approved",
        acted_by_nip=KADIS,
    )
    rejected = event(
        "eoffice.attendance",
        "LeaveDecided",
        leave_id="v1",
        nip=CLERK,
        state="rejected",
        acted_by_nip=KADIS,
    )

    assert needs(filed) == {"approver", "stand_ins"}
    assert told(notices(filed, Facts(people=(KADIS,), stand_ins={KADIS: (PLT_SEKDA,)}))) == [
        (KADIS, NoticeKind.leave_filed, False, None),
        (PLT_SEKDA, NoticeKind.leave_filed, False, KADIS),
    ]
    assert told(notices(approved, Facts())) == [(CLERK, NoticeKind.leave_approved, False, None)]
    assert told(notices(rejected, Facts())) == [(CLERK, NoticeKind.leave_rejected, False, None)]
    assert approved.key != rejected.key


def test_a_tpp_report_is_told_to_hr_and_a_changed_month_to_its_employee_without_figures() -> None:
    published = event(
        "eoffice.tpp",
        "TppReportPublished",
        month="2026-11",
        scope="all",
        version=2,
        paid_changed=[CLERK],
    )

    found = notices(published, Facts(item=Item("/", month="2026-11"), people=(KADIS,)))
    assert told(found) == [
        (KADIS, NoticeKind.tpp_report_published, False, None),
        (CLERK, NoticeKind.tpp_changed, False, None),
    ]
    changed = wording.message(published.key, found[1], Item("/", month="2026-11"), None)
    assert changed.body == (
        "Perhitungan TPP Anda berubah untuk November 2026. Buka e-Office untuk melihat rinciannya."
    )
    assert not any(ch.isdigit() for ch in changed.body.replace("2026", ""))  # no amount


def test_new_attendance_flags_are_told_to_his_head_once_per_set_of_flags() -> None:
    def flagged(*flag_ids: str) -> DomainEvent:
        return event(
            "eoffice.attendance",
            "AttendanceFlagged",
            nip=CLERK,
            acted_by_nip=CLERK,
            unit_id="u1",
            day="2026-12-07",
            flag_ids=sorted(flag_ids),
            kinds=["implausible_clock", "mock_location"],
        )

    first = flagged("mock_location-c1", "implausible_clock-c1")
    item = Item(
        "/", person="Andi Pratama", day=NOW.date(), flags=("implausible_clock", "mock_location")
    )
    facts = Facts(item=item, people=(KADIS,), stand_ins={KADIS: (PLT_SEKDA,)})

    assert needs(first) == {"superior", "stand_ins"}
    found = notices(first, facts)
    assert told(found) == [
        (KADIS, NoticeKind.attendance_flagged, False, None),
        (PLT_SEKDA, NoticeKind.attendance_flagged, False, KADIS),
    ]
    assert first.key == flagged("implausible_clock-c1", "mock_location-c1").key  # a replay
    assert first.key != flagged("mock_location-c2").key
    assert notices(first, Facts(item=item, people=(CLERK,))) == []  # never of his own flags
    said = wording.message(first.key, found[0], item, None)
    assert said.title == "Presensi perlu ditinjau"
    assert said.body == (
        "Ada presensi pegawai yang perlu Anda tinjau: Andi Pratama tanggal 7 Desember 2026 "
        "(jam HP tidak wajar, lokasi palsu)."
    )


def test_a_phone_waiting_for_approval_is_told_to_his_head_and_the_admins() -> None:
    def waiting_since(at: str) -> DomainEvent:
        return event(
            "eoffice.attendance",
            "DeviceApprovalRequested",
            nip=CLERK,
            acted_by_nip=CLERK,
            unit_id="u1",
            device="d" * 32,
            requested_at=at,
        )

    waiting, again = waiting_since(NOW.isoformat()), waiting_since("2026-12-07T03:00:00+00:00")
    item = Item("/", person="Andi Pratama")
    facts = Facts(item=item, people=(KADIS,), approvers=("admin", KADIS))

    assert needs(waiting) == {"superior", "stand_ins", "admins"}
    found = notices(waiting, facts)
    assert told(found) == [
        (KADIS, NoticeKind.device_waiting, False, None),
        ("admin", NoticeKind.device_waiting, False, None),
    ]
    assert waiting.key == waiting_since(NOW.isoformat()).key  # the same wait published again
    assert waiting.key != again.key  # a later wait of the same phone, approved meanwhile
    assert wording.message(waiting.key, found[1], item, None).body == (
        "Ada HP baru pegawai yang menunggu persetujuan Anda: Andi Pratama mencoba presensi dari "
        "HP yang belum disetujui."
    )


def test_e_mail_is_web_push_s_fallback_unless_urgent() -> None:
    both = {Channel.web_push, Channel.email}

    calm = preference_rules.choose(prefs(), urgent=False, at=NOW, reachable=both)
    urgent = preference_rules.choose(prefs(), urgent=True, at=NOW, reachable=both)
    no_push = preference_rules.choose(prefs(), urgent=False, at=NOW, reachable={Channel.email})

    assert (calm.channels, calm.fallback) == ((Channel.web_push,), Channel.email)
    assert (urgent.channels, urgent.fallback) == ((Channel.web_push, Channel.email), None)
    assert (no_push.channels, no_push.fallback) == ((Channel.email,), None)
