"""The signing benchmark's verdicts (bench/signing.py): ours against the strongest stock setup on
the letter (<= 0.2x) and on the scan (<= 1.0x); the production row informs, never decides."""

from __future__ import annotations

from bench import signing
from bench.signing import SigningReport, Timings


def report(ours: float, ours_scan: float, production: float = 400.0) -> SigningReport:
    timings = Timings()
    figures = {
        "stock": 70.0,
        "naive": 150.0,
        "ours": ours,
        "stock_scan": 100.0,
        "ours_scan": ours_scan,
        "production": production,
        "three_signers": 60.0,
        "verify_one": 20.0,
        "verify_three": 60.0,
    }
    for name, ms in figures.items():
        timings.add(name, ms / 1000)
    return SigningReport(8, 2, 2.0, 5.3, timings, [])


def test_both_targets_met_pass_whatever_the_production_row_costs() -> None:
    passing = report(ours=13.0, ours_scan=90.0, production=5000.0)
    assert passing.ratio <= signing.TARGET_RATIO == 0.2
    assert passing.failures() == []
    rendered = passing.render()
    assert "production: whole sign request, B-LT, KMS on moto" in rendered
    assert "issue 5's stock" in rendered and "71.43" in rendered  # 5000 / 70


def test_each_target_missed_is_named() -> None:
    letter_missed = report(ours=21.0, ours_scan=90.0).failures()
    assert letter_missed == ["signing: ours/stock 0.30 (target <= 0.2)"]
    scan_missed = report(ours=13.0, ours_scan=110.0).failures()
    assert scan_missed == ["signing: ours/stock on the scan 1.10 (target <= 1.0)"]
