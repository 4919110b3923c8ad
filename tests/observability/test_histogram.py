"""The HTTP histogram kept as plain numbers renders as Prometheus's cumulative ``le`` buckets."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st
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
