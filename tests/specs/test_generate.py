"""``python -m app generate [--output-dir D] [--check]``: deterministic files, drift detection, no startup writes."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from app.__main__ import main
from app.factory import create_app
from app.market.model import Market
from app.settings import Settings
from app.specs import generate as specgen
from tests.specs.conftest import ROOT

FILES = {
    "openapi/openapi.json",
    "openapi/broker_v1_openapi.json",
    "openapi/datafeed_v1_openapi.json",
    "asyncapi.yaml",
}


def tree(directory: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(directory)): path.read_bytes() for path in sorted(directory.rglob("*")) if path.is_file()
    }


CLIENT = "clients/python/trader_pro_client/"


def test_generate_writes_the_four_documents_and_the_python_client(tmp_path: Path) -> None:
    assert main(["generate", "--output-dir", str(tmp_path)]) == 0
    files = tree(tmp_path)
    assert {name for name in files if not name.startswith(CLIENT)} == FILES
    client = {name for name in files if name.startswith(CLIENT)}
    assert {f"{CLIENT}{m}/api/{m}/get_health_status.py" for m in ("broker", "datafeed")} <= client
    assert f"{CLIENT}broker/api/broker/place_order.py" in client
    for name, content in files.items():
        if name.startswith(CLIENT):
            continue
        text = content.decode()
        assert text.endswith("\n") and not text.endswith("\n\n"), name
        document = json.loads(text) if name.endswith(".json") else yaml.safe_load(text)
        assert isinstance(document, dict)
    merged = files["openapi/openapi.json"].decode()
    assert merged.startswith('{\n  "openapi": "3.0.3",\n  "info": {\n    "title": "Trading API"')


def test_generation_is_byte_identical_on_rerun_and_in_a_fresh_process(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    assert specgen.generate(str(first), out=io.StringIO()) == 0
    assert specgen.generate(str(first), out=io.StringIO()) == 0
    env = {**os.environ, "ENABLED_MODULES": "broker", "PYTHONHASHSEED": "123"}  # env must not matter
    result = subprocess.run(
        [sys.executable, "-m", "app", "generate", "--output-dir", str(second)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert tree(first) == tree(second)


def test_check_passes_on_fresh_output_and_fails_with_a_summary_on_drift(tmp_path: Path) -> None:
    assert specgen.generate(str(tmp_path), out=io.StringIO()) == 0
    out = io.StringIO()
    assert specgen.generate(str(tmp_path), check=True, out=out) == 0
    assert "up to date" in out.getvalue()

    target = tmp_path / "openapi" / "broker_v1_openapi.json"
    target.write_text(target.read_text().replace('"placeOrder"', '"placeOrderRenamed"'))
    (tmp_path / "asyncapi.yaml").unlink()
    before = tree(tmp_path)
    out = io.StringIO()
    assert specgen.generate(str(tmp_path), check=True, out=out) == 1
    report = out.getvalue()
    assert "openapi/broker_v1_openapi.json: +1 -1 lines" in report
    assert '-    "operationId": "placeOrderRenamed"' in report or '"placeOrderRenamed"' in report
    assert "asyncapi.yaml: missing" in report
    assert "make generate" in report
    assert tree(tmp_path) == before  # --check writes nothing


def test_a_client_file_the_generator_no_longer_writes_is_stale_and_removed(tmp_path: Path) -> None:
    assert specgen.generate(str(tmp_path), out=io.StringIO()) == 0
    leftover = tmp_path / CLIENT / "broker" / "api" / "broker" / "removed_operation.py"
    leftover.write_text("x = 1\n")
    edited = tmp_path / CLIENT / "datafeed" / "api" / "datafeed" / "get_bars.py"
    edited.write_text(edited.read_text() + "# edited by hand\n")
    out = io.StringIO()
    assert specgen.generate(str(tmp_path), check=True, out=out) == 1
    assert f"{CLIENT}broker/api/broker/removed_operation.py: no longer generated" in out.getvalue()
    assert f"{CLIENT}datafeed/api/datafeed/get_bars.py: +0 -1 lines" in out.getvalue()
    assert leftover.exists()
    assert specgen.generate(str(tmp_path), out=io.StringIO()) == 0
    assert not leftover.exists()


def test_cli_check_exit_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "--output-dir", str(tmp_path), "--check"]) == 1
    assert "differ from what the code generates" in capsys.readouterr().out
    assert not any(tmp_path.iterdir())


def test_committed_documents_are_up_to_date(generated_files: dict[str, str]) -> None:
    """The drift check of CI (`make check-specs` does the same): re-run `make generate` and commit."""
    stale = [name for name, content in generated_files.items() if (ROOT / name).read_text() != content]
    assert stale == [], f"stale committed specs {stale}: run `make generate`"


def test_startup_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, market: Market) -> None:
    monkeypatch.chdir(tmp_path)
    before = {path: path.stat().st_mtime_ns for path in (ROOT / "openapi").iterdir()}
    create_app(Settings(), market=market)
    assert list(tmp_path.iterdir()) == []
    assert {path: path.stat().st_mtime_ns for path in (ROOT / "openapi").iterdir()} == before
