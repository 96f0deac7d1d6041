"""The layer's shape, as docs/architecture.md describes it: no import cycle between its modules,
and a module's name says what it is (only stores and the plumbing reach AWS; rules reach nothing).

Imports are read from the source (module level and inside functions alike: a cycle through a lazy
import is still two modules that cannot be understood apart)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

LAYER = Path(__file__).resolve().parents[2] / "layers" / "eoffice"
PACKAGE = "eoffice"
IO_LIBRARIES = ("boto3", "botocore", "pynamodb", "eoffice.aws", "eoffice.dynamo")
PLUMBING = {
    # The shared ways out to AWS every store uses, and adapters to services outside AWS.
    "eoffice.aws",
    "eoffice.dynamo",
    "eoffice.events",
    "eoffice.object_store",
    "eoffice.http.idempotency",
}


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted((LAYER / PACKAGE).rglob("*.py")):
        parts = path.relative_to(LAYER).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _imports(name: str, path: Path, known: set[str]) -> Iterator[str]:
    """The layer's modules (and outside libraries) that ``name`` imports, by full name."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                child = f"{base}.{alias.name}"
                yield child if child in known else base


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: set(_imports(name, path, known)) for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan); a module importing
    itself by name is not counted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in graph or target == node:
                continue
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _is_store(name: str) -> bool:
    last = name.rpartition(".")[2]
    adapter = ".backends." in name or ".channels." in name  # a service's adapter (BSrE, SES)
    return last in {"store", "table"} or last.endswith("_store") or adapter


def _reaches_aws(imports: set[str]) -> bool:
    return any(i == lib or i.startswith(lib + ".") for i in imports for lib in IO_LIBRARIES)


def test_no_import_cycle_in_the_layer() -> None:
    # Packages' __init__ modules are left out: importing a.b imports a, which is no cycle.
    graph = {n: {t for t in ts if not _is_package(t)} for n, ts in _graph().items()}
    assert _cycles(graph) == []


def _is_package(name: str) -> bool:
    return _modules().get(name, Path()).name == "__init__.py"


def test_only_stores_and_plumbing_reach_aws() -> None:
    reaching = {
        name
        for name, imports in _graph().items()
        if _reaches_aws(imports) and not _is_store(name) and name not in PLUMBING
    }
    assert reaching == set()


def _reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    """Every module ``start`` imports, directly or through others (outside libraries as leaves)."""
    seen: set[str] = set()
    todo = list(graph.get(start, ()))
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(graph.get(name, ()))
    return seen


def test_rules_and_models_reach_no_store() -> None:
    """Not directly and not through a module in between: a rule that imports a service which
    imports a store is not pure."""
    graph = _graph()
    impure = {}
    for name in graph:
        last = name.rpartition(".")[2]
        if last in {"rules", "models"} or last.endswith(("_rules", "_models")):
            reached = _reachable(graph, name)
            stores = {i for i in reached if _is_store(i) or i in PLUMBING or _reaches_aws({i})}
            if stores:
                impure[name] = sorted(stores)
    assert impure == {}


def test_the_check_finds_a_cycle() -> None:
    """The checker itself: a made-up cycle is found, a chain is not."""
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []
    graph = {"x.rules": {"x.service"}, "x.service": {"x.store"}, "x.store": {"boto3"}}
    assert "x.store" in _reachable(graph, "x.rules")
