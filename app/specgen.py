"""Writes the committed OpenAPI/AsyncAPI documents (filled in by the specs work)."""

from __future__ import annotations


def generate(output_dir: str) -> None:
    raise SystemExit("generate: not implemented yet")
