"""The market's time grid: base steps, UTC days, Monday weeks and bar resolutions.

All times are integer milliseconds since the Unix epoch (UTC). The market trades 24x7, so a
trading day is the UTC day and a week starts on Monday 00:00 UTC.
"""

from __future__ import annotations

import enum

STEP_MS = 1_000
DAY_MS = 86_400_000
STEPS_PER_DAY = DAY_MS // STEP_MS
MINUTES_PER_DAY = 1_440
STEPS_PER_MINUTE = 60
_EPOCH_WEEKDAY = 3  # 1970-01-01 was a Thursday (Monday = 0)


class Resolution(enum.Enum):
    """Bar resolutions served; the value is the canonical wire spelling."""

    MIN_1 = "1"
    MIN_5 = "5"
    MIN_15 = "15"
    MIN_60 = "60"
    DAY = "1D"
    WEEK = "1W"

    @property
    def minutes(self) -> int:
        """Bar length in minutes for intraday resolutions, 0 for daily and weekly."""
        return int(self.value) if self.is_intraday else 0

    @property
    def is_intraday(self) -> bool:
        return self not in (Resolution.DAY, Resolution.WEEK)

    def bar_start(self, t: int) -> int:
        """Open time of the bar that contains t."""
        if self is Resolution.WEEK:
            return week_start_day(day_of(t)) * DAY_MS
        length = DAY_MS if self is Resolution.DAY else self.minutes * 60_000
        return t - t % length

    def next_start(self, bar_time: int) -> int:
        if self is Resolution.WEEK:
            return bar_time + 7 * DAY_MS
        if self is Resolution.DAY:
            return bar_time + DAY_MS
        return bar_time + self.minutes * 60_000


SUPPORTED_RESOLUTIONS: tuple[str, ...] = tuple(r.value for r in Resolution)
"""The one list of served resolutions, in canonical spelling and wire order."""
_ALIASES = {"D": Resolution.DAY, "W": Resolution.WEEK}
ACCEPTED_RESOLUTIONS: tuple[str, ...] = SUPPORTED_RESOLUTIONS + tuple(_ALIASES)
"""What a request may spell: the served resolutions plus TradingView's aliases."""


def parse_resolution(text: str) -> Resolution | None:
    """Accept the served spellings plus TradingView's ``D``/``W`` aliases; None otherwise."""
    alias = _ALIASES.get(text)
    if alias is not None:
        return alias
    try:
        return Resolution(text)
    except ValueError:
        return None


def day_of(t: int) -> int:
    """Days since the epoch of the UTC day containing t."""
    return t // DAY_MS


def week_start_day(day: int) -> int:
    """The Monday on or before ``day`` (both in days since the epoch)."""
    return day - (day + _EPOCH_WEEKDAY) % 7


def floor_step(t: int) -> int:
    return t - t % STEP_MS
