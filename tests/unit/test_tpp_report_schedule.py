"""The report function's schedule (``functions/tpp_report``): the month a scheduled run reports
on is the previous one in WITA, and a placeholder left in the event means now."""

from __future__ import annotations

import importlib.util
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.usefixtures("handler_environment")  # the handler validates its settings


def _report_app() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "tpp_report_app", ROOT / "functions/tpp_report/app.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("tpp_report_app", module)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("scheduled", "month"),
    [
        ("2026-11-30T17:00:00Z", "2026-11"),  # 01:00 WITA on 1 December
        ("2026-12-31T17:00:00Z", "2026-12"),  # 01:00 WITA on 1 January
        ("2027-01-31T17:00:00Z", "2027-01"),
        ("2026-12-01T02:00:00Z", "2026-11"),  # a late retry the same morning
    ],
)
def test_the_scheduled_month_is_the_previous_one_in_wita(scheduled: str, month: str) -> None:
    app = _report_app()
    moment = app.scheduled_time({"scheduled_time": scheduled})
    assert app.previous_month(moment) == month


def test_a_placeholder_left_in_the_event_means_now() -> None:
    app = _report_app()
    moment = app.scheduled_time({"scheduled_time": "<aws.scheduler.scheduled-time>"})
    assert moment.tzinfo is not None and abs((moment - datetime.now(UTC)).total_seconds()) < 60
