"""Settings read from the environment that template.yaml gives each function.

Read on every call rather than once at import, so the local runner and the tests can point a process
at a freshly provisioned stack; the values are cheap to read.
"""

from __future__ import annotations

import os

REGENCY_TIMEZONE = "Asia/Makassar"


class MissingSetting(RuntimeError):
    """A variable that template.yaml should have set is absent: a deployment error, not a user's."""


def require(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise MissingSetting(f"environment variable {name} is not set (see template.yaml)")
    return value
