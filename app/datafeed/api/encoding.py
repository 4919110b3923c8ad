"""Bars on the wire: ``GetBarsResponse`` and UDF history bytes, byte for byte what orjson gives.

Daily and weekly answers (at most a few hundred bars, asked for again and again) go through a
cache of per-bar encodings. Long intraday series are encoded from columns as resumable work,
a piece of bars at a time, so the worker thread (app.runtime.offload) can run them without
holding the interpreter lock for long.
"""

from __future__ import annotations

from typing import Any

import orjson

from app.datafeed.api import wire
from app.datafeed.domain.service import BarsAnswer
from app.market.intraday import IntradaySeries
from app.market.steps import Steps
from app.market.values import Bar

MAX_CACHED_BARS = 100_000
NO_BARS = b'{"bars":[],"no_data":false}'
NO_DATA = b'{"bars":[],"no_data":true}'


def _encode_bar(value: Bar) -> bytes:
    """A Bar's JSON through its dict (orjson is slow on slots dataclasses)."""
    return orjson.dumps(wire.bar(value))


def _body(parts: list[bytes]) -> bytes:
    return b'{"bars":[' + b",".join(parts) + b'],"no_data":false}'


class BarCache:
    """``GetBarsResponse`` bytes from per-bar encodings cached by bar time.

    Only the last bar of an answer can still grow (bars never reach past now), so every other
    bar is immutable and encoded once; a cache that grows past MAX_CACHED_BARS is simply
    dropped and rebuilt. Used on the event loop only.
    """

    def __init__(self) -> None:
        self.encoded: dict[tuple[str, str], dict[int, bytes]] = {}

    def body(self, answer: BarsAnswer) -> bytes:
        bars = answer.bars
        if not bars:
            return NO_DATA if answer.no_data else NO_BARS
        key = answer.key
        cache = self.encoded.get(key)
        if cache is None or len(cache) > MAX_CACHED_BARS:
            cache = self.encoded[key] = {}
        parts = []
        get = cache.get
        for bar in bars[:-1]:
            encoded = get(bar.time)
            if encoded is None:
                encoded = cache[bar.time] = _encode_bar(bar)
            parts.append(encoded)
        parts.append(_encode_bar(bars[-1]))
        return _body(parts)


def series_body(series: IntradaySeries) -> Steps[bytes]:
    """``GetBarsResponse`` of a non-empty intraday series, a piece of bars per step."""
    parts = []
    for t, o, h, lo, c, v in series.pieces():
        parts.append(orjson.dumps(wire.bar_rows(t, o, h, lo, c, v))[1:-1])
        yield
    if series.partial is not None:
        parts.append(_encode_bar(series.partial))
    return _body(parts)


def udf_history_body(series: IntradaySeries) -> Steps[bytes]:
    """UDF ``history`` columns (times in seconds) of a non-empty intraday series."""
    columns: tuple[list[Any], ...] = ([], [], [], [], [], [])
    for t, o, h, lo, c, v in series.pieces():
        pieces: tuple[list[Any], ...] = ([ms // 1000 for ms in t], o, h, lo, c, v)
        for column, values in zip(columns, pieces):
            column.extend(values)
        yield
    if series.partial is not None:
        bar = series.partial
        for column, value in zip(columns, (bar.time // 1000, bar.open, bar.high, bar.low, bar.close, bar.volume)):
            column.append(value)
    return udf_history_columns(*columns)


def udf_history_columns(t: list[int], o: list[float], h: list[float], lo: list[float], c: list[float],
                        v: list[int]) -> bytes:
    return orjson.dumps({"s": "ok", "t": t, "o": o, "h": h, "l": lo, "c": c, "v": v})
