"""Every problem code the API can answer has Bahasa Indonesia words in the web app.

The web app never shows the API's English ``detail``: it words a refusal by its stable ``code``
(``web/src/lib/problems.ts``). The codes are collected from the Python source, where they are
raised: ``code="..."`` given to an error, the ``code`` of every ``DomainError`` subclass, string
constants assigned to a ``code`` variable, string arguments given to a function's ``code``
parameter, and the codes the HTTP layer answers itself. A code built at run time from a closed set
is listed below with its expansions. A new code without words fails this test."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "layers" / "eoffice" / "eoffice", ROOT / "functions"]
WORDS = ROOT / "web" / "src" / "lib" / "problems.ts"

# Codes an f-string builds, expanded from the closed sets they are built from.
BUILT = {
    # outgoing/drafts.py _active_employee(nip, role): f"unknown_{role}"
    "unknown_reviewer",
    "unknown_signer",
    # org/service.py _found(record, kind, key): f"{kind}_not_found"
    "unit_not_found",
    "office_not_found",
    "position_not_found",
    "employee_not_found",
    # letters/file_rules.py HOSTILE: the rejection reason is the code on every upload path
    "active_content",
    "too_complex",
    # outgoing/signing_by_bsre.py: f"bsre_{rejected.code}" of a certificate BSrE says is not valid
    "bsre_certificate_not_registered",
    "bsre_certificate_pending",
    "bsre_certificate_expired",
    "bsre_certificate_revoked",
    "bsre_certificate_suspended",
}
# Strings assigned to a ``code`` that are no problem's: a TPP day's code (tpp/changes.py) and a
# TPP run's recorded error (tpp/run.py _fail), shown in reports, never as a refusal.
NOT_PROBLEMS = {"hadir", "cuti", "failed", "out_of_time"}


def _strings(node: ast.AST) -> set[str]:
    """The string constants an expression can be: itself, or either branch of a conditional."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value} if re.fullmatch(r"[a-z][a-z0-9_]*", node.value) else set()
    if isinstance(node, ast.IfExp):
        return _strings(node.body) | _strings(node.orelse)
    if isinstance(node, ast.BoolOp):
        return set().union(*(_strings(v) for v in node.values))
    return set()


def _code_parameters(tree: ast.Module) -> dict[str, int]:
    """Functions with a parameter named ``code``: its position."""
    found: dict[str, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names = [a.arg for a in node.args.args]
            if "code" in names:
                found[node.name] = names.index("code")
    return found


def _callee(call: ast.Call) -> str:
    f = call.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def api_codes() -> set[str]:
    codes = {"route_not_found"}  # http/problems.py answers an unknown route itself
    for base in SOURCES:
        for path in base.rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            takes_code = _code_parameters(tree)
            for node in ast.walk(tree):
                if isinstance(node, ast.Call):
                    for keyword in node.keywords:
                        if keyword.arg == "code":
                            codes |= _strings(keyword.value)
                    position = takes_code.get(_callee(node))
                    if position is not None and position < len(node.args):
                        codes |= _strings(node.args[position])
                elif isinstance(node, ast.Assign):
                    for target in node.targets:
                        names = (
                            [target]
                            if isinstance(target, ast.Name)
                            else getattr(target, "elts", [])
                        )
                        values = (
                            [node.value]
                            if isinstance(target, ast.Name)
                            else getattr(node.value, "elts", [])
                        )
                        for name, value in zip(names, values, strict=False):
                            if isinstance(name, ast.Name) and name.id == "code":
                                codes |= _strings(value)
    return (codes | BUILT) - NOT_PROBLEMS


def worded_codes() -> set[str]:
    text = WORDS.read_text(encoding="utf-8")
    block = text[text.index("PROBLEM_WORDS") : text.index("\n};", text.index("PROBLEM_WORDS"))]
    return set(re.findall(r"^\s+([a-z][a-z0-9_]*):", block, flags=re.MULTILINE))


def test_the_collector_finds_the_codes_the_web_app_meets() -> None:
    codes = api_codes()
    for code in (
        "already_reviewed",
        "invalid_transition",
        "already_disposed",
        "idempotency_key_reused",
    ):
        assert code in codes
    assert "not_found" in codes  # a DomainError subclass's own code
    assert "already_read" in codes  # assigned to a variable, then raised
    assert "trust_root_not_ca" in codes  # given to a function's code parameter


def test_every_api_code_has_bahasa_words() -> None:
    missing = sorted(api_codes() - worded_codes())
    assert not missing, (
        f"add Bahasa Indonesia words for these codes to {WORDS.relative_to(ROOT)}: {missing}"
    )
