"""Counts a hub keeps for its operator: plain integers, read at scrape time (app.observability.live)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass(slots=True)
class HubStats:
    sent: Counter[str] = field(default_factory=Counter)
    """Update frames handed to sockets, per route (one per subscriber and event)."""
    closes: Counter[int | None] = field(default_factory=Counter)
    """Ended connections by close code (None: the connection broke without a close)."""
    conflated: int = 0
    """Frames of connections already gone that a newer one replaced (live ones count their own)."""
