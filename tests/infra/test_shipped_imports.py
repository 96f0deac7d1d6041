"""Shipped code (the layer, the functions) never imports the local runner, the benchmarks or the
tests. Locally nothing would notice: the workers run on the virtualenv, where ``eoffice_local``
is installed, and the in-process mode shares the runner's modules; in Lambda the import fails."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = (ROOT / "layers" / "eoffice" / "eoffice", ROOT / "functions")
DEV_ONLY = {"eoffice_local", "bench", "tests", "conftest", "moto", "pytest", "awslambdaric"}


def imported(source: Path) -> set[str]:
    """The top-level names of what ``source`` imports (absolute imports only)."""
    names = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"), str(source))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_shipped_code_imports_nothing_that_is_dev_only() -> None:
    sources = [path for folder in SHIPPED for path in folder.rglob("*.py")]
    assert len(sources) > 50, "the layer and the functions were found"
    found = {
        str(path.relative_to(ROOT)): sorted(imported(path) & DEV_ONLY)
        for path in sources
        if imported(path) & DEV_ONLY
    }
    assert found == {}
