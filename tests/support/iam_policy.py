"""Which requests the policies of template.yaml and of the signing keys allow: a small evaluator
for tests.

Only what those policies use: Allow and Deny statements, Action and Resource with ``*``/``?``
wildcards, ``Principal`` in key policies, and the condition operators StringEquals, StringLike,
StringNotEquals, ArnEquals, ArnLike, ArnNotEquals, ArnNotLike, their ``IfExists`` forms,
``ForAllValues:StringEquals``, Bool and Null, with IAM's rules for a condition key the request
does not carry: a plain operator fails, a negated one, ``IfExists`` and ``ForAllValues`` hold.
Multi-valued keys (``aws:TagKeys``) are lists in the request context. An operator it does not
know fails the test loudly instead of being treated as true.

:func:`allows` judges an identity (IAM) policy alone; :func:`kms_allows` judges a request on a
KMS key by a principal of the key's own account, with the key policy and the principal's IAM
policy together.
"""

from __future__ import annotations

import fnmatch
import json
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
    """Whether an identity policy grants ``request``: some Allow statement matches and no Deny
    does (resolved statements: no intrinsics)."""
    return _decides(statements, "Allow", request) and not _decides(statements, "Deny", request)


def account_root(principal_arn: str) -> str:
    """``arn:aws:iam::111122223333:root`` for a principal of account 111122223333."""
    partition, account = principal_arn.split(":")[1], principal_arn.split(":")[4]
    return f"arn:{partition}:iam::{account}:root"


def default_key_policy(account_id: str) -> dict[str, Any]:
    """The key policy KMS gives a key created through the API without one (the KMS Developer
    Guide, "Default key policy"): the account may use IAM policies for every action."""
    return {
        "Version": "2012-10-17",
        "Id": "key-default-1",
        "Statement": [
            {
                "Sid": "Enable IAM User Permissions",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
                "Action": "kms:*",
                "Resource": "*",
            }
        ],
    }


def kms_allows(
    key_policy: dict[str, Any] | str,
    identity: list[dict[str, Any]],
    principal_arn: str,
    request: Request,
) -> bool:
    """Whether ``principal_arn`` (a role of the key's account) may make ``request`` on a key with
    ``key_policy``, the role's IAM policy being ``identity``.

    KMS's rules (KMS Developer Guide, "Key policies in AWS KMS" and "Default key policy"): an
    explicit Deny in either policy wins; a key policy statement naming the principal (or ``*``)
    allows on its own; the principal's IAM policy allows only where the key policy gives the
    account (``…:root``) that action, since without that "IAM policies that allow permissions
    have no effect". Unlike most AWS resources, an IAM Allow alone never reaches a KMS key.
    """
    document = json.loads(key_policy) if isinstance(key_policy, str) else key_policy
    key_statements: list[dict[str, Any]] = document.get("Statement", [])
    context: Context = {**request.context, "aws:PrincipalArn": principal_arn}
    asked = Request(request.action, request.resource, context)
    root = account_root(principal_arn)

    def naming(who: set[str], effect: str) -> list[dict[str, Any]]:
        return [s for s in key_statements if _principals(s) & who and s.get("Effect") == effect]

    if _decides(naming({principal_arn, root, "*"}, "Deny"), "Deny", asked):
        return False
    if _decides(identity, "Deny", asked):
        return False
    direct = _decides(naming({principal_arn, "*"}, "Allow"), "Allow", asked)
    delegated = _decides(naming({root}, "Allow"), "Allow", asked) and allows(identity, asked)
    return direct or delegated


def principals_of(key_policy: dict[str, Any] | str, effect: str = "Allow") -> set[str]:
    """Every principal the key policy's statements of ``effect`` name (``*`` for anyone)."""
    document = json.loads(key_policy) if isinstance(key_policy, str) else key_policy
    found: set[str] = set()
    for statement in document.get("Statement", []):
        if statement.get("Effect") == effect:
            found |= _principals(statement)
    return found


def _principals(statement: dict[str, Any]) -> set[str]:
    principal = statement.get("Principal")
    if principal == "*":
        return {"*"}
    if not isinstance(principal, dict):
        return set()
    names = {str(v) for v in _as_list(principal.get("AWS"))}
    # A bare account id means the account, as its root ARN does.
    return {f"arn:aws:iam::{n}:root" if n.isdigit() else n for n in names}


def _decides(statements: list[dict[str, Any]], effect: str, request: Request) -> bool:
    return any(_grants(s, request) for s in statements if s.get("Effect") == effect)


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


_NEGATED = {"StringNotEquals": "StringEquals", "ArnNotEquals": "ArnEquals", "ArnNotLike": "ArnLike"}


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
    if base in _NEGATED:
        return not present or not any(_matches(_NEGATED[base], v, wanted) for v in values)
    if not present:
        return operator.endswith("IfExists")
    return any(_matches(base, value, wanted) for value in values)


def _matches(operator: str, value: str, wanted: list[str]) -> bool:
    if operator == "StringEquals":
        return value in wanted
    if operator in ("StringLike", "ArnEquals", "ArnLike"):  # IAM: ArnEquals takes wildcards too
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
