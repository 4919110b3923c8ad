"""One typed Settings object, read from the environment and overridden by the CLI.

Everything a deployment chooses lives here (bind address, modules, limits, seeds) so that later
additions (a store URL, a bus URL) are one more field, not a new configuration mechanism.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

KNOWN_MODULES: tuple[str, ...] = ("broker", "datafeed")


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


def _bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(f"not a boolean: {value!r}")


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
    background_tasks: bool = True
    liquidity: Mapping[str, float] = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        if "HOST" in env:
            values["host"] = env["HOST"]
        if "PORT" in env:
            values["port"] = int(env["PORT"])
        values["modules"] = parse_enabled_modules(env.get("ENABLED_MODULES"))
        if "ACCESS_LOG" in env:
            values["access_log"] = _bool(env["ACCESS_LOG"])
        if "LOG_LEVEL" in env:
            values["log_level"] = env["LOG_LEVEL"].upper()
        if "CORS_ORIGINS" in env:
            values["cors_origins"] = parse_origins(env["CORS_ORIGINS"])
        if "MAX_BODY_BYTES" in env:
            values["max_body_bytes"] = int(env["MAX_BODY_BYTES"])
        if "MARKET_SEED" in env:
            values["market_seed"] = int(env["MARKET_SEED"])
        if env.get("SYMBOLS_FILE"):
            values["symbols_file"] = env["SYMBOLS_FILE"]
        if "ENGINE_STEP_MS" in env:
            values["engine_step_ms"] = int(env["ENGINE_STEP_MS"])
        if "DEBUG_ENDPOINTS" in env:
            values["debug_endpoints"] = _bool(env["DEBUG_ENDPOINTS"])
        if "WS_HARD_LIMIT_BYTES" in env:
            values["ws_hard_limit_bytes"] = int(env["WS_HARD_LIMIT_BYTES"])
        if "LIQUIDITY" in env:
            values["liquidity"] = parse_liquidity(env["LIQUIDITY"])
        return cls(**values)

    def with_overrides(self, **changes: Any) -> Settings:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def parse_liquidity(value: str) -> dict[str, float]:
    """``AAPL=100,MSFT=50``: the most quantity per engine step and symbol (partial fills)."""
    result: dict[str, float] = {}
    for item in value.split(","):
        if not item.strip():
            continue
        symbol, _, qty = item.partition("=")
        result[symbol.strip()] = float(qty)
    return result
