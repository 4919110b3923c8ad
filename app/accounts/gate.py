"""``AUTH=required``: the key check in front of the broker (and of the datafeed with
``DATAFEED_AUTH=required``), its rate limits, and the key refresh from the store.

A request under a guarded prefix carries ``Authorization: Bearer <key>`` (a WebSocket
handshake may use ``?token=<key>`` instead: browsers cannot set headers on a socket). Missing
or wrong → 401 ``{"detail":"Not authenticated"}`` with ``WWW-Authenticate: Bearer``; a client
address that fails more than ``UNAUTH_BURST`` times at ``UNAUTH_RATE_PER_S`` gets 429 before
its key is even looked at, so keys cannot be guessed at speed. A valid key spends one token of
its bucket (``RATE_PER_S``, ``RATE_BURST``): empty → 429 ``{"detail":"Too many requests"}`` with
``Retry-After``. Health, version and documentation paths stay public (probes and readers). Revoking a key
closes the WebSockets it opened with 1008 at the next key refresh.
The key is never logged: only its key id would be, and this module logs none.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence

from aiohttp import WSCloseCode, hdrs, web
from aiohttp.typedefs import Handler, Middleware

from app.accounts.directory import Account, Directory
from app.accounts.keys import KeyRing
from app.accounts.ratelimit import Buckets, retry_after
from app.http.cors import is_handshake
from app.http.responses import json_response
from app.http.websocket import HeldSockets, close_held
from app.keys import ACCOUNT_ID, BROKER_ACCOUNTS, HUB, MODULE_APPS
from app.modules import PUBLIC_SUFFIXES, module_prefix
from app.settings import Settings

LOG = logging.getLogger(__name__)
NOT_AUTHENTICATED = "Not authenticated"
TOO_MANY = "Too many requests"


def guarded_prefixes(settings: Settings) -> tuple[str, ...]:
    modules = ("broker", "datafeed") if settings.datafeed_auth == "required" else ("broker",)
    return tuple(module_prefix(m) for m in modules)


def bearer(request: web.Request) -> str | None:
    header = request.headers.get(hdrs.AUTHORIZATION)
    if header is not None:
        scheme, _, token = header.partition(" ")
        return token.strip() if scheme.lower() == "bearer" and token.strip() else None
    if is_handshake(request):
        return request.query.get("token") or None
    return None


def _refused(status: int, detail: str, headers: dict[str, str]) -> web.Response:
    response = json_response({"detail": detail}, status=status)
    response.headers.update(headers)
    return response


def close_revoked(app: web.Application, transports: set[asyncio.BaseTransport]) -> None:
    """Close with 1008 every hub connection on one of ``transports``."""
    hubs = (hub for subapp in app[MODULE_APPS].values() if (hub := subapp.get(HUB)) is not None)
    close_held(hubs, transports, WSCloseCode.POLICY_VIOLATION, b"API key revoked")


def gate_middleware(settings: Settings, ring: KeyRing, sockets: HeldSockets, *,
                    served: Callable[[str], bool]) -> Middleware:
    """``served``: whether the broker serves (has loaded) an account."""
    prefixes = guarded_prefixes(settings)
    per_key = Buckets(settings.rate_per_s, settings.rate_burst)
    per_address = Buckets(settings.unauth_rate_per_s, settings.unauth_burst)

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        path = request.path
        if not path.startswith(prefixes) or path.endswith(PUBLIC_SUFFIXES):
            return await handler(request)
        address = request.remote or "?"
        if per_address.empty(address):
            return _refused(429, TOO_MANY, {hdrs.RETRY_AFTER: retry_after(1 / settings.unauth_rate_per_s)})
        token = bearer(request) or ""
        account = ring.account_of(token)
        if account is None or not served(account):
            per_address.take(address)
            return _refused(401, NOT_AUTHENTICATED, {hdrs.WWW_AUTHENTICATE: "Bearer"})
        wait = per_key.take(token)
        if wait:
            return _refused(429, TOO_MANY, {hdrs.RETRY_AFTER: retry_after(wait)})
        request[ACCOUNT_ID] = account
        if is_handshake(request):
            return await sockets.hold(token.split(".", 2)[1], request, handler)
        return await handler(request)

    return middleware


async def _no_accounts(_: Sequence[Account]) -> None:
    pass


class KeyWatch:
    """Loads the accounts and the live keys, then follows ``keys_version`` every ``KEY_POLL_S``
    (creating an account bumps it too)."""

    def __init__(self, settings: Settings, ring: KeyRing,
                 on_revoked: Callable[[set[str]], None] = lambda _: None,
                 on_accounts: Callable[[Sequence[Account]], Awaitable[None]] = _no_accounts) -> None:
        """``on_revoked``: called with the ids of keys that were live and no longer are;
        ``on_accounts``: with every account, before the keys of a new one are accepted."""
        self._settings = settings
        self._ring = ring
        self._on_revoked = on_revoked
        self._on_accounts = on_accounts
        self._directory = Directory(settings.store_url)
        self._known: set[str] = set()

    async def start(self) -> None:
        await self._directory.open()
        await self.refresh()

    async def refresh(self) -> None:
        version = await self._directory.keys_version()
        if version != self._ring.version:
            accounts = await self._directory.accounts()
            if {a.id for a in accounts} != self._known:
                await self._on_accounts(accounts)
                self._known = {a.id for a in accounts}
            before = self._ring.key_ids()
            self._ring.replace(await self._directory.live_keys(), version)
            gone = before - self._ring.key_ids()
            if gone:
                self._on_revoked(gone)

    async def follow(self) -> None:
        while True:
            await asyncio.sleep(self._settings.key_poll_s)
            try:
                await self.refresh()
            except Exception:  # a store hiccup: the keys held stay valid, the next poll retries
                LOG.exception("reloading the API keys failed")

    async def close(self) -> None:
        await self._directory.close()


def install(app: web.Application, settings: Settings) -> None:
    """The gate and its key watch on the main application (``AUTH=required`` only)."""
    ring = KeyRing()
    sockets = HeldSockets()

    def revoked(key_ids: set[str]) -> None:
        close_revoked(app, sockets.of(key_ids))

    def broker() -> web.Application | None:
        return app[MODULE_APPS].get("broker") if MODULE_APPS in app else None

    async def accounts(listed: Sequence[Account]) -> None:
        subapp = broker()
        if subapp is not None:
            from app.broker.api.accounts import AccountInfo

            for account in listed:
                await subapp[BROKER_ACCOUNTS].add(AccountInfo(account.id, account.name, account.currency,
                                                              account.balance))

    def served(account_id: str) -> bool:
        subapp = broker()
        return subapp is None or subapp[BROKER_ACCOUNTS].get(account_id) is not None

    watch = KeyWatch(settings, ring, revoked, accounts)
    app.middlewares.append(gate_middleware(settings, ring, sockets, served=served))

    async def context(_: web.Application) -> AsyncIterator[None]:
        await watch.start()
        task = asyncio.create_task(watch.follow(), name="api-key-watch")
        yield
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
        await watch.close()

    app.cleanup_ctx.append(context)
