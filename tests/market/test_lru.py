from __future__ import annotations

import pytest

from app.market.lru import LruCache


def test_lru_keeps_at_most_its_capacity_and_evicts_the_least_recently_used() -> None:
    cache: LruCache[str, int] = LruCache(2)
    calls: list[str] = []

    def compute(key: str) -> int:
        calls.append(key)
        return len(calls)

    assert cache.get_or_compute("a", lambda: compute("a")) == 1
    assert cache.get_or_compute("b", lambda: compute("b")) == 2
    assert cache.get_or_compute("a", lambda: compute("a")) == 1
    assert cache.get_or_compute("c", lambda: compute("c")) == 3
    assert len(cache) == 2
    assert "b" not in cache and "a" in cache
    assert cache.get_or_compute("b", lambda: compute("b")) == 4
    assert calls == ["a", "b", "c", "b"]


def test_lru_needs_a_positive_capacity() -> None:
    with pytest.raises(ValueError):
        LruCache(0)
