"""Shared fixtures of the spec tests: the generated documents and the node toolchain of contract-ts/."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from app.factory import create_app
from app.keys import MODULE_APPS
from app.market.model import Market
from app.modules import module_info
from app.settings import Settings
from app.specs import asyncapi
from app.specs import generate as specgen
from app.specs import openapi

ROOT = Path(__file__).resolve().parents[2]
CONTRACT_TS = ROOT / "contract-ts"
ORIGINAL_SPECS = ROOT.parent / "shared" / "reference" / "original-specs"
MODULES = ("broker", "datafeed")


@pytest.fixture(scope="session")
def module_apps(market: Market) -> Mapping[str, web.Application]:
    """Every module's sub-application of the full app, built and never started."""
    return create_app(Settings(), market=market)[MODULE_APPS]


@pytest.fixture(scope="session")
def documents(module_apps: Mapping[str, web.Application]) -> dict[str, dict[str, Any]]:
    """``merged``, ``broker``, ``datafeed`` (OpenAPI) and ``asyncapi`` (merged), from the full app."""
    docs: dict[str, dict[str, Any]] = {"merged": openapi.merged_document(module_apps.items())}
    for name in MODULES:
        docs[name] = openapi.module_document(module_apps[name], name, module_info(name).title)
    docs["asyncapi"] = asyncapi.merged_document(module_apps)
    return docs


@pytest.fixture(scope="session")
def generated_files() -> dict[str, str]:
    return specgen.documents()


def node_or_skip() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the contract-ts checks need Node.js 20+ and npm")
    return node


@pytest.fixture(scope="session")
def contract_ts() -> Path:
    """contract-ts/ with its pinned packages installed (``npm ci`` when node_modules is missing or stale)."""
    node_or_skip()
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not installed: the contract-ts checks need it")
    marker = CONTRACT_TS / "node_modules" / ".package-lock.json"
    lock = CONTRACT_TS / "package-lock.json"
    if not marker.is_file() or marker.stat().st_mtime < lock.stat().st_mtime:
        env = {**os.environ, "npm_config_update_notifier": "false"}
        result = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=CONTRACT_TS,
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )
        assert result.returncode == 0, f"npm ci failed in contract-ts:\n{result.stdout}\n{result.stderr}"
    return CONTRACT_TS
