"""Schema migrations: each applied once, also when two processes start together."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from store.embedded import PostgresUrls
from store.migrate import migrate, migrations

pytestmark = pytest.mark.integration


async def schema(url: str) -> list[tuple[object, ...]]:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(
            "SELECT table_name, column_name, data_type FROM information_schema.columns"
            " WHERE table_schema = 'public' ORDER BY 1, 2"
        )
        return [tuple(r) for r in rows]
    finally:
        await conn.close()


async def test_applying_twice_is_a_no_op(pg_urls: PostgresUrls) -> None:
    names = [m.name for m in migrations()]
    assert names[0].startswith("001_") and len(names) >= 3
    assert await migrate(pg_urls.owner_url, pg_urls.app_url) == names
    before = await schema(pg_urls.owner_url)
    assert await migrate(pg_urls.owner_url, pg_urls.app_url) == []
    assert await schema(pg_urls.owner_url) == before
    conn = await asyncpg.connect(pg_urls.owner_url)
    try:
        assert await conn.fetchval("SELECT count(*) FROM schema_migrations") == len(names)
        tables = await conn.fetch("SELECT tableowner FROM pg_tables WHERE schemaname = 'public'")
        assert {t["tableowner"] for t in tables} == {"postgres"}
        role = await conn.fetchrow("SELECT rolcanlogin, rolsuper FROM pg_roles WHERE rolname = 'inspections_app'")
        assert (role["rolcanlogin"], role["rolsuper"]) == (False, False)
        assert await conn.fetchval("SELECT pg_has_role('inspections', 'inspections_app', 'MEMBER')")
    finally:
        await conn.close()


async def test_two_processes_migrating_at_once_both_succeed(pg_urls: PostgresUrls) -> None:
    results = await asyncio.gather(*(migrate(pg_urls.owner_url, pg_urls.app_url) for _ in range(2)))
    assert sorted(len(r) for r in results) == [0, len(migrations())]
    app = await asyncpg.connect(pg_urls.app_url)
    try:
        assert await app.fetchval("SELECT count(*) FROM events") == 0
    finally:
        await app.close()
