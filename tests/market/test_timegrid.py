from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.market.timegrid import Resolution, parse_resolution, week_start_day

from .conftest import DAY, NOW, TODAY

MONDAY = TODAY - DAY  # NOW is a Tuesday


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1", Resolution.MIN_1), ("5", Resolution.MIN_5), ("15", Resolution.MIN_15), ("60", Resolution.MIN_60),
     ("1D", Resolution.DAY), ("D", Resolution.DAY), ("1W", Resolution.WEEK), ("W", Resolution.WEEK),
     ("30", None), ("1M", None), ("d", None), ("", None)],
)
def test_parse_resolution_accepts_served_spellings_and_aliases(text: str, expected: Resolution | None) -> None:
    assert parse_resolution(text) is expected


@pytest.mark.parametrize(
    ("resolution", "start"),
    [(Resolution.MIN_1, TODAY + 754 * 60_000), (Resolution.MIN_5, TODAY + 750 * 60_000),
     (Resolution.MIN_15, TODAY + 750 * 60_000), (Resolution.MIN_60, TODAY + 12 * 3_600_000),
     (Resolution.DAY, TODAY), (Resolution.WEEK, MONDAY)],
)
def test_bar_start_of_now(resolution: Resolution, start: int) -> None:
    assert resolution.bar_start(NOW) == start


def test_weeks_start_on_monday() -> None:
    assert week_start_day(MONDAY // DAY) == MONDAY // DAY
    assert week_start_day(MONDAY // DAY + 6) == MONDAY // DAY
    assert week_start_day(MONDAY // DAY + 7) == MONDAY // DAY + 7
    assert week_start_day(0) == -3  # 1970-01-01 was a Thursday


@given(st.sampled_from(list(Resolution)), st.integers(min_value=0, max_value=4_000_000_000_000))
def test_a_bar_contains_its_times_and_ends_where_the_next_starts(resolution: Resolution, t: int) -> None:
    start = resolution.bar_start(t)
    assert start <= t < resolution.next_start(start)
    assert resolution.bar_start(resolution.next_start(start)) == resolution.next_start(start)


def test_the_websocket_schema_accepts_exactly_the_grids_resolutions() -> None:
    """``schemas`` may not import the market, so its literal list is tied to the one here."""
    from app.market.timegrid import ACCEPTED_RESOLUTIONS
    from schemas.ws import BAR_RESOLUTIONS

    assert BAR_RESOLUTIONS == ACCEPTED_RESOLUTIONS
