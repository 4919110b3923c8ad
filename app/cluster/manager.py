"""What ``up``, ``down``, ``status`` and ``logs`` do with the processes a cluster file describes.

``up``: the store (a local PostgreSQL when none is given), the broker instances (each told the
gateway's hash ring, ``BROKER_PEERS``, and its own place on it, ``BROKER_SELF``: it takes the
accounts the ring gives it, see app/broker/api/accounts.py), the datafeed instances, the
gateway with a freshly written configuration, then the supervisor. Each step waits for
readiness, so ``up`` returning 0 means the cluster serves. ``down`` goes the other way:
supervisor first (nothing is restarted while stopping), gateway, instances (SIGTERM, SIGKILL
after ``stop_timeout_s``), PostgreSQL.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.cluster import nginx, processes
from app.cluster.config import ClusterConfig, Instance
from app.cluster.postgres import LocalPostgres
from app.cluster.processes import Spec

READY_TIMEOUT_S = 60.0
Say = Callable[[str], None]


class ClusterError(RuntimeError):
    """One line for the terminal."""


@dataclass(frozen=True, slots=True)
class Row:
    name: str
    state: str
    pid: int | None
    port: int | None
    health: str


def store_url(config: ClusterConfig) -> str:
    return config.store if config.store is not None else LocalPostgres(config).url()


def instance_spec(config: ClusterConfig, instance: Instance, store: str | None = None) -> Spec:
    state = config.state_dir
    env = {
        "HTTP_MAX_CONNECTIONS_PER_ADDRESS": "0",  # every connection comes from the gateway
        **config.env,
        "HOST": "127.0.0.1",
        "PORT": str(instance.port),
        "ENABLED_MODULES": instance.module,
        "AUTH": config.auth,
        "MARKET_SEED": str(config.market_seed),
        "TRUSTED_PROXIES": "127.0.0.1",
    }
    if instance.module == "broker":
        brokers = [i for i in config.instances if i.module == "broker"]
        env["BROKER_PEERS"] = ",".join(nginx.upstream_address(i) for i in brokers)
        env["BROKER_SELF"] = nginx.upstream_address(instance)
    if instance.module == "broker" or config.auth == "required":
        env["STORE_URL"] = store if store is not None else store_url(config)
    else:
        env["STORE_URL"] = "memory:"
    return Spec(
        name=instance.name,
        argv=[sys.executable, "-m", "app", "server", "--port", str(instance.port), "--modules", instance.module],
        pid_file=state / "run" / f"{instance.name}.pid",
        log_file=state / "logs" / f"{instance.name}.log",
        marker=f"--port {instance.port}",
        env=env,
        cwd=config.path.resolve().parent,
        port=instance.port,
        health_url=f"http://127.0.0.1:{instance.port}/api/v1/{instance.module}/health",
    )


def gateway_spec(config: ClusterConfig) -> Spec:
    binary = nginx.nginx_binary() or "nginx"
    conf = config.state_dir / "nginx" / "nginx.conf"
    some = next(iter(config.instances))
    return Spec(
        name="gateway",
        argv=[binary, "-p", str(config.state_dir / "nginx"), "-c", str(conf),
              "-e", str(config.state_dir / "logs" / "gateway-error.log")],
        pid_file=config.state_dir / "run" / "gateway.pid",
        log_file=config.state_dir / "logs" / "gateway.log",
        marker=str(conf),
        port=config.gateway_port,
        health_url=f"{config.gateway_url}/api/v1/{some.module}/health",
    )


def supervisor_spec(config: ClusterConfig) -> Spec:
    path = str(config.path.resolve())
    return Spec(
        name="supervisor",
        argv=[sys.executable, "-m", "app", "cluster", "supervise", "--config", path],
        pid_file=config.state_dir / "run" / "supervisor.pid",
        log_file=config.state_dir / "logs" / "supervisor.log",
        marker=f"supervise --config {path}",
        cwd=config.path.resolve().parent,
    )


def start_ready(spec: Spec, say: Say) -> bool:
    """Start ``spec`` and wait for its readiness; False when it was running already."""
    if processes.running(spec) is not None:
        say(f"{spec.name}: already running")
        return False
    proc = processes.start(spec)
    problem = processes.wait_ready(spec, READY_TIMEOUT_S, proc)
    if problem is not None:
        raise ClusterError(problem)
    say(f"{spec.name}: started (pid {processes.running(spec)}{f', port {spec.port}' if spec.port else ''})")
    return True


def up(config: ClusterConfig, say: Say) -> None:
    if nginx.nginx_binary() is None:
        raise ClusterError("nginx is not installed: `make cluster-up` installs it (apt-get install nginx)")
    for sub in ("run", "logs"):
        (config.state_dir / sub).mkdir(parents=True, exist_ok=True)
    supervisor = supervisor_spec(config)
    if processes.running(supervisor) is not None:  # it may watch another set of instances: a new one follows
        processes.stop(supervisor, config.stop_timeout_s)
    if config.local_postgres:
        pg = LocalPostgres(config)
        started = pg.pid() is None
        pg.start()
        say(f"postgres: {'started' if started else 'already running'} (port {config.postgres_port}, "
            f"data {pg.data})")
    store = store_url(config)
    for instance in config.instances:
        start_ready(instance_spec(config, instance, store), say)
    conf = nginx.write(config)
    say(f"gateway: configuration written to {conf}")
    gateway = gateway_spec(config)
    if processes.running(gateway) is not None:
        processes.stop(gateway, config.stop_timeout_s)  # a new configuration: a new gateway
    start_ready(gateway, say)
    processes.start(supervisor)
    say(f"supervisor: started (pid {processes.read_pid(supervisor.pid_file)})")
    say(f"cluster up: {config.gateway_url}/ (terminal at {config.gateway_url}/terminal/)")


def down(config: ClusterConfig, say: Say) -> None:
    for spec in [supervisor_spec(config), gateway_spec(config)]:
        say(f"{spec.name}: {processes.stop(spec, config.stop_timeout_s)}")
    for instance in reversed(config.instances):
        spec = instance_spec(config, instance, store="")
        say(f"{spec.name}: {processes.stop(spec, config.stop_timeout_s)}")
    for path in _stray_pid_files(config):  # instances an earlier, larger cluster file started
        spec = Spec(path.stem, (), path, config.state_dir / "logs" / f"{path.stem}.log", marker="-m app server")
        say(f"{path.stem} (not in {config.path.name} any more): {processes.stop(spec, config.stop_timeout_s)}")
    if config.local_postgres:
        say(f"postgres: {LocalPostgres(config).stop()}")


def _stray_pid_files(config: ClusterConfig) -> list[Path]:
    known = {f"{i.name}.pid" for i in config.instances} | {"gateway.pid", "supervisor.pid", "gateway.nginx.pid"}
    run = config.state_dir / "run"
    return sorted(p for p in run.glob("*.pid") if p.name not in known) if run.is_dir() else []


def status(config: ClusterConfig) -> list[Row]:
    rows = []
    specs = [gateway_spec(config)] + [instance_spec(config, i, store="") for i in config.instances]
    for spec in specs:
        pid = processes.running(spec)
        if pid is None:
            rows.append(Row(spec.name, "dead", None, spec.port, "-"))
            continue
        ready, words = processes.health(spec.health_url) if spec.health_url else (True, "-")
        rows.append(Row(spec.name, "running", pid, spec.port, words))
    supervisor = supervisor_spec(config)
    pid = processes.running(supervisor)
    rows.append(Row("supervisor", "running" if pid else "dead", pid, None, "-"))
    if config.local_postgres:
        pg_pid = LocalPostgres(config).pid()
        rows.append(Row("postgres", "running" if pg_pid else "dead", pg_pid, config.postgres_port, "-"))
    return rows


def format_status(rows: list[Row]) -> str:
    lines = [f"{'NAME':<12} {'STATE':<8} {'PID':>7} {'PORT':>6}  HEALTH"]
    for row in rows:
        pid = str(row.pid) if row.pid else "-"
        port = str(row.port) if row.port else "-"
        lines.append(f"{row.name:<12} {row.state:<8} {pid:>7} {port:>6}  {row.health}")
    return "\n".join(lines)


def log_files(config: ClusterConfig, name: str | None) -> list[Path]:
    logs = config.state_dir / "logs"
    every = sorted(logs.glob("*.log")) if logs.is_dir() else []
    pg_log = LocalPostgres(config).log_file
    if config.local_postgres and pg_log.exists():
        every.append(pg_log)
    if name is None:
        return every
    chosen = [p for p in every if p.stem == name or p.stem.startswith(f"{name}-") or p.parent.name == name]
    if not chosen:
        known = sorted({p.stem for p in every})
        raise ClusterError(f"no log named {name!r} (known: {', '.join(known) or 'none yet'})")
    return chosen


def tail(path: Path, lines: int) -> list[str]:
    try:
        with open(path, "rb") as handle:
            handle.seek(0, 2)
            size = handle.tell()
            handle.seek(max(0, size - 256 * 1024))
            text = handle.read().decode(errors="replace")
    except OSError:
        return []
    return text.splitlines()[-lines:]


def follow(paths: list[Path], say: Say, interval: float = 0.5) -> None:
    """Print what is appended to ``paths`` until interrupted (``logs -f``)."""
    offsets = {p: p.stat().st_size if p.exists() else 0 for p in paths}
    while True:
        for path in paths:
            try:
                with open(path, "rb") as handle:
                    handle.seek(offsets[path])
                    chunk = handle.read()
                    offsets[path] = handle.tell()
            except OSError:
                continue
            for line in chunk.decode(errors="replace").splitlines():
                say(f"{path.stem}| {line}")
        time.sleep(interval)
