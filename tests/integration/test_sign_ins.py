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
    """Users made by hand before (one since disabled): counted as already there, and enabled,
    since the employee is active."""
    text, rows = csv_rows(3)
    cognito = aws.client("cognito-idp")
    pool = api.env.stack.refs["UserPool"]
    for row in rows[1:]:
        cognito.admin_create_user(
            UserPoolId=pool, Username=row["username"], MessageAction="SUPPRESS"
        )
    cognito.admin_disable_user(UserPoolId=pool, Username=rows[2]["username"])
    queued = post_csv(api, text).json["sign_ins"]
    sign_ins.drain()
    done = job(api, queued["job_id"])
    assert (done["created"], done["already_existed"], done["pending"]) == (1, 2, 0)
    assert done["state"] == "completed"
    assert cognito_user(api, rows[2]["username"])["Enabled"] is True  # type: ignore[index]
    view = api.get(f"/employees/{rows[2]['nip']}", user="admin").json["sign_in"]
    assert view["state"] == "created"


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


def _mine(api: Api, driver: QueueDriver, job_id: str, count: int) -> list[dict[str, Any]]:
    messages = _receive_all(api, driver.queue_url, count)
    return [m for m in messages if json.loads(m["Body"])["job_id"] == job_id]


def _event(api: Api, messages: list[dict[str, Any]]) -> dict[str, Any]:
    arn = api.env.stack.attrs["SignInQueue"]["Arn"]
    return sqs_event(messages, arn, api.env.stack.region)


def test_a_message_delivered_twice_at_once_counts_once(api: Api, sign_ins: QueueDriver) -> None:
    """The message handed to two execution environments at the same moment (SQS delivers at
    least once, also concurrently), and twice more after: each user is created and counted once."""
    sign_ins.drain()  # what other tests left
    text, rows = csv_rows(16)
    queued = post_csv(api, text).json["sign_ins"]
    mine = _mine(api, sign_ins, queued["job_id"], 1)
    assert len(mine) == 1 and len(json.loads(mine[0]["Body"])["targets"]) == 16
    api.env.workers.reset_peaks()
    with ThreadPoolExecutor(4) as pool:  # the template reserves two: two at once, then two
        results = list(pool.map(lambda _: api.env.workers.invoke(FUNCTION, _event(api, mine)),
                                range(4)))  # fmt: skip
    assert all(r == {"batchItemFailures": []} for r in results), results
    assert api.env.workers.usage()[FUNCTION].peak == 2  # two at once, as the template reserves
    aws.client("sqs").delete_message(
        QueueUrl=sign_ins.queue_url, ReceiptHandle=mine[0]["ReceiptHandle"]
    )
    done = job(api, queued["job_id"])
    assert done["created"] + done["already_existed"] == 16, done
    assert (done["pending"], done["failed"]) == (0, 0)
    assert all(cognito_user(api, row["username"]) for row in rows)


def test_a_job_stopped_half_way_continues(
    api: Api, sign_ins: QueueDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The function dies after five users of a message (its instance stopped, a deployment):
    the message comes back and the rest are made, the five counted once."""
    from eoffice.signins import user_pool_store

    sign_ins.drain()
    text, rows = csv_rows(12)
    queued = post_csv(api, text).json["sign_ins"]
    mine = _mine(api, sign_ins, queued["job_id"], 1)
    create = user_pool_store.create_user
    calls: list[str] = []

    def dies_after_five(username: str, email: str) -> Any:
        if len(calls) == 5:
            raise RuntimeError("the instance stopped")
        calls.append(username)
        return create(username, email)

    monkeypatch.setattr(user_pool_store, "create_user", dies_after_five)
    with pytest.raises(Exception, match="All records failed"):  # the whole batch: Lambda retries
        api.env.runtime.invoke(FUNCTION, _event(api, mine))
    halfway = job(api, queued["job_id"])
    assert (halfway["created"], halfway["pending"], halfway["state"]) == (5, 7, "in_progress")

    monkeypatch.undo()
    aws.client("sqs").change_message_visibility(  # as when its visibility timeout has passed
        QueueUrl=sign_ins.queue_url, ReceiptHandle=mine[0]["ReceiptHandle"], VisibilityTimeout=0
    )
    sign_ins.drain()
    done = job(api, queued["job_id"])
    assert (done["created"], done["already_existed"], done["pending"]) == (12, 0, 0)
    assert all(cognito_user(api, row["username"]) for row in rows)


def test_pacing_bounds_the_rate(api: Api, sign_ins: QueueDriver) -> None:
    """A few hundred through two pollers, as the template's two instances: the rate stays within
    2 x 1000 / SIGNIN_CREATE_INTERVAL_MS a second (docs/performance.md has the figures)."""
    sign_ins.drain()
    count = 200
    text, rows = csv_rows(count)
    queued = post_csv(api, text).json["sign_ins"]
    assert queued["queued"] == count
    environment = api.env.stack.function_environment(api.env.runtime.spec(FUNCTION))
    interval = int(environment["SIGNIN_CREATE_INTERVAL_MS"])
    (trigger,) = [t for t in api.env.template.queue_triggers if t.function == FUNCTION]
    pollers = [
        QueuePoller(trigger, api.env.stack, aws.client("sqs"), api.env.workers.invoke).start()
        for _ in range(2)
    ]
    started = time.monotonic()
    while job(api, queued["job_id"])["pending"] and time.monotonic() - started < 180:
        time.sleep(0.25)
    seconds = time.monotonic() - started
    for poller in pollers:
        poller.stop()
    done = job(api, queued["job_id"])
    assert (done["created"], done["pending"], done["state"]) == (count, 0, "completed")
    rate, ceiling = count / seconds, 2 * 1000 / interval
    print(f"sign-ins: {count} in {seconds:.1f} s, {rate:.1f}/s (ceiling {ceiling:.0f}/s)")
    assert rate <= ceiling * 1.05
    assert all(cognito_user(api, row["username"]) for row in rows[::20])


def test_the_demo_regency_is_seeded_without_sign_ins(api: Api) -> None:
    """Locally nobody signs in with a Cognito password (the sign-in stand-in asks none): the
    seed makes no Cognito users, and the demo's employees show none (ADR 0025)."""
    me = api.get("/me", user="admin").json["employee"]
    view = api.get(f"/employees/{me['nip']}", user="admin").json
    assert view["sign_in"]["state"] == "none"
    assert cognito_user(api, "admin") is None
