"""Datafeed module wiring (REST, UDF and WebSocket routes)."""

from __future__ import annotations

from aiohttp import web

from app.modules import ModuleContext


def setup(app: web.Application, ctx: ModuleContext) -> None:
    """Placeholder until the engine lands: only the meta endpoints are served."""
