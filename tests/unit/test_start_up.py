"""What keeps a cold start short (issue 19): a function builds only its own settings models, and
the X-Ray SDK patches only what our code calls. Each check runs in a fresh interpreter, since
this test process has long imported everything."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAYER = ROOT / "layers" / "eoffice"


def _run(code: str, **environment: str) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(LAYER), **environment}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_a_function_builds_only_its_own_settings() -> None:
    loaded = _run(
        "import json, sys\n"
        "from eoffice import settings\n"
        "settings.DeadlinesSettings\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('eoffice.settings'))))"
    )
    assert loaded == ["eoffice.settings", "eoffice.settings.deadlines"]


def test_every_group_and_model_is_found_where_the_layer_asks_for_it() -> None:
    from eoffice import settings
    from eoffice.settings import CheckInLimits

    assert settings.CheckInLimits is CheckInLimits
    assert issubclass(settings.AttendanceSettings, settings.WebAuthn)
    assert issubclass(settings.ApiSettings, settings.UploadLimit)
    assert set(settings.FUNCTIONS) >= {"ApiFunction", "CheckInFunction", "SignInsFunction"}
    try:
        settings.NoSuchGroup  # noqa: B018
    except AttributeError as error:
        assert "NoSuchGroup" in str(error)
    else:
        raise AssertionError("an unknown name must raise AttributeError")


def test_the_tracer_patches_aws_calls_and_http_only(tmp_path: Path) -> None:
    """In Lambda (``LAMBDA_TASK_ROOT`` set, tracing on) Powertools' default patches every library
    the X-Ray SDK knows, importing each one; ours records AWS calls and outgoing HTTP."""
    found = _run(
        "import json, sys\n"
        "from eoffice import observability\n"
        "observability.tracer()\n"
        "from aws_xray_sdk.core import patcher\n"
        "print(json.dumps({'patched': sorted(patcher._PATCHED_MODULES),\n"
        "                  'httpx': 'httpx' in sys.modules}))",
        LAMBDA_TASK_ROOT=str(tmp_path),
        AWS_LAMBDA_FUNCTION_NAME="test",
        POWERTOOLS_TRACE_DISABLED="false",
        AWS_XRAY_SDK_ENABLED="true",
    )
    assert found == {"patched": ["botocore", "httplib"], "httpx": False}
