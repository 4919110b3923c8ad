"""`trader_pro_client.streaming` against the real app: snapshots, updates, and a server restart.

The restart is a real one on the same port and the same SQLite file: the first app is shut down
(its sockets get 1001), the stream reports `Reconnecting`, a second app is built on the store and
the stream re-subscribes on its own; the order placed before the restart comes back in the fresh
`Snapshot`, and updates after it flow on the re-subscribed topics.
"""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path
from typing import TypeVar, get_args

import pytest
import yaml
from aiohttp import web
from trader_pro_client.broker.models import OrderStatus, PlacedOrder
from trader_pro_client.datafeed.models import Bar, QuoteData
from trader_pro_client.streaming import (
    ROUTE_MODULE,
    Event,
    MessageType,
    Reconnecting,
    Rejected,
    Snapshot,
    Stream,
    StreamClosed,
    Update,
    topic_of,
)

from app.factory import create_app
from app.market.model import Market
from app.settings import Settings
from tests.clients.conftest import CLIENT_ROOT, base_url
from tests.conftest import ClientFactory

ACCOUNT = {"accountId": "DEMO-ACCOUNT"}
RESTING = {"symbol": "AAPL", "type": 1, "side": 1, "qty": 1, "limitPrice": 1.5}  # never fills (DESIGN §8)


def test_message_names_are_the_asyncapi_documents() -> None:
    document = yaml.safe_load((CLIENT_ROOT.parents[1] / "asyncapi.yaml").read_text())
    assert set(get_args(MessageType)) == set(document["components"]["messages"])
    routes = {name.partition(".")[0] for name in document["components"]["messages"]} - {"error"}
    assert set(ROUTE_MODULE) == routes


def test_topics_are_the_servers() -> None:
    from ws.topic import make_topic

    for route, params in (("bars", {"symbol": "AAPL", "resolution": "1D"}),
                          ("quotes", {"symbols": ["É", "B"], "fast_symbols": []}), ("orders", ACCOUNT)):
        assert topic_of(route, params) == make_topic(route, params)  # type: ignore[arg-type]


class Restartable:
    """The real app on a fixed loopback port, stopped and started again on the same store."""

    def __init__(self, store: Path, market: Market) -> None:
        self.settings = Settings().with_overrides(store_url=f"sqlite:///{store}", engine_step_ms=50)
        self.market = market
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        self.runner = web.AppRunner(create_app(self.settings, market=self.market), access_log=None)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", self.port).start()

    async def stop(self) -> None:
        assert self.runner is not None
        await self.runner.cleanup()
        self.runner = None


E = TypeVar("E", Snapshot, Update, Rejected, Reconnecting)


async def next_event(events: asyncio.Queue[Event], kind: type[E], route: str | None = None, timeout: float = 20.0) -> E:
    """The next event of ``kind`` (and ``route``), skipping the others (live bars, quotes...)."""
    async def wait() -> E:
        while True:
            event = await events.get()
            if isinstance(event, kind) and (route is None or getattr(event, "route", None) == route):
                return event

    return await asyncio.wait_for(wait(), timeout)


async def snapshots(events: asyncio.Queue[Event], *routes: str, timeout: float = 20.0) -> dict[str, Snapshot]:
    """One snapshot of each route, in whatever order the two modules' sockets deliver them."""
    found: dict[str, Snapshot] = {}
    while set(found) != set(routes):
        snapshot = await next_event(events, Snapshot, timeout=timeout)
        if snapshot.route in routes:
            found[snapshot.route] = snapshot
    return found


async def test_snapshot_updates_and_resubscribe_through_a_server_restart(tmp_path: Path, market: Market) -> None:
    server = Restartable(tmp_path / "broker.sqlite3", market)
    await server.start()
    events: asyncio.Queue[Event] = asyncio.Queue()
    stream = Stream(server.url, first_delay=0.05, max_delay=0.5)

    async def pump() -> None:
        async for event in stream:
            events.put_nowait(event)

    reader = asyncio.create_task(pump())
    try:
        await stream.subscribe("orders", ACCOUNT)
        await stream.subscribe("bars", {"symbol": "AAPL", "resolution": "1"})
        found = await snapshots(events, "orders", "bars")
        orders, bars = found["orders"], found["bars"]
        assert orders.items == () and orders.topic == topic_of("orders", ACCOUNT)
        assert len(bars.items) == 300 and all(isinstance(b, Bar) for b in bars.items)
        live = await next_event(events, Update, "bars")
        last = bars.items[-1]
        assert isinstance(live.item, Bar) and isinstance(last, Bar) and live.item.time >= last.time

        first = (await stream.broker.get_async_httpx_client().post("/orders", json=RESTING)).json()["orderId"]
        update = await next_event(events, Update, "orders")
        assert isinstance(update, Update) and isinstance(update.item, PlacedOrder)
        assert (update.item.id, update.item.status) == (first, OrderStatus.WORKING)

        await server.stop()
        gone: set[str] = set()
        while gone != {"broker", "datafeed"}:  # both sockets were closed by the shutdown
            gone.add((await next_event(events, Reconnecting)).module)
        await server.start()

        again = (await snapshots(events, "orders", "bars"))["orders"]
        assert [(o.id, o.status) for o in again.items if isinstance(o, PlacedOrder)] == [(first, OrderStatus.WORKING)]
        second = (await stream.broker.get_async_httpx_client().post("/orders", json=RESTING)).json()["orderId"]
        while True:
            after = await next_event(events, Update, "orders")
            assert isinstance(after, Update) and isinstance(after.item, PlacedOrder)
            if after.item.id == second:  # the server's own snapshot of `first` may come first
                break
        held = {topic_of("orders", ACCOUNT), topic_of("bars", {"symbol": "AAPL", "resolution": "1"})}
        assert set(stream.subscriptions) == held
    finally:
        reader.cancel()
        await stream.close()
        if server.runner is not None:
            await server.stop()


async def test_quotes_snapshot_rejection_and_unsubscribe(tmp_path: Path, market: Market) -> None:
    server = Restartable(tmp_path / "broker.sqlite3", market)
    await server.start()
    events: asyncio.Queue[Event] = asyncio.Queue()
    try:
        async with Stream(server.url) as stream:
            reader = asyncio.create_task(_pump(stream, events))
            quotes = {"symbols": ["AAPL", "ZZZ"], "fast_symbols": ["MSFT"]}
            await stream.subscribe("quotes", quotes)
            snapshot = await next_event(events, Snapshot, "quotes")
            assert isinstance(snapshot, Snapshot)
            assert [(q.n, q.s) for q in snapshot.items if isinstance(q, QuoteData)] == [
                ("AAPL", "ok"), ("ZZZ", "error"), ("MSFT", "ok")]
            await stream.subscribe("bars", {"symbol": "AAPL", "resolution": "2"})
            rejected = await next_event(events, Rejected, "bars")
            assert isinstance(rejected, Rejected) and "resolution" in rejected.message
            assert set(stream.subscriptions) == {topic_of("quotes", quotes)}
            await stream.unsubscribe("quotes", quotes)
            assert stream.subscriptions == {}
            reader.cancel()
    finally:
        await server.stop()


async def _pump(stream: Stream, events: asyncio.Queue[Event]) -> None:
    async for event in stream:
        events.put_nowait(event)


@pytest.mark.parametrize("route", ["executions", "equity", "broker-connection"])
async def test_routes_without_a_rest_list_get_an_empty_snapshot_then_the_servers_updates(
    route: str, tmp_path: Path, market: Market
) -> None:
    server = Restartable(tmp_path / "broker.sqlite3", market)
    await server.start()
    events: asyncio.Queue[Event] = asyncio.Queue()
    try:
        async with Stream(server.url) as stream:
            reader = asyncio.create_task(_pump(stream, events))
            await stream.subscribe(route, ACCOUNT)  # type: ignore[arg-type]
            snapshot = await next_event(events, Snapshot, route)
            assert isinstance(snapshot, Snapshot) and snapshot.items == ()
            if route != "executions":  # the server sends equity and connection status right after
                assert isinstance(await next_event(events, Update, route), Update)
            reader.cancel()
    finally:
        await server.stop()


async def test_with_auth_required_the_key_opens_the_socket_and_a_wrong_one_ends_the_stream(
    make_client: ClientFactory, tmp_path: Path
) -> None:
    from app.accounts.directory import Directory

    store_url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    directory = await Directory(store_url).open()
    try:
        account, key = await directory.create_account("alice", 100_000.0)
    finally:
        await directory.close()
    app = await make_client(auth="required", store_url=store_url, key_poll_s=0.05)
    url = base_url(app)
    events: asyncio.Queue[Event] = asyncio.Queue()
    async with Stream(url, key.token) as stream:
        reader = asyncio.create_task(_pump(stream, events))
        await stream.subscribe("orders", {"accountId": account.id})
        assert (await next_event(events, Snapshot, "orders")).items == ()
        placed = (await stream.broker.get_async_httpx_client().post("/orders", json=RESTING)).json()["orderId"]
        update = await next_event(events, Update, "orders")
        assert isinstance(update.item, PlacedOrder) and update.item.id == placed
        reader.cancel()

    async with Stream(url, key.token + "x") as refused:
        await refused.subscribe("orders", {"accountId": account.id})
        with pytest.raises(StreamClosed, match="401"):
            async for _ in refused:
                pass
