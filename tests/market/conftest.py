"""Shared fixtures: the built-in catalogue and markets on a fixed clock."""

from __future__ import annotations

import pytest

from app.market import Catalogue, Market, default_catalogue

# Tuesday 2026-11-24 12:34:56.789 UTC
NOW = 1_795_523_696_789
DAY = 86_400_000
TODAY = NOW - NOW % DAY
YESTERDAY = TODAY - DAY


class SteppedClock:
    """A clock the test moves by hand."""

    def __init__(self, start: int) -> None:
        self.t = start

    def __call__(self) -> int:
        return self.t

    def advance(self, ms: int) -> None:
        self.t += ms


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return default_catalogue()


@pytest.fixture
def market(catalogue: Catalogue) -> Market:
    return Market(catalogue, seed=7, clock=lambda: NOW)
