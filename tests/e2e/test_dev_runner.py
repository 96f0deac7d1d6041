"""``eoffice dev`` as a newcomer runs it: emulator, template, demo data, API, token, Ctrl-C; and
as a script runs it in the background: one SIGINT or SIGTERM stops it within 10 s, and neither a
stop nor a ``kill -9`` (of it, or of the test run that started it) leaves the emulator or a
function's worker running. ``make dev`` itself stops the same way, with make in between."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from eoffice_local import children
from eoffice_local.emulator import free_port

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def _wait_for(url: str, process: subprocess.Popen[str], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(
                f"eoffice dev exited early:\n{process.stdout.read() if process.stdout else ''}"
            )
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not come up")


def _cli(state: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "eoffice_local.cli", *args],
        capture_output=True,
        text=True,
        env={**env, "EOFFICE_STATE_DIR": str(state)},
        timeout=120,
        check=False,
    )


def _dev_command(api_port: int) -> list[str]:
    """``eoffice dev`` on free ports of its own (the API's and the sign-in's)."""
    command = [sys.executable, "-m", "eoffice_local.cli", "dev", "--port", str(api_port)]
    return [*command, "--signin-port", str(free_port())]


def _port_open(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def clean_env() -> dict[str, str]:
    """The shell of a newcomer: no emulator configured."""
    return {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}


def _start(
    state: Path, env: dict[str, str], *args: str
) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """``eoffice dev`` started as ``eoffice dev &`` in a script starts it: SIGINT ignored. It
    dies with this test process, also when a timeout kills the test run."""
    api_port = free_port()
    process: subprocess.Popen[str] = children.spawn(
        [*_dev_command(api_port), *args],
        ignore_interrupt=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**env, "EOFFICE_STATE_DIR": str(state)},
    )
    try:
        url = f"http://127.0.0.1:{api_port}"
        _wait_for(f"{url}/health", process)
        yield process, url
    finally:
        if process.poll() is None:
            process.kill()


def descendants(pid: int) -> set[int]:
    """Every process below ``pid``, from /proc (psutil is not installed)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            parents.setdefault(parent, []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def running(pid: int) -> bool:
    """Alive and not a zombie (a zombie has ended; its parent has not collected it yet)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def survivors(pids: set[int], within: float = 5) -> set[int]:
    deadline = time.monotonic() + within
    while any(running(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return {pid for pid in pids if running(pid)}


def stop_within(process: subprocess.Popen[str], signum: int, seconds: float = 10) -> str:
    started = time.monotonic()
    process.send_signal(signum)
    output, _ = process.communicate(timeout=seconds + 20)
    took = time.monotonic() - started
    assert took < seconds, f"stopped after {took:.1f} s:\n{output}"
    return output


def _runtime(state: Path) -> dict[str, Any]:
    return json.loads((state / "runtime.json").read_text())  # type: ignore[no-any-return]


def _signin_answers(state: Path, web_port: int = 3001) -> str:
    """The sign-in stand-in runs where runtime.json says, for the web app's local callbacks
    (on its web port)."""
    runtime = _runtime(state)
    signin = str(runtime["signin_url"])
    metadata = httpx.get(f"{signin}/.well-known/openid-configuration", timeout=10).json()
    assert metadata["issuer"].startswith("https://cognito-idp.ap-southeast-3.amazonaws.com/")
    assert httpx.get(metadata["jwks_uri"], timeout=10).json()["keys"][0]["alg"] == "RS256"
    request = {
        "client_id": json.loads(runtime["stack"])["refs"]["WebAppClient"],
        "response_type": "code",
        "scope": "openid email profile",
        "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        "code_challenge_method": "S256",
        "state": "x",
    }
    for host in ("127.0.0.1", "localhost"):
        callback = f"http://{host}:{web_port}/masuk/selesai"
        page = httpx.get(
            metadata["authorization_endpoint"], params=request | {"redirect_uri": callback}
        )
        assert page.status_code == 200 and "Pejabat demo" in page.text, callback
    return signin


def _signs_through_bsre(url: str, state: Path, env: dict[str, str]) -> None:
    """kepala.bkpsdm has no key here: her letter is signed at the BSrE stand-in, with the demo
    NIK and passphrase the welcome prints (a wrong passphrase refused first)."""
    from eoffice_local.sample_letters import letter_with_placeholders
    from eoffice_local.signing_demo import BSRE_NIK, BSRE_PASSPHRASE

    def bearer(user: str) -> dict[str, str]:
        issued = _cli(state, "token", user, env=env)
        assert issued.returncode == 0, issued.stderr
        return {"Authorization": f"Bearer {issued.stdout.strip()}"}

    staff, head = bearer("tpp.bkpsdm"), bearer("kepala.bkpsdm")
    units = httpx.get(f"{url}/units", headers=staff, timeout=30).json()
    kominfo = next(u["unit_id"] for u in units if u["code"] == "DISKOMINFO-SP")
    signer = httpx.get(f"{url}/me", headers=head, timeout=30).json()["employee"]["nip"]
    draft = {
        "kind": "nota_dinas",
        "classification_code": "800.1.2.2",
        "subject": "Data pegawai untuk SPBE",
        "recipients": [{"kind": "unit", "unit_id": kominfo}],
        "signers": [signer],
        "reviewers": [],
    }
    made = httpx.post(f"{url}/outgoing", headers=staff, json=draft, timeout=30)
    assert made.status_code == 201, made.text
    path = f"{url}/outgoing/{made.json()['outgoing']['outgoing_id']}"
    pdf = {**staff, "content-type": "application/pdf"}
    sent = httpx.post(f"{path}/versions", headers=pdf, content=letter_with_placeholders(1))
    assert sent.status_code < 300, sent.text
    deadline = time.monotonic() + 30
    while httpx.get(path, headers=staff, timeout=30).json()["status"] != "ready_to_sign":
        assert time.monotonic() < deadline, "the upload became version 1"
        time.sleep(0.5)
    wrong = {"nik": BSRE_NIK, "passphrase": "Salah#Tebak-0000"}
    refused = httpx.post(f"{path}/sign", headers=head, json=wrong, timeout=60)
    assert refused.status_code == 403 and refused.json()["code"] == "bsre_rejected", refused.text
    right = {"nik": BSRE_NIK, "passphrase": BSRE_PASSPHRASE}
    signed = httpx.post(f"{path}/sign", headers=head, json=right, timeout=60)
    assert signed.status_code == 200, signed.text
    [signature] = signed.json()["signatures"]
    assert signature["backend"] == "bsre" and signature["signed_by_nip"] == signer
    assert f"Serial Number: {BSRE_NIK}" in signature["certificate_subject"]


def test_make_dev_runs_everything_and_stops_cleanly(
    tmp_path: Path, clean_env: dict[str, str]
) -> None:
    emulator_port, web_port, bsre_port = free_port(), free_port(), free_port()
    dist = tmp_path / "dist"  # a build named with --web-dist is served as it is: no npm here
    dist.mkdir()
    (dist / "index.html").write_text("<!doctype html><title>e-Office</title>")
    web = ["--web-port", str(web_port), "--web-dist", str(dist), "--bsre-port", str(bsre_port)]
    runner = _start(
        tmp_path, clean_env, "--emulator-port", str(emulator_port), "--employees", "5", *web
    )
    process, url = next(runner)
    assert _port_open(emulator_port), "the embedded emulator listens on its port"
    deadline = time.monotonic() + 10
    while not (tmp_path / "runtime.json").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert (tmp_path / "runtime.json").exists(), "the state other commands attach to"
    token = _cli(tmp_path, "token", "bupati", env=clean_env)
    assert token.returncode == 0, token.stderr
    me = httpx.get(
        f"{url}/me", headers={"Authorization": f"Bearer {token.stdout.strip()}"}, timeout=30
    )
    assert me.status_code == 200 and me.json()["roles"] == ["bupati"]
    assert _port_open(bsre_port), "the BSrE stand-in listens on --bsre-port"
    _signs_through_bsre(url, tmp_path, clean_env)
    signin = _signin_answers(tmp_path, web_port)
    web_url = f"http://127.0.0.1:{web_port}"
    deadline = time.monotonic() + 10  # written again once the web app is served
    while "web_url" not in _runtime(tmp_path) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _runtime(tmp_path)["web_url"] == web_url
    assert httpx.get(f"{web_url}/surat/abc", timeout=10).text == (dist / "index.html").read_text()
    config = httpx.get(f"{web_url}/config.json", timeout=10).json()
    assert config["apiUrl"] == url
    assert config["auth"]["metadataUrl"] == f"{signin}/.well-known/openid-configuration"
    below = descendants(process.pid)
    assert len(below) >= 2, "the emulator and the API function's worker"
    output = stop_within(process, signal.SIGINT)
    assert process.returncode == 0, output
    assert "HTTP API" in output and "/docs" in output and "eoffice token" in output
    assert f"Aplikasi web  {web_url}" in output
    assert f"Sign-in       {signin}/.well-known/openid-configuration" in output
    assert "BSrE (stand-in): kepala.bkpsdm NIK 7324055706720005 passphrase " in output
    assert not _port_open(bsre_port), "and the BSrE stand-in"
    assert not _port_open(emulator_port), "Ctrl-C stops the emulator too"
    assert not _port_open(int(signin.rsplit(":", 1)[1])), "and the sign-in"
    assert survivors(below) == set(), "every worker stopped with it"
    assert not (tmp_path / "runtime.json").exists()


def test_dev_uses_an_emulator_named_by_aws_endpoint_url(
    tmp_path: Path, clean_env: dict[str, str], local_env: object
) -> None:
    from eoffice_local.environment import LocalEnvironment

    assert isinstance(local_env, LocalEnvironment)
    endpoint = local_env.stack.endpoint_url
    env = {**clean_env, "AWS_ENDPOINT_URL": endpoint}
    runner = _start(tmp_path, env, "--stack", "eoffice-external", "--seed", "none", "--no-web")
    process, url = next(runner)
    assert httpx.get(f"{url}/health", timeout=10).status_code == 200
    below = descendants(process.pid)
    output = stop_within(process, signal.SIGTERM)
    assert process.returncode == 0, output
    assert survivors(below) == set()
    assert f"emulator: {endpoint} (external)" in output
    # Left running: a cheap call (the test process's emulator holds every test's data, which
    # /moto-api/data.json would serialise).
    assert sts_answers(endpoint), "left running"


# A test run that starts `eoffice dev` as these tests do (children.spawn) and is then killed,
# as a CI timeout kills it: it prints the runner's pid and waits.
_KILLED_TEST_RUN = """
import subprocess, sys, time
from eoffice_local import children
runner = children.spawn(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(runner.pid, flush=True)
time.sleep(600)
"""


def test_a_killed_test_run_and_its_dev_leave_no_process_behind(
    tmp_path: Path, clean_env: dict[str, str]
) -> None:
    """SIGKILL to the test run: ``eoffice dev`` dies with it, and the emulator and the workers
    die with ``eoffice dev``, though neither could stop anything itself."""
    api_port = free_port()
    command = [*_dev_command(api_port), "--emulator-port", str(free_port()), "--seed", "none"]
    command.append("--no-web")
    test_run = subprocess.Popen(
        [sys.executable, "-c", _KILLED_TEST_RUN, *command],
        stdout=subprocess.PIPE,
        text=True,
        env={**clean_env, "EOFFICE_STATE_DIR": str(tmp_path)},
    )
    try:
        assert test_run.stdout is not None
        runner = int(test_run.stdout.readline())
        url = f"http://127.0.0.1:{api_port}"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not _answers(f"{url}/health"):
            assert running(runner), "eoffice dev exited early"
            time.sleep(0.3)
        assert httpx.get(f"{url}/health", timeout=10).status_code == 200
        below = descendants(test_run.pid)
        assert runner in below and len(below) >= 3, "the runner, the emulator, a worker"
    finally:
        test_run.kill()
        test_run.wait(timeout=10)
    assert survivors(below) == set(), "nothing outlives the killed test run"


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.mark.parametrize(
    ("signum", "in_background"),
    [(signal.SIGINT, False), (signal.SIGTERM, True)],
    ids=["ctrl-c-in-its-terminal", "sigterm-to-make-dev-started-with-&"],
)
def test_make_dev_stops_on_one_signal(
    tmp_path: Path, clean_env: dict[str, str], signum: signal.Signals, in_background: bool
) -> None:
    """The Makefile's recipe, as the README has a newcomer run it: Ctrl-C in its terminal (SIGINT
    to the foreground process group: make and the runner), or SIGTERM to a ``make dev &`` of a
    script (SIGINT ignored; make passes SIGTERM on to the runner). One signal stops everything
    within 10 s and leaves nothing behind."""
    api_port, emulator_port = free_port(), free_port()
    options = f"--port {api_port} --emulator-port {emulator_port} --seed none --no-web"
    options += f" --signin-port {free_port()}"
    # This test's interpreter and its venv as is: make neither creates nor updates one.
    command = ["make", "--no-print-directory", "-o", ".venv/.installed"]
    command += [f"BIN={Path(sys.executable).parent}", "dev", f"ARGS={options}"]
    make: subprocess.Popen[str] = children.spawn(
        command,
        ignore_interrupt=in_background,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**clean_env, "EOFFICE_STATE_DIR": str(tmp_path)},
    )
    below: set[int] = set()
    try:
        _wait_for(f"http://127.0.0.1:{api_port}/health", make)
        below = descendants(make.pid)
        assert len(below) >= 2, "the runner and the emulator, below make"
        started = time.monotonic()
        if in_background:
            make.send_signal(signum)
        else:
            os.killpg(make.pid, signum)  # what the terminal does on Ctrl-C
        try:
            output, _ = make.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"make dev still runs 30 s after one {signum.name}") from None
        took = time.monotonic() - started
        assert took < 10, f"stopped after {took:.1f} s:\n{output}"
        assert not _port_open(emulator_port), "the emulator stopped too"
        assert survivors(below) == set(), f"left running:\n{output}"
    finally:
        for pid in survivors(below, within=0):  # this test's own processes only
            os.kill(pid, signal.SIGKILL)
        if make.poll() is None:
            make.kill()
            make.wait(timeout=10)


def sts_answers(endpoint: str) -> bool:
    """The emulator at ``endpoint`` answers an AWS call (STS GetCallerIdentity)."""
    import boto3

    sts = boto3.client(
        "sts",
        endpoint_url=endpoint,
        region_name="ap-southeast-3",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    return "Account" in sts.get_caller_identity()
