"""Reading the read model: one case, the case list with filters, and Dnr look-ups."""

from __future__ import annotations

import asyncpg

from domain.rules import dnr_key
from domain.state import CaseState
from store.projections import state_of


async def get(pool: asyncpg.Pool, case_id: str) -> CaseState | None:
    """The case's state (from the read model), or None when there is no such case."""
    async with pool.acquire() as conn:
        snapshot = await conn.fetchval("SELECT snapshot::text FROM cases WHERE case_id = $1", case_id)
        if snapshot is None:
            return None
        return await state_of(conn, case_id, snapshot)


async def case_id_of_dnr(pool: asyncpg.Pool, dnr: str) -> str | None:
    """The id of the case registered under ``dnr`` (blanks collapsed, case ignored), if any."""
    return await pool.fetchval("SELECT case_id FROM cases WHERE dnr_key = $1", dnr_key(dnr))


async def search(
    pool: asyncpg.Pool,
    *,
    state: str | None = None,
    organiser_id: str | None = None,
    overdue: bool | None = None,
    limit: int = 500,
) -> list[CaseState]:
    """Cases matching every given filter, the soonest due first, then the most recently changed."""
    rows = await pool.fetch(
        """SELECT snapshot::text AS snapshot FROM cases
           WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR organiser_id = $2)
             AND ($3::boolean IS NULL OR overdue = $3)
           ORDER BY response_due NULLS LAST, updated_at DESC, case_id LIMIT $4""",
        state,
        organiser_id,
        overdue,
        limit,
    )
    return [CaseState.model_validate_json(r["snapshot"]) for r in rows]


async def counts(pool: asyncpg.Pool) -> dict[str, int]:
    """Open, overdue and closed case counts (for metrics and the front page)."""
    row = await pool.fetchrow(
        """SELECT count(*) FILTER (WHERE state NOT IN ('closed', 'referred')) AS open,
                  count(*) FILTER (WHERE overdue) AS overdue,
                  count(*) FILTER (WHERE state IN ('closed', 'referred')) AS ended
           FROM cases"""
    )
    return dict(row) if row else {"open": 0, "overdue": 0, "ended": 0}


async def event_recorded(pool: asyncpg.Pool, event_id: str) -> bool:
    """True when an event with this id is in the store (a command's effect, found by its request id)."""
    return bool(await pool.fetchval("SELECT 1 FROM events WHERE event_id = $1", event_id))
