"""The generated Python client: openapi-python-client run on each module's OpenAPI document.

``python -m app generate`` (`app.specs.generate`) calls `client_files` with the documents it has
just rendered, so the committed client under ``clients/python/trader_pro_client/{module}`` can
never lag the committed specs, and ``--check`` reports a stale client like a stale spec.

Why these choices: one subpackage per module (the generator makes one package per document, and
its code imports only relatively, so ``trader_pro_client.broker`` is simply the folder it is
written to); the per-module documents rather than the merged one, so the function names are the
original operationIds (``get_health_status``, not ``broker_get_health_status``). Determinism: the
generator (openapi-python-client) and its formatter (ruff) are pinned exactly in setup.cfg, ruff
runs ``--isolated --no-cache`` (``clients/python/openapi-python-client/*.yaml``), one stock template
is replaced (``clients/python/templates/``, why is in the file), and the
generator runs in a temporary folder from the document's text, so nothing on the machine but
those two versions changes a byte. The generator runs in a subprocess of this interpreter with
its ``bin`` first on ``PATH``, which is where the pinned ``ruff`` is.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from schemas.enums import ENUMS

ROOT = Path(__file__).resolve().parents[2]
CLIENT_DIR = "clients/python"
PACKAGE = "trader_pro_client"
CONFIG_DIR = f"{CLIENT_DIR}/openapi-python-client"
TEMPLATE_DIR = f"{CLIENT_DIR}/templates"
"""Templates that replace the generator's own of the same name (the rest are its stock ones)."""


def generated_dir(module: str) -> str:
    """The folder (relative to the repository) that the generator owns for ``module``: nothing else lives there."""
    return f"{CLIENT_DIR}/{PACKAGE}/{module}"


class ClientGenerationError(RuntimeError):
    """The generator is missing, failed, or warned (a warning means a piece of the client was skipped)."""


def client_input(text: str) -> str:
    """The module's document plus ``x-enum-varnames`` on the integer enums, so the client says
    ``Side.BUY``, not ``Side.VALUE_1``. The names are the code's (`schemas.enums.ENUMS`); the
    committed documents keep the original's exact components (CONTRACT §9)."""
    document = json.loads(text)
    components = document.get("components", {}).get("schemas", {})
    for enum in ENUMS:
        component = components.get(enum.__name__)
        if component is not None and component.get("enum") == [member.value for member in enum]:
            component["x-enum-varnames"] = [member.name for member in enum]
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def client_files(specs: dict[str, str]) -> dict[str, str]:
    """``{module: OpenAPI document text}`` → relative path → content of every generated client file."""
    files: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="client-gen-") as temp:
        for module, text in specs.items():
            spec = Path(temp) / f"{module}_v1_openapi.json"
            spec.write_text(client_input(text), encoding="utf-8")
            out = Path(temp) / module
            _run_generator(module, spec, out)
            for path in sorted(out.rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts:
                    files[f"{generated_dir(module)}/{path.relative_to(out).as_posix()}"] = path.read_text(
                        encoding="utf-8"
                    )
    return files


def _run_generator(module: str, spec: Path, out: Path) -> None:
    config = ROOT / CONFIG_DIR / f"{module}.yaml"
    if not config.is_file():
        raise ClientGenerationError(f"{config} is missing: each module needs its generator config")
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
    command = [
        sys.executable,
        "-m",
        "openapi_python_client",
        "generate",
        "--path",
        str(spec),
        "--meta",
        "none",
        "--config",
        str(config),
        "--custom-template-path",
        str(ROOT / TEMPLATE_DIR),
        "--output-path",
        str(out),
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300, check=False)
    except FileNotFoundError as exc:  # pragma: no cover - the interpreter itself vanished
        raise ClientGenerationError(str(exc)) from exc
    output = result.stdout + result.stderr
    if "No module named openapi_python_client" in output:
        raise ClientGenerationError(
            "openapi-python-client is not installed: `make install` (setup.cfg's dev extras pin it)"
        )
    if result.returncode != 0 or "Warning" in output or "Error" in output or not out.is_dir():
        raise ClientGenerationError(f"openapi-python-client failed for {module} (exit {result.returncode}):\n{output}")
