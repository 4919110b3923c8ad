"""Import boundaries of DESIGN §2: domain code imports no aiohttp; module ↛ module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TRANSPORT_FILES = {"views.py", "module.py", "udf.py", "streams.py", "web.py"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _domain_files() -> list[Path]:
    files = list((ROOT / "app" / "market").rglob("*.py"))
    files += [p for p in (ROOT / "app" / "broker").rglob("*.py") if p.name not in TRANSPORT_FILES]
    return files


@pytest.mark.parametrize("path", _domain_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_domain_code_imports_no_transport(path: Path) -> None:
    forbidden = {name for name in _imports(path) if name.split(".")[0] in {"aiohttp", "ws", "asyncio"}}
    assert not forbidden, f"{path} imports {forbidden}"


@pytest.mark.parametrize(("module", "other"), [("broker", "datafeed"), ("datafeed", "broker")])
def test_modules_do_not_import_each_other(module: str, other: str) -> None:
    for path in (ROOT / "app" / module).rglob("*.py"):
        bad = {name for name in _imports(path) if name.startswith(f"app.{other}")}
        assert not bad, f"{path} imports {bad}"


def test_market_imports_neither_module() -> None:
    for path in (ROOT / "app" / "market").rglob("*.py"):
        bad = {n for n in _imports(path) if n.startswith(("app.broker", "app.datafeed", "schemas", "ws"))}
        assert not bad, f"{path} imports {bad}"
