"""Child processes that die with the runner: the emulator and the functions' workers.

A runner stopped by a signal stops its children itself; one that is killed (``kill -9``, a test
runner that times out) cannot. On Linux each child therefore asks the kernel for SIGKILL when its
parent goes (``prctl(PR_SET_PDEATHSIG)``). The kernel sends it when the *thread* that forked the
child ends, not the process, so every child is started from one long-lived thread here rather
than from the request thread that happened to need it. Children get a process group of their own,
so a Ctrl-C in the terminal reaches the runner only and the runner stops them in order.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

_PR_SET_PDEATHSIG = 1


def _prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    return libc.prctl


_PRCTL = _prctl()  # loaded before any fork: the child must not load libraries


def die_with_parent(*, ignore_interrupt: bool = False) -> Callable[[], None]:
    """A ``preexec_fn``: SIGKILL when the parent goes (and exit at once if it already went)."""
    parent = os.getpid()

    def prepare() -> None:
        if _PRCTL is not None:
            _PRCTL(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if ignore_interrupt:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
        if os.getppid() != parent:
            os._exit(1)

    return prepare


class _Spawner:
    """The one thread that forks every child (see the module docstring)."""

    def __init__(self) -> None:
        self._requests: queue.SimpleQueue[
            tuple[list[str], bool, dict[str, Any], Future[subprocess.Popen[Any]]]
        ] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def spawn(
        self, command: list[str], ignore_interrupt: bool, options: dict[str, Any]
    ) -> subprocess.Popen[Any]:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="spawner", daemon=True)
                self._thread.start()
        done: Future[subprocess.Popen[Any]] = Future()
        self._requests.put((command, ignore_interrupt, options, done))
        return done.result()

    def _run(self) -> None:
        while True:
            command, ignore_interrupt, options, done = self._requests.get()
            try:
                process = subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
                    command,
                    preexec_fn=die_with_parent(ignore_interrupt=ignore_interrupt),
                    start_new_session=True,
                    **options,
                )
            except BaseException as error:
                done.set_exception(error)
            else:
                done.set_result(process)


_SPAWNER = _Spawner()


def spawn(
    command: list[str], *, ignore_interrupt: bool = False, **options: Any
) -> subprocess.Popen[Any]:
    """``subprocess.Popen(command, **options)`` for a child that must not outlive this process;
    ``ignore_interrupt``: started as a shell's ``&`` starts it, with SIGINT ignored."""
    return _SPAWNER.spawn(command, ignore_interrupt, options)


def run(
    command: list[str], *, timeout: float, input: str | None = None, **options: Any
) -> subprocess.CompletedProcess[str]:
    """``subprocess.run(command, capture_output=True, text=True)`` for a child that must not
    outlive this process (a fuzzer or load clients a killed test run would leave running)."""
    child = spawn(
        command,
        stdin=subprocess.PIPE if input is not None else None,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **options,
    )
    try:
        stdout, stderr = child.communicate(input, timeout=timeout)
    finally:
        stop(child)
    return subprocess.CompletedProcess(command, child.returncode, stdout, stderr)


def stop(process: subprocess.Popen[Any], *, grace: float = 5) -> None:
    """SIGTERM, then SIGKILL after ``grace`` seconds; waits for the process either way."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
