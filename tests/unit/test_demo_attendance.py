"""The demo's past month of attendance (``eoffice_local.demo_attendance``, seeded by
``eoffice dev``): which month it is on any date, and that the days it draws, once judged by the
daily status rules, are a plausible month with something for the TPP report to deduct."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from eoffice.attendance.day_rules import evaluate_day
from eoffice.attendance.models import AttendanceDay, CheckIn, DayHours, DayStatus
from eoffice.org.models import Employee, Office, Role
from eoffice_local.demo_attendance import DEMO_RATES, Drawn, draw_month
from eoffice_local.seed import last_full_month
from support.nips import nip_of

NOVEMBER = [date(2026, 11, 1) + timedelta(days=n) for n in range(30)]
WORKING = [(d, DayHours(start="07:30", end="16:00")) for d in NOVEMBER if d.weekday() < 5]
AFTER = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("today", "first", "last"),
    [
        (date(2026, 12, 6), date(2026, 11, 1), date(2026, 11, 30)),
        (date(2027, 1, 1), date(2026, 12, 1), date(2026, 12, 31)),
        (date(2028, 3, 31), date(2028, 2, 1), date(2028, 2, 29)),
    ],
)
def test_the_month_is_the_last_full_one(today: date, first: date, last: date) -> None:
    assert last_full_month(today) == (first, last)


def _staff(n: int) -> tuple[Employee, Office]:
    now = datetime(2026, 10, 1, tzinfo=UTC)
    office = Office(
        office_id="o" * 32,
        name="Kantor Dinas",
        unit_id="u" * 32,
        latitude=-2.637,
        longitude=121.101,
        radius_m=100,
        address=None,
        created_at=now,
        updated_at=now,
    )
    employee = Employee(
        nip=nip_of(n),
        name=f"Pegawai {n}",
        unit_id="u" * 32,
        position_id=None,
        roles=[Role.staff],
        tpp_amount=3_000_000,
        office_ids=[office.office_id],
        active=True,
        username=f"pegawai.{n:03d}",
        email=None,
        created_at=now,
        updated_at=now,
    )
    return employee, office


def _judged(drawn: Drawn, employees: list[Employee]) -> list[tuple[str, AttendanceDay]]:
    checkins = [CheckIn.model_validate_json(item["body"]["S"]) for item in drawn.items]
    by_nip: dict[str, list[CheckIn]] = {}
    for checkin in checkins:
        by_nip.setdefault(checkin.nip, []).append(checkin)
    corrections = {(c.nip, c.day): c for c, _ in drawn.corrections}
    judged = []
    for employee in employees:
        for day, hours in WORKING:
            leave = next((x for x in drawn.leave if x.nip == employee.nip and x.covers(day)), None)
            status = evaluate_day(
                day,
                employee.nip,
                hours=hours,
                day_off_name=None,
                checkins=by_nip.get(employee.nip, []),
                leave=(leave.type, leave.leave_id) if leave else None,
                correction=corrections.get((employee.nip, day)),
                now=AFTER,
            )
            judged.append((employee.nip, status))
    return judged


def test_a_drawn_month_is_mostly_on_time_with_every_kind_of_lapse() -> None:
    staff = [_staff(n) for n in range(200)]
    drawn, rng = Drawn(), random.Random(7)
    for employee, office in staff:
        draw_month(employee, office, WORKING, rng, drawn, DEMO_RATES)
    judged = _judged(drawn, [e for e, _ in staff])
    days = [status for _, status in judged]

    statuses = Counter(day.status for day in days)
    on_time = sum(
        1 for d in days if d.status is DayStatus.present and not d.late_band and not d.early_band
    )
    assert on_time > 0.7 * len(days), "mostly on time"
    assert {f"TL{n}" for n in range(1, 5)} <= {d.late_band for d in days}
    assert {f"PSW{n}" for n in range(1, 5)} <= {d.early_band for d in days}
    assert 0 < statuses[DayStatus.absent] < 0.05 * len(days), "a few days absent (TK)"
    assert DayStatus.pending_review not in statuses, "nothing waits for a review nobody can do"
    leave_types = {d.leave_type for d in days if d.status is DayStatus.leave}
    assert {"izin", "dinas_luar", "cuti_tahunan", "cuti_sakit"} <= leave_types
    assert drawn.corrections, "a few days corrected by an administrator"
    lapses = Counter(
        nip for nip, d in judged if d.late_band or d.early_band or d.status is DayStatus.absent
    )
    perfect = len(staff) - len(lapses)
    assert perfect > 0.2 * len(staff), "many keep perfect time"
    assert sum(n >= 4 for n in lapses.values()) > 0.05 * len(staff), "a few are often late"
    assert all(leave.state == "approved" for leave in drawn.leave)


def test_the_same_seed_draws_the_same_month() -> None:
    staff = [_staff(n) for n in range(20)]

    def pattern(seed: int) -> list[tuple[str, DayStatus, str | None, str | None]]:
        drawn = Drawn()
        rng = random.Random(seed)
        for employee, office in staff:
            draw_month(employee, office, WORKING, rng, drawn, DEMO_RATES)
        judged = _judged(drawn, [e for e, _ in staff])
        return [(nip, d.status, d.late_band, d.early_band) for nip, d in judged]

    assert pattern(7) == pattern(7)
    assert pattern(7) != pattern(8)
