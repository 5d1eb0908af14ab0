"""Failed logins, counted in the database so that every process of the web app sees the same brake.

A counter is kept per key: ``admin.services.auth`` counts each failure under the pair (username,
client address) and under the client address alone. Past a key's free failures, each further
failure makes the key wait twice as long as the one before (1 s, 2 s, 4 s … up to ``MAX_DELAY``).
A key forgets its failures ``FORGET_AFTER`` after its last one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import asyncpg

MAX_DELAY = timedelta(minutes=15)
FORGET_AFTER = timedelta(hours=1)


def delay_after(failures: int, free: int) -> timedelta:
    """How long a key waits after its ``failures``-th failure when the first ``free`` cost nothing."""
    if failures <= free:
        return timedelta(0)
    return min(timedelta(seconds=2 ** min(failures - free - 1, 20)), MAX_DELAY)


async def wait(pool: asyncpg.Pool, keys: Sequence[str]) -> float:
    """Seconds until every one of ``keys`` may try again (0: now)."""
    seconds = await pool.fetchval(
        "SELECT max(extract(epoch FROM blocked_until - now())) FROM login_failures WHERE key = ANY($1::text[])",
        list(keys),
    )
    return max(float(seconds or 0), 0.0)


async def failed(pool: asyncpg.Pool, key: str, free: int) -> int:
    """Count one failure of ``key`` and set how long it waits now; the key's number of failures."""
    async with pool.acquire() as conn, conn.transaction():
        failures = await conn.fetchval(
            """INSERT INTO login_failures AS f (key, failures, last_failure_at, blocked_until)
               VALUES ($1, 1, now(), now())
               ON CONFLICT (key) DO UPDATE SET
                   failures = CASE WHEN f.last_failure_at < now() - $2::interval THEN 1 ELSE f.failures + 1 END,
                   last_failure_at = now()
               RETURNING failures""",
            key,
            FORGET_AFTER,
        )
        await conn.execute(
            "UPDATE login_failures SET blocked_until = now() + $2::interval WHERE key = $1",
            key,
            delay_after(failures, free),
        )
    return int(failures)


async def forget(pool: asyncpg.Pool, key: str) -> None:
    """Forget the failures of ``key`` (after a good login)."""
    await pool.execute("DELETE FROM login_failures WHERE key = $1", key)
