"""One managed process: started detached with its PID file and log file, probed, stopped.

A PID file alone is not proof of life: the PID may have been reused, or the process may be a
zombie nobody reaped yet. ``running`` checks ``/proc`` for a live process whose command line
still contains the marker it was started with.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import orjson


@dataclass(frozen=True, slots=True)
class Spec:
    name: str
    argv: Sequence[str]
    pid_file: Path
    log_file: Path
    marker: str
    """A string of the process's command line (``--port 8101``, the nginx conf path)."""
    env: Mapping[str, str] = field(default_factory=dict)
    cwd: Path | None = None
    port: int | None = None
    health_url: str | None = None


def read_pid(pid_file: Path) -> int | None:
    try:
        return int(pid_file.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def alive(pid: int, marker: str) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return False
    state = stat.rsplit(")", 1)[1].split()[0]
    return state not in ("Z", "X") and marker in cmdline


def running(spec: Spec) -> int | None:
    """The PID when the process is alive, else None."""
    pid = read_pid(spec.pid_file)
    return pid if pid is not None and alive(pid, spec.marker) else None


def start(spec: Spec) -> subprocess.Popen[bytes]:
    """Started in its own session (a terminal's Ctrl-C or the manager's exit does not reach it),
    output appended to its log file, PID file written."""
    spec.pid_file.parent.mkdir(parents=True, exist_ok=True)
    spec.log_file.parent.mkdir(parents=True, exist_ok=True)
    with open(spec.log_file, "ab") as log:
        log.write(f"--- {time.strftime('%Y-%m-%dT%H:%M:%S%z')} starting {spec.name}\n".encode())
        log.flush()
        proc = subprocess.Popen(list(spec.argv), stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                env={**os.environ, **spec.env}, cwd=spec.cwd, start_new_session=True)
    spec.pid_file.write_text(f"{proc.pid}\n")
    return proc


def stop(spec: Spec, timeout: float) -> str:
    """SIGTERM, then SIGKILL when it has not exited after ``timeout``; what happened, in words."""
    pid = running(spec)
    if pid is None:
        spec.pid_file.unlink(missing_ok=True)
        return "not running"
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive(pid, spec.marker):
            spec.pid_file.unlink(missing_ok=True)
            return "stopped"
        time.sleep(0.05)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    while alive(pid, spec.marker):
        time.sleep(0.05)
    spec.pid_file.unlink(missing_ok=True)
    return f"killed (no exit {timeout:g} s after SIGTERM)"


def health(url: str, timeout: float = 2.0) -> tuple[bool, str]:
    """(ready, words) from a ``/health`` readiness endpoint: ``ok``, ``503 <message>``, ``no answer``."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            body = orjson.loads(response.read())
            return True, str(body.get("status", "ok"))
    except urllib.error.HTTPError as exc:
        try:
            message = str(orjson.loads(exc.read()).get("message", ""))
        except (orjson.JSONDecodeError, AttributeError):
            message = ""
        return False, f"{exc.code} {message}".strip()
    except (OSError, ValueError):
        return False, "no answer"


def wait_ready(spec: Spec, timeout: float, proc: subprocess.Popen[bytes] | None = None) -> str | None:
    """None once the process answers its health URL (or is alive, without one); else why not.
    ``proc``: the process just started (until it has exec'd, its command line is not yet its own)."""
    deadline = time.monotonic() + timeout
    last = "not started"
    while time.monotonic() < deadline:
        if (proc.poll() is not None) if proc is not None else (running(spec) is None):
            return f"{spec.name} exited during start-up (see {spec.log_file})"
        if spec.health_url is None:
            return None
        ready, last = health(spec.health_url, timeout=1.0)
        if ready:
            return None
        time.sleep(0.1)
    return f"{spec.name} not ready after {timeout:g} s ({last}; see {spec.log_file})"
