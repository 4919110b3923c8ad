#!/usr/bin/env python3
"""The WebSocket attacks of issue 21, each against a fresh ``python -m app server`` process.

Scenarios (``--scenario``, default all):

- ``topics``: one socket sends the probe's 566 quote topics of 1,000 unknown fast symbols at
  full speed; a second one, paced under the rate, takes the largest topics the budgets admit and
  reads their stream;
- ``flood``: one socket sends invalid messages as fast as the kernel takes them;
- ``stalled``: 20 sockets fill their symbol budget and never read;
- ``idle``: 5,000 sockets that only answer pings (a 6 s heartbeat, two rounds in the 13 s window),
  then all closed at once (phase ``close``).

While a scenario runs a process of its own probes ``GET /api/v1/datafeed/health`` every 20 ms
over one keep-alive connection and samples the server's VmRSS from /proc. The attacker runs in
this process, the server in its own; prints one JSON line per scenario: RSS growth (peak and at
the end), /health p50/p99/max, and what happened to the attacker (close codes, sockets left).

Each probe's latency is given twice: ``health_*`` is the wall latency, ``health_own_*`` the
server's own share, i.e. less the time the server's loop thread spent on the kernel's run queue
during that probe (ready to run, another process on the CPU: on a loaded shared machine that is
the machine's, not the server's). A stall in one of the server's callbacks, a wait for the
interpreter lock, or the probe's own scheduling delay still counts in the own share.
Linux only (/proc); standard library and aiohttp.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import gc
import http.client
import json
import os
import resource
import select
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Collection, Coroutine, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
WS_PATH = "/api/v1/datafeed/ws"
HEALTH_PATH = "/api/v1/datafeed/health"
PROBE_EVERY_S = 0.02
MASK = b"\0\0\0\0"
"""Client frames must be masked; a zero mask leaves the payload as it is (cheap for the attacker)."""
PONG = b"\x8a\x80" + MASK
PING = b"\x89\x00"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def cpu_s(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def established(port: int, peers: Collection[int] | None = None) -> int:
    """Server-side ESTABLISHED TCP sockets on ``port`` (the kernel's view, /proc/net/tcp),
    only those whose client port is in ``peers`` when given (the probe's own is not an attacker)."""
    wanted = f":{port:04X}"
    ports = None if peers is None else {f":{peer:04X}" for peer in peers}
    seen: set[str] = set()  # the file is read in pieces while it changes: a line may come twice
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            if parts[1].endswith(wanted) and parts[3] == "01" and (
                    ports is None or parts[2][parts[2].rfind(":"):] in ports):
                seen.add(parts[2])
    return len(seen)


def raise_fd_limit(wanted: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard), hard))


class Server:
    """``python -m app server`` on a free loopback port (``STORE_URL=memory:``), its pid and port."""

    def __init__(self, env: Mapping[str, str] | None = None, python: str = sys.executable) -> None:
        self.port = free_port()
        self._log = tempfile.TemporaryFile()
        full = {**os.environ, "STORE_URL": "memory:", "LOG_LEVEL": "ERROR", **(env or {})}
        self.proc = subprocess.Popen(
            [python, "-m", "app", "server", "--port", str(self.port)],
            cwd=ROOT, env=full, stdout=subprocess.DEVNULL, stderr=self._log,
        )
        self.pid = self.proc.pid

    def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log()}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
                conn.request("GET", HEALTH_PATH)
                if conn.getresponse().status == 200:
                    conn.close()
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("server did not start")

    def log(self) -> str:
        self._log.seek(0)
        return self._log.read().decode(errors="replace")[-4000:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()


@contextmanager
def serving(env: Mapping[str, str] | None = None) -> Iterator[Server]:
    server = Server(env)
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


def run_queue_wait_ns(pid: int, tid: int | None = None) -> int:
    """Nanoseconds thread ``tid`` (default: the main thread, ``tid == pid``) of process ``pid``
    has spent runnable but waiting for a CPU, since it started (/proc/PID/task/TID/schedstat,
    2nd field; the kernel's run-queue delay)."""
    return int(Path(f"/proc/{pid}/task/{tid or pid}/schedstat").read_text().split()[1])


def probe_main(port: int, pid: int) -> None:
    """The probe process: prints ``ready``, then ``GET /health`` every 20 ms over one keep-alive
    connection and the server's VmRSS after each until a line arrives on stdin; then prints
    ``[[[started, latency, waited, cpu, probe_waited], ...], failures, rss_peak]`` as JSON:
    ``waited`` is the run-queue wait the server's loop thread (its main thread) accrued during
    that probe, ``cpu`` the server's CPU seconds when it ended, ``probe_waited`` the probe's own
    run-queue wait meanwhile (``perf_counter`` is the system's monotonic clock, comparable across
    processes)."""
    samples: list[tuple[float, float, float, float, float]] = []
    me = os.getpid()
    failures = 0
    rss_peak = rss_kib(pid)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    print("ready", flush=True)
    while True:
        before, mine = run_queue_wait_ns(pid), run_queue_wait_ns(me)
        started = time.perf_counter()
        try:
            conn.request("GET", HEALTH_PATH)
            response = conn.getresponse()
            response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            ok = False
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        elapsed = time.perf_counter() - started
        waited = (run_queue_wait_ns(pid) - before) / 1e9
        if ok:
            samples.append((started, elapsed, waited, cpu_s(pid), (run_queue_wait_ns(me) - mine) / 1e9))
        else:
            failures += 1
        rss_peak = max(rss_peak, rss_kib(pid))
        if select.select([sys.stdin], [], [], max(0.0, PROBE_EVERY_S - elapsed))[0]:
            break
    conn.close()
    print(json.dumps([samples, failures, rss_peak]), flush=True)


@dataclass(frozen=True, slots=True)
class Sample:
    """One answered ``/health`` probe."""

    started: float
    """``perf_counter`` when it was sent."""
    wall: float
    """Its latency as the probe saw it (seconds)."""
    waited: float
    """Run-queue wait of the server's loop thread meanwhile: time the loop was ready to run but
    the kernel gave the CPU to another process (the machine's share, not the server's)."""
    cpu: float
    """The server's CPU seconds (user + system) when the probe ended."""
    probe_waited: float = 0.0
    """The probe process's own run-queue wait meanwhile: not left out of ``own`` (reported)."""

    @property
    def own(self) -> float:
        """The server's own share of the latency: the wall latency less the loop thread's
        run-queue wait. A stall inside one of the server's callbacks (CPU time), a wait for the
        interpreter lock held by another of its threads (a sleep, not the run queue) and the
        probe process's own scheduling delays still count whole."""
        return max(0.0, self.wall - self.waited)


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def window_figures(samples: list[Sample], prefix: str = "") -> dict[str, Any]:
    """p50/p99/max of the wall latency and of the server's own share (``Sample.own``), and the
    server's CPU over the window (from the first probe's end to the last's)."""
    if not samples:
        return {f"{prefix}health_probes": 0}
    walls = sorted(sample.wall for sample in samples)
    owns = sorted(sample.own for sample in samples)
    p99 = min(len(samples) - 1, int(len(samples) * 0.99))
    span = samples[-1].started + samples[-1].wall - samples[0].started - samples[0].wall
    worst = max(samples, key=lambda sample: sample.own)
    figures = {
        f"{prefix}health_probes": len(samples),
        f"{prefix}health_p50_ms": _ms(statistics.median(walls)),
        f"{prefix}health_p99_ms": _ms(walls[p99]),
        f"{prefix}health_max_ms": _ms(walls[-1]),
        f"{prefix}health_own_p50_ms": _ms(statistics.median(owns)),
        f"{prefix}health_own_p99_ms": _ms(owns[p99]),
        f"{prefix}health_own_max_ms": _ms(owns[-1]),
        f"{prefix}health_own_max_wall_ms": _ms(worst.wall),
        f"{prefix}health_own_max_probe_wait_ms": _ms(worst.probe_waited),
        f"{prefix}run_queue_wait_ms": _ms(sum(sample.waited for sample in samples)),
    }
    if span > 0.5:
        figures[f"{prefix}server_cpu_pct"] = round((samples[-1].cpu - samples[0].cpu) / span * 100, 1)
    return figures


@dataclass
class Watch:
    """/health latencies and the server's RSS, sampled by a process of its own (neither the
    server's loop nor the attacker's GIL delays a probe)."""

    server: Server
    failures: int = 0
    rss_base: int = 0
    rss_peak: int = 0
    started: float = 0.0
    """``perf_counter`` at the start; the scenario starts right after."""
    cpu_base: float = 0.0
    own_cpu_base: float = 0.0
    samples: list[Sample] = field(default_factory=list)
    """Every answered probe, in order."""
    window: tuple[float, float] | None = None
    """Only probes started in this ``perf_counter`` window count (the scenario's own phase)."""
    phases: dict[str, tuple[float, float]] = field(default_factory=dict)
    """Further windows of the scenario, reported apart with their name as prefix."""
    _proc: subprocess.Popen[str] | None = None

    def start(self) -> None:
        self.rss_base = self.rss_peak = rss_kib(self.server.pid)
        self._proc = subprocess.Popen(
            [sys.executable, "-c", f"from bench.attack_ws import probe_main; "
             f"probe_main({self.server.port}, {self.server.pid})"],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        assert self._proc.stdout is not None
        if self._proc.stdout.readline().strip() != "ready":
            raise RuntimeError("the probe process did not start")
        self.started = time.perf_counter()
        self.cpu_base = cpu_s(self.server.pid)
        self.own_cpu_base = time.process_time()

    def stop(self) -> None:
        if self._proc is None:
            return
        out, _ = self._proc.communicate("stop\n", timeout=30)
        self._proc = None
        samples, self.failures, peak = json.loads(out.strip().splitlines()[-1])
        self.samples = [Sample(*map(float, sample)) for sample in samples]
        self.rss_peak = max(self.rss_peak, peak)

    def _between(self, window: tuple[float, float] | None) -> list[Sample]:
        if window is None:
            return self.samples
        first, last = window
        return [sample for sample in self.samples if first <= sample.started <= last]

    def figures(self) -> dict[str, Any]:
        counted = self._between(self.window)
        inside = {id(sample) for sample in counted}
        outside = [sample for sample in self.samples if id(sample) not in inside]
        worst = max(counted, key=lambda sample: sample.wall, default=None)
        end = rss_kib(self.server.pid)
        wall = time.perf_counter() - self.started
        figures: dict[str, Any] = {
            "seconds": round(wall, 1),
            "server_cpu_pct": round((cpu_s(self.server.pid) - self.cpu_base) / wall * 100, 1),
            "attacker_cpu_pct": round((time.process_time() - self.own_cpu_base) / wall * 100, 1),
            "rss_base_mib": round(self.rss_base / 1024, 1),
            "rss_growth_peak_mib": round((self.rss_peak - self.rss_base) / 1024, 1),
            "rss_growth_end_mib": round((end - self.rss_base) / 1024, 1),
            "health_failures": self.failures,
            **{f"window_{key}" if key == "server_cpu_pct" else key: value
               for key, value in window_figures(counted).items()},
            "health_max_at_s": round((worst.started if worst else self.started) - self.started, 2),
            "health_max_outside_window_ms": _ms(max((s.wall for s in outside), default=0.0)),
            "health_own_max_outside_window_ms": _ms(max((s.own for s in outside), default=0.0)),
        }
        for name, window in self.phases.items():
            figures.update(window_figures(self._between(window), f"{name}_"))
        return figures


# -- raw sockets (a client that really stops reading, cheap for the attacker) -------------

def masked_text(text: str) -> bytes:
    payload = text.encode()
    size = len(payload)
    if size < 126:
        head = struct.pack("!BB", 0x81, 0x80 | size)
    elif size < 65536:
        head = struct.pack("!BBH", 0x81, 0x80 | 126, size)
    else:
        head = struct.pack("!BBQ", 0x81, 0x80 | 127, size)
    return head + MASK + payload


async def raw_connect(port: int, rcvbuf: int | None = None) -> tuple[socket.socket, bytes]:
    """A WebSocket handshake on a bare non-blocking socket; the socket and the bytes that came
    after the 101 (a ping may already have)."""
    loop = asyncio.get_running_loop()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    sock.setblocking(False)
    await loop.sock_connect(sock, ("127.0.0.1", port))
    key = base64.b64encode(os.urandom(16)).decode()
    await loop.sock_sendall(sock, (
        f"GET {WS_PATH} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
    ).encode())
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = await loop.sock_recv(sock, 4096)
        if not chunk:
            raise ConnectionError("handshake: connection closed")
        data += chunk
    if not data.startswith(b"HTTP/1.1 101"):
        raise ConnectionError(data.split(b"\r\n", 1)[0].decode(errors="replace"))
    return sock, data.partition(b"\r\n\r\n")[2]


def close_code_of(stream: bytes) -> int | None:
    """The code of the first close frame in a server byte stream (None: none there)."""
    pos = 0
    while pos + 2 <= len(stream):
        op, size = stream[pos] & 0x0F, stream[pos + 1] & 0x7F
        pos += 2
        if pos + {126: 2, 127: 8}.get(size, 0) > len(stream):
            return None
        if size == 126:
            size, pos = struct.unpack_from("!H", stream, pos)[0], pos + 2
        elif size == 127:
            size, pos = struct.unpack_from("!Q", stream, pos)[0], pos + 8
        if op == 0x8:
            return int.from_bytes(stream[pos:pos + 2], "big") if size >= 2 else 1005
        pos += size
    return None


async def read_to_end(sock: socket.socket, timeout: float) -> bytes:
    loop = asyncio.get_running_loop()
    data = bytearray()
    try:
        async with asyncio.timeout(timeout):
            while chunk := await loop.sock_recv(sock, 65536):
                data += chunk
    except (TimeoutError, ConnectionError):
        pass
    return bytes(data)


def quote_sub(fast: list[str], slow: list[str] | None = None) -> str:
    return json.dumps({"type": "quotes.subscribe", "payload": {"symbols": slow or [], "fast_symbols": fast}},
                      separators=(",", ":"))


def fitting_topics(count: int, per_topic: int, tag: int) -> list[list[str]]:
    """``count`` lists of ``per_topic`` distinct unknown symbols of 7 characters (95 make a
    topic of 1,001 characters, under the default ``WS_MAX_TOPIC_BYTES``)."""
    return [[f"{tag % 100:02d}{t % 100:02d}{n % 1000:03d}" for n in range(per_topic)] for t in range(count)]


# -- the scenarios ---------------------------------------------------------------------

async def topics(port: int, *, issue_topics: int = 566, issue_symbols: int = 1000,
                 fit_topics: int = 20, per_topic: int = 95, seconds: float = 10.0) -> dict[str, Any]:
    """The probe's 566 × 1,000 at full speed on one socket; the largest admitted shape on another."""
    result: dict[str, Any] = {}
    async with aiohttp.ClientSession() as session:
        url = f"http://127.0.0.1:{port}{WS_PATH}"
        greedy = await session.ws_connect(url, autoping=True, max_msg_size=0)
        sent = 0

        async def send_all() -> None:
            nonlocal sent
            try:
                for t in range(issue_topics):
                    await greedy.send_str(quote_sub([f"Z{t:03d}{n:04d}" for n in range(issue_symbols)]))
                    sent += 1
            except ConnectionError:
                pass

        sender = asyncio.get_running_loop().create_task(send_all())
        answers: dict[str, int] = {}
        async with asyncio.timeout(30):
            async for msg in greedy:
                if msg.type is aiohttp.WSMsgType.TEXT:
                    data = json.loads(msg.data)
                    text = data["payload"].get("message", "")
                    key = data["type"] + ": " + text.split(" (")[0].split(";")[0]
                    answers[key] = answers.get(key, 0) + 1
        await sender
        result["greedy_sent"] = sent
        result["greedy_answers"] = answers
        result["greedy_close"] = greedy.close_code

        paced = await session.ws_connect(url, autoping=True, max_msg_size=0)
        statuses: dict[str, int] = {}
        messages: set[str] = set()
        frames = 0
        for fast in fitting_topics(fit_topics, per_topic, 99):
            await paced.send_str(quote_sub(fast))
            await asyncio.sleep(0.05)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while (left := deadline - loop.time()) > 0:
            try:
                msg = await paced.receive(timeout=left)
            except TimeoutError:
                break
            if msg.type is not aiohttp.WSMsgType.TEXT:
                result["paced_closed"] = paced.close_code
                break
            if msg.data.startswith('{"type":"quotes.update"'):
                frames += 1
                continue
            payload = json.loads(msg.data)["payload"]
            statuses[payload["status"]] = statuses.get(payload["status"], 0) + 1
            if payload["status"] == "error":
                messages.add(payload["message"].split(" (")[0])
        result["paced_statuses"] = statuses
        result["paced_refusals"] = sorted(messages)
        result["paced_updates_per_s"] = round(frames / seconds)
        await paced.close()
    return result


async def flood(port: int, *, seconds: float = 5.0, batch: int = 4096) -> dict[str, Any]:
    """Invalid messages as fast as the kernel takes them, until the server closes or ``seconds``."""
    loop = asyncio.get_running_loop()
    sock, _ = await raw_connect(port)
    chunk = masked_text("x") * batch
    sent = 0
    started = loop.time()
    try:
        async with asyncio.timeout(seconds):
            while True:
                await loop.sock_sendall(sock, chunk)
                sent += batch
    except (TimeoutError, ConnectionError):
        pass
    elapsed = loop.time() - started
    peer = sock.getsockname()[1]
    stream = await read_to_end(sock, 10.0)
    left = established(port, [peer])
    sock.close()
    answers = stream.count(b'"type":"error"')
    return {"sent": sent, "flood_s": round(elapsed, 3), "error_answers": answers,
            "rate_error": b"Too many messages" in stream, "close_code": close_code_of(stream),
            "server_sockets_left": left}


async def stalled(port: int, *, sockets: int = 20, fit_topics: int = 11, per_topic: int = 95,
                  wait_s: float = 60.0, read_after_s: float | None = None) -> dict[str, Any]:
    """Sockets that fill their symbol budget (slow symbols: the most frames to hold), then never
    read: how long until the server has freed them. With ``read_after_s`` they do read after
    that long, and report the close code they see."""
    loop = asyncio.get_running_loop()
    socks = [(await raw_connect(port, rcvbuf=4096))[0] for _ in range(sockets)]
    for i, sock in enumerate(socks):
        for slow in fitting_topics(fit_topics, per_topic, i):
            await loop.sock_sendall(sock, masked_text(quote_sub([], slow)))
    peers = [sock.getsockname()[1] for sock in socks]
    started = loop.time()
    begin = time.perf_counter()
    held_until = 0.0
    streams: list[bytes] = []
    if read_after_s is not None:
        await asyncio.sleep(read_after_s)
        held_until = time.perf_counter()
        streams = list(await asyncio.gather(*(read_to_end(sock, wait_s) for sock in socks)))
    while (left := established(port, peers)) > 0 and loop.time() - started < wait_s:
        if left == sockets:
            held_until = time.perf_counter()
        await asyncio.sleep(0.2)
    freed_after = loop.time() - started
    left = established(port, peers)
    codes: dict[str, int] = {}
    for n, sock in enumerate(socks):
        stream = streams[n] if streams else await read_to_end(sock, 0.5)
        code = close_code_of(stream)
        codes[str(code)] = codes.get(str(code), 0) + 1
        sock.close()
    # "held": from 0.5 s after the subscriptions to the first cut, every socket holding
    # conflated quotes; its server_cpu_pct is what holding them costs per second
    return {"sockets": sockets, "server_sockets_left": left, "freed_after_s": round(freed_after, 1),
            "close_codes_seen": codes, "window": (begin, time.perf_counter()),
            "phases": {"held": (begin + 0.5, held_until)}}


async def idle(port: int, *, sockets: int = 5000, seconds: float = 10.0, bucket_s: float = 0.1,
               close_wait_s: float = 20.0, settle_s: float = 1.5) -> dict[str, Any]:
    """Sockets that only answer pings; the probe measures the heartbeat's cost over ``seconds``
    (the window, from ``settle_s`` after the last socket connected: the collector's full passes
    that opening thousands of sockets triggers, 120-580 ms each, run until just after the last
    one and belong to the set-up), then all the sockets close at once (phase ``close``: until the
    server holds none of them, and half a second more). Reports how the window's pings spread:
    the most in any ``bucket_s`` and the fewest any socket got."""
    loop = asyncio.get_running_loop()
    gate = asyncio.Semaphore(64)
    pings: list[tuple[float, int]] = []
    per_socket: list[int] = []

    readers: list[asyncio.Task[None]] = []

    async def one() -> socket.socket:
        async with gate:
            sock, early = await raw_connect(port)
        slot = len(per_socket)
        per_socket.append(0)
        readers.append(loop.create_task(answer(sock, early, slot)))  # from the start: pings come while others connect
        return sock

    async def answer(sock: socket.socket, data: bytes, slot: int) -> None:
        try:
            while data or (data := await loop.sock_recv(sock, 1024)):
                count = data.count(PING)
                if count:
                    pings.append((time.perf_counter(), count))
                    per_socket[slot] += count
                    await loop.sock_sendall(sock, PONG * count)
                data = b""
        except (ConnectionError, OSError):
            pass

    socks = list(await asyncio.gather(*(one() for _ in range(sockets))))
    peers = [sock.getsockname()[1] for sock in socks]
    connected = established(port, peers)
    # this process's own full collections (5,000 sockets and tasks, and a test run's heap when
    # pytest runs it) would hold the pings unread and count them in one bucket
    gc.collect()
    gc.freeze()
    try:
        await asyncio.sleep(settle_s)
        begin = time.perf_counter()
        counted_from = list(per_socket)
        await asyncio.sleep(seconds)
        end = time.perf_counter()
    finally:
        gc.unfreeze()
    still = established(port, peers)
    got = [now - then for now, then in zip(per_socket, counted_from)]
    buckets: dict[int, int] = {}
    for when, count in pings:
        if begin <= when <= end:
            buckets[int((when - begin) / bucket_s)] = buckets.get(int((when - begin) / bucket_s), 0) + count
    for task in readers:
        task.cancel()
    await asyncio.gather(*readers, return_exceptions=True)
    closing = time.perf_counter()
    for sock in socks:
        sock.close()
    while established(port, peers) and time.perf_counter() - closing < close_wait_s:
        await asyncio.sleep(0.05)
    freed = time.perf_counter() - closing
    left = established(port, peers)
    await asyncio.sleep(0.5)
    return {"sockets": sockets, "connected": connected, "still_connected": still,
            "pings_answered": sum(count for _, count in pings), "pings_in_window": sum(buckets.values()),
            "pings_min_per_socket": min(got, default=0), "pings_max_per_bucket": max(buckets.values(), default=0),
            "ping_buckets": len(buckets), "bucket_s": bucket_s,
            "close_freed_after_s": round(freed, 2), "close_sockets_left": left,
            "window": (begin, end), "phases": {"close": (closing, time.perf_counter())}}


Scenario = Callable[[int], Coroutine[Any, Any, dict[str, Any]]]
SCENARIOS: dict[str, tuple[Scenario, dict[str, str]]] = {
    "topics": (lambda port: topics(port), {}),
    "flood": (lambda port: flood(port), {}),
    "stalled": (lambda port: stalled(port), {}),
    "idle": (lambda port: idle(port, seconds=13.0),
             {"WS_HEARTBEAT_S": "6", "HTTP_MAX_CONNECTIONS": "6000", "HTTP_MAX_CONNECTIONS_PER_ADDRESS": "0"}),
}


async def warm_up(port: int) -> None:
    """One ordinary client first: the first socket and subscription of a process pay one-off
    costs (lazy imports, caches) that are not the attack's."""
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(f"http://127.0.0.1:{port}{WS_PATH}") as ws:
            await ws.send_str(quote_sub(["AAPL"], ["MSFT", "UNKNOWN"]))
            for _ in range(3):
                await ws.receive(timeout=5)


def run(scenario: Scenario, env: Mapping[str, str] | None = None, settle_s: float = 1.0,
        min_s: float = 3.0) -> dict[str, Any]:
    """A fresh server, the probe, the scenario; the figures and the scenario's own result.
    The probe runs at least ``min_s`` (and half a second past the scenario)."""
    with serving(env) as server:
        asyncio.run(warm_up(server.port))
        time.sleep(settle_s)
        watch = Watch(server)
        watch.start()
        try:
            outcome: dict[str, Any] = asyncio.run(scenario(server.port))
            time.sleep(max(0.5, min_s - (time.perf_counter() - watch.started)))
        finally:
            watch.stop()
        window = outcome.pop("window", None)
        if window is not None:
            watch.window = (float(window[0]), float(window[1]))
        watch.phases = {name: (float(first), float(last)) for name, (first, last) in outcome.pop("phases", {}).items()}
        return {**watch.figures(), **outcome}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenario", choices=sorted(SCENARIOS), action="append")
    parser.add_argument("--heartbeat", type=float, default=None,
                        help="WS_HEARTBEAT_S for the server (idle: 6 s whatever this says)")
    args = parser.parse_args()
    raise_fd_limit(12000)
    env = {} if args.heartbeat is None else {"WS_HEARTBEAT_S": str(args.heartbeat)}
    for name in args.scenario or list(SCENARIOS):
        scenario, extra = SCENARIOS[name]
        print(json.dumps({"scenario": name, "load_avg_1m": os.getloadavg()[0],
                          **run(scenario, {**env, **extra})}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
