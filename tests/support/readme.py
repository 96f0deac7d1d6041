"""The README's shell blocks, as its walkthrough test reads them.

Every fenced shell block (```sh) of README.md carries a mark on the line before it:

- ``<!-- walkthrough: NAME -->``: a step of the walkthrough NAME. A walkthrough is its blocks in
  the README's order, run as one script (``bash -euo pipefail``) against a running
  ``eoffice dev``;
- ``<!-- walkthrough-shell -->``: how the reader sets up the shell the walkthroughs run in; it
  comes first in every walkthrough that begins after it in the README;
- ``<!-- not-run: REASON -->``: a block the test cannot run (it deploys to AWS, starts Docker or
  the runner itself...), and why.

A shell block without a mark is an error, so a new snippet cannot escape the test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
SHELL_LANGUAGES = frozenset({"sh", "bash", "shell", "console", "zsh"})
_FENCE = re.compile(r"^(?P<indent>\s*)```(?P<language>[\w+-]*)\s*$")
_MARK = re.compile(
    r"^\s*<!--\s*(?:walkthrough:\s*(?P<name>[\w-]+)|not-run:\s*(?P<reason>.*?)"
    r"|(?P<shell>walkthrough-shell))\s*-->\s*$"
)
_ROUTE = re.compile(r"`(?P<methods>[A-Z]+(?:\|[A-Z]+)*) (?P<path>/[^`\s]*)`")


@dataclass(frozen=True)
class Block:
    """A fenced block: where it starts (1-based line of its opening fence), its language, its
    text (without the fences and the indentation of the opening one) and its mark."""

    line: int
    language: str
    text: str
    walkthrough: str | None = None
    not_run: str | None = None
    shell: bool = False

    @property
    def is_shell(self) -> bool:
        return self.language in SHELL_LANGUAGES

    @property
    def marked(self) -> bool:
        return bool(self.walkthrough or self.shell or (self.not_run and self.not_run.strip()))


def blocks(text: str) -> list[Block]:
    """Every fenced block of a Markdown text, with the mark on the line before it, if any."""
    found: list[Block] = []
    lines = text.splitlines()
    n = 0
    while n < len(lines):
        opening = _FENCE.match(lines[n])
        if not opening:
            n += 1
            continue
        indent = len(opening["indent"])
        body: list[str] = []
        end = n + 1
        while end < len(lines) and lines[end].strip() != "```":
            body.append(lines[end][indent:] if lines[end][:indent].isspace() else lines[end])
            end += 1
        mark = _MARK.match(lines[n - 1]) if n else None
        found.append(
            Block(
                line=n + 1,
                language=opening["language"],
                text="\n".join(body) + "\n",
                walkthrough=mark["name"] if mark else None,
                not_run=mark["reason"] if mark else None,
                shell=bool(mark and mark["shell"]),
            )
        )
        n = end + 1
    return found


def walkthroughs(found: list[Block]) -> dict[str, str]:
    """Each walkthrough's script, in the README's order (by its first block): the shell set-up
    first when the walkthrough begins after it, then its blocks in order."""
    setup = next((b for b in found if b.shell), None)
    scripts: dict[str, list[str]] = {}
    for block in found:
        if block.walkthrough is None:
            continue
        if block.walkthrough not in scripts:
            begins_after = setup is not None and setup.line < block.line
            scripts[block.walkthrough] = [setup.text] if setup and begins_after else []
        scripts[block.walkthrough].append(block.text)
    return {name: "".join(parts) for name, parts in scripts.items()}


def readme() -> list[Block]:
    return blocks(README.read_text(encoding="utf-8"))


def listed_routes(text: str) -> set[tuple[str, str]]:
    """(METHOD, path) of every route in the README's list under "The routes:" (up to the next
    heading), written as `GET|POST /path`."""
    start = text.index("\nThe routes:\n")
    end = text.index("\n#", start)
    return {
        (method, found["path"])
        for found in _ROUTE.finditer(text[start:end])
        for method in found["methods"].split("|")
    }
