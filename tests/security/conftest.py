"""The admin app on real servers, as issue 14's probes reach it: over HTTP, from chosen client addresses.

The worker and the app's Temporal client seal payloads with one keyring (as every process of an
installation does), and the app serves the codec endpoint with it.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from fastapi import FastAPI
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from admin.app import create_app
from admin.context import AppContext
from admin.services import Services
from admin.services.auth import Tokens, hash_password
from runtime.codec import encrypted_data_converter
from runtime.config import Settings
from runtime.payload_keys import PayloadKeyring, generate_keyring
from store import users
from store.migrate import migrate
from tests.e2e.api_support import checkpoint_files
from worker import build_worker

PASSWORD = "correct-horse-battery"
METRICS_TOKEN = "metrics-token-for-tests"


@dataclass
class Site:
    """The app, its pool, and HTTP clients from any address."""

    app: FastAPI
    pool: asyncpg.Pool
    http: httpx.AsyncClient
    """From 127.0.0.1."""
    keyring: PayloadKeyring
    """The payload keys of the app, its worker and its codec endpoint."""

    def client(self, address: str = "127.0.0.1") -> httpx.AsyncClient:
        """An HTTP client whose requests come from ``address`` (close it, or use it in ``async with``)."""
        transport = httpx.ASGITransport(app=self.app, client=(address, 40000))
        return httpx.AsyncClient(transport=transport, base_url="http://test")

    async def add_user(self, username: str, *roles: str, organiser_id: str | None = None) -> None:
        await users.create(self.pool, username, hash_password(PASSWORD), list(roles), organiser_id, None)

    async def token(self, username: str, password: str = PASSWORD, http: httpx.AsyncClient | None = None) -> str:
        answer = await (http or self.http).post("/api/v1/auth/token", json={"username": username, "password": password})
        assert answer.status_code == 200, answer.text
        return str(answer.json()["access_token"])

    async def as_(self, username: str) -> dict[str, str]:
        return bearer(await self.token(username))

    @asynccontextmanager
    async def logged_in(self, username: str, password: str = PASSWORD) -> AsyncIterator[httpx.AsyncClient]:
        """A browser-like client logged in through the login form (its cookie jar holds the session)."""
        async with self.client() as browser:
            form = await browser.get("/login")
            fields = {"username": username, "password": password, "csrf_token": csrf_of(form.text), "next": "/"}
            answer = await browser.post("/login", data=fields)
            assert answer.status_code == 303, answer.text
            yield browser


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def csrf_of(page: str) -> str:
    """The CSRF token of the first form on a page."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "no CSRF token on the page"
    return found.group(1)


def code_of(answer: httpx.Response) -> Any:
    """The error code of an error answer."""
    return answer.json()["error"]["code"]


@pytest.fixture
async def site(dev_server_env: WorkflowEnvironment, pg_urls, tmp_path: Path) -> AsyncIterator[Site]:  # type: ignore[no-untyped-def]
    await migrate(pg_urls.owner_url, pg_urls.app_url)
    pool = await asyncpg.create_pool(pg_urls.app_url, min_size=1, max_size=8)
    keyring = generate_keyring()
    address = dev_server_env.client.service_client.config.target_host
    sealed = await Client.connect(address, data_converter=encrypted_data_converter(keyring))
    queue = f"security-{uuid.uuid4().hex[:8]}"
    services = Services(pool, sealed, queue, checkpoints=checkpoint_files(tmp_path))
    context = AppContext(services, Tokens("test-secret"))
    app = create_app(Settings(metrics_token=METRICS_TOKEN), context=context, keyring=keyring)
    try:
        async with build_worker(sealed, pool, queue), app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 40000))
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
                yield Site(app, pool, http, keyring)
    finally:
        await pool.close()
