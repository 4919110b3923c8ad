#!/usr/bin/env python3
"""RSS of a fresh server after start and per 1,000 orders held (issue: memory figures).

Starts ``python -m app server`` on a free loopback port, reads VmRSS from /proc after start,
places ``--orders`` resting BUY LIMIT orders over one keep-alive connection, and reads it again.
Standard library only; prints one JSON line.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BODY = b'{"symbol":"AAPL","type":1,"side":1,"qty":1,"limitPrice":1.5}'


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_ready(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/api/v1/broker/health")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def measure(orders: int, python: str, store: str) -> dict[str, float]:
    port = free_port()
    proc = subprocess.Popen([python, "-m", "app", "server", "--port", str(port)], cwd=ROOT,
                            env={**os.environ, "STORE_URL": store})
    try:
        wait_ready(port, time.monotonic() + 30)
        time.sleep(1.0)
        start = rss_kib(proc.pid)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        for _ in range(orders):
            conn.request("POST", "/api/v1/broker/orders", BODY, {"Content-Type": "application/json"})
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"POST /orders answered {response.status}")
        time.sleep(1.0)
        held = rss_kib(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return {
        "rss_after_start_mib": round(start / 1024, 1),
        "orders": orders,
        "rss_with_orders_mib": round(held / 1024, 1),
        "kib_per_1000_orders": round((held - start) / orders * 1000, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--store", default="memory:", help="STORE_URL of the server (default memory:, "
                        "so repeated runs start empty and write nothing)")
    args = parser.parse_args()
    print(json.dumps(measure(args.orders, args.python, args.store)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
