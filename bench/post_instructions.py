#!/usr/bin/env python3
"""POST /orders in instructions per request, ours against the floor: a figure the load of a shared
machine does not move (CPU µs per request there swing by ±30 % between runs).

    python bench/post_instructions.py                 # 2000 requests over 8 connections each
    python bench/post_instructions.py --requests 4000 --rounds 2
    python bench/post_instructions.py --keep /tmp/cg  # keep the dumps: callgrind_annotate /tmp/cg/...

Each server runs under ``valgrind --tool=callgrind`` with instrumentation off during start-up;
after a reset and 200 warm-up requests it is switched on (``callgrind_control -i on``) for
exactly ``--requests`` POSTs (8 keep-alive connections, closed loop), then dumped. Prints the
instructions (Ir) per request of each server, their ratio, and the net figure: what our server
executes per request beyond the floor (parse the body, answer ``{"orderId"}``: anything more,
middleware, validation, the engine, the sinks, is this budget; the target ratio of 1.5× is a
net of half the floor). ``--rounds`` repeats each measurement in a fresh process (the table
shows each round; the figures vary by well under 1 %). Needs valgrind; standard library
otherwise. Slow (about 20 s per server and round) but needs no quiet machine.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HARNESS = Path(__file__).resolve().parents[2] / "shared" / "bench"
BODY = b'{"symbol":"AAPL","type":1,"side":1,"qty":1,"limitPrice":1.5}'
PATH = "/api/v1/broker/orders"
TARGET = 1.5


async def drive(port: int, requests: int, connections: int = 8) -> None:
    head = (f"POST {PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(BODY)}\r\n\r\n").encode()

    async def one(count: int) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for _ in range(count):
            writer.write(head + BODY)
            answer = await reader.readuntil(b"\r\n\r\n")
            length = next(int(line.split(b":")[1]) for line in answer.split(b"\r\n")
                          if line.lower().startswith(b"content-length:"))
            await reader.readexactly(length)
            if not answer.startswith(b"HTTP/1.1 200"):
                raise SystemExit(f"unexpected answer: {answer!r}")
        writer.close()

    await asyncio.gather(*(one(requests // connections) for _ in range(connections)))


def total_ir(dump: Path) -> int:
    """The ``totals:`` line of a callgrind dump (events: Ir)."""
    for line in dump.read_text().splitlines():
        if line.startswith("totals:"):
            return int(line.split()[1])
    raise ValueError(f"{dump}: no totals line")


def measure(label: str, cmd: list[str], cwd: Path, env: dict[str, str], port: int, requests: int,
            scratch: Path) -> float:
    out = scratch / f"callgrind.{label}.out"
    full = ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}", *cmd]
    print(f"[post_instructions] {label}: {shlex.join(full)}", file=sys.stderr, flush=True)
    log = (scratch / f"{label}.log").open("w")
    proc = subprocess.Popen(full, cwd=cwd, env={**os.environ, **env}, stdout=log, stderr=log)
    try:
        base = f"http://127.0.0.1:{port}/api/v1/broker"
        for _ in range(600):
            try:
                urllib.request.urlopen(f"{base}/health", timeout=2).read()
                break
            except OSError:
                if proc.poll() is not None:
                    raise SystemExit(f"{label} exited; see {log.name}") from None
                time.sleep(0.5)
        urllib.request.urlopen(urllib.request.Request(f"{base}/debug/reset", data=b"", method="POST"),
                               timeout=30).read()
        asyncio.run(drive(port, 200))
        subprocess.run(["callgrind_control", "-i", "on", str(proc.pid)], check=True, capture_output=True)
        asyncio.run(drive(port, requests))
        subprocess.run(["callgrind_control", "-i", "off", str(proc.pid)], check=True, capture_output=True)
        subprocess.run(["callgrind_control", "-d", str(proc.pid)], check=True, capture_output=True)
        return total_ir(Path(f"{out}.1")) / requests
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        log.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=1, help="measurements of each server, each in a fresh process")
    ap.add_argument("--harness", type=Path, default=HARNESS, help="folder with limit_server.py")
    ap.add_argument("--python", type=Path, default=REPO / ".venv" / "bin" / "python")
    ap.add_argument("--port", type=int, default=28750)
    ap.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                    help="more environment for our server (e.g. STORE_URL=sqlite:///tmp/x.sqlite3)")
    ap.add_argument("--ours-only", action="store_true", help="skip the floor (while profiling)")
    ap.add_argument("--keep", type=Path, help="copy the callgrind dumps here (for callgrind_annotate)")
    a = ap.parse_args(argv)
    python = str(a.python)
    env = {"STORE_URL": "memory:", "PYTHONPATH": str(REPO), **dict(e.split("=", 1) for e in a.env)}
    ours: list[float] = []
    floor: list[float] = []
    with tempfile.TemporaryDirectory(prefix="post-instructions-") as tmp:
        for round_ in range(1, a.rounds + 1):
            scratch = Path(tmp) / str(round_)
            scratch.mkdir()
            ours.append(measure("trader-pro", [python, "-m", "app", "server", "--port", str(a.port)], REPO,
                                env, a.port, a.requests, scratch))
            if not a.ours_only:
                floor.append(measure("limit-uvloop-orjson", [python, str(a.harness / "limit_server.py"),
                                                             "--port", str(a.port + 1), "--uvloop", "--json",
                                                             "orjson"], scratch, {}, a.port + 1, a.requests,
                                     scratch))
            if a.keep is not None:
                a.keep.mkdir(parents=True, exist_ok=True)
                for dump in scratch.glob("callgrind.*.out.1"):
                    shutil.copy(dump, a.keep / f"{dump.name.removesuffix('.out.1')}.{round_}.out")
    print(f"POST /orders, {a.requests} requests over 8 connections, instructions (Ir) per request:")
    if not floor:
        print("| round | trader-pro |\n|---|---|")
        for i, x in enumerate(ours, 1):
            print(f"| {i} | {x:,.0f} |")
        return 0
    print("| round | trader-pro | floor | ratio | net (ours − floor) | net / floor |\n|---|---|---|---|---|---|")
    for i, (x, f) in enumerate(zip(ours, floor), 1):
        print(f"| {i} | {x:,.0f} | {f:,.0f} | {x / f:.2f}× | {x - f:,.0f} | {(x - f) / f:.2f} |")
    x, f = sorted(ours)[len(ours) // 2], sorted(floor)[len(floor) // 2]
    print(f"median ratio {x / f:.2f}× (target ≤ {TARGET}×: a net of at most {(TARGET - 1) * f:,.0f} Ir; "
          f"{'met' if x / f <= TARGET else f'{x - TARGET * f:,.0f} Ir per request over'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
