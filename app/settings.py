"""One typed Settings object, read from the environment and overridden by the CLI.

Everything a deployment chooses lives here (bind address, modules, limits, seeds) so that later
additions (a store URL, a bus URL) are one more field, not a new configuration mechanism.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from app.broker.domain.commission import FREE, Commission, parse_commission
from app.store import SYNC_MODES, check_url

KNOWN_MODULES: tuple[str, ...] = ("broker", "datafeed")
LOG_FORMATS: tuple[str, ...] = ("text", "json")
AUTH_MODES: tuple[str, ...] = ("off", "required")


def parse_enabled_modules(value: str | None) -> tuple[str, ...]:
    """CONTRACT §1.5: exact ``all`` → every module; else comma-split, stripped, unknown dropped."""
    if value is None or value == "all":
        return KNOWN_MODULES
    wanted = {item.strip() for item in value.split(",")}
    return tuple(name for name in KNOWN_MODULES if name in wanted)


def parse_origins(value: str | None) -> tuple[str, ...]:
    if value is None or value.strip() in ("", "*"):
        return ("*",)
    return tuple(item.strip() for item in value.split(",") if item.strip())


def _bool(env: Mapping[str, str], name: str) -> bool:
    lowered = env[name].strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(f"{name} must be a boolean (1/0, true/false), not {env[name]!r}")


def _int(env: Mapping[str, str], name: str) -> int:
    try:
        return int(env[name])
    except ValueError:
        raise ValueError(f"{name} must be an integer, not {env[name]!r}") from None


@dataclass(frozen=True, slots=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    modules: tuple[str, ...] = KNOWN_MODULES
    access_log: bool = False
    log_level: str = "WARNING"
    cors_origins: tuple[str, ...] = ("*",)
    max_body_bytes: int = 1024 * 1024
    market_seed: int = 0
    symbols_file: str | None = None
    engine_step_ms: int = 200
    debug_endpoints: bool = True
    ws_heartbeat_s: float = 20.0
    ws_max_msg_bytes: int = 64 * 1024
    ws_soft_limit_bytes: int = 256 * 1024
    ws_hard_limit_bytes: int = 8 * 1024 * 1024
    # -- WebSocket budgets per connection (issue 21; README "Limits", WebSocket)
    ws_max_topics: int = 1000
    ws_max_symbols: int = 1000
    """Symbols across a connection's quote topics, unknown ones included."""
    ws_max_topic_bytes: int = 1024
    """Every update frame repeats its topic, so a longer topic is refused."""
    ws_rate_per_s: float = 50.0
    """Messages a second one connection may send (token bucket); past it one error, then 1008."""
    ws_rate_burst: int = 200
    ws_close_timeout_s: float = 5.0
    """How long a closing socket may take to say goodbye before it is aborted, buffers and all."""
    background_tasks: bool = True
    liquidity: Mapping[str, float] = field(default_factory=dict)
    # the durable store (app/store): Settings() built in code keeps nothing; the server's
    # from_env() defaults to the SQLite file under $XDG_STATE_HOME (default_store_url)
    store_url: str = "memory:"
    store_sync: str = "normal"
    first_order_seq: int | None = None
    """The first order's number; None: the boot time in µs, so ids never alias an earlier run's."""
    # -- observability (issue 16; README "Observability"): /metrics, log format
    metrics: bool = True
    metrics_token: str | None = None
    log_format: str = "text"
    # accounts and API keys (app/accounts, issue 15)
    auth: str = "off"
    """``off``: one account DEMO-ACCOUNT, no credentials; ``required``: an API key on every broker call."""
    datafeed_auth: str = "off"
    rate_per_s: float = 50.0
    """Requests per second per API key (REST) and messages per second per WebSocket connection."""
    rate_burst: int = 100
    unauth_rate_per_s: float = 5.0
    """Failed authentications per second per client address (keys cannot be guessed at speed)."""
    unauth_burst: int = 20
    key_poll_s: float = 0.5
    """How often a running server looks for keys created or revoked by ``python -m app accounts``."""
    assets_dir: str | None = None
    """The built terminal and docs viewers (app/site/assets.py); None: the package's own folder."""
    # -- HTTP budgets (issue 21; README "Limits"): no client holds sockets or a request forever
    http_header_timeout_s: float = 15.0
    """From accept (or the end of the previous response) to a complete request head."""
    http_body_timeout_s: float = 30.0
    """From the request head to the whole body; then 408 with ``Connection: close``."""
    http_max_connections: int = 1000
    """Open connections in all; at most the open-file limit less 64 (the rest get a 503)."""
    http_max_connections_per_address: int = 100
    """Open connections per client IP address; 0: no per-address cap (behind a proxy)."""
    max_order_qty: float = 1e7
    """The largest quantity of one order, on symbols without their own below."""
    max_order_qty_by_symbol: Mapping[str, float] = field(default_factory=dict)
    """``MAX_ORDER_QTY=1e7,AAPL=5000``: a symbol's own largest order."""
    # -- trading costs and margin (issue 18; README "Commissions", "Buying power")
    commission: Commission = FREE
    """``COMMISSION=per_share=0.005,rate=0.0001,min=1.0``: what each fill costs (default free)."""
    margin_check: bool = False
    """``MARGIN_CHECK=on``: refuse orders whose margin exceeds the buying power."""
    # -- the collector (app/heap.py): Settings() built in code leaves it alone; from_env() freezes
    gc_freeze: bool = False
    gc_thresholds: tuple[int, int, int] | None = None
    """``GC_THRESHOLDS=700,10,100``: ``gc.set_threshold`` for the server's life (None: as found)."""
    # -- the cluster (app/cluster, issue 17)
    trusted_proxies: str = ""
    """Comma-separated addresses/networks whose ``X-Forwarded-For`` names the client (app/http/forwarded.py)."""
    broker_peers: tuple[str, ...] = ()
    """``BROKER_PEERS``: every broker instance's ``host:port`` on the gateway's hash ring (empty: alone)."""
    broker_self: str = ""
    """``BROKER_SELF``: this instance's ``host:port`` on that ring (app/broker/api/ownership.py)."""

    def __post_init__(self) -> None:
        """Refuse settings that would make the server misbehave rather than fail clearly."""
        if not 0 <= self.port <= 65535:
            raise ValueError(f"PORT must be between 0 and 65535, not {self.port}")
        if self.engine_step_ms < 10:
            raise ValueError(f"ENGINE_STEP_MS must be at least 10, not {self.engine_step_ms}")
        if self.ws_hard_limit_bytes < 64 * 1024:
            raise ValueError(f"WS_HARD_LIMIT_BYTES must be at least 65536, not {self.ws_hard_limit_bytes}")
        _check_ws(self)
        if self.max_body_bytes < 1024:
            raise ValueError(f"MAX_BODY_BYTES must be at least 1024, not {self.max_body_bytes}")
        for symbol, qty in self.liquidity.items():
            if not qty > 0:
                raise ValueError(f"LIQUIDITY for {symbol} must be positive, not {qty}")
        check_url(self.store_url)
        for name, mode in (("AUTH", self.auth), ("DATAFEED_AUTH", self.datafeed_auth)):
            if mode not in AUTH_MODES:
                raise ValueError(f"{name} must be one of {', '.join(AUTH_MODES)}, not {mode!r}")
        if self.datafeed_auth == "required" and self.auth != "required":
            raise ValueError("DATAFEED_AUTH=required needs AUTH=required (keys live in the accounts store)")
        if self.auth == "required" and self.store_url == "memory:":
            raise ValueError("AUTH=required needs a durable STORE_URL: API keys are created in the store "
                             "by `python -m app accounts`")
        for name, rate, burst in (("RATE", self.rate_per_s, self.rate_burst),
                                  ("UNAUTH_RATE", self.unauth_rate_per_s, self.unauth_burst)):
            if not rate > 0 or burst < 1:
                raise ValueError(f"{name}_PER_S must be positive and {name}_BURST at least 1, "
                                 f"not {rate} and {burst}")
        _check_http(self)
        if self.store_sync not in SYNC_MODES:
            raise ValueError(f"STORE_SYNC must be one of {', '.join(SYNC_MODES)}, not {self.store_sync!r}")
        if self.log_format not in LOG_FORMATS:
            raise ValueError(f"LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, not {self.log_format!r}")
        if self.trusted_proxies:
            from app.http.forwarded import parse_networks

            parse_networks(self.trusted_proxies)
        if self.broker_peers and self.broker_self not in self.broker_peers:
            raise ValueError(f"BROKER_SELF must be one of BROKER_PEERS ({', '.join(self.broker_peers)}), "
                             f"not {self.broker_self!r}")
        if self.metrics_token is not None and not self.metrics_token.strip():
            raise ValueError("METRICS_TOKEN must not be blank (unset it to serve /metrics without a token)")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        if "HOST" in env:
            values["host"] = env["HOST"]
        if "PORT" in env:
            values["port"] = _int(env, "PORT")
        values["modules"] = parse_enabled_modules(env.get("ENABLED_MODULES"))
        if "ACCESS_LOG" in env:
            values["access_log"] = _bool(env, "ACCESS_LOG")
        if "LOG_LEVEL" in env:
            values["log_level"] = env["LOG_LEVEL"].upper()
        if "CORS_ORIGINS" in env:
            values["cors_origins"] = parse_origins(env["CORS_ORIGINS"])
        if "MAX_BODY_BYTES" in env:
            values["max_body_bytes"] = _int(env, "MAX_BODY_BYTES")
        if "MARKET_SEED" in env:
            values["market_seed"] = _int(env, "MARKET_SEED")
        if env.get("SYMBOLS_FILE"):
            values["symbols_file"] = env["SYMBOLS_FILE"]
        if "ENGINE_STEP_MS" in env:
            values["engine_step_ms"] = _int(env, "ENGINE_STEP_MS")
        if "DEBUG_ENDPOINTS" in env:
            values["debug_endpoints"] = _bool(env, "DEBUG_ENDPOINTS")
        if "WS_HARD_LIMIT_BYTES" in env:
            values["ws_hard_limit_bytes"] = _int(env, "WS_HARD_LIMIT_BYTES")
        values.update(_ws_values(env))
        if "LIQUIDITY" in env:
            try:
                values["liquidity"] = parse_liquidity(env["LIQUIDITY"])
            except ValueError:
                raise ValueError(f"LIQUIDITY must look like AAPL=100,MSFT=50, not {env['LIQUIDITY']!r}") from None
        if "COMMISSION" in env:
            values["commission"] = parse_commission(env["COMMISSION"])
        if "MARGIN_CHECK" in env:
            values["margin_check"] = _bool(env, "MARGIN_CHECK")
        values["store_url"] = env.get("STORE_URL") or default_store_url(env)
        if "STORE_SYNC" in env:
            values["store_sync"] = env["STORE_SYNC"].strip().lower()
        if "METRICS" in env:
            values["metrics"] = _bool(env, "METRICS")
        if env.get("METRICS_TOKEN"):
            values["metrics_token"] = env["METRICS_TOKEN"]
        if "LOG_FORMAT" in env:
            values["log_format"] = env["LOG_FORMAT"].strip().lower()
        values.update(_auth_values(env))
        if env.get("ASSETS_DIR"):
            values["assets_dir"] = env["ASSETS_DIR"]
        values.update(_http_values(env))
        values["gc_freeze"] = _bool(env, "GC_FREEZE") if "GC_FREEZE" in env else True
        values["gc_thresholds"] = parse_gc_thresholds(env.get("GC_THRESHOLDS") or GC_THRESHOLDS)
        if "TRUSTED_PROXIES" in env:
            values["trusted_proxies"] = env["TRUSTED_PROXIES"].strip()
        if env.get("BROKER_PEERS"):
            values["broker_peers"] = tuple(p.strip() for p in env["BROKER_PEERS"].split(",") if p.strip())
            values["broker_self"] = env.get("BROKER_SELF", "").strip()
        return cls(**values)

    def with_overrides(self, **changes: Any) -> Settings:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


GC_THRESHOLDS = "700,10,100"
"""A server's default: CPython's young thresholds and a tenth as many full collections
(docs/PERFORMANCE.md, "p99 and the collector")."""


def parse_gc_thresholds(value: str) -> tuple[int, int, int]:
    """``700,10,100``: objects before a young collection, young collections before a middle one,
    middle ones before a full one may run (which also waits until the old generation has grown
    by a quarter since the last)."""
    parts = [p.strip() for p in value.split(",")]
    try:
        numbers = [int(p) for p in parts]
    except ValueError:
        numbers = []
    if len(numbers) != 3 or min(numbers) < 1:
        raise ValueError(f"GC_THRESHOLDS must be three whole numbers of at least 1 like 700,10,100, not {value!r}")
    return numbers[0], numbers[1], numbers[2]


def parse_liquidity(value: str) -> dict[str, float]:
    """``AAPL=100,MSFT=50``: the most quantity per engine step and symbol (partial fills)."""
    result: dict[str, float] = {}
    for item in value.split(","):
        if not item.strip():
            continue
        symbol, _, qty = item.partition("=")
        result[symbol.strip()] = float(qty)
    return result


def default_store_url(env: Mapping[str, str]) -> str:
    """``sqlite:///$XDG_STATE_HOME/trader-pro/broker.sqlite3``; per the XDG spec an unset, empty
    or relative ``XDG_STATE_HOME`` means ``~/.local/state``. Outside the source tree on purpose."""
    state = env.get("XDG_STATE_HOME", "")
    home = Path(env.get("HOME") or Path.home())
    base = Path(state) if state and Path(state).is_absolute() else home / ".local" / "state"
    return f"sqlite:///{base / 'trader-pro' / 'broker.sqlite3'}"


def _float(env: Mapping[str, str], name: str) -> float:
    try:
        return float(env[name])
    except ValueError:
        raise ValueError(f"{name} must be a number, not {env[name]!r}") from None


def _auth_values(env: Mapping[str, str]) -> dict[str, Any]:
    """AUTH, DATAFEED_AUTH, RATE_PER_S, RATE_BURST, UNAUTH_RATE_PER_S, UNAUTH_BURST, KEY_POLL_S."""
    values: dict[str, Any] = {}
    for name in ("AUTH", "DATAFEED_AUTH"):
        if name in env:
            values[name.lower()] = env[name].strip().lower()
    for name in ("RATE_PER_S", "UNAUTH_RATE_PER_S", "KEY_POLL_S"):
        if name in env:
            values[name.lower()] = _float(env, name)
    if "RATE_BURST" in env:
        values["rate_burst"] = _int(env, "RATE_BURST")
    if "UNAUTH_BURST" in env:
        values["unauth_burst"] = _int(env, "UNAUTH_BURST")
    return values


def _http_values(env: Mapping[str, str]) -> dict[str, Any]:
    """HTTP_HEADER_TIMEOUT_S, HTTP_BODY_TIMEOUT_S, HTTP_MAX_CONNECTIONS(_PER_ADDRESS), MAX_ORDER_QTY."""
    values: dict[str, Any] = {}
    for name in ("HTTP_HEADER_TIMEOUT_S", "HTTP_BODY_TIMEOUT_S"):
        if name in env:
            values[name.lower()] = _float(env, name)
    if "MAX_ORDER_QTY" in env:
        values.update(parse_max_order_qty(env["MAX_ORDER_QTY"]))
    for name in ("HTTP_MAX_CONNECTIONS", "HTTP_MAX_CONNECTIONS_PER_ADDRESS"):
        if name in env:
            values[name.lower()] = _int(env, name)
    return values


def _check_http(settings: Settings) -> None:
    for name, seconds in (("HTTP_HEADER_TIMEOUT_S", settings.http_header_timeout_s),
                          ("HTTP_BODY_TIMEOUT_S", settings.http_body_timeout_s)):
        if not 0 < seconds < 86400:
            raise ValueError(f"{name} must be positive seconds (under a day), not {seconds}")
    if settings.http_max_connections < 1:
        raise ValueError(f"HTTP_MAX_CONNECTIONS must be at least 1, not {settings.http_max_connections}")
    if settings.http_max_connections_per_address < 0:
        raise ValueError("HTTP_MAX_CONNECTIONS_PER_ADDRESS must be 0 (no cap) or more, "
                         f"not {settings.http_max_connections_per_address}")
    caps = {"": settings.max_order_qty, **{f" for {k}": v for k, v in settings.max_order_qty_by_symbol.items()}}
    for where, qty in caps.items():
        if not 0 < qty < 1e12:
            raise ValueError(f"MAX_ORDER_QTY{where} must be positive and under 1e12, not {qty}")


def parse_max_order_qty(value: str) -> dict[str, Any]:
    """``1e7`` (every symbol), ``AAPL=5000`` (one symbol) or both, comma-separated."""
    values: dict[str, Any] = {}
    by_symbol: dict[str, float] = {}
    try:
        for entry in (e.strip() for e in value.split(",") if e.strip()):
            symbol, equals, qty = entry.rpartition("=")
            if equals:
                by_symbol[symbol.strip()] = float(qty)
            else:
                values["max_order_qty"] = float(qty)
    except ValueError:
        raise ValueError(f"MAX_ORDER_QTY must look like 1e7 or 1e7,AAPL=5000, not {value!r}") from None
    if by_symbol:
        values["max_order_qty_by_symbol"] = by_symbol
    return values


_WS_INTS = ("WS_MAX_TOPICS", "WS_MAX_SYMBOLS", "WS_MAX_TOPIC_BYTES", "WS_RATE_BURST",
            "WS_SOFT_LIMIT_BYTES", "WS_MAX_MSG_BYTES")
_WS_FLOATS = ("WS_RATE_PER_S", "WS_CLOSE_TIMEOUT_S", "WS_HEARTBEAT_S")


def _ws_values(env: Mapping[str, str]) -> dict[str, Any]:
    """The WebSocket budgets (issue 21): ``WS_MAX_TOPICS`` ... ``WS_HEARTBEAT_S``."""
    values: dict[str, Any] = {}
    for name in _WS_INTS:
        if name in env:
            values[name.lower()] = _int(env, name)
    for name in _WS_FLOATS:
        if name in env:
            values[name.lower()] = _float(env, name)
    return values


def _check_ws(settings: Settings) -> None:
    for name in ("ws_max_topics", "ws_max_symbols", "ws_rate_burst"):
        if getattr(settings, name) < 1:
            raise ValueError(f"{name.upper()} must be at least 1, not {getattr(settings, name)}")
    if settings.ws_max_topic_bytes < 64:
        raise ValueError(f"WS_MAX_TOPIC_BYTES must be at least 64, not {settings.ws_max_topic_bytes}")
    for name in ("ws_rate_per_s", "ws_close_timeout_s", "ws_heartbeat_s"):
        if not getattr(settings, name) > 0:
            raise ValueError(f"{name.upper()} must be positive, not {getattr(settings, name)}")
    if not 1024 <= settings.ws_soft_limit_bytes < settings.ws_hard_limit_bytes:
        raise ValueError(f"WS_SOFT_LIMIT_BYTES must be at least 1024 and below WS_HARD_LIMIT_BYTES, "
                         f"not {settings.ws_soft_limit_bytes}")
