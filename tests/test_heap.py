"""GC_FREEZE: a server freezes its start-up heap, so full collections scan only later objects;
GC_THRESHOLDS: and runs them a tenth as often as CPython would."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from app.settings import Settings
from tests.conftest import ClientFactory


@pytest.fixture
def unfrozen() -> Iterator[None]:
    """The test process must not keep what one test froze."""
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_a_server_from_the_environment_freezes_unless_told_not_to() -> None:
    assert Settings.from_env({}).gc_freeze is True
    assert Settings.from_env({"GC_FREEZE": "0"}).gc_freeze is False
    assert Settings().gc_freeze is False  # apps built in code (tests) leave the collector alone
    with pytest.raises(ValueError, match="GC_FREEZE"):
        Settings.from_env({"GC_FREEZE": "sometimes"})


async def test_start_up_ends_with_a_frozen_heap(make_client: ClientFactory, unfrozen: None) -> None:
    client = await make_client(gc_freeze=True)
    assert gc.get_freeze_count() > 10_000  # modules, schemas, routes, the broker's state
    assert (await client.post("/api/v1/broker/orders", json={"symbol": "AAPL", "type": 1, "side": 1,
                                                             "qty": 1, "limitPrice": 1.5})).status == 200


async def test_without_it_nothing_is_frozen(make_client: ClientFactory, unfrozen: None) -> None:
    await make_client()
    assert gc.get_freeze_count() == 0


def test_a_server_from_the_environment_runs_a_tenth_as_many_full_collections() -> None:
    assert Settings.from_env({}).gc_thresholds == (700, 10, 100)
    assert Settings.from_env({"GC_THRESHOLDS": " 2000, 20 ,50"}).gc_thresholds == (2000, 20, 50)
    assert Settings().gc_thresholds is None


@pytest.mark.parametrize("value", ["700,10", "700,10,100,5", "700,ten,100", "0,10,100", "700,10,-1"])
def test_thresholds_that_are_not_three_positive_numbers_are_refused(value: str) -> None:
    with pytest.raises(ValueError, match="GC_THRESHOLDS must be three whole numbers"):
        Settings.from_env({"GC_THRESHOLDS": value})


async def test_the_thresholds_hold_while_the_server_runs_and_are_put_back_after() -> None:
    from aiohttp.test_utils import TestClient, TestServer

    from app.factory import create_app

    found = gc.get_threshold()
    app = create_app(Settings().with_overrides(store_url="memory:", gc_thresholds=(1234, 5, 67)))
    async with TestClient(TestServer(app)) as client:
        assert gc.get_threshold() == (1234, 5, 67)
        assert (await client.get("/api/v1/broker/health")).status == 200
    assert gc.get_threshold() == found
