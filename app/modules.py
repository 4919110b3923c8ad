"""The module registry: each module contributes REST and WebSocket routes to its own sub-application.

A module is imported only when it is enabled, so a disabled module's service is never built
(CONTRACT §1.5). Modules never import each other; they share ``app.market``, ``schemas`` and ``ws``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web

from app.market.model import Market
from app.settings import Settings

API_PREFIX = "/api/v1"
"""Every module's REST and WebSocket paths live under ``{API_PREFIX}/{module}`` (CONTRACT §1.1)."""


PUBLIC_SUFFIXES = ("/health", "/versions", "/version", "/openapi.json", "/docs", "/redoc",
                   "/ws/asyncapi", "/ws/asyncapi.json")
"""Every module's meta and documentation paths: answered without a key and without an account."""


def module_prefix(name: str) -> str:
    return f"{API_PREFIX}/{name}"


@dataclass(frozen=True, slots=True)
class ModuleContext:
    settings: Settings
    market: Market


ModuleSetup = Callable[[web.Application, ModuleContext], None]


@dataclass(frozen=True, slots=True)
class ModuleInfo:
    name: str
    title: str
    entry: str  # "package.module:function"

    def load(self) -> ModuleSetup:
        module_name, _, attr = self.entry.partition(":")
        setup: ModuleSetup = getattr(importlib.import_module(module_name), attr)
        return setup


REGISTRY: tuple[ModuleInfo, ...] = (
    ModuleInfo("broker", "Broker API", "app.broker.api.module:setup"),
    ModuleInfo("datafeed", "Datafeed API", "app.datafeed.api.module:setup"),
)


def module_info(name: str) -> ModuleInfo:
    for info in REGISTRY:
        if info.name == name:
            return info
    raise KeyError(name)
