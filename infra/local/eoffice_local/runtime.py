"""Runs the template's Lambda functions in this process: the in-process mode.

Neither moto nor LocalStack can invoke a function on a machine without Docker. ``eoffice dev``
runs each invocation in a worker process of its own (``workers``); the handler-level tests run
them here instead, so that they can patch the library and read its state. This mode imports each
handler from its ``CodeUri`` folder and calls it with the event JSON AWS would send. One instance
per function, so invocations of a function are serialised, as in one Lambda execution
environment (Powertools' resolver keeps the current request on the instance): concurrency is
shown through the isolated mode (docs/decisions/0014-local-concurrency.md).
"""

from __future__ import annotations

import importlib.util
import os
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eoffice_local.provision import Stack
from eoffice_local.template import FunctionSpec, Template

Handler = Callable[[Any, Any], Any]

# What the runner sets for every function, on top of template.yaml: no X-Ray daemon or
# CloudWatch here, and a local run has no use for EMF lines on the console.
LOCAL_ENVIRONMENT = {
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_METRICS_DISABLED": "true",
    "POWERTOOLS_DEV": "false",
}


@dataclass
class LambdaContext:
    """The context object a Python handler receives."""

    function_name: str
    memory_limit_in_mb: int
    invoked_function_arn: str
    timeout_seconds: int
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    function_version: str = "$LATEST"
    log_group_name: str = ""
    log_stream_name: str = "local"
    started: float = field(default_factory=time.monotonic)

    def get_remaining_time_in_millis(self) -> int:
        elapsed = time.monotonic() - self.started
        return max(0, int((self.timeout_seconds - elapsed) * 1000))


class FunctionNotFoundError(LookupError):
    pass


def function_environment(template: Template, stack: Stack) -> dict[str, str]:
    """The union of every function's resolved environment, for the in-process mode; a name two
    functions set differently is an error, since all functions share this process."""
    merged: dict[str, str] = dict(LOCAL_ENVIRONMENT)
    owners: dict[str, str] = {}
    for spec in template.functions.values():
        for name, value in stack.function_environment(spec).items():
            if name in owners and merged[name] != value:
                raise ValueError(
                    f"{spec.logical_id} and {owners[name]} set {name} differently; the local "
                    "runner runs all functions in one process"
                )
            merged[name] = value
            owners[name] = spec.logical_id
    return merged


def apply_environment(variables: Mapping[str, str]) -> None:
    os.environ.update(variables)


class FunctionCatalog:
    """The template's functions by name, and the names AWS would give them; what both modes
    share."""

    def __init__(self, template: Template, stack: Stack) -> None:
        self.template = template
        self.stack = stack
        self.invocations: Counter[str] = Counter()

    def spec(self, name: str) -> FunctionSpec:
        """A function by logical id (``ApiFunction``) or by its folder name (``api``)."""
        for spec in self.template.functions.values():
            if name in {spec.logical_id, spec.code_uri.name}:
                return spec
        known = ", ".join(sorted(self.template.functions))
        raise FunctionNotFoundError(f"no function {name!r} in template.yaml (known: {known})")

    def function_name(self, spec: FunctionSpec) -> str:
        return f"{self.stack.name}-{spec.logical_id}"

    def function_arn(self, spec: FunctionSpec) -> str:
        return (
            f"arn:aws:lambda:{self.stack.region}:{self.stack.account_id}:function:"
            f"{self.function_name(spec)}"
        )


class Runtime(FunctionCatalog):
    """Loads handlers on first use and invokes them in this process, one at a time per
    function."""

    def __init__(self, template: Template, stack: Stack) -> None:
        super().__init__(template, stack)
        self._handlers: dict[str, Handler] = {}
        self._locks = {name: threading.Lock() for name in template.functions}
        self._load_lock = threading.Lock()

    def handler(self, spec: FunctionSpec) -> Handler:
        with self._load_lock:
            if spec.logical_id not in self._handlers:
                self._handlers[spec.logical_id] = load_handler(spec)
            return self._handlers[spec.logical_id]

    def context(self, spec: FunctionSpec) -> LambdaContext:
        name = self.function_name(spec)
        return LambdaContext(
            name,
            spec.memory,
            self.function_arn(spec),
            spec.timeout,
            log_group_name=f"/aws/lambda/{name}",
        )

    def invoke(self, name: str, event: Any) -> Any:
        spec = self.spec(name)
        handler = self.handler(spec)
        with self._locks[spec.logical_id]:
            self.invocations[spec.logical_id] += 1
            return handler(event, self.context(spec))


def placeholder_variables() -> dict[str, str]:
    """A value for every variable some function requires and the environment lacks, named after
    itself: what importing a handler outside a stack needs (its settings are validated at
    import), reaching no resource."""
    from eoffice import settings

    required: set[str] = set()
    for model in settings.FUNCTIONS.values():
        required |= {f.alias or n for n, f in model.model_fields.items() if f.is_required()}
        required |= set(getattr(model, "needs", ()))
    return {v: f"offline-{v.lower()}" for v in sorted(required) if not os.environ.get(v)}


@contextmanager
def placeholder_settings() -> Iterator[None]:
    """Handlers imported within get :func:`placeholder_variables` (the OpenAPI commands)."""
    from eoffice import settings

    added = placeholder_variables()
    os.environ.update(added)
    settings.reset()
    try:
        yield
    finally:
        for name in added:
            os.environ.pop(name, None)
        settings.reset()


def load_handler(spec: FunctionSpec) -> Handler:
    """Import ``module.function`` from the function's folder, under a name of its own so that
    several functions' ``app.py`` do not collide; the folder goes on ``sys.path`` for the
    handler's sibling modules, as in Lambda's ``/var/task``."""
    module_path, _, attribute = spec.handler.rpartition(".")
    source = spec.code_uri.joinpath(*module_path.split(".")).with_suffix(".py")
    if not source.exists():
        raise FunctionNotFoundError(f"{spec.logical_id}: handler file {source} does not exist")
    folder = str(spec.code_uri)
    if folder in sys.path:
        sys.path.remove(folder)
    sys.path.insert(0, folder)
    _forget_siblings_of_others(spec.code_uri)
    module_name = f"_eoffice_fn_{spec.logical_id}"
    module_spec = importlib.util.spec_from_file_location(module_name, source)
    if module_spec is None or module_spec.loader is None:
        raise FunctionNotFoundError(f"cannot import {source}")
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[module_name] = module
    module_spec.loader.exec_module(module)
    handler = getattr(module, attribute, None)
    if not callable(handler):
        raise FunctionNotFoundError(f"{spec.logical_id}: {spec.handler} is not a function")
    return handler  # type: ignore[no-any-return]


def _forget_siblings_of_others(folder: Path) -> None:
    """Each Lambda function has its own ``/var/task``: two functions may both have a
    ``routes`` package. In one process the first import would win, so drop from
    ``sys.modules`` the modules named like this function's siblings but loaded from elsewhere
    (the function already loaded keeps its own through its references)."""
    names = {entry.stem for entry in folder.iterdir() if entry.suffix == ".py" or entry.is_dir()}
    for name in list(sys.modules):
        top = name.split(".", 1)[0]
        if top not in names:
            continue
        module_file = getattr(sys.modules[name], "__file__", None) or ""
        if not module_file.startswith(str(folder)):
            del sys.modules[name]
