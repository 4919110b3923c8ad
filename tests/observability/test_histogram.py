"""The HTTP histogram kept as plain numbers renders as Prometheus's cumulative ``le`` buckets."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st
from aiohttp import web
from aiohttp.test_utils import make_mocked_request
from aiohttp.web_urldispatcher import SystemRoute
from prometheus_client import CollectorRegistry, generate_latest

from app.observability.metrics import LATENCY_BUCKETS, HttpSeries
from tests.observability.scrape import parse, value

durations = st.lists(st.floats(min_value=0, max_value=30, allow_nan=False), max_size=60)


@given(durations, st.lists(st.sampled_from(["GET", "PROPFIND", "MKCOL"]), min_size=1, max_size=3))
def test_buckets_count_every_duration_at_or_below_their_bound(seconds: list[float], methods: list[str]) -> None:
    series = HttpSeries()
    registry = CollectorRegistry()
    registry.register(series)
    for i, duration in enumerate(seconds):
        method = methods[i % len(methods)]
        series.record(None, method, 404, duration)
    samples = parse(generate_latest(registry).decode())
    labels = {"module": "unmatched", "route": "unmatched"}
    by_method = {"GET": [s for i, s in enumerate(seconds) if methods[i % len(methods)] == "GET"],
                 "other": [s for i, s in enumerate(seconds) if methods[i % len(methods)] != "GET"]}
    for method, observed in by_method.items():
        assert value(samples, "http_requests_total", **labels, method=method, status="404") == len(observed)
        if not observed:
            continue
        for bound in (*LATENCY_BUCKETS, math.inf):
            le = "+Inf" if bound == math.inf else str(bound)
            expected = sum(1 for s in observed if s <= bound)
            assert value(samples, "http_request_duration_seconds_bucket", **labels, method=method, le=le) == expected
        assert value(samples, "http_request_duration_seconds_count", **labels, method=method) == len(observed)
        assert math.isclose(value(samples, "http_request_duration_seconds_sum", **labels, method=method),
                            sum(observed), abs_tol=1e-9)


async def _ok(request: web.Request) -> web.Response:
    return web.Response()


@given(st.lists(st.tuples(st.sampled_from(["orders", "any", "missing"]), st.sampled_from([200, 404, 422]),
                          st.one_of(st.none(), st.floats(min_value=0, max_value=3))), max_size=40))
def test_recording_by_route_is_recording_by_resource_and_method(answers: list[tuple[str, int, float | None]]) -> None:
    """The edge's ``record_route`` renders exactly as ``record``; a route of any method counts
    the request's, and an error's SystemRoute (a new one per request) keeps nothing per route."""
    app = web.Application()
    orders = app.router.add_get("/api/v1/broker/orders", _ok, allow_head=False)
    anything = app.router.add_route("*", "/api/v1/broker/any", _ok)
    by_route, by_resource = HttpSeries(), HttpSeries()
    for name, status, seconds in answers:
        route = {"orders": orders, "any": anything}.get(name) or SystemRoute(web.HTTPNotFound())
        method = "PROPFIND" if name == "any" else "GET"
        request = make_mocked_request(method, "/api/v1/broker/" + name)
        by_route.record_route(route, request, status, seconds)
        by_resource.record(route.resource, method, status, seconds)
    rendered = []
    for series in (by_route, by_resource):
        registry = CollectorRegistry()
        registry.register(series)
        rendered.append(generate_latest(registry))
    assert rendered[0] == rendered[1]
    assert set(by_route._by_route) <= {orders}
