"""bench/metrics_cost.py: the cost figure, the table and the section it rewrites."""

from __future__ import annotations

from pathlib import Path

from bench import metrics_cost as mc
from bench import run_bench as rb
from tests.bench.test_run_bench import line


def test_cost_is_positive_when_metrics_make_things_worse() -> None:
    assert mc.cost(on=110.0, off=100.0, higher_better=False) == 0.10000000000000009
    assert mc.cost(on=9000.0, off=10000.0, higher_better=True) == 0.11111111111111116
    assert mc.cost(on=None, off=100.0, higher_better=False) is None


def test_table_names_each_figure_with_its_verdict() -> None:
    medians = rb.load_medians([
        line(mc.ON, "rest-small", rps=10000.0, server_cpu_us_per_req=103.0, machine_busy=0.9),
        line(mc.OFF, "rest-small", rps=10200.0, server_cpu_us_per_req=100.0, machine_busy=0.7),
        line(mc.ON, "ws-fanout", "clients=500", server_cpu_us_per_msg=7.0),
        line(mc.OFF, "ws-fanout", "clients=500", server_cpu_us_per_msg=6.0),
    ])
    table = mc.render(medians, 5, "python -m bench.metrics_cost")
    assert "| rest-small  | rps | 10000.0 | 10200.0 | +2.0 % | yes |" in table
    assert "| rest-small  | server_cpu_us_per_req | 103.0 | 100.0 | +3.0 % | yes |" in table
    assert "| ws-fanout clients=500 | server_cpu_us_per_msg | 7.0 | 6.0 | +16.7 % | **no** |" in table
    assert "| ws-fanout clients=10 | server_cpu_us_per_msg | — | — | — | — |" in table
    assert "medians of 5 interleaved runs" in table and "70%–90% busy" in table


def test_the_section_is_replaced_and_the_rest_of_the_document_kept(tmp_path: Path) -> None:
    doc = "# Performance\n\n## Machine\n\nx\n\n## Cost of metrics\n\nold table\n\n## Profiles\n\nmine\n"
    updated = mc.replace_section(doc, "new table\n")
    assert updated == "# Performance\n\n## Machine\n\nx\n\n## Cost of metrics\n\nnew table\n\n## Profiles\n\nmine\n"
    assert mc.replace_section("# Performance\n", "t\n") == "# Performance\n\n## Cost of metrics\n\nt\n"
    assert rb.extract_section(updated, rb.METRICS_COST_HEADING) == "new table\n"
