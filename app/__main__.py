"""Command line: ``python -m app server`` runs the API; ``python -m app generate`` writes the specs."""

from __future__ import annotations

import argparse
import asyncio
import socket
import sys
from collections.abc import Sequence

from app.accounts.cli import add_commands as add_account_commands
from app.accounts.cli import run as run_accounts
from app.cluster.cli import add_commands as add_cluster_commands
from app.settings import Settings, parse_enabled_modules
from app.store import check_url, open_store
from app.store.interface import StoreError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m app", description="Trader Pro backend")
    commands = parser.add_subparsers(dest="command", required=True)
    server = commands.add_parser("server", help="serve the API (default 127.0.0.1:8000)")
    server.add_argument("--host", help="bind address (env HOST)")
    server.add_argument("--port", type=int, help="TCP port (env PORT)")
    server.add_argument("--modules", help="comma-separated modules or 'all' (env ENABLED_MODULES)")
    server.add_argument("--access-log", action="store_true", default=None, help="log every request")
    server.add_argument(
        "--log-level", choices=("DEBUG", "INFO", "WARNING", "ERROR"), type=str.upper, help="(env LOG_LEVEL)"
    )
    server.add_argument("--log-format", choices=("text", "json"), type=str.lower, help="(env LOG_FORMAT)")
    server.add_argument("--symbols-file", help="JSON/YAML symbol catalogue (env SYMBOLS_FILE)")
    server.add_argument("--auth", choices=("off", "required"), help="API keys on broker calls (env AUTH)")
    server.add_argument("--store", help="memory:, sqlite:///PATH or postgresql://user:pass@host:port/db "
                        "(env STORE_URL; default: a SQLite file under $XDG_STATE_HOME/trader-pro/)")
    add_account_commands(commands)
    add_cluster_commands(commands)
    generate = commands.add_parser("generate", help="write openapi/ and asyncapi.yaml")
    generate.add_argument("--output-dir", default=".", help="where to write (default: current directory)")
    generate.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 with a diff summary when the files differ"
    )
    return parser


def settings_from_args(args: argparse.Namespace) -> Settings:
    settings = Settings.from_env()
    modules = parse_enabled_modules(args.modules) if args.modules is not None else None
    if args.store is not None:
        check_url(args.store)
    return settings.with_overrides(
        host=args.host,
        port=args.port,
        modules=modules,
        access_log=args.access_log,
        log_level=args.log_level,
        log_format=args.log_format,
        symbols_file=args.symbols_file,
        store_url=args.store,
        auth=args.auth,
    )


def serve(settings: Settings) -> int:
    from app.factory import create_app
    from app.http.server import run

    from app.observability.logs import configure_logging

    configure_logging(settings.log_level, settings.log_format)
    try:
        import uvloop

        loop: asyncio.AbstractEventLoop = uvloop.new_event_loop()
    except ImportError:  # pragma: no cover - uvloop is a dependency, but optional at run time
        loop = asyncio.new_event_loop()
    try:
        app = create_app(settings)
    except (OSError, ValueError) as exc:  # e.g. an unreadable or invalid SYMBOLS_FILE
        print(f"error: cannot start: {exc}", file=sys.stderr)
        return 2
    try:
        sock = _listen(settings.host, settings.port)
    except OSError as exc:
        print(f"error: cannot listen on {settings.host}:{settings.port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    stored = f" (broker store: {open_store(settings.store_url).name})" if "broker" in settings.modules else ""
    address = f"http://{settings.host}:{sock.getsockname()[1]}"
    try:
        # no aiohttp access log: the observability middleware writes it (route templates, no query)
        run(app, sock, settings, loop=loop, on_serving=lambda: print(f"Serving on {address}{stored}", flush=True))
    except StoreError as exc:
        print(f"error: cannot start: {exc}", file=sys.stderr)
        return 1
    return 0


def _listen(host: str, port: int) -> socket.socket:
    """Bound before start-up, so that a port in use fails before the store is claimed (a second
    server on a taken port must not take the account from the one already serving it)."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(1024)
    except OSError:
        sock.close()
        raise
    return sock


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "server":
        try:
            settings = settings_from_args(args)
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        return serve(settings)
    if args.command == "accounts":
        return run_accounts(args)
    if args.command == "cluster":
        from app.cluster.cli import run as run_cluster

        return run_cluster(args)
    from app.specs.generate import generate

    return generate(args.output_dir, check=args.check)


if __name__ == "__main__":
    sys.exit(main())
