"""``python -m app generate``: writes the committed OpenAPI/AsyncAPI documents, or checks them.

Files (relative to the output directory): ``openapi/openapi.json`` (merged), ``openapi/{m}_v1_openapi.json``
per module, ``asyncapi.yaml`` (merged AsyncAPI), and the Python client generated from the per-module
documents, ``clients/python/trader_pro_client/{m}/`` (`app.specs.client`; a file there that the
generator no longer writes is deleted, and ``--check`` reports it as stale). The app is built with every module on
(``create_app(Settings())``, environment ignored). Output is deterministic: JSON indented 2 with
keys in generation order (fixed by the code, components sorted by name), YAML block style with
the same order, a trailing newline, no timestamps; a re-run is byte-identical. Nothing writes
these files at startup (DESIGN §2).
"""

from __future__ import annotations

import difflib
import json
import sys
from pathlib import Path
from typing import Any, TextIO

import yaml

from app.keys import MODULE_APPS
from app.modules import module_info
from app.settings import Settings
from app.specs import asyncapi, client, openapi


def render_json(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


class _Dumper(yaml.SafeDumper):
    """Multi-line strings as ``|`` blocks, so descriptions read as written."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def render_yaml(document: Any) -> str:
    text: str = yaml.dump(
        document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )
    return text


def documents() -> dict[str, str]:
    """Relative path → exact file content."""
    from app.factory import create_app

    app = create_app(Settings())
    module_apps = app[MODULE_APPS]
    files = {"openapi/openapi.json": render_json(openapi.merged_document(module_apps.items()))}
    for name, subapp in module_apps.items():
        document = openapi.module_document(subapp, name, module_info(name).title)
        files[f"openapi/{name}_v1_openapi.json"] = render_json(document)
    files["asyncapi.yaml"] = render_yaml(asyncapi.merged_document(module_apps))
    files.update(client.client_files({name: files[f"openapi/{name}_v1_openapi.json"] for name in module_apps}))
    return files


def generated_dirs() -> list[str]:
    """Folders whose every file comes from `documents` (so a file left over there is stale)."""
    from app.modules import REGISTRY

    return [client.generated_dir(info.name) for info in REGISTRY]


def _leftovers(root: Path, files: dict[str, str]) -> list[str]:
    found: list[str] = []
    for directory in generated_dirs():
        base = root / directory
        if base.is_dir():
            for path in sorted(base.rglob("*")):
                relative = path.relative_to(root).as_posix()
                if path.is_file() and "__pycache__" not in path.parts and relative not in files:
                    found.append(relative)
    return found


def generate(output_dir: str, *, check: bool = False, out: TextIO | None = None) -> int:
    """Write the files (exit status 0), or with ``check`` compare them and return 1 on any drift."""
    out = out or sys.stdout
    root = Path(output_dir)
    stale: list[str] = []
    files = documents()
    for relative in _leftovers(root, files):
        if check:
            stale.append(relative)
            print(f"--- {relative}: no longer generated", file=out)
        else:
            (root / relative).unlink()
            print(f"removed {root / relative}", file=out)
    unchanged = 0
    for relative, content in files.items():
        target = root / relative
        current = target.read_text(encoding="utf-8") if target.is_file() else None
        if check:
            if current != content:
                stale.append(relative)
                _summarize(relative, current, content, out)
        elif current != content:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
            print(f"wrote {target}", file=out)
        else:
            unchanged += 1
    if not check:
        print(f"unchanged: {unchanged} of {len(files)} files", file=out)
    if stale:
        print(
            f"check-specs: {len(stale)} file(s) differ from what the code generates: {', '.join(stale)}\n"
            "run `make generate` (python -m app generate) and commit the result",
            file=out,
        )
        return 1
    if check:
        print("check-specs: committed specs are up to date", file=out)
    return 0


def _summarize(relative: str, current: str | None, content: str, out: TextIO, limit: int = 40) -> None:
    if current is None:
        print(f"--- {relative}: missing", file=out)
        return
    diff = list(
        difflib.unified_diff(
            current.splitlines(),
            content.splitlines(),
            f"{relative} (committed)",
            f"{relative} (generated)",
            lineterm="",
        )
    )
    added = sum(1 for line in diff if line.startswith("+") and not line.startswith("+++"))
    removed = sum(1 for line in diff if line.startswith("-") and not line.startswith("---"))
    print(f"--- {relative}: +{added} -{removed} lines", file=out)
    for line in diff[:limit]:
        print(line, file=out)
    if len(diff) > limit:
        print(f"... ({len(diff) - limit} more diff lines)", file=out)
