"""The WebSocket attacks of issue 21 against a real ``python -m app server`` (README "Limits").

Each test starts the server in its own process on a free port, attacks it from this process
(raw sockets or aiohttp, cheap for the attacker) and probes ``GET /api/v1/datafeed/health``
every 20 ms from a third process, which also samples the server's VmRSS from /proc; so neither
the attacker nor the probe shares a loop or a GIL with the server. The bounds are the issue's:
the server's RSS grows by less than 50 MiB and no probe waits 100 ms or more of the server's own
time, while the attacker is refused or closed with the documented code and the server holds no
socket of it afterwards (the kernel's view, /proc/net/tcp). The scenarios are those of
bench/attack_ws.py.

The server's own time: each probe's wall latency less the run-queue wait the server's loop
thread accrued during it (/proc/PID/task/PID/schedstat), as tests/datafeed/test_loop_lag.py
does for the loop lag. On this shared 2-core machine other processes keep the server's loop
waiting for a CPU for 100-500 ms at times while it has nothing of its own to do (load 4-8):
that is the machine's. A stall inside one of the server's callbacks, a wait for the interpreter
lock or the probe's own scheduling still count. The wall figures are asserted too, looser.
"""

from __future__ import annotations

import json
import os
import resource
import sys
from typing import Any

import pytest

from bench.attack_ws import flood, idle, raise_fd_limit, run, stalled, topics

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

RSS_GROWTH_MIB = 50
HEALTH_OWN_MAX_MS = float(os.environ.get("ATTACK_HEALTH_MAX_MS", "100"))
"""The issue's bound, on the worst probe's own share (the server's time, not the machine's)."""
HEALTH_MAX_MS = 500
"""The worst probe's wall latency, run-queue waits included: the machine's load shows here."""
HEALTH_P99_MS = 250
FAST_HEARTBEAT = {"WS_HEARTBEAT_S": "2"}
"""The default 20 s heartbeat would make the never-reading test last a minute; same code path."""

SETUP_OWN_MAX_MS = 250.0
"""The attacker's own set-up (opening sockets, sending its subscriptions) comes before the
measured window of the never-reading and idle scenarios: a looser bound (docs/PERFORMANCE.md)."""


def within_bounds(result: dict[str, Any], prefix: str = "") -> None:
    assert result["health_failures"] == 0, json.dumps(result)
    assert result[f"{prefix}health_probes"] > 30, json.dumps(result)
    assert result["rss_growth_peak_mib"] < RSS_GROWTH_MIB, json.dumps(result)
    assert result[f"{prefix}health_own_max_ms"] < HEALTH_OWN_MAX_MS, json.dumps(result)
    assert result[f"{prefix}health_max_ms"] < HEALTH_MAX_MS, json.dumps(result)
    assert result[f"{prefix}health_p99_ms"] < HEALTH_P99_MS, json.dumps(result)
    if not prefix:
        assert result["health_own_max_outside_window_ms"] < SETUP_OWN_MAX_MS, json.dumps(result)


def test_many_topics_of_many_unknown_symbols() -> None:
    """The probe's 566 topics × 1,000 unknown fast symbols: too long to repeat in every frame,
    so refused, then the flood of them is closed with 1008; a paced client gets the largest
    shape the budgets admit (two topics of 95 fast symbols: 950 of the 1,000 symbol budget)."""
    result = run(lambda port: topics(port, seconds=6.0))

    assert result["greedy_close"] == 1008
    answers = result["greedy_answers"]
    assert set(answers) == {"quotes.subscribe.response: topic: Longer than 1024 characters",
                            "error: Too many messages: at most 50 per second"}
    assert answers["error: Too many messages: at most 50 per second"] == 1
    assert result["paced_statuses"] == {"ok": 2, "error": 18}
    assert result["paced_refusals"] == ["topic: A connection may hold at most 1000 symbols across its topics"]
    assert 800 < result["paced_updates_per_s"] < 1300  # 190 fast symbols, 5 a second each
    within_bounds(result)


def test_a_message_flood_gets_one_error_then_is_closed_with_1008() -> None:
    result = run(lambda port: flood(port, seconds=3.0))

    assert result["close_code"] == 1008
    # 200 answered (the burst), the tokens refilled (50/s) while the server read them, the one rate error
    assert result["rate_error"] and 201 <= result["error_answers"] <= 206, json.dumps(result)
    assert result["server_sockets_left"] == 0
    within_bounds(result)


def never_reading() -> dict[str, Any]:
    """20 sockets with their whole symbol budget (950 slow symbols each), never read."""
    return run(lambda port: stalled(port, sockets=20, wait_s=30.0), FAST_HEARTBEAT)


def test_never_reading_sockets_are_cut_by_the_heartbeat_freed_and_leave_health_within_the_bound() -> None:
    """19,000 quotes a second to hold (conflated) for sockets that never read, ~13 % of a core:
    the slow symbols of topics subscribed together spread over the whole second from the first
    tick (before: all in the first 0.2 s, the probe's worst 240-630 ms)."""
    result = never_reading()

    assert result["server_sockets_left"] == 0, json.dumps(result)
    assert result["freed_after_s"] < 30, json.dumps(result)  # two heartbeats of 2 s; generous for a loaded machine
    within_bounds(result)


def test_past_the_hard_bound_a_reading_client_sees_1013_and_the_socket_is_freed() -> None:
    """The backlog (conflated quotes included, the kernel's share too) passes 64 KiB: the held
    frames are dropped, so the close frame comes right after what the transport held."""
    result = run(lambda port: stalled(port, sockets=10, wait_s=20.0, read_after_s=1.0),
                 {"WS_HARD_LIMIT_BYTES": "65536", "WS_SOFT_LIMIT_BYTES": "16384"})

    assert result["close_codes_seen"] == {"1013": 10}
    assert result["server_sockets_left"] == 0
    within_bounds(result)


IDLE_SOCKETS = 5000
"""The issue's 5,000 (fewer only where the open-file hard limit does not allow that many).
The attacker is not the bottleneck: ~11 % of a core for 5,000 sockets answering pings."""
IDLE_HEARTBEAT_S = 6.0
IDLE_WINDOW_S = 13.0
"""Two whole heartbeat rounds (and a second to spare) inside the measured window."""
PING_BUCKET_S = 0.1


def test_idle_sockets_are_pinged_over_the_interval_not_in_one_burst_and_closing_all_at_once_stays_in_bound() -> None:
    """Sockets that only answer pings (every 6 s here) for 13 s, then all closed at once by the
    attacker. Spread: every socket pinged twice in the window, pings in nearly every 100 ms of it
    and never more than a tenth of the sockets in one 100 ms (aiohttp's own heartbeat, on timers
    rounded to the second, pinged them all in one). The mass close: their ends are spread over
    loop turns (64 a turn, ws/pacer.py) with the cyclic collector paused meanwhile; before, one
    turn closed them all and a full collection scanned the dying sockets, the close's worst
    probe 440-615 ms of the server's own time."""
    raise_fd_limit(12000)
    sockets = min(IDLE_SOCKETS, resource.getrlimit(resource.RLIMIT_NOFILE)[0] - 200)
    env = {"WS_HEARTBEAT_S": str(IDLE_HEARTBEAT_S), "HTTP_MAX_CONNECTIONS": "6000",
           "HTTP_MAX_CONNECTIONS_PER_ADDRESS": "0"}
    result = run(lambda port: idle(port, sockets=sockets, seconds=IDLE_WINDOW_S, bucket_s=PING_BUCKET_S), env)
    dump = json.dumps(result)

    assert result["connected"] == result["still_connected"] == sockets, dump
    assert result["pings_min_per_socket"] >= 2, dump
    assert result["pings_max_per_bucket"] < sockets / 10, dump
    assert result["ping_buckets"] >= 0.8 * IDLE_WINDOW_S / PING_BUCKET_S, dump
    assert result["health_failures"] == 0 and result["health_own_max_ms"] < HEALTH_OWN_MAX_MS, dump
    assert result["health_max_ms"] < HEALTH_MAX_MS and result["health_p99_ms"] < HEALTH_P99_MS, dump
    assert result["rss_growth_peak_mib"] * 1024 / sockets < 25, dump  # KiB per open socket

    assert result["close_sockets_left"] == 0 and result["close_freed_after_s"] < 5, dump
    assert result["close_health_probes"] >= 10, dump
    assert result["close_health_own_max_ms"] < HEALTH_OWN_MAX_MS, dump
    assert result["close_health_max_ms"] < HEALTH_MAX_MS, dump
