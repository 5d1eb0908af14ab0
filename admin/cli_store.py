"""The store's commands of the ``inspections`` tool: ``db``, ``audit`` and ``projections``.

Database URLs come from runtime.config (``INSPECTIONS_DATABASE_URL`` / ``_OWNER_URL`` or the
local stack). Exit codes: 0 done; 1 the audit chain is broken; 2 the request could not be
served (no database configured or reachable, no schema yet, unknown case, missing rights).
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar
from urllib.parse import urlsplit

import asyncpg
import typer
from rich.console import Console

from runtime.config import ConfigError, Settings, load_settings
from store import audit, projections
from store.errors import UnknownCase
from store.migrate import migrate

T = TypeVar("T")

db_app = typer.Typer(help="The PostgreSQL database: schema migrations and its URL.", no_args_is_help=True)
audit_app = typer.Typer(help="Verify the audit trail's hash chain and export a case.", no_args_is_help=True)
projections_app = typer.Typer(help="The read model (cases, case areas) derived from the events.", no_args_is_help=True)
console = Console()
errors = Console(stderr=True)

EXIT_BROKEN = 1
EXIT_UNSERVED = 2


def register(app: typer.Typer) -> None:
    """Add the ``db``, ``audit`` and ``projections`` command groups to ``app``."""
    app.add_typer(db_app, name="db")
    app.add_typer(audit_app, name="audit")
    app.add_typer(projections_app, name="projections")


@db_app.command("migrate")
def db_migrate() -> None:
    """Apply pending schema migrations (as the owner role) and grant the application role its rights."""
    settings = _settings()
    applied = _run(
        settings.owner_database_url(), lambda: migrate(settings.owner_database_url(), settings.app_database_url())
    )
    console.print(
        f"Applied {len(applied)} migration(s): {', '.join(applied)}."
        if applied
        else "The schema is up to date; nothing to apply."
    )


@db_app.command("url")
def db_url() -> None:
    """Print the application's PostgreSQL URL (the one the local stack uses)."""
    typer.echo(_settings().app_database_url())


@audit_app.command("verify")
def audit_verify(
    case: Annotated[str | None, typer.Option("--case", help="Only this case (case id or Dnr).")] = None,
) -> None:
    """Recompute every hash and link; exit 0 when the chain holds, 1 naming the first broken link."""
    url = _settings().app_database_url()

    async def check() -> audit.VerifyReport:
        conn = await asyncpg.connect(url, timeout=10)
        try:
            case_id = await audit.resolve_case(conn, case) if case is not None else None
            with console.status("Verifying the audit chain…"):
                return await audit.verify(conn, case_id)
        finally:
            await conn.close()

    report = _run(url, check)
    if report.ok:
        console.print(f"The audit chain holds: {report.events_checked} events in {report.cases_checked} case(s).")
        return
    first = report.failures[0]
    console.print(
        f"The audit chain is BROKEN: case {first.case_id}, seq {first.seq}: {first.reason}",
        highlight=False,
        soft_wrap=True,
    )
    for failure in report.failures[1:]:
        console.print(
            f"  also case {failure.case_id}, seq {failure.seq}: {failure.reason}", highlight=False, soft_wrap=True
        )
    console.print(
        f"{len(report.failures)} of {report.cases_checked} case(s) broken; {report.events_checked} events checked."
    )
    raise typer.Exit(EXIT_BROKEN)


@audit_app.command("export")
def audit_export(
    case: Annotated[str, typer.Option("--case", help="The case id or Dnr.")],
    out: Annotated[Path, typer.Option("--out", help="The JSON Lines file to write.", dir_okay=False)],
) -> None:
    """Write a case's events, oldest first, as JSON Lines (one event a line, with its hashes)."""
    url = _settings().app_database_url()

    async def write() -> audit.ExportReport:
        conn = await asyncpg.connect(url, timeout=10)
        try:
            return await audit.export(conn, case, out)
        finally:
            await conn.close()

    report = _run(url, write)
    console.print(f"Wrote {report.events} events of case {report.case_id} to {report.path}.", highlight=False)


@projections_app.command("rebuild")
def projections_rebuild() -> None:
    """Recompute the cases and case_areas tables from the events alone, in one transaction (as the owner)."""
    url = _settings().owner_database_url()

    async def rebuild() -> projections.RebuildReport:
        conn = await asyncpg.connect(url, timeout=10)
        try:
            with console.status("Rebuilding the read model…"):
                return await projections.rebuild(conn)
        finally:
            await conn.close()

    report = _run(url, rebuild)
    console.print(f"Rebuilt the read model: {report.cases} case(s) from {report.events} events.")


def _settings() -> Settings:
    settings = load_settings()
    try:
        settings.app_database_url()
    except ConfigError as error:
        _fail(str(error))
    return settings


def _run(url: str, work: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run ``work`` and turn the user's errors into a message and exit code 2 (no traceback)."""
    try:
        return asyncio.run(work())
    except UnknownCase as error:
        _fail(str(error))
    except asyncpg.UndefinedTableError:
        _fail(f"The database at {_safe(url)} has no audit store yet: run `inspections db migrate` first.")
    except asyncpg.InsufficientPrivilegeError as error:
        _fail(
            f"The role in {_safe(url)} may not do this ({error}); use the owner's URL (INSPECTIONS_DATABASE_OWNER_URL)."
        )
    except (
        OSError,
        TimeoutError,
        asyncpg.PostgresConnectionError,
        asyncpg.InvalidAuthorizationSpecificationError,
        asyncpg.InvalidCatalogNameError,
        asyncpg.CannotConnectNowError,
    ) as error:
        _fail(f"Cannot connect to the database at {_safe(url)}: {error}. Is the stack running (`make run`)?")


def _fail(message: str) -> NoReturn:
    errors.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    sys.stderr.flush()
    raise typer.Exit(EXIT_UNSERVED)


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    host = parts.hostname or "?"
    port = f":{parts.port}" if parts.port else ""
    user = f"{parts.username}@" if parts.username else ""
    return f"{parts.scheme}://{user}{host}{port}{parts.path}"
