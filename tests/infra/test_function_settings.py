"""Each function's settings model against template.yaml: the model reads exactly the variables the
template gives that function, so a variable added on one side only fails here, not at a cold start
in AWS; and a function started without one fails at once, naming it."""

from __future__ import annotations

from pathlib import Path

import pytest
from eoffice import settings
from eoffice_local.template import load

ROOT = Path(__file__).resolve().parents[2]
LIBRARIES_OWN = {
    "POWERTOOLS_SERVICE_NAME",
    "POWERTOOLS_METRICS_NAMESPACE",
    "POWERTOOLS_LOG_LEVEL",
    "PYDANTIC_DISABLE_PLUGINS",
}
"""Variables the libraries read themselves, not our settings models."""


def test_every_function_reads_what_the_template_gives_it() -> None:
    functions = load(ROOT / "template.yaml").functions
    assert set(settings.FUNCTIONS) == set(functions)
    for logical_id, model in settings.FUNCTIONS.items():
        given = set(functions[logical_id].environment) - LIBRARIES_OWN
        assert settings.variables(model) == given, logical_id


def test_each_handler_loads_its_model_at_cold_start() -> None:
    functions = load(ROOT / "template.yaml").functions
    for logical_id, model in settings.FUNCTIONS.items():
        source = (functions[logical_id].code_uri / "app.py").read_text()
        assert f"settings.load(settings.{model.__name__})" in source, logical_id


def test_a_missing_or_malformed_variable_is_named() -> None:
    environ = {"STAGE": "dev", "ORG_TABLE": "org", "TPP_TABLE": "tpp"}
    with pytest.raises(settings.MisconfiguredFunction) as missing:
        settings.TppSettings.from_environ(environ)
    assert "not set: REPORTS_BUCKET, TPP_RUN_QUEUE_URL" in str(missing.value)
    with pytest.raises(settings.MisconfiguredFunction) as malformed:
        settings.CheckInSettings.from_environ(
            {
                **environ,
                "ATTENDANCE_TABLE": "a",
                "ATTENDANCE_BUCKET": "b",
                "MAX_GPS_ACCURACY_M": "x",
            }
        )
    assert "MAX_GPS_ACCURACY_M" in str(malformed.value)


def test_missing_and_malformed_variables_are_named_together() -> None:
    """A deployment's first invocation names every bad variable, not the first found."""
    with pytest.raises(settings.MisconfiguredFunction) as both:
        settings.CheckInSettings.from_environ(
            {"STAGE": "dev", "ORG_TABLE": "org", "MAX_GPS_ACCURACY_M": "x"}
        )
    message = str(both.value)
    assert "not set: ATTENDANCE_TABLE, ATTENDANCE_BUCKET" in message
    assert "MAX_GPS_ACCURACY_M" in message


def test_empty_parameters_mean_not_configured() -> None:
    signing = settings.Signing.from_environ(
        {"TSA_URL": "", "VERIFY_RATE_LIMIT": "", "BSRE_URL": ""}
    )
    assert signing.tsa_url is None and signing.verify_rate_limit == 20
    assert settings.Bsre.from_environ({"BSRE_URL": ""}).bsre_url is None
