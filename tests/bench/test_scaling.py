"""bench/scaling.py: the tables and ratios it writes, and the one section of the document it replaces
(the measurement itself needs nginx, PostgreSQL and minutes: ``make bench-scaling``)."""

from __future__ import annotations

from pathlib import Path

from bench import gateway
from bench import scaling as sc


def stream(rate: float, instances: list[float], nginx: float, client: float) -> dict[str, float]:
    return {"rate": rate, "delivery": rate / 100_000, "machine_busy": 1.0, "nginx_us": nginx, "client_us": client,
            **{f"datafeed-{i + 1}_us": x for i, x in enumerate(instances)}}


def orders(rate: float, instances: list[float], pg: float) -> dict[str, float]:
    return {"rate": rate, "machine_busy": 0.5, "nginx_us": 80.0, "client_us": 40.0, "postgres_us": pg,
            **{f"broker-{i + 1}_us": x for i, x in enumerate(instances)}}


def test_rows_sum_every_process_and_compare_with_one_instance() -> None:
    sc.SPLITS.update({1: "12", 2: "5/7"})
    out = {"stream": {1: stream(50_000, [6.0], 6.0, 6.0), 2: stream(100_000, [3.0, 3.0], 3.0, 3.0)},
           "orders": {1: orders(200, [900.0], 300.0), 2: orders(300, [400.0, 500.0], 300.0)}}
    text = sc.render(out, "python -m bench.scaling", 3, 5, 1000, 12, 16, ("4.1", "5.0"))
    assert "| 1 | 50,000 | 1.00× | 6.0 | 6.0 | 50.0 % | 6.0 | 18.0 | 100 % |" in text
    assert "| 2 | 100,000 | 2.00× | 3.0 + 3.0 | 3.0 | 100.0 % | 3.0 | 12.0 | 100 % |" in text
    assert "| 1 (12 accounts) | 200 | 1.00× | 900.0 | 80.0 | 300.0 | 40.0 | 1320.0 | 50 % |" in text
    assert "| 2 (5/7 accounts) | 300 | 1.50× | 400.0 + 500.0 | 80.0 | 300.0 | 40.0 | 1320.0 | 50 % |" in text
    assert ("2 instances: 2.00× the msgs/s of 1; CPU per msg of the instances together 1.00×, of nginx 0.50×, "
            "of every metered process 0.67×") in text
    assert "2 instances: 1.50× the orders/s of 1; CPU per order of the instances together 1.00×" in text
    assert "Load average 4.1 before, 5.0 after" in text


def test_only_the_scaling_section_is_replaced(tmp_path: Path) -> None:
    doc = tmp_path / "PERFORMANCE.md"
    doc.write_text(f"# Performance\n\n{gateway.HEADING}\n\ngw\n\n{sc.HEADING}\n\nold\n\n## Profiles\n\nmine\n")
    gateway.write_doc("new\n", doc, heading=sc.HEADING)
    expected = f"# Performance\n\n{gateway.HEADING}\n\ngw\n\n{sc.HEADING}\n\nnew\n\n## Profiles\n\nmine\n"
    assert doc.read_text() == expected
