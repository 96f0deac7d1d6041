"""When ``eoffice dev`` installs and builds the web app: from the files' times, as make does
(no npm is run here; the runner's commands are recorded)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from eoffice_local import web_build
from eoffice_local.web_build import STAMP, BuildError, ensure_built, plan

T0 = 1_760_000_000.0


def _touch(path: Path, at: float) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    os.utime(path, (at, at))


@pytest.fixture
def web(tmp_path: Path) -> Path:
    """A web/ installed and built at T0 + 100, its sources older."""
    folder = tmp_path / "web"
    for name in ("package.json", "package-lock.json", "index.html", "vite.config.ts"):
        _touch(folder / name, T0)
    _touch(folder / "src" / "main.tsx", T0)
    _touch(folder / "src" / "screens" / "inbox.tsx", T0)
    _touch(folder / "public" / "icon-192.png", T0)
    for name in ("tsconfig.json", "tsconfig.test.json", "tsconfig.node.json"):
        _touch(folder / name, T0)
    _touch(folder / "scripts" / "check-api.mjs", T0)
    _touch(folder / "node_modules" / ".package-lock.json", T0 + 100)
    _touch(folder / "dist" / STAMP, T0 + 100)
    return folder


def test_nothing_to_do_when_the_build_is_newer_than_every_source(web: Path) -> None:
    steps = plan(web)
    assert steps is not None and steps.nothing_to_do and steps.why == "up to date"


@pytest.mark.parametrize(
    "source",
    [
        "src/screens/inbox.tsx",
        "public/icon-192.png",
        "index.html",
        "package.json",
        "vite.config.ts",
        "tsconfig.json",
        "tsconfig.test.json",
        "tsconfig.node.json",
        "scripts/check-api.mjs",
    ],
)
def test_a_changed_source_rebuilds_without_reinstalling(web: Path, source: str) -> None:
    _touch(web / source, T0 + 200)
    steps = plan(web)
    assert steps is not None and steps.build and not steps.install, source
    assert steps.why == "sources changed"


def test_a_new_source_file_rebuilds(web: Path) -> None:
    _touch(web / "src" / "screens" / "outbox.tsx", T0 + 200)
    steps = plan(web)
    assert steps is not None and steps.build


def test_a_changed_lock_reinstalls_and_rebuilds(web: Path) -> None:
    _touch(web / "package-lock.json", T0 + 200)
    steps = plan(web)
    assert steps is not None and steps.install and steps.build


def test_missing_node_modules_installs_and_missing_dist_builds(web: Path) -> None:
    (web / "node_modules" / ".package-lock.json").unlink()
    (web / "dist" / STAMP).unlink()
    steps = plan(web)
    assert steps is not None and steps.install and steps.build
    assert steps.why == "dependencies not installed, not built yet"


def test_files_outside_the_sources_do_not_rebuild(web: Path) -> None:
    _touch(web / "e2e" / "inbox.spec.ts", T0 + 200)
    _touch(web / "README.md", T0 + 200)
    _touch(web / "node_modules" / "preact" / "index.js", T0 + 200)
    steps = plan(web)
    assert steps is not None and steps.nothing_to_do


def test_no_package_json_means_no_app_and_a_message(tmp_path: Path) -> None:
    said: list[str] = []
    assert plan(tmp_path / "web") is None
    assert ensure_built(tmp_path / "web", say=said.append, run=_never) is None
    assert said == ["web app: no web/package.json yet, nothing to build"]


def _never(command: list[str], cwd: Path) -> int:
    raise AssertionError(f"ran {command}")


def test_ensure_built_runs_what_the_plan_says_and_stamps_the_build(
    web: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(web_build.shutil, "which", lambda name: f"/usr/bin/{name}")
    ran: list[list[str]] = []

    def run(command: list[str], cwd: Path) -> int:
        assert cwd == web
        ran.append(command)
        if command[1] == "ci":  # what npm leaves: its record of the install, after the lock
            _touch(installed, (web / "package-lock.json").stat().st_mtime + 1)
        return 0

    installed = web / "node_modules" / ".package-lock.json"

    _touch(web / "src" / "main.tsx", T0 + 200)
    assert ensure_built(web, say=lambda _: None, run=run) == web / "dist"
    assert ran == [["/usr/bin/npm", "run", "build"]]
    steps = plan(web)
    assert steps is not None and steps.nothing_to_do, "the stamp is newer than the sources"
    ran.clear()
    _touch(web / "package-lock.json", (web / "dist" / STAMP).stat().st_mtime + 10)
    ensure_built(web, say=lambda _: None, run=run)
    assert ran == [
        ["/usr/bin/npm", "ci", "--no-audit", "--no-fund"],
        ["/usr/bin/npm", "run", "build"],
    ]
    ran.clear()
    ensure_built(web, say=lambda _: None, run=run)
    assert ran == [], "up to date: npm is not run at all"


def test_a_failed_build_is_an_error_and_leaves_no_stamp(
    web: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(web_build.shutil, "which", lambda name: f"/usr/bin/{name}")
    (web / "dist" / STAMP).unlink()
    with pytest.raises(BuildError, match="npm run build failed"):
        ensure_built(web, say=lambda _: None, run=lambda command, cwd: 1)
    assert not (web / "dist" / STAMP).exists()
