"""Slow clients against a real server process (issue 21, items 3 and 6): a body trickled one
byte at a time is answered 408 at HTTP_BODY_TIMEOUT_S, a request head trickled (slowloris) is
closed at HTTP_HEADER_TIMEOUT_S; 500 of either cost the server little memory and leave a
concurrent ``/health`` prober (its own process) answered promptly every time."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator

import pytest

from bench.attack_http import HEALTH, Server, measure, post_head, slow_body, slow_headers

TIMEOUT_S = 2.0
RSS_BOUND_MIB = 50.0
HEALTH_OWN_WORST_S = 0.1
"""The issue's 100 ms, on the worst probe's own share: its latency less the time the server's
loop thread waited on the kernel's run queue meanwhile (another process had the CPU)."""
HEALTH_P99_S = 0.25
HEALTH_WORST_S = 0.5
"""The wall figures, generous for a loaded 2-core machine, where other processes take the CPU
for 100–250 ms at times (docs/PERFORMANCE.md "Attacks (HTTP)")."""


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    env = {"HTTP_BODY_TIMEOUT_S": str(TIMEOUT_S), "HTTP_HEADER_TIMEOUT_S": str(TIMEOUT_S),
           "HTTP_MAX_CONNECTIONS_PER_ADDRESS": "0"}
    with Server(env) as running:
        yield running


async def test_a_body_trickled_a_byte_a_second_is_answered_408_json_with_connection_close(server: Server) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    started = time.monotonic()
    writer.write(post_head(1000))
    reading = asyncio.create_task(reader.read())
    while not reading.done() and time.monotonic() - started < 10:
        writer.write(b"1")
        await asyncio.wait({reading}, timeout=0.5)
    answer = await reading
    writer.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408 Request Timeout") and b"\r\nConnection: close" in head
    assert json.loads(body) == {"detail": "Request body not received within 2 s"}
    assert TIMEOUT_S <= time.monotonic() - started < TIMEOUT_S + 3


async def test_a_request_head_trickled_is_closed_at_the_header_timeout(server: Server) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    started = time.monotonic()
    reading = asyncio.create_task(reader.read())
    for byte in f"GET {HEALTH} HTTP/1.1\r\nHost: x\r\nX-Slow: {'a' * 100}\r\n\r\n".encode():
        writer.write(bytes([byte]))
        await asyncio.wait({reading}, timeout=0.5)
        if reading.done():
            break
    assert await reading == b"", "closed without an answer: there is no request to answer"
    writer.close()
    assert TIMEOUT_S - 0.1 <= time.monotonic() - started < TIMEOUT_S + 3


async def test_a_complete_request_on_a_fresh_connection_is_not_hurried(server: Server) -> None:
    """The timeouts bound idle and slow clients only: a quick request over a slow handler is fine."""
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    await asyncio.sleep(TIMEOUT_S / 2)
    writer.write(f"GET {HEALTH} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    assert (await reader.readuntil(b"\r\n\r\n")).startswith(b"HTTP/1.1 200")
    writer.close()


async def test_500_slow_bodies_all_get_408_within_the_bound_and_health_stays_prompt(server: Server) -> None:
    outcome = await measure("slow-body", server, slow_body(500, every=0.9, within=30))
    assert outcome.attacker["answered 408"] + outcome.attacker["reset"] == 500, outcome.line()
    assert outcome.attacker["answered 408"] >= 450, "a reset only where a byte of the attacker crossed the close"
    assert outcome.attacker["slowest end s"] < TIMEOUT_S + 5
    assert outcome.rss_growth_mib < RSS_BOUND_MIB, outcome.line()
    assert outcome.probe.failures == 0 and outcome.probe.answered >= 50, outcome.line()
    assert outcome.probe.percentile(0.99) < HEALTH_P99_S and outcome.probe.worst < HEALTH_WORST_S, outcome.line()
    assert outcome.probe.own_worst < HEALTH_OWN_WORST_S, outcome.line()


async def test_500_slowloris_heads_are_all_closed_and_health_stays_prompt(server: Server) -> None:
    outcome = await measure("slow-headers", server, slow_headers(500, every=0.7, within=30))
    assert outcome.attacker["closed by the server"] == 500, outcome.line()
    assert outcome.attacker["latest close s"] < TIMEOUT_S + 5
    assert outcome.rss_growth_mib < RSS_BOUND_MIB, outcome.line()
    assert outcome.probe.failures == 0 and outcome.probe.answered >= 50, outcome.line()
    assert outcome.probe.percentile(0.99) < HEALTH_P99_S and outcome.probe.worst < HEALTH_WORST_S, outcome.line()
    assert outcome.probe.own_worst < HEALTH_OWN_WORST_S, outcome.line()
