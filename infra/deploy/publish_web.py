"""Publish the web app's build to a deployed stack: dev-only tooling, never shipped.

    npm --prefix web ci && npm --prefix web run build
    AWS_PROFILE=... python infra/deploy/publish_web.py --stack eoffice-prod

Reads the stack's outputs (``describe_stacks``; ``AWS_ENDPOINT_URL`` is honoured, so it also runs
against an emulator), uploads ``web/dist`` to ``WebBucketName`` with each file's content type and
Cache-Control (the same rules the local web host follows: hashed assets immutable for a year;
index.html, sw.js, the manifest and config.json revalidated every time), writes ``config.json``
from the outputs (docs/decisions/0020-web-hosting.md), and invalidates the revalidated paths on
``WebDistributionId``. Hashed assets go up first and index.html last, so a browser never gets an
index naming files not uploaded yet; earlier builds' assets stay for browsers that still run them.
``--outputs-json FILE`` takes the outputs from a file instead of CloudFormation.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
from eoffice_local.web_host import IMMUTABLE, NO_CACHE, cache_control, content_type

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_REGION = "ap-southeast-3"
CONFIG = "config.json"
CONFIG_PARAMETERS = ("Stage", "BasemapUrl", "BasemapAttribution")
"""The stack's parameters config.json needs besides its outputs."""


class PublishError(RuntimeError):
    """The stack or the build is not what publishing needs."""


@dataclass(frozen=True)
class Published:
    bucket: str
    keys: list[str]
    config: dict[str, Any]
    invalidation: str | None


def stack_outputs(stack: str, region: str) -> dict[str, str]:
    """The stack's outputs by key, and its parameters ``Stage``, ``BasemapUrl`` and
    ``BasemapAttribution`` under their own names."""
    cloudformation = boto3.client("cloudformation", region_name=region, endpoint_url=_endpoint())
    (described,) = cloudformation.describe_stacks(StackName=stack)["Stacks"]
    outputs = {o["OutputKey"]: o["OutputValue"] for o in described.get("Outputs", [])}
    for parameter in described.get("Parameters", []):
        if parameter["ParameterKey"] in CONFIG_PARAMETERS:
            outputs.setdefault(parameter["ParameterKey"], parameter.get("ParameterValue", ""))
    return outputs


def config_from_outputs(outputs: dict[str, str], region: str) -> dict[str, Any]:
    """/config.json as the app reads it at start, from the stack's outputs."""
    missing = sorted({"ApiUrl", "UserPoolId", "WebAppClientId", "SignInUrl"} - set(outputs))
    if missing:
        raise PublishError(f"the stack has no outputs {', '.join(missing)} (is it up to date?)")
    authority = outputs.get("UserPoolIssuer") or (
        f"https://cognito-idp.{region}.amazonaws.com/{outputs['UserPoolId']}"
    )
    return {
        "apiUrl": outputs["ApiUrl"].rstrip("/"),
        "auth": {
            "authority": authority,
            "metadataUrl": f"{authority}/.well-known/openid-configuration",
            "clientId": outputs["WebAppClientId"],
            "scope": "openid email profile",
            "signOutUrl": f"{outputs['SignInUrl'].rstrip('/')}/logout",
        },
        "stage": outputs.get("Stage", "dev"),
        "basemapUrl": outputs.get("BasemapUrl", ""),
        "basemapAttribution": outputs.get("BasemapAttribution", ""),
    }


def upload_order(dist: Path) -> list[str]:
    """The build's keys: what nothing names first (assets), what names them last (index.html);
    dot files (the build stamp) are not the app's. A config.json in the build is refused: the
    runtime config is the stack's, written at deploy."""
    if not (dist / "index.html").is_file():
        raise PublishError(f"{dist} has no index.html: build the app first (npm run build)")
    keys = sorted(
        path.relative_to(dist).as_posix()
        for path in dist.rglob("*")
        if path.is_file() and not any(p.startswith(".") for p in path.relative_to(dist).parts)
    )
    if CONFIG in keys:
        raise PublishError(f"{dist}/{CONFIG} is in the build; it must come from the stack only")

    def rank(key: str) -> tuple[int, str]:
        if cache_control(key) == IMMUTABLE:
            return 0, key
        if key == "index.html":
            return 3, key
        return (2 if key in NO_CACHE else 1), key

    return sorted(keys, key=rank)


def publish(
    dist: Path,
    outputs: dict[str, str],
    *,
    region: str = DEFAULT_REGION,
    s3: Any = None,
    cloudfront: Any = None,
    invalidate: bool = True,
) -> Published:
    bucket = outputs.get("WebBucketName")
    if not bucket:
        raise PublishError("the stack has no WebBucketName output")
    config = config_from_outputs(outputs, region)
    s3 = s3 or boto3.client("s3", region_name=region, endpoint_url=_endpoint())
    keys = upload_order(dist)
    for key in keys:
        s3.put_object(
            Bucket=bucket,
            Key=key,
            Body=(dist / key).read_bytes(),
            ContentType=content_type(key),
            CacheControl=cache_control(key),
        )
    s3.put_object(
        Bucket=bucket,
        Key=CONFIG,
        Body=json.dumps(config, indent=2).encode(),
        ContentType=content_type(CONFIG),
        CacheControl=cache_control(CONFIG),
    )
    invalidation = None
    if invalidate:
        cloudfront = cloudfront or boto3.client(
            "cloudfront", region_name=region, endpoint_url=_endpoint()
        )
        paths = sorted(f"/{name}" for name in NO_CACHE)
        answer = cloudfront.create_invalidation(
            DistributionId=outputs["WebDistributionId"],
            InvalidationBatch={
                "Paths": {"Quantity": len(paths), "Items": paths},
                "CallerReference": str(uuid.uuid4()),
            },
        )
        invalidation = str(answer["Invalidation"]["Id"])
    return Published(bucket, [*keys, CONFIG], config, invalidation)


def _endpoint() -> str | None:
    return os.environ.get("AWS_ENDPOINT_URL") or None


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--stack", help="the deployed stack's name, e.g. eoffice-prod")
    source.add_argument("--outputs-json", type=Path, help="the stack's outputs as a JSON object")
    parser.add_argument("--region", default=os.environ.get("AWS_REGION") or DEFAULT_REGION)
    parser.add_argument("--dist", type=Path, default=ROOT / "web" / "dist")
    parser.add_argument("--no-invalidate", action="store_true", help="leave CloudFront as it is")
    return parser.parse_args(argv)


def _outputs(args: argparse.Namespace) -> dict[str, str]:
    if args.outputs_json is not None:
        loaded = json.loads(args.outputs_json.read_text())
        if not isinstance(loaded, dict):
            raise PublishError(f"{args.outputs_json}: expected a JSON object of outputs")
        return {str(k): str(v) for k, v in loaded.items()}
    return stack_outputs(args.stack, args.region)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    try:
        done = publish(
            args.dist, _outputs(args), region=args.region, invalidate=not args.no_invalidate
        )
    except PublishError as error:
        print(f"publish_web: {error}", file=sys.stderr)
        return 2
    for line in _summary(done):
        print(line)
    return 0


def _summary(done: Published) -> Iterator[str]:
    yield f"uploaded {len(done.keys)} files to s3://{done.bucket}/ (config.json last)"
    yield f"config.json: apiUrl {done.config['apiUrl']}, stage {done.config['stage']}"
    if done.invalidation:
        yield f"invalidation {done.invalidation} for the revalidated files"


if __name__ == "__main__":
    raise SystemExit(main())
