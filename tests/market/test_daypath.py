from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.market import Catalogue, default_catalogue
from app.market.daily import ANCHOR_DAY, DailySeries
from app.market.daypath import build_day_path, minute_bars
from app.market.timegrid import STEPS_PER_DAY

CATALOGUE = default_catalogue()


@settings(max_examples=12, deadline=None)
@given(st.sampled_from(["AAPL", "EURUSD", "BTCUSD", "KO"]), st.integers(ANCHOR_DAY, ANCHOR_DAY + 5000),
       st.integers(0, 2**32 - 1))
def test_a_day_path_honours_the_days_ohlcv_exactly(symbol: str, day: int, seed: int) -> None:
    spec = CATALOGUE.get(symbol)
    daily = DailySeries(spec, seed)
    i = daily.index(day)
    path = build_day_path(spec, seed, daily, day)
    assert len(path.last) == STEPS_PER_DAY
    assert int(path.last[0]) == daily.open[i]
    assert int(path.last[-1]) == daily.close[i]
    assert int(path.last.max()) == daily.high[i]
    assert int(path.last.min()) == daily.low[i]
    assert int(path.cum_volume[-1]) == daily.volume[i]
    assert int(path.run_high[-1]) == daily.high[i]
    assert int(path.run_low[-1]) == daily.low[i]
    assert bool((path.cum_volume[1:] >= path.cum_volume[:-1]).all())


def test_a_day_path_is_the_same_when_built_twice(catalogue: Catalogue) -> None:
    spec = catalogue.get("NVDA")
    one = build_day_path(spec, 5, DailySeries(spec, 5), ANCHOR_DAY + 777)
    two = build_day_path(spec, 5, DailySeries(spec, 5), ANCHOR_DAY + 777)
    assert one.last.tolist() == two.last.tolist()
    assert one.cum_volume.tolist() == two.cum_volume.tolist()


def test_minute_bars_aggregate_the_path_and_group_into_longer_bars(catalogue: Catalogue) -> None:
    spec = catalogue.get("TSLA")
    daily = DailySeries(spec, 0)
    path = build_day_path(spec, 0, daily, ANCHOR_DAY + 10)
    minutes = minute_bars(path)
    assert int(minutes.open[1]) == int(path.last[60])
    assert int(minutes.close[1]) == int(path.last[119])
    assert int(minutes.high[1]) == int(path.last[60:120].max())
    assert int(minutes.volume[1]) == path.volume_between(60, 119)
    hours = minutes.grouped(60)
    assert len(hours.open) == 24
    assert int(hours.high[3]) == int(path.last[3 * 3600 : 4 * 3600].max())
    assert int(hours.low[3]) == int(path.last[3 * 3600 : 4 * 3600].min())
    assert int(hours.volume.sum()) == daily.volume[10]
