"""Schema migrations: the numbered ``store/migrations/NNN_*.sql`` files, each applied once, in order.

Runs as the owner role (which owns every table). Safe when several processes start at once:
the whole run holds a session advisory lock, and each file is applied in its own transaction
together with its row in ``schema_migrations``.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import structlog

from store import register

log = structlog.get_logger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
APP_GROUP_ROLE = "inspections_app"
"""The NOLOGIN group role holding the application's privileges (created by migration 001)."""
_LOCK_KEY = 0x1A5_0E17_5C4E_3A00  # an arbitrary constant: "the migration lock" of this schema
_FILLED_FROM_EVENTS = {"010_register": register.rebuild}
"""Migrations that add a projection of the events, and the function that fills it from those already stored."""
_FILE_NAME = re.compile(r"^(\d{3,})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True)
class Migration:
    """One migration file: its version (the number) and its SQL."""

    version: str
    name: str
    path: Path

    def sql(self) -> str:
        """The file's SQL text."""
        return self.path.read_text(encoding="utf-8")


def migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """The migration files of ``directory``, in order; a badly named ``.sql`` file is an error."""
    found = []
    for path in sorted(directory.glob("*.sql")):
        match = _FILE_NAME.match(path.name)
        if match is None:
            raise ValueError(f"migration file {path.name} must be named NNN_lower_case_name.sql")
        found.append(Migration(version=match.group(1), name=path.stem, path=path))
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise ValueError(f"two migration files share a number in {directory}")
    return found


async def migrate(owner_url: str, app_url: str | None = None, directory: Path = MIGRATIONS_DIR) -> list[str]:
    """Apply the pending migrations as the owner; return the names of those applied (empty: none pending).

    When ``app_url`` names another user than the owner, that user is made a member of
    ``inspections_app`` so it gets exactly the application's privileges.
    """
    conn = await asyncpg.connect(owner_url)
    try:
        await conn.execute("SELECT pg_advisory_lock($1)", _LOCK_KEY)
        try:
            applied = await _apply_pending(conn, migrations(directory))
            if app_url is not None:
                await _grant_app_role(conn, app_url)
        finally:
            await conn.execute("SELECT pg_advisory_unlock($1)", _LOCK_KEY)
    finally:
        await conn.close()
    return applied


async def _apply_pending(conn: asyncpg.Connection, pending: list[Migration]) -> list[str]:
    await conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version text PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"
    )
    done = {r["version"] for r in await conn.fetch("SELECT version FROM schema_migrations")}
    applied = []
    for migration in pending:
        if migration.version in done:
            continue
        async with conn.transaction():
            await conn.execute(migration.sql())
            if migration.name in _FILLED_FROM_EVENTS:  # a new projection: its rows for the events already stored
                await _FILLED_FROM_EVENTS[migration.name](conn)
            await conn.execute(
                "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", migration.version, migration.name
            )
        log.info("migration applied", migration=migration.name)
        applied.append(migration.name)
    return applied


async def _grant_app_role(conn: asyncpg.Connection, app_url: str) -> None:
    """``GRANT inspections_app TO <app user>`` unless the app connects as the owner itself."""
    app_user = await _user_of(app_url)
    owner_user = await conn.fetchval("SELECT current_user")
    if app_user == owner_user:
        return
    statement = await conn.fetchval("SELECT format('GRANT %I TO %I', $1::text, $2::text)", APP_GROUP_ROLE, app_user)
    # Memberships are cluster-wide: another database's migration may grant the same at the same moment.
    with contextlib.suppress(asyncpg.UniqueViolationError):
        await conn.execute(statement)


async def _user_of(url: str) -> str:
    """The user name ``url`` logs in as (asking the server, so defaults such as $PGUSER count)."""
    conn = await asyncpg.connect(url)
    try:
        return str(await conn.fetchval("SELECT current_user"))
    finally:
        await conn.close()
