"""One symbol's series beside its day paths: the daily walk and the closed daily and weekly bars.

Closed bars never change, so each is built once (list index = days or weeks since
``ANCHOR_DAY``) and a daily or weekly range is a slice of a list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from app.market.catalogue import SymbolSpec
from app.market.daily import ANCHOR_DAY, DailySeries
from app.market.timegrid import DAY_MS
from app.market.values import Bar


@dataclass(slots=True)
class SymbolSeries:
    spec: SymbolSpec
    daily: DailySeries
    bid_offset: int
    ask_offset: int
    daily_bars: list[Bar] = field(default_factory=list)
    weekly_bars: list[Bar] = field(default_factory=list)

    @classmethod
    def of(cls, spec: SymbolSpec, seed: int) -> SymbolSeries:
        half = spec.spread_ticks // 2
        return cls(spec, DailySeries(spec, seed), bid_offset=half, ask_offset=spec.spread_ticks - half)

    def bar(self, t: int, o: int, h: int, low: int, c: int, v: int) -> Bar:
        p = self.spec.ticks_to_price
        return Bar(t, p(o), p(h), p(low), p(c), v)

    def closed_daily(self, today: int) -> list[Bar]:
        """Daily bars from ANCHOR_DAY (list index = day − ANCHOR_DAY), at least up to yesterday."""
        bars = self.daily_bars
        if ANCHOR_DAY + len(bars) < today:
            daily = self.daily
            daily.ensure(today)
            start = len(bars)
            bars.extend(
                self.bar((ANCHOR_DAY + start + j) * DAY_MS, o, h, lo, c, v)
                for j, (o, h, lo, c, v) in enumerate(
                    zip(
                        daily.open[start:],
                        daily.high[start:],
                        daily.low[start:],
                        daily.close[start:],
                        daily.volume[start:],
                    )
                )
            )
        return bars

    def closed_weekly(self, this_week: int) -> list[Bar]:
        """Weekly bars from ANCHOR_DAY (index = weeks since then), at least up to last week."""
        weeks = self.weekly_bars
        if ANCHOR_DAY + 7 * len(weeks) < this_week:
            daily = self.closed_daily(this_week)
            complete = (len(daily) // 7) * 7
            for first in range(7 * len(weeks), complete, 7):
                weeks.append(merge(daily[first : first + 7], daily[first].time))
        return weeks


def merge(bars: Sequence[Bar], time: int) -> Bar:
    """One bar spanning consecutive bars (a week of days)."""
    return Bar(
        time,
        bars[0].open,
        max(b.high for b in bars),
        min(b.low for b in bars),
        bars[-1].close,
        sum(b.volume for b in bars),
    )


def prices(spec: SymbolSpec, ticks: npt.NDArray[np.int64]) -> list[float]:
    """Vectorised ``ticks_to_price``: int64 → float64 division rounds exactly as Python's does."""
    result: list[float] = ((ticks * spec.minmov) / spec.pricescale).tolist()
    return result
