"""Choosing the store: STORE_URL / --store, STORE_SYNC, and the default file outside the source tree."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.__main__ import _parser, settings_from_args
from app.settings import Settings, default_store_url

ROOT = Path(__file__).resolve().parents[2]


def test_the_server_default_is_a_sqlite_file_under_xdg_state_home(tmp_path: Path) -> None:
    settings = Settings.from_env({"XDG_STATE_HOME": str(tmp_path)})
    assert settings.store_url == f"sqlite:///{tmp_path}/trader-pro/broker.sqlite3"
    assert settings.store_sync == "normal"


@pytest.mark.parametrize("state", [None, "", "relative/dir"])
def test_an_unset_empty_or_relative_xdg_state_home_means_dot_local_state(state: str | None) -> None:
    env = {"HOME": "/home/ann"} if state is None else {"HOME": "/home/ann", "XDG_STATE_HOME": state}
    assert default_store_url(env) == "sqlite:////home/ann/.local/state/trader-pro/broker.sqlite3"


def test_settings_built_in_code_keep_nothing() -> None:
    assert Settings().store_url == "memory:"


@pytest.mark.parametrize("url", ["memory:", "sqlite:///tmp/b.sqlite3", "sqlite:////abs/b.sqlite3",
                                 "postgresql://u:p@127.0.0.1:5432/db", "postgres://u@h/db"])
def test_store_url_accepts_the_three_kinds(url: str) -> None:
    assert Settings.from_env({"STORE_URL": url}).store_url == url


@pytest.mark.parametrize(("env", "message"), [
    ({"STORE_URL": "mysql://x"}, "STORE_URL must be memory:, sqlite:///PATH or postgresql://"),
    ({"STORE_URL": "sqlite:///"}, "STORE_URL must be memory:"),
    ({"STORE_URL": "memory:", "STORE_SYNC": "sometimes"}, "STORE_SYNC must be one of normal, full, not 'sometimes'"),
])
def test_bad_store_settings_are_refused_with_their_name(env: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        Settings.from_env(env)


def test_store_sync_full_is_read_case_insensitively() -> None:
    assert Settings.from_env({"STORE_URL": "memory:", "STORE_SYNC": "FULL"}).store_sync == "full"


def test_the_store_option_overrides_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("STORE_URL", "memory:")
    args = _parser().parse_args(["server", "--store", f"sqlite:///{tmp_path}/x.sqlite3"])
    assert settings_from_args(args).store_url == f"sqlite:///{tmp_path}/x.sqlite3"


def test_a_bad_store_option_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "app", "server", "--store", "redis://x"], cwd=ROOT,
                            capture_output=True, text=True, timeout=60, env={"PATH": "/usr/bin",
                                                                             "XDG_STATE_HOME": str(tmp_path)})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: STORE_URL must be memory:, sqlite:///PATH or postgresql://user:pass@host:port/db, not 'redis://x'"]
