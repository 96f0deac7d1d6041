"""The throw-away local environment every benchmark runs in."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path

from eoffice_local import emulator as emulators
from eoffice_local.environment import LocalEnvironment


@contextlib.contextmanager
def local_environment(stack: str, employees: int) -> Iterator[LocalEnvironment]:
    """Its own emulator port, state folder and stack name, ``template.yaml`` provisioned, and the
    demo regency loaded with ``employees`` generated employees."""
    emulator = emulators.start_moto(emulators.free_port())
    try:
        with tempfile.TemporaryDirectory(prefix=f"{stack}-") as state:
            env = LocalEnvironment.start(emulator=emulator, stack_name=stack, state_dir=Path(state))
            try:
                from eoffice_local.seed import load_demo

                load_demo(employees)
                yield env
            finally:
                env.stop()
    finally:
        emulator.stop()
