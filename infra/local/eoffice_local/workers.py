"""Runs the template's functions as Lambda does: each invocation in an execution environment of
its own, several at once (docs/decisions/0014-local-concurrency.md).

An execution environment is a worker process running AWS's runtime interface client
(``python -m awslambdaric app.handler``, as Lambda's container images do) against a local
Runtime API (``runtime_api``). It has the function's folder as its working directory and on
``PYTHONPATH`` with the layers (``/var/task``, ``/opt/python``), and only that function's
environment: its template variables, the emulator's endpoint and what Lambda itself sets. Its
module state is its own and lives as long as the process: warm starts reuse it.

Scaling follows Lambda: an invocation takes an idle environment of its function; when none is
idle, a new one starts for it (a cold start), up to the function's cap (its
``ReservedConcurrentExecutions``, else the runner's ``concurrency``); past the cap, invocations
wait for an environment to come free. An invocation that runs past the function's ``Timeout`` is
answered with ``Sandbox.Timedout`` and its environment is stopped; one whose process dies is
answered with ``Runtime.ExitError``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO, Any, Protocol

from eoffice_local import children
from eoffice_local import emulator as emulators
from eoffice_local.provision import Stack
from eoffice_local.runtime import LOCAL_ENVIRONMENT, FunctionCatalog
from eoffice_local.runtime_api import FunctionError, Invocation, RuntimeApi
from eoffice_local.template import FunctionSpec, Template

log = logging.getLogger("eoffice.local.workers")

DEFAULT_CONCURRENCY = 10
"""Environments per function when the template reserves no concurrency: enough to show races
and to serve a load test, few enough for a 2-core machine."""
INIT_SECONDS = 10
"""Lambda's limit for loading a handler; a slow init is then retried within the invocation's
own timeout, so an invocation waits for a cold start at most this plus its ``Timeout``."""
_KEPT_FROM_RUNNER = ("PATH", "LANG", "LC_ALL", "TMPDIR", "HOME")


class LogSink(Protocol):
    """Where the functions' log lines go (a text file, or what reads them)."""

    def write(self, text: str, /) -> int: ...


class EnvironmentGone(Exception):
    """The environment stopped (its process exited or was stopped): it takes no more work."""


def worker_environment(
    spec: FunctionSpec, stack: Stack, function_name: str, runtime_api: str
) -> dict[str, str]:
    """What the worker process gets, and nothing of other functions."""
    kept = {name: os.environ[name] for name in _KEPT_FROM_RUNNER if name in os.environ}
    runtime = spec.runtime or "python3.12"
    return {
        **kept,
        **emulators.emulator_environment(stack.endpoint_url, stack.region),
        **LOCAL_ENVIRONMENT,
        **stack.function_environment(spec),
        "PYTHONPATH": os.pathsep.join(str(p) for p in (spec.code_uri, *spec.layers)),
        "LAMBDA_TASK_ROOT": str(spec.code_uri),
        "TZ": ":UTC",
        "_HANDLER": spec.handler,
        "AWS_EXECUTION_ENV": f"AWS_Lambda_{runtime}",
        "AWS_LAMBDA_RUNTIME_API": runtime_api,
        "AWS_LAMBDA_FUNCTION_NAME": function_name,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(spec.memory),
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
        "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{function_name}",
        "AWS_LAMBDA_LOG_STREAM_NAME": f"local/{runtime_api}",
    }


class ExecutionEnvironment:
    """One worker process and its Runtime API; runs one invocation at a time."""

    def __init__(
        self,
        spec: FunctionSpec,
        stack: Stack,
        function_name: str,
        arn: str,
        n: int,
        emit: Callable[[str], None],
    ) -> None:
        self.spec = spec
        self.name = f"{spec.logical_id}#{n}"
        self._emit = emit
        self.api = RuntimeApi(arn)
        self.initialised = False
        environment = worker_environment(spec, stack, function_name, self.api.address)
        try:
            self.process = children.spawn(
                [sys.executable, "-m", "awslambdaric", spec.handler],
                cwd=spec.code_uri,
                env=environment,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
            )
        except BaseException:
            self.api.close()
            raise
        self.exited = threading.Event()
        threading.Thread(target=self._forward_logs, name=f"logs-{self.name}", daemon=True).start()

    @property
    def alive(self) -> bool:
        return not self.exited.is_set() and self.process.poll() is None

    def run(self, invocation: Invocation) -> bytes:
        """Hand the invocation to the runtime and wait for its answer or its deadline."""
        self.api.offer(invocation)
        if not self.initialised:
            self._await_init(invocation)
        else:
            self._await(invocation, time.monotonic() + INIT_SECONDS, picked_up=True)
        remaining = invocation.deadline - time.monotonic()
        if not self._await(invocation, time.monotonic() + max(0.0, remaining)):
            self.stop()
            raise _gone(
                FunctionError.of(
                    "Sandbox.Timedout",
                    f"RequestId: {invocation.request_id} Error: Task timed out after "
                    f"{invocation.timeout:.2f} seconds",
                )
            )
        if invocation.error is not None:
            raise invocation.error
        return invocation.result or b"null"

    def _await_init(self, invocation: Invocation) -> None:
        deadline = time.monotonic() + INIT_SECONDS + invocation.timeout
        while not invocation.picked_up.wait(0.05):
            if self.api.init_failed.is_set():
                self.stop()
                raise _gone(self.api.init_error or FunctionError.of("Runtime.Unknown", "init"))
            if not self.alive:
                raise _gone(self._exit_error(invocation))
            if time.monotonic() > deadline:
                self.stop()
                raise _gone(FunctionError.of("Sandbox.Timedout", "Init timed out"))
        self.initialised = True

    def _await(self, invocation: Invocation, deadline: float, *, picked_up: bool = False) -> bool:
        """Wait until the invocation is done (or only picked up) or ``deadline`` passes; raise
        when the process dies meanwhile."""
        event = invocation.picked_up if picked_up else invocation.done
        while not event.wait(min(0.05, max(0.0, deadline - time.monotonic()))):
            if not self.alive:
                if event.is_set():
                    return True
                raise _gone(self._exit_error(invocation))
            if time.monotonic() >= deadline:
                return event.is_set()
        return True

    def _exit_error(self, invocation: Invocation) -> FunctionError:
        code = self.process.wait()
        return FunctionError.of(
            "Runtime.ExitError",
            f"RequestId: {invocation.request_id} Error: Runtime exited with error: exit status "
            f"{code}",
        )

    def stop(self) -> None:
        children.stop(self.process, grace=2)
        self.api.close()
        self.exited.set()

    def _forward_logs(self) -> None:
        """The function's stdout and stderr, line by line, to the runner's stderr."""
        stream: IO[bytes] | None = self.process.stdout
        if stream is None:
            return
        prefix = f"[{self.name}] "
        for line in iter(stream.readline, b""):
            self._emit(prefix + line.decode(errors="replace").rstrip("\r\n"))
        stream.close()
        self.process.wait()
        self.exited.set()


def _gone(error: FunctionError) -> FunctionError:
    error.environment_gone = True
    return error


@dataclass
class Usage:
    """How a function's environments were used: for the load benchmark and the race tests."""

    invocations: int = 0
    running: int = 0
    peak: int = 0
    cold_starts: int = 0


@dataclass
class FunctionPool:
    """A function's execution environments and the rule for starting more."""

    spec: FunctionSpec
    stack: Stack
    function_name: str
    arn: str
    cap: int
    emit: Callable[[str], None]
    usage: Usage = field(default_factory=Usage)
    _idle: list[ExecutionEnvironment] = field(default_factory=list)
    _all: set[ExecutionEnvironment] = field(default_factory=set)
    _starting: int = 0
    _stopped: bool = False
    _changed: threading.Condition = field(default_factory=threading.Condition)

    def invoke(self, payload: bytes) -> bytes:
        environment = self._acquire()
        healthy = False
        try:
            with self._running():
                result = environment.run(Invocation(payload, float(self.spec.timeout)))
            healthy = environment.alive
            return result
        except FunctionError as error:
            healthy = environment.alive and not error.environment_gone
            if not healthy:
                log.warning("%s stopped: %s", environment.name, error)
            raise
        finally:
            self._release(environment, healthy)

    def _acquire(self) -> ExecutionEnvironment:
        dead: list[ExecutionEnvironment] = []
        try:
            with self._changed:
                while True:
                    if self._stopped:
                        raise FunctionError.of("Runner.Stopped", "the local runner is stopping")
                    while self._idle:
                        environment = self._idle.pop()
                        if environment.alive:
                            return environment
                        self._all.discard(environment)
                        dead.append(environment)
                    if len(self._all) + self._starting < self.cap:
                        self._starting += 1
                        number = self.usage.cold_starts + self._starting
                        break
                    self._changed.wait()
        finally:
            for environment in dead:  # died while idle: its Runtime API still listens
                environment.stop()
        return self._start(number)

    def _start(self, number: int) -> ExecutionEnvironment:
        """A cold start, counted in ``_starting`` until the environment is in ``_all``: in one
        step, so that a waiter never sees room that is not there."""
        environment: ExecutionEnvironment | None = None
        try:
            environment = ExecutionEnvironment(
                self.spec, self.stack, self.function_name, self.arn, number, self.emit
            )
        finally:
            with self._changed:
                self._starting -= 1
                stopped = self._stopped
                if environment is not None and not stopped:
                    self.usage.cold_starts += 1
                    self._all.add(environment)
                self._changed.notify_all()
        if stopped:  # the runner stopped while it started: nobody else would stop it
            environment.stop()
            raise FunctionError.of("Runner.Stopped", "the local runner is stopping")
        return environment

    def _release(self, environment: ExecutionEnvironment, healthy: bool) -> None:
        with self._changed:
            kept = healthy and not self._stopped
            if kept:
                self._idle.append(environment)
            else:
                self._all.discard(environment)
            self._changed.notify_all()
        if not kept:
            environment.stop()

    @contextmanager
    def _running(self) -> Iterator[None]:
        with self._changed:
            self.usage.invocations += 1
            self.usage.running += 1
            self.usage.peak = max(self.usage.peak, self.usage.running)
        try:
            yield
        finally:
            with self._changed:
                self.usage.running -= 1

    def reset_peak(self) -> None:
        with self._changed:
            self.usage.peak = self.usage.running

    def close(self) -> list[ExecutionEnvironment]:
        """Take no more invocations; returns the environments, for the caller to stop."""
        with self._changed:
            self._stopped = True
            environments = list(self._all)
            self._all.clear()
            self._idle.clear()
            self._changed.notify_all()
        return environments


class IsolatedRuntime(FunctionCatalog):
    """Invokes functions in execution environments of their own, several at a time."""

    def __init__(
        self, template: Template, stack: Stack, *, concurrency: int = DEFAULT_CONCURRENCY
    ) -> None:
        super().__init__(template, stack)
        self.concurrency = concurrency
        self.logs: LogSink | None = None
        """Where the functions' log lines go; ``None``: this process's stderr at the time."""
        self._pools: dict[str, FunctionPool] = {}
        self._lock = threading.Lock()

    def _emit(self, line: str) -> None:
        # stderr may be gone (a finished test's capture): then the line is dropped.
        with contextlib.suppress(OSError, ValueError):
            (self.logs or sys.stderr).write(line + "\n")

    def pool(self, name: str) -> FunctionPool:
        spec = self.spec(name)
        with self._lock:
            if spec.logical_id not in self._pools:
                self._pools[spec.logical_id] = FunctionPool(
                    spec,
                    self.stack,
                    self.function_name(spec),
                    self.function_arn(spec),
                    spec.reserved_concurrency or self.concurrency,
                    self._emit,
                )
            return self._pools[spec.logical_id]

    def invoke(self, name: str, event: Any) -> Any:
        """The function's result, as the Lambda Invoke API returns it; a failed invocation
        raises :class:`FunctionError` with Lambda's error payload."""
        pool = self.pool(name)
        self.invocations[pool.spec.logical_id] += 1
        return json.loads(pool.invoke(json.dumps(event).encode()))

    def usage(self) -> dict[str, Usage]:
        """Per function (logical id): invocations, peak of concurrent ones, cold starts."""
        with self._lock:
            return {name: pool.usage for name, pool in self._pools.items()}

    def peaks(self) -> Counter[str]:
        return Counter({name: usage.peak for name, usage in self.usage().items()})

    def reset_peaks(self) -> None:
        """Start counting peaks afresh (from what runs now), e.g. after a warm-up."""
        with self._lock:
            pools = list(self._pools.values())
        for pool in pools:
            pool.reset_peak()

    def stop(self) -> None:
        """Every environment of every function, all at once: SIGTERM to each, then each stopped
        in a thread of its own (its SIGKILL after a grace, its Runtime API's close), so that
        stopping takes about as long as one environment does, however many there are."""
        with self._lock:
            pools = list(self._pools.values())
        environments = [environment for pool in pools for environment in pool.close()]
        for environment in environments:
            environment.process.terminate()
        if environments:
            with ThreadPoolExecutor(len(environments)) as stopping:
                list(stopping.map(ExecutionEnvironment.stop, environments))
