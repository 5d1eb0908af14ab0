"""The application's pools skip asyncpg's reset statement (runtime/bootstrap.py): what that must not cost.

A connection goes back to the pool without ``pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL``.
That is safe only because asyncpg still rolls back a transaction left open and the application keeps
no session state; these tests hold the pool to the first and show what the second means.
"""

from __future__ import annotations

import asyncpg
import pytest

from runtime.bootstrap import create_pool
from store.embedded import PostgresUrls

pytestmark = pytest.mark.integration


async def test_a_connection_given_back_inside_a_transaction_comes_back_rolled_back(pg_urls: PostgresUrls) -> None:
    pool = await create_pool(pg_urls.app_url, size=1)  # one connection: the next acquire gets the same one
    try:
        conn = await pool.acquire()
        await conn.execute("BEGIN")
        await conn.execute("SET LOCAL statement_timeout = '1234ms'")
        await conn.execute("SELECT pg_advisory_xact_lock(4242)")
        backend = await conn.fetchval("SELECT pg_backend_pid()")
        await pool.release(conn)  # as a handler that failed mid-transaction would leave it
        async with pool.acquire() as again:
            assert await again.fetchval("SELECT pg_backend_pid()") == backend
            assert not again.is_in_transaction()
            assert await again.fetchval("SELECT current_setting('statement_timeout')") == "0"
            held = await again.fetchval(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = $1", backend
            )
            assert held == 0
    finally:
        await pool.close()


async def test_what_a_session_sets_would_outlive_its_use_which_is_why_none_is_set(pg_urls: PostgresUrls) -> None:
    pool = await create_pool(pg_urls.app_url, size=1)
    try:
        async with pool.acquire() as conn:
            await conn.execute("SET statement_timeout = '1234ms'")  # session level: the application never does
        async with pool.acquire() as again:
            assert await again.fetchval("SELECT current_setting('statement_timeout')") == "1234ms"
    finally:
        await pool.close()
    default = await asyncpg.create_pool(pg_urls.app_url, min_size=1, max_size=1)  # asyncpg's own reset
    try:
        async with default.acquire() as conn:
            await conn.execute("SET statement_timeout = '1234ms'")
        async with default.acquire() as again:
            assert await again.fetchval("SELECT current_setting('statement_timeout')") == "0"
    finally:
        await default.close()
