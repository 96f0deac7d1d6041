"""infra/deploy/publish_web.py against the emulator's WebBucket (as template.yaml provisions it):
the build's objects with their types and cache headers, config.json from the stack's outputs,
the revalidated paths invalidated; a build that carries its own config.json is refused."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from eoffice_local.environment import LocalEnvironment

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "infra" / "deploy" / "publish_web.py"


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("publish_web", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["publish_web"] = module
    spec.loader.exec_module(module)
    return module


publish_web = _module()


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    folder = tmp_path / "dist"
    (folder / "assets").mkdir(parents=True)
    (folder / "index.html").write_text(
        "<!doctype html><script type=module src=/assets/index-C4fe91Ab.js></script>"
    )
    (folder / "assets" / "index-C4fe91Ab.js").write_text("console.log('e-Office')\n")
    (folder / "assets" / "index-Bq3xK9aZ.css").write_text("body{margin:0}\n")
    (folder / "sw.js").write_text("self.addEventListener('fetch', () => {})\n")
    (folder / "workbox-1f2e3d4c.js").write_text("/* workbox */\n")
    (folder / "manifest.webmanifest").write_text('{"name": "e-Office"}')
    (folder / "icon-192.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / ".eoffice-build").touch()
    return folder


@pytest.fixture
def outputs(local_env: LocalEnvironment) -> dict[str, str]:
    """The local stack's outputs, with the sign-in outputs the deployed stack has."""
    found = {k: str(v) for k, v in local_env.stack.outputs.items() if isinstance(v, str)}
    found.setdefault("WebAppClientId", "5b3c9webclient0000000000")
    found.setdefault(
        "SignInUrl", "https://eoffice-dev-luwutimur.auth.ap-southeast-3.amazoncognito.com"
    )
    return found


class Invalidations:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def create_invalidation(self, **call: Any) -> dict[str, Any]:
        self.calls.append(call)
        return {"Invalidation": {"Id": "I2J0OV3Z8H2K5T"}}


def test_publish_uploads_the_build_with_types_and_cache_headers(
    local_env: LocalEnvironment, dist: Path, outputs: dict[str, str]
) -> None:
    from eoffice import aws

    s3 = aws.client("s3")
    cloudfront = Invalidations()
    done = publish_web.publish(dist, outputs, s3=s3, cloudfront=cloudfront)
    bucket = local_env.stack.refs["WebBucket"]
    assert done.bucket == bucket == outputs["WebBucketName"]
    assert done.keys[:3] == [
        "assets/index-Bq3xK9aZ.css",
        "assets/index-C4fe91Ab.js",
        "workbox-1f2e3d4c.js",
    ]
    assert done.keys[-2:] == ["index.html", "config.json"], "what names the assets goes up last"
    expected = {
        "index.html": ("text/html; charset=utf-8", "no-cache"),
        "sw.js": ("text/javascript; charset=utf-8", "no-cache"),
        "manifest.webmanifest": ("application/manifest+json", "no-cache"),
        "config.json": ("application/json", "no-cache"),
        "assets/index-C4fe91Ab.js": (
            "text/javascript; charset=utf-8",
            "public, max-age=31536000, immutable",
        ),
        "assets/index-Bq3xK9aZ.css": (
            "text/css; charset=utf-8",
            "public, max-age=31536000, immutable",
        ),
        "workbox-1f2e3d4c.js": (
            "text/javascript; charset=utf-8",
            "public, max-age=31536000, immutable",
        ),
        "icon-192.png": ("image/png", "public, max-age=3600"),
    }
    listed = {o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]}
    assert listed == set(expected), "every file of the build, no dot file"
    for key, (kind, cache) in expected.items():
        head = s3.head_object(Bucket=bucket, Key=key)
        assert (head["ContentType"], head["CacheControl"]) == (kind, cache), key
    body = s3.get_object(Bucket=bucket, Key="assets/index-C4fe91Ab.js")["Body"].read()
    assert body == (dist / "assets" / "index-C4fe91Ab.js").read_bytes()

    config = json.loads(s3.get_object(Bucket=bucket, Key="config.json")["Body"].read())
    pool = outputs["UserPoolId"]
    authority = f"https://cognito-idp.ap-southeast-3.amazonaws.com/{pool}"
    assert config == {
        "apiUrl": outputs["ApiUrl"],
        "auth": {
            "authority": authority,
            "metadataUrl": f"{authority}/.well-known/openid-configuration",
            "clientId": outputs["WebAppClientId"],
            "scope": "openid email profile",
            "signOutUrl": f"{outputs['SignInUrl']}/logout",
        },
        "stage": "dev",
        "basemapUrl": "",  # no BasemapUrl parameter: the map without tiles
        "basemapAttribution": "",
    }
    (call,) = cloudfront.calls
    assert call["DistributionId"] == outputs["WebDistributionId"]
    assert set(call["InvalidationBatch"]["Paths"]["Items"]) >= {
        "/index.html",
        "/config.json",
        "/sw.js",
    }
    assert done.invalidation == "I2J0OV3Z8H2K5T"


def test_a_build_with_its_own_config_json_or_no_index_is_refused(
    dist: Path, outputs: dict[str, str]
) -> None:
    (dist / "config.json").write_text("{}")
    with pytest.raises(publish_web.PublishError, match=r"config\.json is in the build"):
        publish_web.publish(dist, outputs, invalidate=False)
    (dist / "config.json").unlink()
    (dist / "index.html").unlink()
    with pytest.raises(publish_web.PublishError, match=r"no index\.html"):
        publish_web.publish(dist, outputs, invalidate=False)


def test_a_stack_without_the_sign_in_outputs_is_refused(outputs: dict[str, str]) -> None:
    del outputs["WebAppClientId"]
    with pytest.raises(publish_web.PublishError, match="WebAppClientId"):
        publish_web.config_from_outputs(outputs, "ap-southeast-3")


def test_the_command_reads_outputs_from_a_file(
    local_env: LocalEnvironment, dist: Path, outputs: dict[str, str], tmp_path: Path
) -> None:
    saved = tmp_path / "outputs.json"
    saved.write_text(json.dumps(outputs))
    done = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--outputs-json",
            str(saved),
            "--dist",
            str(dist),
            "--no-invalidate",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env={**_aws_environment(local_env), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert f"to s3://{outputs['WebBucketName']}/" in done.stdout


def _aws_environment(local_env: LocalEnvironment) -> dict[str, str]:
    return {
        "AWS_ENDPOINT_URL": local_env.stack.endpoint_url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": local_env.stack.region,
    }


def test_stack_outputs_come_from_cloudformation_at_aws_endpoint_url(
    local_env: LocalEnvironment, monkeypatch: pytest.MonkeyPatch
) -> None:
    """describe_stacks against the emulator's CloudFormation: the outputs and the Stage."""
    from eoffice import aws

    tiles = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    body = {
        "Parameters": {
            "Stage": {"Type": "String", "Default": "dev"},
            "BasemapUrl": {"Type": "String", "Default": ""},
            "Other": {"Type": "String", "Default": "not for the app"},
        },
        "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
        "Outputs": {"WebBucketName": {"Value": "eoffice-staging-webbucket-1"}},
    }
    stack = "eoffice-publish-test"
    aws.client("cloudformation").create_stack(
        StackName=stack,
        TemplateBody=json.dumps(body),
        Parameters=[
            {"ParameterKey": "Stage", "ParameterValue": "staging"},
            {"ParameterKey": "BasemapUrl", "ParameterValue": tiles},
        ],
    )
    for name, value in _aws_environment(local_env).items():
        monkeypatch.setenv(name, value)
    outputs = publish_web.stack_outputs(stack, local_env.stack.region)
    assert outputs == {
        "WebBucketName": "eoffice-staging-webbucket-1",
        "Stage": "staging",
        "BasemapUrl": tiles,
    }


def test_the_basemap_parameters_reach_config_json(outputs: dict[str, str]) -> None:
    assert publish_web.config_from_outputs(outputs, "ap-southeast-3")["basemapUrl"] == ""
    tiles = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    credit = "(c) OpenStreetMap contributors"
    config = publish_web.config_from_outputs(
        {**outputs, "BasemapUrl": tiles, "BasemapAttribution": credit}, "ap-southeast-3"
    )
    assert (config["basemapUrl"], config["basemapAttribution"]) == (tiles, credit)
