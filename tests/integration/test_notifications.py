"""Notifications through the local runner: an act in the API publishes its event on the bus, the
template's rule puts it on the notifications queue, the function tells the people concerned,
and each sees it in his list (GET /me/notifications)."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import httpx
import pytest
from eoffice import clock
from eoffice.attendance.checkin import device_hash
from eoffice_local.environment import LocalEnvironment
from eoffice_local.notify_demo import NotifyServices
from eoffice_local.poller import sqs_event
from eoffice_local.push_service import PushServiceStandIn, start_push_service
from support.api import Api, Intake, QueueDriver
from support.attendance import MALILI, Site, Staff
from support.dispositions import assignment_path, dispose
from support.events import EventTap
from support.letters import letter_metadata, registered_letter
from support.mail import sent_to
from support.organisation import NIP, unit_of
from support.outgoing import approve_all, draft
from support.push_browser import PushBrowser


class Notifier(QueueDriver):
    """The notifications function's queue, which every test's events fill: each test here
    clears what others left (``settle``) before it acts, so what it drains is its own."""

    def drain(self, *, rounds: int = 2000) -> int:
        return super().drain(rounds=rounds)

    def queued(self) -> list[dict[str, Any]]:
        """The messages this test's acts queued (``settle`` dropped the others), not handled."""
        return self.sqs.receive_message(
            QueueUrl=self.queue_url,
            MaxNumberOfMessages=10,
            WaitTimeSeconds=1,
            AttributeNames=["All"],
        )["Messages"]  # type: ignore[no-any-return]

    def queued_event(self, detail_type: str) -> Any:
        """The one domain event of ``detail_type`` this test queued, as the function reads it."""
        from eoffice.notifications.events_in import event_in

        (event,) = [
            e for e in (event_in(m["Body"]) for m in self.queued()) if e.detail_type == detail_type
        ]
        return event

    def settle(self) -> None:
        """Drop what is queued without handling it (PurgeQueue allows one call a minute)."""
        while True:
            got = self.sqs.receive_message(
                QueueUrl=self.queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=0
            ).get("Messages", [])
            if not got:
                return
            self.sqs.delete_message_batch(
                QueueUrl=self.queue_url,
                Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got)
                ],
            )


def republished(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The same events published again: new EventBridge ids, new SQS messages."""
    copies = []
    for message in messages:
        body = json.loads(message["Body"])
        body["id"] = str(uuid.uuid4())
        copies.append({**message, "MessageId": str(uuid.uuid4()), "Body": json.dumps(body)})
    return copies


@pytest.fixture
def notifier(local_env: LocalEnvironment) -> Notifier:
    driver = Notifier(local_env, "NotificationsFunction")
    driver.settle()
    return driver


def notices(api: Api, user: str) -> list[dict[str, Any]]:
    answer = api.get("/me/notifications", user=user)
    assert answer.status == 200, answer.body
    return answer.json["items"]  # type: ignore[no-any-return]


def about(api: Api, user: str, path: str) -> list[dict[str, Any]]:
    return [n for n in notices(api, user) if n["path"] == path]


def test_a_disposition_is_in_the_recipients_list(
    api: Api, intake: Intake, notifier: Notifier
) -> None:
    letter = registered_letter(api, intake, clerk="tu.kominfo")
    path = f"/surat/{letter['letter_id']}"
    dispose(api, "tu.kominfo", letter["letter_id"], "kadis.kominfo")

    notifier.drain()

    (notice,) = about(api, "kadis.kominfo", path)
    assert notice["kind"] == "disposition_received"
    assert notice["title"] == "Disposisi baru"
    assert notice["body"].startswith("Anda menerima disposisi")
    assert notice["nip"] == NIP["kadis.kominfo"] and notice["read_at"] is None
    assert about(api, "tu.kominfo", path) == []  # not told of his own act
    assert about(api, "staf.kominfo", path) == []  # not concerned


def test_what_the_recipient_does_is_told_to_the_sender(
    api: Api, intake: Intake, notifier: Notifier
) -> None:
    letter = registered_letter(api, intake, clerk="tu.kominfo")
    path = f"/surat/{letter['letter_id']}"
    (assignment,) = dispose(api, "kadis.kominfo", letter["letter_id"], "staf.kominfo")[
        "assignments"
    ]
    assert api.get(assignment_path(assignment), user="staf.kominfo").status == 200  # read
    done = api.post(
        assignment_path(assignment) + "/complete", user="staf.kominfo", json_body={"report": "Ok"}
    )
    assert done.status == 200, done.body

    notifier.drain()

    kinds = sorted(n["kind"] for n in about(api, "kadis.kominfo", path))
    assert kinds == ["disposition_read", "disposition_reported"]
    assert [n["kind"] for n in about(api, "staf.kominfo", path)] == ["disposition_received"]


def test_an_event_delivered_again_tells_nobody_twice(
    api: Api, intake: Intake, notifier: Notifier, local_env: LocalEnvironment
) -> None:
    letter = registered_letter(api, intake, clerk="tu.kominfo")
    path = f"/surat/{letter['letter_id']}"
    dispose(api, "tu.kominfo", letter["letter_id"], "kadis.kominfo")
    messages = notifier.queued()
    event = sqs_event(messages, notifier.poller.queue_arn, notifier.poller.region)

    for _ in range(2):  # SQS delivers at least once
        assert local_env.runtime.invoke("NotificationsFunction", event) == {"batchItemFailures": []}

    assert len(about(api, "kadis.kominfo", path)) == 1


def test_an_event_published_twice_tells_nobody_twice(
    api: Api, intake: Intake, notifier: Notifier, local_env: LocalEnvironment
) -> None:
    """A replayed request publishes its event again, with a new EventBridge id."""
    letter = registered_letter(api, intake, clerk="tu.kominfo")
    path = f"/surat/{letter['letter_id']}"
    dispose(api, "tu.kominfo", letter["letter_id"], "kadis.kominfo")
    messages = notifier.queued()
    copies = republished(messages)  # as a replayed request would publish them
    event = sqs_event(messages + copies, notifier.poller.queue_arn, notifier.poller.region)

    assert local_env.runtime.invoke("NotificationsFunction", event) == {"batchItemFailures": []}
    assert len(about(api, "kadis.kominfo", path)) == 1


def test_a_message_that_is_no_event_fails_alone(
    notifier: Notifier, local_env: LocalEnvironment
) -> None:
    good = {
        "MessageId": "m-good",
        "ReceiptHandle": "r1",
        "Body": json.dumps(
            {
                "version": "0",
                "id": "11111111-2222-3333-4444-555555555555",
                "detail-type": "CalendarNotConfigured",
                "source": "eoffice.calendar",
                "account": "123456789012",
                "time": "2026-12-07T00:00:00Z",
                "region": "ap-southeast-3",
                "resources": [],
                "detail": {"year": 2027},
            }
        ),
        "Attributes": {"ApproximateReceiveCount": "1"},
    }
    broken = {**good, "MessageId": "m-broken", "Body": "{not json"}
    event = sqs_event([good, broken], notifier.poller.queue_arn, notifier.poller.region)

    assert local_env.runtime.invoke("NotificationsFunction", event) == {
        "batchItemFailures": [{"itemIdentifier": "m-broken"}]
    }


def test_marking_read_and_what_others_may_not_touch(
    api: Api, intake: Intake, notifier: Notifier
) -> None:
    letter = registered_letter(api, intake, clerk="tu.kominfo")
    path = f"/surat/{letter['letter_id']}"
    dispose(api, "tu.kominfo", letter["letter_id"], "kadis.kominfo")
    notifier.drain()
    (notice,) = about(api, "kadis.kominfo", path)
    read = f"/me/notifications/{notice['notification_id']}/read"

    assert api.post(read, user="staf.kominfo").status == 404  # not his: as if it did not exist
    marked = api.post(read, user="kadis.kominfo")
    assert marked.status == 200 and marked.json["read_at"]
    again = api.post(read, user="kadis.kominfo")
    assert again.json["read_at"] == marked.json["read_at"]
    assert api.get("/notifications/failures", user="kadis.kominfo").status == 403


def test_preferences_default_to_the_regencys_and_are_his_own(api: Api) -> None:
    first = api.get("/me/notification-preferences", user="staf.kominfo")
    assert first.status == 200, first.body
    assert first.json["channels"] == ["web_push", "email"]
    assert first.json["quiet_hours"] == {"start": "21:00", "end": "06:00"}

    changed = api.put(
        "/me/notification-preferences",
        user="staf.kominfo",
        json_body={"urgent_only": True, "clear_quiet_hours": True},
    )
    assert changed.status == 200, changed.body
    assert changed.json["urgent_only"] is True and changed.json["quiet_hours"] is None
    assert (
        api.get("/me/notification-preferences", user="kadis.kominfo").json["urgent_only"] is False
    )

    refused = api.put(
        "/me/notification-preferences", user="staf.kominfo", json_body={"channels": ["sms"]}
    )
    assert refused.status == 422
    assert refused.headers["content-type"].startswith("application/problem+json")


def test_his_whatsapp_number_is_seen_by_him_and_hr_only(api: Api) -> None:
    staff = Site(api, unit_of(api, "kadis.kominfo")).staff()
    own = {"whatsapp_number": "0813 4000 1234"}
    assert api.put("/me/notification-preferences", user=staff.user, json_body=own).status == 200
    path = f"/employees/{staff.nip}/notification-preferences"

    for reader in (staff.user, "tpp.bkpsdm"):  # himself, and hr (BKPSDM)
        seen = api.get(path, user=reader)
        assert seen.status == 200, seen.body
        assert seen.json["whatsapp_number"] == "6281340001234"
    for other in ("kadis.kominfo", "staf.kominfo", "admin"):  # his head, a colleague, an admin
        refused = api.get(path, user=other)
        assert refused.status == 403 and refused.json["code"] == "not_hr", refused.body
        assert b"6281340001234" not in refused.body
    missing = api.get("/employees/199001012099011999/notification-preferences", user="tpp.bkpsdm")
    assert missing.status == 404 and missing.json["code"] == "employee_not_found"
    malformed = api.get(f"/employees/{'9' * 3000}/notification-preferences", user="tpp.bkpsdm")
    assert malformed.status == 422, malformed.body  # not a key DynamoDB would refuse with a 500


def test_a_prepared_disposition_is_told_to_its_head(
    api: Api, intake: Intake, notifier: Notifier
) -> None:
    letter = registered_letter(api, intake, clerk="tu.kominfo")
    body = {"recipients": [{"nip": NIP["staf.kominfo"]}], "instructions": ["tindak_lanjuti"]}
    made = api.post(
        f"/letters/{letter['letter_id']}/prepared-dispositions", user="tu.kominfo", json_body=body
    )
    assert made.status == 201, made.body

    notifier.drain()

    waiting = [n for n in notices(api, "kadis.kominfo") if n["kind"] == "prepared_for_approval"]
    assert waiting and waiting[0]["path"] == "/disiapkan"
    assert waiting[0]["title"] == "Konsep disposisi menunggu persetujuan"


def test_a_refused_upload_is_told_to_the_clerk_who_sent_it(
    api: Api, intake: Intake, notifier: Notifier
) -> None:
    registered = api.post("/letters", user="tu.kominfo", json_body=letter_metadata())
    assert registered.status == 201, registered.body
    letter_id = registered.json["letter"]["letter_id"]
    form = registered.json["upload"]
    sent = httpx.post(form["url"], data=form["fields"], files={"file": ("surat.pdf", b"")})
    assert sent.status_code in {200, 201, 204}
    intake.drain()

    notifier.drain()

    (refused,) = [n for n in notices(api, "tu.kominfo") if n["path"] == f"/agenda/{letter_id}"]
    assert refused["kind"] == "file_refused" and refused["title"] == "Berkas ditolak"


def test_leave_is_told_to_the_head_who_decides_and_his_decision_to_the_employee(
    api: Api, notifier: Notifier
) -> None:
    first = (clock.today() + timedelta(days=20)).isoformat()
    body = {"type": "izin", "starts_on": first, "ends_on": first, "reason": "Keperluan keluarga"}
    filed = api.post("/leaves", user="staf.kominfo", json_body=body)
    assert filed.status == 201, filed.body
    leave_id = filed.json["leave_id"]

    notifier.drain()
    waiting = [n for n in notices(api, "kadis.kominfo") if n["kind"] == "leave_filed"]
    assert waiting, "the head was not told"
    decided = api.post(f"/leaves/{leave_id}/approve", user="kadis.kominfo")
    assert decided.status == 200, decided.body
    notifier.drain()

    told = [n for n in notices(api, "staf.kominfo") if n["kind"] == "leave_approved"]
    assert told and told[0]["title"] == "Cuti Anda disetujui"


def test_a_flagged_check_in_and_a_phone_waiting_are_told_to_his_head_once(
    api: Api, notifier: Notifier
) -> None:
    """Through the check-in function, which announces only what it flagged, and a phone's wait
    once (each wait: a phone approved and waiting again later is told again)."""
    tap = EventTap(api, "eoffice.attendance")
    site = Site(api, unit_of(api, "kadis.kominfo"))
    staff = site.staff()
    first_phone = staff.device
    assert staff.check("in", MALILI)["state"] == "accepted"  # binds the phone, flags nothing
    assert staff.check("out", MALILI, mock_location=True)["flags"] == ["mock_location"]
    staff.device = f"android-{uuid.uuid4().hex[:16]}"
    for _ in range(2):  # two refused attempts from a second phone
        assert staff.check("out", MALILI)["reasons"] == ["device_not_approved"]
    notifier.drain()

    announced = [e["detail-type"] for e in tap.drain() if e["detail"].get("nip") == staff.nip]
    assert sorted(announced) == ["AttendanceFlagged", "DeviceApprovalRequested"]
    name = staff.employee["name"]
    head = [n for n in notices(api, site.head["username"]) if name in n["body"]]
    assert sorted(n["kind"] for n in head) == ["attendance_flagged", "device_waiting"]
    (flagged,) = [n for n in head if n["kind"] == "attendance_flagged"]
    assert flagged["title"] == "Presensi perlu ditinjau" and "lokasi palsu" in flagged["body"]
    paths = {n["kind"]: n["path"] for n in head}  # the screen where he acts on each
    assert paths == {"attendance_flagged": "/tinjauan", "device_waiting": "/perangkat"}
    admins = [n["kind"] for n in notices(api, "admin") if name in n["body"]]
    assert admins == ["device_waiting"]  # who approves phones: once for both attempts
    assert not [n for n in notices(api, staff.user) if name in n["body"]]  # never his own

    second_phone = staff.device
    for waiting, back_to in ((second_phone, first_phone), (first_phone, second_phone)):
        approve = f"/attendance/devices/requests/{staff.nip}/{device_hash(waiting)}/approve"
        assert api.post(approve, user="admin").status == 200
        staff.device = back_to  # the phone he used before waits again
        assert staff.check("out", MALILI)["reasons"] == ["device_not_approved"]
    notifier.drain()
    waits = [n for n in notices(api, "admin") if name in n["body"]]
    assert len(waits) == 3  # each wait told: the second phone, the first again, the second again


def test_a_head_s_own_flags_go_to_the_head_above(api: Api, notifier: Notifier) -> None:
    site = Site(api, unit_of(api, "kadis.kominfo"))
    head = Staff(api, site.head)
    assert head.check("in", MALILI, mock_location=True)["flags"] == ["mock_location"]
    notifier.drain()

    name = site.head["name"]
    above = [n for n in notices(api, "kadis.kominfo") if name in n["body"]]
    assert [n["kind"] for n in above] == ["attendance_flagged"]
    assert not [n for n in notices(api, head.user) if name in n["body"]]


def test_a_bus_that_refuses_fails_no_check_in(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check-in is recorded before it is announced: a failing publication is logged, the
    phone gets its answer, and the flag waits in the review queue."""
    from eoffice import events

    def refused(*_: Any, **__: Any) -> None:
        raise events.PublishError("the bus refused")

    monkeypatch.setattr(events, "publish", refused)
    site = Site(api, unit_of(api, "kadis.kominfo"))
    staff = site.staff()
    result = staff.check("in", MALILI, mock_location=True, expect=201)
    assert result["flags"] == ["mock_location"]
    queue = api.get(f"/attendance/flags?unit={site.unit_id}", user=site.head["username"])
    assert [f["nip"] for f in queue.json["items"]] == [staff.nip]


def test_a_published_tpp_report_is_told_to_hr_and_a_changed_month_to_its_employee(
    api: Api, notifier: Notifier, local_env: LocalEnvironment
) -> None:
    """As the TPP report function publishes it (test_tpp_reports checks that it does)."""
    detail = {
        "month": "2026-11",
        "scope": "all",
        "version": 7,
        "paid_changed": [NIP["staf.kominfo"]],
    }
    body = {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "TppReportPublished",
        "source": "eoffice.tpp",
        "time": "2026-12-01T01:00:00Z",
        "region": "ap-southeast-3",
        "resources": [],
        "detail": detail,
    }
    message = {
        "MessageId": "m-tpp",
        "ReceiptHandle": "r",
        "Body": json.dumps(body),
        "Attributes": {},
    }
    event = sqs_event([message], notifier.poller.queue_arn, notifier.poller.region)

    assert local_env.runtime.invoke("NotificationsFunction", event) == {"batchItemFailures": []}

    (hr,) = [n for n in notices(api, "tpp.bkpsdm") if n["kind"] == "tpp_report_published"]
    assert hr["body"] == "Laporan TPP terbit untuk November 2026."
    (own,) = [n for n in notices(api, "staf.kominfo") if n["kind"] == "tpp_changed"]
    assert "Rp" not in own["body"] and "November 2026" in own["body"]
    assert [n for n in notices(api, "kadis.kominfo") if n["kind"].startswith("tpp")] == []


# ---------------------------------------------------------------- the channels
@pytest.fixture(scope="module")
def push_service() -> Iterator[PushServiceStandIn]:
    service = start_push_service()
    yield service
    service.stop()


def subscribed(api: Api, user: str, push_service: PushServiceStandIn) -> tuple[PushBrowser, str]:
    """A browser of ``user`` subscribed, as the app does: the key from the API, the
    subscription back to it."""
    key = api.get("/notifications/push-key", user=user).json["public_key"]
    browser = PushBrowser()
    subscription = browser.subscribe(push_service, key)
    answer = api.post("/me/push-subscriptions", user=user, json_body=subscription)
    assert answer.status == 201, answer.body
    return browser, subscription["endpoint"]


def test_the_recipient_is_told_through_every_channel(
    api: Api,
    intake: Intake,
    notifier: Notifier,
    push_service: PushServiceStandIn,
    notify_services: NotifyServices,
    local_env: LocalEnvironment,
) -> None:
    browser, endpoint = subscribed(api, "staf.kominfo", push_service)
    everything = {
        "channels": ["web_push", "email", "whatsapp"],
        "whatsapp_number": "0812-3456-7890",
        "clear_quiet_hours": True,  # the suite may run at night in WITA
        "urgent_only": False,
    }
    set_to = api.put("/me/notification-preferences", user="staf.kominfo", json_body=everything)
    assert set_to.status == 200, set_to.body
    assert set_to.json["whatsapp_number"] == "6281234567890"
    letter = registered_letter(api, intake, clerk="tu.kominfo", urgensi="amat_segera")
    path = f"/surat/{letter['letter_id']}"
    dispose(api, "kadis.kominfo", letter["letter_id"], "staf.kominfo")

    notifier.drain()

    (pushed,) = [m for m in browser.messages(push_service, endpoint) if m["path"] == path]
    assert pushed["title"] == "Disposisi baru" and pushed["urgent"] is True
    assert pushed["body"].startswith("Anda menerima disposisi")
    (notice,) = about(api, "staf.kominfo", path)
    assert pushed["tag"] == notice["notification_id"]
    assert {d["channel"]: d["status"] for d in notice["deliveries"]} == {
        "email": "sent",
        "web_push": "sent",
        "whatsapp": "sent",
    }
    address = api.get("/me", user="staf.kominfo").json["employee"]["email"]
    mails = [m for m in sent_to(local_env.stack.endpoint_url, address) if path in m.text]
    assert len(mails) == 1 and mails[0].subject == "e-Office Luwu Timur: [Segera] Disposisi baru"
    texts = [
        json.dumps(b) for b in notify_services.whatsapp.delivered() if b["to"] == "6281234567890"
    ]
    assert any(path.lstrip("/") in text for text in texts)


def test_a_subscription_the_push_service_forgot_is_removed(
    api: Api, intake: Intake, notifier: Notifier, push_service: PushServiceStandIn
) -> None:
    _, endpoint = subscribed(api, "kadis.kominfo", push_service)
    push_service.mark_gone(endpoint.rsplit("/", 1)[1])
    api.put(
        "/me/notification-preferences",
        user="kadis.kominfo",
        json_body={"channels": ["web_push"], "clear_quiet_hours": True},
    )
    letter = registered_letter(api, intake, clerk="tu.kominfo")
    path = f"/surat/{letter['letter_id']}"
    dispose(api, "tu.kominfo", letter["letter_id"], "kadis.kominfo")

    notifier.drain()

    (notice,) = about(api, "kadis.kominfo", path)
    assert [(d["channel"], d["status"]) for d in notice["deliveries"]] == [("web_push", "gone")]
    from eoffice.notifications import store

    assert all(d.endpoint != endpoint for d in store.subscriptions(NIP["kadis.kominfo"]))


def test_e_mail_goes_only_when_no_push_subscription_took_the_notice(
    api: Api,
    intake: Intake,
    notifier: Notifier,
    push_service: PushServiceStandIn,
    local_env: LocalEnvironment,
) -> None:
    """ADR 0029: a notice that is not urgent goes to his subscribed phone, not by e-mail too;
    once his subscription is gone, the same notice goes by e-mail in the same delivery."""
    user = "staf.kominfo"
    browser, endpoint = subscribed(api, user, push_service)
    both = {"channels": ["web_push", "email"], "clear_quiet_hours": True, "urgent_only": False}
    assert api.put("/me/notification-preferences", user=user, json_body=both).status == 200
    address = api.get("/me", user=user).json["employee"]["email"]

    pushed = registered_letter(api, intake, clerk="tu.kominfo")
    dispose(api, "kadis.kominfo", pushed["letter_id"], user)
    notifier.drain()
    path = f"/surat/{pushed['letter_id']}"
    (notice,) = about(api, user, path)
    assert [(d["channel"], d["status"]) for d in notice["deliveries"]] == [("web_push", "sent")]
    assert [m for m in browser.messages(push_service, endpoint) if m["path"] == path]
    assert not [m for m in sent_to(local_env.stack.endpoint_url, address) if path in m.text]

    from eoffice.notifications import store

    for device in store.subscriptions(NIP[user]):  # earlier tests' browsers too
        push_service.mark_gone(device.endpoint.rsplit("/", 1)[1])
    mailed = registered_letter(api, intake, clerk="tu.kominfo")
    dispose(api, "kadis.kominfo", mailed["letter_id"], user)
    notifier.drain()
    path = f"/surat/{mailed['letter_id']}"
    (notice,) = about(api, user, path)
    assert {d["channel"]: d["status"] for d in notice["deliveries"]} == {
        "web_push": "gone",
        "email": "sent",
    }
    assert len([m for m in sent_to(local_env.stack.endpoint_url, address) if path in m.text]) == 1


def test_a_fallback_e_mail_that_failed_is_sent_on_the_retry(
    api: Api,
    intake: Intake,
    notifier: Notifier,
    push_service: PushServiceStandIn,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Push refused the notice for good and the fallback e-mail failed for now: the retry sends
    the e-mail (and only it), though push is still reachable and settled."""
    from eoffice.notifications import notifying, sending
    from eoffice.notifications.models import Channel, Delivery, DeliveryStatus

    user = "staf.kominfo"
    subscribed(api, user, push_service)
    both = {"channels": ["web_push", "email"], "clear_quiet_hours": True, "urgent_only": False}
    assert api.put("/me/notification-preferences", user=user, json_body=both).status == 200
    letter = registered_letter(api, intake, clerk="tu.kominfo")
    dispose(api, "kadis.kominfo", letter["letter_id"], user)
    event = notifier.queued_event("LetterDisposed")
    sent: list[Channel] = []
    answers = {
        Channel.web_push: [DeliveryStatus.rejected],
        Channel.email: [DeliveryStatus.failed, DeliveryStatus.sent],
    }

    def send(channel: Channel, message: Any, recipient: Any) -> Delivery:
        if message.nip != NIP[user]:
            return Delivery(DeliveryStatus.sent, "")
        sent.append(channel)
        return Delivery(answers[channel].pop(0), "stand-in")

    monkeypatch.setattr(sending, "send", send)
    with pytest.raises(notifying.ChannelsFailed):
        notifying.handle(event, attempt=1)
    retried = notifying.handle(event, attempt=2)

    assert sent == [Channel.web_push, Channel.email, Channel.email]
    (notice,) = [n for n in retried if n.nip == NIP[user]]
    assert {d.channel.value: d.status.value for d in notice.deliveries} == {
        "web_push": "rejected",
        "email": "sent",
    }
    notifier.drain()


def test_a_subscription_is_checked_before_it_is_kept(api: Api) -> None:
    bad = {"endpoint": "http://10.0.0.5/push/x", "keys": {"p256dh": "AAAA", "auth": "BBBB"}}

    refused = api.post("/me/push-subscriptions", user="staf.kominfo", json_body=bad)

    assert refused.status == 422, refused.body
    assert refused.headers["content-type"].startswith("application/problem+json")


# ---------------------------------------------------------------- the morning digest
def test_heads_get_one_morning_digest_on_working_days(
    api: Api, intake: Intake, local_env: LocalEnvironment
) -> None:
    letter = registered_letter(api, intake, clerk="tu.kominfo")
    dispose(api, "kadis.kominfo", letter["letter_id"], "staf.kominfo")  # open in Kominfo
    monday = {"action": "morning-digest", "scheduled_time": "2026-12-13T23:00:00Z"}  # 07:00 WITA
    sunday = {"action": "morning-digest", "scheduled_time": "2026-12-12T23:00:00Z"}

    assert local_env.runtime.invoke("NotificationsFunction", sunday) == {"digests": 0}
    first = local_env.runtime.invoke("NotificationsFunction", monday)
    again = local_env.runtime.invoke("NotificationsFunction", monday)  # the schedule's retry

    assert first["digests"] >= 1 and again == first
    digests = [n for n in notices(api, "kadis.kominfo") if n["kind"] == "digest"]
    (digest,) = [d for d in digests if d["created_at"].startswith("2026-12-13")]
    assert digest["title"] == "Ringkasan pagi" and digest["path"] == "/ikhtisar"
    assert "disposisi terbuka" in digest["body"]
    assert [n for n in notices(api, "staf.kominfo") if n["kind"] == "digest"] == []  # heads only


def test_the_digest_counts_leave_waiting_and_flags_to_review(
    api: Api, local_env: LocalEnvironment
) -> None:
    site = Site(api, unit_of(api, "kadis.kominfo"))
    staff = site.staff()
    assert staff.check("in", MALILI, mock_location=True)["flags"] == ["mock_location"]
    head = Staff(api, site.head)  # his own flag is not his to review: the head above's
    assert head.check("in", MALILI, mock_location=True)["flags"] == ["mock_location"]
    first = (clock.today() + timedelta(days=20)).isoformat()
    leave = {"type": "izin", "starts_on": first, "ends_on": first, "reason": "Keperluan keluarga"}
    assert api.post("/leaves", user=staff.user, json_body=leave).status == 201
    tuesday = {"action": "morning-digest", "scheduled_time": "2026-12-14T23:00:00Z"}  # 07:00 WITA

    assert local_env.runtime.invoke("NotificationsFunction", tuesday)["digests"] >= 1

    (digest,) = [n for n in notices(api, site.head["username"]) if n["kind"] == "digest"]
    assert digest["body"] == (
        f"{site.unit['name']} dan unit di bawahnya: 1 permohonan cuti menunggu keputusan Anda, "
        "1 presensi perlu ditinjau."
    )


def test_a_failing_channel_holds_up_no_other_and_is_given_up_into_the_dead_letter_queue(
    api: Api,
    intake: Intake,
    notifier: Notifier,
    notify_services: NotifyServices,
    local_env: LocalEnvironment,
) -> None:
    user = "tu.kominfo"
    prefs = {
        "channels": ["email", "whatsapp"],
        "whatsapp_number": "081298765432",
        "clear_quiet_hours": True,
        "urgent_only": False,
    }
    assert api.put("/me/notification-preferences", user=user, json_body=prefs).status == 200
    letter = registered_letter(api, intake, clerk="tu.kominfo")
    path = f"/surat/{letter['letter_id']}"
    dispose(api, "kadis.kominfo", letter["letter_id"], user)
    messages = notifier.queued()
    notify_services.whatsapp.unavailable(times=20)

    def delivery(receive: int) -> Any:
        for message in messages:
            message["Attributes"]["ApproximateReceiveCount"] = str(receive)
        return local_env.runtime.invoke(
            "NotificationsFunction",
            sqs_event(messages, notifier.poller.queue_arn, notifier.poller.region),
        )

    first = delivery(1)
    (notice,) = about(api, user, path)
    statuses = {d["channel"]: (d["status"], d["attempts"]) for d in notice["deliveries"]}
    assert statuses == {"email": ("sent", 1), "whatsapp": ("failed", 1)}
    assert first["batchItemFailures"], "the message must come back for the failing channel"
    assert notice["given_up_at"] is None

    last = delivery(5)  # NOTIFY_MAX_ATTEMPTS: the queue moves it to the dead-letter queue next
    (notice,) = about(api, user, path)
    statuses = {d["channel"]: (d["status"], d["attempts"]) for d in notice["deliveries"]}
    assert statuses == {"email": ("sent", 1), "whatsapp": ("failed", 2)}  # e-mail not resent
    assert last["batchItemFailures"] and notice["given_up_at"]
    failures = api.get("/notifications/failures", user="admin").json["items"]
    (listed,) = [f for f in failures if f["notification_id"] == notice["notification_id"]]
    assert "body" not in listed and "title" not in listed  # who and through what, not the text
    assert listed["name"] == api.get("/me", user=user).json["employee"]["name"]

    assert api.post(f"/me/notifications/{notice['notification_id']}/read", user=user).status == 200
    still = api.get("/notifications/failures", user="admin").json["items"]
    assert any(f["notification_id"] == notice["notification_id"] for f in still)  # read: kept
    notify_services.whatsapp.reset()
    api.put(
        "/me/notification-preferences", user=user, json_body={"channels": ["web_push", "email"]}
    )


def test_one_message_handed_to_two_instances_at_once_is_sent_once(
    api: Api, intake: Intake, notifier: Notifier, notify_services: NotifyServices
) -> None:
    """SQS may give one message to two function instances at the same time: the one that wrote
    the notice holds its channels while it sends (WhatsApp answers slowly here), the other sends
    nothing and asks for the message again; that retry finds it sent."""
    from eoffice.notifications import notifying

    user, number = "tu.kominfo", "6281277700011"
    prefs = {"channels": ["whatsapp"], "whatsapp_number": number, "clear_quiet_hours": True}
    assert api.put("/me/notification-preferences", user=user, json_body=prefs).status == 200
    letter = registered_letter(api, intake, clerk="tu.kominfo")
    dispose(api, "kadis.kominfo", letter["letter_id"], user)
    event = notifier.queued_event("LetterDisposed")
    notify_services.whatsapp.delay_seconds = 2.0
    start = threading.Barrier(2)

    def instance() -> str:
        start.wait()
        try:
            notifying.handle(event, attempt=1)
        except notifying.ChannelsFailed as held:
            return f"again: {held}"
        return "sent"

    try:
        with ThreadPoolExecutor(2) as pool:
            outcomes = sorted(pool.map(lambda _: instance(), range(2)))
    finally:
        notify_services.whatsapp.delay_seconds = 0.0
    retried = notifying.handle(event, attempt=2)

    assert outcomes[0].startswith("again:") and "in flight" in outcomes[0], outcomes
    assert outcomes[1] == "sent", outcomes
    texts = [json.dumps(b) for b in notify_services.whatsapp.delivered() if b["to"] == number]
    assert len([t for t in texts if letter["letter_id"] in t]) == 1
    (notice,) = [n for n in retried if n.nip == NIP[user]]
    assert [(d.channel.value, d.status.value, d.attempts) for d in notice.deliveries] == [
        ("whatsapp", "sent", 1)
    ]


def test_a_drafts_turn_is_told_to_the_next_in_its_chain_once(
    api: Api, intake: Intake, notifier: Notifier, local_env: LocalEnvironment
) -> None:
    outgoing = draft(api, intake)  # by staf.kominfo; paraf tu.kominfo, signature kadis.kominfo
    path = f"/surat-keluar/{outgoing['outgoing_id']}"
    notifier.drain()
    (review,) = about(api, "tu.kominfo", path)
    assert review["kind"] == "draft_to_review"

    approve_all(api, outgoing)
    messages = notifier.queued()
    copies = republished(messages)  # as a replayed request would publish them
    event = sqs_event(messages + copies, notifier.poller.queue_arn, notifier.poller.region)
    assert local_env.runtime.invoke("NotificationsFunction", event) == {"batchItemFailures": []}

    (to_sign,) = about(api, "kadis.kominfo", path)
    assert (
        to_sign["kind"] == "draft_to_sign"
        and to_sign["title"] == "Surat menunggu tanda tangan Anda"
    )
    assert about(api, "staf.kominfo", path) == []  # the author: his draft is not his turn
