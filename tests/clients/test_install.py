"""``pip install ./clients/python`` on its own gives the typed client (issue 20 item 1): the
package is built from a copy of its folder (with build isolation, as a user's pip does) into a
temporary target, and imported from there alone, ``py.typed`` and both modules included."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.timeout(300)


def test_the_client_installs_with_pip_on_its_own(tmp_path: Path) -> None:
    source = tmp_path / "src"
    shutil.copytree(ROOT / "clients" / "python", source,
                    ignore=shutil.ignore_patterns("*.egg-info", "__pycache__", "build"))
    target = tmp_path / "site"
    built = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target",
                            str(target), str(source)], capture_output=True, text=True, timeout=240)
    assert built.returncode == 0, built.stdout + built.stderr
    probe = ("import sys; sys.path.insert(0, sys.argv[1]); import trader_pro_client as c, "
             "trader_pro_client.broker.api.broker.get_orders, trader_pro_client.datafeed.client, "
             "trader_pro_client.streaming; print(c.__file__)")
    imported = subprocess.run([sys.executable, "-c", probe, str(target)], cwd=tmp_path,
                              capture_output=True, text=True, timeout=60)
    assert imported.returncode == 0, imported.stderr
    assert Path(imported.stdout.strip()).is_relative_to(target), imported.stdout
    assert (target / "trader_pro_client" / "py.typed").is_file()
    modules = sorted(p.name for p in (target / "trader_pro_client").iterdir() if p.is_dir())
    assert [m for m in modules if m != "__pycache__"] == ["broker", "datafeed"]
