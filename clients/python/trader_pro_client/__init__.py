"""Typed Python client of the Trader Pro backend.

``trader_pro_client.broker`` and ``trader_pro_client.datafeed`` are generated from the committed
OpenAPI documents by ``python -m app generate`` (do not edit them: the drift check fails); one
function module per operationId, e.g. ``broker.api.broker.place_order.asyncio(client=..., body=...)``.
``trader_pro_client.streaming`` (hand-written) speaks the WebSocket protocol of ``asyncapi.yaml``.
The helpers here build each module's client for a server's base URL and an API key.
"""

from __future__ import annotations

import httpx

from trader_pro_client import broker, datafeed

API_PREFIX = "/api/v1"


def module_url(base_url: str, module: str) -> str:
    """``http://host:port`` → ``http://host:port/api/v1/{module}`` (each document's paths are relative to it)."""
    return f"{base_url.rstrip('/')}{API_PREFIX}/{module}"


def auth_headers(key: str | None) -> dict[str, str]:
    """``Authorization: Bearer <key>`` (README "Accounts and API keys"); none with ``AUTH=off``."""
    return {"Authorization": f"Bearer {key}"} if key else {}


def broker_client(base_url: str, key: str | None = None, *, timeout: float = 10.0) -> broker.Client:
    """A client of the broker module; answers outside the documented ones raise ``errors.UnexpectedStatus``."""
    return broker.Client(
        base_url=module_url(base_url, "broker"),
        headers=auth_headers(key),
        timeout=httpx.Timeout(timeout),
        raise_on_unexpected_status=True,
    )


def datafeed_client(base_url: str, key: str | None = None, *, timeout: float = 10.0) -> datafeed.Client:
    """A client of the datafeed module (public unless the server sets ``DATAFEED_AUTH=required``)."""
    return datafeed.Client(
        base_url=module_url(base_url, "datafeed"),
        headers=auth_headers(key),
        timeout=httpx.Timeout(timeout),
        raise_on_unexpected_status=True,
    )


__all__ = ["API_PREFIX", "auth_headers", "broker", "broker_client", "datafeed", "datafeed_client", "module_url"]
