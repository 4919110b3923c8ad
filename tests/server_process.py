"""A real ``python -m app server`` process for a test: started on a port the kernel picks, waited for
until it prints its address and answers, and stopped (terminate, then kill) however the test ends.

``--port 0`` binds before start-up and the server prints ``Serving on http://HOST:PORT``, so the
port is read from its output: no probing for a free port that another process could take first.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from tests.waiting import poll_until

SERVING = re.compile(r"^Serving on (http://[^\s]+).*\n", re.MULTILINE)


@dataclass
class ServerProcess:
    proc: subprocess.Popen[bytes]
    log: IO[bytes]
    url: str = ""

    def output(self) -> str:
        """Everything the server wrote so far (stdout and stderr, interleaved)."""
        self.log.flush()
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def _address(self) -> str:
        if self.proc.poll() is not None:
            raise AssertionError(f"the server exited with {self.proc.returncode}:\n{self.output()[-3000:]}")
        found = SERVING.search(self.output())
        return found.group(1) if found else ""


@contextmanager
def server_process(
    *args: str,
    cwd: Path,
    env: Mapping[str, str] | None = None,
    python: Sequence[str] = (sys.executable,),
    ready_path: str = "/api/v1/datafeed/health",
    timeout: float = 60.0,
) -> Iterator[ServerProcess]:
    """``python -m app server --host 127.0.0.1 --port 0 *args`` in ``cwd``; yields once the server
    answers ``ready_path`` (any HTTP status; ``/`` suits a server without the datafeed module).
    ``env`` replaces the environment (default: this one with ``STORE_URL=memory:``)."""
    environment = dict(env) if env is not None else {**os.environ, "STORE_URL": "memory:"}
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            [*python, "-m", "app", "server", "--host", "127.0.0.1", "--port", "0", *args],
            cwd=cwd, env=environment, stdout=log, stderr=subprocess.STDOUT,
        )
        server = ServerProcess(proc, log)
        try:
            server.url = poll_until(server._address, timeout, interval=0.05, what="the server to print its address")
            poll_until(lambda: _answers(server.url + ready_path), timeout, interval=0.05,
                       what=f"the server to answer {ready_path}", tolerate=(OSError,))
            yield server
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=10):
            return True
    except urllib.error.HTTPError:
        return True
