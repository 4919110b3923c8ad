"""The day caches: full day paths (an LRU plus each symbol's hot latest day) and minute aggregates.

A full day path is about 1.7 MB, so only a few dozen are kept; a day's minute aggregates are
about 58 kB, so the cache holds every symbol's whole intraday window. Building either is the
market's only heavy work: ``path_work`` and ``minutes_work`` hand it out as resumable work
over immutable inputs (read here, by the caches' owner), and ``install_*`` put the results in.
Whoever owns the market (one thread) is the only one touching these maps.
"""

from __future__ import annotations

from app.market.daypath import (
    DayPath,
    MinuteBars,
    day_draw,
    day_path_steps,
    minute_bars_steps,
)
from app.market.lru import LruCache
from app.market.series import SymbolSeries
from app.market.steps import Steps, finish


class DayCache:
    def __init__(self, seed: int, path_days: int, minute_days: int) -> None:
        self.seed = seed
        self._paths: LruCache[tuple[str, int], DayPath] = LruCache(path_days)
        self._hot: dict[str, tuple[int, DayPath]] = {}
        self._minutes: LruCache[tuple[str, int], MinuteBars] = LruCache(minute_days)

    def path(self, sym: SymbolSeries, day: int) -> DayPath:
        """Each symbol's latest day path is kept aside: quotes and matching ask for it
        thousands of times a second, and the LRU's bookkeeping is the larger cost."""
        name = sym.spec.name
        hot = self._hot.get(name)
        if hot is not None and hot[0] == day:
            return hot[1]
        path = self._paths.get_or_compute((name, day), lambda: finish(self.path_work(sym, day)))
        if hot is None or day >= hot[0]:
            self._hot[name] = (day, path)
        return path

    def minutes(self, sym: SymbolSeries, day: int) -> MinuteBars:
        return self._minutes.get_or_compute((sym.spec.name, day), lambda: finish(self.minutes_work(sym, day)))

    def has_path(self, name: str, day: int) -> bool:
        hot = self._hot.get(name)
        return (hot is not None and hot[0] == day) or (name, day) in self._paths

    def has_minutes(self, name: str, day: int) -> bool:
        return (name, day) in self._minutes

    def path_work(self, sym: SymbolSeries, day: int) -> Steps[DayPath]:
        return day_path_steps(sym.spec, self.seed, day_draw(sym.daily, day), day)

    def minutes_work(self, sym: SymbolSeries, day: int) -> Steps[MinuteBars]:
        """From the cached path when there is one, else from a path built on the way (not kept)."""
        name = sym.spec.name
        hot = self._hot.get(name)
        if hot is not None and hot[0] == day:
            return minute_bars_steps(hot[1])
        if (name, day) in self._paths:
            return minute_bars_steps(self._paths.get_or_compute((name, day), _absent))
        return self._minutes_from_scratch(self.path_work(sym, day))

    def install_path(self, name: str, day: int, path: DayPath) -> None:
        """Into the LRU only: a day prepared ahead becomes hot when it is first asked for."""
        self._paths.get_or_compute((name, day), lambda: path)

    def install_minutes(self, name: str, day: int, minutes: MinuteBars) -> None:
        self._minutes.get_or_compute((name, day), lambda: minutes)

    @staticmethod
    def _minutes_from_scratch(path_steps: Steps[DayPath]) -> Steps[MinuteBars]:
        path = yield from path_steps
        yield
        return (yield from minute_bars_steps(path))


def _absent() -> DayPath:
    raise KeyError("checked present")
