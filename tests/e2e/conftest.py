"""Fixtures of the end-to-end tests: the admin app on real servers."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import asyncpg
import httpx
import pytest
from playwright.async_api import Browser
from temporalio.testing import WorkflowEnvironment

from admin.app import create_app
from admin.context import AppContext
from admin.services import Services
from admin.services.auth import Tokens
from runtime.config import Settings
from store.embedded import PostgresUrls
from store.migrate import migrate
from tests.e2e.api_support import Stack, checkpoint_files
from tests.e2e.browser_support import LiveApp, chromium, live_app
from worker import build_worker


@pytest.fixture
async def stack(dev_server_env: WorkflowEnvironment, pg_urls, tmp_path) -> AsyncIterator[Stack]:  # type: ignore[no-untyped-def]
    await migrate(pg_urls.owner_url, pg_urls.app_url)
    pool = await asyncpg.create_pool(pg_urls.app_url, min_size=1, max_size=8)
    queue = f"api-{uuid.uuid4().hex[:8]}"
    services = Services(pool, dev_server_env.client, queue, checkpoints=checkpoint_files(tmp_path))
    context = AppContext(services, Tokens("test-secret"))
    app = create_app(Settings(), context=context)
    async with build_worker(dev_server_env.client, pool, queue), app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            yield Stack(http, pool)
    await pool.close()


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator[Browser]:
    """Debian's chromium under Playwright, one per test module."""
    async with chromium() as launched:
        yield launched


@pytest.fixture
async def live(dev_server_env: WorkflowEnvironment, pg_urls: PostgresUrls) -> AsyncIterator[LiveApp]:
    """The admin app served over real HTTP (for the browser) on real servers."""
    async with live_app(dev_server_env, pg_urls) as app:
        yield app
