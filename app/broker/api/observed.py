"""The broker's series: orders by the status they reach, the matching steps' time and failures,
and the store's commit times and batch sizes.

Counted from what the engine publishes, so the engine knows nothing of metrics. An order
counts once per status it enters (a modify that keeps it working counts nothing); only live
orders are remembered, so the memory is bounded by the working book.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from time import perf_counter

from app.broker.domain.commands import Step
from app.broker.domain.engine import CommandFailed
from app.broker.domain.enums import OrderStatus
from app.broker.domain.snapshots import Event, PlacedOrder
from app.observability.metrics import LabelledCounts, Metrics
from app.store.interface import StoreError

Sink = Callable[[Sequence[Event]], None]


def order_counter(orders: LabelledCounts) -> Sink:
    for status in OrderStatus:
        orders.bind(status.name.lower())
    values = orders.values
    labels = {int(status): (status.name.lower(), status.is_final) for status in OrderStatus}
    last: dict[str, int] = {}

    def sink(events: Sequence[Event]) -> None:
        for event in events:
            if type(event) is not PlacedOrder:
                continue
            status = event.status
            if last.get(event.id) == status:
                continue
            label, final = labels[status]
            values[label] += 1
            if final:
                last.pop(event.id, None)
            else:
                last[event.id] = status

    return sink


def timed_steps(metrics: Metrics, execute: Callable[[Step], Awaitable[None]]) -> Callable[[Step], Awaitable[None]]:
    """The matching loop's ``execute`` observed into ``engine_step_seconds`` (a step with its
    commit, as durable as its events) and ``engine_step_failures_total`` (the steps the loop
    counts as failed: rolled back, or not committed)."""
    seconds, failures = metrics.engine_step_seconds, metrics.engine_step_failures

    async def observed(step: Step) -> None:
        start = perf_counter()
        try:
            await execute(step)
        except (CommandFailed, StoreError):
            failures.inc()
            raise
        finally:
            seconds.observe(perf_counter() - start)

    return observed


def commit_observer(metrics: Metrics) -> Callable[[int, float], None]:
    seconds, sizes = metrics.store_commit_seconds, metrics.store_batch_size

    def observe(commands: int, took: float) -> None:
        seconds.observe(took)
        sizes.observe(commands)

    return observe
