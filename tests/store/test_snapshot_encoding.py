"""An account snapshot goes to the store through orjson and each order's compiled display,
not the codec's per-field ``to_data``: the bytes must be the very ones ``to_data`` gives."""

from __future__ import annotations

import orjson

from app.broker.api.persistence import CODEC, snapshot_from, snapshot_payload
from app.broker.domain.checkpoint import AccountSnapshot, differences, export_state, import_state
from app.broker.domain.commands import CancelOrder, PlaceOrder, SetLeverage, Step
from app.broker.domain.enums import OrderStatus, Side
from app.broker.domain.terms import Duration
from tests.broker.helpers import engine, limit, market, req


def test_an_account_snapshot_is_written_by_orjson_as_the_codec_would_and_reads_back() -> None:
    m = market()
    e = engine(m)
    e.handle(PlaceOrder(req(qty=2.0)))  # filled at the next step: a position and an execution
    e.handle(Step(m.advance(10)))
    e.handle(PlaceOrder(limit(Side.BUY, 1.0, 90.0, take_profit=120.0, stop_loss=80.0,
                              duration=Duration("GTD", m.t + 3_600_000))))
    cancelled = e.handle(PlaceOrder(limit(Side.SELL, 3.0, 130.0), client_order_id="c1")).value
    e.handle(CancelOrder(cancelled))
    e.handle(SetLeverage("AAPL", 5.0))
    snapshot = export_state(e.state)
    S = OrderStatus
    assert {o.status for o in snapshot.orders} == {S.FILLED, S.WORKING, S.INACTIVE, S.CANCELED}
    assert snapshot.executions and snapshot.positions and snapshot.client_ids

    payload = snapshot_payload(snapshot)
    assert CODEC._native[AccountSnapshot] is not None, "written through a display, not to_data"
    assert payload == orjson.dumps(CODEC.to_data(snapshot))
    assert differences(e.state, import_state(snapshot_from(payload))) == []
