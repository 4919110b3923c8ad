"""Shared by the cluster tests: free ports, nginx present (or a skip/failure saying how to get it)."""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from app.cluster import nginx, processes
from app.cluster.config import ClusterConfig
from app.cluster.postgres import LocalPostgres

ROOT = Path(__file__).resolve().parents[2]


def cli(config: ClusterConfig, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app", "cluster", *args, "--config", str(config.path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False)


def kill_leftovers(config: ClusterConfig) -> None:
    """SIGKILL whatever a failed test left running (after ``down``), and stop its PostgreSQL."""
    for pid_file in (config.state_dir / "run").glob("*.pid"):
        pid = processes.read_pid(pid_file)
        if pid is not None:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
    try:
        LocalPostgres(config).stop()
    except Exception:  # already stopped, or never started
        pass


def port_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def free_run(count: int, taken: set[int]) -> int:
    """The first of ``count`` consecutive free ports (none of them in ``taken``)."""
    for _ in range(200):
        base = random.randrange(20000, 60000)
        ports = set(range(base, base + count))
        if not ports & taken and all(port_free(p) for p in ports):
            taken |= ports
            return base
    raise RuntimeError("no run of free ports found")


@contextmanager
def service_dir() -> Iterator[Path]:
    """A temporary directory that nginx's workers and PostgreSQL (other users, when root) may
    enter, as they enter a checkout's ``.local/``; removed afterwards. Not under pytest's
    ``/tmp/pytest-of-USER``: every pytest session run as that user resets it to 0700."""
    path = Path(tempfile.mkdtemp(prefix="trader-cluster-"))
    path.chmod(0o711)
    try:
        yield path
    finally:
        if not os.environ.get("KEEP_CLUSTER_DIR"):  # set it to read the logs of a failed run
            shutil.rmtree(path, ignore_errors=True)


def require_nginx() -> None:
    if nginx.nginx_binary() is not None:
        return
    reason = "nginx is not installed (make nginx, or apt-get install nginx)"
    if os.environ.get("CI") == "true" or os.geteuid() == 0:
        pytest.fail(reason)
    pytest.skip(reason)
