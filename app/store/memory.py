"""``memory:``: no persistence. Every write succeeds and is forgotten; every load is empty.

Its order history is empty too: with ``memory:`` the broker answers ``GET /orders/history``
from the engine's own orders, which hold every final order (app.broker.api.history).

The broker runs the same command path over it as over a database (group commit, publication
after the commit), but ``durable`` is False, so it neither encodes events nor takes snapshots:
the in-memory server pays nothing for a store it does not have.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.store.interface import HistoryRow, Record, Snapshot, Stored


class MemoryStore:
    __slots__ = ("_epochs",)

    def __init__(self) -> None:
        self._epochs: dict[str, int] = {}

    @property
    def name(self) -> str:
        return "memory:"

    @property
    def durable(self) -> bool:
        return False

    async def open(self) -> None:
        return None

    async def close(self) -> None:
        return None

    async def ping(self) -> None:
        return None

    async def claim(self, account_id: str) -> int:
        epoch = self._epochs[account_id] = self._epochs.get(account_id, 0) + 1
        return epoch

    async def load(self, account_id: str) -> Stored:
        return Stored(None, (), 0)

    async def append(self, account_id: str, epoch: int, records: Sequence[Record], *,
                     truncate_before: int | None = None, history: Sequence[HistoryRow] = ()) -> None:
        return None

    async def order_history(self, account_id: str, limit: int,
                            before: tuple[int, int] | None = None) -> list[HistoryRow]:
        return []

    async def history_count(self, account_id: str) -> int:
        return 0

    async def add_history(self, account_id: str, epoch: int, rows: Sequence[HistoryRow]) -> None:
        return None

    async def save_snapshot(self, account_id: str, epoch: int, snapshot: Snapshot) -> None:
        return None
