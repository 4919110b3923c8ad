"""The TypeScript contract pipeline: spec → openapi-typescript → a consumer type-checked by tsc.

The pinned tools live in contract-ts/ (installed with ``npm ci`` by the ``contract_ts`` fixture).
The check is shown to bite: renaming one field of ``PlacedOrder`` in a copy of the spec makes the
consumer (which reads ``order.avgPrice`` and ``order.filledQty``) fail to compile.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from tests.specs.conftest import ROOT


def typecheck(contract_ts: Path, spec: dict[str, Any], workdir: Path) -> subprocess.CompletedProcess[str]:
    """Generate ``generated/broker.ts`` from ``spec`` next to a copy of the consumer, then run tsc."""
    (workdir / "generated").mkdir(parents=True)
    spec_path = workdir / "broker_v1_openapi.json"
    spec_path.write_text(json.dumps(spec))
    for name in ("consumer.ts", "tsconfig.json"):
        shutil.copy(contract_ts / name, workdir / name)
    tools = contract_ts / "node_modules"
    generate = subprocess.run(
        [
            "node",
            str(tools / "openapi-typescript" / "bin" / "cli.js"),
            str(spec_path),
            "--default-non-nullable",
            "false",
            "-o",
            str(workdir / "generated" / "broker.ts"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert generate.returncode == 0, generate.stdout + generate.stderr
    return subprocess.run(
        ["node", str(tools / "typescript" / "bin" / "tsc"), "-p", str(workdir / "tsconfig.json")],
        capture_output=True,
        text=True,
        timeout=120,
    )


def committed_spec() -> dict[str, Any]:
    spec: dict[str, Any] = json.loads((ROOT / "openapi" / "broker_v1_openapi.json").read_text())
    return spec


def test_consumer_compiles_against_the_committed_broker_spec(contract_ts: Path, tmp_path: Path) -> None:
    result = typecheck(contract_ts, committed_spec(), tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_renaming_a_placed_order_field_breaks_the_consumer(contract_ts: Path, tmp_path: Path) -> None:
    spec = committed_spec()
    placed = spec["components"]["schemas"]["PlacedOrder"]
    placed["properties"] = {
        ("averagePrice" if key == "avgPrice" else key): value for key, value in placed["properties"].items()
    }
    placed["required"] = [("averagePrice" if key == "avgPrice" else key) for key in placed.get("required", [])]
    result = typecheck(contract_ts, spec, tmp_path)
    assert result.returncode != 0
    assert "avgPrice" in result.stdout and "error TS" in result.stdout, result.stdout + result.stderr
