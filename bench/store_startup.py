#!/usr/bin/env python3
"""Start-up time of the broker with many stored orders (SQLite, or ``--store`` any URL).

    python bench/store_startup.py                 # 100,000 orders in a temporary SQLite file
    python bench/store_startup.py --orders 20000 --store postgresql://u:p@127.0.0.1:5432/db

Fills the store through the real path (the engine behind group commit, 1,000 concurrent
placements a batch), then measures a cold start of the account three ways: from the snapshot
a clean shutdown leaves; from that snapshot plus the longest journal the snapshot policy lets
accumulate (``JOURNAL_PER_SNAPSHOT`` times the snapshot's size); and, for reference, from the journal alone (what a
process killed before its first snapshot would replay). Each start is ``DurableAccount.start``
(open, claim, load, rebuild) plus the first ``GET /orders`` body, timed in-process.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.broker.api.durable import DurableAccount  # noqa: E402
from app.broker.api.wire import OrdersBody  # noqa: E402
from app.broker.domain.commands import PlaceOrder  # noqa: E402
from app.broker.domain.engine import Engine  # noqa: E402
from app.broker.domain.enums import OrderType, Side  # noqa: E402
from app.broker.domain.requests import OrderRequest  # noqa: E402
from app.broker.domain.settings import EngineSettings  # noqa: E402
from app.broker.domain.terms import OrderTerms  # noqa: E402
from app.factory import build_market  # noqa: E402
from app.market.model import Market  # noqa: E402
from app.settings import Settings  # noqa: E402
from app.store import open_store  # noqa: E402

BATCH = 1000


def engine(market: Market) -> Engine:
    return Engine(market, EngineSettings(first_order_seq=1))


async def fill(url: str, market: Market, orders: int, snapshots: bool, clean: bool) -> tuple[float, int]:
    """``snapshots``: as the server takes them (else never); ``clean``: a shutdown snapshot, else
    the process stops as if killed."""
    account = DurableAccount(engine(market), open_store(url), snapshot_min_bytes=1 << 20 if snapshots else 1 << 60)
    await account.start()
    started = time.perf_counter()
    request = OrderRequest("AAPL", OrderType.LIMIT, Side.BUY, OrderTerms(1.0, limit_price=1.5))
    for first in range(0, orders, BATCH):
        await asyncio.gather(*(account.execute(PlaceOrder(request)) for _ in range(min(BATCH, orders - first))))
    elapsed = time.perf_counter() - started
    if clean:
        await account.close()
    else:
        await account.group.idle()
        await account.store.close()
    return elapsed, account.seq


async def cold_start(url: str, market: Market) -> tuple[float, int, int]:
    account = DurableAccount(engine(market), open_store(url))
    started = time.perf_counter()
    await account.start()
    OrdersBody(account.engine)()
    elapsed = time.perf_counter() - started
    stored = await account.store.load(account.account_id)
    await account.store.close()
    return elapsed, len(account.engine.state.orders), len(stored.records)


def report(label: str, seconds: float, orders: int, replayed: int) -> None:
    print(f"{label:<52} {seconds:6.2f} s   ({orders:,} orders, {replayed:,} journal records after the snapshot)",
          flush=True)


async def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--orders", type=int, default=100_000)
    ap.add_argument("--store", help="a store URL to fill (default: SQLite files in a temporary directory)")
    a = ap.parse_args(argv)
    market = build_market(Settings())
    market.warm()
    with tempfile.TemporaryDirectory(prefix="store-bench-") as tmp:
        def url(name: str) -> str:
            return a.store or f"sqlite:///{Path(tmp) / name}"

        took, seq = await fill(url("snapshot.sqlite3"), market, a.orders, snapshots=True, clean=True)
        print(f"filled {a.orders:,} orders ({seq:,} events) in {took:.1f} s through group commit", flush=True)
        report("start from the shutdown snapshot", *await cold_start(url("snapshot.sqlite3"), market))
        if a.store:
            return 0
        await fill(url("killed.sqlite3"), market, a.orders, snapshots=True, clean=False)
        report("start after kill -9 (last snapshot + its journal tail)",
               *await cold_start(url("killed.sqlite3"), market))
        await fill(url("journal.sqlite3"), market, a.orders, snapshots=False, clean=False)
        report("start from the journal alone (no snapshot ever)", *await cold_start(url("journal.sqlite3"), market))
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
