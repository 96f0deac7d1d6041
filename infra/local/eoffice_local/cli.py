"""``eoffice``: the local runner's command line.

- ``eoffice dev``: emulator, template.yaml provisioned, demo data, HTTP API on :3000, queue pollers,
  the sign-in stand-in on :3002 (managed login and OIDC endpoints for the web app), the web
  app (web/, built when its sources changed) on :3001;
- ``eoffice token USERNAME``: a bearer token for a user of the running environment;
- ``eoffice invoke FUNCTION --event FILE`` or ``--schedule [NAME] [--at TIME]``: call a function
  once, in an execution environment of its own (``--at 2026-12-01T01:00+08:00``: the event of that
  scheduled time; no offset: the schedule's time zone);
- ``eoffice signing-key-policy --role-arn ARN``: the key policy a KMS signing key needs so that
  the signing function's role signs with it, to put on a key made before key policies were
  written at creation, or after that role was made anew.
- ``eoffice openapi [--output PATH]``: the whole ``/openapi.json`` document, built in-process,
  into ``web/src/api/openapi.json`` (the web app's API client is generated from it);
- ``eoffice sample-letter FILE`` (a draft to sign) and ``eoffice sample-scan FILE`` (an incoming
  letter to register or drop into the intake bucket).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import signal
import sys
import threading
from datetime import datetime
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from eoffice_local import emulator as emulators
from eoffice_local.bootstrap import AlreadyBootstrappedError
from eoffice_local.environment import (
    DEFAULT_STACK,
    LocalEnvironment,
    NotRunningError,
    ScheduleNotFoundError,
)
from eoffice_local.runtime import FunctionNotFoundError
from eoffice_local.runtime_api import FunctionError
from eoffice_local.signin import local_web_urls
from eoffice_local.workers import DEFAULT_CONCURRENCY

if TYPE_CHECKING:
    from eoffice_local.seed import MonthResult


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="eoffice", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    dev = commands.add_parser("dev", help="run the product locally")
    dev.add_argument("--seed", choices=["demo", "none"], default="demo")
    dev.add_argument("--employees", type=int, default=200, help="generated demo employees")
    dev.add_argument("--port", type=int, default=3000, help="HTTP API port")
    dev.add_argument(
        "--web-port",
        type=int,
        default=3001,
        help="web app port (its /masuk/selesai is the sign-in's allowed callback)",
    )
    dev.add_argument(
        "--no-web", action="store_true", help="neither build nor serve the web app (web/)"
    )
    dev.add_argument(
        "--web-dist", type=Path, help="serve this build of the web app as it is (no npm run)"
    )
    dev.add_argument(
        "--signin-port",
        type=int,
        default=3002,
        help="sign-in port (the stand-in for the user pool domain's managed login)",
    )
    dev.add_argument("--emulator-port", type=int, default=emulators.DEFAULT_PORT)
    dev.add_argument(
        "--bsre-port",
        type=int,
        default=0,
        help="port of the BSrE esign service's local stand-in (default: a free port)",
    )
    dev.add_argument(
        "--push-port",
        type=int,
        default=0,
        help="port of the browser push service's local stand-in, for the browser tests "
        "(default: a free port)",
    )
    dev.add_argument("--stack", default=DEFAULT_STACK)
    dev.add_argument(
        "--concurrency",
        type=_positive,
        default=DEFAULT_CONCURRENCY,
        help="execution environments per function, as Lambda's concurrency (default "
        f"{DEFAULT_CONCURRENCY}; a function's ReservedConcurrentExecutions wins)",
    )

    token = commands.add_parser("token", help="print a bearer token for a seeded user")
    token.add_argument("username")
    token.add_argument("--ttl", type=int, default=3600, help="seconds until it expires")

    invoke = commands.add_parser("invoke", help="invoke a function once with an event")
    invoke.add_argument("function", help="logical id (ApiFunction) or folder name (api)")
    source = invoke.add_mutually_exclusive_group(required=True)
    source.add_argument("--event", type=Path, help="a JSON file with the event ('-' for stdin)")
    source.add_argument(
        "--schedule", nargs="?", const="", metavar="NAME", help="the event its schedule sends"
    )
    invoke.add_argument(
        "--at",
        type=_iso_time,
        metavar="ISO-TIME",
        help="with --schedule: the scheduled time, e.g. 2026-12-01T01:00+08:00 (default now)",
    )
    sample = commands.add_parser(
        "sample-letter", help="write a draft letter PDF with placeholders, to upload and sign"
    )
    sample.add_argument("output", type=Path, help="e.g. surat.pdf")
    sample.add_argument("--signers", type=int, default=1, choices=[1, 2, 3])
    scan = commands.add_parser(
        "sample-scan",
        help="write an incoming letter PDF, as a scanner delivers one (new bytes every time)",
    )
    scan.add_argument("output", type=Path, help="e.g. scan-0001.pdf")
    commands.add_parser(
        "openapi-fragment",
        help="write functions/api/openapi-elsewhere.json (the routes other functions answer)",
    )
    document = commands.add_parser(
        "openapi",
        help="write the whole /openapi.json document (default web/src/api/openapi.json), "
        "from which the web app's API client is generated",
    )
    document.add_argument("--output", type=Path, help="default: web/src/api/openapi.json")
    policy = commands.add_parser(
        "signing-key-policy", help="print the key policy of a KMS signing key, for put-key-policy"
    )
    policy.add_argument("--role-arn", required=True, help="the signing function's role")
    first = commands.add_parser(
        "bootstrap", help="create the root unit and first admin of a new deployment"
    )
    first.add_argument("--table", help="the stack's OrgTable; default: the running local one")
    first.add_argument("--regency-code", required=True, help="e.g. PEMKAB-LUTIM")
    first.add_argument("--regency-name", required=True)
    first.add_argument("--nip", required=True)
    first.add_argument("--name", required=True)
    first.add_argument("--username", required=True, help="as in the Cognito user pool")
    first.add_argument("--email")
    return parser


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text}: at least 1")
    return value


def _iso_time(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r}: expected e.g. 2026-12-01T01:00+08:00"
        ) from None


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    # "Found credentials in environment variables" on every command says nothing to a reader.
    logging.getLogger("botocore.credentials").setLevel(logging.WARNING)
    try:
        if args.command == "dev":
            return dev(args)
        if args.command == "token":
            return token(args)
        if args.command == "bootstrap":
            return bootstrap(args)
        if args.command == "openapi-fragment":
            return openapi_fragment()
        if args.command == "openapi":
            return openapi_document(args.output)
        if args.command == "signing-key-policy":
            from eoffice.signing.backends.kms import key_policy

            print(json.dumps(key_policy(args.role_arn), indent=2))
            return 0
        if args.command == "sample-letter":
            from eoffice_local.sample_letters import letter_with_placeholders

            args.output.write_bytes(letter_with_placeholders(args.signers))
            print(f"wrote {args.output}: [[nomor]], [[tanggal]] and {args.signers} [[ttd]] places")
            return 0
        if args.command == "sample-scan":
            from eoffice_local.sample_letters import received_letter

            number, pdf = received_letter()
            args.output.write_bytes(pdf)
            print(f"wrote {args.output}: a letter of Dinas Pendidikan, nomor {number}")
            return 0
        return invoke(args)
    except (ValidationError, AlreadyBootstrappedError) as error:
        print(f"eoffice: {error}", file=sys.stderr)
        return 2
    except (
        NotRunningError,
        FunctionNotFoundError,
        ScheduleNotFoundError,
        emulators.EmulatorError,
    ) as error:
        print(f"eoffice: {error}", file=sys.stderr)
        return 2


def openapi_fragment() -> int:
    from eoffice_local import openapi_fragment
    from eoffice_local.environment import ROOT
    from eoffice_local.template import load

    path = openapi_fragment.write(load(ROOT / "template.yaml"))
    print(f"wrote {path.relative_to(ROOT)}")
    return 0


def openapi_document(output: Path | None) -> int:
    from eoffice_local import openapi_document
    from eoffice_local.environment import ROOT
    from eoffice_local.template import load

    path = openapi_document.write(
        load(ROOT / "template.yaml"), output or ROOT / openapi_document.WEB_DOCUMENT
    )
    print(f"wrote {path}")
    return 0


def dev(args: argparse.Namespace) -> int:
    """Everything until one SIGINT or SIGTERM, then everything stopped (within seconds)."""
    _stop_on_signals()
    with contextlib.ExitStack() as running:
        try:
            _run_dev(args, running)
            _wait_for_interrupt()
        except KeyboardInterrupt:
            pass
        print("\nstopping...", flush=True)
    return 0


def _run_dev(args: argparse.Namespace, running: contextlib.ExitStack) -> None:
    """Start each part; ``running`` stops them, the last started first."""
    emulator = emulators.use_or_start(args.emulator_port)
    running.callback(emulator.stop)
    print(
        f"emulator: {emulator.endpoint_url} ({'embedded moto' if emulator.embedded else 'external'})"
    )
    from eoffice_local import signing_demo

    signing = signing_demo.start(args.bsre_port)
    running.callback(signing.stop)
    print(f"timestamp authority (demo CA): {signing.pki.tsa_url}")
    print(f"BSrE esign (stand-in): {signing.bsre.base_url}")
    from eoffice_local import notify_demo
    from eoffice_local.environment import STATE_DIR

    notify = notify_demo.start(STATE_DIR, push_port=args.push_port)
    running.callback(notify.stop)
    print(f"WhatsApp Cloud API (stand-in): {notify.whatsapp.base_url}")
    print(f"web push service (stand-in): {notify.push.base_url}")
    callbacks, logouts = local_web_urls(args.web_port)
    parameters = (
        signing.parameters
        | notify.parameters
        | {
            "WebCallbackUrls": ",".join(callbacks),
            "WebLogoutUrls": ",".join(logouts),
            # Web check-ins' assertions come from the app at http://localhost:<web port> (an IP
            # address cannot be a relying party id; the RP id stays the default, localhost).
            "WebAuthnOrigins": f"http://localhost:{args.web_port}",
        }
    )
    env = LocalEnvironment.start(
        emulator=emulator,
        stack_name=args.stack,
        parameters=parameters,
        concurrency=args.concurrency,
    )
    running.callback(env.stop)
    signing_demo.store_bsre_credentials()
    notify.store()
    if env.stack.skipped:
        print(f"not emulated (no local equivalent needed): {', '.join(sorted(env.stack.skipped))}")
    if args.seed == "demo":
        from eoffice_local.seed import load_demo_with_month

        result, month = load_demo_with_month(args.employees)
        state = "already loaded" if result.already_there else f"{result.employees} employees"
        print(f"demo regency: {result.units} units, {result.offices} offices, {state}")
        print(f"demo attendance: {_describe_month(month)}")
        signers = signing_demo.load_signers(signing.pki, also_trusted=(signing.bsre.pki,))
        print(f"signing keys (emulator KMS, demo CA): {', '.join(signers)}")
        bsre_signer = signing_demo.load_bsre_signer(signing)
        print(f"signing at BSrE (stand-in): {bsre_signer}")
    env.poll_queues()
    for runner in env.run_schedules():
        print(f"schedule: {runner.trigger.name} {runner.describe()}")
    server = env.serve(port=args.port)
    signin = env.serve_signin(args.signin_port)
    push_url = notify.push.base_url
    env.save_state(server.url, push_url=push_url)  # `eoffice token` works while the web builds
    web_url = None if args.no_web else _serve_web(env, args)
    env.save_state(server.url, web_url=web_url, push_url=push_url)
    _print_welcome(server.url, signin.url, web_url, bsre=args.seed == "demo")


def _serve_web(env: LocalEnvironment, args: argparse.Namespace) -> str:
    """Build web/ when its sources changed (unless a build is named), then host it; a failed
    build still hosts the page that says the app is not built, and the API runs on."""
    from eoffice_local import web_build
    from eoffice_local.environment import ROOT

    dist = args.web_dist
    if dist is None:
        dist = ROOT / "web" / "dist"
        try:
            web_build.ensure_built(ROOT / "web")
        except web_build.BuildError as error:
            print(f"web app: {error}", flush=True)
    return env.serve_web(port=args.web_port, dist=dist.resolve()).url


def _describe_month(month: MonthResult) -> str:
    if month.already_there:
        return f"{month.month} already loaded"
    return (
        f"{month.month} for {month.employees} employees ({month.checkins} check-ins, "
        f"{month.leave} leave, {month.corrections} corrections, {month.penalties} penalties), "
        "for its TPP report"
    )


def _print_welcome(
    url: str, signin_url: str, web_url: str | None = None, *, bsre: bool = False
) -> None:
    web = f"Aplikasi web  {web_url}\n" if web_url else ""
    from eoffice_local import signing_demo as demo

    # Local demo values of the stand-in (no real NIK, no real passphrase): fine to print.
    at_bsre = (
        f"\nBSrE (stand-in): {demo.BSRE_SIGNER} NIK {demo.BSRE_NIK} passphrase "
        f"{demo.BSRE_PASSPHRASE}\n    (demo values of the local stand-in; he types them to sign)"
        if bsre
        else ""
    )
    print(
        f"""
{web}HTTP API      {url}
Swagger UI    {url}/docs
OpenAPI       {url}/openapi.json
Health        {url}/health
Sign-in       {signin_url}/.well-known/openid-configuration
              (managed login's stand-in for the web app: pick a demo official, no password)

Sign in as a demo official (admin, bupati, sekda, kadis.kominfo, tu.kominfo, staf.kominfo,
kepala.bkpsdm, tpp.bkpsdm), in another shell:
    TOKEN=$(.venv/bin/eoffice token kadis.kominfo)
    curl -H "Authorization: Bearer $TOKEN" {url}/me
A letter to sign (bupati, sekda and kadis.kominfo have keys): .venv/bin/eoffice sample-letter surat.pdf{at_bsre}
Ctrl-C stops everything.""",
        flush=True,
    )


def _stop_on_signals() -> None:
    """One SIGINT (Ctrl-C) or SIGTERM stops ``eoffice dev``, also one started in the background
    by a script, whose SIGINT the shell set to ignored: the handlers are installed explicitly.
    Further signals while stopping are let pass, so the stop is not cut short."""

    def interrupt(signum: int, frame: FrameType | None) -> None:
        for name in (signal.SIGINT, signal.SIGTERM):
            signal.signal(name, lambda *_: None)
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, interrupt)


def _wait_for_interrupt() -> None:
    forever = threading.Event()
    while not forever.wait(0.5):
        pass


def token(args: argparse.Namespace) -> int:
    env = LocalEnvironment.attach()
    from eoffice.org import store

    nip = store.nip_for_username(args.username.lower())
    if nip is None:
        print(f"eoffice: no employee signs in as {args.username!r}", file=sys.stderr)
        return 2
    employee = store.get_employee(nip)
    email = employee.email if employee else None
    print(env.issuer.issue(args.username.lower(), ttl=args.ttl, email=email))
    return 0


def invoke(args: argparse.Namespace) -> int:
    if args.at is not None and args.schedule is None:
        print("eoffice: --at goes with --schedule", file=sys.stderr)
        return 2
    env = LocalEnvironment.attach()
    event: Any
    if args.event is not None:
        text = sys.stdin.read() if str(args.event) == "-" else args.event.read_text()
        event = json.loads(text)
    else:
        event = _schedule_event(env, args.function, args.schedule or None, args.at)
    try:
        result = env.workers.invoke(args.function, event)
    except FunctionError as error:  # as `aws lambda invoke` shows it: the error payload
        print(json.dumps(error.payload, indent=2))
        return 1
    finally:
        env.workers.stop()
    print(json.dumps(result, indent=2, default=str))
    return 0


def _schedule_event(
    env: LocalEnvironment, function: str, name: str | None, at: datetime | None
) -> Any:
    """The event the schedule sends; a time without an offset is read in the schedule's zone,
    as its ``cron(...)`` is."""
    from eoffice_local.events import scheduled_event

    trigger = env.schedule(function, name)
    if at is not None and at.tzinfo is None:
        at = at.replace(tzinfo=ZoneInfo(trigger.timezone or "UTC"))
    return scheduled_event(trigger, env.stack, at)


def bootstrap(args: argparse.Namespace) -> int:
    """Against AWS: ``AWS_PROFILE=... eoffice bootstrap --table <OrgTableName output> ...``."""
    if args.table:
        os.environ["ORG_TABLE"] = args.table
    else:
        LocalEnvironment.attach()
    from eoffice_local.bootstrap import bootstrap as create_first_admin

    root, admin = create_first_admin(
        regency_code=args.regency_code,
        regency_name=args.regency_name,
        nip=args.nip,
        name=args.name,
        username=args.username,
        email=args.email,
    )
    print(f"root unit {root.code} ({root.unit_id}); admin {admin.username} (NIP {admin.nip})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
