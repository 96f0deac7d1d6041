"""Build the web app (``web/``) for ``eoffice dev`` when its sources changed, as ``make`` would.

``npm ci`` when ``package-lock.json`` is newer than what npm last installed
(``node_modules/.package-lock.json``, which npm writes after every install) or nothing is
installed; ``npm run build`` when a source is newer than the stamp left in ``dist/`` after the
last build, or there is no build. Without ``web/package.json`` there is nothing to build.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from eoffice_local import children

__all__ = ["STAMP", "BuildError", "Plan", "ensure_built", "plan"]

STAMP = ".eoffice-build"
"""Left in dist/ after a build; its mtime is when the sources were last built. publish_web.py
and the web host skip dot files."""

SOURCES = (
    "src",
    "public",
    "scripts",
    "index.html",
    "package.json",
    "package-lock.json",
    "vite.config.ts",
)
"""What a build reads, under web/ (and every ``tsconfig*.json`` there: the build type-checks)."""

BUILD_TIMEOUT_S = 900


class BuildError(RuntimeError):
    """npm failed; the message says which step."""


@dataclass(frozen=True)
class Plan:
    install: bool
    build: bool
    why: str

    @property
    def nothing_to_do(self) -> bool:
        return not (self.install or self.build)


def plan(web: Path) -> Plan | None:
    """What ``ensure_built`` would run; None when ``web/package.json`` does not exist."""
    if not (web / "package.json").exists():
        return None
    reasons = []
    installed = web / "node_modules" / ".package-lock.json"
    lock = web / "package-lock.json"
    install = not installed.exists() or (lock.exists() and _mtime(lock) > _mtime(installed))
    if install:
        reasons.append("dependencies not installed" if not installed.exists() else "lock changed")
    stamp = web / "dist" / STAMP
    newest = _newest(_source_files(web))
    build = not stamp.exists() or newest > _mtime(stamp)
    if build:
        reasons.append("not built yet" if not stamp.exists() else "sources changed")
    return Plan(install, build, ", ".join(reasons) or "up to date")


def ensure_built(
    web: Path,
    *,
    say: Callable[[str], None] = print,
    run: Callable[[list[str], Path], int] | None = None,
) -> Path | None:
    """Install and build what is out of date; the dist folder, or None when there is no app.
    Raises :class:`BuildError` when npm fails (the caller still serves the API)."""
    steps = plan(web)
    if steps is None:
        say("web app: no web/package.json yet, nothing to build")
        return None
    if steps.nothing_to_do:
        say("web app: build up to date")
        return web / "dist"
    npm = shutil.which("npm")
    if npm is None:
        raise BuildError("npm is not installed (Node 20 or later is needed for the web app)")
    execute = run or _run
    say(f"web app: building ({steps.why})...")
    if steps.install and execute([npm, "ci", "--no-audit", "--no-fund"], web) != 0:
        raise BuildError("npm ci failed in web/ (its output is above)")
    if steps.build:
        if execute([npm, "run", "build"], web) != 0:
            raise BuildError("npm run build failed in web/ (its output is above)")
        # Not older than any source, should one carry a time ahead of this clock.
        built = max(time.time(), _newest(_source_files(web)))
        (web / "dist").mkdir(exist_ok=True)
        (web / "dist" / STAMP).touch()
        os.utime(web / "dist" / STAMP, (built, built))
    return web / "dist"


def _run(command: list[str], cwd: Path) -> int:
    """npm's output goes to the terminal as it comes; it dies with this process."""
    child = children.spawn(command, cwd=cwd, stdin=subprocess.DEVNULL)
    try:
        return child.wait(timeout=BUILD_TIMEOUT_S)
    finally:
        children.stop(child)


def _source_files(web: Path) -> Iterable[Path]:
    for path in (*(web / name for name in SOURCES), *sorted(web.glob("tsconfig*.json"))):
        if path.is_dir():
            yield from (p for p in path.rglob("*") if p.is_file())
        elif path.exists():
            yield path


def _newest(paths: Iterable[Path]) -> float:
    return max((_mtime(p) for p in paths), default=0.0)


def _mtime(path: Path) -> float:
    return path.stat().st_mtime


def main() -> int:
    """``python -m eoffice_local.web_build``: what ``make test`` runs before the web tests."""
    from eoffice_local.environment import ROOT

    try:
        ensure_built(ROOT / "web")
    except BuildError as error:
        print(f"web app: {error}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
