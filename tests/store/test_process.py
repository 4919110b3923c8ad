"""The store as a user of ``python -m app server`` meets it: the default file, start-up failures."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import urllib.request
from pathlib import Path

from app.store.migrations import SCHEMA_VERSION
from tests.pgserver import free_port
from tests.store.process import BROKER, ROOT, Server


def test_the_default_store_is_created_under_xdg_state_home_named_at_start_and_kept(tmp_path: Path) -> None:
    server = Server(tmp_path, {"LOG_LEVEL": "WARNING"})
    del server.env["STORE_URL"]
    path = tmp_path / "state" / "trader-pro" / "broker.sqlite3"
    server.start()
    try:
        request = urllib.request.Request(server.url + BROKER + "/orders", method="POST",
                                         data=b'{"symbol":"AAPL","type":1,"side":1,"qty":1,"limitPrice":1.5}',
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            order_id = response.read()
    finally:
        server.kill(signal.SIGTERM)
    assert server.proc is not None and server.proc.returncode == 0
    assert path.exists()
    log = server.log.read_text()
    assert f"created the broker store sqlite:///{path}" in log
    assert f"Serving on {server.url} (broker store: sqlite:///{path})" in log
    server.start()
    try:
        with urllib.request.urlopen(server.url + BROKER + "/orders", timeout=10) as response:
            assert order_id[len(b'{"orderId":'):-1] in response.read()
    finally:
        server.kill(signal.SIGTERM)


def start_and_fail(store: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path), "STORE_URL": store}
    return subprocess.run([sys.executable, "-m", "app", "server", "--port", str(free_port())], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=60)


def test_an_unreachable_store_at_start_is_one_line_naming_it_and_exit_1(tmp_path: Path) -> None:
    port = free_port()
    result = start_and_fail(f"postgresql://trader:hunter2@127.0.0.1:{port}/broker", tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"error: cannot start: cannot open store postgresql://trader:***@127.0.0.1:{port}/broker: "
        "[Errno 111] Connection refused"]
    assert "Serving on" not in result.stdout


def test_a_store_of_a_newer_schema_refuses_to_start_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "broker.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        conn.execute("INSERT INTO store_meta VALUES ('schema_version', '7')")
    result = start_and_fail(f"sqlite:///{path}", tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"error: cannot start: store sqlite:///{path} has schema version 7, "
        f"newer than this server's {SCHEMA_VERSION}: "
        "upgrade the server or point STORE_URL elsewhere"]
