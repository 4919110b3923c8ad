"""A real PostgreSQL server for the tests, started by the test run in a temporary directory.

``PgServer`` runs Debian's binaries (``/usr/lib/postgresql/N/bin``, installed by ``make
postgres``) on a free loopback port with its socket in the same temporary directory. ``initdb``
refuses root, so as root every server command runs as the ``postgres`` user (created by the
package) and the directory is handed to it. Password authentication (scram) is on, so the URLs
the tests use are the URLs a deployment would use.

Fixtures (loaded by ``tests/conftest.py``): ``pg_server`` is one server for the whole session;
``pg_url`` is a fresh database on it for one test; ``own_pg`` is a server of one test module's
own, for the tests that stop and start it (no other test sees the outage). Without PostgreSQL the fixtures skip,
except when ``CI=true`` or when running as root (where ``make test`` installs it): then they fail.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cluster.postgres import bin_dir

USER = "trader"
PASSWORD = "trader-secret"
_databases = itertools.count(1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def require_postgres() -> Path:
    """The binaries' directory; skips or fails (CI, root) when PostgreSQL is not installed."""
    found = bin_dir()
    if found is not None:
        return found
    reason = "PostgreSQL is not installed (make postgres, or apt-get install postgresql)"
    if os.environ.get("CI") == "true" or os.geteuid() == 0:
        pytest.fail(reason)
    pytest.skip(reason)


class PgServer:
    """One ``postgres`` process on 127.0.0.1:``port``; ``stop``/``start`` keep its data."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="trader-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self._owner = self._run_as()
        if self._owner is not None:
            os.chown(self.root, self._owner.pw_uid, self._owner.pw_gid)
        secret = self.root / "pwfile"
        secret.write_text(PASSWORD + "\n")
        if self._owner is not None:
            os.chown(secret, self._owner.pw_uid, self._owner.pw_gid)
        self._pg("initdb", "-D", str(self.data), "-U", USER, "--auth=scram-sha-256",
                 f"--pwfile={secret}", "--encoding=UTF8", "--locale=C.UTF-8", "--no-instructions", "--no-sync")

    @staticmethod
    def _run_as() -> pwd.struct_passwd | None:
        if os.geteuid() != 0:
            return None
        try:
            return pwd.getpwnam("postgres")
        except KeyError:
            pytest.fail("running as root needs the postgres user (created by the postgresql package)")

    def _pg(self, tool: str, *args: str) -> subprocess.CompletedProcess[str]:
        user = None if self._owner is None else self._owner.pw_name
        env = {**os.environ, "PGPASSWORD": PASSWORD}
        result = subprocess.run([str(self.bindir / tool), *args], capture_output=True, text=True,
                                user=user, cwd=self.root, env=env, timeout=120, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"{tool} failed ({result.returncode}): {result.stderr.strip() or result.stdout}")
        return result

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{USER}:{PASSWORD}@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -h 127.0.0.1 -c fsync=off -c full_page_writes=off"
        self._pg("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"), "-o", options,
                 "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        """``fast`` ends every connection at once (what a restart of the server does to a client)."""
        self._pg("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def create_database(self) -> str:
        """A new, empty database; its URL."""
        name = f"test_{os.getpid()}_{next(_databases)}"
        self._pg("psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", USER, "-d", "postgres", "-q",
                 "-v", "ON_ERROR_STOP=1", "-c", f"CREATE DATABASE {name}")
        return self.url(name)

    def close(self) -> None:
        try:
            self.stop("immediate")
        except RuntimeError:
            pass
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    server = PgServer(require_postgres())
    server.start()
    yield server
    server.close()


@pytest.fixture
def pg_url(pg_server: PgServer) -> str:
    return pg_server.create_database()


@pytest.fixture(scope="module")
def own_pg() -> Iterator[PgServer]:
    """A server of the test module's own, for tests that stop and start it."""
    server = PgServer(require_postgres())
    server.start()
    yield server
    server.close()
