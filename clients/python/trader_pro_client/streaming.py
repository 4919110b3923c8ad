"""WebSocket streams of the Trader Pro backend (``asyncapi.yaml``), hand-written beside the generated REST.

Why a layer at all: the wire sends ``R.subscribe.response`` and then ``R.update`` items with no
end-of-snapshot marker, and a dropped socket (server restart, 1013 for a slow client) loses the
subscriptions. `Stream` hides both: after every successful ``subscribe.response`` it fetches the
route's REST list and yields it as one `Snapshot` (before any later update of that connection, so
"snapshot, then updates" holds; an update right after may repeat what the snapshot already had),
and it reconnects with exponential backoff and re-subscribes everything it holds, which yields a
fresh `Snapshot` per subscription — the resync a client needs after a gap.

    async with Stream("http://127.0.0.1:8000", key) as stream:
        await stream.subscribe("bars", {"symbol": "AAPL", "resolution": "1"})
        async for event in stream:
            ...  # Snapshot | Update | Rejected | Reconnecting | ServerError

Routes without a REST list (``executions`` needs a symbol, ``equity``, ``broker-connection``) get
a `Snapshot` with no items; the server's own snapshot updates for them follow as `Update`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
from collections import deque
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias, get_args

import aiohttp

from trader_pro_client import broker_client, datafeed_client, module_url
from trader_pro_client.broker.api.broker import get_orders, get_positions
from trader_pro_client.broker.models import Execution, PlacedOrder, Position
from trader_pro_client.datafeed.api.datafeed import get_bars, get_quotes
from trader_pro_client.datafeed.models import Bar, GetQuotesRequest, QuoteData

Module: TypeAlias = Literal["broker", "datafeed"]
BrokerRoute: TypeAlias = Literal["orders", "positions", "executions", "equity", "broker-connection"]
DatafeedRoute: TypeAlias = Literal["bars", "quotes"]
Route: TypeAlias = BrokerRoute | DatafeedRoute

MessageType: TypeAlias = Literal[
    "orders.subscribe", "orders.subscribe.response", "orders.unsubscribe", "orders.unsubscribe.response",
    "orders.update",
    "positions.subscribe", "positions.subscribe.response", "positions.unsubscribe", "positions.unsubscribe.response",
    "positions.update",
    "executions.subscribe", "executions.subscribe.response", "executions.unsubscribe",
    "executions.unsubscribe.response", "executions.update",
    "equity.subscribe", "equity.subscribe.response", "equity.unsubscribe", "equity.unsubscribe.response",
    "equity.update",
    "broker-connection.subscribe", "broker-connection.subscribe.response", "broker-connection.unsubscribe",
    "broker-connection.unsubscribe.response", "broker-connection.update",
    "bars.subscribe", "bars.subscribe.response", "bars.unsubscribe", "bars.unsubscribe.response", "bars.update",
    "quotes.subscribe", "quotes.subscribe.response", "quotes.unsubscribe", "quotes.unsubscribe.response",
    "quotes.update",
    "error",
]
"""Every message name of ``asyncapi.yaml`` (a test compares them with the document)."""

ROUTE_MODULE: dict[Route, Module] = {
    **{route: "broker" for route in get_args(BrokerRoute)},
    **{route: "datafeed" for route in get_args(DatafeedRoute)},
}


@dataclass(frozen=True, slots=True)
class EquityData:
    """``equity.update`` (AsyncAPI ``EquityData``; not in the OpenAPI documents, so not generated)."""

    equity: float
    balance: float
    unrealized_pl: float
    realized_pl: float
    raw: Mapping[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EquityData:
        return cls(float(data["equity"]), float(data["balance"]), float(data["unrealizedPL"]),
                   float(data["realizedPL"]), data)


@dataclass(frozen=True, slots=True)
class BrokerConnectionStatus:
    """``broker-connection.update``: 1 connected, 0 disconnected (e.g. matching suspended)."""

    status: int
    message: str | None
    timestamp: int
    raw: Mapping[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BrokerConnectionStatus:
        return cls(int(data["status"]), data.get("message"), int(data["timestamp"]), data)


Item: TypeAlias = PlacedOrder | Position | Execution | EquityData | BrokerConnectionStatus | Bar | QuoteData

_PARSERS: dict[Route, Any] = {
    "orders": PlacedOrder.from_dict,
    "positions": Position.from_dict,
    "executions": Execution.from_dict,
    "equity": EquityData.from_dict,
    "broker-connection": BrokerConnectionStatus.from_dict,
    "bars": Bar.from_dict,
    "quotes": QuoteData.from_dict,
}


def parse_item(route: Route, data: Mapping[str, Any]) -> Item:
    item: Item = _PARSERS[route](data)
    return item


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The REST list of a route, fetched right after its ``subscribe.response`` (also after a reconnect)."""

    route: Route
    topic: str
    items: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class Update:
    route: Route
    topic: str
    item: Item


@dataclass(frozen=True, slots=True)
class Rejected:
    """``status: "error"`` to a subscribe/unsubscribe; the subscription is dropped (not retried)."""

    route: Route
    topic: str
    message: str


@dataclass(frozen=True, slots=True)
class Reconnecting:
    """A module's socket closed or could not open; the next try is in ``delay`` seconds."""

    module: Module
    attempt: int
    delay: float
    reason: str


@dataclass(frozen=True, slots=True)
class ServerError:
    """``{"type": "error"}``: the server could not read one of our messages."""

    module: Module
    message: str


Event: TypeAlias = Snapshot | Update | Rejected | Reconnecting | ServerError


class StreamClosed(Exception):
    """A handshake was refused for good (401/403: no or a revoked key): reconnecting cannot help."""


def topic_of(route: Route, params: Mapping[str, Any]) -> str:
    """The server's topic string (CONTRACT §6.5) for a payload holding exactly the route's request keys."""

    def normalize(value: Any) -> Any:
        if value is None:
            return ""
        if isinstance(value, Mapping):
            return {key: normalize(item) for key, item in value.items()}
        if isinstance(value, (list, tuple)):
            return [normalize(item) for item in value]
        return value

    return route + ":" + json.dumps(normalize(params), sort_keys=True, separators=(",", ":"), ensure_ascii=True)


RESOLUTION_MS: dict[str, int] = {
    "1": 60_000, "5": 300_000, "15": 900_000, "60": 3_600_000,
    "1D": 86_400_000, "D": 86_400_000, "1W": 604_800_000, "W": 604_800_000,
}
FAR_FUTURE_MS = 4_102_444_800_000
"""2100-01-01: ``/bars`` stops a future ``to_time`` at the server's now, whatever its clock says."""


class Stream:
    """Both modules' sockets behind one async iterator; each socket opens at its first subscription."""

    def __init__(
        self,
        base_url: str,
        key: str | None = None,
        *,
        snapshot_bars: int = 300,
        first_delay: float = 0.1,
        max_delay: float = 5.0,
        heartbeat: float = 20.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.key = key
        self.snapshot_bars = snapshot_bars
        self.first_delay, self.max_delay, self.heartbeat = first_delay, max_delay, heartbeat
        self._events: asyncio.Queue[Event | BaseException] = asyncio.Queue()
        self._wanted: dict[str, tuple[Route, dict[str, Any]]] = {}
        self._sockets: dict[Module, aiohttp.ClientWebSocketResponse] = {}
        self._pending: dict[Module, deque[tuple[str, str]]] = {"broker": deque(), "datafeed": deque()}
        self._tasks: dict[Module, asyncio.Task[None]] = {}
        self._session: aiohttp.ClientSession | None = None
        self.broker = broker_client(self.base_url, key)
        self.datafeed = datafeed_client(self.base_url, key)
        self._closed = False

    async def __aenter__(self) -> Stream:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        self._closed = True
        for task in self._tasks.values():
            task.cancel()
        for task in self._tasks.values():
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._session is not None:
            await self._session.close()
        await self.broker.get_async_httpx_client().aclose()
        await self.datafeed.get_async_httpx_client().aclose()

    @property
    def subscriptions(self) -> dict[str, tuple[Route, dict[str, Any]]]:
        """Topic → (route, params) of what the stream holds (and re-subscribes after a reconnect)."""
        return dict(self._wanted)

    async def subscribe(self, route: Route, params: Mapping[str, Any]) -> str:
        """Hold ``route`` with ``params`` (its request model, e.g. ``{"accountId": ...}``); returns the topic."""
        topic = topic_of(route, params)
        self._wanted[topic] = (route, dict(params))
        await self._send(route, "subscribe", topic, params)
        return topic

    async def unsubscribe(self, route: Route, params: Mapping[str, Any]) -> None:
        topic = topic_of(route, params)
        self._wanted.pop(topic, None)
        await self._send(route, "unsubscribe", topic, params)

    def __aiter__(self) -> AsyncIterator[Event]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[Event]:
        while True:
            event = await self._events.get()
            if isinstance(event, BaseException):
                raise event
            yield event

    async def _send(self, route: Route, action: str, topic: str, params: Mapping[str, Any]) -> None:
        module = ROUTE_MODULE[route]
        if module not in self._tasks:
            self._tasks[module] = asyncio.create_task(self._run(module), name=f"stream-{module}")
            return  # the connection subscribes to everything wanted when it opens
        ws = self._sockets.get(module)
        if ws is not None and not ws.closed:
            if action == "subscribe":
                self._pending[module].append((route, topic))
            with contextlib.suppress(ConnectionResetError):
                await ws.send_str(json.dumps({"type": f"{route}.{action}", "payload": dict(params)}))

    def _ws_url(self, module: Module) -> str:
        url = module_url(self.base_url, module).replace("http://", "ws://", 1).replace("https://", "wss://", 1)
        return f"{url}/ws" + (f"?token={self.key}" if self.key else "")

    async def _run(self, module: Module) -> None:
        if self._session is None:
            self._session = aiohttp.ClientSession()
        attempt = 0
        while not self._closed:
            reason = "closed"
            try:
                async with self._session.ws_connect(self._ws_url(module), heartbeat=self.heartbeat) as ws:
                    attempt = 0
                    self._sockets[module] = ws
                    self._pending[module].clear()
                    for topic, (route, params) in list(self._wanted.items()):
                        if ROUTE_MODULE[route] == module:
                            self._pending[module].append((route, topic))
                            await ws.send_str(json.dumps({"type": f"{route}.subscribe", "payload": params}))
                    async for message in ws:
                        if message.type == aiohttp.WSMsgType.TEXT:
                            await self._handle(module, json.loads(message.data))
                    reason = f"closed {ws.close_code}"
            except aiohttp.WSServerHandshakeError as exc:
                if exc.status in (401, 403):
                    self._events.put_nowait(StreamClosed(f"{module} handshake refused: {exc.status} {exc.message}"))
                    return
                reason = f"handshake {exc.status}"
            except (aiohttp.ClientError, OSError, asyncio.TimeoutError, _SnapshotFailed) as exc:
                reason = f"{type(exc).__name__}: {exc}"
            finally:
                self._sockets.pop(module, None)
            if self._closed:
                return
            delay = min(self.max_delay, self.first_delay * 2**attempt) * random.uniform(0.8, 1.2)
            attempt += 1
            self._events.put_nowait(Reconnecting(module, attempt, delay, reason))
            await asyncio.sleep(delay)

    async def _handle(self, module: Module, message: Mapping[str, Any]) -> None:
        kind = str(message.get("type", ""))
        payload = message.get("payload") or {}
        if kind == "error":
            self._events.put_nowait(ServerError(module, str(payload.get("message", ""))))
            return
        route_name, _, action = kind.partition(".")
        if route_name not in ROUTE_MODULE:
            return
        route: Route = route_name
        topic = str(payload.get("topic", ""))
        if action == "update":
            self._events.put_nowait(Update(route, topic, parse_item(route, payload["payload"])))
        elif action == "subscribe.response":
            wanted_topic = self._pending[module].popleft()[1] if self._pending[module] else topic
            if payload.get("status") == "ok":
                params = self._wanted.get(wanted_topic, self._wanted.get(topic, (route, {})))[1]
                self._events.put_nowait(Snapshot(route, topic, await self._snapshot(route, params)))
            else:
                self._wanted.pop(wanted_topic, None)
                self._events.put_nowait(Rejected(route, topic, str(payload.get("message", ""))))
        elif action == "unsubscribe.response" and payload.get("status") != "ok":
            self._events.put_nowait(Rejected(route, topic, str(payload.get("message", ""))))

    async def _snapshot(self, route: Route, params: Mapping[str, Any]) -> tuple[Item, ...]:
        try:
            return tuple(await self._fetch(route, params))
        except Exception as exc:  # the server went away between the answer and the fetch: resync on reconnect
            raise _SnapshotFailed(f"{route} snapshot: {exc!r}") from exc

    async def _fetch(self, route: Route, params: Mapping[str, Any]) -> Sequence[Item]:
        if route == "orders":
            return _as_list(await get_orders.asyncio(client=self.broker), PlacedOrder)
        if route == "positions":
            return _as_list(await get_positions.asyncio(client=self.broker), Position)
        if route == "bars":
            answer = await get_bars.asyncio(
                client=self.datafeed, symbol=str(params["symbol"]), resolution=str(params["resolution"]),
                from_time=0, to_time=FAR_FUTURE_MS, count_back=self.snapshot_bars,
            )
            bars = getattr(answer, "bars", None)
            if not isinstance(bars, list):
                raise _SnapshotFailed(f"bars snapshot: {answer!r}")
            return bars
        if route == "quotes":
            body = GetQuotesRequest(symbols=[*params.get("symbols", []), *params.get("fast_symbols", [])])
            return _as_list(await get_quotes.asyncio(client=self.datafeed, body=body), QuoteData)
        return ()


class _SnapshotFailed(Exception):
    pass


def _as_list(answer: object, kind: type[Any]) -> list[Any]:
    if not isinstance(answer, list) or not all(isinstance(item, kind) for item in answer):
        raise _SnapshotFailed(f"expected a list of {kind.__name__}, got {answer!r}")
    return answer
