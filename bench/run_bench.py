#!/usr/bin/env python3
"""Benchmark this server against the bare-aiohttp floor and write docs/PERFORMANCE.md.

    python bench/run_bench.py --quick                  # 1 run, short windows (make bench)
    python bench/run_bench.py --full                   # 3 runs, the harness's windows (make bench-full)
    python bench/run_bench.py --quick --scenario rest-small   # while developing: tables only

Drives the shared harness (``../shared/bench`` beside the repository, or ``--harness``): both
servers are managed by it, started fresh before every run and measured interleaved.  Scratch
files (targets, JSON lines, server logs) go to ``.bench/``.  Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

REPO = Path(__file__).resolve().parents[1]
DEFAULT_HARNESS = Path(__file__).resolve().parents[2] / "shared" / "bench"
PROJECT = "trader-pro"
FLOOR = "limit-uvloop-orjson"
PROJECT_PORT = 28710
FLOOR_PORT = 28791
# The harness's own short-window options (see its --help); --full keeps its defaults.
QUICK_ARGS = ["--duration", "3", "--warmup", "1", "--fanout-seconds", "4", "--idle-hold", "2",
              "--pause", "0.5"]
QUICK_NOTE = ("Quick pass: 1 run per target, 3 s REST/stream/churn windows, 4 s of fanout, 2 s idle hold: "
              "indicative only; `make bench-full` gives the figures of record.")
FULL_NOTE = "Full pass: 3 runs per target with the harness's default windows; medians of the 3."
PROFILES_HEADING = "## Profiles"
METRICS_COST_HEADING = "## Cost of metrics"
PROFILES_DEFAULT = """\
Filled in by hand; `bench/run_bench.py` keeps this section when it rewrites the file.

How to profile one scenario: start the server yourself
(`.venv/bin/python -m app server --port 28710`), note its PID, drive load with the harness
(`python ../shared/bench/run.py --target http://127.0.0.1:28710 --pid PID --scenario rest-small
--runs 1`), and meanwhile sample it with `py-spy top --pid PID` or
`py-spy record --pid PID --duration 10 -o profile.svg` (`pip install py-spy`; root or ptrace
rights needed). Alternatively run the server under `pyinstrument -m app server --port 28710`
and stop it with Ctrl-C after the load. Note here the scenario, the top frames and what they
cost in µs per operation.
"""

SIZE_KEYS = ("bars", "list_size", "subscribed", "connected")  # must match for a like-for-like ratio
Medians = dict[tuple[str, str, str], dict[str, Any]]
Runs = dict[tuple[str, str, str], list[dict[str, Any]]]


# ------------------------------------------------------------------ figures and goals
@dataclass(frozen=True)
class Goal:
    """A target of the performance issue: on ours/floor (relative) or on our own figure."""

    op: Literal["<=", ">="]
    value: float
    relative: bool

    def text(self, percent: bool = False) -> str:
        sign = "≤" if self.op == "<=" else "≥"
        if self.relative:
            return f"{sign} {self.value:g}×"
        if percent:
            return f"{sign} {self.value * 100:g} %"
        return "= 0" if self.op == "<=" and self.value == 0 else f"{sign} {self.value:g}"

    def met(self, ours: float | None, ratio: float | None) -> bool | None:
        x = ratio if self.relative else ours
        if x is None:
            return None
        return x <= self.value if self.op == "<=" else x >= self.value


@dataclass(frozen=True)
class KeyFigure:
    scenario: str
    variant: str
    key: str
    name: str
    goal: Goal | None = None
    percent: bool = False  # a fraction shown as a percentage
    compare: bool = True  # False: our own figure matters (delivery, closed conns), no ratio


def _le(value: float, relative: bool = True) -> Goal:
    return Goal("<=", value, relative)


KEY_FIGURES: list[KeyFigure] = [
    KeyFigure("rest-small", "", "server_cpu_us_per_req", "CPU µs/req", _le(1.2)),
    *[KeyFigure("rest-orders", f"size={n}", "get_server_cpu_us_per_req", "GET CPU µs/req", _le(1.2))
      for n in (10, 100, 1000)],
    *[KeyFigure("rest-orders", f"size={n}", "post_server_cpu_us_per_req", "POST CPU µs/req", _le(1.5))
      for n in (10, 100, 1000)],
    *[KeyFigure("rest-orders", f"size={n}", "post_p99_ms", "POST p99 ms", _le(3.0))
      for n in (10, 100, 1000)],
    KeyFigure("rest-history", "last400", "server_cpu_us_per_req", "CPU µs/req", _le(1.25)),
    KeyFigure("rest-history", "all", "server_cpu_us_per_req", "CPU µs/req"),
    KeyFigure("rest-history", "all", "server_cpu_ns_per_bar", "CPU ns/bar"),
    *[f for n in (10, 100, 500) for f in (
        KeyFigure("ws-fanout", f"clients={n}", "server_cpu_us_per_msg", "CPU µs/delivered msg",
                  _le(1.0) if n == 500 else None),
        KeyFigure("ws-fanout", f"clients={n}", "delivery_ratio", "delivered/expected", percent=True,
                  compare=False),
        KeyFigure("ws-fanout", f"clients={n}", "closed_conns", "closed conns", compare=False),
    )],
    KeyFigure("ws-stream", "clients=500", "server_cpu_us_per_msg", "CPU µs/msg"),
    KeyFigure("ws-stream", "clients=500", "delivery_ratio", "delivered/demanded", Goal(">=", 0.99, False),
              percent=True, compare=False),
    KeyFigure("ws-stream", "clients=500", "closed_conns", "closed conns", _le(0, relative=False),
              compare=False),
    KeyFigure("ws-idle", "", "rss_per_conn_kib", "RSS KiB/conn", _le(1.1)),
    KeyFigure("ws-idle", "", "closed_conns", "closed conns", compare=False),
    KeyFigure("ws-idle-nosub", "", "rss_per_conn_kib", "RSS KiB/conn"),
    KeyFigure("ws-churn", "", "server_cpu_us_per_cycle", "CPU µs/cycle", _le(1.3)),
]


@dataclass(frozen=True)
class RatioRow:
    figure: KeyFigure
    ours: float | None
    floor: float | None
    ratio: float | None
    met: bool | None  # None: no goal, no data, or a figure that cannot be trusted (see notes)
    notes: tuple[str, ...] = ()
    spread: tuple[float, float] | None = None  # lowest and highest ratio of a run to the floor's beside it


# ------------------------------------------------------------------ results
def _records(lines: Iterable[str]) -> dict[tuple[str, str, str], dict[str, Any]]:
    """(label, scenario, variant) -> the harness's JSON line; later lines win."""
    out = {}
    for line in lines:
        line = line.strip()
        if line.startswith("{"):
            d = json.loads(line)
            out[(d["label"], d["scenario"], d.get("variant", ""))] = d
    return out


def load_medians(lines: Iterable[str]) -> Medians:
    """(label, scenario, variant) -> median dict of the harness's JSON lines; later lines win."""
    return {k: dict(d.get("median") or {}) for k, d in _records(lines).items()}


def load_runs(lines: Iterable[str]) -> Runs:
    """(label, scenario, variant) -> the runs of the harness's JSON lines, in the order they ran."""
    return {k: [dict(r) for r in d.get("runs") or []] for k, d in _records(lines).items()}


def _number(v: object) -> float | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    return float(v)


def ratio(ours: float | None, floor: float | None) -> float | None:
    if ours is None or floor is None or floor == 0:
        return None
    return ours / floor


def run_spread(mine: Sequence[Mapping[str, Any]], theirs: Sequence[Mapping[str, Any]],
               key: str) -> tuple[float, float] | None:
    """The lowest and highest ratio of run i of ours to run i of the floor (the harness runs the
    two interleaved, so run i of each shared the machine's state of the moment); None under two
    pairs."""
    ratios = [r for a, b in zip(mine, theirs) for r in [ratio(_number(a.get(key)), _number(b.get(key)))]
              if r is not None]
    return (min(ratios), max(ratios)) if len(ratios) >= 2 else None


def evaluate(medians: Medians, project: str = PROJECT, floor: str = FLOOR,
             figures: Sequence[KeyFigure] = KEY_FIGURES, runs: Runs | None = None) -> list[RatioRow]:
    """One row per key figure whose scenario/variant was measured for either label."""
    runs = runs or {}
    rows = []
    for f in figures:
        mine = medians.get((project, f.scenario, f.variant))
        theirs = medians.get((floor, f.scenario, f.variant))
        if mine is None and theirs is None:
            continue
        ours, base = _number((mine or {}).get(f.key)), _number((theirs or {}).get(f.key))
        r = ratio(ours, base) if f.compare else None
        notes = [f"ours {p}" for p in problems(mine, f.key)]
        if f.compare:
            notes += [f"floor {p}" for p in problems(theirs, f.key)] + mismatches(mine, theirs)
        met = f.goal.met(ours, r) if f.goal and not notes else None
        spread = run_spread(runs.get((project, f.scenario, f.variant), []),
                            runs.get((floor, f.scenario, f.variant), []), f.key) if f.compare else None
        rows.append(RatioRow(f, ours, base, r, met, tuple(notes), spread))
    return rows


def problems(median: Mapping[str, Any] | None, key: str) -> list[str]:
    """Why one side's figures cannot be trusted: the run failed, HTTP status not 200, load errors."""
    if median is None:
        return []
    out = []
    if median.get("error"):
        out.append("failed")
    if median.get("status") not in (None, 200):
        out.append(f"HTTP {median['status']}")
    prefix = key.split("_", 1)[0] + "_" if key.startswith(("get_", "post_")) else ""
    errors = _number(median.get(prefix + "errors"))
    if errors:
        out.append(f"{errors:,.0f} errors")
    return out


def mismatches(mine: Mapping[str, Any] | None, theirs: Mapping[str, Any] | None) -> list[str]:
    """Work sizes that differ between the two sides (then the per-request ratio is not like for like)."""
    out = []
    for key in SIZE_KEYS:
        a, b = _number((mine or {}).get(key)), _number((theirs or {}).get(key))
        if a is not None and b is not None and a != b:
            out.append(f"{key} {a:,.0f} vs {b:,.0f}")
    return out


def not_measured(medians: Medians, figures: Sequence[KeyFigure] = KEY_FIGURES) -> list[str]:
    """Scenario/variant titles of key figures that no line of the results covers."""
    seen = {(sc, var) for _, sc, var in medians}
    out: list[str] = []
    for f in figures:
        title = _title(f)
        if (f.scenario, f.variant) not in seen and title not in out:
            out.append(title)
    return out


# ------------------------------------------------------------------ markdown
def fmt(v: float | None, percent: bool = False) -> str:
    if v is None:
        return "–"
    if percent:
        return f"{v * 100:.1f} %"
    if v == int(v) and abs(v) < 1e6:
        return f"{int(v):,}"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    return f"{v:.2f}" if abs(v) >= 1 else f"{v:.3f}"


def verdict(row: RatioRow) -> str:
    if row.notes:
        return ("n/a: " if row.figure.goal else "") + ", ".join(row.notes)
    if row.figure.goal is None:
        return ""
    if row.met is None:
        return "no data"
    return "met" if row.met else "**NOT met**"


def _title(f: KeyFigure) -> str:
    return f.scenario + (f" {f.variant}" if f.variant else "")


def render_ratio_table(rows: Sequence[RatioRow], project: str = PROJECT, floor: str = FLOOR,
                       missing: Sequence[str] = ()) -> str:
    out = [f"| scenario | figure | {project} | {floor} (floor) | ratio | runs | target | met? |",
           "|---|---|---|---|---|---|---|---|"]
    for row in rows:
        f = row.figure
        rt = "–" if row.ratio is None else f"{row.ratio:.2f}×"
        spread = "" if row.spread is None else f"{row.spread[0]:.2f}–{row.spread[1]:.2f}×"
        goal = f.goal.text(f.percent) if f.goal else ""
        out.append(f"| {_title(f)} | {f.name} | {fmt(row.ours, f.percent)} | {fmt(row.floor, f.percent)} "
                   f"| {rt} | {spread} | {goal} | {verdict(row)} |")
    if missing:
        out += ["", "Not measured in this pass: " + ", ".join(missing) + "."]
    return "\n".join(out) + "\n"


def extract_section(text: str, heading: str) -> str | None:
    """Body of the level-2 section `heading` (up to the next level-2 heading), or None."""
    m = re.search(rf"^{re.escape(heading)}[ \t]*\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    return m.group(1).strip("\n") + "\n" if m else None


# The harness opens 500 streams and 1,000 idle sockets from one address: the per-address and total
# connection caps (issue 21) would refuse them; ws-churn sends thousands of (un)subscriptions a second
# on one socket, which the per-socket message bucket (WS_RATE_PER_S) would cut off after its burst.
# So benchmarks lift them (limits are off in benchmarks; the bucket still counts every message).
BENCH_ENV = {"HTTP_MAX_CONNECTIONS": "10000", "HTTP_MAX_CONNECTIONS_PER_ADDRESS": "0",
             "WS_RATE_PER_S": "1000000", "WS_RATE_BURST": "1000000"}

GENERATED_HEADINGS = ("## Machine", "## Commands", "## Key figures against the floor", "## All figures (medians)",
                      PROFILES_HEADING)


def other_sections(text: str) -> list[tuple[str, str]]:
    """Level-2 sections this script does not write (other benchmarks' figures), in their order."""
    headings = [m.group(0).rstrip() for m in re.finditer(r"^## .*$", text, re.M)]
    return [(h, body) for h in headings if h not in GENERATED_HEADINGS
            for body in [extract_section(text, h)] if body is not None]


def render_performance_md(machine: Mapping[str, str], commands: Sequence[str], ratio_md: str,
                          report_md: str, profiles: str | None = None, pass_note: str = "") -> str:
    lines = ["# Performance", "",
             "Written by `bench/run_bench.py` (`make bench` / `make bench-full`); everything except the "
             "\"Profiles\" section is regenerated. Server CPU per operation is the robust figure on this "
             "machine (server and load generators share the cores); see `../shared/bench/README.md`.",
             "", "## Machine", "", "| | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in machine.items()]
    lines += ["", "## Commands", "", "```sh", *commands, "```", "", *([pass_note, ""] if pass_note else []),
              f"`{PROJECT}` is this repository's server, `{FLOOR}` the harness's bare aiohttp server on "
              "uvloop + orjson (the floor). Both are started fresh before every run and measured "
              "interleaved; figures are medians over the runs. Ours keeps its account in the store "
              "`--store` names (default `memory:`, as the floor keeps nothing; the durable stores' cost "
              "is measured by `bench/store_throughput.py`).", "",
              "## Key figures against the floor", "",
              "ratio = ours / floor (lower is better for CPU and RSS), of the medians; runs = the lowest "
              "and highest ratio of one run of ours to the floor's run beside it (a full pass has 3): how "
              "far this machine's noise moves the ratio; targets are those of the performance issue.", "",
              ratio_md.rstrip("\n"), "",
              "## All figures (medians)", "", report_md.strip("\n"), "",
              PROFILES_HEADING, "", (profiles or PROFILES_DEFAULT).rstrip("\n"), ""]
    return "\n".join(lines)


# ------------------------------------------------------------------ environment
def machine_info(python: Path, loadgen: str) -> dict[str, str]:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    probe = ("import platform, importlib.metadata as m\nv = []\n"
             "for p in ('aiohttp', 'uvloop', 'orjson'):\n"
             "    try: v.append(p + ' ' + m.version(p))\n"
             "    except m.PackageNotFoundError: pass\n"
             "print(platform.python_version(), ', '.join(v), sep='|')")
    res = subprocess.run([str(python), "-c", probe], capture_output=True, text=True, check=False)
    py_version, _, packages = res.stdout.strip().partition("|")
    if loadgen == "wrk":
        wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
        loadgen = (wrk.stdout + wrk.stderr).split(" [", 1)[0].strip() or "wrk"
    return {"date (UTC)": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M"),
            "cores (nproc)": str(len(os.sched_getaffinity(0))), "CPU": model,
            "kernel": platform.release(), "Python": f"{py_version or '?'} ({packages})",
            "REST load generator": loadgen}


def ensure_wrk() -> str:
    """'wrk' if wrk is (or could be made) available, else 'python' (the harness's built-in client)."""
    if shutil.which("wrk"):
        return "wrk"
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("[run_bench] wrk not found: apt-get install -y wrk", file=sys.stderr)
        ok = subprocess.run(["apt-get", "update", "-qq"], check=False).returncode == 0
        ok = ok and subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False).returncode == 0
        if ok and shutil.which("wrk"):
            return "wrk"
    print("[run_bench] wrk is missing and could not be installed (needs root and apt-get: "
          "`apt-get install -y wrk`); using the harness's slower Python client (--loadgen python)",
          file=sys.stderr)
    return "python"


def targets(python: Path, harness: Path, scratch: Path, with_project: bool = True,
            store: str = "memory:") -> list[dict[str, Any]]:
    """The floor and our server; ours keeps its broker account in ``store`` (memory: by default, as the
    floor keeps nothing, so the figures compare the HTTP stacks; bench/store_throughput.py measures the
    durable stores)."""
    floor = {"label": FLOOR, "url": f"http://127.0.0.1:{FLOOR_PORT}", "cwd": str(scratch),
             "cmd": f"{shlex.quote(str(python))} {shlex.quote(str(harness / 'limit_server.py'))} "
                    f"--port {FLOOR_PORT} --uvloop --json orjson",
             "log": str(scratch / f"server-{FLOOR}.log")}
    project = {"label": PROJECT, "url": f"http://127.0.0.1:{PROJECT_PORT}", "cwd": str(REPO),
               "cmd": f"{shlex.quote(str(python))} -m app server --port {PROJECT_PORT}",
               "log": str(scratch / f"server-{PROJECT}.log"), "env": {**BENCH_ENV, "STORE_URL": store}}
    return [project, floor] if with_project else [floor]


# ------------------------------------------------------------------ main
def display(cmd: Sequence[str]) -> str:
    """A command line for the doc: interpreter as `python`, absolute paths relative to the repository."""
    def short(x: str) -> str:
        return os.path.relpath(x, REPO) if x.startswith("/") else x
    return shlex.join(["python", *(short(x) for x in cmd[1:])])


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="1 run, short windows (default)")
    mode.add_argument("--full", action="store_true", help="3 runs, the harness's default windows (~25 min)")
    ap.add_argument("--scenario", action="append", default=[],
                    help="harness scenario (repeatable; default all)")
    ap.add_argument("--harness", type=Path, default=DEFAULT_HARNESS, help="folder with run.py and report.py")
    ap.add_argument("--python", type=Path, default=REPO / ".venv" / "bin" / "python",
                    help="interpreter of the servers and the harness")
    ap.add_argument("--scratch", type=Path, default=REPO / ".bench", help="targets, results and server logs")
    ap.add_argument("--doc", type=Path, help="document to write (default: docs/PERFORMANCE.md, but only "
                    "after a pass over all scenarios)")
    ap.add_argument("--store", default="memory:",
                    help="STORE_URL of our server (default memory:; e.g. sqlite:///tmp/bench.sqlite3)")
    ap.add_argument("--no-doc", action="store_true", help="print the tables only, write no document")
    ap.add_argument("--floor-only", action="store_true", help="measure the floor alone, to check the tooling")
    return ap.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    a = parse_args(argv)
    harness, python, scratch = a.harness.resolve(), a.python.absolute(), a.scratch.resolve()
    for need in (harness / "run.py", harness / "report.py", harness / "limit_server.py", python):
        if not need.exists():
            print(f"run_bench: {need} not found (see --harness / --python)", file=sys.stderr)
            return 2
    scratch.mkdir(parents=True, exist_ok=True)
    loadgen = ensure_wrk()
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H%M%SZ")
    targets_file, results = scratch / "targets.json", scratch / f"results-{stamp}.jsonl"
    targets_file.write_text(json.dumps(targets(python, harness, scratch, not a.floor_only, a.store), indent=2) + "\n")
    run_cmd = [str(python), str(harness / "run.py"), "--targets", str(targets_file), "--runs",
               "3" if a.full else "1", "--restart", "run", "--loadgen", loadgen, "--out", str(results)]
    run_cmd += [x for s in (a.scenario or ["all"]) for x in ("--scenario", s)]
    run_cmd += [] if a.full else QUICK_ARGS
    print("[run_bench] " + shlex.join(run_cmd), file=sys.stderr, flush=True)
    try:  # the harness stops the servers it started, also on Ctrl-C
        rc = subprocess.run(run_cmd, cwd=REPO, stdout=subprocess.DEVNULL, check=False).returncode
    except KeyboardInterrupt:
        return 130
    if rc != 0 or not results.exists():
        print(f"run_bench: harness exited with {rc}; server logs in {scratch}", file=sys.stderr)
        return rc or 1
    report = subprocess.run([str(python), str(harness / "report.py"), str(results), "--labels",
                             f"{PROJECT},{FLOOR}"], capture_output=True, text=True, check=True).stdout
    lines = results.read_text().splitlines()
    medians = load_medians(lines)
    ratio_md = render_ratio_table(evaluate(medians, runs=load_runs(lines)), missing=not_measured(medians))
    print(ratio_md)
    partial = a.floor_only or (bool(a.scenario) and "all" not in a.scenario)
    doc_path: Path | None = a.doc or (None if partial else REPO / "docs" / "PERFORMANCE.md")
    if a.no_doc or doc_path is None:
        return 0
    old = doc_path.read_text() if doc_path.exists() else ""
    invoked = ["python", "bench/run_bench.py", *(argv if argv is not None else sys.argv[1:])]
    commands = [shlex.join(invoked), "# which runs (paths relative to the repository):", display(run_cmd)]
    doc = render_performance_md(machine_info(python, loadgen), commands, ratio_md, report,
                                extract_section(old, PROFILES_HEADING), FULL_NOTE if a.full else QUICK_NOTE)
    for heading, body in other_sections(old):  # written by other scripts (metrics_cost.py, attack_*.py)
        doc = doc.rstrip("\n") + f"\n\n{heading}\n\n{body}"
    doc_path.parent.mkdir(parents=True, exist_ok=True)
    doc_path.write_text(doc)
    print(f"[run_bench] wrote {doc_path}; raw lines in {results}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
