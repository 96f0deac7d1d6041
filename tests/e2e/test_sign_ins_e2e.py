"""Sign-ins as ``make dev`` runs them: an administrator previews and imports a CSV through the
runner's HTTP port, the sign-ins queue is polled into the function's own execution environments
(two, as the template reserves), and the employees' users exist in the emulator's Cognito."""

from __future__ import annotations

import time
import uuid

import httpx
import pytest
from eoffice import aws
from eoffice_local.environment import LocalEnvironment
from eoffice_local.poller import QueuePoller
from support.api import Api
from support.nips import fresh_nip

pytestmark = pytest.mark.e2e
FUNCTION = "SignInsFunction"


def test_an_admin_imports_employees_and_their_sign_ins_exist(
    api: Api, http: httpx.Client, local_env: LocalEnvironment
) -> None:
    tag = uuid.uuid4().hex[:6]
    users = [f"e2e.{tag}.{i:02d}" for i in range(8)]
    text = "nip,name,unit_code,roles,username,email\n" + "".join(
        f"{fresh_nip()},Pegawai {u},diskominfo-sp,staff,{u},{u}@luwutimurkab.go.id\n" for u in users
    )
    headers = {"Authorization": f"Bearer {api.token('admin')}", "Content-Type": "text/csv"}
    preview = http.post("/employees/import?dry_run=true", content=text, headers=headers)
    assert preview.status_code == 200, preview.text
    assert preview.json()["sign_ins"] == {"job_id": None, "queued": 8}
    applied = http.post("/employees/import", content=text, headers=headers)
    assert applied.status_code == 200, applied.text
    job_id = applied.json()["sign_ins"]["job_id"]

    (trigger,) = [t for t in local_env.template.queue_triggers if t.function == FUNCTION]
    poller = QueuePoller(trigger, local_env.stack, aws.client("sqs"), local_env.workers.invoke)
    poller.start()
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            job = http.get(f"/sign-ins/jobs/{job_id}", headers=headers).json()
            if job["pending"] == 0:
                break
            time.sleep(0.5)
    finally:
        poller.stop()
    assert (job["created"], job["state"]) == (8, "completed"), job
    pool = local_env.stack.refs["UserPool"]
    for username in users:
        user = aws.client("cognito-idp").admin_get_user(UserPoolId=pool, Username=username)
        assert user["Enabled"] and user["UserStatus"] == "FORCE_CHANGE_PASSWORD"
