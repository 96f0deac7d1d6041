"""The names and digests of a report version's files: a file per unit named from its code, and
the SHA-256 that tells one version's data from the next."""

from __future__ import annotations

import hashlib
import re


def unit_names(codes: dict[str, str]) -> dict[str, str]:
    """A file name per unit id from its code (codes may hold '/' or spaces); two codes that
    come out the same get ``~2``, ``~3`` in the order given."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for unit_id, code in codes.items():
        base = re.sub(r"[^A-Za-z0-9._-]+", "_", code).strip("_") or "unit"
        name, number = base, 1
        while name.lower() in taken:
            number += 1
            name = f"{base}~{number}"
        taken.add(name.lower())
        names[unit_id] = name
    return names


def sha256(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()
