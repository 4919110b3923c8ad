"""A real ``python -m app server`` process, for the tests that kill or restart one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.pgserver import free_port

ROOT = Path(__file__).resolve().parents[2]
BROKER = "/api/v1/broker"


class Server:
    """``env`` on top of this one's: the broker alone, errors only, XDG_STATE_HOME in ``tmp``."""

    def __init__(self, tmp: Path, env: dict[str, str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "ENABLED_MODULES": "broker", "XDG_STATE_HOME": str(tmp / "state"),
                    "LOG_LEVEL": "ERROR", **env}
        self.log = tmp / "server.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen([sys.executable, "-m", "app", "server", "--port", str(self.port)],
                                         cwd=ROOT, env=self.env, stdout=log, stderr=log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log.read_text()
            try:
                with urllib.request.urlopen(self.url + BROKER + "/health", timeout=1) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("the server did not start: " + self.log.read_text())

    def kill(self, sig: signal.Signals = signal.SIGKILL) -> None:
        assert self.proc is not None
        self.proc.send_signal(sig)
        self.proc.wait(timeout=30)
