"""ADR 0028: a head approves his staff's new phones and corrects their days (this month and last
month), from the same routes admins use; never for himself, never for another unit's people."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from eoffice import clock
from support.api import Api
from support.attendance import MALILI, Site, Staff
from support.organisation import unit_of


@pytest.fixture(scope="module")
def site(api: Api) -> Site:
    return Site(api, unit_of(api, "kadis.kominfo"))


@pytest.fixture(scope="module")
def other(api: Api) -> Site:
    return Site(api, unit_of(api, "kadis.kominfo"))


def _new_phone(staff: Staff) -> str:
    """He checks in with a second phone: refused, and its request waits. Its device key."""
    assert staff.check("in", MALILI)["state"] == "accepted"
    staff.device = f"android-{uuid.uuid4().hex[:16]}"
    assert staff.check("out", MALILI)["reasons"] == ["device_not_approved"]
    return staff.device


def _waiting(api: Api, user: str, nip: str) -> list[dict[str, str]]:
    answer = api.get("/attendance/devices/requests", user=user)
    assert answer.status == 200, answer.body
    return [r for r in answer.json if r["nip"] == nip]


def test_a_head_approves_his_staffs_new_phone(api: Api, site: Site, other: Site) -> None:
    staff = site.staff()
    _new_phone(staff)
    head, stranger = site.head["username"], other.head["username"]
    (request,) = _waiting(api, head, staff.nip)
    assert request["name"] == staff.employee["name"], "his head reads whose phone it is"
    assert _waiting(api, stranger, staff.nip) == [], "another unit's head does not see it"
    path = f"/attendance/devices/requests/{staff.nip}/{request['device']}/approve"
    refused = api.post(path, user=stranger)
    assert (refused.status, refused.json["code"]) == (404, "device_request_not_found")
    colleague = api.post(path, user=site.staff().user)
    assert (colleague.status, colleague.json["code"]) == (403, "not_a_device_approver")
    assert api.post(path, user=head).status == 200
    assert staff.check("out", MALILI)["state"] == "accepted"
    assert _waiting(api, head, staff.nip) == []
    # who approved it stays on record: for him, his head and admins, not another unit's head
    history = f"/attendance/devices/{staff.nip}/history"
    for user in (staff.user, head, "admin"):
        answer = api.get(history, user=user)
        assert answer.status == 200, answer.body
        decided = [(d["action"], d["device"], d["by"]) for d in answer.json]
        assert decided == [("approved", request["device"], site.head["nip"])], user
    hidden = api.get(history, user=stranger)
    assert (hidden.status, hidden.json["code"]) == (404, "employee_not_found")


def test_after_a_move_his_new_head_decides(api: Api, site: Site, other: Site) -> None:
    staff = site.staff()
    _new_phone(staff)
    moved = api.patch(f"/employees/{staff.nip}", user="admin", json_body={"unit_id": other.unit_id})
    assert moved.status == 200, moved.body
    old_head, new_head = site.head["username"], other.head["username"]
    assert _waiting(api, old_head, staff.nip) == []
    (request,) = _waiting(api, new_head, staff.nip)
    path = f"/attendance/devices/requests/{staff.nip}/{request['device']}/approve"
    assert api.post(path, user=old_head).status == 404
    assert api.post(path, user=new_head).status == 200


def test_a_head_releases_his_staffs_phone_but_not_anothers(
    api: Api, site: Site, other: Site
) -> None:
    staff = site.staff()
    assert staff.check("in", MALILI)["state"] == "accepted"
    path = f"/attendance/devices/{staff.nip}"
    stranger = api.call("DELETE", path, user=other.head["username"])
    assert (stranger.status, stranger.json["code"]) == (404, "employee_not_found")
    assert api.call("DELETE", path, user=site.head["username"]).status == 204
    history = api.get(f"{path}/history", user="admin").json
    assert [(d["action"], d["by"]) for d in history] == [("released", site.head["nip"])]
    staff.device = f"android-{uuid.uuid4().hex[:16]}"  # the next phone binds on first use
    assert staff.check("out", MALILI)["state"] == "accepted"


def test_nobody_approves_his_own_phone(api: Api, site: Site) -> None:
    head = Staff(api, site.head)
    _new_phone(head)
    assert _waiting(api, head.user, head.nip) == [], "his own request is not his to decide"
    (request,) = _waiting(api, "admin", head.nip)
    path = f"/attendance/devices/requests/{head.nip}/{request['device']}/approve"
    own = api.post(path, user=head.user)
    assert (own.status, own.json["code"]) == (403, "own_attendance")


def test_a_head_corrects_his_staffs_days_of_this_month_and_last(
    api: Api, site: Site, other: Site
) -> None:
    staff = site.staff()
    today = clock.today()
    body = {"status": "leave", "leave_type": "dinas_luar", "reason": "SPT ke Malili"}
    last_month = today.replace(day=1) - timedelta(days=1)
    for day in (today, last_month.replace(day=1)):
        path = f"/attendance/days/{staff.nip}/{day.isoformat()}/corrections"
        made = api.post(path, user=site.head["username"], json_body=body)
        assert made.status == 201, (day, made.body)
        detail = api.get(f"/attendance/days/{staff.nip}/{day.isoformat()}", user=staff.user).json
        assert detail["status"]["status"] == "leave"
        assert detail["corrections"][-1]["by"] == site.head["nip"]
    older = last_month.replace(day=1) - timedelta(days=1)
    path = f"/attendance/days/{staff.nip}/{older.isoformat()}/corrections"
    late = api.post(path, user=site.head["username"], json_body=body)
    assert (late.status, late.json["code"]) == (403, "correction_window_closed")
    assert api.post(path, user="admin", json_body=body).status == 201, "admins still may"
    today_path = f"/attendance/days/{staff.nip}/{today.isoformat()}/corrections"
    stranger = api.post(today_path, user=other.head["username"], json_body=body)
    assert (stranger.status, stranger.json["code"]) == (404, "employee_not_found")
    hr = api.post(today_path, user="tpp.bkpsdm", json_body=body)
    assert (hr.status, hr.json["code"]) == (403, "not_a_corrector")
    own_path = f"/attendance/days/{site.head['nip']}/{today.isoformat()}/corrections"
    own = api.post(own_path, user=site.head["username"], json_body=body)
    assert (own.status, own.json["code"]) == (403, "own_attendance")


def test_a_head_no_longer_corrects_a_month_bkpsdm_froze(
    api: Api, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The functions run in this process: the month's report head is read through
    ``tpp.store.month_frozen``, here made to say this month is frozen."""
    from eoffice.tpp import store as tpp_store

    staff = site.staff()
    today = clock.today()
    month = today.isoformat()[:7]
    monkeypatch.setattr(tpp_store, "month_frozen", lambda asked: asked == month)
    body = {"status": "absent", "reason": "Tidak masuk tanpa keterangan"}
    path = f"/attendance/days/{staff.nip}/{today.isoformat()}/corrections"
    frozen = api.post(path, user=site.head["username"], json_body=body)
    assert (frozen.status, frozen.json["code"]) == (403, "correction_window_closed")
    assert api.post(path, user="admin", json_body=body).status == 201, "on BKPSDM's word"


def test_a_frozen_report_head_says_its_month_is_frozen(api: Api) -> None:
    """``month_frozen`` reads the regency's report head of the month (a month no test runs)."""
    from eoffice.tpp import store as tpp_store
    from eoffice.tpp.report_models import REGENCY

    month = "2019-03"
    assert tpp_store.month_frozen(month) is False
    row = tpp_store.TppRow(tpp_store.report_key(month, REGENCY), tpp_store.HEAD, frozen=True)
    row.save()
    assert tpp_store.month_frozen(month) is True
