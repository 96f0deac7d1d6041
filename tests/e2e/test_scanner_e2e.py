"""End to end through the local runner, as with ``eoffice dev``: the queue pollers run in the
background like Lambda's SQS mapping, a scanner drops files into the intake bucket, and the clerk
and the admin see the outcome over the runner's HTTP port."""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import httpx
import pytest
from eoffice_local.environment import LocalEnvironment
from eoffice_local.poller import QueuePoller
from support.api import Api, Intake

from bench.scans import make_scan

pytestmark = pytest.mark.e2e

SEED = 732_000  # scans of their own: duplicate detection must not meet other tests' files
TIMEOUT = 20.0
T = TypeVar("T")


@pytest.fixture
def pollers(local_env: LocalEnvironment) -> Iterator[list[QueuePoller]]:
    started = local_env.poll_queues(wait_seconds=1)
    try:
        yield started
    finally:
        for poller in started:
            poller.stop()
            # Stopped here: the session's teardown must not stop them again.
            local_env._services.remove(poller)


def eventually(find: Callable[[], T | None], what: str) -> T:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        found = find()
        if found is not None:
            return found
        time.sleep(0.25)
    raise AssertionError(f"{what} did not show up within {TIMEOUT:.0f} s")


def test_a_scan_dropped_by_a_scanner_reaches_the_clerk(
    pollers: list[QueuePoller], intake: Intake, http: httpx.Client, api: Api
) -> None:
    clerk = {"Authorization": f"Bearer {api.token('tu.kominfo')}"}
    admin = {"Authorization": f"Bearer {api.token('admin')}"}
    scan = make_scan(2, with_text=True, seed=SEED + 1)
    sha = hashlib.sha256(scan).hexdigest()
    key = f"inbox/DISKOMINFO-SP/Scan 2026-11-28 ({uuid.uuid4().hex[:8]}).pdf"
    refused = f"inbox/DISKOMINFO-SP/bukan surat ({uuid.uuid4().hex[:8]}).pdf"
    junk = b"PK\x03\x04 not a letter " + uuid.uuid4().bytes

    intake.put(key, scan)
    intake.put(refused, junk)

    def new_letter() -> dict[str, Any] | None:
        answer = http.get("/letters", params={"status": "needs_metadata"}, headers=clerk)
        assert answer.status_code == 200, answer.text
        for item in answer.json()["items"]:
            if any(file["sha256"] == sha for file in item["files"]):
                return item  # type: ignore[no-any-return]
        return None

    def rejection() -> dict[str, Any] | None:
        answer = http.get("/intake/rejections", headers=admin)
        assert answer.status_code == 200, answer.text
        found = [r for r in answer.json()["items"] if r["original_key"] == refused]
        return found[0] if found else None

    letter = eventually(new_letter, "the scanned letter")
    assert letter["source"] == "scanner"
    assert letter["agenda_number"] >= 1
    assert letter["files"][0]["pages"] == 2 and letter["files"][0]["has_text"] is True

    download = http.get(f"/letters/{letter['letter_id']}/file", headers=clerk)
    assert download.status_code == 200, download.text
    assert download.json()["media_type"] == "application/pdf"
    assert download.json()["size"] == len(scan)
    assert httpx.get(download.json()["url"]).content == scan

    refusal = eventually(rejection, "the refused file")
    assert refusal["reason"] == "unsupported_type"
    assert httpx.get(refusal["download_url"]).content == junk
