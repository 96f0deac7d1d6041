"""The isolated mode of the local runner: each invocation in an execution environment of its own
(a worker process running awslambdaric against a local Runtime API), several at a time, with its
function's environment only; timeouts, errors and crashes answered as Lambda answers them."""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from eoffice_local import fuzz
from eoffice_local.emulator import Emulator
from eoffice_local.environment import LocalEnvironment
from eoffice_local.gateway import LocalHttpApi
from eoffice_local.issuer import DevIssuer
from eoffice_local.provision import provision
from eoffice_local.runtime import Runtime
from eoffice_local.runtime_api import FunctionError, RuntimeApi
from eoffice_local.template import load
from eoffice_local.workers import IsolatedRuntime

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "workers.yaml"
FOLDER = FIXTURE.parent / "workers"


@pytest.fixture(scope="module")
def workers(local_env: LocalEnvironment) -> Iterator[IsolatedRuntime]:
    template = load(FIXTURE)
    stack = provision(
        template,
        stack_name="workers-fixture",
        endpoint_url=local_env.stack.endpoint_url,
        region=local_env.stack.region,
    )
    runtime = IsolatedRuntime(template, stack, concurrency=6)
    yield runtime
    runtime.stop()


def at_once(count: int, call: Callable[[int], Any]) -> list[Any]:
    """``call(0..count-1)`` from ``count`` threads released together."""
    start = threading.Barrier(count)

    def one(index: int) -> Any:
        start.wait(timeout=30)
        return call(index)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(one, range(count)))


def test_concurrent_invocations_run_at_once_in_environments_of_their_own(
    workers: IsolatedRuntime,
) -> None:
    started = time.monotonic()
    results = at_once(4, lambda _: workers.invoke("Sleeper", {"seconds": 1.5}))
    elapsed = time.monotonic() - started
    assert len({result["pid"] for result in results}) == 4, "one process per invocation"
    assert elapsed < 4 * 1.5, f"{elapsed:.1f} s: the four ran one after another"
    assert workers.usage()["Sleeper"].peak >= 2


def test_module_state_belongs_to_one_environment_and_stays_while_warm(
    workers: IsolatedRuntime,
) -> None:
    first = workers.invoke("Other", {})
    second = workers.invoke("Other", {})
    assert second["pid"] == first["pid"], "a warm start reuses the environment"
    assert second["invocations"] == first["invocations"] + 1
    assert workers.invoke("Sleeper", {})["pid"] != first["pid"]


def test_a_function_sees_its_own_settings_folder_and_context(
    workers: IsolatedRuntime,
) -> None:
    mine = workers.invoke("Sleeper", {})
    other = workers.invoke("Other", {})
    assert (mine["own_setting"], mine["other_only"]) == ("sleeper", None)
    assert (other["own_setting"], other["other_only"]) == ("other", "yes")
    assert Path(mine["cwd"]) == FOLDER, "the function's folder is its /var/task"
    assert mine["function_name"] == "workers-fixture-Sleeper"
    assert mine["arn"].endswith(":function:workers-fixture-Sleeper")
    assert 0 < mine["remaining_ms"] <= 10_000, "the deadline follows the template's Timeout"
    assert mine["request_id"] != other["request_id"]


def test_an_invocation_past_its_timeout_is_stopped_and_the_next_gets_a_new_environment(
    workers: IsolatedRuntime,
) -> None:
    warm = workers.invoke("Slow", {})["pid"]
    cold_starts = workers.usage()["Slow"].cold_starts
    started = time.monotonic()
    with pytest.raises(FunctionError) as raised:
        workers.invoke("Slow", {"seconds": 5})
    assert time.monotonic() - started < 4, "answered at the 1 s timeout, not after the sleep"
    assert raised.value.payload["errorType"] == "Sandbox.Timedout"
    assert "Task timed out after 1.00 seconds" in raised.value.payload["errorMessage"]
    fresh = workers.invoke("Slow", {})["pid"]
    assert fresh != warm, "the timed-out environment was stopped"
    assert workers.usage()["Slow"].cold_starts == cold_starts + 1


def test_errors_come_back_as_lambda_reports_them(workers: IsolatedRuntime) -> None:
    with pytest.raises(FunctionError) as raised:
        workers.invoke("Failing", {})
    assert raised.value.payload["errorType"] == "ValueError"
    assert raised.value.payload["errorMessage"] == "tidak bisa"
    with pytest.raises(FunctionError) as broken:
        workers.invoke("Broken", {})
    assert broken.value.payload["errorType"] == "Runtime.ImportModuleError"
    with pytest.raises(FunctionError) as exited:
        workers.invoke("Exiting", {})
    assert exited.value.payload["errorType"] == "Runtime.ExitError"


def test_reserved_concurrency_caps_the_environments(workers: IsolatedRuntime) -> None:
    results = at_once(5, lambda _: workers.invoke("Reserved", {"seconds": 0.5}))
    usage = workers.usage()["Reserved"]
    assert len(results) == 5
    assert usage.cold_starts == 2 and usage.peak == 2


def _cold_burst(runtime: IsolatedRuntime, function: str, count: int) -> set[int]:
    """The pids that served ``count`` invocations sent at once to a cold ``function``."""
    try:
        return set(at_once(count, lambda _: runtime.invoke(function, {"seconds": 0.05})["pid"]))
    finally:
        runtime.stop()


def test_a_reserved_concurrency_of_one_is_never_exceeded(workers: IsolatedRuntime) -> None:
    """Invocations that wait while the only environment starts do not start a second one when
    its start ends. A fresh runtime each round (the race is in the cold start), and frequent
    thread switches, so that a waiter re-checking the count between the start's end and the
    environment's registration would see it."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        for _ in range(4):
            runtime = IsolatedRuntime(workers.template, workers.stack)
            assert len(_cold_burst(runtime, "Single", 8)) == 1, "one environment at a time"
            usage = runtime.usage()["Single"]
            assert usage.peak == 1 and usage.cold_starts == 1
    finally:
        sys.setswitchinterval(previous)


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _listening(address: str) -> bool:
    host, port = address.split(":")
    with socket.socket() as probe:
        return probe.connect_ex((host, int(port))) == 0


def test_an_environment_that_died_while_idle_is_replaced_and_closed(
    workers: IsolatedRuntime,
) -> None:
    """A worker killed between invocations (by the OOM killer, say): the next invocation gets a
    new environment, and the dead one's Runtime API stops listening (no thread or port left)."""
    dead = workers.invoke("Victim", {})
    os.kill(dead["pid"], signal.SIGKILL)
    deadline = time.monotonic() + 5
    while _exists(dead["pid"]) and time.monotonic() < deadline:
        time.sleep(0.05)  # until the runner has collected it
    fresh = workers.invoke("Victim", {})
    assert fresh["pid"] != dead["pid"]
    assert not _listening(dead["runtime_api"]), "the dead environment's Runtime API is closed"
    assert _listening(fresh["runtime_api"])


def test_a_runtime_that_resets_its_connection_leaves_no_traceback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A worker stopped right after an invocation drops its keep-alive connection with a reset
    (its last answer unread): nothing to report, where the HTTP server printed a traceback for
    every such worker."""
    api = RuntimeApi("arn:aws:lambda:ap-southeast-3:123456789012:function:x")
    try:
        host, port = api.address.split(":")
        with socket.create_connection((host, int(port))) as runtime:
            runtime.sendall(b"GET /2018-06-01/runtime/unknown HTTP/1.1\r\nHost: x\r\n\r\n")
            time.sleep(0.2)  # answered, unread; the server waits for the next request
            runtime.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\0\0\0\0\0\0\0")
        time.sleep(0.3)
    finally:
        api.close()
    assert "Traceback" not in capsys.readouterr().err


def test_the_environments_are_stopped_together(workers: IsolatedRuntime) -> None:
    """Ten environments stop in about the time one takes (SIGTERM, then the Runtime API's close,
    which waits up to half a second for its server loop), not one after the other: ``eoffice
    dev`` has ten per busy function and ten seconds to stop."""
    runtime = IsolatedRuntime(workers.template, workers.stack, concurrency=10)
    try:
        at_once(10, lambda _: runtime.invoke("Sleeper", {"seconds": 0.3}))
        assert runtime.usage()["Sleeper"].cold_starts == 10
    finally:
        started = time.monotonic()
        runtime.stop()
        took = time.monotonic() - started
    assert took < 1.5, f"{took:.1f} s to stop ten environments"


def test_function_logs_reach_the_runners_stderr(
    workers: IsolatedRuntime, capsys: pytest.CaptureFixture[str]
) -> None:
    pid = workers.invoke("Sleeper", {"seconds": 0.01})["pid"]
    expected = f"sleeping 0.01 s in {pid}"
    deadline = time.monotonic() + 5
    seen = ""
    while expected not in seen and time.monotonic() < deadline:
        time.sleep(0.05)
        seen += capsys.readouterr().err
    line = next(line for line in seen.splitlines() if expected in line)
    assert line.startswith("[Sleeper#")


def test_the_gateway_answers_500_when_the_function_fails_or_times_out(
    workers: IsolatedRuntime, tmp_path: Path
) -> None:
    issuer = DevIssuer.at(tmp_path / "key.pem", issuer="https://issuer.example", audience="x")
    gateway = LocalHttpApi(workers.template, workers.stack, issuer, workers.invoke)
    for path in ("/fail", "/slow?seconds=5"):
        answer = gateway.handle("GET", path, {}, b"", "127.0.0.1")
        assert answer.status == 500, path
        assert json.loads(answer.body) == {"message": "Internal Server Error"}
    assert gateway.handle("GET", "/slow", {}, b"", "127.0.0.1").status == 200


def test_the_fuzzer_gets_the_cause_of_a_500_from_the_workers_logs(
    workers: IsolatedRuntime, tmp_path: Path
) -> None:
    """The fuzzer reports a 500 with the traceback its function logged ("unhandled error"). The
    functions run in workers, so the traceback is in the log lines they forward."""
    issuer = DevIssuer.at(tmp_path / "key.pem", issuer="https://issuer.example", audience="x")
    gateway = LocalHttpApi(workers.template, workers.stack, issuer, workers.invoke)
    with fuzz.unhandled_errors(workers) as found:
        assert gateway.handle("GET", "/unhandled", {}, b"", "127.0.0.1").status == 500
        deadline = time.monotonic() + 5
        while not found and time.monotonic() < deadline:
            time.sleep(0.05)  # the line travels through the worker's pipe
    assert len(found) == 1 and "ZeroDivisionError" in found[0], found


def test_stopping_does_not_wait_for_a_queue_invocation_to_end(
    workers: IsolatedRuntime, tmp_path: Path
) -> None:
    """Ctrl-C while a queue's function runs (a scan being read, say): the poller does not hold
    the stop until the invocation ends; stopping the environments ends it (the message stays on
    the queue), and everything has stopped within seconds."""
    from eoffice import aws

    template, stack = workers.template, workers.stack
    isolated = IsolatedRuntime(template, stack)
    issuer = DevIssuer.at(tmp_path / "key.pem", issuer="https://issuer.example", audience="x")
    emulator = Emulator(stack.endpoint_url)  # the session's: not this environment's to stop
    env = LocalEnvironment(
        template, stack, emulator, Runtime(template, stack), isolated, issuer, tmp_path
    )
    env.poll_queues()
    try:
        aws.client("sqs").send_message(QueueUrl=stack.refs["Jobs"], MessageBody='{"seconds": 20}')
        deadline = time.monotonic() + 30
        while isolated.pool("Consumer").usage.running == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert isolated.pool("Consumer").usage.running == 1, "the message is being handled"
    finally:
        started = time.monotonic()
        env.stop()
        took = time.monotonic() - started
    assert took < 3, f"{took:.1f} s to stop"
