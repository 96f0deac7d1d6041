"""The daily status through the API: an employee's month against a hand-computed table, a
unit's day for its head, corrections that keep the history, and who may see what."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from eoffice import clock
from support.api import Api
from support.attendance import MALILI, Site, Staff, moved, queued, seed_checkins, wita
from support.organisation import unit_of

DEFAULT_HOURS = {
    "regular": {"start": "07:30", "end": "16:00"},
    "friday": {"start": "07:30", "end": "16:30"},
    "ramadan": {"start": "08:00", "end": "15:00"},
    "ramadan_friday": {"start": "08:00", "end": "15:30"},
}


def _schedule(api: Api, unit_id: str, **body: Any) -> None:
    answer = api.call("PUT", f"/attendance/schedules/units/{unit_id}", user="admin", json_body=body)
    assert answer.status == 200, answer.body


def test_a_month_matches_the_hand_computed_table(api: Api) -> None:
    site = Site(api, unit_of(api, "kadis.kominfo"))
    _schedule(api, site.unit_id, name="Uji: jam standar", **DEFAULT_HOURS)
    calendar = {
        "days_off": [
            {"on": "2025-05-01", "name": "Hari Buruh Internasional", "kind": "national"},
            {"on": "2025-05-12", "name": "Hari Raya Waisak", "kind": "national"},
        ],
        "ramadan": {"first": "2025-05-26", "last": "2025-05-31"},  # illustrative dates
    }
    assert api.call("PUT", "/calendar/2025", user="admin", json_body=calendar).status == 200
    staff = site.staff()
    d = lambda n: date(2025, 5, n)  # noqa: E731
    seed_checkins(
        staff.nip,
        site.unit_id,
        [
            ("in", "accepted", wita(d(1), 7, 20)),  # holiday: does not count
            ("in", "accepted", wita(d(2), 7, 25)),
            ("out", "accepted", wita(d(2), 16, 30)),
            ("in", "accepted", wita(d(5), 7, 45, 59)),
            ("out", "accepted", wita(d(5), 16, 0)),
            ("in", "accepted", wita(d(6), 7, 30)),
            ("out", "accepted", wita(d(6), 15, 29)),
            ("in", "accepted", wita(d(8), 8, 31)),
            ("out", "accepted", wita(d(8), 16, 0)),
            ("in", "accepted", wita(d(9), 7, 30)),
            ("out", "accepted", wita(d(9), 16, 0)),
            ("in", "accepted", wita(d(13), 7, 0)),
            ("out", "accepted", wita(d(14), 16, 10)),
            ("in", "accepted", wita(d(15), 9, 1)),
            ("out", "accepted", wita(d(15), 16, 0)),
            ("in", "rejected", wita(d(16), 7, 25)),  # refused: does not count
            ("in", "accepted", wita(d(20), 7, 31)),
            ("out", "accepted", wita(d(20), 16, 0)),
            ("in", "pending_review", wita(d(21), 7, 20)),
            ("in", "accepted", wita(d(22), 7, 30, 59)),
            ("out", "accepted", wita(d(22), 15, 59, 59)),
            ("in", "accepted", wita(d(26), 8, 0)),
            ("out", "accepted", wita(d(26), 15, 0)),
            ("in", "accepted", wita(d(27), 7, 45)),
            ("out", "accepted", wita(d(27), 14, 29)),
            ("in", "accepted", wita(d(28), 8, 1)),
            ("out", "accepted", wita(d(28), 15, 0)),
            ("in", "accepted", wita(d(30), 8, 0)),
            ("out", "accepted", wita(d(30), 15, 0)),
        ],
    )
    correction = {"status": "present", "reason": "Rapat di kantor bupati, presensi manual"}
    fixed = api.post(
        f"/attendance/days/{staff.nip}/2025-05-19/corrections", user="admin", json_body=correction
    )
    assert fixed.status == 201, fixed.body

    answer = api.get(f"/attendance/employees/{staff.nip}?month=2025-05", user="tpp.bkpsdm")
    assert answer.status == 200, answer.body
    got = {
        day["day"][-2:]: (day["status"], day["late_band"], day["early_band"])
        for day in answer.json["days"]
    }
    # Hand-computed: Mon-Thu 07:30-16:00, Fri 07:30-16:30, Ramadan (26-31) 08:00-15:00 and
    # Fri 08:00-15:30; minutes truncated; bands 1-30, 31-60, 61-90, 91+.
    expected = {
        "01": ("day_off", None, None),  # Hari Buruh, check-in ignored
        "02": ("present", None, None),
        "03": ("day_off", None, None),
        "04": ("day_off", None, None),
        "05": ("present", "TL1", None),  # 07:45:59 -> 15 min
        "06": ("present", None, "PSW2"),  # 15:29 -> 31 min early
        "07": ("absent", None, None),  # TK
        "08": ("present", "TL3", None),  # 08:31 -> 61 min
        "09": ("present", None, "PSW1"),  # Friday, out 16:00 -> 30 min early
        "10": ("day_off", None, None),
        "11": ("day_off", None, None),
        "12": ("day_off", None, None),  # Waisak
        "13": ("present", None, "PSW4"),  # no check-out
        "14": ("present", "TL4", None),  # check-out only
        "15": ("present", "TL4", None),  # 09:01 -> 91 min
        "16": ("absent", None, None),  # only a rejected attempt
        "17": ("day_off", None, None),
        "18": ("day_off", None, None),
        "19": ("present", None, None),  # admin's correction
        "20": ("present", "TL1", None),  # 07:31 -> 1 min
        "21": ("pending_review", None, None),
        "22": ("present", None, "PSW1"),  # 07:30:59 on time; 15:59:59 -> 1 min early
        "23": ("absent", None, None),
        "24": ("day_off", None, None),
        "25": ("day_off", None, None),
        "26": ("present", None, None),  # Ramadan 08:00-15:00
        "27": ("present", None, "PSW2"),  # Ramadan, 14:29 -> 31 min early
        "28": ("present", "TL1", None),  # Ramadan, 08:01
        "29": ("absent", None, None),
        "30": ("present", None, "PSW1"),  # Ramadan Friday ends 15:30 -> 30 min early
        "31": ("day_off", None, None),
    }
    assert got == expected
    days = {day["day"][-2:]: day for day in answer.json["days"]}
    assert days["05"]["minutes_late"] == 15
    assert days["15"]["minutes_late"] == 91
    assert days["27"]["minutes_early"] == 31
    assert days["26"]["hours"] == {"start": "08:00", "end": "15:00", "ramadan": True}
    assert days["12"]["day_off_name"] == "Hari Raya Waisak"
    assert days["19"]["correction"]["reason"] == correction["reason"]
    assert days["21"]["pending_checkins"] == 1


@pytest.fixture(scope="module")
def site(api: Api) -> Site:
    return Site(api, unit_of(api, "kadis.kominfo"))


def test_a_units_day_for_its_head_with_leave_absence_and_lateness(api: Api, site: Site) -> None:
    _schedule(
        api,
        site.unit_id,
        name="Uji: setiap hari, jam sama",
        workdays=[1, 2, 3, 4, 5, 6, 7],
        observes_holidays=False,
        regular={"start": "07:30", "end": "16:00"},
        friday={"start": "07:30", "end": "16:00"},
    )
    late, absent, away = site.staff(), site.staff(), site.staff()
    yesterday = clock.today() - timedelta(days=1)
    result = late.batch(
        [
            queued("in", wita(yesterday, 8, 5, 30), moved(MALILI, north_m=10)),
            queued("out", wita(yesterday, 15, 20), MALILI),
        ]
    )
    assert [r["state"] for r in result["results"]] == ["accepted", "accepted"]
    _approved_izin(api, site, away, yesterday)

    answer = api.get(
        f"/attendance?unit={site.unit_id}&date={yesterday.isoformat()}", user=site.head["username"]
    )
    assert answer.status == 200, answer.body
    rows = {row["nip"]: row for row in answer.json["employees"]}
    assert rows[late.nip]["status"] == "present"
    assert (rows[late.nip]["late_band"], rows[late.nip]["minutes_late"]) == ("TL2", 35)
    assert (rows[late.nip]["early_band"], rows[late.nip]["minutes_early"]) == ("PSW2", 40)
    assert rows[absent.nip]["status"] == "absent"
    assert (rows[away.nip]["status"], rows[away.nip]["leave_type"]) == ("leave", "izin")
    assert (
        api.get(
            f"/attendance?unit={site.unit_id}&date={yesterday.isoformat()}", user=late.user
        ).status
        == 403
    )
    assert (
        api.get(
            f"/attendance?unit={site.unit_id}&date={yesterday.isoformat()}", user="tpp.bkpsdm"
        ).status
        == 200
    )


def test_corrections_keep_the_history_and_only_admins_make_them(api: Api, site: Site) -> None:
    staff = site.staff()
    yesterday = (clock.today() - timedelta(days=1)).isoformat()
    path = f"/attendance/days/{staff.nip}/{yesterday}"
    staff.batch([queued("in", datetime.now(UTC) - timedelta(hours=20), MALILI)])
    before = api.get(path, user=staff.user).json
    body = {
        "status": "leave",
        "leave_type": "dinas_luar",
        "reason": "SPT ke Makassar, terlambat diinput",
    }
    assert api.post(f"{path}/corrections", user="tpp.bkpsdm", json_body=body).status == 403
    assert (
        api.post(
            f"{path}/corrections", user="admin", json_body={"status": "absent", "reason": "x"}
        ).status
        == 422
    )
    assert (
        api.post(
            f"{path}/corrections",
            user="admin",
            json_body={**body, "status": "absent", "leave_type": None},
        ).status
        == 201
    )
    assert api.post(f"{path}/corrections", user="admin", json_body=body).status == 201
    after = api.get(path, user=staff.user).json
    assert after["status"]["status"] == "leave"
    assert after["status"]["correction"]["leave_type"] == "dinas_luar"
    assert [c["status"] for c in after["corrections"]] == ["absent", "leave"]
    assert after["checkins"] == before["checkins"]  # the record is never overwritten
    tomorrow = (clock.today() + timedelta(days=1)).isoformat()
    future = api.post(
        f"/attendance/days/{staff.nip}/{tomorrow}/corrections", user="admin", json_body=body
    )
    assert (future.status, future.json["code"]) == (422, "future_day")


def test_who_sees_a_month(api: Api, site: Site) -> None:
    staff, colleague = site.staff(), site.staff()
    month = clock.today().strftime("%Y-%m")
    own = api.get(f"/attendance/me?month={month}", user=staff.user)
    assert own.status == 200
    assert own.json["nip"] == staff.nip
    assert len(own.json["days"]) >= 28
    path = f"/attendance/employees/{staff.nip}?month={month}"
    assert api.get(path, user=colleague.user).status == 403
    assert api.get(path, user=site.head["username"]).status == 200
    assert api.get(path, user="tpp.bkpsdm").status == 200
    refused = api.get(path, user="admin")  # an operator, not his superior
    assert (refused.status, refused.json["code"]) == (403, "not_your_staff")
    bad = api.get("/attendance/me?month=2026-13", user=staff.user)
    assert bad.status == 422
    assert bad.content_type == "application/problem+json"


def test_corrections_must_say_what_the_day_was(api: Api, site: Site) -> None:
    staff = site.staff()
    yesterday = clock.today() - timedelta(days=1)
    path = f"/attendance/days/{staff.nip}/{yesterday.isoformat()}/corrections"
    reason = "Koreksi uji oleh admin"
    bad = [
        {"status": "not_yet", "reason": reason},
        {"status": "leave", "reason": reason},
        {"status": "absent", "leave_type": "izin", "reason": reason},
        {
            "status": "present",
            "first_in": wita(yesterday - timedelta(days=1), 7, 30).isoformat(),
            "reason": reason,
        },
        {
            "status": "present",
            "first_in": wita(yesterday, 9, 0).isoformat(),
            "last_out": wita(yesterday, 8, 0).isoformat(),
            "reason": reason,
        },
    ]
    for body in bad:
        answer = api.post(path, user="admin", json_body=body)
        assert (answer.status, answer.json["code"]) == (422, "invalid_correction"), body
    admin_nip = api.get("/me", user="admin").json["employee"]["nip"]
    own = api.post(
        f"/attendance/days/{admin_nip}/{yesterday.isoformat()}/corrections",
        user="admin",
        json_body={"status": "present", "reason": reason},
    )
    assert (own.status, own.json["code"]) == (403, "own_attendance")
    assert (
        api.get(f"/attendance/days/{staff.nip}/{yesterday.isoformat()}", user="tpp.bkpsdm").json[
            "corrections"
        ]
        == []
    )


def test_an_employee_who_moved_keeps_his_day_in_his_new_unit(api: Api, site: Site) -> None:
    staff = site.staff()
    yesterday = clock.today() - timedelta(days=1)
    staff.batch(
        [
            queued("in", wita(yesterday, 7, 20), MALILI),
            queued("out", wita(yesterday, 16, 40), MALILI),
        ]
    )
    elsewhere = Site(api, unit_of(api, "kadis.kominfo"))
    moved_ = api.patch(
        f"/employees/{staff.nip}", user="admin", json_body={"unit_id": elsewhere.unit_id}
    )
    assert moved_.status == 200, moved_.body
    answer = api.get(
        f"/attendance?unit={elsewhere.unit_id}&date={yesterday.isoformat()}", user="tpp.bkpsdm"
    )
    rows = {row["nip"]: row for row in answer.json["employees"]}
    assert rows[staff.nip]["status"] == "present", rows[staff.nip]


def test_leave_filed_before_a_move_shows_in_the_new_unit(api: Api, site: Site) -> None:
    """Leave stays indexed under the unit he filed in; his new unit's day still shows it,
    though he moved before that day began."""
    from support.tpp import unchanged_since

    staff = site.staff()
    yesterday = clock.today() - timedelta(days=1)
    _approved_izin(api, site, staff, yesterday)
    elsewhere = Site(api, unit_of(api, "kadis.kominfo"))
    moved_ = api.patch(
        f"/employees/{staff.nip}", user="admin", json_body={"unit_id": elsewhere.unit_id}
    )
    assert moved_.status == 200, moved_.body
    unchanged_since(staff.nip, wita(yesterday - timedelta(days=1), 12, 0))
    answer = api.get(
        f"/attendance?unit={elsewhere.unit_id}&date={yesterday.isoformat()}", user="tpp.bkpsdm"
    )
    row = {row["nip"]: row for row in answer.json["employees"]}[staff.nip]
    assert (row["status"], row["leave_type"]) == ("leave", "izin"), row


def _approved_izin(api: Api, site: Site, staff: Staff, day: date) -> None:
    """A day of izin filed by ``staff`` and approved by his head."""
    leave = api.post(
        "/leaves",
        user=staff.user,
        json_body={
            "type": "izin",
            "starts_on": day.isoformat(),
            "ends_on": day.isoformat(),
            "reason": "Keperluan keluarga",
        },
    )
    assert leave.status == 201, leave.body
    approved = api.post(
        f"/leaves/{leave.json['leave_id']}/approve", user=site.head["username"], json_body={}
    )
    assert approved.status == 200, approved.body


def test_an_admin_is_an_operator_not_a_superior(api: Api, site: Site) -> None:
    """Least privilege (UU 27/2022): an admin reads no employee's days, unit day, flags or
    leave for being admin; he gets what any colleague who may not see gets. hr and the head do
    see them, and the admin still corrects a day (with a reason) and sees his own days."""
    staff = site.staff()
    yesterday = (clock.today() - timedelta(days=1)).isoformat()
    staff.batch([queued("in", datetime.now(UTC) - timedelta(hours=20), MALILI)])
    month = clock.today().strftime("%Y-%m")
    refusals = {
        f"/attendance/employees/{staff.nip}?month={month}": "not_your_staff",
        f"/attendance/days/{staff.nip}/{yesterday}": "not_your_staff",
        f"/attendance?unit={site.unit_id}&date={yesterday}": "not_your_unit",
        f"/attendance/flags?unit={site.unit_id}": "not_a_reviewer",
        "/attendance/flags": "not_a_reviewer",
        f"/leaves?unit={site.unit_id}": "not_your_unit",
    }
    for path, code in refusals.items():
        answer = api.get(path, user="admin")
        assert (answer.status, answer.json["code"]) == (403, code), path
        for user in ("tpp.bkpsdm", site.head["username"]):
            assert api.get(path, user=user).status == 200, (path, user)
    correction = {"status": "present", "reason": "Aplikasi presensi gangguan"}
    path = f"/attendance/days/{staff.nip}/{yesterday}/corrections"
    assert api.post(path, user="admin", json_body=correction).status == 201
    assert api.get(f"/attendance/me?month={month}", user="admin").status == 200


def test_every_time_is_utc_and_a_whole_second_stays_whole(api: Api, site: Site) -> None:
    """One rule for the timestamps of the day view, the check-ins and the corrections: UTC with
    ``Z``. A phone time of whole seconds, sent in WITA, comes back as the same whole second."""
    staff = site.staff()
    yesterday = clock.today() - timedelta(days=1)
    arrived = wita(yesterday, 7, 45).astimezone(clock.regency_tz())  # "07:45:00+08:00"
    (result,) = staff.batch([queued("in", arrived, MALILI)])["results"]
    assert result["state"] == "accepted", result
    in_utc = arrived.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert result["effective_at"] == in_utc

    path = f"/attendance/days/{staff.nip}/{yesterday.isoformat()}"
    detail = api.get(path, user=staff.user).json
    (checkin,) = detail["checkins"]
    assert checkin["phone_time"] == checkin["effective_at"] == in_utc
    assert detail["status"]["first_in"] == in_utc
    month = api.get(f"/attendance/me?month={yesterday:%Y-%m}", user=staff.user).json
    (day,) = [d for d in month["days"] if d["day"] == yesterday.isoformat()]
    assert day["first_in"] == in_utc

    left = wita(yesterday, 16, 5).astimezone(clock.regency_tz())
    body = {"status": "present", "last_out": left.isoformat(), "reason": "Lupa presensi pulang"}
    made = api.post(f"{path}/corrections", user="admin", json_body=body)
    assert made.status == 201, made.body
    out_utc = left.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert made.json["last_out"] == out_utc
    assert made.json["at"].endswith("Z")
    detail = api.get(path, user=staff.user).json
    assert detail["status"]["first_in"] == in_utc
    assert detail["status"]["last_out"] == out_utc
    assert detail["status"]["correction"]["last_out"] == out_utc
    assert [c["last_out"] for c in detail["corrections"]] == [out_utc]
    unit = api.get(f"/attendance?unit={site.unit_id}&date={yesterday}", user="tpp.bkpsdm").json
    (row,) = [e for e in unit["employees"] if e["nip"] == staff.nip]
    assert (row["first_in"], row["last_out"]) == (in_utc, out_utc)
