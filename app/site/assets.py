"""Where the built web terminal and the docs viewers' bundles are found: one folder, normally
inside the installed package.

``app/site/static/`` (package data, gitignored, shipped in the wheel) holds:

- ``terminal/``: the Vite build of ``web/`` (``make web-build``; Vite's ``outDir``);
- ``viewers/``: ReDoc's and the AsyncAPI viewer's bundles, copied by ``make viewers``
  (``python -m app.site.assets NODE_MODULES``) from the npm packages pinned in
  ``contract-ts/package-lock.json``, with their licences and a ``manifest.json`` naming the versions.

``ASSETS_DIR`` points the server at another folder of the same layout. Nothing here writes at
start-up: a missing part is one warning in the log, and its pages say how to build it.
"""

from __future__ import annotations

import json
import logging
import shutil
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # run as ``python -m app.site.assets`` by make without the package's dependencies
    from app.settings import Settings

PACKAGE_ASSETS = Path(__file__).resolve().parent / "static"
BUILD_HINT = "make web-build viewers"

VIEWERS: Mapping[str, tuple[str, str]] = MappingProxyType({
    "redoc/redoc.standalone.js": ("redoc", "bundles/redoc.standalone.js"),
    "asyncapi/index.js": ("@asyncapi/react-component", "browser/standalone/index.js"),
    "asyncapi/default.min.css": ("@asyncapi/react-component", "styles/default.min.css"),
})
"""Served name (under ``/api/static/``) → (npm package, file inside it)."""

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SiteAssets:
    root: Path

    @property
    def terminal(self) -> Path:
        return self.root / "terminal"

    def viewer(self, name: str) -> Path:
        return self.root / "viewers" / name

    def has_viewer(self, *names: str) -> bool:
        return all(self.viewer(name).is_file() for name in names)

    def missing(self) -> list[str]:
        """What of the layout is absent, as paths for the log."""
        wanted = [self.terminal / "index.html", *(self.viewer(name) for name in VIEWERS)]
        return [str(path) for path in wanted if not path.is_file()]


def find_assets(settings: Settings) -> SiteAssets:
    """The folder to serve from (``ASSETS_DIR`` or the package's); logs once what is missing."""
    assets = SiteAssets(Path(settings.assets_dir) if settings.assets_dir else PACKAGE_ASSETS)
    missing = assets.missing()
    if missing:
        log.warning(
            "web assets missing in %s: %s; /terminal/ answers 503 and the docs pages fall back to plain "
            "viewers (build them with `%s` in a source checkout before `pip install .`, or set ASSETS_DIR)",
            assets.root, ", ".join(missing), BUILD_HINT,
        )
    return assets


def copy_viewers(node_modules: Path, root: Path = PACKAGE_ASSETS) -> dict[str, str]:
    """Copies the viewer bundles and their packages' licences out of ``node_modules``; a build step
    (``make viewers``), never called by the server. Returns the package versions it copied."""
    target = root / "viewers"
    if target.exists():
        shutil.rmtree(target)
    versions: dict[str, str] = {}
    for name, (package, inside) in VIEWERS.items():
        source = node_modules / package
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / inside, destination)
        if package not in versions:
            versions[package] = json.loads((source / "package.json").read_text())["version"]
            shutil.copyfile(source / "LICENSE", destination.parent / "LICENSE")
    (target / "manifest.json").write_text(json.dumps(versions, indent=2, sort_keys=True) + "\n")
    return versions


def main(argv: Sequence[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m app.site.assets NODE_MODULES  (copies the docs viewers into the package)",
              file=sys.stderr)
        return 2
    versions = copy_viewers(Path(argv[0]))
    print(f"viewers copied into {PACKAGE_ASSETS / 'viewers'}: "
          + ", ".join(f"{package} {version}" for package, version in sorted(versions.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
