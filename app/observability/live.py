"""Series read from live objects at scrape time: nothing is updated per event for them.

The hubs already know their sockets, topics and backlogs, and the lag ticker its recent
lags; reading them when Prometheus asks costs one pass per scrape instead of a gauge
update on every subscribe, close or write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from ws.hub import Hub


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

    def collect(self) -> Iterator[GaugeMetricFamily]:
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
        if self._lag is not None:
            yield GaugeMetricFamily("event_loop_lag_seconds", "Largest event-loop lag of the last "
                                    "few seconds (how late a 10 ms timer woke)", value=self._lag())
