"""The broker's series: orders by the status they reach, and the matching steps' time and failures.

Counted from what the engine publishes, so the engine knows nothing of metrics. An order
counts once per status it enters (a modify that keeps it working counts nothing); only live
orders are remembered, so the memory is bounded by the working book.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from time import perf_counter

from prometheus_client import Counter

from app.broker.domain.enums import OrderStatus
from app.broker.domain.snapshots import Event, PlacedOrder
from app.observability.metrics import Metrics

Sink = Callable[[Sequence[Event]], None]


def order_counter(orders: Counter) -> Sink:
    children = {status: orders.labels(status.name.lower()) for status in OrderStatus}
    last: dict[str, int] = {}

    def sink(events: Sequence[Event]) -> None:
        for event in events:
            if type(event) is not PlacedOrder or last.get(event.id) == event.status:
                continue
            status = OrderStatus(event.status)
            children[status].inc()
            if status.is_final:
                last.pop(event.id, None)
            else:
                last[event.id] = event.status

    return sink


def timed_step(metrics: Metrics, step: Callable[[], bool]) -> Callable[[], bool]:
    """``step`` (True when it succeeded) observed into ``engine_step_seconds`` and
    ``engine_step_failures_total``."""
    seconds, failures = metrics.engine_step_seconds, metrics.engine_step_failures

    def observed() -> bool:
        start = perf_counter()
        ok = step()
        seconds.observe(perf_counter() - start)
        if not ok:
            failures.inc()
        return ok

    return observed
