"""The fault suite: parts of the system killed with SIGKILL while work goes on (``make faults``).

Every test in this folder is marked ``faults``. ``make test`` runs only those also marked ``short``
(a stack with its worker and PostgreSQL killed under load, the delivery's faults, the supervisor);
``make faults`` (``INSPECTIONS_FAULTS=all``) runs them all and writes the measurements to
``test-artifacts/faults.jsonl`` (summarised in RELIABILITY.md).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

HERE = Path(__file__).parent
ALL = os.environ.get("INSPECTIONS_FAULTS") == "all"


def pytest_configure(config: pytest.Config) -> None:
    """Register the markers (this folder's conftest is loaded only when its tests are collected)."""
    config.addinivalue_line("markers", "faults: the fault suite (make faults)")
    config.addinivalue_line("markers", "short: the part of the fault suite that make test runs too")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test of this folder ``faults``; skip the long ones unless INSPECTIONS_FAULTS=all."""
    for item in items:
        if not item.path.is_relative_to(HERE):
            continue
        item.add_marker(pytest.mark.faults)
        if not ALL and item.get_closest_marker("short") is None:
            item.add_marker(pytest.mark.skip(reason="the long fault suite: `make faults` runs it"))
