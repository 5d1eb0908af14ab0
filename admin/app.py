"""The web app: the JSON API, the web pages, ``/healthz`` and ``/metrics``, wired by ``runtime.bootstrap``.

``uvicorn admin.app:app_from_env --factory`` serves it (``make run`` and docker-compose do).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog
from fastapi import FastAPI
from fastapi.responses import JSONResponse, Response

from admin import api, web
from admin.context import AppContext
from admin.errors import install_error_handlers
from admin.services import Services
from admin.services.auth import Tokens, load_secret
from runtime.bootstrap import bootstrap
from runtime.config import Settings

log = structlog.get_logger(__name__)


async def health(ctx: AppContext) -> tuple[int, dict[str, str]]:
    """docs/api.md's health answer: 200 when Temporal and the database answer, else 503 naming the part."""
    ok, parts = await ctx.services.health()
    return (200 if ok else 503), {"status": "ok" if ok else "error", **parts}


def create_app(settings: Settings, context: AppContext | None = None) -> FastAPI:
    """The app; with ``context`` (tests) it uses the given services instead of bootstrapping its own."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if context is not None:
            app.state.context = context
            yield
            return
        async with bootstrap(settings, migrate_first=True) as wiring:
            services = Services.wired(wiring)
            await services.users.ensure_admin(settings.admin_password, settings.data_dir)
            app.state.context = AppContext(services, Tokens(load_secret(settings.data_dir, settings.secret_key)))
            yield

    app = FastAPI(
        title="Inspections admin",
        version="1",
        lifespan=lifespan,
        description="Follow-up of school inspections: cases, commands, audit trail (docs/api.md).",
    )
    install_error_handlers(app)
    app.include_router(api.router)
    web.install(app)

    @app.get("/metrics", tags=["ops"], include_in_schema=False)
    async def metrics() -> Response:
        body = await app.state.context.services.metrics()
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
