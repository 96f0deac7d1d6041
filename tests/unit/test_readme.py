"""The README's shell blocks are each run by the walkthrough test or say why not
(``tests/support/readme.py``), and the walkthroughs write into an ignored folder."""

from __future__ import annotations

import subprocess

from support.readme import ROOT, Block, blocks, readme, walkthroughs


def test_every_shell_block_is_run_or_says_why_not() -> None:
    found = readme()
    unmarked = [f"README.md:{b.line}" for b in found if b.is_shell and not b.marked]
    assert not unmarked, f"shell blocks neither in a walkthrough nor marked not-run: {unmarked}"
    stray = [f"README.md:{b.line}" for b in found if b.marked and not b.is_shell]
    assert not stray, f"walkthrough marks on blocks that are not shell: {stray}"
    assert sum(b.shell for b in found) == 1, "one shell set-up for the walkthroughs"


def test_the_walkthroughs_cover_each_part_of_the_product() -> None:
    scripts = walkthroughs(readme())
    parts = {"letters", "scanner", "dispositions", "outgoing", "attendance", "tpp"}
    assert parts <= set(scripts)
    for name in parts:
        assert scripts[name].startswith("source .venv/bin/activate"), name


def test_marks_are_read_from_the_line_before_the_fence() -> None:
    text = """intro

<!-- walkthrough-shell -->
```sh
cd try
```

<!-- walkthrough: one -->
```sh
echo a
```

<!-- not-run: needs AWS -->
```sh
sam deploy
```

```sh
echo unmarked
```

- a list item:
  <!-- walkthrough: one -->
  ```sh
  echo b
  ```
"""
    found = blocks(text)
    assert [(b.walkthrough, b.not_run, b.shell, b.marked) for b in found] == [
        (None, None, True, True),
        ("one", None, False, True),
        (None, "needs AWS", False, True),
        (None, None, False, False),
        ("one", None, False, True),
    ]
    assert walkthroughs(found) == {"one": "cd try\necho a\necho b\n"}


def test_a_not_run_mark_needs_a_reason() -> None:
    [block] = blocks("<!-- not-run:  -->\n```sh\nmake dev\n```\n")
    assert block == Block(line=2, language="sh", text="make dev\n", not_run="")
    assert not block.marked


def test_the_walkthrough_folder_is_git_ignored() -> None:
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", "try/registration.json"], cwd=ROOT, check=False
    )
    assert ignored.returncode == 0, "try/ belongs in .gitignore"
