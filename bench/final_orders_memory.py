#!/usr/bin/env python3
"""Heap held per 1,000 final orders (issue 18 item 4: do final orders stay in memory for ever?).

One engine on the real market (``memory:``: no store), its cached ``GET /orders`` body built as
the server builds it; then ``--orders`` orders are made final, half as limits placed and cancelled,
half as market orders filled by a step (each fill also keeps its execution), and the heap is
measured with tracemalloc before and after (``GET /orders`` built again, as a client's next read
would). Prints one JSON line: KiB per 1,000 final orders of each kind and mixed.
"""

from __future__ import annotations

import argparse
import gc
import json
import tracemalloc

from app.broker.api.wire import OrdersBody
from app.broker.domain.commands import CancelOrder, PlaceOrder, Step
from app.broker.domain.engine import Engine
from app.broker.domain.enums import OrderType, Side
from app.broker.domain.requests import OrderRequest
from app.broker.domain.settings import EngineSettings
from app.broker.domain.terms import OrderTerms
from app.market import Market, default_catalogue

LIMIT = OrderRequest("AAPL", OrderType.LIMIT, Side.BUY, OrderTerms(1.0, limit_price=1.5))
MARKET = OrderRequest("AAPL", OrderType.MARKET, Side.BUY, OrderTerms(1.0))
WARM_UP = 500


def held_kib(kind: str, orders: int) -> float:
    clock = [1_795_523_696_789]
    market = Market(default_catalogue(), seed=0, clock=lambda: clock[0])
    engine = Engine(market, EngineSettings(first_order_seq=1))
    body = OrdersBody(engine)
    engine.add_sink(body.sink)

    def finish(count: int) -> None:
        for i in range(count):
            if kind == "cancelled" or (kind == "mixed" and i % 2):
                order_id = engine.handle(PlaceOrder(LIMIT)).value
                engine.handle(CancelOrder(order_id))
            else:
                engine.handle(PlaceOrder(MARKET))
                clock[0] += 1000
                engine.handle(Step())
        body()

    tracemalloc.start()
    finish(WARM_UP)  # the day's price path, lazy imports, caches: not per order
    gc.collect()
    before = tracemalloc.get_traced_memory()[0]
    finish(orders)
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return (after - before) / 1024 / (orders / 1000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=20_000)
    args = parser.parse_args()
    kinds = ("cancelled", "filled", "mixed")
    result = {f"kib_per_1000_{kind}": round(held_kib(kind, args.orders), 1) for kind in kinds}
    print(json.dumps({"orders": args.orders, **result}))


if __name__ == "__main__":
    main()
