"""``cluster.yaml``: read, checked key by key, into one frozen ``ClusterConfig``.

A bad file is refused before anything starts, with one line naming the key
(``cluster.yaml: broker.instances: must be an integer from 0 to 64, not 'two'``). The example
at the top of the repository documents every key; unknown keys are refused too, so a typo never
silently falls back to a default.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from app.settings import AUTH_MODES

MODULES = ("broker", "datafeed")
MAX_INSTANCES = 64
HEARTBEAT_S = 20.0
"""The servers' WebSocket heartbeat (``Settings.ws_heartbeat_s``): the gateway's read timeout must exceed it."""


class ConfigError(ValueError):
    """``str()`` is the one line shown to the user: the file, the key, what is wrong."""


@dataclass(frozen=True, slots=True)
class Instance:
    name: str
    """``broker-1``, ``datafeed-2``: the file names of its PID and log file."""
    module: str
    port: int


@dataclass(frozen=True, slots=True)
class ClusterConfig:
    path: Path
    state_dir: Path
    gateway_host: str = "127.0.0.1"
    gateway_port: int = 8080
    read_timeout_s: float = 75.0
    broker_instances: int = 2
    broker_base_port: int = 8101
    datafeed_instances: int = 2
    datafeed_base_port: int = 8201
    store: str | None = None
    """None: a local PostgreSQL under ``state_dir`` on ``postgres_port``."""
    postgres_port: int = 5433
    auth: str = "off"
    market_seed: int = 0
    stop_timeout_s: float = 10.0
    env: Mapping[str, str] = field(default_factory=dict)

    @property
    def instances(self) -> tuple[Instance, ...]:
        brokers = (Instance(f"broker-{i + 1}", "broker", self.broker_base_port + i)
                   for i in range(self.broker_instances))
        feeds = (Instance(f"datafeed-{i + 1}", "datafeed", self.datafeed_base_port + i)
                 for i in range(self.datafeed_instances))
        return (*brokers, *feeds)

    def instance(self, name: str) -> Instance:
        for instance in self.instances:
            if instance.name == name:
                return instance
        raise KeyError(name)

    @property
    def local_postgres(self) -> bool:
        return self.store is None

    @property
    def gateway_url(self) -> str:
        host = "127.0.0.1" if self.gateway_host in ("0.0.0.0", "::", "") else self.gateway_host
        return f"http://{host}:{self.gateway_port}"


KEYS: dict[str, tuple[str, ...]] = {
    "gateway": ("host", "port", "read_timeout_s"),
    "broker": ("instances", "base_port"),
    "datafeed": ("instances", "base_port"),
    "postgres": ("port",),
}
TOP_KEYS = ("gateway", "broker", "datafeed", "store", "postgres", "auth", "market_seed", "state_dir",
            "stop_timeout_s", "env")


def load(path: str | Path) -> ClusterConfig:
    """The checked configuration of ``path``; ``ConfigError`` (one line) when it is not usable."""
    source = Path(path)
    try:
        raw = yaml.safe_load(source.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{source}: cannot read: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise ConfigError(f"{source}: not valid YAML{where}") from None
    return parse(raw if raw is not None else {}, source)


def parse(raw: object, source: Path) -> ClusterConfig:
    return _Reader(source).read(raw)


class _Reader:
    def __init__(self, source: Path) -> None:
        self.source = source

    def fail(self, key: str, problem: str) -> ConfigError:
        return ConfigError(f"{self.source.name}: {key}: {problem}")

    def read(self, raw: object) -> ClusterConfig:
        top = self.mapping(raw, "(top level)", TOP_KEYS)
        values: dict[str, Any] = {}
        sections = {name: self.mapping(top.get(name, {}), name, KEYS[name]) for name in KEYS}
        gateway = sections["gateway"]
        if "host" in gateway:
            values["gateway_host"] = self.text(gateway["host"], "gateway.host")
        if "port" in gateway:
            values["gateway_port"] = self.port(gateway["port"], "gateway.port")
        if "read_timeout_s" in gateway:
            timeout = self.number(gateway["read_timeout_s"], "gateway.read_timeout_s")
            if timeout <= HEARTBEAT_S:
                raise self.fail("gateway.read_timeout_s", f"must exceed the WebSocket heartbeat ({HEARTBEAT_S:g} s), "
                                f"not {timeout:g}")
            values["read_timeout_s"] = timeout
        for module in MODULES:
            section = sections[module]
            if "instances" in section:
                values[f"{module}_instances"] = self.count(section["instances"], f"{module}.instances")
            if "base_port" in section:
                values[f"{module}_base_port"] = self.port(section["base_port"], f"{module}.base_port")
        if "port" in sections["postgres"]:
            values["postgres_port"] = self.port(sections["postgres"]["port"], "postgres.port")
        if top.get("store") is not None:
            values["store"] = self.store(top["store"])
        if "auth" in top:
            values["auth"] = self.auth(top["auth"])
        if "market_seed" in top:
            values["market_seed"] = self.integer(top["market_seed"], "market_seed")
        if "stop_timeout_s" in top:
            values["stop_timeout_s"] = self.number(top["stop_timeout_s"], "stop_timeout_s")
        if "env" in top:
            values["env"] = self.env(top["env"])
        state = Path(self.text(top.get("state_dir", ".local"), "state_dir")).expanduser()
        state_dir = state if state.is_absolute() else (self.source.resolve().parent / state)
        config = ClusterConfig(path=self.source, state_dir=state_dir, **values)
        self.check_whole(config)
        return config

    def check_whole(self, config: ClusterConfig) -> None:
        if config.broker_instances + config.datafeed_instances == 0:
            raise self.fail("broker.instances", "the cluster needs at least one broker or datafeed instance")
        if config.store is not None and not config.store.startswith(("postgresql://", "postgres://")) \
                and config.broker_instances > 1:
            raise self.fail("store", f"{config.broker_instances} broker instances need a shared PostgreSQL store "
                            f"(postgresql://…, or leave store out for a local one), not {config.store!r}")
        taken: dict[int, str] = {config.gateway_port: "gateway.port"}
        if config.local_postgres:
            taken.setdefault(config.postgres_port, "postgres.port")
        for instance in config.instances:
            key = f"{instance.module}.base_port"
            if instance.port > 65535:
                raise self.fail(key, f"{instance.name} would listen on {instance.port}, beyond 65535")
            if instance.port in taken and taken[instance.port] != key:
                raise self.fail(key, f"{instance.name}'s port {instance.port} is also {taken[instance.port]}'s")
            taken[instance.port] = key
        for name in ("STORE_URL", "AUTH", "PORT", "HOST", "ENABLED_MODULES", "MARKET_SEED", "TRUSTED_PROXIES",
                     "BROKER_PEERS", "BROKER_SELF"):
            if name in config.env:
                raise self.fail(f"env.{name}", "is set by the cluster manager from the keys of this file")

    def mapping(self, value: object, key: str, allowed: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(key, f"must be a mapping, not {type(value).__name__}")
        for name in value:
            if name not in allowed:
                where = name if key == "(top level)" else f"{key}.{name}"
                raise self.fail(str(where), f"unknown key (known: {', '.join(allowed)})")
        return value

    def text(self, value: object, key: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"must be a non-empty string, not {value!r}")
        return value.strip()

    def integer(self, value: object, key: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, f"must be an integer, not {value!r}")
        return value

    def count(self, value: object, key: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_INSTANCES:
            raise self.fail(key, f"must be an integer from 0 to {MAX_INSTANCES}, not {value!r}")
        return value

    def port(self, value: object, key: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 65535:
            raise self.fail(key, f"must be a TCP port from 1 to 65535, not {value!r}")
        return value

    def number(self, value: object, key: str) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
            raise self.fail(key, f"must be a positive number of seconds, not {value!r}")
        return float(value)

    def store(self, value: object) -> str:
        url = self.text(value, "store")
        if url == "memory:":
            raise self.fail("store", "memory: keeps nothing and is not shared: use postgresql://… (or sqlite:/// "
                            "with one broker instance)")
        if not url.startswith(("postgresql://", "postgres://", "sqlite:///")) or url.endswith("://"):
            raise self.fail("store", f"must be postgresql://user:pass@host:port/db or sqlite:///PATH, not {url!r}")
        return url

    def auth(self, value: object) -> str:
        if value is False:  # YAML 1.1 reads a bare `off` as false
            return "off"
        if not isinstance(value, str) or value.strip().lower() not in AUTH_MODES:
            raise self.fail("auth", f"must be one of {', '.join(AUTH_MODES)}, not {value!r}")
        return value.strip().lower()

    def env(self, value: object) -> dict[str, str]:
        if not isinstance(value, dict):
            raise self.fail("env", f"must be a mapping of setting names to values, not {type(value).__name__}")
        result: dict[str, str] = {}
        for name, item in value.items():
            if not isinstance(name, str) or not name.isidentifier() or name.upper() != name:
                raise self.fail(f"env.{name}", "must be an upper-case setting name (LOG_LEVEL, ENGINE_STEP_MS, …)")
            if isinstance(item, bool):
                result[name] = "1" if item else "0"
            elif isinstance(item, (str, int, float)):
                result[name] = str(item)
            else:
                raise self.fail(f"env.{name}", f"must be a string or a number, not {item!r}")
        return result
