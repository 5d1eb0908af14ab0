"""The layers hold by contract: import-linter's contracts in pyproject.toml are kept, and they bite.

`make test` runs `lint-imports` too; this test makes the suite fail on a broken contract when
pytest is run alone, and proves with a planted upward import that a contract can fail at all.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


def test_every_contract_is_kept() -> None:
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    result = _run(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    for contract in contracts:
        assert f"{contract['name']} KEPT" in result.stdout


def test_an_upward_import_breaks_the_contract(tmp_path: Path) -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    for package in config["root_packages"]:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    planted = tmp_path / "store" / "planted.py"
    planted.write_text("from activities import models  # an upward import\n")
    (tmp_path / ".importlinter").write_text(
        "[importlinter]\nroot_packages =\n"
        + "".join(f"    {p}\n" for p in config["root_packages"])
        + "\n[importlinter:contract:store]\nname = store imports only domain\ntype = forbidden\n"
        + "source_modules =\n    store\nforbidden_modules =\n    activities\n"
    )
    result = _run(tmp_path, "--config", ".importlinter")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "store imports only domain BROKEN" in result.stdout
    assert "store.planted -> activities" in result.stdout
