"""The URLs ``make dev`` prints, as the README's "make dev" section shows them, are the ones
``eoffice dev`` prints on its default ports."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from eoffice_local.cli import _print_welcome

ROOT = Path(__file__).resolve().parents[2]


def test_the_readme_shows_the_welcome_as_printed(capsys: pytest.CaptureFixture[str]) -> None:
    _print_welcome("http://127.0.0.1:3000", "http://127.0.0.1:3002", "http://127.0.0.1:3001")
    printed = capsys.readouterr().out.strip().split("\n\n")[0].splitlines()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### `make dev`", 1)[1]
    shown = re.search(r"prints the URLs:\n\n```\n(.*?)\n```", section, re.DOTALL)
    assert shown is not None, "the README shows what make dev prints"
    assert shown.group(1).splitlines() == printed
