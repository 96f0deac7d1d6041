"""The embedded AWS emulator: moto's server in a child process on 127.0.0.1.

A child process rather than a thread, so that the emulator and the functions do not share one
interpreter lock; it dies with the runner (``children``). When ``AWS_ENDPOINT_URL`` already names an emulator (a LocalStack container,
say), nothing is started and that one is used.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from urllib.error import URLError

from eoffice_local import children

DEFAULT_PORT = 4566
# Credentials an emulator accepts; never used against AWS, where the real ones are in the env.
EMULATOR_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
}


class EmulatorError(RuntimeError):
    pass


@dataclass
class Emulator:
    endpoint_url: str
    process: subprocess.Popen[bytes] | None = None

    @property
    def embedded(self) -> bool:
        return self.process is not None

    def reset(self) -> None:
        """Forget every resource (moto's reset API); only for the embedded emulator."""
        if self.embedded:
            url = f"{self.endpoint_url}/moto-api/reset"
            request = urllib.request.Request(url, method="POST")  # noqa: S310 - local URL
            urllib.request.urlopen(request, timeout=5).close()  # noqa: S310

    def stop(self) -> None:
        if self.process is not None:
            children.stop(self.process)
        self.process = None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _port_in_use(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise EmulatorError(f"moto server exited with code {process.returncode}")
        try:
            urllib.request.urlopen(f"{url}/moto-api/data.json", timeout=1).close()  # noqa: S310
            return
        except (URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    process.kill()
    raise EmulatorError(f"moto server did not answer on {url} within {timeout:.0f} s")


def start_moto(port: int = DEFAULT_PORT, *, timeout: float = 30) -> Emulator:
    """Start ``moto_server`` on 127.0.0.1:``port`` and wait until it answers."""
    if _port_in_use(port):
        raise EmulatorError(
            f"port {port} is taken: stop what runs there, or set AWS_ENDPOINT_URL to use it"
        )
    command = [
        sys.executable,
        "-m",
        "eoffice_local.moto_server",
        "-H",
        "127.0.0.1",
        "-p",
        str(port),
    ]
    process = children.spawn(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    _wait_until_up(url, process, timeout)
    return Emulator(url, process)


def use_or_start(port: int = DEFAULT_PORT) -> Emulator:
    """The emulator named by ``AWS_ENDPOINT_URL``, or a new embedded one."""
    configured = os.environ.get("AWS_ENDPOINT_URL")
    if configured:
        return Emulator(configured.rstrip("/"))
    return start_moto(port)


def emulator_environment(endpoint_url: str, region: str) -> dict[str, str]:
    """What the process (and so every in-process function) needs to reach the emulator."""
    env = {
        "AWS_ENDPOINT_URL": endpoint_url,
        "AWS_REGION": region,
        "AWS_DEFAULT_REGION": region,
    }
    for name, value in EMULATOR_CREDENTIALS.items():
        env[name] = os.environ.get(name) or value
    return env
