"""Typed application keys shared across modules (set only in the factory)."""

from __future__ import annotations

from aiohttp import web

from app.market.model import Market
from app.settings import Settings

SETTINGS = web.AppKey("settings", Settings)
MODULE_APPS: web.AppKey[dict[str, web.Application]] = web.AppKey("module_apps")
MARKET = web.AppKey("market", Market)
