"""``eoffice bootstrap``: a new deployment's root unit and first admin, written once, after which
that admin can sign in and build the organisation through the API."""

from __future__ import annotations

import os
import subprocess
import sys

from eoffice import settings
from eoffice_local.environment import LocalEnvironment
from eoffice_local.provision import provision
from support.api import Api


def test_bootstrap_a_fresh_table_once(api: Api, local_env: LocalEnvironment) -> None:
    fresh = provision(
        local_env.template,
        stack_name="eoffice-bootstrap",
        endpoint_url=local_env.stack.endpoint_url,
        region=local_env.stack.region,
    )
    table = fresh.refs["OrgTable"]
    command = [
        sys.executable,
        "-m",
        "eoffice_local.cli",
        "bootstrap",
        "--table",
        table,
        "--regency-code",
        "pemkab-uji",
        "--regency-name",
        "Pemerintah Kabupaten Uji",
        "--nip",
        "198001012005011001",
        "--name",
        "Admin Pertama",
        "--username",
        "admin.pertama",
    ]
    environ = {**os.environ}
    first = subprocess.run(
        command, capture_output=True, text=True, env=environ, timeout=120, check=False
    )
    assert first.returncode == 0, first.stderr
    assert "PEMKAB-UJI" in first.stdout
    again = subprocess.run(
        command, capture_output=True, text=True, env=environ, timeout=120, check=False
    )
    assert again.returncode == 2 and "already" in again.stderr
    previous = os.environ["ORG_TABLE"]
    os.environ["ORG_TABLE"] = table
    settings.reset()
    try:
        me = api.get("/me", user="admin.pertama").json
        assert me["roles"] == ["admin"] and me["unit"]["kind"] == "regency"
        created = api.post(
            "/units",
            user="admin.pertama",
            json_body={
                "code": "SETDA",
                "name": "Sekretariat Daerah",
                "kind": "secretariat",
                "parent_id": me["unit"]["unit_id"],
            },
        )
        assert created.status == 201
    finally:
        os.environ["ORG_TABLE"] = previous
        settings.reset()


def test_bootstrap_validates_like_the_api(local_env: LocalEnvironment) -> None:
    command = [
        sys.executable,
        "-m",
        "eoffice_local.cli",
        "bootstrap",
        "--table",
        "whatever",
        "--regency-code",
        "X",
        "--regency-name",
        "Kabupaten",
        "--nip",
        "123",
        "--name",
        "Admin",
        "--username",
        "admin.x",
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 2
    assert "18 digits" in result.stderr
