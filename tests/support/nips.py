"""The one generator of the suite's NIPs: every test that needs a NIP nobody holds takes it from
``fresh_nip``, so two helpers can never hand out the same number.

A NIP is valid by ``eoffice.org.nip`` (birth date, appointment month, sex, sequence) and unlike
every demo employee's: the demo appoints nobody after 2025, these are appointed in January 2026.
The number is a counter of this process, offset by the xdist worker's index (``gw3`` is 3), so
it is unique within a run and across workers whatever their process ids.
"""

from __future__ import annotations

import itertools
import os
from datetime import date, timedelta

PER_WORKER = 200_000  # NIPs one process may draw; far more than the suite needs
_BORN_FROM = date(1960, 1, 1)
_SEQUENCES = 999  # sequence 001-999 (000 is not a NIP)
_counter = itertools.count()


def worker_index() -> int:
    """The xdist worker's index (``gw3`` is 3); 0 without xdist."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return int(worker[2:]) if worker.startswith("gw") and worker[2:].isdigit() else 0


def nip_of(number: int) -> str:
    """The ``number``-th NIP: one birth day per 999 sequences, appointed 2026-01, a man.
    Distinct numbers give distinct NIPs."""
    born = _BORN_FROM + timedelta(days=number // _SEQUENCES)
    return f"{born:%Y%m%d}2026011{number % _SEQUENCES + 1:03d}"


def fresh_nip() -> str:
    """A valid NIP that no demo employee and no other call of this run has."""
    number = next(_counter)
    if number >= PER_WORKER:
        raise RuntimeError(f"more than {PER_WORKER} NIPs drawn in one process")
    return nip_of(worker_index() * PER_WORKER + number)
