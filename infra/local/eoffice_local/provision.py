"""Create on an AWS emulator every resource of the expanded template, through each service's API.

moto's own CloudFormation answers CREATE_COMPLETE while silently skipping Cognito, bucket
notifications, versioning, object lock and more, so each resource type the code relies on is
created here with its properties read from the template. Resources the emulator has no use for
(IAM, Lambda, API Gateway, logs, schedules) are not created but still get plausible physical
names, so every Ref and Fn::GetAtt in the template resolves. Provisioning is idempotent: a rerun
against the same emulator finds what exists and yields the same names.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import logging
import os
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from eoffice_local.template import Template, referenced_names

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_events import EventBridgeClient
    from mypy_boto3_kms import KMSClient
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_secretsmanager import SecretsManagerClient
    from mypy_boto3_sqs import SQSClient

    from eoffice_local.template import FunctionSpec

__all__ = ["ProvisionError", "ResolveError", "Stack", "provision"]

log = logging.getLogger(__name__)

LOGICAL_ID_TAG = "eoffice:logical-id"
STACK_TAG = "eoffice:stack"
LOCAL_API_ID = "local"

_SUB = re.compile(r"\$\{([^}]*)\}")
_LIST_PARAMETER = re.compile(r"^(CommaDelimitedList|List<.*>)$")


class ProvisionError(RuntimeError):
    """The emulator could not be brought to what the template declares."""


class ResolveError(ValueError):
    """An intrinsic function names something the stack does not have."""


class _NoValue:
    """AWS::NoValue: removes the property or list item that holds it."""

    def __repr__(self) -> str:
        return "AWS::NoValue"


_NO_VALUE = _NoValue()


# ------------------------------------------------------------------------------------------ stack


@dataclass
class Stack:
    """Physical names of a provisioned template; JSON-serialisable so other processes attach."""

    name: str
    region: str
    account_id: str
    endpoint_url: str
    parameters: dict[str, str]
    refs: dict[str, str]
    attrs: dict[str, dict[str, str]]
    conditions: dict[str, bool] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, Any] = field(default_factory=dict)
    resource_types: dict[str, str] = field(default_factory=dict)
    parameter_types: dict[str, str] = field(default_factory=dict)
    mappings: dict[str, Any] = field(default_factory=dict)

    @property
    def partition(self) -> str:
        if self.region.startswith("cn-"):
            return "aws-cn"
        return "aws-us-gov" if self.region.startswith("us-gov-") else "aws"

    @property
    def url_suffix(self) -> str:
        return "amazonaws.com.cn" if self.region.startswith("cn-") else "amazonaws.com"

    def resolve(self, value: Any) -> Any:
        """Resolve every intrinsic function in ``value``; AWS::NoValue at the top gives None."""
        resolved = self._resolve(value)
        return None if resolved is _NO_VALUE else resolved

    def function_environment(self, fn: FunctionSpec) -> dict[str, str]:
        """A function's environment as Lambda would set it: every value a string."""
        resolved = self.resolve(fn.environment) or {}
        return {name: _text(f"{fn.logical_id} {name}", v) for name, v in resolved.items()}

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Stack:
        data = json.loads(text)
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    # ------------------------------------------------------------------------------- resolution

    def _resolve(self, value: Any) -> Any:
        if isinstance(value, list):
            items = [self._resolve(item) for item in value]
            return [item for item in items if item is not _NO_VALUE]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            (key, arg), *_ = value.items()
            function = _INTRINSICS.get(key)
            if function is not None and (key not in ("Ref", "Condition") or isinstance(arg, str)):
                return function(self, arg)
        resolved = {k: self._resolve(v) for k, v in value.items()}
        return {k: v for k, v in resolved.items() if v is not _NO_VALUE}

    def _ref(self, name: str) -> Any:
        pseudo = self._pseudo(name)
        if pseudo is not None:
            return pseudo
        if name in self.parameters:
            text = self.parameters[name]
            if _LIST_PARAMETER.match(self.parameter_types.get(name, "String")):
                return [part.strip() for part in text.split(",")] if text else []
            return text
        if name in self.refs:
            return self.refs[name]
        raise ResolveError(f"Ref {name}: {self._why_missing(name)}")

    def _pseudo(self, name: str) -> Any:
        stack_id = uuid.uuid5(uuid.NAMESPACE_URL, f"{self.account_id}/{self.region}/{self.name}")
        return {
            "AWS::Region": self.region,
            "AWS::AccountId": self.account_id,
            "AWS::Partition": self.partition,
            "AWS::StackName": self.name,
            "AWS::StackId": f"arn:{self.partition}:cloudformation:{self.region}:"
            f"{self.account_id}:stack/{self.name}/{stack_id}",
            "AWS::URLSuffix": self.url_suffix,
            "AWS::NoValue": _NO_VALUE,
            "AWS::NotificationARNs": [],
        }.get(name)

    def _get_att(self, arg: Any) -> str:
        resolved = self._resolve(arg)
        if isinstance(resolved, str):
            resolved = resolved.split(".", 1)
        if not isinstance(resolved, list) or len(resolved) != 2:
            raise ResolveError(f"Fn::GetAtt needs [LogicalId, Attribute], got {arg!r}")
        name, attribute = str(resolved[0]), str(resolved[1])
        if name not in self.attrs and name not in self.refs:
            raise ResolveError(f"Fn::GetAtt {name}.{attribute}: {self._why_missing(name)}")
        value = self.attrs.get(name, {}).get(attribute)
        if value is None:
            known = ", ".join(sorted(self.attrs.get(name, {}))) or "none"
            raise ResolveError(f"Fn::GetAtt {name}.{attribute}: unknown attribute (known: {known})")
        return value

    def _why_missing(self, name: str) -> str:
        if name in self.skipped:
            return f"resource not available ({self.skipped[name]})"
        return "no such parameter, pseudo parameter or resource in the stack"

    def _sub(self, arg: Any) -> str:
        text: Any = arg if isinstance(arg, str) else arg[0]
        variables: dict[str, Any] = {} if isinstance(arg, str) else arg[1]
        values = {k: self._resolve(v) for k, v in variables.items()}

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name.startswith("!"):
                return "${" + name[1:] + "}"
            if name in values:
                return _text(f"Fn::Sub ${{{name}}}", values[name])
            if "." in name and not name.startswith("AWS::"):
                return self._get_att(name)
            return _text(f"Fn::Sub ${{{name}}}", self._ref(name))

        return _SUB.sub(replace, str(text))

    def _if(self, arg: Any) -> Any:
        condition, when_true, when_false = arg
        return self._resolve(when_true if self._condition(condition) else when_false)

    def _condition(self, name: Any) -> bool:
        if name not in self.conditions:
            raise ResolveError(f"Condition {name}: not defined (or not yet evaluated)")
        return self.conditions[name]

    def _equals(self, arg: Any) -> bool:
        left, right = (self._resolve(a) for a in arg)
        if isinstance(left, list) or isinstance(right, list):
            return bool(left == right)
        return _scalar(left) == _scalar(right)

    def _boolean(self, value: Any) -> bool:
        resolved = self._resolve(value)
        if not isinstance(resolved, bool):
            raise ResolveError(f"condition expression {value!r} is not a boolean: {resolved!r}")
        return resolved

    def _join(self, arg: Any) -> str:
        delimiter, items = arg
        resolved = self._resolve(items)
        if not isinstance(resolved, list):
            raise ResolveError(f"Fn::Join needs a list, got {resolved!r}")
        return str(delimiter).join(_text("Fn::Join", item) for item in resolved)

    def _select(self, arg: Any) -> Any:
        index, items = int(self._resolve(arg[0])), self._resolve(arg[1])
        if not isinstance(items, list) or not 0 <= index < len(items):
            raise ResolveError(f"Fn::Select index {index} out of range of {items!r}")
        return items[index]

    def _split(self, arg: Any) -> list[str]:
        delimiter, source = arg[0], self._resolve(arg[1])
        return _text("Fn::Split", source).split(str(delimiter))

    def _find_in_map(self, arg: Any) -> Any:
        top, first, second = (self._resolve(a) for a in arg)
        try:
            return self.mappings[top][first][second]
        except KeyError as exc:
            raise ResolveError(f"Fn::FindInMap {top}/{first}/{second}: not in Mappings") from exc

    def _contains(self, arg: Any) -> bool:
        items, value = self._resolve(arg[0]), self._resolve(arg[1])
        return _scalar(value) in [_scalar(item) for item in items]

    def _each_member_in(self, arg: Any) -> bool:
        members, allowed = self._resolve(arg[0]), self._resolve(arg[1])
        return all(_scalar(m) in [_scalar(a) for a in allowed] for m in members)

    def _each_member_equals(self, arg: Any) -> bool:
        members, value = self._resolve(arg[0]), self._resolve(arg[1])
        return all(_scalar(m) == _scalar(value) for m in members)


def _unsupported(name: str) -> Callable[[Stack, Any], Any]:
    def fail(_stack: Stack, arg: Any) -> Any:
        raise ResolveError(f"{name} {arg!r}: not supported by the local provisioner")

    return fail


_INTRINSICS: dict[str, Callable[[Stack, Any], Any]] = {
    "Ref": lambda s, a: s._ref(a),
    "Condition": lambda s, a: s._condition(a),
    "Fn::GetAtt": lambda s, a: s._get_att(a),
    "Fn::Sub": lambda s, a: s._sub(a),
    "Fn::Join": lambda s, a: s._join(a),
    "Fn::If": lambda s, a: s._if(a),
    "Fn::Equals": lambda s, a: s._equals(a),
    "Fn::Not": lambda s, a: not s._boolean(a[0]),
    "Fn::And": lambda s, a: all(s._boolean(c) for c in a),
    "Fn::Or": lambda s, a: any(s._boolean(c) for c in a),
    "Fn::Select": lambda s, a: s._select(a),
    "Fn::Split": lambda s, a: s._split(a),
    "Fn::FindInMap": lambda s, a: s._find_in_map(a),
    "Fn::Base64": lambda s, a: base64.b64encode(
        _text("Fn::Base64", s._resolve(a)).encode()
    ).decode(),
    "Fn::GetAZs": lambda s, a: [f"{s.region}{zone}" for zone in "abc"],
    "Fn::ToJsonString": lambda s, a: json.dumps(s._resolve(a), separators=(",", ":")),
    "Fn::Length": lambda s, a: len(s._resolve(a)),
    "Fn::Contains": lambda s, a: s._contains(a),
    "Fn::EachMemberIn": lambda s, a: s._each_member_in(a),
    "Fn::EachMemberEquals": lambda s, a: s._each_member_equals(a),
    "Fn::ImportValue": _unsupported("Fn::ImportValue"),
    "Fn::Cidr": _unsupported("Fn::Cidr"),
}


def _scalar(value: Any) -> str:
    """CloudFormation compares scalars as text: 1 equals "1", true equals "true"."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _text(where: str, value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int | float):
        return _scalar(value)
    raise ResolveError(f"{where}: expected text, got {value!r}")


# ------------------------------------------------------------------------------------- provision


def offline_stack(
    template: Template, *, name: str, region: str, account_id: str, endpoint_url: str = ""
) -> Stack:
    """A stack whose parameters, pseudo parameters and conditions resolve, its rules checked,
    before any resource exists: what :func:`provision` starts from, and (with no emulator) what
    checks of the template itself use (its resources have no physical names)."""
    stack = Stack(
        name=name,
        region=region,
        account_id=account_id,
        endpoint_url=endpoint_url,
        parameters=dict(template.parameters),
        refs={},
        attrs={},
        parameter_types=dict(template.parameter_types),
        mappings=template.mappings,
    )
    stack.conditions = _evaluate_conditions(template.conditions, stack)
    _check_rules(template.rules, stack)
    return stack


def provision(template: Template, *, stack_name: str, endpoint_url: str, region: str) -> Stack:
    """Bring the emulator at ``endpoint_url`` to what ``template`` declares."""
    clients = _Clients(endpoint_url, region)
    account_id = clients.sts.get_caller_identity()["Account"]
    stack = offline_stack(
        template, name=stack_name, region=region, account_id=account_id, endpoint_url=endpoint_url
    )
    context = _Context(stack, clients)
    for lid in _creation_order(template.resources):
        _provision_one(context, lid, template.resources[lid])
    stack.outputs = _outputs(template.outputs, stack)
    return stack


def _provision_one(context: _Context, lid: str, resource: dict[str, Any]) -> None:
    stack, type_ = context.stack, str(resource.get("Type"))
    stack.resource_types[lid] = type_
    condition = resource.get("Condition")
    if condition is not None and not stack.conditions.get(condition, False):
        stack.skipped[lid] = f"condition {condition} is false"
        return
    try:
        if _is_provisioned(type_, resource):
            ref, attrs = _create_or_stand_in(context, lid, resource)
        else:
            ref, attrs, reason = _placeholder(stack, lid, resource)
            stack.skipped[lid] = reason
    except (ClientError, ResolveError, KeyError, TypeError, ValueError) as exc:
        raise ProvisionError(f"{lid} ({type_}): {exc}") from exc
    stack.refs[lid], stack.attrs[lid] = ref, attrs


# Services an emulator may lack without harm: sign-in is the local runner's dev issuer, which only
# needs the pool's and client's ids as names (LocalStack's free image has no Cognito).
_OPTIONAL_SERVICES = ("AWS::Cognito::",)


def _create_or_stand_in(context: _Context, lid: str, resource: dict[str, Any]) -> _Created:
    type_ = str(resource["Type"])
    properties = context.stack.resolve(resource.get("Properties") or {})
    try:
        return _PROVISIONERS[type_](context, lid, properties)
    except ClientError as exc:
        if not (type_.startswith(_OPTIONAL_SERVICES) and _service_missing(exc)):
            raise
    ref, attrs, _ = _placeholder(context.stack, lid, resource)
    context.stack.skipped[lid] = (
        "the emulator does not offer this service; the dev issuer stands in"
    )
    log.warning("%s: the emulator has no %s; using stand-in ids", lid, type_)
    return ref, attrs


def _service_missing(exc: ClientError) -> bool:
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    code = _error_code(exc)
    return status == 501 or code in {
        "InternalFailure",
        "NotImplemented",
        "UnknownOperationException",
    }


def _is_provisioned(type_: str, resource: dict[str, Any]) -> bool:
    if type_ == "AWS::Events::Rule":
        return "EventPattern" in (resource.get("Properties") or {})
    return type_ in _PROVISIONERS


def _evaluate_conditions(definitions: dict[str, Any], stack: Stack) -> dict[str, bool]:
    """Evaluate conditions in dependency order (a condition may name other conditions)."""
    results: dict[str, bool] = {}
    stack.conditions = results

    def evaluate(name: str, chain: tuple[str, ...]) -> None:
        if name in results:
            return
        if name in chain:
            raise ProvisionError(f"circular conditions: {' -> '.join((*chain, name))}")
        if name not in definitions:
            raise ProvisionError(f"condition {name} is not defined")
        for dependency in _condition_names(definitions[name]):
            evaluate(dependency, (*chain, name))
        value = stack.resolve(definitions[name])
        if not isinstance(value, bool):
            raise ProvisionError(f"condition {name} is not a boolean: {value!r}")
        results[name] = value

    for name in definitions:
        evaluate(name, ())
    return results


def _condition_names(value: Any) -> Iterator[str]:
    if isinstance(value, list):
        for item in value:
            yield from _condition_names(item)
    elif isinstance(value, dict):
        for key, arg in value.items():
            if key == "Condition" and isinstance(arg, str):
                yield arg
            else:
                yield from _condition_names(arg)


def _check_rules(rules: dict[str, Any], stack: Stack) -> None:
    """Apply the template's Rules as CloudFormation would before creating anything."""
    for name, rule in rules.items():
        if "RuleCondition" in rule and stack.resolve(rule["RuleCondition"]) is not True:
            continue
        for assertion in rule.get("Assertions") or []:
            if stack.resolve(assertion["Assert"]) is not True:
                description = assertion.get("AssertDescription", "assertion failed")
                raise ProvisionError(
                    f"template rule {name} refuses this deployment: {description} "
                    f"(region {stack.region}, parameters {stack.parameters})"
                )


def _creation_order(resources: dict[str, dict[str, Any]]) -> list[str]:
    """Logical ids with every resource after those it references or DependsOn."""
    order: list[str] = []
    state: dict[str, str] = {}

    def visit(lid: str, chain: tuple[str, ...]) -> None:
        if state.get(lid) == "done":
            return
        if state.get(lid) == "visiting":
            raise ProvisionError(f"circular dependency: {' -> '.join((*chain, lid))}")
        state[lid] = "visiting"
        for dependency in _dependencies(resources[lid], resources):
            visit(dependency, (*chain, lid))
        state[lid] = "done"
        order.append(lid)

    for lid in resources:
        visit(lid, ())
    return order


def _dependencies(resource: dict[str, Any], resources: dict[str, Any]) -> list[str]:
    depends_on = resource.get("DependsOn") or []
    names = [depends_on] if isinstance(depends_on, str) else list(depends_on)
    names += referenced_names(resource.get("Properties") or {})
    return sorted({name for name in names if name in resources})


def _outputs(outputs: dict[str, Any], stack: Stack) -> dict[str, Any]:
    resolved = {}
    for name, output in outputs.items():
        condition = output.get("Condition")
        if condition is None or stack.conditions.get(condition, False):
            resolved[name] = stack.resolve(output.get("Value"))
    return resolved


# --------------------------------------------------------------------------------------- clients


def _session(region: str) -> boto3.session.Session:
    """Credentials from the environment; emulators accept anything, so default to dummies."""
    if os.environ.get("AWS_ACCESS_KEY_ID"):
        return boto3.session.Session(region_name=region)
    return boto3.session.Session(
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # noqa: S106 - the emulators' conventional dummy
        region_name=region,
    )


class _Clients:
    """One boto3 client per service, made on first use (each costs tens of milliseconds)."""

    def __init__(self, endpoint_url: str, region: str) -> None:
        self._session = _session(region)
        self._endpoint_url = endpoint_url
        # Path-style: a "bucket.localhost" virtual host does not resolve.
        self._config = Config(s3={"addressing_style": "path"}, retries={"max_attempts": 2})

    def _kwargs(self) -> dict[str, Any]:
        return {"endpoint_url": self._endpoint_url, "config": self._config}

    @cached_property
    def sts(self) -> Any:  # no mypy-boto3-sts stubs among the dev dependencies
        return self._session.client("sts", **self._kwargs())

    @cached_property
    def kms(self) -> KMSClient:
        return self._session.client("kms", **self._kwargs())

    @cached_property
    def dynamodb(self) -> DynamoDBClient:
        return self._session.client("dynamodb", **self._kwargs())

    @cached_property
    def sqs(self) -> SQSClient:
        return self._session.client("sqs", **self._kwargs())

    @cached_property
    def s3(self) -> S3Client:
        return self._session.client("s3", **self._kwargs())

    @cached_property
    def events(self) -> EventBridgeClient:
        return self._session.client("events", **self._kwargs())

    @cached_property
    def cognito(self) -> CognitoIdentityProviderClient:
        return self._session.client("cognito-idp", **self._kwargs())

    @cached_property
    def secrets(self) -> SecretsManagerClient:
        return self._session.client("secretsmanager", **self._kwargs())


@dataclass
class _Context:
    stack: Stack
    clients: _Clients


_Created = tuple[str, dict[str, str]]


def _error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _generated_name(stack: Stack, lid: str, limit: int = 128) -> str:
    return f"{stack.name}-{lid}"[:limit]


def _bool(value: Any) -> bool:
    return value if isinstance(value, bool) else str(value).lower() == "true"


def _tags(props: dict[str, Any]) -> list[dict[str, str]]:
    return [{"Key": str(t["Key"]), "Value": str(t["Value"])} for t in props.get("Tags") or []]


def _pick(props: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {key: props[key] for key in keys if key in props}


# ------------------------------------------------------------------------------------------- KMS


def _kms_key(context: _Context, lid: str, props: dict[str, Any]) -> _Created:
    kms, stack = context.clients.kms, context.stack
    key_id = _find_key(kms, stack.name, lid)
    if key_id is None:
        tags = [{"TagKey": t["Key"], "TagValue": t["Value"]} for t in _tags(props)]
        tags += [
            {"TagKey": LOGICAL_ID_TAG, "TagValue": lid},
            {"TagKey": STACK_TAG, "TagValue": stack.name},
        ]
        args: dict[str, Any] = {"Description": str(props.get("Description", "")), "Tags": tags}
        args |= _pick(props, ("KeyUsage", "KeySpec", "MultiRegion"))
        if "KeyPolicy" in props:
            args["Policy"] = _json_text(props["KeyPolicy"])
        key_id = kms.create_key(**args)["KeyMetadata"]["KeyId"]
        if _bool(props.get("EnableKeyRotation", False)):
            kms.enable_key_rotation(KeyId=key_id)
        log.info("created KMS key %s (%s)", lid, key_id)
    arn = kms.describe_key(KeyId=key_id)["KeyMetadata"]["Arn"]
    return key_id, {"Arn": arn, "KeyId": key_id}


def _find_key(kms: KMSClient, stack_name: str, lid: str) -> str | None:
    """The key an earlier run created for this logical id: KMS keys have no names, only tags."""
    wanted = {LOGICAL_ID_TAG: lid, STACK_TAG: stack_name}
    for page in kms.get_paginator("list_keys").paginate():
        for key in page["Keys"]:
            tags = kms.list_resource_tags(KeyId=key["KeyId"]).get("Tags", [])
            found = {t["TagKey"]: t["TagValue"] for t in tags}
            if all(found.get(k) == v for k, v in wanted.items()) and _key_usable(kms, key["KeyId"]):
                return key["KeyId"]
    return None


def _key_usable(kms: KMSClient, key_id: str) -> bool:
    return kms.describe_key(KeyId=key_id)["KeyMetadata"].get("KeyState") == "Enabled"


def _kms_alias(context: _Context, lid: str, props: dict[str, Any]) -> _Created:
    kms, name, target = context.clients.kms, str(props["AliasName"]), str(props["TargetKeyId"])
    try:
        kms.create_alias(AliasName=name, TargetKeyId=target)
    except ClientError as exc:
        if _error_code(exc) != "AlreadyExistsException":
            raise
        kms.update_alias(AliasName=name, TargetKeyId=target)
    return name, {}


def _json_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


# -------------------------------------------------------------------------------------- DynamoDB


def _table(context: _Context, lid: str, props: dict[str, Any]) -> _Created:
    ddb = context.clients.dynamodb
    name = str(props.get("TableName") or _generated_name(context.stack, lid, 255))
    table = _describe_table(ddb, name)
    if table is None:
        ddb.create_table(**_table_args(name, props))
        table = _describe_table(ddb, name)
        log.info("created table %s", name)
    if table is None:
        raise ProvisionError(f"table {name} was created but cannot be described")
    _apply_ttl(ddb, name, props.get("TimeToLiveSpecification"))
    _apply_point_in_time_recovery(ddb, name, props.get("PointInTimeRecoverySpecification"))
    attrs = {"Arn": table["TableArn"]}
    if table.get("LatestStreamArn"):
        attrs["StreamArn"] = table["LatestStreamArn"]
    return name, attrs


def _describe_table(ddb: DynamoDBClient, name: str) -> Any:
    try:
        return ddb.describe_table(TableName=name)["Table"]
    except ClientError as exc:
        if _error_code(exc) == "ResourceNotFoundException":
            return None
        raise


def _table_args(name: str, props: dict[str, Any]) -> dict[str, Any]:
    """CreateTable arguments from the CloudFormation properties (mostly the same shape)."""
    billing = str(props.get("BillingMode", "PROVISIONED"))
    args: dict[str, Any] = {
        "TableName": name,
        "AttributeDefinitions": props["AttributeDefinitions"],
        "KeySchema": props["KeySchema"],
        "BillingMode": billing,
    }
    args |= _pick(props, ("TableClass", "OnDemandThroughput"))
    if "ProvisionedThroughput" in props:
        args["ProvisionedThroughput"] = _throughput(props["ProvisionedThroughput"])
    if props.get("GlobalSecondaryIndexes"):
        args["GlobalSecondaryIndexes"] = [_gsi(i) for i in props["GlobalSecondaryIndexes"]]
    if props.get("LocalSecondaryIndexes"):
        args["LocalSecondaryIndexes"] = [
            _pick(i, ("IndexName", "KeySchema", "Projection"))
            for i in props["LocalSecondaryIndexes"]
        ]
    stream = props.get("StreamSpecification")
    if stream:
        args["StreamSpecification"] = {
            "StreamEnabled": True,
            "StreamViewType": stream["StreamViewType"],
        }
    sse = props.get("SSESpecification")
    if sse:
        args["SSESpecification"] = {"Enabled": _bool(sse.get("SSEEnabled", False))} | _pick(
            sse, ("SSEType", "KMSMasterKeyId")
        )
    if "DeletionProtectionEnabled" in props:
        args["DeletionProtectionEnabled"] = _bool(props["DeletionProtectionEnabled"])
    if props.get("Tags"):
        args["Tags"] = _tags(props)
    return args


def _throughput(spec: dict[str, Any]) -> dict[str, int]:
    return {
        "ReadCapacityUnits": int(spec["ReadCapacityUnits"]),
        "WriteCapacityUnits": int(spec["WriteCapacityUnits"]),
    }


def _gsi(index: dict[str, Any]) -> dict[str, Any]:
    gsi = _pick(index, ("IndexName", "KeySchema", "Projection", "OnDemandThroughput"))
    if "ProvisionedThroughput" in index:
        gsi["ProvisionedThroughput"] = _throughput(index["ProvisionedThroughput"])
    return gsi


def _apply_ttl(ddb: DynamoDBClient, name: str, spec: dict[str, Any] | None) -> None:
    if not spec or not _bool(spec.get("Enabled", False)):
        return
    attribute = str(spec["AttributeName"])
    current = ddb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
    enabled = current.get("TimeToLiveStatus") in ("ENABLED", "ENABLING")
    if enabled and current.get("AttributeName") == attribute:
        return
    ddb.update_time_to_live(
        TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": attribute}
    )


def _apply_point_in_time_recovery(
    ddb: DynamoDBClient, name: str, spec: dict[str, Any] | None
) -> None:
    """Not every emulator has continuous backups; nothing local depends on them."""
    if not spec or not _bool(spec.get("PointInTimeRecoveryEnabled", False)):
        return
    try:
        ddb.update_continuous_backups(
            TableName=name,
            PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
        )
    except ClientError as exc:
        log.warning("point-in-time recovery not enabled on %s: %s", name, exc)


# ------------------------------------------------------------------------------------------- SQS

_QUEUE_ATTRIBUTES = (
    "VisibilityTimeout",
    "MessageRetentionPeriod",
    "DelaySeconds",
    "MaximumMessageSize",
    "ReceiveMessageWaitTimeSeconds",
    "RedrivePolicy",
    "RedriveAllowPolicy",
    "FifoQueue",
    "ContentBasedDeduplication",
    "DeduplicationScope",
    "FifoThroughputLimit",
    "KmsMasterKeyId",
    "KmsDataKeyReusePeriodSeconds",
    "SqsManagedSseEnabled",
)


def _queue(context: _Context, lid: str, props: dict[str, Any]) -> _Created:
    sqs = context.clients.sqs
    fifo = _bool(props.get("FifoQueue", False))
    suffix = ".fifo" if fifo else ""
    name = str(props.get("QueueName") or _generated_name(context.stack, lid, 80 - len(suffix)))
    name += "" if name.endswith(suffix) else suffix
    attributes = _queue_attributes(props)
    url = _queue_url(sqs, name)
    if url is None:
        tags = {t["Key"]: t["Value"] for t in _tags(props)}
        url = sqs.create_queue(QueueName=name, Attributes=attributes, tags=tags)["QueueUrl"]
        log.info("created queue %s", name)
    else:
        mutable = {k: v for k, v in attributes.items() if k != "FifoQueue"}
        if mutable:
            sqs.set_queue_attributes(QueueUrl=url, Attributes=mutable)
    found = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]
    return url, {"Arn": found["QueueArn"], "QueueName": name, "QueueUrl": url}


def _queue_attributes(props: dict[str, Any]) -> Any:
    """SQS wants every attribute as text and the policies as JSON documents."""
    attributes: dict[str, str] = {}
    for key in _QUEUE_ATTRIBUTES:
        if key in props:
            value = props[key]
            attributes[key] = json.dumps(value) if isinstance(value, dict) else _scalar(value)
    return attributes


def _queue_url(sqs: SQSClient, name: str) -> str | None:
    try:
        return sqs.get_queue_url(QueueName=name)["QueueUrl"]
    except ClientError as exc:
        if "NonExistentQueue" in _error_code(exc) or "QueueDoesNotExist" in _error_code(exc):
            return None
        raise


def _queue_policy(context: _Context, lid: str, props: dict[str, Any]) -> _Created:
    policy = _json_text(props["PolicyDocument"])
    for url in props["Queues"]:
        context.clients.sqs.set_queue_attributes(QueueUrl=str(url), Attributes={"Policy": policy})
    return _generated_name(context.stack, lid), {"Id": _generated_name(context.stack, lid)}


# -------------------------------------------------------------------------------------------- S3


def _bucket_name(stack: Stack, lid: str, props: dict[str, Any]) -> str:
    """An explicit BucketName, or a globally unique-looking lowercase name within 63 chars."""
    if props.get("BucketName"):
        return str(props["BucketName"])
    base = re.sub(r"[^a-z0-9-]+", "-", f"{stack.name}-{lid}".lower())
    base = base[: 63 - len(stack.account_id) - 1].strip("-")
    return f"{base}-{stack.account_id}"


def _bucket(context: _Context, lid: str, props: dict[str, Any]) -> _Created:
    s3, stack = context.clients.s3, context.stack
    name = _bucket_name(stack, lid, props)
    _create_bucket(s3, name, stack.region, _bool(props.get("ObjectLockEnabled", False)))
    for configure in _BUCKET_CONFIGURATION:
        configure(s3, name, props)
    return name, {
        "Arn": f"arn:{stack.partition}:s3:::{name}",
        "DomainName": f"{name}.s3.{stack.url_suffix}",
        "RegionalDomainName": f"{name}.s3.{stack.region}.{stack.url_suffix}",
        "DualStackDomainName": f"{name}.s3.dualstack.{stack.region}.{stack.url_suffix}",
        "WebsiteURL": f"http://{name}.s3-website.{stack.region}.{stack.url_suffix}",
    }


def _create_bucket(s3: S3Client, name: str, region: str, object_lock: bool) -> None:
    args: dict[str, Any] = {"Bucket": name}
    if region != "us-east-1":
        args["CreateBucketConfiguration"] = {"LocationConstraint": region}
    if object_lock:
        args["ObjectLockEnabledForBucket"] = True
    try:
        s3.create_bucket(**args)
        log.info("created bucket %s", name)
    except ClientError as exc:
        if _error_code(exc) != "BucketAlreadyOwnedByYou":
            raise


def _put_ownership(s3: S3Client, name: str, props: dict[str, Any]) -> None:
    if props.get("OwnershipControls"):
        s3.put_bucket_ownership_controls(Bucket=name, OwnershipControls=props["OwnershipControls"])


def _put_public_access_block(s3: S3Client, name: str, props: dict[str, Any]) -> None:
    block = props.get("PublicAccessBlockConfiguration")
    if block:
        config = {k: _bool(v) for k, v in block.items()}
        s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration=config)  # type: ignore[arg-type]


def _put_encryption(s3: S3Client, name: str, props: dict[str, Any]) -> None:
    """CloudFormation says ServerSideEncryptionByDefault where S3 says Apply...ByDefault."""
    rules = (props.get("BucketEncryption") or {}).get("ServerSideEncryptionConfiguration")
    if not rules:
        return
    api_rules = []
    for rule in rules:
        api_rule: dict[str, Any] = _pick(rule, ("BucketKeyEnabled",))
        if "ServerSideEncryptionByDefault" in rule:
            api_rule["ApplyServerSideEncryptionByDefault"] = rule["ServerSideEncryptionByDefault"]
        api_rules.append(api_rule)
    config: Any = {"Rules": api_rules}
    s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration=config)


def _put_versioning(s3: S3Client, name: str, props: dict[str, Any]) -> None:
    status = (props.get("VersioningConfiguration") or {}).get("Status")
    if status:
        s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": status})


def _put_object_lock(s3: S3Client, name: str, props: dict[str, Any]) -> None:
    config = props.get("ObjectLockConfiguration")
    if config and _bool(props.get("ObjectLockEnabled", False)):
        s3.put_object_lock_configuration(Bucket=name, ObjectLockConfiguration=config)


def _put_lifecycle(s3: S3Client, name: str, props: dict[str, Any]) -> None:
    rules = (props.get("LifecycleConfiguration") or {}).get("Rules")
    if rules:
        s3.put_bucket_lifecycle_configuration(
            Bucket=name, LifecycleConfiguration={"Rules": [_lifecycle_rule(r) for r in rules]}
        )


def _lifecycle_rule(rule: dict[str, Any]) -> Any:
    """Translate a CloudFormation lifecycle rule to the S3 API's shape."""
    api: dict[str, Any] = {"Status": rule["Status"], "Filter": _lifecycle_filter(rule)}
    if "Id" in rule:
        api["ID"] = rule["Id"]
    expiration = {
        # A !Ref to a Number parameter resolves to text; the S3 API wants an integer.
        "Days": _int_or_none(rule.get("ExpirationInDays")),
        "Date": rule.get("ExpirationDate"),
        "ExpiredObjectDeleteMarker": rule.get("ExpiredObjectDeleteMarker"),
    }
    if any(v is not None for v in expiration.values()):
        api["Expiration"] = {k: v for k, v in expiration.items() if v is not None}
    transitions = list(rule.get("Transitions") or []) + _one(rule.get("Transition"))
    if transitions:
        api["Transitions"] = [_transition(t, "Days") for t in transitions]
    noncurrent = list(rule.get("NoncurrentVersionTransitions") or [])
    noncurrent += _one(rule.get("NoncurrentVersionTransition"))
    if noncurrent:
        api["NoncurrentVersionTransitions"] = [_transition(t, "NoncurrentDays") for t in noncurrent]
    if rule.get("NoncurrentVersionExpiration"):
        api["NoncurrentVersionExpiration"] = rule["NoncurrentVersionExpiration"]
    elif rule.get("NoncurrentVersionExpirationInDays") is not None:
        days = rule["NoncurrentVersionExpirationInDays"]
        api["NoncurrentVersionExpiration"] = {"NoncurrentDays": days}
    if rule.get("AbortIncompleteMultipartUpload"):
        api["AbortIncompleteMultipartUpload"] = rule["AbortIncompleteMultipartUpload"]
    return api


def _one(value: Any) -> list[Any]:
    return [] if value is None else [value]


def _transition(transition: dict[str, Any], days_key: str) -> dict[str, Any]:
    api: dict[str, Any] = {"StorageClass": transition["StorageClass"]}
    if "TransitionInDays" in transition:
        api[days_key] = int(transition["TransitionInDays"])
    if "TransitionDate" in transition:
        api["Date"] = transition["TransitionDate"]
    if "NewerNoncurrentVersions" in transition:
        api["NewerNoncurrentVersions"] = int(transition["NewerNoncurrentVersions"])
    return api


def _lifecycle_filter(rule: dict[str, Any]) -> dict[str, Any]:
    """CloudFormation spreads the filter over the rule; S3 wants one Filter (And if several)."""
    parts: dict[str, Any] = {}
    if rule.get("Prefix") is not None:
        parts["Prefix"] = rule["Prefix"]
    tags = [{"Key": t["Key"], "Value": t["Value"]} for t in rule.get("TagFilters") or []]
    for key in ("ObjectSizeGreaterThan", "ObjectSizeLessThan"):
        if rule.get(key) is not None:
            parts[key] = int(rule[key])
    if not tags and len(parts) <= 1:
        return parts or {"Prefix": ""}
    if len(tags) == 1 and not parts:
        return {"Tag": tags[0]}
    return {"And": parts | ({"Tags": tags} if tags else {})}


def _put_cors(s3: S3Client, name: str, props: dict[str, Any]) -> None:
    rules = (props.get("CorsConfiguration") or {}).get("CorsRules")
    if not rules:
        return
    renames = {"Id": "ID", "ExposedHeaders": "ExposeHeaders", "MaxAge": "MaxAgeSeconds"}
    api_rules = [{renames.get(k, k): v for k, v in rule.items()} for rule in rules]
    s3.put_bucket_cors(Bucket=name, CORSConfiguration={"CORSRules": api_rules})  # type: ignore[typeddict-item]


def _put_tags(s3: S3Client, name: str, props: dict[str, Any]) -> None:
    if props.get("Tags"):
        s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": _tags(props)})  # type: ignore[typeddict-item]


_NOTIFICATION_KINDS = (
    ("QueueConfigurations", "QueueConfigurations", "Queue", "QueueArn"),
    ("TopicConfigurations", "TopicConfigurations", "Topic", "TopicArn"),
    ("LambdaConfigurations", "LambdaFunctionConfigurations", "Function", "LambdaFunctionArn"),
)


def _put_notifications(s3: S3Client, name: str, props: dict[str, Any]) -> None:
    """Last, so the target queues' policies and the bucket's other settings are in place."""
    config = props.get("NotificationConfiguration")
    if not config:
        return
    api: Any = {}
    for cfn_key, api_key, target_key, arn_key in _NOTIFICATION_KINDS:
        entries = [_notification(entry, target_key, arn_key) for entry in config.get(cfn_key) or []]
        if entries:
            api[api_key] = entries
    if _bool((config.get("EventBridgeConfiguration") or {}).get("EventBridgeEnabled", False)):
        api["EventBridgeConfiguration"] = {}
    s3.put_bucket_notification_configuration(Bucket=name, NotificationConfiguration=api)


def _notification(entry: dict[str, Any], target_key: str, arn_key: str) -> dict[str, Any]:
    api: dict[str, Any] = {arn_key: entry[target_key], "Events": [entry["Event"]]}
    rules = ((entry.get("Filter") or {}).get("S3Key") or {}).get("Rules")
    if rules:
        filter_rules = [{"Name": r["Name"], "Value": r["Value"]} for r in rules]
        api["Filter"] = {"Key": {"FilterRules": filter_rules}}
    return api


_BUCKET_CONFIGURATION: tuple[Callable[[S3Client, str, dict[str, Any]], None], ...] = (
    _put_ownership,
    _put_public_access_block,
    _put_encryption,
    _put_versioning,
    _put_object_lock,
    _put_lifecycle,
    _put_cors,
    _put_tags,
    _put_notifications,
)


# ------------------------------------------------------------------------------------ EventBridge


def _event_bus(context: _Context, lid: str, props: dict[str, Any]) -> _Created:
    events, name = context.clients.events, str(props["Name"])
    try:
        arn = events.describe_event_bus(Name=name)["Arn"]
    except ClientError as exc:
        if _error_code(exc) != "ResourceNotFoundException":
            raise
        tags: Any = _tags(props)
        arn = events.create_event_bus(Name=name, Tags=tags)["EventBusArn"]
        log.info("created event bus %s", name)
    return name, {"Arn": arn, "Name": name}


_TARGET_KEYS = (
    "Id",
    "Arn",
    "RoleArn",
    "Input",
    "InputPath",
    "InputTransformer",
    "DeadLetterConfig",
    "RetryPolicy",
    "SqsParameters",
)


def _event_rule(context: _Context, lid: str, props: dict[str, Any]) -> _Created:
    """Event-pattern rules only: scheduled rules are fired by the local runner itself."""
    events = context.clients.events
    name = str(props.get("Name") or _generated_name(context.stack, lid, 64))
    args: dict[str, Any] = {"Name": name, "EventPattern": _json_text(props["EventPattern"])}
    args |= _pick(props, ("State", "Description", "EventBusName", "RoleArn"))
    arn = events.put_rule(**args)["RuleArn"]
    targets = [_pick(t, _TARGET_KEYS) for t in props.get("Targets") or []]
    if targets:
        bus = {"EventBusName": args["EventBusName"]} if "EventBusName" in args else {}
        events.put_targets(Rule=name, Targets=targets, **bus)  # type: ignore[arg-type]
    return name, {"Arn": arn}


# ---------------------------------------------------------------------------------------- Cognito

_POOL_KEYS = (
    "Policies",
    "UsernameConfiguration",
    "AutoVerifiedAttributes",
    "UsernameAttributes",
    "AliasAttributes",
    "Schema",
    "AccountRecoverySetting",
    "EmailConfiguration",
    "SmsConfiguration",
    "DeletionProtection",
    "UserPoolTags",
    "VerificationMessageTemplate",
    "UserAttributeUpdateSettings",
    "DeviceConfiguration",
    "EmailVerificationMessage",
    "EmailVerificationSubject",
    "SmsAuthenticationMessage",
    "SmsVerificationMessage",
    "UserPoolAddOns",
    "UserPoolTier",
)

_CLIENT_KEYS = (
    "GenerateSecret",
    "RefreshTokenValidity",
    "AccessTokenValidity",
    "IdTokenValidity",
    "TokenValidityUnits",
    "ReadAttributes",
    "WriteAttributes",
    "ExplicitAuthFlows",
    "SupportedIdentityProviders",
    "CallbackURLs",
    "LogoutURLs",
    "DefaultRedirectURI",
    "AllowedOAuthFlows",
    "AllowedOAuthScopes",
    "AllowedOAuthFlowsUserPoolClient",
    "PreventUserExistenceErrors",
    "EnableTokenRevocation",
    "EnablePropagateAdditionalUserContextData",
    "AuthSessionValidity",
)


def _user_pool(context: _Context, lid: str, props: dict[str, Any]) -> _Created:
    cognito, stack = context.clients.cognito, context.stack
    name = str(props.get("UserPoolName") or _generated_name(stack, lid))
    pool_id = _find_user_pool(cognito, name)
    if pool_id is None:
        pool_id = cognito.create_user_pool(**_user_pool_args(name, props))["UserPool"]["Id"]
        _apply_mfa(cognito, pool_id, props)
        log.info("created user pool %s (%s)", name, pool_id)
    arn = cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]["Arn"]
    provider = f"cognito-idp.{stack.region}.{stack.url_suffix}/{pool_id}"
    return pool_id, {
        "Arn": arn,
        "UserPoolId": pool_id,
        "ProviderName": provider,
        "ProviderURL": f"https://{provider}",
    }


def _user_pool_args(name: str, props: dict[str, Any]) -> dict[str, Any]:
    """LambdaConfig is left out: the functions do not exist in the emulator."""
    args: dict[str, Any] = {"PoolName": name} | _pick(props, _POOL_KEYS)
    admin = props.get("AdminCreateUserConfig")
    if admin:  # UnusedAccountValidityDays is CloudFormation-only (now a password policy field)
        args["AdminCreateUserConfig"] = {
            k: v for k, v in admin.items() if k != "UnusedAccountValidityDays"
        }
    return args


def _apply_mfa(cognito: CognitoIdentityProviderClient, pool_id: str, props: dict[str, Any]) -> None:
    """CloudFormation sets MFA after creation, as an authenticator app needs SetUserPoolMfaConfig."""
    mode = props.get("MfaConfiguration")
    if not mode or mode == "OFF":
        return
    software = "SOFTWARE_TOKEN_MFA" in (props.get("EnabledMfas") or [])
    try:
        cognito.set_user_pool_mfa_config(
            UserPoolId=pool_id,
            MfaConfiguration=mode,
            SoftwareTokenMfaConfiguration={"Enabled": software},
        )
    except ClientError as exc:
        log.warning("MFA configuration not applied to %s: %s", pool_id, exc)


def _find_user_pool(cognito: CognitoIdentityProviderClient, name: str) -> str | None:
    for page in cognito.get_paginator("list_user_pools").paginate(
        PaginationConfig={"PageSize": 60}
    ):
        for pool in page.get("UserPools", []):
            if pool.get("Name") == name:
                return pool["Id"]
    return None


def _user_pool_client(context: _Context, lid: str, props: dict[str, Any]) -> _Created:
    cognito, pool_id = context.clients.cognito, str(props["UserPoolId"])
    name = str(props.get("ClientName") or _generated_name(context.stack, lid))
    client_id = _find_user_pool_client(cognito, pool_id, name)
    if client_id is None:
        args = {"UserPoolId": pool_id, "ClientName": name} | _pick(props, _CLIENT_KEYS)
        client_id = cognito.create_user_pool_client(**args)["UserPoolClient"]["ClientId"]
        log.info("created user pool client %s (%s)", name, client_id)
    client = cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
    attrs = {"ClientId": client_id, "Name": name}
    if client["UserPoolClient"].get("ClientSecret"):
        attrs["ClientSecret"] = client["UserPoolClient"]["ClientSecret"]
    return client_id, attrs


def _find_user_pool_client(
    cognito: CognitoIdentityProviderClient, pool_id: str, name: str
) -> str | None:
    for page in cognito.get_paginator("list_user_pool_clients").paginate(UserPoolId=pool_id):
        for client in page.get("UserPoolClients", []):
            if client.get("ClientName") == name:
                return client["ClientId"]
    return None


def _user_pool_group(context: _Context, lid: str, props: dict[str, Any]) -> _Created:
    name = str(props.get("GroupName") or _generated_name(context.stack, lid))
    args: dict[str, Any] = {"GroupName": name, "UserPoolId": str(props["UserPoolId"])}
    args |= _pick(props, ("Description", "Precedence", "RoleArn"))
    try:
        context.clients.cognito.create_group(**args)
    except ClientError as exc:
        if _error_code(exc) != "GroupExistsException":
            raise
    return name, {}


# ---------------------------------------------------------------------------------------- secrets


def _secret(context: _Context, lid: str, props: dict[str, Any]) -> _Created:
    secrets = context.clients.secrets
    name = str(props.get("Name") or _generated_name(context.stack, lid, 512))
    try:
        arn = secrets.describe_secret(SecretId=name)["ARN"]
    except ClientError as exc:
        if _error_code(exc) != "ResourceNotFoundException":
            raise
        args: dict[str, Any] = {"Name": name, "SecretString": _secret_string(secrets, props)}
        args |= _pick(props, ("Description", "KmsKeyId"))
        if props.get("Tags"):
            args["Tags"] = _tags(props)
        arn = secrets.create_secret(**args)["ARN"]
        log.info("created secret %s", name)
    return arn, {"Id": arn}


def _secret_string(secrets: SecretsManagerClient, props: dict[str, Any]) -> str:
    if "SecretString" in props:
        return str(props["SecretString"])
    spec = props.get("GenerateSecretString") or {}
    options = _pick(
        spec,
        (
            "PasswordLength",
            "ExcludeCharacters",
            "ExcludeLowercase",
            "ExcludeNumbers",
            "ExcludePunctuation",
            "ExcludeUppercase",
            "IncludeSpace",
            "RequireEachIncludedType",
        ),
    )
    password = secrets.get_random_password(**options)["RandomPassword"]
    if "SecretStringTemplate" in spec and "GenerateStringKey" in spec:
        document = json.loads(spec["SecretStringTemplate"])
        document[spec["GenerateStringKey"]] = password
        return json.dumps(document)
    return password


_PROVISIONERS: dict[str, Callable[[_Context, str, dict[str, Any]], _Created]] = {
    "AWS::KMS::Key": _kms_key,
    "AWS::KMS::Alias": _kms_alias,
    "AWS::DynamoDB::Table": _table,
    "AWS::SQS::Queue": _queue,
    "AWS::SQS::QueuePolicy": _queue_policy,
    "AWS::S3::Bucket": _bucket,
    "AWS::Events::EventBus": _event_bus,
    "AWS::Events::Rule": _event_rule,
    "AWS::Cognito::UserPool": _user_pool,
    "AWS::Cognito::UserPoolClient": _user_pool_client,
    "AWS::Cognito::UserPoolGroup": _user_pool_group,
    "AWS::SecretsManager::Secret": _secret,
}


# ----------------------------------------------------------------------------------- placeholders

_SKIP_REASONS = {
    "AWS::CloudFront": "the local web host (eoffice_local.web_host) plays the distribution",
    # moto enforces bucket policies, and the emulator speaks plain HTTP: a TLS-only statement
    # would refuse every request.
    "AWS::S3": "bucket policies name CloudFront and TLS, neither of which is local",
    "AWS::IAM": "IAM is not enforced locally",
    "AWS::Lambda": "handlers run in-process in the local runner",
    "AWS::ApiGatewayV2": "the local runner serves the HTTP API itself",
    "AWS::Logs": "logs go to the local runner's output",
    "AWS::Scheduler": "the local runner fires schedules itself",
    "AWS::Events": "the local runner fires schedules itself",
    "AWS::CloudWatch": "alarms watch AWS's own metrics, which are not kept locally",
    "AWS::SNS": "only alarms publish to topics, and alarms are not kept locally",
    # The pool and its clients are created (moto has them); its domain and managed login are
    # played by eoffice_local.signin, on a port of its own (ADR 0018).
    "AWS::Cognito": "the local sign-in stand-in (eoffice_local.signin) serves managed login",
}


def _placeholder(
    stack: Stack, lid: str, resource: dict[str, Any]
) -> tuple[str, dict[str, str], str]:
    """Plausible physical names for a resource that is not created, so references resolve."""
    type_ = str(resource.get("Type"))
    props = resource.get("Properties") or {}
    service = type_.split("::")[1].lower() if type_.count("::") == 2 else "unknown"
    reason = _SKIP_REASONS.get(type_.rsplit("::", 1)[0], f"no local provisioner for {type_}")
    name_of = _PLACEHOLDER_NAMES.get(type_)
    name = _generated_name(stack, lid)
    if name_of is not None and props.get(name_of):
        name = _text(f"{lid} {name_of}", stack.resolve(props[name_of]))
    arn_prefix = f"arn:{stack.partition}:{service}:{stack.region}:{stack.account_id}"
    build = _PLACEHOLDER_BUILDERS.get(type_)
    if build is not None:
        ref, attrs = build(stack, name, arn_prefix)
        return ref, attrs, reason
    return name, {"Arn": f"{arn_prefix}:{lid}"}, reason


_PLACEHOLDER_NAMES = {
    "AWS::CloudFront::Function": "Name",
    "AWS::Lambda::Function": "FunctionName",
    "AWS::Lambda::LayerVersion": "LayerName",
    "AWS::IAM::Role": "RoleName",
    "AWS::IAM::ManagedPolicy": "ManagedPolicyName",
    "AWS::Logs::LogGroup": "LogGroupName",
    "AWS::Scheduler::Schedule": "Name",
    "AWS::Scheduler::ScheduleGroup": "Name",
    "AWS::Events::Rule": "Name",
    "AWS::ApiGatewayV2::Stage": "StageName",
    "AWS::SNS::Topic": "TopicName",
    "AWS::CloudWatch::Alarm": "AlarmName",
    "AWS::Cognito::UserPoolDomain": "Domain",
}


def _iam_arn(stack: Stack, kind: str, name: str) -> str:
    return f"arn:{stack.partition}:iam::{stack.account_id}:{kind}/{name}"


def _stable_id(*parts: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join(parts)))


def _cloudfront_id(stack: Stack, name: str) -> str:
    """CloudFront's ids look like E2QWRUHAPOMQZL: 14 upper-case letters and digits."""
    return "E" + _stable_id(stack.name, name).replace("-", "")[:13].upper()


_PLACEHOLDER_BUILDERS: dict[str, Callable[[Stack, str, str], _Created]] = {
    "AWS::CloudFront::Distribution": lambda s, n, p: (
        _cloudfront_id(s, n),
        {
            "Id": _cloudfront_id(s, n),
            "DomainName": f"{_cloudfront_id(s, n).lower()}.cloudfront.net",
        },
    ),
    "AWS::CloudFront::Function": lambda s, n, p: (
        n,
        {
            "FunctionARN": f"arn:{s.partition}:cloudfront::{s.account_id}:function/{n}",
            "FunctionMetadata.FunctionARN": f"arn:{s.partition}:cloudfront::{s.account_id}:function/{n}",
            "Stage": "LIVE",
        },
    ),
    "AWS::CloudFront::OriginAccessControl": lambda s, n, p: (
        _cloudfront_id(s, n),
        {"Id": _cloudfront_id(s, n)},
    ),
    "AWS::CloudFront::ResponseHeadersPolicy": lambda s, n, p: (
        _stable_id(s.name, n),
        {"Id": _stable_id(s.name, n), "LastModifiedTime": "2026-01-01T00:00:00Z"},
    ),
    "AWS::CloudFront::CachePolicy": lambda s, n, p: (
        _stable_id(s.name, n),
        {"Id": _stable_id(s.name, n), "LastModifiedTime": "2026-01-01T00:00:00Z"},
    ),
    "AWS::Lambda::Function": lambda s, n, p: (n, {"Arn": f"{p}:function:{n}"}),
    "AWS::Lambda::LayerVersion": lambda s, n, p: (f"{p}:layer:{n}:1", {}),
    "AWS::Lambda::EventSourceMapping": lambda s, n, p: (
        _stable_id(s.name, n),
        {"Id": _stable_id(s.name, n)},
    ),
    "AWS::IAM::Role": lambda s, n, p: (
        n,
        {
            "Arn": _iam_arn(s, "role", n),
            "RoleId": "AROA" + _stable_id(n).replace("-", "")[:17].upper(),
        },
    ),
    "AWS::IAM::ManagedPolicy": lambda s, n, p: (
        _iam_arn(s, "policy", n),
        {"PolicyArn": _iam_arn(s, "policy", n)},
    ),
    "AWS::Logs::LogGroup": lambda s, n, p: (n, {"Arn": f"{p}:log-group:{n}:*"}),
    "AWS::ApiGatewayV2::Api": lambda s, n, p: (
        LOCAL_API_ID,
        {
            "ApiId": LOCAL_API_ID,
            "ApiEndpoint": f"https://{LOCAL_API_ID}.execute-api.{s.region}.{s.url_suffix}",
        },
    ),
    "AWS::Scheduler::Schedule": lambda s, n, p: (n, {"Arn": f"{p}:schedule/default/{n}"}),
    "AWS::Events::Rule": lambda s, n, p: (n, {"Arn": f"{p}:rule/{n}"}),
    "AWS::SNS::Topic": lambda s, n, p: (f"{p}:{n}", {"TopicArn": f"{p}:{n}", "TopicName": n}),
    "AWS::CloudWatch::Alarm": lambda s, n, p: (n, {"Arn": f"{p}:alarm:{n}"}),
    "AWS::Cognito::UserPool": lambda s, n, p: (
        f"{s.region}_local{_stable_id(s.name, n)[:8]}",
        {
            "Arn": f"{p}:userpool/{s.region}_local{_stable_id(s.name, n)[:8]}",
            "ProviderURL": f"https://cognito-idp.{s.region}.{s.url_suffix}/{s.region}_local{_stable_id(s.name, n)[:8]}",
        },
    ),
    "AWS::Cognito::UserPoolClient": lambda s, n, p: (
        _stable_id(s.name, n).replace("-", "")[:26],
        {"ClientId": _stable_id(s.name, n).replace("-", "")[:26]},
    ),
    # Ref of a domain is its prefix; CloudFront fronts it in AWS.
    "AWS::Cognito::UserPoolDomain": lambda s, n, p: (
        n,
        {"CloudFrontDistribution": f"{_stable_id(s.name, n)[:14].replace('-', '')}.cloudfront.net"},
    ),
    "AWS::Cognito::ManagedLoginBranding": lambda s, n, p: (
        _stable_id(s.name, n),
        {"ManagedLoginBrandingId": _stable_id(s.name, n)},
    ),
}


def _int_or_none(value: Any) -> int | None:
    return None if value is None else int(value)
