"""Resumable work: a long computation written as a generator that yields between its pieces.

The market stays free of threads and event loops; whoever runs the work decides what happens
between pieces. ``finish`` runs it straight through; the runtime's worker thread releases the
interpreter lock at every yield, so the event loop never waits for more than one piece.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TypeVar

T = TypeVar("T")
Steps = Generator[None, None, T]


def finish(steps: Steps[T]) -> T:
    """Run resumable work to its end and return its value."""
    while True:
        try:
            next(steps)
        except StopIteration as done:
            value: T = done.value
            return value
