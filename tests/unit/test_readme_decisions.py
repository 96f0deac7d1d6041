"""The README's list of decisions (``- [NNNN title](docs/decisions/NNNN-....md)``) names every
ADR in docs/decisions/ (a new one is easily written and forgotten there)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_readme_links_every_decision() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    decisions = sorted((ROOT / "docs" / "decisions").glob("[0-9][0-9][0-9][0-9]-*.md"))
    assert len(decisions) > 15, "the decisions were found"
    listed = {line for line in readme.splitlines() if line.startswith("- [")}
    missing = [
        d.name
        for d in decisions
        if not any(
            item.startswith(f"- [{d.name[:4]} ") and item.endswith(f"](docs/decisions/{d.name})")
            for item in listed
        )
    ]
    assert missing == []
