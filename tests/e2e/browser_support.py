"""Browser tests' support: the admin app served over real HTTP (uvicorn in-process) on the same real
servers as the ``stack`` fixture, Debian's chromium driven by Playwright, and screenshots.

Playwright never downloads a browser here: it launches ``/usr/bin/chromium`` (``make test``
installs Debian's package).
"""

from __future__ import annotations

import asyncio
import re
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
import pytest
import uvicorn
from playwright.async_api import Browser, BrowserContext, Page, async_playwright
from temporalio.testing import WorkflowEnvironment

from admin.app import create_app
from admin.context import AppContext
from admin.services import Services
from admin.services.auth import Tokens
from domain.disposal import DisposalRule
from runtime.config import Settings
from store.embedded import PostgresUrls, free_port
from store.events import EventStore
from store.migrate import migrate
from tests.e2e.api_support import PASSWORD, Stack, checkpoint_files
from worker import build_worker

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}


def chromium_path() -> Path:
    """Debian's chromium, or a failure that says how to get it."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests use Debian's chromium. `make test` installs it "
            "(apt-get install -y chromium); Playwright is not allowed to download a browser.",
            pytrace=False,
        )
    return CHROMIUM


@asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    """Headless Debian chromium under Playwright."""
    path = chromium_path()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(path), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            await browser.close()


class _Server(uvicorn.Server):
    """uvicorn inside the test's event loop; the test runner keeps its own signal handlers."""

    @contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@dataclass
class LiveApp:
    """The app at ``base_url`` (real HTTP), an API client on it, and the database pool behind it."""

    base_url: str
    stack: Stack

    @property
    def pool(self) -> asyncpg.Pool:
        """The app's database pool."""
        return self.stack.pool

    async def event_types(self, case_id: str) -> list[str]:
        """The types of the case's stored events, oldest first (straight from the store)."""
        return [e.type for e in await EventStore(self.pool).read(case_id)]


@asynccontextmanager
async def live_app(
    env: WorkflowEnvironment, pg_urls: PostgresUrls, disposal_rules: tuple[DisposalRule, ...] = ()
) -> AsyncIterator[LiveApp]:
    """A fresh database, a worker on its own task queue, and the app served by uvicorn on a free port
    (``disposal_rules``: those the app is configured with, as by ``INSPECTIONS_DISPOSAL_RULES``)."""
    await migrate(pg_urls.owner_url, pg_urls.app_url)
    pool = await asyncpg.create_pool(pg_urls.app_url, min_size=1, max_size=8)
    queue = f"web-{uuid.uuid4().hex[:8]}"
    folder = tempfile.TemporaryDirectory(prefix="live-checkpoints-")  # removed when the app stops
    checkpoints = checkpoint_files(Path(folder.name))
    services = Services(pool, env.client, queue, checkpoints=checkpoints, disposal_rules=disposal_rules)
    context = AppContext(services, Tokens("test-secret"))
    port = free_port()
    config = uvicorn.Config(
        create_app(Settings(), context=context),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="on",
        timeout_graceful_shutdown=5,
    )
    server = _Server(config)
    try:
        async with build_worker(env.client, pool, queue):
            serving = asyncio.create_task(server.serve())
            try:
                while not server.started:
                    if serving.done():
                        serving.result()
                        raise RuntimeError("uvicorn stopped before it started")
                    await asyncio.sleep(0.02)
                base = f"http://127.0.0.1:{port}"
                async with httpx.AsyncClient(base_url=base, timeout=60) as http:
                    yield LiveApp(base, Stack(http, pool))
            finally:
                server.should_exit = True
                await serving
    finally:
        await pool.close()
        folder.cleanup()


async def new_page(browser: Browser, viewport: dict[str, int] | None = None) -> tuple[BrowserContext, Page]:
    """A fresh browser context (its own cookies: one person) and a page in it."""
    context = await browser.new_context(viewport=viewport or LAPTOP, locale="sv-SE")  # type: ignore[arg-type]
    context.set_default_timeout(30_000)
    return context, await context.new_page()


async def log_in(page: Page, base_url: str, username: str, password: str = PASSWORD) -> None:
    """Log in through the form; the page ends on the case list (or where the login form sends it)."""
    if "/login" not in page.url:
        await page.goto(f"{base_url}/login")
    await page.get_by_label("Användarnamn").fill(username)
    await page.get_by_label("Lösenord").fill(password)
    await page.get_by_role("button", name="Logga in").click()
    await page.wait_for_load_state()
    assert "/login" not in page.url, await page.inner_text("main")


async def shot(page: Page, name: str, at: str | None = None) -> Path:
    """Save a screenshot as test-artifacts/screenshots/<name>.png: the full page, or (``at``, a selector)
    the screen scrolled to that element (phone pages are too long to read as one picture)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    if at is None:
        await page.screenshot(path=str(path), full_page=True)
    else:
        await page.locator(at).first.evaluate("element => element.scrollIntoView()")
        await page.screenshot(path=str(path))
    return path


def case_id_of(url: str) -> str:
    """The case id in a case page's address."""
    found = re.search(r"/cases/([^/?#]+)", url)
    assert found, url
    return found.group(1)
