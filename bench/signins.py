"""Sign-ins for an import (ADR 0025), measured in one run on a throw-away stack:

- the API's import of ``ROWS`` employees with e-mails, against the same file as a dry run (the
  baseline: validation alone, no writes): what queueing the sign-ins adds to the import;
- the sign-ins function's rate through two pollers (the template's two reserved instances) on
  ``CREATES`` creations, against the pacing's ceiling, 2 x 1000 / SIGNIN_CREATE_INTERVAL_MS a
  second; and from it how long 5,000 take.

Run: ``.venv/bin/python -m bench.signins [--rows 1000] [--creates 300]``.
"""

from __future__ import annotations

import argparse
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from bench.environment import local_environment
from bench.report import table

ROWS = 1000
CREATES = 300
REGENCY = 5000
FUNCTION = "SignInsFunction"
ROOT = Path(__file__).resolve().parents[1]


def _csv(count: int, prefix: str) -> bytes:
    from support.nips import fresh_nip

    lines = ["nip,name,unit_code,position,roles,active,username,email"]
    for i in range(count):
        user = f"{prefix}.{i:05d}"
        lines.append(
            f"{fresh_nip()},Pegawai {user},diskominfo-sp,Pranata Komputer,staff,ya,{user},"
            f"{user}@luwutimurkab.go.id"
        )
    return ("\n".join(lines) + "\n").encode()


def _import(api: Any, body: bytes, dry_run: bool) -> tuple[float, dict[str, Any]]:
    started = time.perf_counter()
    answer = api.post(
        "/employees/import" + ("?dry_run=true" if dry_run else ""),
        user="admin",
        body=body,
        headers={"content-type": "text/csv"},
    )
    assert answer.status == 200, answer.body[:500]
    return time.perf_counter() - started, answer.json


def _created(api: Any, job_id: str) -> dict[str, Any]:
    return api.get(f"/sign-ins/jobs/{job_id}", user="admin").json  # type: ignore[no-any-return]


def _drain_paced(env: Any, api: Any, job_id: str) -> float:
    from eoffice import aws
    from eoffice_local.poller import QueuePoller

    (trigger,) = [t for t in env.template.queue_triggers if t.function == FUNCTION]
    pollers = [
        QueuePoller(trigger, env.stack, aws.client("sqs"), env.workers.invoke).start()
        for _ in range(2)
    ]
    started = time.perf_counter()
    while _created(api, job_id)["pending"] > 0:
        time.sleep(0.25)
    seconds = time.perf_counter() - started
    for poller in pollers:
        poller.stop()
    return seconds


def measure(rows: int, creates: int) -> str:
    sys.path.insert(0, str(ROOT / "tests"))
    from support.api import Api

    with local_environment("bench-signins", 20) as env:
        api = Api(env)
        body = _csv(rows, f"bench.{uuid.uuid4().hex[:6]}")
        dry, _ = _import(api, body, dry_run=True)
        real, report = _import(api, body, dry_run=False)
        # The creations of the first file stay queued; measure the rate on a file of its own.
        env_vars = env.stack.function_environment(env.runtime.spec(FUNCTION))
        interval = int(env_vars["SIGNIN_CREATE_INTERVAL_MS"])
        from eoffice import aws

        aws.client("sqs").purge_queue(QueueUrl=env.stack.refs["SignInQueue"])
        time.sleep(1)
        second = _csv(creates, f"rate.{uuid.uuid4().hex[:6]}")
        _, queued = _import(api, second, dry_run=False)
        seconds = _drain_paced(env, api, queued["sign_ins"]["job_id"])
    rate = creates / seconds
    ceiling = 2 * 1000 / interval
    lines = [
        table(
            ["measure", "value"],
            [
                [f"import of {rows} rows, dry run (baseline)", f"{dry:.2f} s"],
                [f"import of {rows} rows, applied, sign-ins queued", f"{real:.2f} s"],
                ["ratio applied / dry run", f"{real / dry:.2f}"],
                ["sign-ins queued", str(report["sign_ins"]["queued"])],
                [f"{creates} creations, 2 instances", f"{seconds:.1f} s"],
                ["rate", f"{rate:.1f}/s"],
                [f"pacing ceiling (2 x 1000 / {interval} ms)", f"{ceiling:.1f}/s"],
                ["rate / ceiling", f"{rate / ceiling:.2f}"],
                [f"{REGENCY} at the ceiling", f"{REGENCY / ceiling / 60:.1f} min"],
                [f"{REGENCY} at the measured rate", f"{REGENCY / rate / 60:.1f} min"],
            ],
        )
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--creates", type=int, default=CREATES)
    args = parser.parse_args(argv)
    print(measure(args.rows, args.creates))


if __name__ == "__main__":
    main()
