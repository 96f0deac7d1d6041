"""Which requests an IAM identity policy of template.yaml allows: a small evaluator for tests.

Only what the template uses: Allow statements (an explicit Deny is not needed there), Action and
Resource with ``*``/``?`` wildcards, and the condition operators StringEquals, StringLike,
their ``IfExists`` forms, ``ForAllValues:StringEquals``, Bool and Null, with IAM's rules for a
condition key the request does not carry: a plain operator fails, ``IfExists`` and
``ForAllValues`` hold. Multi-valued keys (``aws:TagKeys``) are lists in the request context.
An operator it does not know fails the test loudly instead of being treated as true.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from typing import Any

Context = dict[str, str | list[str]]


@dataclass(frozen=True)
class Request:
    action: str
    resource: str
    context: Context = field(default_factory=dict)


def statements_of(role: dict[str, Any]) -> list[dict[str, Any]]:
    """The statements of a role's inline policies (SAM's ``Policies`` become these)."""
    found: list[dict[str, Any]] = []
    for policy in role["Properties"].get("Policies") or []:
        found.extend(policy.get("PolicyDocument", policy).get("Statement", []))
    return found


def allows(statements: list[dict[str, Any]], request: Request) -> bool:
    """Whether some Allow statement grants ``request`` (resolved statements: no intrinsics)."""
    return any(_grants(s, request) for s in statements if s.get("Effect") == "Allow")


def _grants(statement: dict[str, Any], request: Request) -> bool:
    actions = _as_list(statement.get("Action"))
    resources = _as_list(statement.get("Resource"))
    return (
        any(_like(request.action.lower(), a.lower()) for a in actions)
        and any(_like(request.resource, r) for r in resources)
        and all(
            _holds(operator, key, expected, request.context)
            for operator, pairs in (statement.get("Condition") or {}).items()
            for key, expected in pairs.items()
        )
    )


def _holds(operator: str, key: str, expected: Any, context: Context) -> bool:
    wanted = [str(v) for v in _as_list(expected)]
    present = key in context
    values = [str(v) for v in _as_list(context.get(key))]
    if operator == "Null":
        return (not present) == (wanted[0] == "true")
    if operator.startswith("ForAllValues:"):
        inner = operator.split(":", 1)[1]
        return all(_matches(inner, value, wanted) for value in values)
    base = operator.removesuffix("IfExists")
    if not present:
        return operator.endswith("IfExists")
    return any(_matches(base, value, wanted) for value in values)


def _matches(operator: str, value: str, wanted: list[str]) -> bool:
    if operator == "StringEquals":
        return value in wanted
    if operator == "StringLike":
        return any(_like(value, w) for w in wanted)
    if operator == "Bool":
        return value.lower() in [w.lower() for w in wanted]
    raise AssertionError(f"the evaluator does not know the condition operator {operator}")


def _like(value: str, pattern: str) -> bool:
    return fnmatch.fnmatchcase(value, pattern.replace("[", "[[]"))


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
