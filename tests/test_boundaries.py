"""The architecture, checked from the import graph and the tree (DESIGN §2, the layout in README).

What is checked, each by a test named for it:
- domain folders (``app/market``, ``app/*/domain``) import no transport, serialization or I/O
  framework: not aiohttp, asyncio, marshmallow, orjson, ``schemas``, ``ws`` or any ``api`` folder;
- the market imports neither module; a module never imports another module;
- a module's domain never imports its own transport (``api``);
- ``schemas`` and ``ws`` import nothing of ``app`` but the domain enums;
- the top level of the repository holds only the entries the layout names;
- no source file in ``app/``, ``schemas/`` or ``ws/`` is longer than ~400 lines (named exceptions).
"""

from __future__ import annotations

import ast
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODULES = ("broker", "datafeed")
DOMAIN_DIRS = [ROOT / "app" / "market", *(ROOT / "app" / m / "domain" for m in MODULES)]
FORBIDDEN_IN_DOMAIN = {"aiohttp", "asyncio", "marshmallow", "orjson", "schemas", "ws"}
MAX_LINES = 420
LONG_FILES: set[str] = set()
TOP_LEVEL = {
    ".ci", ".gitignore", "Makefile", "README.md", "setup.cfg", "pyproject.toml",
    "app", "schemas", "ws", "tests", "bench", "docs", "web", "contract-ts", "openapi", "asyncapi.yaml",
    "examples", "clients", "cluster.yaml",
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _py(*dirs: Path) -> list[Path]:
    return sorted(p for d in dirs for p in d.rglob("*.py"))


@pytest.mark.parametrize("path", _py(*DOMAIN_DIRS), ids=_rel)
def test_domain_imports_no_transport_or_serialization(path: Path) -> None:
    bad = {n for n in _imports(path) if n.split(".")[0] in FORBIDDEN_IN_DOMAIN or ".api" in n}
    assert not bad, f"{_rel(path)} imports {sorted(bad)}"


def test_market_imports_neither_module() -> None:
    for path in _py(ROOT / "app" / "market"):
        bad = {n for n in _imports(path) if n.startswith(tuple(f"app.{m}" for m in MODULES))}
        assert not bad, f"{_rel(path)} imports {bad}"


@pytest.mark.parametrize(("module", "other"), [("broker", "datafeed"), ("datafeed", "broker")])
def test_modules_do_not_import_each_other(module: str, other: str) -> None:
    for path in _py(ROOT / "app" / module):
        bad = {name for name in _imports(path) if name.startswith(f"app.{other}")}
        assert not bad, f"{_rel(path)} imports {bad}"


@pytest.mark.parametrize("module", MODULES)
def test_domain_does_not_import_its_transport(module: str) -> None:
    for path in _py(ROOT / "app" / module / "domain"):
        bad = {n for n in _imports(path) if n.startswith(f"app.{module}.api")}
        assert not bad, f"{_rel(path)} imports {bad}"


@pytest.mark.parametrize("package", ["schemas", "ws"])
def test_contract_and_websocket_layers_import_only_domain_enums_from_app(package: str) -> None:
    for path in _py(ROOT / package):
        bad = {n for n in _imports(path) if n.startswith("app") and n != "app.broker.domain.enums"}
        assert not bad, f"{_rel(path)} imports {bad}"


def test_top_level_holds_only_the_layout_entries() -> None:
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    top = {line.split("/")[0] for line in tracked.splitlines() if line}
    assert top <= TOP_LEVEL, f"unexpected top-level entries: {sorted(top - TOP_LEVEL)}"


@pytest.mark.parametrize("path", _py(ROOT / "app", ROOT / "schemas", ROOT / "ws"), ids=_rel)
def test_source_files_stay_small(path: Path) -> None:
    if _rel(path) in LONG_FILES:
        return
    lines = len(path.read_text().splitlines())
    assert lines <= MAX_LINES, f"{_rel(path)} has {lines} lines; split it by what it holds"
