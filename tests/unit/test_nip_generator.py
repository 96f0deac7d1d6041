"""The suite's one NIP generator: valid NIPs, never the same twice, in no worker's range twice,
never a demo employee's."""

from __future__ import annotations

import pytest
from eoffice.org.nip import nip_problem
from support.nips import PER_WORKER, fresh_nip, nip_of, worker_index


def test_every_nip_drawn_is_valid_and_new() -> None:
    drawn = [fresh_nip() for _ in range(3000)]
    assert len(set(drawn)) == len(drawn)
    assert [nip for nip in drawn if nip_problem(nip)] == []


def test_workers_draw_from_ranges_of_their_own() -> None:
    # The first and last NIP of four workers' ranges: all distinct, all valid.
    edges = [nip_of(w * PER_WORKER + n) for w in range(4) for n in (0, 1, PER_WORKER - 1)]
    assert len(set(edges)) == len(edges)
    assert [nip for nip in edges if nip_problem(nip)] == []
    numbers = range(0, 40 * PER_WORKER, 997)  # a sample across forty workers
    assert len({nip_of(n) for n in numbers}) == len(numbers)


@pytest.mark.parametrize(("worker", "index"), [("gw0", 0), ("gw7", 7), ("", 0), ("master", 0)])
def test_the_worker_index(monkeypatch: pytest.MonkeyPatch, worker: str, index: int) -> None:
    monkeypatch.setenv("PYTEST_XDIST_WORKER", worker)
    assert worker_index() == index


def test_no_demo_employee_is_appointed_when_the_suite_appoints() -> None:
    # The demo appoints nobody after 2025 (demo_data), the suite everyone in January 2026.
    assert {fresh_nip()[8:14] for _ in range(10)} == {"202601"}
