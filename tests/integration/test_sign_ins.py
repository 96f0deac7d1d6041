"""Employees' Cognito sign-ins against the emulator's Cognito (moto's cognito-idp, over HTTP):
made from the sign-ins queue when an employee is created or imported with an e-mail, disabled
and enabled with his ``active``, counted on the import's job once however often a message comes,
and nothing written by a dry run."""

from __future__ import annotations

import json
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from eoffice import aws
from eoffice_local.poller import QueuePoller, sqs_event
from support.api import Api, QueueDriver
from support.nips import fresh_nip
from support.organisation import KOMINFO

FUNCTION = "SignInsFunction"
HEADER = "nip,name,unit_code,position,roles,active,username,email\n"


@pytest.fixture(scope="module")
def sign_ins(api: Api) -> QueueDriver:
    return QueueDriver(api.env, FUNCTION)


def cognito_user(api: Api, username: str) -> dict[str, Any] | None:
    client = aws.client("cognito-idp")
    try:
        user: dict[str, Any] = client.admin_get_user(
            UserPoolId=api.env.stack.refs["UserPool"], Username=username
        )
    except client.exceptions.UserNotFoundException:
        return None
    return user


def email_of(user: dict[str, Any]) -> str | None:
    return next((a["Value"] for a in user["UserAttributes"] if a["Name"] == "email"), None)


def person(**fields: Any) -> dict[str, Any]:
    username = f"akun.{uuid.uuid4().hex[:10]}"
    body = {
        "nip": fresh_nip(),
        "name": f"Pegawai {username}",
        "unit_id": KOMINFO,
        "username": username,
        "email": f"{username}@luwutimurkab.go.id",
    }
    return {**body, **fields}


def csv_rows(
    count: int, *, email: bool = True, prefix: str = "impor"
) -> tuple[str, list[dict[str, str]]]:
    tag = uuid.uuid4().hex[:6]
    rows = [
        {
            "nip": fresh_nip(),
            "username": f"{prefix}.{tag}.{i:04d}",
            "email": f"{prefix}.{tag}.{i:04d}@luwutimurkab.go.id" if email else "",
        }
        for i in range(count)
    ]
    lines = [
        f"{r['nip']},Pegawai {r['username']},diskominfo-sp,Pranata Komputer,staff,ya,"
        f"{r['username']},{r['email']}\n"
        for r in rows
    ]
    return HEADER + "".join(lines), rows


def post_csv(api: Api, text: str, query: str = "") -> Any:
    return api.post(
        f"/employees/import{query}",
        user="admin",
        body=text.encode(),
        headers={"content-type": "text/csv"},
    )


def job(api: Api, job_id: str) -> dict[str, Any]:
    answer = api.get(f"/sign-ins/jobs/{job_id}", user="admin")
    assert answer.status == 200, answer.body
    return answer.json  # type: ignore[no-any-return]


# ---------------------------------------------------------------- one employee
def test_a_new_employee_with_an_email_gets_a_sign_in_and_loses_it_when_deactivated(
    api: Api, sign_ins: QueueDriver
) -> None:
    body = person()
    created = api.post("/employees", user="admin", json_body=body)
    assert created.status == 201, created.body
    assert created.json["sign_in"]["state"] == "pending"
    assert cognito_user(api, body["username"]) is None  # the API never calls Cognito itself

    sign_ins.drain()
    assert api.get(f"/employees/{body['nip']}", user="admin").json["sign_in"]["state"] == "created"
    user = cognito_user(api, body["username"])
    assert user is not None and user["Enabled"] is True
    assert email_of(user) == body["email"]
    assert user["UserStatus"] == "FORCE_CHANGE_PASSWORD"  # invited with a temporary password

    patched = api.patch(f"/employees/{body['nip']}", user="admin", json_body={"active": False})
    assert patched.status == 200, patched.body
    sign_ins.drain()
    assert cognito_user(api, body["username"])["Enabled"] is False  # type: ignore[index]
    view = api.get(f"/employees/{body['nip']}", user="admin").json
    assert view["sign_in"]["state"] == "disabled"

    api.patch(f"/employees/{body['nip']}", user="admin", json_body={"active": True})
    sign_ins.drain()
    assert cognito_user(api, body["username"])["Enabled"] is True  # type: ignore[index]
    assert api.get(f"/employees/{body['nip']}", user="admin").json["sign_in"]["state"] == "created"


def test_an_employee_without_email_gets_no_sign_in_and_the_state_says_so(
    api: Api, sign_ins: QueueDriver
) -> None:
    body = person(email=None)
    created = api.post("/employees", user="admin", json_body=body)
    assert created.json["sign_in"] == {
        **created.json["sign_in"],
        "state": "none",
        "reason": "no_email",
    }
    sign_ins.drain()
    assert cognito_user(api, body["username"]) is None
    listed = api.get("/employees", user="admin").json["items"]
    assert all("sign_in" in item for item in listed)

    # Given an e-mail later, he is invited then.
    api.patch(
        f"/employees/{body['nip']}",
        user="admin",
        json_body={"email": "kemudian@luwutimurkab.go.id"},
    )
    sign_ins.drain()
    assert email_of(cognito_user(api, body["username"]) or {"UserAttributes": []}) == (
        "kemudian@luwutimurkab.go.id"
    )


def test_a_user_made_by_hand_counts_as_created(api: Api, sign_ins: QueueDriver) -> None:
    text, rows = csv_rows(3)
    aws.client("cognito-idp").admin_create_user(
        UserPoolId=api.env.stack.refs["UserPool"],
        Username=rows[1]["username"],
        MessageAction="SUPPRESS",
    )
    queued = post_csv(api, text).json["sign_ins"]
    sign_ins.drain()
    done = job(api, queued["job_id"])
    assert (done["created"], done["already_existed"], done["pending"]) == (2, 1, 0)
    assert done["state"] == "completed"


def test_cognito_refusing_is_recorded_with_its_words(
    api: Api, sign_ins: QueueDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    text, rows = csv_rows(2)
    queued = post_csv(api, text).json["sign_ins"]
    monkeypatch.setenv("USER_POOL_ID", "ap-southeast-3_NotAPool")  # Cognito answers 400
    sign_ins.drain()
    done = job(api, queued["job_id"])
    assert (done["failed"], done["pending"], done["state"]) == (2, 0, "completed_with_failures")
    failure = {f["nip"]: f for f in done["failures"]}[rows[0]["nip"]]
    assert failure["reason"] == "refused" and failure["message"]
    view = api.get(f"/employees/{rows[0]['nip']}", user="admin").json["sign_in"]
    assert view["state"] == "failed" and view["message"]

    # Importing the file again once Cognito takes them tries the failed ones again.
    monkeypatch.undo()
    again = post_csv(api, text).json["sign_ins"]
    assert again["queued"] == 2
    sign_ins.drain()
    assert job(api, again["job_id"])["created"] == 2
    assert cognito_user(api, rows[0]["username"]) is not None


# ---------------------------------------------------------------- import
def test_a_dry_run_checks_and_writes_nothing(api: Api, sign_ins: QueueDriver) -> None:
    text, rows = csv_rows(4)
    text += (
        f"{fresh_nip()},Tanpa Surel,diskominfo-sp,,staff,ya,tanpa.surel.{uuid.uuid4().hex[:6]},\n"
    )
    jobs_before = api.get("/sign-ins/jobs", user="admin").json
    answer = post_csv(api, text, "?dry_run=true")
    assert answer.status == 200, answer.body
    assert answer.json == {
        "rows": 5,
        "created": 5,
        "updated": 0,
        "dry_run": True,
        "sign_ins": {"job_id": None, "queued": 4},
    }
    for row in rows:
        assert api.get(f"/employees/{row['nip']}", user="admin").status == 404
    assert api.get("/sign-ins/jobs", user="admin").json == jobs_before
    assert sign_ins.drain() == 0 or all(cognito_user(api, r["username"]) is None for r in rows)

    bad = text + "bukan-nip,X,diskominfo-sp,,staff,ya,x.y,\n"
    rejected = post_csv(api, bad, "?dry_run=true")
    assert rejected.status == 422
    assert rejected.json["code"] == "import_rejected"
    assert [r["row"] for r in rejected.json["rows"]] == [7]


def test_an_import_queues_one_job_that_counts_every_sign_in(
    api: Api, sign_ins: QueueDriver
) -> None:
    text, rows = csv_rows(12)
    without, _ = csv_rows(2, email=False, prefix="tanpa")
    answer = post_csv(api, text + without.removeprefix(HEADER))
    assert answer.status == 200, answer.body
    assert answer.json["dry_run"] is False
    queued = answer.json["sign_ins"]
    assert queued["queued"] == 12
    started = job(api, queued["job_id"])
    assert (started["total"], started["pending"], started["state"]) == (12, 12, "in_progress")
    assert queued["job_id"] in [j["job_id"] for j in api.get("/sign-ins/jobs", user="admin").json]

    sign_ins.drain()
    done = job(api, queued["job_id"])
    assert (done["created"], done["already_existed"], done["failed"]) == (12, 0, 0)
    assert (done["pending"], done["state"], done["failures"]) == (0, "completed", [])
    assert all(cognito_user(api, row["username"]) for row in rows)

    # The same file again: nothing more to create, no job.
    assert post_csv(api, text).json["sign_ins"] == {"job_id": None, "queued": 0}


def test_jobs_are_for_admins(api: Api) -> None:
    assert api.get("/sign-ins/jobs", user="kadis.kominfo").status == 403
    assert api.get("/sign-ins/jobs/abc", user="kadis.kominfo").status == 403
    missing = api.get(f"/sign-ins/jobs/{uuid.uuid4().hex}", user="admin")
    assert missing.status == 404 and missing.json["code"] == "sign_in_job_not_found"


# ---------------------------------------------------------------- repeats and races
def _receive_all(api: Api, url: str, count: int) -> list[dict[str, Any]]:
    sqs = aws.client("sqs")
    messages: list[dict[str, Any]] = []
    deadline = time.monotonic() + 30
    while len(messages) < count and time.monotonic() < deadline:
        got = sqs.receive_message(
            QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1, AttributeNames=["All"]
        ).get("Messages", [])
        messages.extend(got)
    return messages


def test_messages_delivered_twice_at_once_count_once(api: Api, sign_ins: QueueDriver) -> None:
    """Every message handed to two execution environments at the same moment (SQS delivers at
    least once, also concurrently): each user is created once and counted once."""
    sign_ins.drain()  # what other tests left
    text, rows = csv_rows(16)
    queued = post_csv(api, text).json["sign_ins"]
    messages = _receive_all(api, sign_ins.queue_url, 16)
    mine = [m for m in messages if json.loads(m["Body"])["job_id"] == queued["job_id"]]
    assert len(mine) == 16
    arn = api.env.stack.attrs["SignInQueue"]["Arn"]
    halves = [mine[:8], mine[8:]]
    batches = [sqs_event(half, arn, api.env.stack.region) for half in halves for _ in range(2)]
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda e: api.env.workers.invoke(FUNCTION, e), batches))
    assert all(r == {"batchItemFailures": []} for r in results), results
    aws.client("sqs").delete_message_batch(
        QueueUrl=sign_ins.queue_url,
        Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(mine)],
    )
    done = job(api, queued["job_id"])
    assert done["created"] + done["already_existed"] == 16, done
    assert (done["pending"], done["failed"]) == (0, 0)
    assert all(cognito_user(api, row["username"]) for row in rows)


def test_pacing_bounds_the_rate_and_a_stopped_job_resumes(api: Api, sign_ins: QueueDriver) -> None:
    """A few hundred through two pollers, as the template's two instances: the rate stays within
    2 x 1000 / SIGNIN_CREATE_INTERVAL_MS a second. Stopping the pollers half-way and starting
    them again (a function stopped, throttled or deployed) finishes the job."""
    sign_ins.drain()
    count = 200
    text, rows = csv_rows(count)
    queued = post_csv(api, text).json["sign_ins"]
    assert queued["queued"] == count
    interval = int(
        api.env.stack.function_environment(api.env.runtime.spec(FUNCTION))[
            "SIGNIN_CREATE_INTERVAL_MS"
        ]
    )
    (trigger,) = [t for t in api.env.template.queue_triggers if t.function == FUNCTION]

    def run_pollers(until: Any) -> float:
        pollers = [
            QueuePoller(trigger, api.env.stack, aws.client("sqs"), api.env.workers.invoke).start()
            for _ in range(2)
        ]
        started = time.monotonic()
        while not until(job(api, queued["job_id"])) and time.monotonic() - started < 180:
            time.sleep(0.5)
        for poller in pollers:
            poller.stop()
        return time.monotonic() - started

    run_pollers(lambda j: j["pending"] <= count // 2)
    halfway = job(api, queued["job_id"])
    assert 0 < halfway["pending"] < count and halfway["state"] == "in_progress"
    made_before = halfway["created"]
    seconds = run_pollers(lambda j: j["pending"] == 0)
    done = job(api, queued["job_id"])
    assert (done["created"], done["pending"], done["state"]) == (count, 0, "completed")
    made = count - made_before
    rate = made / seconds
    ceiling = 2 * 1000 / interval
    print(f"sign-ins: {made} in {seconds:.1f} s, {rate:.1f}/s (ceiling {ceiling:.0f}/s)")
    assert rate <= ceiling * 1.05
    assert all(cognito_user(api, row["username"]) for row in rows[::20])
