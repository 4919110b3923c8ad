"""Settings from env + CLI, and ENABLED_MODULES exactly as CONTRACT §1.5."""

from __future__ import annotations

import pytest

from app.settings import Settings, parse_enabled_modules, parse_liquidity


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ("broker", "datafeed")),
        ("all", ("broker", "datafeed")),
        ("ALL", ()),
        ("broker", ("broker",)),
        (" datafeed , broker ", ("broker", "datafeed")),
        ("broker,unknown", ("broker",)),
        ("", ()),
        (",", ()),
        ("Broker", ()),
    ],
)
def test_enabled_modules_semantics(value: str | None, expected: tuple[str, ...]) -> None:
    assert parse_enabled_modules(value) == expected


def test_settings_read_the_environment() -> None:
    settings = Settings.from_env(
        {"HOST": "127.0.0.2", "PORT": "9001", "ENABLED_MODULES": "datafeed", "LIQUIDITY": "AAPL=10, MSFT=2.5"}
    )
    assert (settings.host, settings.port, settings.modules) == ("127.0.0.2", 9001, ("datafeed",))
    assert dict(settings.liquidity) == {"AAPL": 10.0, "MSFT": 2.5}


def test_defaults_bind_loopback_with_both_modules() -> None:
    settings = Settings.from_env({})
    assert (settings.host, settings.port, settings.modules) == ("127.0.0.1", 8000, ("broker", "datafeed"))
    assert settings.access_log is False


def test_bad_numbers_in_the_environment_are_refused() -> None:
    with pytest.raises(ValueError):
        Settings.from_env({"PORT": "eighty"})


def test_liquidity_parsing_skips_blanks() -> None:
    assert parse_liquidity("AAPL=1,,") == {"AAPL": 1.0}


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PORT": "abc"}, "PORT must be an integer, not 'abc'"),
        ({"PORT": "70000"}, "PORT must be between 0 and 65535"),
        ({"ENGINE_STEP_MS": "0"}, "ENGINE_STEP_MS must be at least 10"),
        ({"WS_HARD_LIMIT_BYTES": "0"}, "WS_HARD_LIMIT_BYTES must be at least 65536"),
        ({"ACCESS_LOG": "maybe"}, "ACCESS_LOG must be a boolean"),
        ({"LIQUIDITY": "AAPL=lots"}, "LIQUIDITY must look like AAPL=100,MSFT=50"),
        ({"LIQUIDITY": "AAPL=0"}, "LIQUIDITY for AAPL must be positive"),
    ],
)
def test_bad_settings_are_refused_naming_the_variable(env: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Settings.from_env(env)
