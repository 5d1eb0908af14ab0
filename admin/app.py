"""The admin web app: JSON API, web pages and ``/healthz``, wired from the settings."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import asyncpg
import structlog
from fastapi import FastAPI
from fastapi.responses import JSONResponse, Response
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter

from admin import api, web
from admin.auth import Tokens, hash_password, load_secret
from admin.context import AppContext
from admin.errors import install_error_handlers
from runtime.config import Settings
from runtime.metrics import render as render_metrics
from store import users
from store.migrate import migrate

log = structlog.get_logger(__name__)


async def ensure_admin(pool: asyncpg.Pool, settings: Settings) -> str | None:
    """Create the first administrator ``admin`` when missing; the generated password, if one was made."""
    if await users.get(pool, "admin") is not None:
        return None
    password = settings.admin_password
    generated = None
    if not password:
        path = settings.data_dir / "admin-password"
        if path.exists():
            password = path.read_text().strip()
        else:
            password = generated = secrets.token_urlsafe(12)
            settings.data_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(password + "\n")
            path.chmod(0o600)
    await users.create(pool, "admin", hash_password(password), ["admin"], None, "Administratör")
    log.info("first administrator created", username="admin")
    return generated


async def health(ctx: AppContext) -> tuple[int, dict[str, str]]:
    """API.md's health answer: 200 when Temporal and the database answer, else 503 naming the part."""
    parts = {"status": "ok", "temporal": "ok", "database": "ok"}
    try:
        await ctx.pool.fetchval("SELECT 1", timeout=3)
    except Exception as error:  # any failure means "not ok"; the message names it
        parts["database"] = f"error: {type(error).__name__}"
    try:
        await ctx.client.service_client.check_health(timeout=timedelta(seconds=3))
    except Exception as error:
        parts["temporal"] = f"error: {type(error).__name__}"
    ok = parts["temporal"] == "ok" and parts["database"] == "ok"
    if not ok:
        parts["status"] = "error"
    return (200 if ok else 503), parts


def create_app(settings: Settings, context: AppContext | None = None) -> FastAPI:
    """The app; with ``context`` (tests) it uses the given connections instead of making its own."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if context is not None:
            app.state.context = context
            yield
            return
        await migrate(settings.owner_database_url(), settings.app_database_url())
        pool = await asyncpg.create_pool(settings.app_database_url(), min_size=1, max_size=10)
        client = await Client.connect(
            settings.temporal_address, namespace=settings.temporal_namespace, data_converter=pydantic_data_converter
        )
        await ensure_admin(pool, settings)
        app.state.context = AppContext(
            pool,
            client,
            settings.task_queue,
            Tokens(load_secret(settings.data_dir, settings.secret_key)),
            policy=settings.deadline_policy(),
        )
        try:
            yield
        finally:
            await pool.close()

    app = FastAPI(
        title="Inspections admin",
        version="1",
        lifespan=lifespan,
        description="Follow-up of school inspections: cases, commands, audit trail (API.md).",
    )
    install_error_handlers(app)
    app.include_router(api.router)
    web.install(app)

    @app.get("/metrics", tags=["ops"], include_in_schema=False)
    async def metrics() -> Response:
        body = await render_metrics(app.state.context.pool)
        return Response(body, media_type="text/plain; version=0.0.4")

    @app.get("/healthz", tags=["ops"])
    async def healthz() -> JSONResponse:
        status, body = await health(app.state.context)
        return JSONResponse(body, status)

    return app


def app_from_env() -> FastAPI:
    """The app configured from the environment (``uvicorn admin.app:app_from_env --factory``)."""
    from runtime.config import load_settings
    from runtime.logging import configure_logging

    settings = load_settings()
    configure_logging(settings.log_format)
    return create_app(settings)
