"""Read template.yaml the way CloudFormation would, so the local runner never re-declares it.

The SAM transform is expanded offline with aws-sam-translator; everything the runner needs
(functions, HTTP routes, authorizers, CORS, queue triggers, schedules) is then read from the
EXPANDED template, which is what AWS deploys. Intrinsics stay unresolved here: only the
provisioned stack (see ``provision.Stack``) knows physical names.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cfnlint.decode import cfn_yaml
from samtranslator.model.exceptions import InvalidDocumentException
from samtranslator.translator.transform import transform

__all__ = [
    "CODE_BUCKET",
    "Authorizer",
    "Cors",
    "FunctionSpec",
    "HttpRoute",
    "QueueTrigger",
    "ScheduleTrigger",
    "Template",
    "TemplateError",
    "load",
    "referenced_names",
]

CODE_BUCKET = "eoffice-local-code"
"""Bucket named in the placeholder s3:// URIs the translator insists on instead of local folders."""

_FALLBACK_REGION = "us-east-1"
_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_ANY_METHOD = "x-amazon-apigateway-any-method"
_SUB_NAME = re.compile(r"\$\{([^!}][^}]*)\}")


class TemplateError(ValueError):
    """The template cannot be loaded or does not have a shape the local runner understands."""


@dataclass(frozen=True)
class FunctionSpec:
    """One AWS::Lambda::Function, enough to run its handler locally."""

    logical_id: str
    code_uri: Path
    handler: str
    environment: dict[str, Any]
    timeout: int
    memory: int
    runtime: str | None = None
    layers: tuple[Path, ...] = ()
    condition: str | None = None
    reserved_concurrency: int | None = None


@dataclass(frozen=True)
class Authorizer:
    """A JWT authorizer of an HTTP API; issuer and audience are unresolved intrinsics."""

    name: str
    issuer: Any
    audience: list[Any]
    identity_source: str


@dataclass(frozen=True)
class HttpRoute:
    """One route of an HTTP API and the function that answers it."""

    method: str
    path: str
    function: str
    authorizer: str | None
    api: str = ""


@dataclass(frozen=True)
class Cors:
    """The HTTP API's CORS configuration (API Gateway answers preflights itself)."""

    allow_origins: list[Any]
    allow_headers: list[str]
    allow_methods: list[str]
    expose_headers: list[str]
    max_age: int | None
    allow_credentials: bool


@dataclass(frozen=True)
class QueueTrigger:
    """An SQS event source mapping: the runner polls ``queue`` and calls ``function``."""

    function: str
    queue: str
    batch_size: int
    maximum_batching_window: int
    report_batch_item_failures: bool
    enabled: bool = True
    filter_patterns: list[Any] = field(default_factory=list)
    condition: str | None = None


@dataclass(frozen=True)
class ScheduleTrigger:
    """A scheduled invocation; ``input`` is the event the function receives (JSON decoded)."""

    function: str
    name: str
    expression: str
    timezone: str | None
    input: Any | None
    kind: str
    enabled: bool = True
    condition: str | None = None


@dataclass
class Template:
    """The template as SAM wrote it (``raw``) and as CloudFormation deploys it (``resources``)."""

    path: Path
    parameters: dict[str, str]
    raw: dict[str, Any]
    resources: dict[str, dict[str, Any]]
    conditions: dict[str, Any]
    outputs: dict[str, Any]
    rules: dict[str, Any]
    functions: dict[str, FunctionSpec]
    routes: list[HttpRoute]
    authorizers: dict[str, Authorizer]
    cors: Cors | None
    queue_triggers: list[QueueTrigger]
    schedules: list[ScheduleTrigger]
    parameter_types: dict[str, str] = field(default_factory=dict)
    mappings: dict[str, Any] = field(default_factory=dict)

    def resources_of_type(self, type_: str) -> dict[str, dict[str, Any]]:
        """Expanded resources of one CloudFormation type, by logical id."""
        return {lid: res for lid, res in self.resources.items() if res.get("Type") == type_}


# ---------------------------------------------------------------------------------------- loading


def load(path: Path, parameters: dict[str, str] | None = None) -> Template:
    """Load a SAM template and expand it exactly as the deployment would."""
    path = Path(path).resolve()
    raw = _plain(cfn_yaml.load(str(path)))
    if not isinstance(raw, dict) or not isinstance(raw.get("Resources"), dict):
        raise TemplateError(f"{path}: not a CloudFormation template (no Resources)")
    params = _parameter_values(raw, parameters or {})
    packaged, code_folders = _package_locally(raw, path.parent)
    expanded = _expand(packaged, params, path) if _has_sam_transform(raw) else packaged
    return _build(path, raw, params, expanded, code_folders)


def _plain(value: Any) -> Any:
    """cfn-lint returns its own dict/str subclasses with line marks; keep plain JSON values."""
    return json.loads(json.dumps(value, default=str))


def _parameter_values(raw: dict[str, Any], overrides: dict[str, str]) -> dict[str, str]:
    declared = raw.get("Parameters") or {}
    unknown = sorted(set(overrides) - set(declared))
    if unknown:
        raise TemplateError(f"unknown template parameters: {', '.join(unknown)}")
    values: dict[str, str] = {}
    for name, spec in declared.items():
        value = overrides.get(name, spec.get("Default"))
        if value is None:
            raise TemplateError(f"parameter {name} has no Default and no value was given")
        values[name] = _parameter_text(value)
        allowed = spec.get("AllowedValues")
        if allowed and values[name] not in [_parameter_text(a) for a in allowed]:
            raise TemplateError(f"parameter {name}={values[name]!r} is not one of {allowed}")
        pattern = spec.get("AllowedPattern")
        if pattern and re.fullmatch(pattern, values[name]) is None:
            # CloudFormation refuses the deployment the same way, before creating anything.
            reason = spec.get("ConstraintDescription") or f"does not match {pattern}"
            raise TemplateError(f"parameter {name}={values[name]!r} {reason}".strip())
    return values


def _parameter_text(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _has_sam_transform(raw: dict[str, Any]) -> bool:
    transforms = raw.get("Transform") or []
    if isinstance(transforms, str):
        transforms = [transforms]
    return any(str(t).startswith("AWS::Serverless") for t in transforms)


def _package_locally(raw: dict[str, Any], base: Path) -> tuple[dict[str, Any], dict[str, Path]]:
    """Rewrite local CodeUri/ContentUri folders to s3:// URIs, as ``sam package`` would.

    Returns the rewritten copy and the S3 key -> absolute folder map used to find code again.
    """
    packaged = copy.deepcopy(raw)
    folders: dict[str, Path] = {}
    holders = [r.get("Properties") for r in packaged["Resources"].values()]
    holders += [(packaged.get("Globals") or {}).get(kind) for kind in ("Function", "LayerVersion")]
    for props in holders:
        if not isinstance(props, dict):
            continue
        for key in ("CodeUri", "ContentUri"):
            uri = props.get(key)
            if isinstance(uri, str) and not uri.startswith("s3://"):
                folder = (base / uri).resolve()
                s3_key = Path(os.path.relpath(folder, base)).as_posix()
                folders[s3_key] = folder
                props[key] = f"s3://{CODE_BUCKET}/{s3_key}"
    return packaged, folders


class _NoManagedPolicies:
    """Managed-policy loader for the translator: offline, no IAM lookups."""

    def load(self) -> dict[str, str]:
        return {}


@contextlib.contextmanager
def _default_region(region: str) -> Iterator[None]:
    """The translator reads AWS_DEFAULT_REGION for ARNs; set it only while translating."""
    if os.environ.get("AWS_DEFAULT_REGION"):
        yield
        return
    os.environ["AWS_DEFAULT_REGION"] = region
    try:
        yield
    finally:
        os.environ.pop("AWS_DEFAULT_REGION", None)


def _expand(packaged: dict[str, Any], params: dict[str, str], path: Path) -> dict[str, Any]:
    region = params.get("Region") or _FALLBACK_REGION
    try:
        with _default_region(region):
            expanded = transform(copy.deepcopy(packaged), dict(params), _NoManagedPolicies())
    except InvalidDocumentException as exc:
        messages = "; ".join(str(cause) for cause in exc.causes)
        raise TemplateError(f"{path}: SAM transform failed: {messages}") from exc
    return _plain(expanded)  # type: ignore[no-any-return]


def _build(
    path: Path,
    raw: dict[str, Any],
    params: dict[str, str],
    expanded: dict[str, Any],
    code_folders: dict[str, Path],
) -> Template:
    resources: dict[str, dict[str, Any]] = expanded.get("Resources") or {}
    apis = {lid: r for lid, r in resources.items() if r.get("Type") == "AWS::ApiGatewayV2::Api"}
    return Template(
        path=path,
        parameters=params,
        raw=raw,
        resources=resources,
        conditions=expanded.get("Conditions") or {},
        outputs=expanded.get("Outputs") or {},
        rules=expanded.get("Rules") or {},
        functions=_functions(resources, code_folders),
        routes=[route for lid, api in apis.items() for route in _routes(lid, api, resources)],
        authorizers=_authorizers(apis),
        cors=_cors(apis),
        queue_triggers=_queue_triggers(resources),
        schedules=_in_declared_order(_schedules(resources), raw),
        parameter_types={n: str(s.get("Type", "String")) for n, s in _params(raw).items()},
        mappings=expanded.get("Mappings") or {},
    )


def _params(raw: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return raw.get("Parameters") or {}


# -------------------------------------------------------------------------------------- functions


def _functions(
    resources: dict[str, dict[str, Any]], code_folders: dict[str, Path]
) -> dict[str, FunctionSpec]:
    functions = {}
    for lid, res in resources.items():
        if res.get("Type") != "AWS::Lambda::Function":
            continue
        props = res.get("Properties") or {}
        functions[lid] = FunctionSpec(
            logical_id=lid,
            code_uri=_code_folder(lid, props.get("Code"), code_folders),
            handler=str(props.get("Handler", "")),
            environment=dict((props.get("Environment") or {}).get("Variables") or {}),
            timeout=int(props.get("Timeout", 3)),
            memory=int(props.get("MemorySize", 128)),
            runtime=props.get("Runtime"),
            layers=tuple(_layer_folders(props.get("Layers") or [], resources, code_folders)),
            condition=res.get("Condition"),
            reserved_concurrency=_optional_int(props.get("ReservedConcurrentExecutions")),
        )
    return functions


def _optional_int(value: Any) -> int | None:
    return None if value is None else int(value)


def _code_folder(owner: str, code: Any, code_folders: dict[str, Path]) -> Path:
    """Map the placeholder S3 location back to the local folder it stands for."""
    if isinstance(code, dict) and code.get("S3Bucket") == CODE_BUCKET:
        folder = code_folders.get(str(code.get("S3Key")))
        if folder is not None:
            return folder
    raise TemplateError(f"{owner}: code is not a local folder (CodeUri/ContentUri): {code!r}")


def _layer_folders(
    layers: list[Any], resources: dict[str, dict[str, Any]], code_folders: dict[str, Path]
) -> Iterator[Path]:
    """Folders of the template's own layers; layers published elsewhere cannot run locally."""
    for layer in layers:
        name = layer.get("Ref") if isinstance(layer, dict) else None
        res = resources.get(str(name))
        if res and res.get("Type") == "AWS::Lambda::LayerVersion":
            yield _code_folder(
                str(name), (res.get("Properties") or {}).get("Content"), code_folders
            )


# ------------------------------------------------------------------------------------------- HTTP


def _routes(
    api_id: str, api: dict[str, Any], resources: dict[str, dict[str, Any]]
) -> Iterator[HttpRoute]:
    body = (api.get("Properties") or {}).get("Body") or {}
    default_security = body.get("security")
    for path, item in (body.get("paths") or {}).items():
        for key, operation in item.items():
            if key != _ANY_METHOD and key not in _HTTP_METHODS:
                continue
            uri = (operation.get("x-amazon-apigateway-integration") or {}).get("uri")
            yield HttpRoute(
                method="ANY" if key == _ANY_METHOD else key.upper(),
                path=path,
                function=_integrated_function(f"{api_id} {key} {path}", uri, resources),
                authorizer=_route_authorizer(operation.get("security", default_security)),
                api=api_id,
            )


def _route_authorizer(security: Any) -> str | None:
    for requirement in security or []:
        for name in requirement:
            if name != "NONE":
                return str(name)
    return None


def _integrated_function(route: str, uri: Any, resources: dict[str, dict[str, Any]]) -> str:
    """The function an integration URI names, following aliases and versions to the function."""
    for name in referenced_names(uri):
        res = resources.get(name) or {}
        if res.get("Type") == "AWS::Lambda::Function":
            return name
        if res.get("Type") in ("AWS::Lambda::Alias", "AWS::Lambda::Version"):
            target = referenced_names((res.get("Properties") or {}).get("FunctionName"))
            for candidate in target:
                if (resources.get(candidate) or {}).get("Type") == "AWS::Lambda::Function":
                    return candidate
    raise TemplateError(f"route {route}: integration does not name a function of the template")


def referenced_names(value: Any) -> list[str]:
    """Logical ids that a value refers to through Ref, Fn::GetAtt or Fn::Sub, in order."""
    found: list[str] = []
    if isinstance(value, list):
        for item in value:
            found += referenced_names(item)
    elif isinstance(value, dict):
        for key, arg in value.items():
            if key == "Ref" and isinstance(arg, str):
                found.append(arg)
            elif key == "Fn::GetAtt":
                found.append(arg.split(".", 1)[0] if isinstance(arg, str) else str(arg[0]))
            elif key == "Fn::Sub":
                text, variables = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1])
                names = [m.split(".", 1)[0] for m in _SUB_NAME.findall(text)]
                found += [n for n in names if n not in variables]
                found += referenced_names(variables)
            else:
                found += referenced_names(arg)
    return found


def _authorizers(apis: dict[str, dict[str, Any]]) -> dict[str, Authorizer]:
    found = {}
    for api in apis.values():
        body = (api.get("Properties") or {}).get("Body") or {}
        schemes = (body.get("components") or {}).get("securitySchemes") or {}
        for name, scheme in schemes.items():
            spec = scheme.get("x-amazon-apigateway-authorizer") or {}
            if spec.get("type") != "jwt":
                continue
            jwt = spec.get("jwtConfiguration") or {}
            audience = jwt.get("audience") or []
            found[name] = Authorizer(
                name=name,
                issuer=jwt.get("issuer"),
                audience=audience if isinstance(audience, list) else [audience],
                identity_source=_identity_source(spec.get("identitySource")),
            )
    return found


def _identity_source(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return str(value or "$request.header.Authorization")


def _cors(apis: dict[str, dict[str, Any]]) -> Cors | None:
    """CORS from the OpenAPI extension SAM writes, or from the Api's own CorsConfiguration."""
    for api in apis.values():
        props = api.get("Properties") or {}
        spec = (props.get("Body") or {}).get("x-amazon-apigateway-cors")
        if spec is None and isinstance(props.get("CorsConfiguration"), dict):
            spec = {k[:1].lower() + k[1:]: v for k, v in props["CorsConfiguration"].items()}
        if isinstance(spec, dict):
            max_age = spec.get("maxAge")
            return Cors(
                allow_origins=_comma_list(spec.get("allowOrigins")),
                allow_headers=[str(h) for h in _comma_list(spec.get("allowHeaders"))],
                allow_methods=[str(m).upper() for m in _comma_list(spec.get("allowMethods"))],
                expose_headers=[str(h) for h in _comma_list(spec.get("exposeHeaders"))],
                max_age=None if max_age is None else int(max_age),
                allow_credentials=bool(spec.get("allowCredentials", False)),
            )
    return None


def _comma_list(value: Any) -> list[Any]:
    """SAM substitutes a CommaDelimitedList parameter as its raw text: split it like CFN."""
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list):
        return value
    return [value]


# --------------------------------------------------------------------------------------- triggers


def _queue_triggers(resources: dict[str, dict[str, Any]]) -> list[QueueTrigger]:
    triggers = []
    for lid, res in resources.items():
        if res.get("Type") != "AWS::Lambda::EventSourceMapping":
            continue
        props = res.get("Properties") or {}
        queue = _first_of_type(props.get("EventSourceArn"), "AWS::SQS::Queue", resources)
        if queue is None:
            continue
        criteria = (props.get("FilterCriteria") or {}).get("Filters") or []
        triggers.append(
            QueueTrigger(
                function=_function_of(lid, props.get("FunctionName"), resources),
                queue=queue,
                batch_size=int(props.get("BatchSize", 10)),
                maximum_batching_window=int(props.get("MaximumBatchingWindowInSeconds", 0)),
                report_batch_item_failures="ReportBatchItemFailures"
                in (props.get("FunctionResponseTypes") or []),
                enabled=_truthy(props.get("Enabled", True)),
                filter_patterns=[_json_or_value(f.get("Pattern")) for f in criteria],
                condition=res.get("Condition"),
            )
        )
    return triggers


def _schedules(resources: dict[str, dict[str, Any]]) -> list[ScheduleTrigger]:
    schedules = []
    for lid, res in resources.items():
        props = res.get("Properties") or {}
        if res.get("Type") == "AWS::Events::Rule" and props.get("ScheduleExpression"):
            for target in props.get("Targets") or []:
                function = _first_of_type(target.get("Arn"), "AWS::Lambda::Function", resources)
                if function is not None:
                    schedules.append(_schedule(lid, res, function, target, "rule"))
        elif res.get("Type") == "AWS::Scheduler::Schedule":
            target = props.get("Target") or {}
            function = _first_of_type(target.get("Arn"), "AWS::Lambda::Function", resources)
            if function is not None:
                schedules.append(_schedule(lid, res, function, target, "scheduler"))
    return schedules


def _in_declared_order(
    schedules: list[ScheduleTrigger], raw: dict[str, Any]
) -> list[ScheduleTrigger]:
    """The schedules in the order template.yaml declares them (a function's events top to
    bottom): "a function's first schedule" must not change when the SAM transform, which
    reorders resources as others are added, lists them otherwise."""
    declared: dict[str, int] = {}
    for lid, res in (raw.get("Resources") or {}).items():
        events = (res.get("Properties") or {}).get("Events") or {}
        for event in events if isinstance(events, dict) else ():
            declared.setdefault(f"{lid}{event}", len(declared))
        declared.setdefault(lid, len(declared))
    return sorted(schedules, key=lambda s: declared.get(s.name, len(declared)))


def _schedule(
    lid: str, res: dict[str, Any], function: str, target: dict[str, Any], kind: str
) -> ScheduleTrigger:
    props = res.get("Properties") or {}
    return ScheduleTrigger(
        function=function,
        name=lid,
        expression=str(props["ScheduleExpression"]),
        timezone=props.get("ScheduleExpressionTimezone"),
        input=_json_or_value(target.get("Input")),
        kind=kind,
        enabled=str(props.get("State", "ENABLED")).upper() == "ENABLED",
        condition=res.get("Condition"),
    )


def _first_of_type(value: Any, type_: str, resources: dict[str, dict[str, Any]]) -> str | None:
    for name in referenced_names(value):
        if (resources.get(name) or {}).get("Type") == type_:
            return name
    return None


def _function_of(owner: str, value: Any, resources: dict[str, dict[str, Any]]) -> str:
    function = _first_of_type(value, "AWS::Lambda::Function", resources)
    if function is None:
        raise TemplateError(f"{owner}: FunctionName does not name a function of the template")
    return function


def _json_or_value(value: Any) -> Any:
    """Event inputs are JSON text in the template; the function receives them decoded."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


def _truthy(value: Any) -> bool:
    return value if isinstance(value, bool) else str(value).lower() == "true"
