"""Benchmark tooling: run_bench.py drives ../shared/bench and writes docs/PERFORMANCE.md."""
