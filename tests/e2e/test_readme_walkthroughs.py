"""Every shell walkthrough of README.md, run as written against a freshly started ``eoffice dev``.

The README marks its shell blocks (``tests/support/readme.py``); here each walkthrough is one
``bash -euo pipefail`` script, in the README's order, in a scratch directory that holds only a
link to the venv, as the repository's root would for a reader. Each script begins with the
README's shell set-up (activate the venv, ``API=...``, ``cd try``), so the files it writes land
in ``try/``. The runner gets free ports: the README's ``http://127.0.0.1:3000`` and
``http://127.0.0.1:4566`` are the only addresses replaced, by the ones it got.

A walkthrough's assertions are the README's own (its ``jq -e`` lines). What some blocks only
print is checked here: the first call answers the demo user, ``eoffice invoke`` prints the
deadline run's counts, and the check-in just made is on today's page whatever the hour (with a
message that says what it counts for). The TPP reports it asks for are checked again: some
employee's deduction is above 0 and the month pays less than the TPP it owes, which a demo
without attendance would not; and the regency's report of the demo month counts every kind of
lapse the seed promises (each TL and PSW band, TK, izin, dinas luar, cuti, penalties).

The shell's time zone is twelve hours behind UTC (20 behind WITA), as a newcomer's machine may
be: a walkthrough that took "today" or "this month" from the machine instead of WITA would read
the wrong day for most of the day, and the wrong month on most of the 1st.

At any hour: the runner seeds the month before today (WITA), and the walkthroughs read "today"
and "last month" when they run; and the runner's own TPP schedule fires at 01:00 WITA on the 1st,
the run the TPP walkthrough invokes. So the test does not start within a few minutes before
midnight WITA, or before 01:00 on the 1st: it waits until just after instead.
"""

from __future__ import annotations

import csv
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from eoffice_local.emulator import free_port
from support.readme import readme, walkthroughs

pytestmark = pytest.mark.e2e

README_API = "http://127.0.0.1:3000"
README_EMULATOR = "http://127.0.0.1:4566"
STARTUP_S = 180.0
WALKTHROUGH_S = 240.0
MARGIN = timedelta(minutes=6)
"""Longer than the whole test takes: it never spans midnight WITA, nor the monthly TPP run."""
WITA = ZoneInfo("Asia/Makassar")
FAR_FROM_WITA = "Etc/GMT+12"
"""UTC-12 (POSIX signs are reversed): the machine's date is WITA's only from 20:00 to 24:00 WITA."""
NIP_STAF = "199402112019031011"
LAPSES = (
    *(f"TL{n}" for n in range(1, 5)),
    *(f"PSW{n}" for n in range(1, 5)),
    "TK",
    "Izin",
    "Dinas luar",
    "Cuti tahunan",
    "Cuti sakit",
)
"""Columns of the report's CSV that the demo month must fill for some employee."""


@dataclass
class Dev:
    url: str
    emulator: str
    state: Path
    log: Path


def _away_from_turns_of_the_day() -> None:
    now = datetime.now(WITA)
    midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), WITA)
    turns = [midnight]
    if now.day == 1:
        turns.append(now.replace(hour=1, minute=0, second=0, microsecond=0))
    for turn in turns:
        if timedelta(0) <= turn - now < MARGIN:
            time.sleep((turn - now).total_seconds() + 5)


def _wait_for_health(dev: Dev, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"eoffice dev exited early:\n{_tail(dev.log)}")
        try:
            if httpx.get(f"{dev.url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"eoffice dev did not come up in {STARTUP_S:.0f} s:\n{_tail(dev.log)}")


def _tail(path: Path, lines: int = 60) -> str:
    text = path.read_text(errors="replace") if path.exists() else ""
    return "\n".join(text.splitlines()[-lines:])


def _newcomer_env(state: Path) -> dict[str, str]:
    """A shell as a newcomer has it: no emulator or tables configured, a time zone far from
    WITA; only the state directory is the test's own, so that ``eoffice token`` finds this
    runner."""
    kept = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "TMPDIR"}}
    return {**kept, "EOFFICE_STATE_DIR": str(state), "TZ": FAR_FROM_WITA}


@pytest.fixture
def dev(tmp_path: Path) -> Iterator[Dev]:
    """``make dev`` with its defaults (the demo regency of 200 employees and its month of
    attendance) on free ports."""
    _away_from_turns_of_the_day()
    port, emulator_port = free_port(), free_port()
    found = Dev(
        f"http://127.0.0.1:{port}",
        f"http://127.0.0.1:{emulator_port}",
        tmp_path / "state",
        tmp_path / "dev.log",
    )
    # The walkthroughs are the API's (curl): the web app is neither built nor served.
    command = [sys.executable, "-m", "eoffice_local.cli", "dev", "--port", str(port), "--no-web"]
    with found.log.open("wb") as log:
        process = subprocess.Popen(
            [*command, "--emulator-port", str(emulator_port), "--signin-port", str(free_port())],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=_newcomer_env(found.state),
        )
    try:
        started = time.monotonic()
        _wait_for_health(found, process)
        print(f"eoffice dev: up in {time.monotonic() - started:.1f} s")
        yield found
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _script(text: str, dev: Dev) -> str:
    addresses = set(re.findall(r"http://127\.0\.0\.1:\d+", text))
    assert addresses <= {README_API, README_EMULATOR}, f"unexpected addresses {addresses}"
    return text.replace(README_API, dev.url).replace(README_EMULATOR, dev.emulator)


def _run(name: str, script: str, scratch: Path, dev: Dev) -> str:
    """Run one walkthrough; what it printed."""
    try:
        done = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", script],
            cwd=scratch,
            env=_newcomer_env(dev.state),
            capture_output=True,
            text=True,
            timeout=WALKTHROUGH_S,
            check=False,
        )
    except subprocess.TimeoutExpired as late:
        raise AssertionError(f"walkthrough {name!r} took over {WALKTHROUGH_S:.0f} s") from late
    if done.returncode != 0:
        raise AssertionError(
            f"walkthrough {name!r} failed ({done.returncode}):\n--- stdout\n{done.stdout[-4000:]}"
            f"\n--- stderr\n{done.stderr[-4000:]}\n--- eoffice dev\n{_tail(dev.log, 30)}"
        )
    return done.stdout


def _printed(output: str) -> list[Any]:
    """The JSON values a walkthrough printed (``jq`` output, ``eoffice invoke``), and each other
    line as a string."""
    found: list[Any] = []
    decoder, at = json.JSONDecoder(), 0
    while at < len(output):
        if output[at].isspace():
            at += 1
            continue
        try:
            value, at = decoder.raw_decode(output, at)
        except json.JSONDecodeError:
            end = output.find("\n", at)
            end = len(output) if end < 0 else end
            value, at = output[at:end], end
        found.append(value)
    return found


def _what_the_blocks_print(printed: dict[str, list[Any]]) -> None:
    """The lines the README shows a reader without a ``jq -e`` of their own."""
    (me,) = printed["first-call"]
    assert me["employee"]["username"] == "kadis.kominfo" and me["roles"] == ["head"], me
    runs = printed["invoke"]
    assert len(runs) == 2 and all({"reminded", "escalated", "skipped"} <= set(r) for r in runs)
    attendance = printed["attendance"]
    message = next(v for v in attendance if isinstance(v, str) and v.startswith("Presensi"))
    assert re.fullmatch(
        r"Presensi masuk pukul \d\d:\d\d WITA, .+ (dihitung|tidak dihitung).*", message
    )
    (today,) = [v for v in attendance if isinstance(v, dict) and "checkins" in v]
    assert {"kind": "in", "state": "accepted"} in today["checkins"], today


def test_every_readme_walkthrough_runs_as_written(dev: Dev, tmp_path: Path) -> None:
    scratch = tmp_path / "repository"
    scratch.mkdir()
    (scratch / ".venv").symlink_to(Path(sys.prefix))
    scripts = walkthroughs(readme())
    assert {"letters", "scanner", "dispositions", "outgoing", "bsre", "attendance", "tpp"} <= set(
        scripts
    )
    printed = {}
    for name, script in scripts.items():
        started = time.monotonic()
        printed[name] = _printed(_run(name, _script(script, dev), scratch, dev))
        print(f"walkthrough {name}: {time.monotonic() - started:.1f} s")
    _what_the_blocks_print(printed)

    assert {p.name for p in scratch.iterdir()} <= {".venv", "try"}, "files only under try/"
    tried = scratch / "try"
    version = json.loads((tried / "report.json").read_text())["versions"][-1]
    assert version["deduction_total"] > 0 and version["paid_total"] < version["tpp_total"]
    assert version["paid_total"] > version["tpp_total"] / 2, "paid, not everything deducted"
    with (tried / "tpp.csv").open(encoding="utf-8-sig") as rows:
        owed = [(int(r["TPP (Rp)"]), int(r["Potongan (Rp)"])) for r in csv.DictReader(rows)]
    assert len(owed) == version["employees"]
    partial = {cut for tpp, cut in owed if 0 < cut < tpp}
    assert len(partial) > 2, "varied deductions of some of the TPP, not all or nothing"
    explained = json.loads((tried / "explanation.json").read_text())["employee"]
    assert explained["nip"] == NIP_STAF and explained["working_days"] > 15
    assert explained["days_present"] > 0 and not explained["no_presence"]
    _the_regency_month_has_every_lapse(dev, version["month"])


def _the_regency_month_has_every_lapse(dev: Dev, month: str) -> None:
    """The regency's report (the walkthrough's scheduled run) of the demo month."""
    token = subprocess.run(
        [sys.executable, "-m", "eoffice_local.cli", "token", "tpp.bkpsdm"],
        env=_newcomer_env(dev.state),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout.strip()
    files = httpx.get(
        f"{dev.url}/tpp/reports/{month}/files",
        headers={"authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert files.status_code == 200, files.text
    [link] = [f["url"] for f in files.json() if f["name"] == f"tpp-{month}.csv"]
    text = httpx.get(link, timeout=30).content.decode("utf-8-sig")
    rows = list(csv.DictReader(text.splitlines()))
    assert len(rows) > 400, "every demo employee"
    missing = [c for c in LAPSES if not any(float(row[c]) > 0 for row in rows)]
    assert not missing, f"no employee with {missing} in the demo month"
    assert sum(float(row["Hukuman disiplin (%)"]) > 0 for row in rows) == 2, "two penalties"
    paid = [int(row["Dibayar (Rp)"]) for row in rows]
    owed = [int(row["TPP (Rp)"]) for row in rows]
    assert sum(p == o for p, o in zip(paid, owed, strict=True)) > len(rows) / 10, "some unmarked"
    assert sum(0 < p < o for p, o in zip(paid, owed, strict=True)) > len(rows) / 4, "some cut"
