"""GC_FREEZE: a server freezes its start-up heap, so full collections scan only later objects."""

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
