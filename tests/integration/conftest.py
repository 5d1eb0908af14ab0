"""Fixtures of the integration tests, and their marker.

Every test in this folder is marked ``integration`` (it needs embedded PostgreSQL and/or a Temporal
server), whether or not its file says so: ``pytest -m "not integration"`` runs the rest.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.store_support import seeded_store

__all__ = ["seeded_store"]

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test collected from this folder ``integration`` (the hook sees the whole session's items)."""
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.integration)
