"""The heads' morning digest: what counts as open, overdue and due today (WITA)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from eoffice.attendance.models import Flag, FlagKind
from eoffice.dispositions.models import Assignment
from eoffice.notifications import digest_rules

NOW = datetime(2026, 12, 14, 0, 0, tzinfo=UTC)  # Monday 08:00 WITA


def assignment(**changes: Any) -> Assignment:
    base = {
        "assignment_id": "a",
        "disposition_id": "d",
        "letter_id": "l",
        "kind": "assignment",
        "recipient_nip": "198001012005011001",
        "recipient_unit_id": "u",
        "sender_nip": "197503152000031002",
        "acted_by_nip": "197503152000031002",
        "recipient_name": "Andi",
        "instructions": ["tindak_lanjuti"],
        "letter": {
            "letter_id": "l",
            "unit_id": "u",
            "agenda_label": "1/2026",
            "subject": None,
            "sender_agency": None,
            "sifat": "biasa",
            "urgensi": "biasa",
        },
        "created_at": NOW - timedelta(days=3),
        "deadline": NOW + timedelta(days=3),
    }
    return Assignment.model_validate({**base, **changes})


def test_open_overdue_and_due_today_are_counted_apart() -> None:
    items = [
        assignment(),
        assignment(deadline=NOW - timedelta(hours=1)),  # overdue
        assignment(deadline=NOW + timedelta(hours=8)),  # 16:00 WITA today
        assignment(status="done"),
        assignment(kind="tembusan", deadline=None),
    ]

    assert digest_rules.tally(items, NOW) == digest_rules.Tally(open=3, overdue=1, due_today=1)


def test_nothing_open_is_an_empty_digest() -> None:
    assert digest_rules.tally([assignment(status="cancelled")], NOW).empty


def test_the_digest_says_only_what_there_is() -> None:
    assert digest_rules.body(digest_rules.Tally(4), "Dinas Kominfo") == (
        "Dinas Kominfo dan unit di bawahnya: 4 disposisi terbuka."
    )
    assert digest_rules.body(digest_rules.Tally(4, 1, 2), "Dinas Kominfo") == (
        "Dinas Kominfo dan unit di bawahnya: 4 disposisi terbuka, 1 melewati batas waktu, "
        "2 jatuh tempo hari ini."
    )


def test_leave_waiting_and_flags_open_make_a_digest_of_their_own() -> None:
    only_leave = digest_rules.Tally(leave_waiting=2)
    assert not only_leave.empty and not digest_rules.Tally(flags_open=1).empty
    assert digest_rules.body(only_leave, "Dinas Kominfo") == (
        "Dinas Kominfo dan unit di bawahnya: 2 permohonan cuti menunggu keputusan Anda."
    )
    assert digest_rules.body(digest_rules.Tally(1, 1, 0, 0, 3), "Bagian Umum") == (
        "Bagian Umum dan unit di bawahnya: 1 disposisi terbuka, 1 melewati batas waktu, "
        "3 presensi perlu ditinjau."
    )


def test_flags_count_as_the_check_ins_a_head_reviews() -> None:
    def flag(kind: str, nip: str, checkin: str | None, day: date | None = None) -> Flag:
        return Flag(
            flag_id=f"{kind}-{checkin}",
            kind=FlagKind(kind),
            nip=nip,
            unit_id="u",
            day=day or NOW.date(),
            raised_at=NOW,
            checkin_id=checkin,
        )

    staff, head = "199001012015011001", "197503152000031002"
    flags = [
        flag("mock_location", staff, "c1"),
        flag("implausible_clock", staff, "c1"),  # the same check-in: one review closes both
        flag("shared_device", staff, None),  # a flag of no check-in
        flag("mock_location", head, "c2"),  # his own: the head above reviews it
        flag("mock_location", staff, "c3", NOW.date() - timedelta(days=120)),  # long past
    ]

    assert digest_rules.flagged_check_ins(flags, head, NOW.date() - timedelta(days=90)) == 2
    assert digest_rules.flagged_check_ins(flags, "someone-else", date(2026, 1, 1)) == 4
