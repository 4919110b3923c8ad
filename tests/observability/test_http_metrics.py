"""``GET /metrics``: the HTTP series move by what was served, with bounded labels."""

from __future__ import annotations

import random
import string

from tests.conftest import ClientFactory
from tests.observability.scrape import scrape, series, value

ORDERS = "/api/v1/broker/orders"
UNUSUAL_METHODS = ["GET", "POST", "PROPFIND", "MKCOL", "TRACE", "LOCK", "SEARCH", "PURGE"]
"""Methods the HTTP parser accepts (it answers any other token 400 itself, before the app)."""


async def test_requests_are_counted_by_route_template_method_and_status(make_client: ClientFactory) -> None:
    client = await make_client(background_tasks=False)
    before = await scrape(client)
    for _ in range(3):
        assert (await client.get(ORDERS)).status == 200
    assert (await client.delete(f"{ORDERS}/ORDER-404")).status == 400
    assert (await client.delete(f"{ORDERS}/ORDER-405")).status == 400
    after = await scrape(client)

    def moved(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert moved("http_requests_total", module="broker", route=ORDERS, method="GET", status="200") == 3
    template = f"{ORDERS}/{{order_id}}"
    assert moved("http_requests_total", module="broker", route=template, method="DELETE", status="400") == 2
    assert moved("http_request_duration_seconds_count", module="broker", route=template, method="DELETE") == 2
    assert moved("http_request_duration_seconds_sum", module="broker", route=template, method="DELETE") > 0
    routes = {dict(labels)["route"] for labels in series(after, "http_requests_total")}
    assert not any("ORDER-" in route for route in routes), routes


async def test_a_scan_of_random_paths_and_methods_creates_no_new_series(make_client: ClientFactory) -> None:
    client = await make_client(background_tasks=False)
    rng = random.Random(16)

    def junk() -> str:
        return "".join(rng.choices(string.ascii_lowercase + string.digits, k=12))

    async def scan(n: int) -> None:
        for _ in range(n):
            path = f"/{junk()}/{junk()}" if rng.random() < 0.5 else f"/api/v1/broker/{junk()}"
            response = await client.request(rng.choice(UNUSUAL_METHODS), path)
            assert response.status in (404, 405)

    await scan(20)
    await scrape(client)  # the scrape's own series exist from the second scrape on
    first = await scrape(client)
    await scan(200)
    second = await scrape(client)
    assert {key for key in second if key[0].startswith("http_")} == {key for key in first if key[0].startswith("http_")}
    unmatched = {k: v for k, v in second.items() if k[0] == "http_requests_total" and ("route", "unmatched") in k[1]}
    assert sum(unmatched.values()) == 220
    assert {dict(labels)["method"] for (_, labels) in unmatched} <= {"GET", "POST", "other"}


async def test_metrics_off_removes_the_endpoint(make_client: ClientFactory) -> None:
    client = await make_client(background_tasks=False, metrics=False)
    response = await client.get("/metrics")
    assert (response.status, await response.json()) == (404, {"detail": "Not Found"})


async def test_a_token_guards_the_endpoint(make_client: ClientFactory) -> None:
    client = await make_client(background_tasks=False, metrics_token="s3cret")
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "s3cret"}):
        response = await client.get("/metrics", headers=headers)
        assert (response.status, await response.json()) == (401, {"detail": "Not authenticated"})
        assert response.headers["WWW-Authenticate"] == "Bearer"
    samples = await scrape(client, {"Authorization": "Bearer s3cret"})
    assert value(samples, "http_requests_total", module="site", route="/metrics", method="GET", status="401") == 3


async def test_process_collector_series_are_exposed(make_client: ClientFactory) -> None:
    client = await make_client(background_tasks=False)
    samples = await scrape(client)
    assert value(samples, "process_resident_memory_bytes") > 10 * 1024 * 1024
    assert value(samples, "process_open_fds") >= 3
    assert value(samples, "process_cpu_seconds_total") > 0


async def test_two_apps_in_one_process_keep_their_own_counts(make_client: ClientFactory) -> None:
    one = await make_client(background_tasks=False)
    other = await make_client(background_tasks=False)
    for _ in range(4):
        await one.get(ORDERS)
    labels = {"module": "broker", "route": ORDERS, "method": "GET", "status": "200"}
    assert value(await scrape(one), "http_requests_total", **labels) == 4
    assert value(await scrape(other), "http_requests_total", **labels) == 0
