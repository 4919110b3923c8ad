"""Series read from live objects at scrape time: nothing is updated per event for them.

The hubs already know their sockets, topics and backlogs, and the lag ticker its recent
lags; reading them when Prometheus asks costs one pass per scrape instead of a gauge
update on every subscribe, close or write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from ws.hub import Hub

CLOSE_CODES = frozenset({1000, 1001, 1003, 1006, 1008, 1009, 1011, 1013})
"""Close codes with a label of their own; any other is ``other``, a broken connection 1006."""


def close_label(code: int | None) -> str:
    if code is None:
        return "1006"
    return str(code) if code in CLOSE_CODES else "other"


class LiveCollector(Collector):
    """The WebSocket gauges of every module's hub, and the event loop's lag."""

    def __init__(self) -> None:
        self._hubs: list[tuple[str, Hub]] = []
        self._lag: Callable[[], float] | None = None

    def watch_hub(self, module: str, hub: Hub) -> None:
        self._hubs.append((module, hub))

    def watch_lag(self, recent_max: Callable[[], float]) -> None:
        """``recent_max``: the largest lag of the ticker's recent window, in seconds."""
        self._lag = recent_max

    def collect(self) -> Iterator[Metric]:
        connections = GaugeMetricFamily("ws_connections", "Open WebSocket connections", labels=["module"])
        topics = GaugeMetricFamily("ws_topics", "Live topics (subscribed by at least one socket)",
                                   labels=["module", "route"])
        backlog = GaugeMetricFamily("ws_backlog_bytes_max", "Largest unsent backlog of one socket",
                                    labels=["module"])
        for module, hub in self._hubs:
            conns = hub.connections
            connections.add_metric([module], len(conns))
            backlog.add_metric([module], max((conn.backlog for conn in conns), default=0))
            for route in hub.routes:
                topics.add_metric([module, route], len(hub.topics(route)))
        yield connections
        yield topics
        yield backlog
        yield from self._counters()
        if self._lag is not None:
            yield GaugeMetricFamily("event_loop_lag_seconds", "Largest event-loop lag of the last "
                                    "10 seconds (how late a 10 ms timer woke)", value=self._lag())

    def _counters(self) -> Iterator[Metric]:
        sent = CounterMetricFamily("ws_messages_sent", "Update frames handed to sockets (conflation "
                                   "may replace some before they are written)", labels=["module", "route"])
        closes = CounterMetricFamily("ws_closes", "Ended WebSocket connections by close code",
                                     labels=["module", "code"])
        conflated = CounterMetricFamily("ws_conflated", "Frames replaced by a newer one for a slow client",
                                        labels=["module"])
        for module, hub in self._hubs:
            stats = hub.stats
            for route in hub.routes:
                sent.add_metric([module, route], stats.sent[route])
            by_label: dict[str, int] = {}
            for code, count in list(stats.closes.items()):
                label = close_label(code)
                by_label[label] = by_label.get(label, 0) + count
            for label, count in sorted(by_label.items()):
                closes.add_metric([module, label], count)
            conflated.add_metric([module], hub.conflated)
        yield sent
        yield closes
        yield conflated
