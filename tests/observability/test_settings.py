"""The observability settings: METRICS, METRICS_TOKEN, LOG_FORMAT."""

from __future__ import annotations

import pytest

from app.settings import Settings


def test_defaults_serve_metrics_without_a_token_and_log_text() -> None:
    settings = Settings.from_env({})
    assert (settings.metrics, settings.metrics_token, settings.log_format) == (True, None, "text")


def test_environment_switches_metrics_off_sets_a_token_and_json_logs() -> None:
    settings = Settings.from_env({"METRICS": "off", "METRICS_TOKEN": "t0k", "LOG_FORMAT": "JSON"})
    assert (settings.metrics, settings.metrics_token, settings.log_format) == (False, "t0k", "json")


@pytest.mark.parametrize(("env", "message"), [
    ({"LOG_FORMAT": "xml"}, "LOG_FORMAT must be one of text, json, not 'xml'"),
    ({"METRICS": "maybe"}, "METRICS must be a boolean"),
])
def test_bad_values_are_refused_with_one_line(env: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Settings.from_env(env)


def test_a_blank_token_is_refused() -> None:
    with pytest.raises(ValueError, match="METRICS_TOKEN must not be blank"):
        Settings(metrics_token="  ")
