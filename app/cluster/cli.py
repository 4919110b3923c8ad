"""``python -m app cluster up|down|status|logs|restart [--config cluster.yaml]`` (and the
``supervise`` loop that ``up`` starts detached)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from app.cluster import manager
from app.cluster.config import ConfigError, load
from app.cluster.nginx import GatewayError
from app.cluster.postgres import PostgresError

DEFAULT_CONFIG = "cluster.yaml"


def add_commands(commands: Any) -> None:
    """``commands``: the subparsers of ``python -m app``."""
    cluster = commands.add_parser("cluster", help="run several processes behind an nginx gateway (cluster.yaml)")
    actions = cluster.add_subparsers(dest="cluster_command", required=True)
    for name, text in (("up", "start PostgreSQL (when no store is given), the instances, the gateway, the supervisor"),
                       ("down", "stop everything (SIGTERM, then SIGKILL after stop_timeout_s)"),
                       ("status", "each process: running or dead, pid, port, health"),
                       ("restart", "down, then up (the broker's state stays in the store)"),
                       ("logs", "the last lines of every log (or of one process)"),
                       ("supervise", "the supervisor loop (started by up; not for use by hand)")):
        action = actions.add_parser(name, help=text)
        action.add_argument("--config", default=DEFAULT_CONFIG, help=f"the cluster file (default {DEFAULT_CONFIG})")
        if name == "logs":
            action.add_argument("name", nargs="?", help="gateway, broker-1, datafeed-2, supervisor, postgres, …")
            action.add_argument("-n", "--lines", type=int, default=40, help="lines per log (default 40)")
            action.add_argument("-f", "--follow", action="store_true", help="keep printing what is appended")


def _say(message: str) -> None:
    print(message, flush=True)


def run(args: argparse.Namespace) -> int:
    try:
        config = load(args.config)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    command = args.cluster_command
    try:
        if command == "supervise":
            from app.cluster.supervisor import supervise

            return supervise(config)
        if command in ("up", "restart"):
            if command == "restart":
                manager.down(config, _say)
            manager.up(config, _say)
            return 0
        if command == "down":
            manager.down(config, _say)
            return 0
        if command == "status":
            rows = manager.status(config)
            print(manager.format_status(rows))
            return 0 if all(r.state == "running" for r in rows) else 3
        paths = manager.log_files(config, args.name)
        for path in paths:
            print(f"==> {path} <==")
            for line in manager.tail(path, args.lines):
                print(line)
        if args.follow:
            manager.follow(paths, _say)
        return 0
    except (manager.ClusterError, GatewayError, PostgresError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
