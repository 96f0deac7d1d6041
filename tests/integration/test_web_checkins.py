"""Web check-ins (ADR 0024) over the API: a WebAuthn platform credential registered, approved by
an admin like a new phone, then check-ins signed by it; py_webauthn verifies real assertions made
by ``eoffice_local.platform_authenticator``."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from eoffice import settings
from eoffice_local.aws_calls import counting, total
from eoffice_local.platform_authenticator import Authenticator
from support.api import Api
from support.attendance import MALILI, Site, fix, queued
from support.organisation import unit_of


@pytest.fixture(scope="module")
def site(api: Api) -> Site:
    return Site(api, unit_of(api, "kadis.kominfo"))


def _authenticator() -> Authenticator:
    config = settings.get(settings.WebAuthn)
    return Authenticator(config.rp_id, config.allowed_origins[0])


def _registered(api: Api, user: str, nip: str, *, approve: bool = True) -> Authenticator:
    phone = _authenticator()
    options = api.post("/attendance/devices/webauthn/options", user=user)
    assert options.status == 200, options.body
    answer = api.post(
        "/attendance/devices/webauthn", user=user, json_body=phone.register(options.json["options"])
    )
    assert answer.status == 201, answer.body
    assert answer.json["state"] == "pending_approval"
    if approve:
        device = answer.json["device"]
        approved = api.post(f"/attendance/devices/requests/{nip}/{device}/approve", user="admin")
        assert approved.status == 200, approved.body
    return phone


def _challenges(api: Api, user: str, client_ids: list[str]) -> dict[str, str]:
    answer = api.post(
        "/attendance/check-ins/challenges", user=user, json_body={"client_ids": client_ids}
    )
    assert answer.status == 200, answer.body
    return {one["client_id"]: one["challenge"] for one in answer.json}


def _web_check(api: Api, user: str, phone: Authenticator, **options: Any) -> dict[str, Any]:
    client_id = uuid.uuid4().hex
    challenge = options.pop("challenge", None) or _challenges(api, user, [client_id])[client_id]
    body = {
        **fix("in", MALILI),
        "client_id": client_id,
        "device_id": phone.id,
        "webauthn": phone.assert_(challenge, **options),
    }
    answer = api.post("/attendance/check-ins", user=user, json_body=body)
    assert answer.status in {200, 201}, answer.body
    return answer.json  # type: ignore[no-any-return]


def test_registered_approved_web_check_in_waits_for_review_by_default(api: Api, site: Site) -> None:
    staff = site.staff()
    phone = _registered(api, staff.user, staff.nip)
    result = _web_check(api, staff.user, phone)
    assert result["source"] == "web"
    assert result["state"] == "pending_review", result
    assert "web_location_unverified" in result["flags"]


def test_with_policy_accept_a_web_check_in_is_accepted(
    api: Api, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WEB_CHECKIN_MOCK_POLICY", "accept")
    settings.reset()
    staff = site.staff()
    phone = _registered(api, staff.user, staff.nip)
    result = _web_check(api, staff.user, phone)
    assert (result["state"], result["source"], result["reasons"]) == ("accepted", "web", [])


def test_a_credential_not_yet_approved_is_refused(api: Api, site: Site) -> None:
    staff = site.staff()
    phone = _registered(api, staff.user, staff.nip, approve=False)
    result = _web_check(api, staff.user, phone)
    assert result["reasons"] == ["device_not_approved"], result


def test_wrong_origin_tampered_signature_and_foreign_challenge_are_refused(
    api: Api, site: Site
) -> None:
    staff, other = site.staff(), site.staff()
    phone = _registered(api, staff.user, staff.nip)
    wrong_origin = _web_check(api, staff.user, phone, origin="https://evil.example")
    assert wrong_origin["reasons"] == ["assertion_invalid"], wrong_origin
    tampered = _web_check(api, staff.user, phone, tamper=True)
    assert tampered["reasons"] == ["assertion_invalid"], tampered
    cid = uuid.uuid4().hex
    foreign = _challenges(api, other.user, [cid])[cid]  # another nip's challenge
    assert _web_check(api, staff.user, phone, challenge=foreign)["reasons"] == ["assertion_invalid"]
    not_verified = _web_check(api, staff.user, phone, user_verified=False)
    assert not_verified["reasons"] == ["assertion_invalid"]


def test_a_colleagues_credential_is_refused(api: Api, site: Site) -> None:
    owner, colleague = site.staff(), site.staff()
    phone = _registered(api, owner.user, owner.nip)
    result = _web_check(api, colleague.user, phone)
    assert result["reasons"] == ["device_bound_to_other"], result


def test_an_expired_challenge_is_refused(api: Api, site: Site) -> None:
    from eoffice.attendance import challenges

    staff = site.staff()
    phone = _registered(api, staff.user, staff.nip)
    cid = uuid.uuid4().hex
    old = challenges.issue(challenges.CHECK_IN, staff.nip, cid, datetime.now(UTC) - timedelta(1))
    body = {
        **fix("in", MALILI),
        "client_id": cid,
        "device_id": phone.id,
        "webauthn": phone.assert_(old.text),
    }
    result = api.post("/attendance/check-ins", user=staff.user, json_body=body).json
    assert result["reasons"] == ["challenge_expired"], result


def test_an_offline_batch_of_web_check_ins(api: Api, site: Site) -> None:
    staff = site.staff()
    phone = _registered(api, staff.user, staff.nip)
    now = datetime.now(UTC)
    items = [queued("in", now - timedelta(minutes=50)), queued("out", now - timedelta(minutes=5))]
    issued = _challenges(api, staff.user, [item["client_id"] for item in items])
    for item in items:
        item.pop("boot_count")
        item["clock_session"] = "page-load-1"
        item["webauthn"] = phone.assert_(issued[item["client_id"]])
    body = {
        "device_id": phone.id,
        "sent_at": now.isoformat(),
        "sent_elapsed_ms": items[-1]["elapsed_ms"] + 5 * 60 * 1000,
        "clock_session": "page-load-1",
        "items": items,
    }
    answer = api.post("/attendance/check-ins/batch", user=staff.user, json_body=body)
    assert answer.status == 200, answer.body
    results = answer.json["results"]
    assert [r["source"] for r in results] == ["web", "web"]
    assert [r["reasons"] for r in results] == [[], []], results


def test_an_offline_item_signed_before_a_later_online_check_in_still_counts(
    api: Api, site: Site
) -> None:
    """An authenticator that counts signs the queued item first (count 1), then an online
    check-in (count 2), which arrives first: the queued one is not refused for its lower count."""
    staff = site.staff()
    phone = _registered(api, staff.user, staff.nip)
    now = datetime.now(UTC)
    (item,) = [queued("in", now - timedelta(minutes=30))]
    issued = _challenges(api, staff.user, [item["client_id"]])
    item.pop("boot_count")
    item["clock_session"] = "page-load-2"
    item["webauthn"] = phone.assert_(issued[item["client_id"]])
    online = _web_check(api, staff.user, phone)  # signed with the higher count, sent first
    assert (online["state"], online["reasons"]) == ("pending_review", []), online
    body = {
        "device_id": phone.id,
        "sent_at": now.isoformat(),
        "sent_elapsed_ms": item["elapsed_ms"] + 30 * 60 * 1000,
        "clock_session": "page-load-2",
        "items": [item],
    }
    answer = api.post("/attendance/check-ins/batch", user=staff.user, json_body=body)
    assert answer.status == 200, answer.body
    (result,) = answer.json["results"]
    assert (result["source"], result["reasons"]) == ("web", []), result
    again = _web_check(api, staff.user, phone)  # the stored count still moves on
    assert (again["state"], again["reasons"]) == ("pending_review", []), again


def test_an_online_assertion_with_a_counter_gone_back_is_refused(api: Api, site: Site) -> None:
    """A counting authenticator's number only grows: an online check-in signed with a count at
    or below the stored one (a cloned key) is refused."""
    staff = site.staff()
    phone = _registered(api, staff.user, staff.nip)
    assert _web_check(api, staff.user, phone)["reasons"] == []
    assert _web_check(api, staff.user, phone)["reasons"] == []
    phone.sign_count = 0  # the clone signs 1, the stored count is 2
    assert _web_check(api, staff.user, phone)["reasons"] == ["assertion_invalid"]


def test_a_web_check_in_takes_three_dynamodb_calls(api: Api, site: Site) -> None:
    staff = site.staff()
    phone = _registered(api, staff.user, staff.nip)
    cid = uuid.uuid4().hex
    challenge = _challenges(api, staff.user, [cid])[cid]
    body = {
        **fix("in", MALILI),
        "client_id": cid,
        "device_id": phone.id,
        "webauthn": phone.assert_(challenge),
    }
    with counting() as calls:
        answer = api.post("/attendance/check-ins", user=staff.user, json_body=body)
    assert answer.status in {200, 201} and answer.json["reasons"] == [], answer.body
    assert total(calls, "dynamodb") <= 3, calls


def test_the_day_view_shows_the_web_source(
    api: Api, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WEB_CHECKIN_MOCK_POLICY", "accept")
    settings.reset()
    staff = site.staff()
    phone = _registered(api, staff.user, staff.nip)
    result = _web_check(api, staff.user, phone)
    day = result["checkin_id"][:10]
    answer = api.get(f"/attendance/days/{staff.nip}/{day}", user=staff.user)
    assert answer.status == 200, answer.body
    body = answer.json
    status = body.get("status", body)
    assert status["sources"] == ["web"], body
    assert [c["source"] for c in body["checkins"]] == ["web"]
