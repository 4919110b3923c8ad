#!/usr/bin/env python3
"""The HTTP attacks of issue 21, each against a fresh ``python -m app server`` process.

Every scenario starts the server (``STORE_URL=memory:``, the broker alone, its own process),
measures its RSS before, during and after the attack, and probes ``/api/v1/broker/health``
over a new connection every 20 ms from another loopback address (127.0.0.2, so that the
per-address connection cap of the attacker's 127.0.0.1 does not apply to the probe). Prints one
line per scenario: what the attacker got, RSS growth and the probe's p50/p99/max, of the wall
latency and of the server's own share: the wall latency less the run-queue wait of the server's
loop thread during that probe (/proc/PID/task/PID/schedstat: ready to run while another process
had the CPU, the machine's share on a loaded host; a stall in a server callback, a wait for the
interpreter lock or the probe's own scheduling still count).

    python bench/attack_http.py                 # every scenario
    python bench/attack_http.py slow-body idle-sockets

The tests in tests/limits run the same scenarios with smaller timeouts and assert the bounds.
Standard library only (asyncio streams), so the attacker's own CPU stays modest.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEALTH = "/api/v1/broker/health"
ORDERS = "/api/v1/broker/orders"
PROBE_ADDRESS = "127.0.0.2"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Server:
    """``python -m app server`` on a free port with ``env`` on top of this process's, and
    ``nofile`` as its open-file limit (soft and hard) when given."""

    def __init__(self, env: Mapping[str, str] | None = None, *, nofile: int | None = None,
                 log: Path | None = None) -> None:
        self.port = free_port()
        self.env = {**os.environ, "STORE_URL": "memory:", "ENABLED_MODULES": "broker",
                    "LOG_LEVEL": "ERROR", "PYTHONPATH": str(ROOT), **(env or {})}
        self.nofile = nofile
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None

    def _limits(self) -> None:
        if self.nofile is not None:
            resource.setrlimit(resource.RLIMIT_NOFILE, (self.nofile, self.nofile))

    def start(self) -> Server:
        out = self.log.open("ab") if self.log is not None else subprocess.DEVNULL
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "app", "server", "--port", str(self.port)], cwd=ROOT, env=self.env,
                stdout=out, stderr=out, preexec_fn=self._limits)
        finally:
            if self.log is not None:
                out.close()  # type: ignore[union-attr]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited with {self.proc.returncode}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{HEALTH}", timeout=1) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the server did not start within 60 s")

    def rss_mib(self) -> float:
        assert self.proc is not None
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError("no VmRSS")

    def stop(self, sig: signal.Signals = signal.SIGTERM) -> int:
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        return self.proc.wait(timeout=30)

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *_: object) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)


def run_queue_wait_s(pid: int) -> float:
    """Seconds the main (event loop) thread of process ``pid`` has waited on the kernel's run
    queue since it started (/proc/PID/task/PID/schedstat, 2nd field)."""
    return int(Path(f"/proc/{pid}/task/{pid}/schedstat").read_text().split()[1]) / 1e9


def _percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile by rank (inf when nothing was measured)."""
    if not values:
        return float("inf")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@dataclass
class Probe:
    """``/health`` latencies (seconds) over a new connection each, and the probes that failed."""

    latencies: list[float] = field(default_factory=list)
    failures: int = 0
    at: list[float] = field(default_factory=list)
    """When each answered probe started, in seconds since the prober's first."""
    own: list[float] = field(default_factory=list)
    """Each answered probe's latency less the server loop thread's run-queue wait meanwhile."""

    def own_percentile(self, q: float) -> float:
        return _percentile(self.own, q)

    @property
    def own_worst(self) -> float:
        return max(self.own, default=float("inf"))

    @property
    def answered(self) -> int:
        return len(self.latencies)

    def percentile(self, q: float) -> float:
        return _percentile(self.latencies, q)

    @property
    def worst(self) -> float:
        return max(self.latencies, default=float("inf"))

    def summary(self) -> str:
        if not self.latencies:
            return f"/health answered 0 of {self.failures}"
        worst_at = self.at[self.latencies.index(self.worst)] if self.at else float("nan")
        return (f"/health {self.answered} answered, {self.failures} failed, "
                f"p50 {statistics.median(self.latencies) * 1000:.1f} ms, p99 {self.percentile(0.99) * 1000:.1f} ms, "
                f"max {self.worst * 1000:.1f} ms (at {worst_at:.2f} s); server's own share: "
                f"p99 {self.own_percentile(0.99) * 1000:.1f} ms, max {self.own_worst * 1000:.1f} ms")


async def request(port: int, raw: bytes, *, source: str | None = None, timeout: float = 10.0) -> bytes:
    """``raw`` sent on a new connection; everything read until the server closes (or timeout)."""
    local = (source, 0) if source else None
    reader, writer = await asyncio.wait_for(
        asyncio.open_connection("127.0.0.1", port, local_addr=local), timeout)
    try:
        writer.write(raw)
        return await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()


async def health_once(port: int, timeout: float = 2.0) -> float | None:
    raw = f"GET {HEALTH} HTTP/1.1\r\nHost: probe\r\nConnection: close\r\n\r\n".encode()
    started = time.perf_counter()
    try:
        answer = await request(port, raw, source=PROBE_ADDRESS, timeout=timeout)
    except (OSError, asyncio.TimeoutError):
        return None
    if not answer.startswith(b"HTTP/1.1 200"):
        return None
    return time.perf_counter() - started


async def probe_health(port: int, pid: int, stop: asyncio.Event, interval: float = 0.02) -> Probe:
    """Until ``stop``; after one probe not counted (the prober's own first connection is slow:
    the resolver's thread pool starts). ``pid``: the server's, whose loop thread's run-queue
    wait is read around each probe."""
    probe = Probe()
    await health_once(port)
    started = time.perf_counter()
    while not stop.is_set():
        sent = time.perf_counter() - started
        waited = run_queue_wait_s(pid)
        latency = await health_once(port)
        waited = run_queue_wait_s(pid) - waited
        if latency is None:
            probe.failures += 1
        else:
            probe.latencies.append(latency)
            probe.own.append(max(0.0, latency - waited))
            probe.at.append(sent)
        try:
            await asyncio.wait_for(stop.wait(), interval)
        except asyncio.TimeoutError:
            pass
    return probe


@dataclass
class Outcome:
    """One scenario's figures: what the attack saw (``attacker``), the server's RSS and /health."""

    name: str
    attacker: dict[str, float]
    rss_before_mib: float
    rss_peak_mib: float
    rss_after_mib: float
    probe: Probe

    @property
    def rss_growth_mib(self) -> float:
        return self.rss_peak_mib - self.rss_before_mib

    def line(self) -> str:
        attack = ", ".join(f"{k} {v:g}" for k, v in self.attacker.items())
        return (f"{self.name}: {attack}; RSS {self.rss_before_mib:.1f} → peak {self.rss_peak_mib:.1f} "
                f"(+{self.rss_growth_mib:.1f} MiB), after {self.rss_after_mib:.1f} MiB; {self.probe.summary()}")


Attack = Callable[[int], Awaitable[dict[str, float]]]


async def _probe_until_stdin_closes(port: int, pid: int) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    prober = asyncio.create_task(probe_health(port, pid, stop))
    await loop.run_in_executor(None, sys.stdin.read)
    stop.set()
    probe = await prober
    print(json.dumps({"latencies": probe.latencies, "failures": probe.failures, "at": probe.at,
                      "own": probe.own}), flush=True)


async def _probe_process(port: int, pid: int) -> asyncio.subprocess.Process:
    """The /health prober in its own process, so the attacker's work never delays its clock."""
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.attack_http", "--probe", str(port), "--server-pid", str(pid), cwd=ROOT,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)})


async def _probe_result(process: asyncio.subprocess.Process) -> Probe:
    out, _ = await process.communicate(b"")
    figures = json.loads(out)
    return Probe(figures["latencies"], figures["failures"], figures["at"], figures["own"])


async def measure(name: str, server: Server, attack: Attack, settle: float = 1.0) -> Outcome:
    """Run ``attack`` while probing /health (another process) and sampling RSS every 100 ms."""
    for _ in range(5):
        await health_once(server.port)
    before = server.rss_mib()
    peak = before
    stop = asyncio.Event()
    assert server.proc is not None
    prober = await _probe_process(server.port, server.proc.pid)

    async def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, server.rss_mib())
            await asyncio.sleep(0.1)

    sampler = asyncio.create_task(sample())
    try:
        attacker = await attack(server.port)
        await asyncio.sleep(settle)
    finally:
        stop.set()
        probe = await _probe_result(prober)
        await sampler
    return Outcome(name, attacker, before, peak, server.rss_mib(), probe)


# --------------------------------------------------------------------- the attacks

def post_head(length: int, path: str = ORDERS) -> bytes:
    return (f"POST {path} HTTP/1.1\r\nHost: attacker\r\nContent-Type: application/json\r\n"
            f"Content-Length: {length}\r\n\r\n").encode()


async def _trickle(port: int, head: bytes, body: bytes, every: float, deadline: float,
                   delay: float = 0.0) -> tuple[bytes | None, float]:
    """After ``delay``, ``head`` then ``body`` a byte every ``every`` seconds: the answer (None
    for a connection reset: a byte of ours crossed the server's close) and when it came."""
    await asyncio.sleep(delay)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    started = time.monotonic()
    answer: bytes | None = b""
    try:
        writer.write(head)
        reading = asyncio.create_task(reader.read())
        for byte in body:
            done, _ = await asyncio.wait({reading}, timeout=every)
            if done or time.monotonic() > deadline:
                break
            writer.write(bytes([byte]))
        answer = await asyncio.wait_for(reading, max(0.1, deadline - time.monotonic()))
    except OSError:
        answer = None
    except asyncio.TimeoutError:
        pass
    finally:
        writer.close()
    return answer, time.monotonic() - started


def _ramp(connections: int, ramp: float) -> list[float]:
    return [ramp * i / connections for i in range(connections)]


def slow_body(connections: int = 500, every: float = 7.0, within: float = 120.0, ramp: float = 1.0) -> Attack:
    """``connections`` POSTs of a 1,000-byte body, one byte per ``every`` seconds each, opened
    over ``ramp`` seconds. ``every`` does not divide the body timeout, so the attacker's bytes do
    not cross the server's close (a byte arriving after it makes the kernel reset the connection,
    and the client may lose the 408)."""
    async def attack(port: int) -> dict[str, float]:
        deadline = time.monotonic() + within
        body = b'{"symbol":"AAPL","qty":' + b"1" * 975 + b'}'
        results = await asyncio.gather(*(_trickle(port, post_head(len(body)), body, every, deadline, delay)
                                         for delay in _ramp(connections, ramp)))
        timed_out = [t for answer, t in results if answer is not None and answer.startswith(b"HTTP/1.1 408")]
        reset = [t for answer, t in results if answer is None]
        refused = [t for answer, t in results if answer is not None and answer.startswith(b"HTTP/1.1 503")]
        return {"connections": connections, "refused 503": len(refused), "answered 408": len(timed_out),
                "reset": len(reset),
                "slowest end s": round(max(timed_out + reset, default=float("nan")), 2)}

    return attack


def slow_headers(connections: int = 500, every: float = 1.0, within: float = 120.0, ramp: float = 1.0) -> Attack:
    """``connections`` request heads sent one byte per ``every`` seconds each (slowloris),
    opened over ``ramp`` seconds."""
    async def attack(port: int) -> dict[str, float]:
        deadline = time.monotonic() + within
        head = b"GET " + HEALTH.encode() + b" HTTP/1.1\r\nHost: attacker\r\nX-Padding: " + b"a" * 900 + b"\r\n\r\n"
        results = await asyncio.gather(*(_trickle(port, b"G", head[1:], every, deadline, delay)
                                         for delay in _ramp(connections, ramp)))
        closed = [t for answer, t in results if t < within and answer == b""]
        refused = [t for answer, t in results if answer is not None and answer.startswith(b"HTTP/1.1 503")]
        reset = [t for answer, t in results if answer is None]
        return {"connections": connections, "refused 503": len(refused), "reset": len(reset),
                "closed by the server": len(closed),
                "latest close s": round(max(closed, default=float("nan")), 2)}

    return attack


def idle_sockets(connections: int = 1010, hold: float = 5.0, source: str = "127.0.0.1") -> Attack:
    """``connections`` sockets opened from ``source`` that never send a byte, held ``hold`` s."""
    async def attack(port: int) -> dict[str, float]:
        opened: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
        failed = 0
        for _ in range(connections):
            try:
                opened.append(await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0)))
            except OSError:
                failed += 1
        await asyncio.sleep(hold)
        refused = held = closed = 0
        for reader, writer in opened:
            try:
                answer = await asyncio.wait_for(reader.read(200), 0.01)
            except asyncio.TimeoutError:
                held += 1
            except OSError:
                closed += 1
            else:
                if answer.startswith(b"HTTP/1.1 503"):
                    refused += 1
                else:
                    closed += 1
            writer.close()
        return {"connections": connections, "connect failed": failed, "refused 503": refused,
                "held open": held, "closed": closed}

    return attack


SCENARIOS: dict[str, tuple[dict[str, str], int | None, Attack]] = {
    # name: (server environment, open-file limit, attack)
    "slow-body": ({}, None, slow_body()),
    "slow-body-no-address-cap": ({"HTTP_MAX_CONNECTIONS_PER_ADDRESS": "0"}, None, slow_body()),
    "slow-headers": ({}, None, slow_headers()),
    "slow-headers-no-address-cap": ({"HTTP_MAX_CONNECTIONS_PER_ADDRESS": "0"}, None, slow_headers()),
    "idle-sockets": ({}, 1024, idle_sockets()),
}


async def run(names: list[str]) -> list[Outcome]:
    outcomes = []
    for name in names:
        env, nofile, attack = SCENARIOS[name]
        with Server(env, nofile=nofile) as server:
            outcome = await measure(name, server, attack)
        print(outcome.line(), flush=True)
        outcomes.append(outcome)
    return outcomes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="*", metavar="SCENARIO", help=f"some of {', '.join(SCENARIOS)}")
    parser.add_argument("--json", action="store_true", help="one JSON object per scenario instead")
    parser.add_argument("--probe", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument("--server-pid", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.probe is not None:
        asyncio.run(_probe_until_stdin_closes(args.probe, args.server_pid))
        return 0
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenario {', '.join(sorted(unknown))}")
    resource.setrlimit(resource.RLIMIT_NOFILE, resource.getrlimit(resource.RLIMIT_NOFILE)[1:] * 2)
    outcomes = asyncio.run(run(args.scenarios or list(SCENARIOS)))
    if args.json:
        for o in outcomes:
            print(json.dumps({"scenario": o.name, **o.attacker, "rss_growth_mib": round(o.rss_growth_mib, 1),
                              "health_p50_ms": round(o.probe.percentile(0.5) * 1000, 1),
                              "health_p99_ms": round(o.probe.percentile(0.99) * 1000, 1),
                              "health_max_ms": round(o.probe.worst * 1000, 1),
                              "health_own_p99_ms": round(o.probe.own_percentile(0.99) * 1000, 1),
                              "health_own_max_ms": round(o.probe.own_worst * 1000, 1),
                              "health_failed": o.probe.failures}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
