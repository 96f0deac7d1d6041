"""Notifications through the local runner: an act in the API publishes its event on the bus, the
template's rule puts it on the notifications queue, the function tells the people concerned,
and each sees it in his list (GET /me/notifications)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from eoffice_local.environment import LocalEnvironment
from eoffice_local.poller import sqs_event
from support.api import Api, Intake, QueueDriver
from support.dispositions import assignment_path, dispose
from support.letters import registered_letter
from support.organisation import NIP


@pytest.fixture(scope="module")
def notifier(local_env: LocalEnvironment) -> QueueDriver:
    driver = QueueDriver(local_env, "NotificationsFunction")
    driver.drain(rounds=200)  # what earlier tests of this process left
    return driver


def notices(api: Api, user: str) -> list[dict[str, Any]]:
    answer = api.get("/me/notifications", user=user)
    assert answer.status == 200, answer.body
    return answer.json["items"]  # type: ignore[no-any-return]


def about(api: Api, user: str, path: str) -> list[dict[str, Any]]:
    return [n for n in notices(api, user) if n["path"] == path]


def test_a_disposition_is_in_the_recipients_list(
    api: Api, intake: Intake, notifier: QueueDriver
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
    api: Api, intake: Intake, notifier: QueueDriver
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
    api: Api, intake: Intake, notifier: QueueDriver, local_env: LocalEnvironment
) -> None:
    letter = registered_letter(api, intake, clerk="tu.kominfo")
    path = f"/surat/{letter['letter_id']}"
    dispose(api, "tu.kominfo", letter["letter_id"], "kadis.kominfo")
    messages = notifier.sqs.receive_message(
        QueueUrl=notifier.queue_url,
        MaxNumberOfMessages=10,
        WaitTimeSeconds=1,
        AttributeNames=["All"],
    )["Messages"]
    event = sqs_event(messages, notifier.poller.queue_arn, notifier.poller.region)

    for _ in range(2):  # SQS delivers at least once
        assert local_env.runtime.invoke("NotificationsFunction", event) == {"batchItemFailures": []}

    assert len(about(api, "kadis.kominfo", path)) == 1


def test_a_message_that_is_no_event_fails_alone(
    notifier: QueueDriver, local_env: LocalEnvironment
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
    api: Api, intake: Intake, notifier: QueueDriver
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
    assert first.json["quiet_hours"] == {"start": "21:00:00", "end": "06:00:00"}

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
