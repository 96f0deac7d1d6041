"""Check-ins through the HTTP API and the emulator: geofences, accuracy, mock locations,
devices, idempotency, offline batches and their clocks, impossible travel, the review queue,
and the DynamoDB calls per check-in."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from eoffice import clock
from eoffice.outgoing.wording import tanggal
from eoffice_local.aws_calls import counting, total
from support.api import Api
from support.attendance import MALILI, SOROWAKO, Site, Staff, fix, moved, office, queued, wita
from support.organisation import new_employee, unit_of


@pytest.fixture(scope="module")
def site(api: Api) -> Site:
    return Site(api, unit_of(api, "kadis.kominfo"))


def _flags(api: Api, site: Site, nip: str, user: str = "tpp.bkpsdm") -> list[dict[str, Any]]:
    answer = api.get(f"/attendance/flags?unit={site.unit_id}&limit=200", user=user)
    assert answer.status == 200, answer.body
    return [flag for flag in answer.json["items"] if flag["nip"] == nip]


# ---------------------------------------------------------------- geofences and accuracy
def test_a_check_in_just_inside_the_radius_is_accepted_and_binds_the_device(
    api: Api, site: Site
) -> None:
    staff = site.staff()
    result = staff.check("in", moved(MALILI, north_m=99.0), accuracy_m=5, expect=201)
    assert result["state"] == "accepted", result
    assert result["distance_m"] == 0
    assert result["office_id"] == site.office["office_id"]
    assert result["time_source"] == "server"
    assert result["message"].startswith("Presensi masuk pukul ")  # and what it counts for
    assert result["counts_as"] in {"arrival", "none"}


def test_just_outside_the_radius_is_refused_with_the_distance(api: Api, site: Site) -> None:
    staff = site.staff()
    result = staff.check("in", moved(MALILI, east_m=112.0), accuracy_m=5, expect=201)
    assert result["state"] == "rejected"
    assert result["reasons"] == ["outside_geofence"]
    assert result["distance_m"] == pytest.approx(12.0, abs=0.1)
    assert "di luar area kantor" in result["message"]


def test_gps_accuracy_gives_a_bounded_allowance_at_the_line(api: Api, site: Site) -> None:
    staff = site.staff()
    # 10 m outside, accuracy 15 m: within min(15, 20) -> accepted
    assert staff.check("in", moved(MALILI, north_m=110.0), accuracy_m=15)["state"] == "accepted"
    # 25 m outside with a claimed accuracy of 45 m: the allowance stops at 20 m
    result = staff.check("out", moved(MALILI, north_m=125.0), accuracy_m=45)
    assert result["reasons"] == ["outside_geofence"]


def test_accuracy_worse_than_the_limit_is_refused(api: Api, site: Site) -> None:
    result = site.staff().check("in", MALILI, accuracy_m=80)
    assert result["state"] == "rejected"
    assert result["reasons"] == ["accuracy_too_low"]


def test_a_polygon_office_with_a_notch(api: Api) -> None:
    site = Site(api, unit_of(api, "kadis.kominfo"), point=SOROWAKO)
    # A U-shaped compound 100 m x 100 m with a 20 m wide notch from the top down to 40 m.
    corner = moved(SOROWAKO, north_m=500)
    ring = [(0, 0), (100, 0), (100, 100), (60, 100), (60, 40), (40, 40), (40, 100), (0, 100)]
    polygon = [
        dict(zip(("latitude", "longitude"), moved(corner, north_m=y, east_m=x), strict=True))
        for x, y in ring
    ]
    office(api, site.unit_id, corner, polygon=polygon)
    staff = site.staff()  # gets both offices of the unit
    arm = staff.check("in", moved(corner, north_m=70, east_m=20), accuracy_m=3)
    assert arm["state"] == "accepted", arm
    notch = staff.check("in", moved(corner, north_m=70, east_m=50), accuracy_m=3)
    assert notch["reasons"] == ["outside_geofence"]
    assert notch["distance_m"] == pytest.approx(10.0, abs=0.2)


def test_an_employee_without_offices_is_refused(api: Api, site: Site) -> None:
    lonely = new_employee(api, site.unit_id)
    api.patch(f"/employees/{lonely['nip']}", user="admin", json_body={"office_ids": []})
    result = Staff(api, lonely).check("in", MALILI)
    assert result["reasons"] == ["no_office"]
    assert "belum terdaftar" in result["message"]


# ---------------------------------------------------------------- mock locations and devices
def test_a_mock_location_is_refused_and_flagged_with_evidence(api: Api, site: Site) -> None:
    staff = site.staff()
    result = staff.check("in", MALILI, mock_location=True)
    assert result["reasons"] == ["mock_location"]
    assert result["flags"] == ["mock_location"]
    flags = _flags(api, site, staff.nip)
    assert [f["kind"] for f in flags] == ["mock_location"]
    assert flags[0]["evidence"]["latitude"] == pytest.approx(MALILI[0])
    assert flags[0]["checkin_id"] == result["checkin_id"]
    # the head of the unit sees it too; a colleague does not
    assert _flags(api, site, staff.nip, user=site.head["username"])
    assert api.get("/attendance/flags", user=site.staff().user).status == 403


def test_a_second_phone_needs_an_admins_approval(api: Api, site: Site) -> None:
    staff = site.staff()
    first = staff.device
    assert staff.check("in", MALILI)["state"] == "accepted"
    staff.device = f"android-{uuid.uuid4().hex[:16]}"
    refused = staff.check("out", MALILI)
    assert refused["reasons"] == ["device_not_approved"]
    requests = api.get("/attendance/devices/requests", user="admin").json
    mine = [r for r in requests if r["nip"] == staff.nip]
    assert len(mine) == 1
    assert api.get("/attendance/devices/requests", user=staff.user).status == 403
    approved = api.post(
        f"/attendance/devices/requests/{staff.nip}/{mine[0]['device']}/approve", user="admin"
    )
    assert approved.status == 200, approved.body
    assert staff.check("out", MALILI)["state"] == "accepted"
    staff.device = first
    assert staff.check("out", MALILI)["reasons"] == ["device_not_approved"]


def test_one_phone_for_two_employees_is_refused_and_flagged(api: Api, site: Site) -> None:
    owner, borrower = site.staff(), site.staff()
    assert owner.check("in", MALILI)["state"] == "accepted"
    borrower.device = owner.device
    result = borrower.check("in", MALILI)
    assert result["reasons"] == ["device_bound_to_other"]
    assert result["flags"] == ["shared_device"]
    flag = _flags(api, site, borrower.nip)[0]
    assert flag["kind"] == "shared_device"
    assert sorted(flag["evidence"]["nips"]) == sorted([owner.nip, borrower.nip])
    assert owner.device not in str(flag["evidence"])  # only the hash is kept


def test_released_phone_binds_again_on_first_use(api: Api, site: Site) -> None:
    staff = site.staff()
    staff.check("in", MALILI)
    assert api.call("DELETE", f"/attendance/devices/{staff.nip}", user="admin").status == 204
    staff.device = f"android-{uuid.uuid4().hex[:16]}"
    assert staff.check("out", MALILI)["state"] == "accepted"


# ---------------------------------------------------------------- idempotency
def test_the_same_check_in_sent_twice_is_recorded_once(api: Api, site: Site) -> None:
    staff = site.staff()
    client_id = uuid.uuid4().hex
    first = staff.check("in", MALILI, client_id=client_id, expect=201)
    again = staff.check("in", MALILI, client_id=client_id, expect=200)
    assert again["duplicate"] is True
    assert again["checkin_id"] == first["checkin_id"]
    assert again["received_at"] == first["received_at"]
    day = first["checkin_id"][:10]
    detail = api.get(f"/attendance/days/{staff.nip}/{day}", user=staff.user).json
    assert [c["client_id"] for c in detail["checkins"]] == [client_id]


def test_a_check_in_takes_at_most_three_dynamodb_calls_and_announces_only_flags(
    api: Api, site: Site
) -> None:
    staff = site.staff()
    with counting() as calls:
        staff.check("in", MALILI, expect=201)
    assert total(calls, "dynamodb") <= 3, calls
    assert calls["dynamodb:Scan"] == 0
    assert total(calls, "events") == 0, calls  # only flags or a waiting phone are announced
    with counting() as calls:
        staff.check("out", MALILI, mock_location=True)
    assert total(calls, "dynamodb") <= 3 and calls["events:PutEvents"] == 1, calls
    body = {"client_id": uuid.uuid4().hex, "device_id": staff.device, **fix("out", MALILI)}
    staff.api.post("/attendance/check-ins", user=staff.user, json_body=body)
    with counting() as calls:
        again = staff.api.post("/attendance/check-ins", user=staff.user, json_body=body)
    assert again.status == 200
    assert total(calls, "dynamodb") == 2, calls  # a replay reads and writes nothing


# ---------------------------------------------------------------- offline batches
def test_an_offline_batch_keeps_the_phones_time_and_a_replay_records_nothing(
    api: Api, site: Site
) -> None:
    staff = site.staff()
    captured = datetime.now(UTC) - timedelta(hours=5)
    items = [
        queued("in", captured, moved(MALILI, north_m=20)),
        queued("out", captured + timedelta(hours=2), moved(MALILI, east_m=30)),
    ]
    first = staff.batch(items)
    assert [r["state"] for r in first["results"]] == ["accepted", "accepted"]
    assert {r["time_source"] for r in first["results"]} == {"phone"}
    effective = datetime.fromisoformat(first["results"][0]["effective_at"])
    assert abs((effective - captured).total_seconds()) < 5
    with counting() as calls:
        again = staff.batch(items)
    assert [r["duplicate"] for r in again["results"]] == [True, True]
    assert [r["checkin_id"] for r in again["results"]] == [
        r["checkin_id"] for r in first["results"]
    ]
    assert total(calls, "dynamodb") == 2, calls
    day = first["results"][0]["checkin_id"][:10]
    recorded = api.get(f"/attendance/days/{staff.nip}/{day}", user=staff.user).json["checkins"]
    assert [c["client_id"] for c in recorded].count(items[0]["client_id"]) == 1
    assert all(c["offline"] for c in recorded)


def test_a_clock_offset_out_of_range_is_kept_for_review_and_hr_decides(
    api: Api, site: Site
) -> None:
    staff = site.staff()
    now = datetime.now(UTC)
    skew = timedelta(minutes=12)  # the phone's clock runs 12 minutes fast
    items = [queued("in", now - timedelta(hours=1) + skew, MALILI)]
    result = staff.batch(items, sent_at=now + skew)
    assert result["clock_offset_s"] == pytest.approx(720, abs=5)
    item = result["results"][0]
    assert item["state"] == "pending_review"
    assert item["time_source"] == "phone_unverified"
    assert item["flags"] == ["implausible_clock"]
    flag = _flags(api, site, staff.nip)[0]
    assert "clock_offset" in flag["evidence"]["problems"]
    assert (
        staff.api.post(
            f"/attendance/flags/{staff.nip}/{flag['day']}/{flag['flag_id']}/resolve",
            user=staff.user,
            json_body={"decision": "accepted"},
        ).status
        == 403
    )
    decided = api.post(
        f"/attendance/flags/{staff.nip}/{flag['day']}/{flag['flag_id']}/resolve",
        user="tpp.bkpsdm",
        json_body={"decision": "accepted", "note": "jam HP salah, lokasi benar"},
    )
    assert decided.status == 200, decided.body
    assert not _flags(api, site, staff.nip)
    detail = api.get(f"/attendance/days/{staff.nip}/{flag['day']}", user="tpp.bkpsdm").json
    checkin = detail["checkins"][0]
    assert checkin["state"] == "accepted"
    assert checkin["review"]["by"] == "198912032014022004"


def test_a_batch_arriving_after_the_window_waits_for_review(api: Api, site: Site) -> None:
    staff = site.staff()
    old = datetime.now(UTC) - timedelta(hours=80)
    item = staff.batch([queued("in", old, MALILI)])["results"][0]
    assert item["state"] == "pending_review"
    flag = _flags(api, site, staff.nip)[0]
    assert flag["evidence"]["problems"] == ["late_upload"]


def test_a_wall_clock_changed_between_capture_and_upload_is_caught(api: Api, site: Site) -> None:
    staff = site.staff()
    now = datetime.now(UTC)
    # The phone claims 07:25-like time two hours ago, but its monotonic clock says 10 minutes.
    items = [queued("in", now - timedelta(hours=2), MALILI, elapsed_ms=5_000_000, boot_count=3)]
    result = staff.batch(items, sent_elapsed_ms=5_600_000, boot_count=3)
    assert result["results"][0]["state"] == "pending_review"
    assert "clock_changed" in _flags(api, site, staff.nip)[0]["evidence"]["problems"]


def test_a_batch_without_the_phones_monotonic_clock_waits_for_review(api: Api, site: Site) -> None:
    """Without elapsedRealtime nothing shows the wall clock was not set back for the check-in
    (someone arriving at 09:00 could send 07:25)."""
    staff = site.staff()
    item = queued("in", datetime.now(UTC) - timedelta(hours=2), MALILI)
    del item["elapsed_ms"], item["boot_count"]
    result = staff.batch([item], sent_elapsed_ms=None, boot_count=None)["results"][0]
    assert result["state"] == "pending_review"
    assert _flags(api, site, staff.nip)[0]["evidence"]["problems"] == ["unverifiable_time"]
    rebooted = queued("in", datetime.now(UTC) - timedelta(hours=1), MALILI, boot_count=9)
    assert staff.batch([rebooted])["results"][0]["state"] == "pending_review"


def test_a_check_in_older_than_a_month_is_answered_but_not_recorded(api: Api, site: Site) -> None:
    staff = site.staff()
    old = datetime.now(UTC) - timedelta(days=40)
    items = [queued("in", old, MALILI)]
    first = staff.batch(items)["results"][0]
    assert (first["state"], first["reasons"]) == ("rejected", ["too_old"])
    again = staff.batch(items)["results"][0]
    assert (again["state"], again["duplicate"]) == ("rejected", False)
    day = first["checkin_id"][:10]
    assert api.get(f"/attendance/days/{staff.nip}/{day}", user=staff.user).json["checkins"] == []


def test_times_far_from_the_servers_clock_are_refused(api: Api, site: Site) -> None:
    staff = site.staff()
    for when in ("9999-12-31T23:00:00Z", "0001-01-01T00:00:00Z"):
        body = {
            "device_id": staff.device,
            "sent_at": datetime.now(UTC).isoformat(),
            "items": [{**queued("in", datetime.now(UTC)), "phone_time": when}],
        }
        answer = api.post("/attendance/check-ins/batch", user=staff.user, json_body=body)
        assert answer.status == 422, answer.body
    body = {
        "device_id": staff.device,
        "sent_at": datetime.now(UTC).isoformat(),
        "sent_elapsed_ms": 10**20,
        "items": [queued("in", datetime.now(UTC))],
    }
    assert api.post("/attendance/check-ins/batch", user=staff.user, json_body=body).status == 422


def test_nobody_reviews_his_own_flag(api: Api) -> None:
    site = Site(api, unit_of(api, "kadis.kominfo"))
    head = Staff(api, site.head)
    item = queued("in", datetime.now(UTC) - timedelta(hours=1), MALILI)
    pending = head.batch([item], sent_at=datetime.now(UTC) + timedelta(minutes=15))
    assert pending["results"][0]["state"] == "pending_review"
    flag = _flags(api, site, head.nip)[0]
    path = f"/attendance/flags/{head.nip}/{flag['day']}/{flag['flag_id']}/resolve"
    own = api.post(path, user=head.user, json_body={"decision": "accepted"})
    assert (own.status, own.json["code"]) == (403, "own_attendance")
    assert api.post(path, user="tpp.bkpsdm", json_body={"decision": "rejected"}).status == 200
    again = api.post(path, user="tpp.bkpsdm", json_body={"decision": "accepted"})
    assert (again.status, again.json["code"]) == (409, "flag_closed")


def test_impossible_travel_between_two_offices_is_flagged(api: Api) -> None:
    site = Site(api, unit_of(api, "kadis.kominfo"))
    office(api, site.unit_id, SOROWAKO)
    staff = site.staff()  # both offices, ~30 km apart
    assert staff.check("in", MALILI)["state"] == "accepted"
    far = staff.check("out", SOROWAKO)
    assert far["state"] == "pending_review"
    assert far["flags"] == ["impossible_travel"]
    evidence = _flags(api, site, staff.nip)[0]["evidence"]
    assert evidence["speed_kmh"] > 120
    assert evidence["distance_m"] > 25_000


# ---------------------------------------------------------------- bad input
def test_bad_input_is_refused_and_records_nothing(api: Api, site: Site) -> None:
    staff = site.staff()
    body = {"client_id": uuid.uuid4().hex, "device_id": staff.device, **fix("in", MALILI)}
    del body["accuracy_m"]
    answer = api.post("/attendance/check-ins", user=staff.user, json_body=body)
    assert answer.status == 422
    assert answer.content_type == "application/problem+json"
    assert answer.json["code"] == "validation_failed"
    assert any("accuracy_m" in e["location"] for e in answer.json["errors"])
    wrong = api.post(
        "/attendance/check-ins",
        user=staff.user,
        body=b"kind=in",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert wrong.status == 415
    assert api.post("/attendance/check-ins", json_body=body).status == 401
    too_many = {
        "device_id": staff.device,
        "sent_at": datetime.now(UTC).isoformat(),
        "items": [queued("in", datetime.now(UTC)) for _ in range(41)],
    }
    assert (
        api.post("/attendance/check-ins/batch", user=staff.user, json_body=too_many).status == 422
    )
    month = datetime.now(UTC).strftime("%Y-%m")
    days = api.get(f"/attendance/me?month={month}", user=staff.user).json["days"]
    assert all(d["first_in"] is None and d["last_out"] is None for d in days)


# ---------------------------------------------------------------- selfies
def _jpeg(seed: int) -> bytes:
    import io
    import random

    from PIL import Image

    rng = random.Random(seed)
    image = Image.frombytes("RGB", (480, 640), rng.randbytes(480 * 640 * 3))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70)
    return buffer.getvalue()


def _selfie(staff: Staff, data: bytes) -> str:
    form = staff.api.post("/attendance/selfies", user=staff.user)
    assert form.status == 201, form.body
    sent = httpx.post(
        form.json["url"],
        data=form.json["fields"],
        files={"file": ("selfie.jpg", data, "image/jpeg")},
        timeout=30,
    )
    assert sent.status_code in {200, 201, 204}, sent.text
    return form.json["selfie_id"]  # type: ignore[no-any-return]


def test_a_selfie_is_checked_kept_private_and_a_reused_one_flagged(api: Api, site: Site) -> None:
    staff, colleague = site.staff(), site.staff()
    photo = _jpeg(1)
    first = staff.check("in", MALILI, selfie_id=_selfie(staff, photo))
    assert first["state"] == "accepted", first
    day = first["checkin_id"][:10]
    link = f"/attendance/days/{staff.nip}/{day}/check-ins/{first['checkin_id']}/selfie"
    shown = api.get(link, user=staff.user)
    assert shown.status == 200, shown.body
    assert httpx.get(shown.json["url"], timeout=30).content == photo
    assert api.get(link, user=site.head["username"]).status == 200
    assert api.get(link, user="tpp.bkpsdm").status == 200
    assert api.get(link, user=colleague.user).status == 403
    again = staff.check("out", MALILI, selfie_id=_selfie(staff, photo))
    assert again["state"] == "accepted"
    assert again["flags"] == ["reused_selfie"]
    flag = next(f for f in _flags(api, site, staff.nip) if f["kind"] == "reused_selfie")
    assert flag["evidence"]["same_as"] == first["checkin_id"]
    assert staff.check("out", MALILI, selfie_id=_selfie(staff, _jpeg(2)))["flags"] == []
    assert api.get(link, user="admin").status == 403  # biometric data: not for admins
    # hr rejects the check-in with the reused photo: it no longer counts
    path = f"/attendance/flags/{staff.nip}/{flag['day']}/{flag['flag_id']}/resolve"
    decided = api.post(
        path, user="tpp.bkpsdm", json_body={"decision": "rejected", "note": "foto lama"}
    )
    assert decided.status == 200, decided.body
    detail = api.get(f"/attendance/days/{staff.nip}/{day}", user="tpp.bkpsdm").json
    states = {c["checkin_id"]: c["state"] for c in detail["checkins"]}
    assert states[again["checkin_id"]] == "rejected"
    assert states[first["checkin_id"]] == "accepted"


def test_a_selfie_that_is_not_a_photo_rejects_the_check_in(api: Api, site: Site) -> None:
    staff = site.staff()
    fake = staff.check("in", MALILI, selfie_id=_selfie(staff, b"\xff\xd8\xff" + bytes(20_000)))
    assert fake["reasons"] == ["invalid_selfie"]
    missing = staff.check("in", MALILI, selfie_id="202611-0000000000000000000000000000000a")
    assert missing["reasons"] == ["invalid_selfie"]


def test_a_full_batch_with_many_flags_is_recorded_whole(api: Api, site: Site) -> None:
    """40 check-ins with two flags each need more than one transaction (100 actions)."""
    staff = site.staff()
    now = datetime.now(UTC)
    skew = timedelta(minutes=30)
    items = [
        queued("in", now - timedelta(minutes=90 - n) + skew, MALILI, mock_location=True)
        for n in range(40)
    ]
    first = staff.batch(items, sent_at=now + skew)
    assert [r["state"] for r in first["results"]] == ["rejected"] * 40
    assert {tuple(r["flags"]) for r in first["results"]} == {("mock_location", "implausible_clock")}
    again = staff.batch(items, sent_at=now + skew)
    assert all(r["duplicate"] for r in again["results"])
    kinds = [f["kind"] for f in _flags(api, site, staff.nip)]
    assert kinds.count("mock_location") == 40 and kinds.count("implausible_clock") == 40


def test_a_decision_made_on_stale_reads_is_refused_whole(api: Api, site: Site) -> None:
    """Two requests that read the same state: the second transaction is cancelled (guard,
    profile revision) and nothing of it is written; deciding again answers the duplicate."""
    from eoffice.attendance import checkin, checkin_store
    from eoffice.attendance.models import CheckInCreate
    from eoffice.callers import principal_from_claims
    from eoffice.clock import utcnow
    from eoffice.settings import CheckInLimits

    staff = site.staff()
    principal = principal_from_claims({"username": staff.user})
    body = {"client_id": uuid.uuid4().hex, "device_id": staff.device, **fix("in", MALILI)}
    data = CheckInCreate.model_validate(body)
    now = utcnow()
    candidate = checkin.Candidate(data, checkin.online_time(now), offline=False, offset_s=0.0)
    device = checkin.device_hash(staff.device)
    snapshot = checkin_store.read_snapshot(
        staff.nip,
        device,
        [candidate.day],
        [data.client_id],
        principal.employee.office_ids,
        principal.unit_id,
    )
    settings = CheckInLimits()
    first = checkin.decide(principal, device, [candidate], snapshot, now, settings)
    second = checkin.decide(principal, device, [candidate], snapshot, now, settings)
    checkin_store.commit(first.writes, now)
    with pytest.raises(checkin_store.ConcurrentWrite):
        checkin_store.commit(second.writes, now)
    again = checkin.record_online(principal, data)
    assert again.duplicate and again.checkin_id == first.results[0].checkin_id
    day = first.results[0].checkin_id[:10]
    detail = api.get(f"/attendance/days/{staff.nip}/{day}", user=staff.user).json
    assert len(detail["checkins"]) == 1


# ---------------------------------------------------------------- what a check-in counts for
def test_the_answer_says_what_a_check_in_counts_for(api: Api, site: Site) -> None:
    """An ``in`` at 02:57 WITA is recorded but is no arrival, and the answer says so; one during
    the hours is the arrival; an ``out`` after the day's end is the departure; an ``in`` after
    it is ignored (the site works every day, 07:30-16:00, Fridays 16:30)."""
    staff = site.staff()
    yesterday = clock.today() - timedelta(days=1)
    friday = yesterday.isoweekday() == 5
    end = "16:30" if friday else "16:00"
    items = [
        queued("in", wita(yesterday, 2, 57)),
        queued("in", wita(yesterday, 7, 45)),
        queued("out", wita(yesterday, 17, 10)),
        queued("in", wita(yesterday, 17, 20)),
    ]
    night, morning, evening, late = staff.batch(items)["results"]
    assert [r["state"] for r in (night, morning, evening, late)] == ["accepted"] * 4
    when = tanggal(yesterday)  # 6 Desember 2026

    assert (night["counts_as"], night["counts_reason"]) == ("none", "before_window")
    assert night["message"] == (
        f"Presensi masuk pukul 02:57 WITA, {when} tercatat, tetapi tidak dihitung: "
        "presensi masuk dihitung mulai pukul 04:00 WITA."
    )
    assert (morning["counts_as"], morning["counts_reason"]) == ("arrival", None)
    assert morning["message"] == (
        f"Presensi masuk pukul 07:45 WITA, {when} tercatat dan dihitung sebagai jam masuk hari itu."
    )
    assert (evening["counts_as"], evening["counts_reason"]) == ("departure", None)
    assert "dihitung sebagai jam pulang hari itu" in evening["message"]
    assert (late["counts_as"], late["counts_reason"]) == ("none", "after_working_hours")
    assert f"jam kerja hari itu berakhir pukul {end} WITA" in late["message"]

    # The day agrees: the 07:45 arrival, the 17:10 departure; 02:57 and 17:20 count for nothing.
    day = api.get(f"/attendance/days/{staff.nip}/{yesterday}", user=staff.user).json["status"]
    assert day["first_in"] == morning["effective_at"]
    assert day["last_out"] == evening["effective_at"]


def test_a_check_in_on_a_day_off_counts_for_nothing(api: Api) -> None:
    """His unit does not work on yesterday's weekday: the check-in is recorded, not counted."""
    site = Site(api, unit_of(api, "kadis.kominfo"))
    yesterday = clock.today() - timedelta(days=1)
    workdays = [d for d in range(1, 8) if d != yesterday.isoweekday()]
    body = {"name": "Uji: libur kemarin", "workdays": workdays, "observes_holidays": False}
    path = f"/attendance/schedules/units/{site.unit_id}"
    assert api.call("PUT", path, user="admin", json_body=body).status == 200
    staff = site.staff()
    (result,) = staff.batch([queued("in", wita(yesterday, 7, 40))])["results"]
    assert result["state"] == "accepted"
    assert (result["counts_as"], result["counts_reason"]) == ("none", "outside_working_day")
    assert result["message"].endswith(
        "tercatat, tetapi tidak dihitung: hari itu bukan hari kerja (Hari libur akhir pekan)."
        if yesterday.isoweekday() >= 6
        else "tercatat, tetapi tidak dihitung: "
        "hari itu bukan hari kerja (Hari libur sesuai jadwal kerja)."
    )
    day = api.get(f"/attendance/days/{staff.nip}/{yesterday}", user=staff.user).json["status"]
    assert day["status"] == "day_off"
