"""The web app: the JSON API, the web pages, ``/healthz`` and ``/metrics``, wired by ``runtime.bootstrap``.

``uvicorn admin.app:app_from_env --factory`` serves it (``make run`` and docker-compose do).
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

import structlog
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials

from admin import api, api_docs, web
from admin.codec_server import codec_router
from admin.context import AppContext, bearer_token, current_user
from admin.context import context as ctx_of
from admin.errors import ApiError, install_error_handlers
from admin.security import BodyLimit, SecurityHeaders, metrics_allowed
from admin.services import Services
from admin.services.auth import Tokens, load_secret
from admin.web.session import SESSION_COOKIE
from domain import User
from runtime.bootstrap import bootstrap, load_payload_keys
from runtime.config import Settings
from runtime.payload_keys import PayloadKeyring

log = structlog.get_logger(__name__)


async def health(ctx: AppContext) -> tuple[int, dict[str, str]]:
    """docs/api.md's health answer: 200 when Temporal and the database answer, else 503 naming the part."""
    ok, parts = await ctx.services.health()
    return (200 if ok else 503), {"status": "ok" if ok else "error", **parts}


async def codec_caller(request: Request) -> User:
    """Who calls the codec endpoint: the bearer token's user (the CLI), else the session's (the Temporal UI)."""
    token = bearer_token(request)
    if token:
        return await current_user(request, HTTPAuthorizationCredentials(scheme="Bearer", credentials=token))
    user = await ctx_of(request).user_of_token(request.cookies.get(SESSION_COOKIE, ""), "web")
    if user is None:
        raise ApiError(401, "Log in first.", headers={"WWW-Authenticate": "Bearer"}, key="auth.missing")
    return user


@contextmanager
def startup_frozen() -> Iterator[None]:
    """While the app serves, what start-up made (modules, schemas, templates, routes) is out of the garbage
    collector's way: a full collection walked all of it, 80–130 ms each time, in the way of whichever request
    was running (BENCHMARKS.md, reads). Given back to the collector when the app stops."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def create_app(settings: Settings, context: AppContext | None = None, keyring: PayloadKeyring | None = None) -> FastAPI:
    """The app; with ``context`` (tests) it uses the given services instead of bootstrapping its own.

    ``keyring``: the Temporal payload keys the codec endpoint opens payloads with (default: the
    configured key file; with a ``context`` and no keyring there is no codec endpoint).
    """
    if keyring is None and context is None:
        keyring = load_payload_keys(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if context is not None:
            app.state.context = context
            with startup_frozen():
                yield
            return
        async with bootstrap(settings, migrate_first=True) as wiring:
            services = Services.wired(wiring)
            await services.users.ensure_admin(settings.admin_password, settings.data_dir)
            app.state.context = AppContext(services, Tokens(load_secret(settings.data_dir, settings.secret_key)))
            with startup_frozen():
                yield

    app = FastAPI(
        title="Inspections admin",
        version="1",
        lifespan=lifespan,
        description="Follow-up of school inspections: cases, commands, audit trail (docs/api.md).",
        docs_url=None,  # api_docs serves Swagger UI from the app's own files
        redoc_url=None,
    )
    app.add_middleware(BodyLimit)
    app.add_middleware(SecurityHeaders)  # outermost of the two: a 413 carries the headers too
    api_docs.install(app)
    install_error_handlers(app)
    app.include_router(api.router)
    web.install(app)

    if keyring is not None:
        origins = [o.strip() for o in settings.temporal_ui_origins.split(",") if o.strip()]
        app.include_router(codec_router(keyring, codec_caller, origins))

    @app.get("/metrics", tags=["ops"], include_in_schema=False)
    async def metrics(request: Request) -> Response:
        if not metrics_allowed(request, settings.metrics_token):
            raise ApiError(
                403, "Metrics are served to the server itself or with the metrics token only.", key="metrics.forbidden"
            )
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
