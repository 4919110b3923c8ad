"""A local PostgreSQL under the state directory, for a cluster whose ``store`` is left out.

Debian's server binaries (``/usr/lib/postgresql/N/bin``, ``make cluster-up`` installs the
package) run on 127.0.0.1 with password authentication, as ``tests/pgserver.py`` does; the data
directory is ``STATE/postgres/data`` and survives ``down`` (the broker's state lives there).
``initdb`` refuses root, so as root every server command runs as the ``postgres`` user and the
directory is handed to it. The password is made on first start and kept in
``STATE/postgres/password`` (mode 0600).
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import subprocess
from pathlib import Path

from app.cluster.config import ClusterConfig

USER = "trader"
DATABASE = "trader"


class PostgresError(RuntimeError):
    """One line: which command failed and what it said."""


def bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class LocalPostgres:
    def __init__(self, config: ClusterConfig) -> None:
        self.root = config.state_dir / "postgres"
        self.data = self.root / "data"
        self.log_file = self.root / "postgres.log"
        self.port = config.postgres_port

    @property
    def password_file(self) -> Path:
        return self.root / "password"

    def url(self) -> str:
        password = self.password_file.read_text().strip()
        return f"postgresql://{USER}:{password}@127.0.0.1:{self.port}/{DATABASE}"

    def pid(self) -> int | None:
        """The postmaster's PID from its ``postmaster.pid`` while it runs."""
        try:
            pid = int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None
        try:
            os.kill(pid, 0)
        except OSError:
            return None
        return pid

    def start(self) -> str:
        """Create the cluster on first use, start it, make sure the database exists; its URL."""
        bindir = bin_dir()
        if bindir is None:
            raise PostgresError("PostgreSQL is not installed: `make cluster-up` installs it (apt-get install "
                                "postgresql), or give a postgresql:// store in the cluster file")
        owner = _owner()
        self.root.mkdir(parents=True, exist_ok=True)
        if not self.password_file.exists():
            self.password_file.write_text(secrets.token_urlsafe(18) + "\n")
            self.password_file.chmod(0o600)
        if owner is not None:
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
        if not (self.data / "PG_VERSION").exists():
            pwfile = self.root / "initdb-password"
            pwfile.write_text(self.password_file.read_text())
            if owner is not None:
                os.chown(pwfile, owner.pw_uid, owner.pw_gid)
            try:
                self._run(bindir / "initdb", "-D", str(self.data), "-U", USER, "--auth=scram-sha-256",
                          f"--pwfile={pwfile}", "--encoding=UTF8", "--locale=C.UTF-8", "--no-instructions")
            finally:
                pwfile.unlink(missing_ok=True)
        if self.pid() is None:
            options = f"-p {self.port} -k {self.root} -h 127.0.0.1"
            self._run(bindir / "pg_ctl", "-D", str(self.data), "-l", str(self.log_file), "-o", options,
                      "-w", "-t", "60", "start")
        exists = self._run(bindir / "psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", USER, "-d", "postgres",
                           "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'").stdout.strip()
        if exists != "1":
            self._run(bindir / "createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", USER, DATABASE)
        return self.url()

    def stop(self) -> str:
        bindir = bin_dir()
        if bindir is None or self.pid() is None:
            return "not running"
        self._run(bindir / "pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")
        return "stopped"

    def _run(self, tool: Path, *args: str) -> subprocess.CompletedProcess[str]:
        owner = _owner()
        env = {**os.environ, "PGPASSWORD": self.password_file.read_text().strip()}
        result = subprocess.run([str(tool), *args], capture_output=True, text=True, cwd=self.root, env=env,
                                user=None if owner is None else owner.pw_name, timeout=120, check=False)
        if result.returncode != 0:
            detail = (result.stderr.strip() or result.stdout.strip()).splitlines()
            raise PostgresError(f"{tool.name} failed: {detail[-1] if detail else result.returncode}"
                                + (f" (see {self.log_file})" if tool.name == "pg_ctl" else ""))
        return result


def _owner() -> pwd.struct_passwd | None:
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        raise PostgresError("running as root needs the postgres user (created by Debian's postgresql "
                            "package)") from None
