"""The throw-away local environment every benchmark runs in: its own emulator port, state folder
and stack name, ``template.yaml`` provisioned, and the demo regency loaded with ``employees``
generated employees (``eoffice_local.environment.throwaway``, which the fuzzer uses too)."""

from __future__ import annotations

from eoffice_local.environment import throwaway as local_environment

__all__ = ["local_environment"]
