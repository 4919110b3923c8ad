"""The datafeed over ``app.market``: configuration, search, bars and quotes as wire data.

Transport-free on purpose: the compatible REST views, the UDF views and the streams all call
these functions, so the same bar has the same OHLC whichever way it is asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.market.catalogue import Catalogue, SymbolSpec
from app.market.model import Market
from app.market.timegrid import SUPPORTED_RESOLUTIONS, parse_resolution
from app.market.values import Bar

MAX_BARS = 10_000
SYMBOL_NOT_FOUND = "Symbol not found"

_TYPE_NAMES = {"stock": "Stock", "crypto": "Crypto", "forex": "Forex", "index": "Index", "futures": "Futures"}


@dataclass(frozen=True, slots=True)
class BarsAnswer:
    bars: list[Bar]
    no_data: bool
    key: tuple[str, str] = ("", "")
    """(canonical symbol, canonical resolution): what the transport's encoded-bar cache is
    keyed by, so spellings such as ``aapl``/``AAPL`` or ``D``/``1D`` share one bounded cache."""


class Datafeed:
    def __init__(self, market: Market) -> None:
        self.market = market
        self.catalogue: Catalogue = market.catalogue

    def configuration(self) -> dict[str, Any]:
        exchanges = [{"value": "", "name": "All Exchanges", "desc": ""}]
        exchanges += [{"value": ex, "name": ex, "desc": ex} for ex in self.catalogue.exchanges()]
        types = [{"name": "All types", "value": ""}]
        types += [{"name": _TYPE_NAMES.get(t, t.title()), "value": t} for t in self.catalogue.types()]
        return {
            "supported_resolutions": list(SUPPORTED_RESOLUTIONS),
            "supports_marks": False,
            "supports_timescale_marks": False,
            "supports_time": True,
            "exchanges": exchanges,
            "symbols_types": types,
        }

    def resolve(self, text: str) -> SymbolSpec | None:
        return self.catalogue.resolve(text)

    def search(self, user_input: str, exchange: str, symbol_type: str, max_results: int) -> list[dict[str, Any]]:
        return [
            {
                "symbol": spec.name,
                "description": spec.description,
                "exchange": spec.exchange,
                "ticker": spec.ticker,
                "type": spec.type,
            }
            for spec in self.catalogue.search(user_input, exchange, symbol_type, max_results)
        ]

    @staticmethod
    def is_resolution(text: str) -> bool:
        return parse_resolution(text) is not None

    def bars(self, symbol: str, resolution: str, from_ms: int, to_ms: int, count_back: int | None) -> BarsAnswer:
        """DESIGN §8: a far-future ``to`` stops at now, at most MAX_BARS (the most recent);
        ``no_data`` only when nothing exists at or before ``to_ms``."""
        spec = self.catalogue.resolve(symbol)
        if spec is None:
            return BarsAnswer([], True)
        bars = self.market.bars(spec.name, resolution, from_ms, to_ms, count_back or None, MAX_BARS)
        parsed = parse_resolution(resolution)
        key = (spec.name, parsed.value if parsed is not None else resolution)
        if bars:
            return BarsAnswer(bars, False, key)
        return BarsAnswer([], not self.market.has_bar_at_or_before(spec.name, resolution, to_ms), key)

    def quote(self, text: str) -> dict[str, Any]:
        """QuoteData for one requested symbol, echoed as sent (CONTRACT §8.5)."""
        spec = self.catalogue.resolve(text)
        if spec is None:
            return {"s": "error", "n": text, "v": {"error": SYMBOL_NOT_FOUND}}
        q = self.market.quote(spec.name)
        price = spec.round_price
        return {
            "s": "ok",
            "n": text,
            "v": {
                "lp": q.last,
                "ask": q.ask,
                "bid": q.bid,
                "spread": price(q.spread),
                "open_price": q.open,
                "high_price": q.high,
                "low_price": q.low,
                "prev_close_price": q.prev_close,
                "volume": q.volume,
                "ch": price(q.change),
                "chp": round(q.change_percent, 2),
                "short_name": text,
                "exchange": spec.exchange,
                "description": spec.description,
                "original_name": text,
            },
        }

    def quotes(self, symbols: Sequence[str]) -> list[dict[str, Any]]:
        return [self.quote(text) for text in symbols]
