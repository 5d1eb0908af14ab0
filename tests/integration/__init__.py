"""Tests against real PostgreSQL and Temporal servers."""
