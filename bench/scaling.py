#!/usr/bin/env python3
"""How throughput grows from 1 to 2 instances behind the cluster's nginx gateway (issue 17 item 5).

    .venv/bin/python -m bench.scaling                 # both halves, 3 interleaved rounds (make bench-scaling)
    .venv/bin/python -m bench.scaling --only stream --rounds 1 --seconds 3 --no-doc

Two clusters per half are brought up side by side with the cluster manager itself
(``app/cluster/manager.up``: generated nginx configuration, instances as ``cluster up`` starts
them, its supervisor), one with 1 instance and one with 2, and measured in turn, round by round
(1, 2, 1, 2, …), so a burst of load from elsewhere on the shared machine hits both alike:

* ``stream`` (datafeed, the ws-stream scenario of the shared harness): ``--clients`` WebSocket
  clients (the harness's ``wsload.py hold``, 2 processes) subscribe through the gateway to one
  quotes topic of 20 symbols at the fast rate; the gateway spreads the sockets round-robin over
  the datafeed instances, each of which runs its own quote ticker. Figure: delivered quote
  messages per second (and the share of the demanded 5 Hz × 20 symbols × clients).
* ``orders`` (broker, ``AUTH=required``): ``--accounts`` accounts created with
  ``python -m app accounts create`` in each cluster's local PostgreSQL; ``wrk`` POSTs resting
  limit orders to ``/api/v1/broker/orders``, each request with the next account's key, so the
  gateway's consistent hash spreads them over the broker instances. Figure: orders per second.

Rate limits are off (``RATE_PER_S``/``RATE_BURST`` far above the load) and the connection caps
lifted as in every benchmark (``BENCH_ENV``). CPU per operation of every process (each instance,
nginx's master and worker, PostgreSQL's whole tree) is its CPU per second, from
``/proc/PID/task/*/schedstat`` around each window, over the measured rate; the load generators
report their own. The "Cluster scaling" section of
docs/PERFORMANCE.md is replaced with the medians (the rest of the file is kept).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from app.cluster import manager, nginx, processes
from app.cluster.config import ClusterConfig, load
from app.cluster.postgres import LocalPostgres, bin_dir
from app.cluster.ring import Ring
from bench.gateway import cpu_ns, load_average, write_doc
from bench.run_bench import BENCH_ENV, DEFAULT_HARNESS, REPO

HEADING = "## Cluster scaling (1 → 2 instances)"
COUNTS = (1, 2)
SYMBOLS = ["AAPL", "GOOGL", "MSFT"] + [f"BENCH{i:02d}" for i in range(1, 18)]
"""The harness's ws-stream topic: 20 symbols (17 unknown ones, as in ``make bench``)."""
TICK_S = 0.2
ORDER = {"symbol": "AAPL", "type": 1, "side": 1, "qty": 1, "limitPrice": 1.5}
"""A buy far below any simulated price: it rests, so every POST is one accepted order."""
SPLITS: dict[int, str] = {}
"""Instances' shares of the orders half's accounts, e.g. ``7/5``."""
ENV = {**BENCH_ENV, "LOG_LEVEL": "WARNING", "RATE_PER_S": "1000000", "RATE_BURST": "1000000",
       "WS_RATE_PER_S": "1000000", "WS_RATE_BURST": "1000000"}


def say(line: str) -> None:
    print(f"[scaling] {line}", file=sys.stderr, flush=True)


def port_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def free_run(count: int, taken: set[int]) -> int:
    """The first of ``count`` consecutive free ports (none in ``taken``)."""
    for base in range(31000 + os.getpid() % 20000, 65000, 7):
        ports = set(range(base, base + count))
        if not ports & taken and all(port_free(p) for p in ports):
            taken |= ports
            return base
    raise RuntimeError("no run of free ports found")


def machine_idle() -> tuple[int, int]:
    """(idle, total) jiffies of all cores, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return fields[3] + fields[4], sum(fields[:8])


@dataclass(frozen=True)
class Cluster:
    count: int
    config: ClusterConfig
    keys: tuple[str, ...] = ()
    split: tuple[int, ...] = ()
    """Accounts per broker instance (the gateway's ring)."""

    def metered(self) -> dict[str, int]:
        """Process name → PID of every process whose tree is metered."""
        pids = {}
        for instance in self.config.instances:
            pid = processes.read_pid(self.config.state_dir / "run" / f"{instance.name}.pid")
            assert pid is not None, instance.name
            pids[instance.name] = pid
        gateway = processes.read_pid(self.config.state_dir / "run" / "gateway.pid")
        assert gateway is not None
        pids["nginx"] = gateway
        if self.config.local_postgres and self.config.broker_instances:
            pg = LocalPostgres(self.config).pid()
            assert pg is not None
            pids["postgres"] = pg
        return pids


@contextmanager
def cluster(root: Path, count: int, half: str, taken: set[int], accounts: int) -> Iterator[Cluster]:
    state = root / f"{half}-{count}"
    state.mkdir(mode=0o711)
    brokers, feeds = (count, 0) if half == "orders" else (0, count)
    store = "" if half == "orders" else f"store: sqlite:///{state / 'unused.sqlite3'}\n"
    path = state / "cluster.yaml"
    path.write_text(
        f"gateway: {{port: {free_run(1, taken)}}}\n"
        f"broker: {{instances: {brokers}, base_port: {free_run(max(brokers, 1), taken)}}}\n"
        f"datafeed: {{instances: {feeds}, base_port: {free_run(max(feeds, 1), taken)}}}\n"
        f"postgres: {{port: {free_run(1, taken)}}}\n{store}"
        f"auth: {'required' if half == 'orders' else 'off'}\nstop_timeout_s: 5\n"
        f"env: {json.dumps({**ENV, 'PYTHONPATH': str(REPO)})}\n")  # this checkout's code, wherever run from
    config = load(path)
    try:
        manager.up(config, lambda line: say(f"{half}-{count}: {line}"))
        keys: list[str] = []
        split: tuple[int, ...] = ()
        if half == "orders":
            ids = []
            for n in range(accounts):
                made = subprocess.run([sys.executable, "-m", "app", "accounts", "--store", manager.store_url(config),
                                       "create", f"bench-{n}"], cwd=REPO, capture_output=True, text=True,
                                      timeout=60, check=False)
                if made.returncode != 0:
                    raise RuntimeError(f"accounts create: {made.stdout}{made.stderr}")
                account = re.search(r"^account (\S+) ", made.stdout, re.M)
                key = re.search(r"^key \S+: (\S+)$", made.stdout, re.M)
                assert account and key, made.stdout
                ids.append(account.group(1))
                keys.append(key.group(1))
            addresses = [nginx.upstream_address(i) for i in config.instances]
            ring = Ring(addresses)
            split = tuple(sum(1 for a in ids if ring.pick(a) == address) for address in addresses)
        yield Cluster(count, config, tuple(keys), split)
    finally:
        manager.down(config, lambda line: say(f"{half}-{count}: {line}"))


def meter(pids: dict[str, int], work: Callable[[], tuple[float, float]]) -> dict[str, float]:
    """Run ``work`` (→ operations per second, load generator CPU µs per operation) and return its
    figures with each process's CPU µs per operation: its CPU per second over the window divided
    by the rate (the load generator's own window may start and end a little later than ours)."""
    before = {name: cpu_ns(pid) for name, pid in pids.items()}
    idle0, total0 = machine_idle()
    t0 = time.monotonic()
    rate, client_us = work()
    wall = time.monotonic() - t0
    idle1, total1 = machine_idle()
    after = {name: cpu_ns(pid) for name, pid in pids.items()}
    figures = {"rate": rate, "machine_busy": 1 - (idle1 - idle0) / max(1, total1 - total0), "client_us": client_us}
    for name in pids:
        figures[f"{name}_us"] = (after[name] - before[name]) / 1000 / wall / max(rate, 1e-9)
    return figures


# ------------------------------------------------------------------ stream (datafeed)
class Hold:
    """One ``wsload.py hold`` child: N sockets subscribed, counting ``quotes.update`` frames."""

    def __init__(self, harness: Path, url: str, conns: int, lifetime: float) -> None:
        sub = json.dumps({"type": "quotes.subscribe", "payload": {"symbols": [], "fast_symbols": SYMBOLS}})
        unsub = sub.replace("quotes.subscribe", "quotes.unsubscribe")
        self.proc = subprocess.Popen(
            [sys.executable, str(harness / "wsload.py"), "hold", "--url", url, "--conns", str(conns), "--sub", sub,
             "--unsub", unsub, "--match", "quotes.update", "--lifetime", str(lifetime)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def event(self, name: str) -> dict[str, object]:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.startswith("{"):
                found: dict[str, object] = json.loads(line)
                if found.get("event") == name:
                    return found
                if found.get("event") == "error":
                    raise RuntimeError(f"wsload: {found}")
        raise RuntimeError(f"wsload exited before {name!r} (rc {self.proc.wait()})")

    def finish(self) -> None:
        if self.proc.poll() is None:
            try:
                self.send("quit")
                self.proc.wait(40)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait(5)


def stream_round(c: Cluster, harness: Path, clients: int, seconds: float) -> dict[str, float]:
    url = f"ws://127.0.0.1:{c.config.gateway_port}/api/v1/datafeed/ws"
    holds = [Hold(harness, url, share, seconds + 120) for share in (clients - clients // 2, clients // 2)]
    try:
        ready = [h.event("ready") for h in holds]
        subscribed = sum(int(str(r["subscribed"])) for r in ready)
        if subscribed != clients:
            raise RuntimeError(f"only {subscribed} of {clients} clients subscribed: {ready}")
        time.sleep(1.0)
        results: list[dict[str, object]] = []

        def work() -> tuple[float, float]:
            for h in holds:
                h.send("go")
            time.sleep(seconds)
            for h in holds:
                h.send("stop 0 0 0")
            results.extend(h.event("result") for h in holds)
            delivered = [float(str(r["delivered"])) for r in results]
            rate = sum(d / float(str(r["window_s"])) for d, r in zip(delivered, results))
            return rate, sum(float(str(r["cpu_s"])) for r in results) * 1e6 / max(sum(delivered), 1)

        figures = meter(c.metered(), work)
        figures["delivery"] = figures["rate"] / (clients * len(SYMBOLS) / TICK_S)
        figures["closed"] = sum(float(str(r["closed"])) for r in results)
        return figures
    finally:
        for h in holds:
            h.finish()


# ------------------------------------------------------------------ orders (broker)
LUA = """\
local keys = {%s}
local body = '%s'
local n = 0
request = function()
    n = n + 1
    return wrk.format("POST", nil, {["Authorization"] = "Bearer " .. keys[n %% #keys + 1],
                                    ["Content-Type"] = "application/json"}, body)
end
"""


def wrk(url: str, script: Path, seconds: float, connections: int) -> tuple[float, float]:
    """(responses per second, wrk's CPU µs per response) of one window; any non-2xx answer is an error."""
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds:g}s", "-s", str(script), url],
                            capture_output=True, text=True, check=True)
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = re.search(r"(\d+) requests in", result.stdout)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
    if done is None or rate is None or "Non-2xx" in result.stdout or "Socket errors" in result.stdout:
        raise RuntimeError(f"wrk on {url}: {result.stdout}")
    cpu_s = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
    return float(rate.group(1)), cpu_s * 1e6 / max(int(done.group(1)), 1)


def orders_round(c: Cluster, seconds: float, connections: int) -> dict[str, float]:
    script = c.config.state_dir / "orders.lua"
    if not script.exists():
        script.write_text(LUA % (", ".join(f'"{k}"' for k in c.keys), json.dumps(ORDER)))
    url = f"http://127.0.0.1:{c.config.gateway_port}/api/v1/broker/orders"
    wrk(url, script, 1, connections)  # warm-up
    return meter(c.metered(), lambda: wrk(url, script, seconds, connections))


# ------------------------------------------------------------------ run and report
def run(halves: list[str], rounds: int, seconds: float, clients: int, accounts: int, connections: int,
        harness: Path) -> dict[str, dict[int, dict[str, float]]]:
    root = Path(tempfile.mkdtemp(prefix="trader-scaling-bench-"))
    root.chmod(0o711)  # nginx's workers and PostgreSQL (other users when root) enter it
    taken: set[int] = set()
    out: dict[str, dict[int, dict[str, float]]] = {}
    try:
        for half in halves:
            with ExitStack() as stack:
                clusters = [stack.enter_context(cluster(root, n, half, taken, accounts)) for n in COUNTS]
                samples: dict[int, list[dict[str, float]]] = {n: [] for n in COUNTS}
                for r in range(rounds):
                    for c in clusters:
                        figures = (stream_round(c, harness, clients, seconds) if half == "stream"
                                   else orders_round(c, seconds, connections))
                        samples[c.count].append(figures)
                        print(json.dumps({"half": half, "round": r + 1, "instances": c.count,
                                          **{k: round(v, 2) for k, v in figures.items()}}), flush=True)
                out[half] = {n: {k: statistics.median(s[k] for s in runs) for k in runs[0]}
                             for n, runs in samples.items()}
                for c in clusters:
                    SPLITS[c.count] = "/".join(str(x) for x in c.split)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return out


def _instances(half: str, n: int, m: dict[str, float]) -> list[float]:
    kind = "broker" if half == "orders" else "datafeed"
    return [m[f"{kind}-{i + 1}_us"] for i in range(n)]


def _total(half: str, n: int, m: dict[str, float]) -> float:
    return sum(_instances(half, n, m)) + m["nginx_us"] + m.get("postgres_us", 0.0) + m["client_us"]


def _summary(half: str, m: dict[int, dict[str, float]], unit: str) -> str:
    one, two = m[1], m[2]
    return (f"2 instances: {two['rate'] / one['rate']:.2f}× the {unit}/s of 1; CPU per {unit[:-1]} of the "
            f"instances together {sum(_instances(half, 2, two)) / sum(_instances(half, 1, one)):.2f}×, of nginx "
            f"{two['nginx_us'] / one['nginx_us']:.2f}×, of every metered process "
            f"{_total(half, 2, two) / _total(half, 1, one):.2f}×; machine busy {one['machine_busy'] * 100:.0f} % "
            f"with 1, {two['machine_busy'] * 100:.0f} % with 2.")


def _row(half: str, n: int, m: dict[str, float], base: float) -> str:
    instances = _instances(half, n, m)
    pg = m.get("postgres_us", 0.0)
    total = _total(half, n, m)
    each = " + ".join(f"{x:.1f}" for x in instances)
    extra = f" | {pg:.1f}" if half == "orders" else f" | {m['delivery'] * 100:.1f} %"
    split = f" ({SPLITS.get(n, '?')} accounts)" if half == "orders" else ""
    return (f"| {n}{split} | {m['rate']:,.0f} | {m['rate'] / base:.2f}× | {each} | {m['nginx_us']:.1f}{extra} | "
            f"{m['client_us']:.1f} | {total:.1f} | {m['machine_busy'] * 100:.0f} % |")


def render(out: dict[str, dict[int, dict[str, float]]], command: str, rounds: int, seconds: float, clients: int,
           accounts: int, connections: int, load: tuple[str, str]) -> str:
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M")
    lines = [
        f"Measured {when} UTC with `{command}` on this 2-core machine: medians of {rounds} interleaved rounds "
        f"(the 1-instance and the 2-instance cluster up side by side, measured in turn), {seconds:g} s windows. "
        "Both clusters are brought up by the cluster manager itself (`app/cluster/manager.up`: the nginx "
        "configuration `app/cluster/nginx.py` generates, one nginx worker, instances as `cluster up` starts "
        "them, rate limits off, connection caps lifted). CPU per operation: each process tree's CPU per "
        "second (`/proc/PID/task/*/schedstat` around the window) over the measured rate; the load generator's "
        "from its own accounting; \"machine busy\" is 1 − the idle "
        f"share of both cores. Load average {load[0]} before, {load[1]} after (other engineers' work shares the "
        "cores).", ""]
    if "stream" in out:
        m = out["stream"]
        lines += [
            f"**Datafeed streams** (ws-stream through the gateway): {clients} WebSocket clients (the shared "
            f"harness's `wsload.py hold`, 2 processes) on one quotes topic of {len(SYMBOLS)} symbols at the "
            f"fast rate, {clients * len(SYMBOLS) / TICK_S:,.0f} msgs/s demanded; nginx spreads the sockets "
            "round-robin over the datafeed instances, each runs its own ticker (the market is a function of "
            "symbol, seed and time, so they send the same quotes).", "",
            "| datafeed instances | delivered msgs/s | vs 1 | instance CPU µs/msg | nginx µs/msg | "
            "delivered/demanded | clients µs/msg | total µs/msg | machine busy |",
            "|---|---|---|---|---|---|---|---|---|",
            *(_row("stream", n, m[n], m[1]["rate"]) for n in COUNTS), "", _summary("stream", m, "msgs"), ""]
    if "orders" in out:
        m = out["orders"]
        lines += [
            f"**Broker orders across accounts** (`AUTH=required`): {accounts} accounts in each cluster's local "
            f"PostgreSQL; `wrk -t1 -c{connections}` POSTs resting limit orders to `/api/v1/broker/orders`, each "
            "request with the next account's key, so the gateway's consistent hash spreads the accounts over "
            "the broker instances (split in the first column); every order is written to PostgreSQL before "
            "it is acknowledged.", "",
            "| broker instances | orders/s | vs 1 | instance CPU µs/order | nginx µs/order | PostgreSQL µs/order | "
            "wrk µs/order | total µs/order | machine busy |",
            "|---|---|---|---|---|---|---|---|---|",
            *(_row("orders", n, m[n], m[1]["rate"]) for n in COUNTS), "", _summary("orders", m, "orders"), ""]
    lines += [
        "Why the curve looks as it does here, and what it would be with more cores: every process shares the "
        "2 cores with nginx, the load generator, PostgreSQL (orders) and other engineers' work (load "
        "average above). The kernel gives each runnable process a fair share, so on a machine busier than "
        "its cores a second instance mostly wins a second share from the other work, and msgs/s or orders/s "
        "rise; on an otherwise idle machine the two instances take their CPU from nginx and the load "
        "generator instead, and the curve is flat or falls. Neither says what more cores would give. CPU per "
        "operation itself grows when the machine is oversubscribed (caches, the cores' other hyperthreads, the "
        "hypervisor): compare the rows of one run, not figures across runs. The robust "
        "figure is CPU per operation (the summary lines): by design a second instance adds no work per "
        "message or order, because datafeed instances share nothing (the market is a "
        "function of symbol, seed and time) and broker instances share only PostgreSQL, with accounts "
        "partitioned so no lock is contended. Where nginx's or the clients' cost per message differs "
        "between the rows it is most likely the size of their reads: a starved sender's frames arrive a few per read, "
        "and both pay per read more than per frame. With a core per process throughput would therefore "
        "grow about linearly with the instances, until the next shared part saturates: the single nginx "
        "worker (1e6 / its µs per operation above, per worker; `worker_processes` can be raised), the load "
        "generator, and for orders PostgreSQL (its µs per order above, one commit per order, on its own "
        "cores or machine). Datafeed instances can also spread over machines without limit; broker "
        "instances scale as far as the one PostgreSQL does.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=("stream", "orders"), help="one half only")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=500, help="WebSocket clients of the stream half")
    parser.add_argument("--accounts", type=int, default=12, help="accounts of the orders half")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections of the orders half")
    parser.add_argument("--harness", type=Path, default=DEFAULT_HARNESS)
    parser.add_argument("--no-doc", action="store_true", help="print the tables, leave docs/PERFORMANCE.md alone")
    args = parser.parse_args(argv)
    halves = [args.only] if args.only else ["stream", "orders"]
    problems = [("wsload.py", (args.harness / "wsload.py").is_file()), ("wrk", shutil.which("wrk") is not None),
                ("nginx", nginx.nginx_binary() is not None),
                ("PostgreSQL", "orders" not in halves or bin_dir() is not None)]
    for what, ok in problems:
        if not ok:
            print(f"error: {what} not found (shared harness: --harness DIR; apt-get install wrk nginx; "
                  "make postgres)", file=sys.stderr)
            return 2
    before = load_average()
    out = run(halves, args.rounds, args.seconds, args.clients, args.accounts, args.connections, args.harness)
    command = "python -m bench.scaling" + (f" --only {args.only}" if args.only else "") + (
        "" if args.rounds == 3 else f" --rounds {args.rounds}")
    section = render(out, command, args.rounds, args.seconds, args.clients, args.accounts, args.connections,
                     (before, load_average()))
    print(section)
    if not args.no_doc:
        write_doc(section, heading=HEADING)
    return 0


if __name__ == "__main__":
    sys.exit(main())
