"""The gateway's configuration, written into the state directory on every ``up`` (never by hand).

Routing: ``/api/v1/broker/…`` goes to the broker instances by nginx's consistent hash of the
account id, which is the first part of the API key (``ACCOUNT_ID.KEY_ID.SECRET``) taken from the
``Authorization: Bearer`` header or, for a WebSocket handshake, the ``token`` query argument (a
``map``, so nothing is computed for requests that never reach the broker). With ``auth: off``
there is one account, so the key is one constant and every broker call of every client reaches
the same instance. ``/api/v1/datafeed/…`` and the site pages (``/``, ``/terminal/``, the docs)
go round-robin to the datafeed instances: the market is a pure function of (symbol, seed, time),
so any of them gives the same answer. WebSocket upgrades are passed through with read timeouts
longer than the servers' heartbeat. The access log writes ``$uri`` (no query string: tokens
stay out of it); temporary files live under the state directory, owned by the worker user.
``X-Forwarded-For`` carries the client's address, which the instances trust from the gateway
only (``TRUSTED_PROXIES``).
"""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import stat
from collections.abc import Sequence
from pathlib import Path

from app.cluster.config import ClusterConfig, Instance
from app.cluster.ring import chash_pick

AUTH_OFF_ACCOUNT = "DEMO-ACCOUNT"
"""The hash key of every broker request with ``auth: off`` (the one account those servers serve)."""
TEMP_KINDS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
WORKER_USERS = ("www-data", "nobody")
OPENAPI = Path(__file__).resolve().parents[2] / "openapi" / "openapi.json"
"""The merged OpenAPI document as committed (``make check-specs`` keeps it equal to what the code
generates); a single-module instance would only describe its own module at ``/api/openapi.json``."""


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)


def worker_user() -> pwd.struct_passwd | None:
    """The user nginx's workers run as when started by root (None: not root, they run as us)."""
    if os.geteuid() != 0:
        return None
    for name in WORKER_USERS:
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    return None


def upstream_address(instance: Instance) -> str:
    return f"127.0.0.1:{instance.port}"


def broker_writer(config: ClusterConfig) -> Instance | None:
    """The broker instance the gateway sends the ``auth: off`` account to (None: no brokers)."""
    brokers = [i for i in config.instances if i.module == "broker"]
    if not brokers:
        return None
    chosen = chash_pick([upstream_address(i) for i in brokers], AUTH_OFF_ACCOUNT)
    return next(i for i in brokers if upstream_address(i) == chosen)


class GatewayError(RuntimeError):
    """One line: why the gateway cannot run from this state directory."""


def unreachable_by(path: Path, user: pwd.struct_passwd) -> Path | None:
    """The first directory above ``path`` that ``user`` may not enter (None: it reaches it)."""
    groups = {user.pw_gid} | {g.gr_gid for g in _groups() if user.pw_name in g.gr_mem}
    for directory in reversed(path.resolve().parents):
        info = directory.stat()
        if info.st_uid == user.pw_uid:
            allowed = info.st_mode & stat.S_IXUSR
        elif info.st_gid in groups:
            allowed = info.st_mode & stat.S_IXGRP
        else:
            allowed = info.st_mode & stat.S_IXOTH
        if not allowed:
            return directory
    return None


def _groups() -> list[grp.struct_group]:
    return grp.getgrall()


def prepare_dirs(config: ClusterConfig) -> Path:
    """``STATE/nginx`` with its temporary directories writable by the worker user; the conf path."""
    root = config.state_dir / "nginx"
    owner = worker_user()
    (root / "tmp").mkdir(parents=True, exist_ok=True)
    if owner is not None:
        blocked = unreachable_by(root / "tmp", owner)
        if blocked is not None:
            raise GatewayError(f"nginx's worker user {owner.pw_name} cannot enter {blocked} (mode "
                               f"{blocked.stat().st_mode & 0o777:o}) to reach its temporary files: "
                               f"`chmod o+x {blocked}` or choose another state_dir")
    for kind in TEMP_KINDS:
        path = root / "tmp" / kind
        path.mkdir(parents=True, exist_ok=True)
        if owner is not None:
            os.chown(path, owner.pw_uid, owner.pw_gid)
    return root / "nginx.conf"


def _account_maps(config: ClusterConfig) -> str:
    if config.auth == "off":
        return f"""    map $host $trader_account {{
        default "{AUTH_OFF_ACCOUNT}";
    }}
"""
    return r"""    # the account id is the part of ACCOUNT_ID.KEY_ID.SECRET before the first dot
    map $http_authorization $trader_account_header {
        "~*^bearer\s+(?<header_account>[^.\s]+)\." $header_account;
        default "";
    }
    map $arg_token $trader_account_token {
        "~^(?<token_account>[^.&]+)\." $token_account;
        default "";
    }
    map "$trader_account_header|$trader_account_token" $trader_account {
        "~^(?<from_header>[^|]+)\|" $from_header;
        "~^\|(?<from_token>.+)$" $from_token;
        default "";
    }
"""


def _upstream(name: str, instances: Sequence[Instance], hashed: bool) -> str:
    lines = [f"    upstream {name} {{"]
    if hashed:
        lines.append("        hash $trader_account consistent;")
    lines += [f"        server {upstream_address(i)} max_fails=1 fail_timeout=2s;" for i in instances]
    lines += ["        keepalive 32;", "    }"]
    return "\n".join(lines) + "\n"


def render(config: ClusterConfig, *, openapi: Path = OPENAPI) -> str:
    state = config.state_dir
    logs, run, root = state / "logs", state / "run", state / "nginx"
    brokers = [i for i in config.instances if i.module == "broker"]
    feeds = [i for i in config.instances if i.module == "datafeed"]
    owner = worker_user()
    user = f"user {owner.pw_name} {_group(owner)};\n" if owner is not None else ""
    upstreams = ""
    if brokers:
        upstreams += _upstream("trader_broker", brokers, hashed=True)
    if feeds:
        upstreams += _upstream("trader_datafeed", feeds, hashed=False)
    site = "trader_datafeed" if feeds else "trader_broker"
    temp = "".join(f"    {kind}_temp_path {root / 'tmp' / kind};\n" for kind in TEMP_KINDS)
    broker = _prefix("broker") if brokers else ""
    datafeed = _prefix("datafeed") if feeds else ""
    spec = (f"        location = /api/openapi.json {{\n            default_type application/json;\n"
            f"            alias {openapi};\n        }}\n" if openapi.is_file() else "")
    timeout = f"{config.read_timeout_s:g}s"
    return f"""# Generated by `python -m app cluster up` from {config.path.name}: do not edit, `up` rewrites it.
daemon off;
worker_processes 1;
{user}pid {run / 'gateway.nginx.pid'};
error_log {logs / 'gateway-error.log'} warn;

events {{
    worker_connections 4096;
}}

http {{
    log_format trader '$remote_addr [$time_iso8601] "$request_method $uri $server_protocol" '
                      '$status $body_bytes_sent $request_time upstream=$upstream_addr';
    access_log {logs / 'gateway-access.log'} trader;
{temp}    default_type application/octet-stream;
    server_tokens off;
    client_max_body_size 2m;

    map $http_upgrade $connection_upgrade {{
        default upgrade;
        "" "";
    }}
{_account_maps(config)}
{upstreams}
    server {{
        listen {config.gateway_host}:{config.gateway_port};

        proxy_http_version 1.1;
        proxy_set_header Host $http_host;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $connection_upgrade;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_connect_timeout 2s;
        proxy_read_timeout {timeout};
        proxy_send_timeout {timeout};
        proxy_next_upstream error timeout;

{broker}{datafeed}{spec}        location = /metrics {{
            return 404;
        }}
        location / {{
            proxy_pass http://{site};
        }}
    }}
}}
"""


def _prefix(module: str) -> str:
    return f"        location ^~ /api/v1/{module}/ {{\n            proxy_pass http://trader_{module};\n        }}\n"


def _group(owner: pwd.struct_passwd) -> str:
    try:
        return grp.getgrgid(owner.pw_gid).gr_name
    except KeyError:
        return str(owner.pw_gid)


def write(config: ClusterConfig) -> Path:
    path = prepare_dirs(config)
    (config.state_dir / "logs").mkdir(parents=True, exist_ok=True)
    (config.state_dir / "run").mkdir(parents=True, exist_ok=True)
    path.write_text(render(config), encoding="utf-8")
    return path
