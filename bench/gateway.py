#!/usr/bin/env python3
"""What the cluster's nginx gateway costs (issue 17 item 5): ``GET /api/v1/broker/health``
through the gateway vs the same server direct vs the bare-aiohttp limit server, in one run.

    .venv/bin/python -m bench.gateway                # 3 interleaved rounds of 5 s (make bench-gateway)
    .venv/bin/python -m bench.gateway --rounds 5 --no-doc

Starts the limit server (the shared harness's ``limit_server.py --uvloop --json orjson``), one
broker instance as the cluster manager runs it (``python -m app server --modules broker``,
``STORE_URL=memory:``, connection caps lifted as in every benchmark) and nginx with the
configuration ``app/cluster/nginx.py`` generates for a one-broker cluster in front of it. Each
round drives each of the three paths with ``wrk -t1 -c8`` (1 s warm-up, then the window) in
turn, so a burst of load from elsewhere on the shared machine hits them alike. CPU is read from
``/proc/PID/task/*/schedstat`` of each process tree (the server; nginx's master and worker)
just before and after each window. The "Gateway" section of docs/PERFORMANCE.md is replaced
with the medians (the rest of the file is kept).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

from app.cluster import nginx
from app.cluster.config import ClusterConfig
from app.cluster.manager import gateway_spec
from bench.run_bench import BENCH_ENV, DEFAULT_HARNESS, REPO, extract_section

HEADING = "## Gateway (cluster)"
LOGS = REPO / ".bench" / "gateway"
"""The three processes' output (scratch, like run_bench's ``.bench/``)."""
HEALTH = "/api/v1/broker/health"
PATHS = ("floor", "direct", "gateway")
LABELS = {"floor": "limit server (`limit_server.py --uvloop --json orjson`)",
          "direct": "trader-pro broker instance, direct",
          "gateway": "trader-pro broker instance through nginx"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def tree(pid: int) -> list[int]:
    """``pid`` and its descendants."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += children.get(current, [])
    return found


def cpu_ns(pid: int) -> int:
    total = 0
    for member in tree(pid):
        try:
            tasks = list(Path(f"/proc/{member}/task").iterdir())
        except OSError:
            continue
        for task in tasks:
            try:
                total += int((task / "schedstat").read_text().split()[0])
            except (OSError, IndexError, ValueError):
                pass
    return total


def wait_answer(url: str, deadline_s: float = 60.0) -> None:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {deadline_s:g} s")


def start(argv: list[str], log: Path, env: dict[str, str] | None = None, cwd: Path | None = None
          ) -> subprocess.Popen[bytes]:
    with open(log, "ab") as out:
        return subprocess.Popen(argv, env={**os.environ, **(env or {})}, cwd=cwd, start_new_session=True,
                                stdout=out, stderr=subprocess.STDOUT)


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


def wrk(url: str, seconds: float, connections: int) -> tuple[int, float]:
    """(responses, req/s) of one wrk window."""
    result = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds:g}s", url],
                            capture_output=True, text=True, check=True)
    done = re.search(r"(\d+) requests in", result.stdout)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
    if done is None or rate is None or "Non-2xx" in result.stdout:
        raise RuntimeError(f"wrk on {url}: {result.stdout}")
    return int(done.group(1)), float(rate.group(1))


def measure(url: str, metered: dict[str, int], seconds: float, connections: int) -> dict[str, float]:
    wrk(url, 1, connections)  # warm-up
    before = {name: cpu_ns(pid) for name, pid in metered.items()}
    responses, rps = wrk(url, seconds, connections)
    after = {name: cpu_ns(pid) for name, pid in metered.items()}
    figures = {"rps": rps}
    for name in metered:
        figures[f"{name}_us_per_req"] = (after[name] - before[name]) / 1000 / responses
    return figures


def run(rounds: int, seconds: float, connections: int, harness: Path) -> dict[str, dict[str, float]]:
    python = sys.executable
    scratch = Path(tempfile.mkdtemp(prefix="trader-gateway-bench-"))
    scratch.chmod(0o711)  # nginx's workers (www-data when root) enter it for their temporary files
    floor_port, server_port, gateway_port = free_port(), free_port(), free_port()
    procs: list[subprocess.Popen[bytes]] = []
    LOGS.mkdir(parents=True, exist_ok=True)
    try:
        floor = start([python, str(harness / "limit_server.py"), "--port", str(floor_port), "--uvloop",
                       "--json", "orjson"], LOGS / "floor.log", cwd=scratch)
        procs.append(floor)
        env = {**BENCH_ENV, "STORE_URL": "memory:", "ENABLED_MODULES": "broker", "LOG_LEVEL": "WARNING",
               "TRUSTED_PROXIES": "127.0.0.1", "PYTHONPATH": str(REPO)}
        server = start([python, "-m", "app", "server", "--port", str(server_port), "--modules", "broker"],
                       LOGS / "server.log", env=env, cwd=REPO)
        procs.append(server)
        config = ClusterConfig(path=scratch / "cluster.yaml", state_dir=scratch / ".local", gateway_port=gateway_port,
                               broker_instances=1, broker_base_port=server_port, datafeed_instances=0)
        nginx.write(config)
        gateway = start(list(gateway_spec(config).argv), LOGS / "nginx.log")
        procs.append(gateway)
        urls = {"floor": f"http://127.0.0.1:{floor_port}{HEALTH}",
                "direct": f"http://127.0.0.1:{server_port}{HEALTH}",
                "gateway": f"http://127.0.0.1:{gateway_port}{HEALTH}"}
        for url in urls.values():
            wait_answer(url)
        metered = {"floor": {"server": floor.pid}, "direct": {"server": server.pid},
                   "gateway": {"server": server.pid, "nginx": gateway.pid}}
        samples: dict[str, list[dict[str, float]]] = {path: [] for path in PATHS}
        for n in range(rounds):
            for path in PATHS:
                figures = measure(urls[path], metered[path], seconds, connections)
                samples[path].append(figures)
                print(json.dumps({"round": n + 1, "path": path, **{k: round(v, 1) for k, v in figures.items()}}),
                      flush=True)
        return {path: {key: statistics.median(s[key] for s in runs) for key in runs[0]}
                for path, runs in samples.items()}
    finally:
        for proc in reversed(procs):
            stop(proc)
        shutil.rmtree(scratch, ignore_errors=True)


def load_average() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


def render(medians: dict[str, dict[str, float]], command: str, rounds: int, seconds: float,
           load: tuple[str, str] = ("?", "?")) -> str:
    floor = medians["floor"]["server_us_per_req"]
    rows = ["| path | req/s | server CPU µs/req | nginx CPU µs/req | total CPU µs/req | total / limit server |",
            "|---|---|---|---|---|---|"]
    for path in PATHS:
        m = medians[path]
        server, proxy = m["server_us_per_req"], m.get("nginx_us_per_req")
        total = server + (proxy or 0.0)
        rows.append(f"| {LABELS[path]} | {m['rps']:.0f} | {server:.1f} | "
                    f"{'—' if proxy is None else f'{proxy:.1f}'} | {total:.1f} | {total / floor:.2f}× |")
    direct, through = medians["direct"], medians["gateway"]
    server_ratio = through["server_us_per_req"] / direct["server_us_per_req"]
    gateway_ratio = (through["server_us_per_req"] + through["nginx_us_per_req"]) / direct["server_us_per_req"]
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M")
    return "\n".join([
        f"Measured {when} UTC with `{command}`: medians of {rounds} interleaved rounds, each path driven "
        f"by `wrk -t1 -c8` for {seconds:g} s after a 1 s warm-up, `GET {HEALTH}`; CPU from "
        "`/proc/PID/task/*/schedstat` of each process tree (nginx: master and its one worker). The "
        "instance runs as the cluster manager starts it (broker module, `STORE_URL=memory:`, "
        "`TRUSTED_PROXIES=127.0.0.1`); the gateway's configuration is the one `app/cluster/nginx.py` "
        f"generates. Load average {load[0]} before, {load[1]} after (other engineers' work shares the 2 "
        "cores): single rounds swing by ±20 % or more, the medians less.",
        "",
        *rows,
        "",
        f"Behind the gateway the instance spends {server_ratio:.2f}× its direct CPU per request (nginx's "
        "requests carry more headers, `X-Forwarded-For` among them, which the instance checks against "
        f"`TRUSTED_PROXIES`), and the whole path costs {gateway_ratio:.2f}× the direct one, nginx's own "
        "share included. On this 2-core machine nginx and the instance compete for the same cores, so "
        "req/s through the gateway is lower than direct; with a core per process the gateway's share "
        "would instead cap throughput at about "
        f"{1e6 / through['nginx_us_per_req']:.0f} req/s per nginx worker.",
        "",
    ])


def write_doc(section: str, path: Path = REPO / "docs" / "PERFORMANCE.md", heading: str = HEADING) -> None:
    """Replace the level-2 section ``heading`` of ``path`` with ``section`` (appended when missing)."""
    text = path.read_text(encoding="utf-8")
    if extract_section(text, heading) is None:
        text = text.rstrip("\n") + f"\n\n{heading}\n\n{section}"
    else:
        text = re.sub(rf"^{re.escape(heading)}[ \t]*\n.*?(?=^## |\Z)", lambda _: f"{heading}\n\n{section}\n",
                      text, count=1, flags=re.M | re.S)
    path.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--harness", type=Path, default=DEFAULT_HARNESS)
    parser.add_argument("--no-doc", action="store_true", help="print the table, leave docs/PERFORMANCE.md alone")
    args = parser.parse_args(argv)
    if not (args.harness / "limit_server.py").is_file():
        print(f"error: no limit_server.py in {args.harness} (--harness DIR: the shared harness)", file=sys.stderr)
        return 2
    if shutil.which("wrk") is None:
        print("error: wrk is not installed (apt-get install -y wrk)", file=sys.stderr)
        return 2
    if nginx.nginx_binary() is None:
        print("error: nginx is not installed (make nginx, or apt-get install nginx)", file=sys.stderr)
        return 2
    before = load_average()
    medians = run(args.rounds, args.seconds, args.connections, args.harness)
    command = "python -m bench.gateway" + ("" if args.rounds == 3 else f" --rounds {args.rounds}")
    section = render(medians, command, args.rounds, args.seconds, (before, load_average()))
    print(section)
    if not args.no_doc:
        write_doc(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
