"""The slice of the simulated market the engine depends on (typed seam, no I/O)."""

from __future__ import annotations

from typing import Protocol


class QuoteLike(Protocol):
    @property
    def bid(self) -> float: ...

    @property
    def ask(self) -> float: ...


class ExtremesLike(Protocol):
    @property
    def bid_low(self) -> float: ...

    @property
    def bid_high(self) -> float: ...

    @property
    def ask_low(self) -> float: ...

    @property
    def ask_high(self) -> float: ...


class SymbolSpecLike(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def tick_size(self) -> float: ...

    def round_price(self, price: float, /) -> float: ...

    def is_on_tick(self, price: float, /) -> bool: ...

    def tick_price(self, price: float, /) -> float | None: ...


class CatalogueLike(Protocol):
    def resolve(self, text: str, /) -> SymbolSpecLike | None: ...


class PriceSource(Protocol):
    """Clock, quotes and path extremes; ``extremes`` covers the half-open window (t0, t1]."""

    @property
    def catalogue(self) -> CatalogueLike: ...

    def now(self) -> int: ...

    def quote(self, symbol: str, t: int | None = None, /) -> QuoteLike: ...

    def top(self, symbol: str, t: int | None = None, /) -> QuoteLike:
        """The bid and ask alone: cheaper than ``quote`` on the matching hot path."""

    def extremes(self, symbol: str, t0: int, t1: int, /) -> ExtremesLike: ...
