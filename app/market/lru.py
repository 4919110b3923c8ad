"""A bounded least-recently-used map, so lazily computed day paths cannot grow memory without bound."""

from __future__ import annotations

from collections import OrderedDict
from typing import Callable, Generic, Hashable, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LruCache(Generic[K, V]):
    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self._capacity = capacity
        self._items: OrderedDict[K, V] = OrderedDict()

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def get_or_compute(self, key: K, compute: Callable[[], V]) -> V:
        items = self._items
        try:
            value = items[key]
        except KeyError:
            value = compute()
            items[key] = value
            if len(items) > self._capacity:
                items.popitem(last=False)
            return value
        items.move_to_end(key)
        return value
