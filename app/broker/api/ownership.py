"""One writer per account, at the HTTP edge (issue 17 item 3): every broker request names an
account (its API key's, or ``DEMO-ACCOUNT`` with ``AUTH=off``), and is let through only once
this instance serves that account (``Accounts.serve``: taken now when free). When another live
instance holds it, the answer is 503 with ``Retry-After`` (when the account is this instance's
on the ring, the holder was asked to let it go, and this one takes it as soon as it does). The
WebSockets opened for an account are remembered, so that when the account leaves this
instance they close with 1012 (service restart): the client reconnects, and the gateway
brings it to the account's new instance.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable

from aiohttp import hdrs, web
from aiohttp.typedefs import Handler, Middleware

from app.broker.api.accounts import ADOPT_S, RETRY_AFTER_S, Accounts, Elsewhere
from app.broker.api.durable import ACCOUNT_ID as DEMO_ID
from app.broker.api.errors import MOVED_DETAIL
from app.http.cors import is_handshake
from app.http.responses import json_response
from app.http.websocket import HeldSockets, close_held
from app.keys import ACCOUNT_ID, SERVED_ACCOUNT
from app.modules import PUBLIC_SUFFIXES
from app.store.interface import StoreError
from ws.hub import Hub

LOG = logging.getLogger(__name__)
ELSEWHERE_DETAIL = "Account {} is served by another broker instance, which is handing it over: retry"
ELSEWHERE = (f"Another broker instance serves the account (a cluster): "
             f"`{{\"detail\":\"{ELSEWHERE_DETAIL.format('<id>')}\"}}` "
             f"with `Retry-After: {RETRY_AFTER_S}` (this instance takes it as soon as that one lets it go), "
             f"or `{{\"detail\":\"{MOVED_DETAIL}\"}}` when it moved while the request was on its way")
"""The 503 every account operation may answer (declared by ``views.gated``)."""
MOVED_CODE = 1012
MOVED_REASON = b"Account moved to another broker instance: reconnect"


class AccountSockets(HeldSockets):
    """The WebSockets opened for each account, closed with 1012 when the account moves."""

    def __init__(self) -> None:
        super().__init__()
        self.hub: Hub | None = None

    def close(self, account_id: str) -> None:
        """Close the account's sockets with 1012 (the account moves to another instance)."""
        if self.hub is not None:
            close_held((self.hub,), self.of((account_id,)), MOVED_CODE, MOVED_REASON)


def ownership_middleware(accounts: Accounts, sockets: AccountSockets, *, per_key: bool) -> Middleware:
    """``per_key``: the gate names each request's account (``AUTH=required``); else every
    request acts on ``DEMO-ACCOUNT``. The account served is left on the request
    (``SERVED_ACCOUNT``) for the views."""
    served = accounts.served_account

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path.endswith(PUBLIC_SUFFIXES):
            return await handler(request)
        # ``request.get`` is MutableMapping's: a raised KeyError whenever the key is absent
        account_id = request.get(ACCOUNT_ID, DEMO_ID) if per_key else DEMO_ID
        account = served(account_id)
        if account is None:
            try:
                account = await accounts.serve(account_id)
            except Elsewhere:
                return _unavailable(ELSEWHERE_DETAIL.format(account_id))
            except StoreError as exc:
                LOG.warning("account %s cannot be served: %s", account_id, exc)
                return _unavailable("Store unavailable")
        if account is not None:
            request[SERVED_ACCOUNT] = account
        if is_handshake(request):
            return await sockets.hold(account_id, request, handler)
        return await handler(request)

    return middleware


def _unavailable(detail: str) -> web.Response:
    response = json_response({"detail": detail}, status=503)
    response.headers[hdrs.RETRY_AFTER] = str(RETRY_AFTER_S)
    return response


def adoption(accounts: Accounts, interval: float = ADOPT_S) -> Callable[[web.Application], AsyncIterator[None]]:
    """Every ``interval``, take this instance's own accounts that nobody holds."""
    async def run() -> None:
        while True:
            await asyncio.sleep(interval)
            try:
                await accounts.adopt()
            except StoreError as exc:
                LOG.debug("adopting accounts: %s", exc)

    async def context(_: web.Application) -> AsyncIterator[None]:
        task = asyncio.create_task(run(), name="broker-account-adoption")
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    return context
