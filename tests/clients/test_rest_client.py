"""The generated client gives the same answers as raw HTTP, for every operation of both modules.

Two identical apps (same stepped clock, order ids from ORDER-1, no background matching) receive
the same sequence of requests, one through `trader_pro_client`, the other as raw aiohttp requests;
every step must answer the same status and the same JSON, and the client's parsed model, dumped
back with ``to_dict()``, must be that JSON again (so no field of the wire is lost or renamed).
"""

from __future__ import annotations

import json
import os
import pkgutil
import re
from pathlib import Path
from collections.abc import AsyncIterator, Awaitable
from types import ModuleType
from typing import Any

import pytest
from trader_pro_client import broker_client, datafeed_client
from trader_pro_client.broker.api import broker as broker_api
from trader_pro_client.broker.api.broker import (
    cancel_order,
    close_position,
    edit_position_brackets,
    get_account_info,
    get_accounts,
    get_api_versions,
    get_current_api_version,
    get_executions,
    get_health_status,
    get_orders,
    get_positions,
    leverage_info,
    modify_order,
    place_order,
    preview_leverage,
    preview_order,
    set_leverage,
)
from trader_pro_client.broker.models import (
    BodyEditPositionBrackets,
    Brackets,
    HealthResponse,
    HTTPError,
    HTTPValidationError,
    LeverageSetParams,
    OrderType,
    PlacedOrder,
    PreOrder,
    Side,
)
from trader_pro_client.broker.types import Response as BrokerResponse
from trader_pro_client.datafeed.api import datafeed as datafeed_api
from trader_pro_client.datafeed.api.datafeed import get_api_versions as df_get_api_versions
from trader_pro_client.datafeed.api.datafeed import get_bars as df_get_bars
from trader_pro_client.datafeed.api.datafeed import get_config as df_get_config
from trader_pro_client.datafeed.api.datafeed import get_current_api_version as df_get_current_api_version
from trader_pro_client.datafeed.api.datafeed import get_health_status as df_get_health_status
from trader_pro_client.datafeed.api.datafeed import get_quotes as df_get_quotes
from trader_pro_client.datafeed.api.datafeed import resolve_symbol as df_resolve_symbol
from trader_pro_client.datafeed.api.datafeed import search_symbols as df_search_symbols
from trader_pro_client.datafeed.api.datafeed import udf_get_config as df_udf_get_config
from trader_pro_client.datafeed.api.datafeed import udf_get_history as df_udf_get_history
from trader_pro_client.datafeed.api.datafeed import udf_get_quotes as df_udf_get_quotes
from trader_pro_client.datafeed.api.datafeed import udf_get_time as df_udf_get_time
from trader_pro_client.datafeed.api.datafeed import udf_resolve_symbol as df_udf_resolve_symbol
from trader_pro_client.datafeed.api.datafeed import udf_search_symbols as df_udf_search_symbols
from trader_pro_client.datafeed.models import GetQuotesRequest, UdfError
from trader_pro_client.datafeed.types import Response as DatafeedResponse

from tests.clients.conftest import App, base_url
from tests.specs.conftest import ORIGINAL_SPECS
from tests.clock import NOW
from tests.conftest import ClientFactory

HOUR = 3_600_000


BROKER_COMPATIBLE = {
    "cancel_order", "close_position", "edit_position_brackets", "get_api_versions", "get_account_info",
    "get_accounts", "get_current_api_version", "get_executions", "get_health_status", "get_orders",
    "get_positions", "leverage_info", "modify_order", "place_order", "preview_leverage", "preview_order",
    "set_leverage",
}
"""The original's operations (CONTRACT, shared/reference) and ``getAccounts``: the compatibility surface.
Operations added since (histories, ...) are generated too; their own tests exercise them over HTTP."""
DATAFEED_COMPATIBLE = {
    "get_api_versions", "get_bars", "get_config", "get_current_api_version", "get_health_status", "get_quotes",
    "resolve_symbol", "search_symbols", "udf_get_config", "udf_get_history", "udf_get_quotes", "udf_get_time",
    "udf_resolve_symbol", "udf_search_symbols",
}


def snake(operation_id: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", operation_id.replace("API", "Api")).lower()


def test_the_compatible_set_holds_every_operation_of_the_original() -> None:
    reference = Path(os.environ.get("ORIGINAL_SPECS", ORIGINAL_SPECS))
    if not reference.is_dir():
        pytest.skip("original specs not available (ORIGINAL_SPECS)")
    for module, covered in (("broker", BROKER_COMPATIBLE), ("datafeed", DATAFEED_COMPATIBLE)):
        document = json.loads((reference / f"{module}_v1_openapi.json").read_text())
        original = {snake(op["operationId"]) for item in document["paths"].values() for op in item.values()}
        assert original <= covered, module


def operations(package: ModuleType) -> set[str]:
    """Every generated operation module of a package (one per operationId of the document)."""
    return {info.name for info in pkgutil.iter_modules(package.__path__)}


def plain(parsed: Any) -> Any:
    if isinstance(parsed, list):
        return [plain(item) for item in parsed]
    if hasattr(parsed, "to_dict"):
        return parsed.to_dict()
    return parsed


class Pair:
    """One app spoken to through the generated client, its twin through raw HTTP."""

    def __init__(self, generated: App, raw: App) -> None:
        self.raw = raw
        self.broker = broker_client(base_url(generated))
        self.datafeed = datafeed_client(base_url(generated))
        self.operations: set[str] = set()

    async def same(
        self,
        detailed: Awaitable[BrokerResponse[Any] | DatafeedResponse[Any]],
        method: str,
        path: str,
        *,
        varies: str = "",
        **request: Any,
    ) -> Any:
        """``varies``: a key whose value differs per request by design (health's wall-clock ``timestamp``,
        preview's random ``confirmId``): present on both sides, values not compared."""
        self.operations.add(detailed.cr_frame.f_globals["__name__"].rpartition(".")[2])  # type: ignore[attr-defined]
        answer = await detailed
        raw = await self.raw.request(method, path, **request)
        assert int(answer.status_code) == raw.status, (path, answer.content)
        if raw.content_type == "application/json":
            body = await raw.json()
            got = json.loads(answer.content)
            assert plain(answer.parsed) == got, path
            if varies:
                assert got.pop(varies) and body.pop(varies)
            assert got == body, path
        else:
            body = await raw.text()
            assert answer.content.decode() == body and answer.parsed == body, path
        return answer.parsed

    async def both(self, method: str, path: str, **request: Any) -> None:
        """A request outside the documents (``/debug/*``), sent to both apps."""
        for app in (self.raw, self.generated_app):
            response = await app.request(method, path, **request)
            assert response.status == 200, await response.text()

    generated_app: App


@pytest.fixture
async def pair(make_app: ClientFactory) -> AsyncIterator[Pair]:
    generated, raw = await make_app(), await make_app()
    twins = Pair(generated, raw)
    twins.generated_app = generated
    yield twins
    await twins.broker.get_async_httpx_client().aclose()
    await twins.datafeed.get_async_httpx_client().aclose()


B = "/api/v1/broker"
D = "/api/v1/datafeed"


async def test_every_broker_operation_answers_as_raw_http(pair: Pair) -> None:
    c = pair.broker
    health = await pair.same(get_health_status.asyncio_detailed(client=c), "GET", f"{B}/health", varies="timestamp")
    assert health.status == "ok"
    await pair.same(get_api_versions.asyncio_detailed(client=c), "GET", f"{B}/versions")
    await pair.same(get_current_api_version.asyncio_detailed(client=c), "GET", f"{B}/version")
    await pair.same(get_account_info.asyncio_detailed(client=c), "GET", f"{B}/account")
    accounts = await pair.same(get_accounts.asyncio_detailed(client=c), "GET", f"{B}/accounts")
    assert [a.id for a in accounts] == ["DEMO-ACCOUNT"]

    limit = {"symbol": "AAPL", "type": 1, "side": 1, "qty": 2, "limitPrice": 1.5}
    body = PreOrder(symbol="AAPL", type_=OrderType.LIMIT, side=Side.BUY, qty=2, limit_price=1.5)
    assert body.to_dict() == limit
    preview = await pair.same(preview_order.asyncio_detailed(client=c, body=body), "POST", f"{B}/orders/preview",
                              json=limit, varies="confirmId")
    assert preview.sections
    placed = await pair.same(place_order.asyncio_detailed(client=c, body=body), "POST", f"{B}/orders", json=limit)
    assert placed.order_id == "ORDER-1"
    moved = PreOrder(symbol="AAPL", type_=OrderType.LIMIT, side=Side.BUY, qty=3, limit_price=1.75)
    await pair.same(modify_order.asyncio_detailed("ORDER-1", client=c, body=moved), "PUT", f"{B}/orders/ORDER-1",
                    json=moved.to_dict())
    orders = await pair.same(get_orders.asyncio_detailed(client=c), "GET", f"{B}/orders")
    assert isinstance(orders[0], PlacedOrder) and orders[0].qty == 3 and orders[0].limit_price == 1.75
    await pair.same(cancel_order.asyncio_detailed("ORDER-1", client=c), "DELETE", f"{B}/orders/ORDER-1")
    refused = await pair.same(cancel_order.asyncio_detailed("ORDER-1", client=c), "DELETE", f"{B}/orders/ORDER-1")
    assert isinstance(refused, HTTPError) and "ORDER-1" in refused.detail

    market = {"symbol": "MSFT", "type": 2, "side": 1, "qty": 10, "takeProfit": 10_000.0}
    await pair.same(place_order.asyncio_detailed(client=c, body=PreOrder.from_dict(market)), "POST", f"{B}/orders",
                    json=market)
    await pair.both("POST", f"{B}/debug/execute-orders")
    positions = await pair.same(get_positions.asyncio_detailed(client=c), "GET", f"{B}/positions")
    assert [(p.symbol, p.qty, p.side) for p in positions] == [("MSFT", 10, Side.BUY)]
    executions = await pair.same(get_executions.asyncio_detailed("MSFT", client=c), "GET", f"{B}/executions/MSFT")
    assert [e.qty for e in executions] == [10]
    brackets = {"brackets": {"takeProfit": 9_000.0, "stopLoss": 1.0}}
    await pair.same(
        edit_position_brackets.asyncio_detailed(
            "MSFT", client=c, body=BodyEditPositionBrackets(brackets=Brackets(take_profit=9_000.0, stop_loss=1.0))
        ),
        "PUT", f"{B}/positions/MSFT/brackets", json=brackets,
    )
    await pair.same(get_orders.asyncio_detailed(client=c), "GET", f"{B}/orders")
    await pair.same(close_position.asyncio_detailed("MSFT", client=c, amount=4), "DELETE", f"{B}/positions/MSFT",
                    params={"amount": "4"})
    await pair.both("POST", f"{B}/debug/execute-orders")
    await pair.same(get_positions.asyncio_detailed(client=c), "GET", f"{B}/positions")
    await pair.same(close_position.asyncio_detailed("MSFT", client=c), "DELETE", f"{B}/positions/MSFT")
    await pair.both("POST", f"{B}/debug/execute-orders")
    missing = await pair.same(close_position.asyncio_detailed("MSFT", client=c), "DELETE", f"{B}/positions/MSFT")
    assert isinstance(missing, HTTPError)
    await pair.same(get_positions.asyncio_detailed(client=c), "GET", f"{B}/positions")

    query = {"symbol": "AAPL", "orderType": "2", "side": "1"}
    info = await pair.same(
        leverage_info.asyncio_detailed(client=c, symbol="AAPL", order_type=OrderType.MARKET, side=Side.BUY),
        "GET", f"{B}/leverage/info", params=query,
    )
    assert info.leverage > 0
    lev = LeverageSetParams(symbol="AAPL", order_type=OrderType.MARKET, side=Side.BUY, leverage=5)
    await pair.same(preview_leverage.asyncio_detailed(client=c, body=lev), "POST", f"{B}/leverage/preview",
                    json=lev.to_dict())
    await pair.same(set_leverage.asyncio_detailed(client=c, body=lev), "PUT", f"{B}/leverage/set", json=lev.to_dict())
    too_high = LeverageSetParams(symbol="AAPL", order_type=OrderType.MARKET, side=Side.BUY, leverage=10_000)
    await pair.same(set_leverage.asyncio_detailed(client=c, body=too_high), "PUT", f"{B}/leverage/set",
                    json=too_high.to_dict())

    bad = {"symbol": "AAPL", "type": 1, "side": 1, "qty": -1, "limitPrice": 1.5}
    invalid = await pair.same(place_order.asyncio_detailed(client=c, body=PreOrder.from_dict(bad)), "POST",
                              f"{B}/orders", json=bad)
    assert isinstance(invalid, HTTPValidationError) and invalid.detail[0].loc == ["body", "qty"]
    assert pair.operations == BROKER_COMPATIBLE and pair.operations <= operations(broker_api)


async def test_every_datafeed_operation_answers_as_raw_http(pair: Pair) -> None:
    c = pair.datafeed
    await pair.same(df_get_health_status.asyncio_detailed(client=c), "GET", f"{D}/health", varies="timestamp")
    for op, path in ((df_get_api_versions, "/versions"), (df_get_current_api_version, "/version"),
                     (df_get_config, "/config"), (df_udf_get_config, "/udf/config"), (df_udf_get_time, "/udf/time")):
        await pair.same(op.asyncio_detailed(client=c), "GET", D + path)

    found = await pair.same(df_search_symbols.asyncio_detailed(client=c, user_input="AA", max_results=5), "GET",
                            f"{D}/search", params={"user_input": "AA", "max_results": "5"})
    assert "AAPL" in [item.symbol for item in found]
    info = await pair.same(df_resolve_symbol.asyncio_detailed("AAPL", client=c), "GET", f"{D}/resolve/AAPL")
    assert info.name == "AAPL"
    await pair.same(df_resolve_symbol.asyncio_detailed("NOPE", client=c), "GET", f"{D}/resolve/NOPE")

    window = {"symbol": "AAPL", "resolution": "5", "from_time": str(NOW - 2 * HOUR), "to_time": str(NOW)}
    bars = await pair.same(
        df_get_bars.asyncio_detailed(client=c, symbol="AAPL", resolution="5", from_time=NOW - 2 * HOUR, to_time=NOW),
        "GET", f"{D}/bars", params=window,
    )
    assert len(bars.bars) >= 24
    last3 = await pair.same(
        df_get_bars.asyncio_detailed(client=c, symbol="AAPL", resolution="5", from_time=NOW - 2 * HOUR, to_time=NOW,
                                     count_back=3),
        "GET", f"{D}/bars", params={**window, "count_back": "3"},
    )
    assert [bar.to_dict() for bar in last3.bars] == [bar.to_dict() for bar in bars.bars[-3:]]
    await pair.same(
        df_get_bars.asyncio_detailed(client=c, symbol="AAPL", resolution="5", from_time=NOW - HOUR, to_time=NOW,
                                     count_back=-1),
        "GET", f"{D}/bars", params={**window, "count_back": "-1", "from_time": str(NOW - HOUR)},
    )
    quotes = {"symbols": ["AAPL", "ZZZ"]}
    answer = await pair.same(df_get_quotes.asyncio_detailed(client=c, body=GetQuotesRequest.from_dict(quotes)),
                             "POST", f"{D}/quotes", json=quotes)
    assert [(q.n, q.s) for q in answer] == [("AAPL", "ok"), ("ZZZ", "error")]

    await pair.same(df_udf_resolve_symbol.asyncio_detailed(client=c, symbol="NASDAQ:AAPL"), "GET", f"{D}/udf/symbols",
                    params={"symbol": "NASDAQ:AAPL"})
    unknown = await pair.same(df_udf_resolve_symbol.asyncio_detailed(client=c, symbol="NOPE"), "GET",
                              f"{D}/udf/symbols", params={"symbol": "NOPE"})
    assert isinstance(unknown, UdfError) and unknown.errmsg == "unknown_symbol"
    await pair.same(df_udf_search_symbols.asyncio_detailed(client=c, query="MS", limit=3), "GET", f"{D}/udf/search",
                    params={"query": "MS", "limit": "3"})
    seconds = {"symbol": "AAPL", "resolution": "60", "from": str((NOW - 10 * HOUR) // 1000), "to": str(NOW // 1000)}
    history = await pair.same(
        df_udf_get_history.asyncio_detailed(client=c, symbol="AAPL", resolution="60", from_=(NOW - 10 * HOUR) // 1000,
                                            to=NOW // 1000),
        "GET", f"{D}/udf/history", params=seconds,
    )
    assert history.s == "ok" and len(history.t) >= 9
    udf_quotes = await pair.same(df_udf_get_quotes.asyncio_detailed(client=c, symbols="AAPL,MSFT"), "GET",
                                 f"{D}/udf/quotes", params={"symbols": "AAPL,MSFT"})
    assert [q.n for q in udf_quotes.d] == ["AAPL", "MSFT"]  # the `d` the stock template lost
    assert pair.operations == DATAFEED_COMPATIBLE and pair.operations <= operations(datafeed_api)


async def test_a_key_is_sent_as_a_bearer_token(make_app: ClientFactory) -> None:
    """With a key the helpers send ``Authorization: Bearer <key>`` on every request."""
    app = await make_app()
    keyed = broker_client(base_url(app), "DEMO-ACCOUNT.nokey.secret")
    assert keyed.get_async_httpx_client().headers["Authorization"] == "Bearer DEMO-ACCOUNT.nokey.secret"
    answer = await get_health_status.asyncio(client=keyed)
    assert isinstance(answer, HealthResponse) and answer.status == "ok"
    await keyed.get_async_httpx_client().aclose()
