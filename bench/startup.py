"""Start-up cost of each function: importing its handler module in a fresh interpreter, the part of
a Lambda cold start our code controls, compared with ``import boto3`` alone measured in the same
run (absolute milliseconds move with the machine's load; the ratio is what a target can hold).

Each measurement is a new ``python -I`` child: it puts the function's folder and its layers on
``sys.path`` as Lambda does (``/var/task``, ``/opt/python``), gets Lambda's own variables (so the
X-Ray SDK and Powertools take the path they take in Lambda, tracing on), times the import with
``time.perf_counter`` inside the child, and reports which heavy packages got loaded. The children
get dummy settings and an unroutable AWS endpoint, so an import that tried to call AWS would fail
rather than reach it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eoffice_local.provision import ResolveError, Stack, offline_stack
from eoffice_local.runtime import LOCAL_ENVIRONMENT
from eoffice_local.template import FunctionSpec, Template

from bench.report import median, table, verdict

BASELINE = "import boto3"
API_TARGET_RATIO = 2.0
"""An HTTP function may take at most this many times ``import boto3`` to import (issue 19)."""
OTHER_TARGET_RATIO = 2.5
"""A queue or schedule function (intake, deadlines, notifications, sign-ins, the TPP report):
nobody waits on its cold start, but each one is paid on every scale-out (issue 19)."""
TARGET_RATIOS = {"CheckInFunction": 1.6}
"""Tighter targets of single HTTP functions: the check-in function has no router and few models,
and 5,000 phones call it in the same half hour (ADR 0012, issue 19)."""

FORBIDDEN_IN_API = ("pyhanko", "openpyxl", "xlsxwriter", "pypdf", "PIL", "zxingcpp")
"""Packages that belong to the signing and report functions, and the file checkers that HTTP
functions import only on use (a report file's or a leave document's check, a selfie's): no HTTP
function may load them at start-up."""

# Settings every child gets. The endpoint is a closed local port: nothing reaches AWS.
_BASE_ENVIRONMENT = {
    "AWS_REGION": "ap-southeast-3",
    "AWS_DEFAULT_REGION": "ap-southeast-3",
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
    "AWS_EC2_METADATA_DISABLED": "true",
    **LOCAL_ENVIRONMENT,
    # As deployed (Tracing: Active): Powertools' Tracer patches at start-up in Lambda. Outside
    # Lambda (no LAMBDA_TASK_ROOT) the X-Ray SDK would instead build its sampler's two X-Ray
    # clients, about 130 ms that no Lambda cold start pays, and Powertools would patch nothing.
    "POWERTOOLS_TRACE_DISABLED": "false",
}
_KEPT_FROM_PARENT = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")

# Runs in the child. Only json, sys and time are imported before the clock starts, so the figure
# is the handler's import alone; the wall time adds the interpreter's own start-up. ``__import__``
# rather than ``importlib.import_module``: only the former shows in ``-X importtime`` as one tree.
_CHILD = """
import json, sys, time
config = json.loads(sys.argv[1])
sys.path[:0] = config["path"]
watched = config["watched"]
started = time.perf_counter()
if config["module"]:
    __import__(config["module"])
    found = callable(getattr(sys.modules[config["module"]], config["attribute"], None))
else:
    import boto3
    found = True
elapsed = time.perf_counter() - started
roots = {name.partition(".")[0] for name in sys.modules}
print(json.dumps({
    "import_ms": elapsed * 1000,
    "handler_found": found,
    "modules": len(sys.modules),
    "watched": sorted(name for name in watched if name in roots),
}))
"""


@dataclass(frozen=True)
class Variant:
    """One thing to import in a fresh interpreter: a function's handler, or boto3 alone."""

    name: str
    module: str | None
    attribute: str | None
    path: tuple[str, ...]
    environment: Mapping[str, str]
    target_ratio: float | None = None
    cwd: Path | None = None
    http: bool = False
    """Behind the HTTP API: a person waits on its cold start, and it may not load
    FORBIDDEN_IN_API."""


@dataclass(frozen=True)
class Sample:
    import_ms: float
    wall_ms: float
    modules: int
    watched: tuple[str, ...]
    handler_found: bool


@dataclass
class Measured:
    variant: Variant
    samples: list[Sample] = field(default_factory=list)

    @property
    def import_ms(self) -> float:
        return median(s.import_ms for s in self.samples)

    @property
    def wall_ms(self) -> float:
        return median(s.wall_ms for s in self.samples)

    @property
    def forbidden_loaded(self) -> tuple[str, ...]:
        """Watched packages seen in any sample (an import is deterministic; union to be safe)."""
        return tuple(sorted({name for s in self.samples for name in s.watched}))


@dataclass(frozen=True)
class StartupReport:
    baseline: Measured
    functions: list[Measured]
    repeat: int

    def ratio(self, measured: Measured) -> float:
        return measured.import_ms / self.baseline.import_ms

    def problems(self, measured: Measured) -> list[str]:
        """What is wrong with one function's start-up; empty when it meets its targets."""
        variant = measured.variant
        found = []
        if not all(s.handler_found for s in measured.samples):
            found.append(f"{variant.name}: handler {variant.attribute} not found")
        if variant.target_ratio is None:
            return found
        if self.ratio(measured) > variant.target_ratio:
            found.append(
                f"{variant.name}: import takes {self.ratio(measured):.1f}x import boto3 "
                f"(target at most {variant.target_ratio}x)"
            )
        if variant.http and measured.forbidden_loaded:
            found.append(f"{variant.name}: loads {', '.join(measured.forbidden_loaded)}")
        return found

    def failures(self) -> list[str]:
        return [problem for m in self.functions for problem in self.problems(m)]

    def render(self) -> str:
        rows = [self._row(self.baseline)] + [self._row(m) for m in self.functions]
        headers = ("import of", "median ms", "wall ms", "modules", "vs boto3", "target", "result")
        forbidden = ", ".join(FORBIDDEN_IN_API)
        heavy = [
            f"  {m.variant.name}: {', '.join(m.forbidden_loaded) or 'none'} loaded"
            for m in self.functions
            if m.variant.http
        ]
        return "\n".join(
            [
                f"Start-up: handler import in a fresh interpreter, median of {self.repeat} runs "
                "(wall ms adds interpreter start and exit)",
                table(headers, rows),
                f"HTTP functions must not load {forbidden}:",
                *heavy,
            ]
        )

    def _row(self, measured: Measured) -> list[str]:
        variant = measured.variant
        is_baseline = measured is self.baseline
        target = "-" if variant.target_ratio is None else f"<= {variant.target_ratio}x"
        passed = (
            None
            if is_baseline or variant.target_ratio is None
            else self.ratio(measured) <= variant.target_ratio
            and not (variant.http and measured.forbidden_loaded)
        )
        return [
            variant.name,
            f"{measured.import_ms:.0f}",
            f"{measured.wall_ms:.0f}",
            str(measured.samples[-1].modules),
            "1.00x" if is_baseline else f"{self.ratio(measured):.2f}x",
            target,
            verdict(passed),
        ]


def child_environment(extra: Mapping[str, str]) -> dict[str, str]:
    """A clean environment: no AWS or Powertools setting of the caller's leaks into a child."""
    kept = {name: os.environ[name] for name in _KEPT_FROM_PARENT if name in os.environ}
    return {**kept, **_BASE_ENVIRONMENT, **extra}


def lambda_environment(spec: FunctionSpec) -> dict[str, str]:
    """The variables Lambda itself sets that libraries read at import (as the local runner's
    workers get them): the X-Ray SDK and Powertools' Tracer look for ``LAMBDA_TASK_ROOT``."""
    runtime = spec.runtime or "python3.12"
    return {
        "LAMBDA_TASK_ROOT": str(spec.code_uri),
        "AWS_EXECUTION_ENV": f"AWS_Lambda_{runtime}",
        "AWS_LAMBDA_FUNCTION_NAME": f"bench-{spec.logical_id}",
    }


def dummy_settings(spec: FunctionSpec, stack: Stack) -> dict[str, str]:
    """The function's template variables: parameters resolve to their defaults (the handler
    validates its settings at import); resources (``!Ref OrgTable``) get placeholder names, since
    importing must not need a real resource."""
    settings = {}
    for name, value in spec.environment.items():
        try:
            resolved = stack.resolve(value)
        except ResolveError:
            resolved = None
        placeholder = f"bench-{name.lower().replace('_', '-')}"
        if name.endswith("_URL"):  # validated as an address at import
            placeholder = f"https://{placeholder}.invalid"
        settings[name] = str(resolved) if resolved is not None else placeholder
    return settings


def http_functions(template: Template) -> set[str]:
    """Logical ids of the functions behind the HTTP API: their cold start is a user's wait."""
    return {route.function for route in template.routes}


def target_ratio(logical_id: str, served: set[str]) -> float:
    """The function's start-up target: tighter for those a person waits on."""
    if logical_id not in served:
        return TARGET_RATIOS.get(logical_id, OTHER_TARGET_RATIO)
    return TARGET_RATIOS.get(logical_id, API_TARGET_RATIO)


def variants(template: Template) -> tuple[Variant, list[Variant]]:
    """The boto3 baseline and one variant per function of the template."""
    baseline = Variant(BASELINE, None, None, (), child_environment({}))
    served = http_functions(template)
    stack = offline_stack(template, name="bench", region="ap-southeast-3", account_id="0" * 12)
    functions = []
    for spec in sorted(template.functions.values(), key=lambda s: s.logical_id):
        module, _, attribute = spec.handler.rpartition(".")
        functions.append(
            Variant(
                name=spec.logical_id,
                module=module,
                attribute=attribute,
                path=(str(spec.code_uri), *(str(layer) for layer in spec.layers)),
                environment=child_environment(
                    {**lambda_environment(spec), **dummy_settings(spec, stack)}
                ),
                target_ratio=target_ratio(spec.logical_id, served),
                cwd=spec.code_uri,
                http=spec.logical_id in served,
            )
        )
    return baseline, functions


def _spawn(variant: Variant, *flags: str) -> subprocess.CompletedProcess[str]:
    """One fresh interpreter; ``-I`` keeps the caller's PYTHON* variables and cwd out of it."""
    config = {
        "path": list(variant.path),
        "module": variant.module,
        "attribute": variant.attribute,
        "watched": list(FORBIDDEN_IN_API),
    }
    command = [sys.executable, "-I", *flags, "-c", _CHILD, json.dumps(config)]
    return subprocess.run(
        command,
        env=dict(variant.environment),
        cwd=variant.cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def run_once(variant: Variant) -> Sample:
    started = time.perf_counter()
    done = _spawn(variant)
    wall_ms = (time.perf_counter() - started) * 1000
    if done.returncode != 0:
        raise RuntimeError(f"importing {variant.name} failed:\n{done.stderr.strip()}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return Sample(
        import_ms=float(result["import_ms"]),
        wall_ms=wall_ms,
        modules=int(result["modules"]),
        watched=tuple(result["watched"]),
        handler_found=bool(result["handler_found"]),
    )


def measure(template: Template, repeat: int) -> StartupReport:
    """Warm up once (so every ``.pyc`` is written, as in a deployed package), then run all
    variants ``repeat`` times, interleaved and in a rotating order, so a burst of load on the
    machine hits every variant alike."""
    baseline, functions = variants(template)
    everything = [Measured(baseline), *(Measured(v) for v in functions)]
    for measured in everything:
        run_once(measured.variant)
    for round_ in range(repeat):
        shift = round_ % len(everything)
        for measured in everything[shift:] + everything[:shift]:
            measured.samples.append(run_once(measured.variant))
    return StartupReport(everything[0], everything[1:], repeat)


def import_profile(variant: Variant) -> list[tuple[str, float]]:
    """(module, self ms) for every module the variant's import loads, from ``-X importtime``:
    when a function misses its target, this names what to make lazy or drop."""
    done = _spawn(variant, "-X", "importtime")
    return _subtree(done.stderr, variant.module or "boto3")


def by_package(profile: list[tuple[str, float]], limit: int = 8) -> list[tuple[str, float]]:
    """Self time summed per top-level package, biggest first."""
    totals: dict[str, float] = {}
    for name, own_ms in profile:
        package = name.partition(".")[0]
        totals[package] = totals.get(package, 0.0) + own_ms
    return sorted(totals.items(), key=lambda item: item[1], reverse=True)[:limit]


def slowest(profile: list[tuple[str, float]], limit: int = 5) -> list[tuple[str, float]]:
    """The modules whose own top-level code costs most (model building, clients made at import)."""
    return sorted(profile, key=lambda item: item[1], reverse=True)[:limit]


def _subtree(importtime: str, module: str) -> list[tuple[str, float]]:
    """``module``'s import subtree. ``-X importtime`` prints a module after its children, with
    top-level imports unindented, so the subtree is every line between the previous unindented
    line and ``module``'s own."""
    subtree: list[tuple[str, float]] = []
    for line in importtime.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, _, label = line.removeprefix("import time:").split("|")
        name = label.removeprefix(" ")
        subtree.append((name.strip(), int(own) / 1000))
        if name.startswith(" "):
            continue
        if name.strip() == module:
            return subtree
        subtree.clear()
    return []
