"""The process's Prometheus series, in a registry the application owns.

Each application gets its own ``CollectorRegistry`` (not the library's global one), so several
applications in one test process never share or collide on a series. Hot paths hold pre-bound
label children (``HttpSeries`` keeps one cell per route, method and status; the engine and the
store get theirs at start), so a request costs two additions, not label lookups. Figures that
live objects already hold (sockets, topics, backlogs, loop lag) are read at scrape time by
``app.observability.live``.
"""

from __future__ import annotations

import time
from bisect import bisect_left
from collections.abc import Iterator
from itertools import accumulate

from aiohttp.hdrs import METH_ANY
from aiohttp.web_request import BaseRequest
from aiohttp.web_urldispatcher import AbstractResource, AbstractRoute
from prometheus_client import (
    CollectorRegistry,
    Counter,
    GCCollector,
    Histogram,
    PlatformCollector,
    ProcessCollector,
)
from prometheus_client.core import CounterMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector

from app.modules import API_PREFIX

LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
STEP_BUCKETS = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0)
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
OTHER_METHOD = "other"
UNMATCHED = "unmatched"
"""The one route label of every path no route matches (a scanner makes no new series)."""
SITE = "site"
"""The module label of the routes outside any module (root, docs, terminal, /metrics)."""


def route_labels(resource: AbstractResource | None) -> tuple[str, str]:
    """(module, route template) of a matched resource, e.g. ("broker", "/api/v1/broker/orders/{order_id}")."""
    if resource is None:
        return UNMATCHED, UNMATCHED
    template = resource.canonical
    if template.startswith(API_PREFIX + "/"):
        return template[len(API_PREFIX) + 1:].split("/", 1)[0], template
    return SITE, template


class _Latency:
    """One (route, method)'s duration histogram as plain numbers (cumulated at scrape time)."""

    __slots__ = ("counts", "total")

    def __init__(self) -> None:
        self.counts = [0] * (len(LATENCY_BUCKETS) + 1)  # the last one is +Inf
        self.total = 0.0


class _Cell:
    __slots__ = ("labels", "requests", "latency")

    def __init__(self, labels: tuple[str, str, str, str], latency: _Latency) -> None:
        self.labels = labels
        self.requests = 0
        self.latency = latency


class HttpSeries(Collector):
    """``http_requests_total`` and ``http_request_duration_seconds``.

    The children are bound once per (resource, method, status): a request costs a dict lookup,
    two additions and a bisection on plain numbers (no lock, no label handling; the event loop
    is the only writer), and the scrape turns them into Prometheus families. The set is bounded
    by the routes, seven methods plus ``other`` and the status codes the server answers.
    """

    def __init__(self) -> None:
        self._cells: dict[tuple[AbstractResource | None, str, int], _Cell] = {}
        self._by_route: dict[AbstractRoute, dict[int, _Cell]] = {}
        self._by_labels: dict[tuple[str, str, str, str], _Cell] = {}
        self._latencies: dict[tuple[str, str, str], _Latency] = {}

    def record(self, resource: AbstractResource | None, method: str, status: int, seconds: float | None) -> None:
        """One answered request of ``resource`` (None: no route matched); ``seconds`` None for a
        WebSocket (its session is no latency)."""
        key = (resource, method, status)
        cell = self._cells.get(key)
        if cell is None:
            cell = self._cells[key] = self._bind(resource, method, status)
        cell.requests += 1
        if seconds is not None:
            latency = cell.latency
            latency.counts[bisect_left(LATENCY_BUCKETS, seconds)] += 1
            latency.total += seconds

    def record_route(self, route: AbstractRoute, request: BaseRequest, status: int, seconds: float | None) -> None:
        """``record`` of a routed request by its route: a registered route is one resource and
        one method (``*`` aside), so its cells are found without reading either from the
        request (two property calls) or hashing a key tuple. A route of its own per request (an
        error's ``SystemRoute``: no resource) or of any method goes through ``record``."""
        cells = self._by_route.get(route)
        if cells is None:
            if route.resource is None or route.method == METH_ANY:
                self.record(route.resource, request.method, status, seconds)
                return
            cells = self._by_route[route] = {}
        cell = cells.get(status)
        if cell is None:
            cell = cells[status] = self._bind(route.resource, route.method, status)
        cell.requests += 1
        if seconds is not None:
            latency = cell.latency
            latency.counts[bisect_left(LATENCY_BUCKETS, seconds)] += 1
            latency.total += seconds

    def _bind(self, resource: AbstractResource | None, method: str, status: int) -> _Cell:
        module, route = route_labels(resource)
        method = method if method in METHODS else OTHER_METHOD
        labels = (module, route, method, str(status))
        cell = self._by_labels.get(labels)
        if cell is None:  # methods that share ``other`` share their cells
            latency = self._latencies.setdefault((module, route, method), _Latency())
            cell = self._by_labels[labels] = _Cell(labels, latency)
        return cell

    def collect(self) -> Iterator[Metric]:
        requests = CounterMetricFamily("http_requests_total", "HTTP requests answered",
                                       labels=("module", "route", "method", "status"))
        for cell in list(self._by_labels.values()):
            requests.add_metric(cell.labels, cell.requests)
        yield requests
        duration = HistogramMetricFamily("http_request_duration_seconds", "Time to answer an HTTP "
                                         "request (WebSocket sessions excluded)",
                                         labels=("module", "route", "method"))
        bounds = [*(str(b) for b in LATENCY_BUCKETS), "+Inf"]
        for labels, latency in list(self._latencies.items()):
            cumulative = list(accumulate(latency.counts))
            if cumulative[-1]:
                duration.add_metric(labels, list(zip(bounds, cumulative)), latency.total)
        yield duration


class LabelledCounts(Collector):
    """A counter with one label, as plain numbers: what a labelled ``prometheus_client.Counter``
    exposes (``NAME_total`` per label value and its ``NAME_created``), without its lock and
    three calls per increment. The event loop is the only writer: a hot path adds to
    ``values[label]`` after ``bind(label)``."""

    def __init__(self, name: str, documentation: str, label: str) -> None:
        self.name, self.documentation, self.label = name, documentation, label
        self.values: dict[str, float] = {}
        self._created: dict[str, float] = {}

    def bind(self, value: str) -> None:
        """Expose ``value`` from now on (at 0), as ``Counter.labels(value)`` does."""
        if value not in self.values:
            self.values[value] = 0.0
            self._created[value] = time.time()

    def collect(self) -> Iterator[Metric]:
        family = CounterMetricFamily(self.name, self.documentation, labels=(self.label,))
        for value, count in list(self.values.items()):
            family.add_metric((value,), count, created=self._created[value])
        yield family


class Metrics:
    """Every series of the process; ``registry`` is what ``/metrics`` renders."""

    def __init__(self) -> None:
        registry = self.registry = CollectorRegistry()
        ProcessCollector(registry=registry)
        PlatformCollector(registry=registry)
        GCCollector(registry=registry)
        self.http = HttpSeries()
        registry.register(self.http)
        self.engine_step_seconds = Histogram("engine_step_seconds", "Time of one matching step",
                                             buckets=STEP_BUCKETS, registry=registry)
        self.engine_step_failures = Counter("engine_step_failures_total",
                                            "Matching steps that failed (and were rolled back)",
                                            registry=registry)
        self.orders = LabelledCounts("orders_total", "Orders that reached each status", "status")
        registry.register(self.orders)
        self.store_commit_seconds = Histogram("store_commit_seconds", "Time of one store commit",
                                              buckets=LATENCY_BUCKETS, registry=registry)
        self.store_batch_size = Histogram("store_batch_size", "Commands committed together",
                                          buckets=BATCH_BUCKETS, registry=registry)
