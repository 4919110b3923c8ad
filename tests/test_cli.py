"""The command line: arguments, bad input, a port already in use, graceful shutdown."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from app.__main__ import main
from tests.waiting import poll_until

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def _server(**env: str) -> Iterator[tuple[int, subprocess.Popen[str]]]:
    """``python -m app server`` on a free port; killed if the test leaves it running."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", "server", "--port", str(port)],
        cwd=ROOT, env=dict(os.environ, **env), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        yield port, proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def _wait_until_serving(port: int, proc: subprocess.Popen[str]) -> None:
    def serving() -> bool:
        assert proc.poll() is None, proc.communicate()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1) as response:
            return bool(response.status == 200)

    poll_until(serving, timeout=30, what="the server to answer /", tolerate=(OSError,))


def test_unknown_argument_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["server", "--bogus"])
    assert info.value.code == 2
    assert "unrecognized arguments: --bogus" in capsys.readouterr().err


def test_non_numeric_port_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["server", "--port", "eighty"])
    assert info.value.code == 2
    assert "invalid int value" in capsys.readouterr().err


def test_port_in_use_is_one_clear_line_and_exit_1() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "app", "server", "--port", str(port)],
            cwd=ROOT, capture_output=True, text=True, timeout=60,
        )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: cannot listen on 127.0.0.1:{port}")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signal_stops_the_server_gracefully_with_exit_0(sig: signal.Signals) -> None:
    with _server(ENABLED_MODULES="broker") as (port, proc):
        _wait_until_serving(port, proc)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/broker/health", timeout=5) as response:
            assert response.status == 200
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "Traceback" not in err


async def test_shutdown_closes_websockets_with_1001() -> None:
    import aiohttp

    with _server() as (port, proc):
        await asyncio.to_thread(_wait_until_serving, port, proc)
        async with aiohttp.ClientSession() as session:
            async with session.ws_connect(f"http://127.0.0.1:{port}/api/v1/broker/ws") as ws:
                await ws.send_str('{"type":"orders.subscribe","payload":{"accountId":"A"}}')
                assert (await ws.receive_json())["payload"]["status"] == "ok"
                proc.send_signal(signal.SIGTERM)
                while (msg := await asyncio.wait_for(ws.receive(), timeout=15)).type == aiohttp.WSMsgType.TEXT:
                    pass
                assert msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
                assert ws.close_code == 1001
        _, err = await asyncio.to_thread(proc.communicate, timeout=30)
    assert proc.returncode == 0, err


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"ENGINE_STEP_MS": "0"}, "error: ENGINE_STEP_MS must be at least 10, not 0"),
        ({"SYMBOLS_FILE": "/nonexistent/symbols.json"}, "error: cannot start:"),
    ],
)
def test_bad_configuration_is_one_line_not_a_traceback(env: dict[str, str], expected: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app", "server", "--port", str(_free_port())],
        cwd=ROOT, env=dict(os.environ, **env), capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(expected), result.stderr
