"""Fixtures of the integration tests."""

from tests.integration.store_support import seeded_store

__all__ = ["seeded_store"]
