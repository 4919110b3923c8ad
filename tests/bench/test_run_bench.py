"""bench/run_bench.py: ratios against the floor, goals, markdown — on synthetic harness JSON lines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.settings import Settings
from bench import run_bench as rb


def line(label: str, scenario: str, variant: str = "", runs: list[dict[str, Any]] | None = None,
         **median: Any) -> str:
    """One JSON line as the shared harness (../shared/bench/run.py) writes it (without ``runs``, the
    single run is the median)."""
    return json.dumps({"label": label, "scenario": scenario, "variant": variant, "date": "2026-11-24",
                       "cpus": 2, "loadgen": "wrk", "median": median, "runs": [median] if runs is None else runs})


LINES = [
    "[bench] log lines and blank lines are skipped",
    "",
    line(rb.PROJECT, "rest-small", server_cpu_us_per_req=99.0, rps=1.0),
    line(rb.PROJECT, "rest-small", server_cpu_us_per_req=55.0, rps=18000.0),  # a later line wins
    line(rb.FLOOR, "rest-small", server_cpu_us_per_req=50.0, rps=19500.0),
    line(rb.PROJECT, "rest-orders", "size=10", get_server_cpu_us_per_req=65.0,
         post_server_cpu_us_per_req=90.0),
    line(rb.FLOOR, "rest-orders", "size=10", get_server_cpu_us_per_req=50.0, post_server_cpu_us_per_req=80.0),
    line(rb.PROJECT, "ws-stream", "clients=500", server_cpu_us_per_msg=6.0, delivery_ratio=0.995,
         closed_conns=2),
    line(rb.FLOOR, "ws-stream", "clients=500", server_cpu_us_per_msg=5.0, delivery_ratio=0.999,
         closed_conns=0),
    line(rb.FLOOR, "ws-churn", server_cpu_us_per_cycle=127.0),
]


def rows_by_name() -> dict[tuple[str, str, str], rb.RatioRow]:
    rows = rb.evaluate(rb.load_medians(LINES))
    return {(r.figure.scenario, r.figure.variant, r.figure.key): r for r in rows}


def test_load_medians_keeps_the_last_line_per_label_scenario_variant() -> None:
    medians = rb.load_medians(LINES)
    assert medians[(rb.PROJECT, "rest-small", "")]["server_cpu_us_per_req"] == 55.0
    assert len(medians) == 7


def test_ratio_is_ours_over_floor_and_none_without_a_floor() -> None:
    assert rb.ratio(55.0, 50.0) == 1.1
    assert rb.ratio(55.0, None) is None
    assert rb.ratio(None, 50.0) is None
    assert rb.ratio(3.0, 0.0) is None


def test_relative_goals() -> None:
    rows = rows_by_name()
    small = rows[("rest-small", "", "server_cpu_us_per_req")]
    assert (small.ours, small.floor, small.met) == (55.0, 50.0, True)
    assert small.ratio is not None and abs(small.ratio - 1.1) < 1e-9
    get = rows[("rest-orders", "size=10", "get_server_cpu_us_per_req")]
    assert get.ratio == 1.3 and get.met is False  # 1.3 > 1.2
    post = rows[("rest-orders", "size=10", "post_server_cpu_us_per_req")]
    assert post.met is True  # 1.125 <= 1.5


def test_absolute_goals_use_our_figure_and_show_no_ratio() -> None:
    rows = rows_by_name()
    delivered = rows[("ws-stream", "clients=500", "delivery_ratio")]
    assert delivered.met is True and delivered.ratio is None
    closed = rows[("ws-stream", "clients=500", "closed_conns")]
    assert closed.met is False and closed.ratio is None
    assert rows[("ws-stream", "clients=500", "server_cpu_us_per_msg")].met is None  # no target


def test_missing_side_gives_no_data_and_unmeasured_scenarios_are_listed() -> None:
    medians = rb.load_medians(LINES)
    churn = rows_by_name()[("ws-churn", "", "server_cpu_us_per_cycle")]
    assert churn.ours is None and churn.met is None and rb.verdict(churn) == "no data"
    missing = rb.not_measured(medians)
    assert "rest-orders size=100" in missing and "ws-idle" in missing
    assert "rest-small" not in missing and "ws-churn" not in missing
    assert ("rest-orders", "size=100", "get_server_cpu_us_per_req") not in rows_by_name()


def test_ratio_table_markdown() -> None:
    medians = rb.load_medians(LINES)
    md = rb.render_ratio_table(rb.evaluate(medians), missing=rb.not_measured(medians))
    lines = md.splitlines()
    assert lines[0] == (f"| scenario | figure | {rb.PROJECT} | {rb.FLOOR} (floor) | ratio | runs | target "
                        "| met? |")
    assert "| rest-small | CPU µs/req | 55 | 50 | 1.10× |  | ≤ 1.2× | met |" in lines  # one run: no spread
    assert "| rest-orders size=10 | GET CPU µs/req | 65 | 50 | 1.30× |  | ≤ 1.2× | **NOT met** |" in lines
    assert "| ws-stream clients=500 | delivered/demanded | 99.5 % | 99.9 % | – |  | ≥ 99 % | met |" in lines
    assert "| ws-stream clients=500 | closed conns | 2 | 0 | – |  | = 0 | **NOT met** |" in lines
    assert "| ws-churn | CPU µs/cycle | – | 127 | – |  | ≤ 1.3× | no data |" in lines
    assert lines[-1].startswith("Not measured in this pass: rest-orders size=100, ")
    assert all(ln.count("|") == 9 for ln in lines if ln.startswith("|"))


def test_runs_column_pairs_run_i_of_ours_with_run_i_of_the_floor() -> None:
    key = "post_server_cpu_us_per_req"
    lines = [line(rb.PROJECT, "rest-orders", "size=10", [{key: v} for v in (80.0, 64.0, 120.0)], **{key: 80.0}),
             line(rb.FLOOR, "rest-orders", "size=10", [{key: v} for v in (50.0, 64.0, 60.0)], **{key: 60.0})]
    assert rb.load_runs(lines)[(rb.FLOOR, "rest-orders", "size=10")] == [{key: 50.0}, {key: 64.0}, {key: 60.0}]
    rows = rb.evaluate(rb.load_medians(lines), runs=rb.load_runs(lines))
    post = next(r for r in rows if r.figure.key == key)
    assert post.spread == (1.0, 2.0)  # 80/50 = 1.6, 64/64 = 1.0, 120/60 = 2.0
    assert post.ratio is not None and abs(post.ratio - 80 / 60) < 1e-9 and post.met is True  # medians decide
    assert "| rest-orders size=10 | POST CPU µs/req | 80 | 60 | 1.33× | 1.00–2.00× | ≤ 1.5× | met |" in (
        rb.render_ratio_table(rows).splitlines())
    assert all(r.spread is None for r in rb.evaluate(rb.load_medians(lines)))  # no runs given


def test_runs_spread_needs_two_pairs_with_figures() -> None:
    key = "server_cpu_us_per_req"
    assert rb.run_spread([{key: 2.0}], [{key: 1.0}], key) is None
    assert rb.run_spread([{key: 2.0}, {}], [{key: 1.0}, {key: 1.0}], key) is None
    assert rb.run_spread([{key: 2.0}, {key: 3.0}, {key: 9.0}], [{key: 1.0}, {key: 1.0}], key) == (2.0, 3.0)


def test_fmt() -> None:
    assert rb.fmt(None) == "–"
    assert rb.fmt(1234.0) == "1,234"
    assert rb.fmt(123.456) == "123"
    assert rb.fmt(5.234) == "5.23"
    assert rb.fmt(0.1234) == "0.123"
    assert rb.fmt(0.98765, percent=True) == "98.8 %"


def test_document_keeps_a_hand_written_profiles_section() -> None:
    machine = {"cores (nproc)": "2", "CPU": "Test CPU"}
    first = rb.render_performance_md(machine, ["python bench/run_bench.py --quick"], "| t |\n", "### x\n")
    assert "## Machine" in first and "| CPU | Test CPU |" in first and "py-spy" in first
    assert rb.extract_section(first, rb.PROFILES_HEADING) == rb.PROFILES_DEFAULT
    edited = first.replace(rb.PROFILES_DEFAULT, "rest-small: 40 % in json encoding.\n")
    kept = rb.extract_section(edited, rb.PROFILES_HEADING)
    assert kept == "rest-small: 40 % in json encoding.\n"
    second = rb.render_performance_md(machine, ["cmd"], "| t |\n", "### y\n", kept)
    assert second.endswith("## Profiles\n\nrest-small: 40 % in json encoding.\n")
    assert rb.extract_section("# no such section\n", rb.PROFILES_HEADING) is None


def test_targets_file_entries(tmp_path: Path) -> None:
    py, harness = Path("/venv/bin/python"), Path("/shared/bench")
    project, floor = rb.targets(py, harness, tmp_path)
    assert project["label"] == rb.PROJECT and project["url"] == "http://127.0.0.1:28710"
    assert project["cmd"] == "/venv/bin/python -m app server --port 28710"
    assert project["cwd"] == str(rb.REPO)
    assert project["env"] == {"STORE_URL": "memory:", "HTTP_MAX_CONNECTIONS": "10000",
                              "HTTP_MAX_CONNECTIONS_PER_ADDRESS": "0",
                              "WS_RATE_PER_S": "1000000", "WS_RATE_BURST": "1000000"}
    lifted = Settings.from_env(project["env"])  # ws-churn: the floor does ~3,000 (un)subscriptions a second
    assert lifted.ws_rate_per_s >= 100_000 and lifted.ws_rate_burst >= 100_000
    assert rb.targets(py, harness, tmp_path, store="sqlite:///x")[0]["env"]["STORE_URL"] == "sqlite:///x"
    assert floor["cmd"] == ("/venv/bin/python /shared/bench/limit_server.py --port 28791 "
                            "--uvloop --json orjson")
    assert [t["label"] for t in rb.targets(py, harness, tmp_path, with_project=False)] == [rb.FLOOR]


def test_failed_runs_http_errors_and_size_mismatches_void_the_verdict() -> None:
    medians = rb.load_medians([
        line(rb.PROJECT, "rest-history", "last400", status=404, bars=None, server_cpu_us_per_req=70.0,
             errors=27091),
        line(rb.FLOOR, "rest-history", "last400", status=200, bars=400, server_cpu_us_per_req=125.0,
             errors=0),
        line(rb.PROJECT, "rest-history", "all", status=200, bars=807, server_cpu_us_per_req=700.0, errors=0),
        line(rb.FLOOR, "rest-history", "all", status=200, bars=5000, server_cpu_us_per_req=1200.0, errors=0),
        line(rb.PROJECT, "rest-orders", "size=10", error="RuntimeError: POST orders -> 404"),
        line(rb.FLOOR, "rest-orders", "size=10", list_size=10, get_server_cpu_us_per_req=36.0, get_errors=0,
             post_server_cpu_us_per_req=60.0, post_errors=3),
        line(rb.PROJECT, "ws-stream", "clients=500", delivery_ratio=1.0, closed_conns=0),
        line(rb.FLOOR, "ws-stream", "clients=500", error="TimeoutError: "),
    ])
    rows = {(r.figure.scenario, r.figure.variant, r.figure.key): r for r in rb.evaluate(medians)}
    last400 = rows[("rest-history", "last400", "server_cpu_us_per_req")]
    assert last400.ratio == 0.56 and last400.met is None  # fast because it failed: no verdict
    assert rb.verdict(last400) == "n/a: ours HTTP 404, ours 27,091 errors"
    assert rb.verdict(rows[("rest-history", "all", "server_cpu_us_per_req")]) == "bars 807 vs 5,000"
    assert rb.verdict(rows[("rest-orders", "size=10", "get_server_cpu_us_per_req")]) == "n/a: ours failed"
    post = rows[("rest-orders", "size=10", "post_server_cpu_us_per_req")]
    assert post.notes == ("ours failed", "floor 3 errors")
    # our own delivery does not depend on the floor's run
    assert rows[("ws-stream", "clients=500", "delivery_ratio")].met is True
    assert rows[("ws-stream", "clients=500", "closed_conns")].met is True


def test_sections_other_scripts_write_survive_a_rewrite() -> None:
    old = ("# Performance\n\n## Machine\n\nold\n\n## Cost of metrics\n\ntable A\n\n"
           "## Profiles\n\nmine\n\n## Attacks (HTTP)\n\ntable B\n")
    assert rb.other_sections(old) == [("## Cost of metrics", "table A\n"), ("## Attacks (HTTP)", "table B\n")]
    assert rb.other_sections("# Performance\n\n## Machine\n\nx\n") == []
