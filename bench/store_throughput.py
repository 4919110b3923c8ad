#!/usr/bin/env python3
"""POST /orders throughput with the memory store against the SQLite store, side by side.

    python bench/store_throughput.py              # 8 concurrent clients, 3 runs, 100 stored orders
    python bench/store_throughput.py --runs 1 --duration 3

Drives the shared harness (``../shared/bench/run.py``, scenario ``rest-orders``) with three
managed servers, started fresh before every run and measured interleaved: ``memory:``, SQLite
with ``STORE_SYNC=normal`` and with ``STORE_SYNC=full`` (the harness resets the account, which
empties the stored one, before it loads). Prints
requests per second, the SQLite/memory ratio, and the group-commit batch sizes each SQLite
server logged at shutdown (commands per commit). Standard library only.
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
HARNESS = Path(__file__).resolve().parents[2] / "shared" / "bench"
PORTS = {"memory": 28721, "sqlite-normal": 28722, "sqlite-full": 28723}
STATS = re.compile(r"group commit (\{.*\})")


def targets(python: Path, scratch: Path) -> list[dict[str, Any]]:
    out = []
    for label, port in PORTS.items():
        url = "memory:" if label == "memory" else f"sqlite:///{scratch / label}.sqlite3"
        sync = label.rsplit("-", 1)[-1] if label != "memory" else "normal"
        cmd = f"{shlex.quote(str(python))} -m app server --port {port} --modules broker"
        out.append({"label": label, "url": f"http://127.0.0.1:{port}", "cmd": cmd, "cwd": str(REPO),
                    "env": {"STORE_URL": url, "STORE_SYNC": sync, "LOG_LEVEL": "INFO",
                            "XDG_STATE_HOME": str(scratch / "state")},
                    "log": str(scratch / f"server-{label}.log")})
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--duration", type=float, default=8.0)
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--size", type=int, default=100, help="orders stored before the POST load")
    ap.add_argument("--harness", type=Path, default=HARNESS, help="folder with the harness's run.py")
    ap.add_argument("--python", type=Path, default=REPO / ".venv" / "bin" / "python")
    a = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="store-throughput-") as tmp:
        scratch = Path(tmp)
        (scratch / "targets.json").write_text(json.dumps(targets(a.python.absolute(), scratch), indent=2))
        results = scratch / "results.jsonl"
        cmd = [str(a.python), str(a.harness / "run.py"), "--targets", str(scratch / "targets.json"),
               "--scenario", "rest-orders", "--order-sizes", str(a.size), "--runs", str(a.runs),
               "--duration", str(a.duration), "--connections", str(a.connections), "--restart", "run",
               "--out", str(results)]
        print("[store_throughput] " + shlex.join(cmd), file=sys.stderr, flush=True)
        rc = subprocess.run(cmd, cwd=REPO, stdout=subprocess.DEVNULL, check=False).returncode
        if rc != 0 or not results.exists():
            print(f"harness exited with {rc}", file=sys.stderr)
            return rc or 1
        medians = {}
        for line in results.read_text().splitlines():
            d = json.loads(line)
            medians[d["label"]] = d["median"]
        memory = medians["memory"].get("post_rps")
        print(f"POST /orders, {a.connections} concurrent clients, {a.size} orders stored, median of {a.runs} run(s):")
        print("| store | POST req/s | ratio to memory | POST CPU µs/req | p99 ms | commits: mean / max batch |")
        print("|---|---|---|---|---|---|")
        for label in PORTS:
            m = medians.get(label, {})
            rps = m.get("post_rps")
            ratio = f"{rps / memory * 100:.0f} %" if rps and memory else "–"
            batches = "–"
            if label != "memory":
                found = STATS.findall((scratch / f"server-{label}.log").read_text())
                sizes = [json.loads(f) for f in found]
                if sizes:
                    batches = "; ".join(f"{s['meanBatch']} / {s['maxBatch']}" for s in sizes)
            print(f"| {label} | {rps or '–'} | {ratio} | {m.get('post_server_cpu_us_per_req', '–')} "
                  f"| {m.get('post_p99_ms', '–')} | {batches} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
