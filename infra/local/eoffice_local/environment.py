"""One local environment: template.yaml provisioned on an emulator, its functions runnable, and a
token issuer standing in for Cognito. Used by ``eoffice dev``, by the tests and by the
benchmarks, so all three run the product the same way.

Functions run in two modes (docs/decisions/0014-local-concurrency.md): what the environment
serves (the HTTP API, the queue pollers, the schedules) goes to ``workers``, execution
environments of their own as in Lambda, several at a time; ``runtime`` calls handlers in this
process, for the handler-level tests and benchmarks that patch or read the library.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from concurrent import futures
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from eoffice_local import emulator as emulators
from eoffice_local import web_host
from eoffice_local.gateway import LocalHttpApi, Server
from eoffice_local.issuer import DevIssuer
from eoffice_local.poller import QueuePoller
from eoffice_local.provision import Stack, provision
from eoffice_local.runtime import Runtime, apply_environment, function_environment
from eoffice_local.scheduler import Runner, runners
from eoffice_local.signin import SignIn
from eoffice_local.template import ScheduleTrigger, Template, load
from eoffice_local.workers import DEFAULT_CONCURRENCY, IsolatedRuntime

ROOT = Path(__file__).resolve().parents[3]
WEB_DIST = ROOT / "web" / "dist"
SERVICE_GRACE = 1.5
"""Seconds the services get to stop before the functions' environments are stopped: a queue's
long poll (1 s) ends within it; an invocation still in progress then is cut short (a queue's
message stays on the queue and comes again, as any message may)."""
# Where a running `eoffice dev` leaves its state (endpoint, stack, signing key) for other commands.
STATE_DIR = Path(os.environ.get("EOFFICE_STATE_DIR") or ROOT / ".eoffice")
DEFAULT_STACK = "eoffice-dev"
DEFAULT_REGION = "ap-southeast-3"


class NotRunningError(RuntimeError):
    pass


class ScheduleNotFoundError(LookupError):
    pass


@dataclass
class LocalEnvironment:
    template: Template
    stack: Stack
    emulator: emulators.Emulator
    runtime: Runtime
    workers: IsolatedRuntime
    issuer: DevIssuer
    state_dir: Path
    signin: SignIn | None = None
    """The sign-in stand-in once :meth:`serve_signin` started it."""
    _services: list[Any] = field(default_factory=list)

    # ------------------------------------------------------------ life cycle
    @classmethod
    def start(
        cls,
        *,
        emulator: emulators.Emulator,
        stack_name: str = DEFAULT_STACK,
        region: str = DEFAULT_REGION,
        parameters: dict[str, str] | None = None,
        state_dir: Path = STATE_DIR,
        concurrency: int = DEFAULT_CONCURRENCY,
    ) -> LocalEnvironment:
        """Provision the template on ``emulator`` and prepare to run functions; ``concurrency``:
        execution environments per function, unless the template reserves a number."""
        apply_environment(emulators.emulator_environment(emulator.endpoint_url, region))
        template = load(ROOT / "template.yaml", parameters)
        stack = provision(
            template, stack_name=stack_name, endpoint_url=emulator.endpoint_url, region=region
        )
        return cls._assemble(template, stack, emulator, state_dir, concurrency)

    @classmethod
    def attach(cls, state_dir: Path = STATE_DIR) -> LocalEnvironment:
        """The environment a running ``eoffice dev`` described in its state file."""
        path = state_dir / "runtime.json"
        if not path.exists():
            raise NotRunningError("nothing runs locally: start it with `make dev` first")
        state = json.loads(path.read_text())
        stack = Stack.from_json(state["stack"])
        apply_environment(emulators.emulator_environment(stack.endpoint_url, stack.region))
        template = load(ROOT / "template.yaml", stack.parameters)
        return cls._assemble(template, stack, emulators.Emulator(stack.endpoint_url), state_dir)

    @classmethod
    def _assemble(
        cls,
        template: Template,
        stack: Stack,
        emulator: emulators.Emulator,
        state_dir: Path,
        concurrency: int = DEFAULT_CONCURRENCY,
    ) -> LocalEnvironment:
        # This process's own library calls (seed, tokens, the in-process mode) see every
        # function's settings; a worker sees only its function's.
        apply_environment(function_environment(template, stack))
        issuer_url, audience = cls._authorizer(template, stack)
        issuer = DevIssuer.at(state_dir / "dev-issuer.pem", issuer=issuer_url, audience=audience)
        runtime = Runtime(template, stack)
        workers = IsolatedRuntime(template, stack, concurrency=concurrency)
        return cls(template, stack, emulator, runtime, workers, issuer, state_dir)

    @staticmethod
    def _authorizer(template: Template, stack: Stack) -> tuple[str, str]:
        for authorizer in template.authorizers.values():
            audiences = [str(stack.resolve(a)) for a in authorizer.audience]
            return str(stack.resolve(authorizer.issuer)), audiences[0]
        raise ValueError("template.yaml declares no JWT authorizer")

    def serve(self, *, port: int = 3000) -> Server:
        api = LocalHttpApi(self.template, self.stack, self.issuer, self.workers.invoke)
        server = Server(api, port=port).start()
        self._services.append(server)
        return server

    def serve_signin(
        self,
        port: int = 3002,
        *,
        callback_urls: list[str] | None = None,
        logout_urls: list[str] | None = None,
    ) -> Server:
        """The user pool domain's managed login and OIDC endpoints for the template's web app
        client (eoffice_local.signin); callback and logout URLs default to the template's."""
        from eoffice_local.demo_data import NAMED_EMPLOYEES
        from eoffice_local.signin import Directory, SignIn, web_client

        client = web_client(
            self.template, self.stack, callback_urls=callback_urls, logout_urls=logout_urls
        )
        directory = Directory(spec.username for spec in NAMED_EMPLOYEES)
        signin = SignIn(client, self.issuer, directory)
        server = Server(signin, port=port).start()
        signin.base_url = server.url
        self.signin = signin
        self._services.append(server)
        return server

    def serve_web(
        self,
        *,
        port: int = 3001,
        dist: Path = WEB_DIST,
        signin_url: str | None = None,
        api_url: str | None = None,
        basemap_url: str | None = None,
    ) -> web_host.WebServer:
        """The web app's host (CloudFront and its bucket, played locally): ``dist`` as the
        distribution serves it, and /config.json pointing at this environment's API (default:
        the one :meth:`serve` started) and sign-in host (default: :meth:`serve_signin`'s).
        ``basemap_url`` (default: $EOFFICE_BASEMAP_URL, else none) is the offices map's tile
        URL, its origin then allowed in img-src."""
        if basemap_url is None:
            basemap_url = os.environ.get("EOFFICE_BASEMAP_URL", "")
        api = api_url or next(
            (
                s.url
                for s in self._services
                if isinstance(s, Server) and isinstance(s.api, LocalHttpApi)
            ),
            None,
        )
        if api is None:
            raise ValueError("serve_web needs the API's URL: call serve() first or pass api_url")
        if signin_url is None and self.signin is not None:
            signin_url = self.signin.base_url
        client_id = self.stack.refs.get("WebAppClient") or self.issuer.audience
        signin = signin_url or _origin(self.issuer.issuer)
        origins = {
            "Api": api,
            "SignIn": signin,
            "Issuer": signin,  # locally, discovery and keys come from the sign-in host
            "S3": self.stack.endpoint_url.rstrip("/"),
            "Basemap": "",  # the local basemap's origin is added below, from basemap_url
        }
        host = web_host.WebHost(
            dist=dist,
            headers=web_host.with_image_origin(
                web_host.response_headers(self.template, self.stack, origins), basemap_url
            ),
            config=web_host.local_config(
                self.stack,
                api_url=api,
                issuer=self.issuer.issuer,
                client_id=client_id,
                signin_url=signin_url,
                basemap_url=basemap_url,
            ),
        )
        if self.signin is not None and signin_url == self.signin.base_url:
            host.config["auth"] = self.signin.auth_config()  # the stand-in's own account of it
        server = web_host.WebServer(host, port=port).start()
        self._services.append(server)
        return server

    def poll_queues(self, *, wait_seconds: int = 1) -> list[QueuePoller]:
        from eoffice import aws

        pollers = [
            QueuePoller(
                trigger,
                self.stack,
                aws.client("sqs"),
                self.workers.invoke,
                wait_seconds=wait_seconds,
            ).start()
            for trigger in self.template.queue_triggers
        ]
        self._services.extend(pollers)
        return pollers

    def run_schedules(self) -> list[Runner]:
        """Fire the template's schedules (rate, cron, at) in the background, as EventBridge would."""
        started = [
            r.start() for r in runners(self.template.schedules, self.stack, self.workers.invoke)
        ]
        self._services.extend(started)
        return started

    def save_state(
        self, api_url: str, *, web_url: str | None = None, push_url: str | None = None
    ) -> Path:
        """``runtime.json``: what ``eoffice token`` and the browser tests read of this run (the
        push service stand-in's port is the OS's choice: a port chosen beforehand and released
        could be taken by the stand-ins started before it)."""
        self.state_dir.mkdir(parents=True, exist_ok=True)
        path = self.state_dir / "runtime.json"
        state = {"stack": self.stack.to_json(), "api_url": api_url, "pid": os.getpid()}
        if self.signin is not None:
            state["signin_url"] = self.signin.base_url
        if web_url is not None:
            state["web_url"] = web_url
        if push_url is not None:
            state["push_url"] = push_url
        path.write_text(json.dumps(state, indent=2))
        return path

    def stop(self) -> None:
        """The services at once (each may wait a second for its thread: a queue's long poll),
        then the functions' environments, then the emulator: within seconds. A service in the
        middle of an invocation (a queue's batch, a schedule's run) would wait for its end: after
        ``SERVICE_GRACE`` the environments are stopped under it, which ends the invocation."""
        services, self._services = self._services, []
        with ThreadPoolExecutor(max(1, len(services))) as stopping:
            stopped = [stopping.submit(service.stop) for service in services]
            futures.wait(stopped, timeout=SERVICE_GRACE)
            self.workers.stop()
        for done in stopped:
            done.result()
        (self.state_dir / "runtime.json").unlink(missing_ok=True)
        self.emulator.stop()

    # ------------------------------------------------------------ conveniences
    def token(self, username: str, **overrides: Any) -> str:
        return self.issuer.issue(username, **overrides)

    def schedule(self, function: str, name: str | None = None) -> ScheduleTrigger:
        spec = self.runtime.spec(function)
        for trigger in self.template.schedules:
            if trigger.function == spec.logical_id and name in {None, trigger.name}:
                return trigger
        named = f" named {name}" if name else ""
        raise ScheduleNotFoundError(f"{spec.logical_id} has no schedule{named} in template.yaml")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@contextlib.contextmanager
def throwaway(
    stack: str, employees: int, parameters: dict[str, str] | None = None
) -> Iterator[LocalEnvironment]:
    """An environment of its own for a benchmark or the fuzzer, whose changes must reach nothing
    else: its own emulator port, state folder and stack name, ``template.yaml`` provisioned (with
    ``parameters``, e.g. the notification channels' local ends) and the demo regency loaded with
    ``employees`` generated employees; all gone afterwards."""
    emulator = emulators.start_moto(emulators.free_port())
    try:
        with tempfile.TemporaryDirectory(prefix=f"{stack}-") as state:
            env = LocalEnvironment.start(
                emulator=emulator, stack_name=stack, state_dir=Path(state), parameters=parameters
            )
            try:
                from eoffice_local.seed import load_demo

                load_demo(employees)
                yield env
            finally:
                env.stop()
    finally:
        emulator.stop()
