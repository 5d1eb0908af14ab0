"""Migration 008 on a store that already holds cases: each case's handläggare is the inspector who opened
it, in the read model's column and in its snapshot (which the next append folds on from), and the
search finds the case by the words of its title."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import pytest

from admin.replay import replay
from admin.seeds import LUDVIKA
from store import cases
from store.cases import CaseQuery
from store.embedded import PostgresUrls
from store.migrate import MIGRATIONS_DIR, migrate
from store.projections import CASE_COLUMNS, case_row

pytestmark = pytest.mark.integration


async def test_the_cases_of_an_earlier_release_get_their_opener_as_handlaggare(
    pg_urls: PostgresUrls, tmp_path: Path
) -> None:
    earlier = tmp_path / "migrations"
    earlier.mkdir()
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        if path.name < "008":
            shutil.copy(path, earlier / path.name)
    await migrate(pg_urls.owner_url, pg_urls.app_url, earlier)
    state, [opened] = next(iter(replay(LUDVIKA)))
    row = dict(zip(CASE_COLUMNS, case_row(state, 1, datetime.now(UTC)), strict=True))
    snapshot = json.loads(str(row.pop("snapshot")))
    del snapshot["responsible"], row["responsible"]  # as a release before issue 16 wrote it
    conn = await asyncpg.connect(pg_urls.owner_url)
    try:
        await conn.execute(
            """INSERT INTO events (case_id, seq, event_id, type, occurred_on, recorded_at, actor_username,
                                   actor_role, data, prev_hash, hash)
               VALUES ($1, 1, $2, 'CaseOpened', $3, now(), $4, 'inspector', $5::jsonb, $6, $6)""",
            state.case_id,
            opened.event_id,
            opened.occurred_on,
            opened.actor.username,
            json.dumps(opened.data()),
            "0" * 64,
        )
        columns = ", ".join(row) + ", snapshot"
        values = ", ".join(f"${n}" for n in range(1, len(row) + 1)) + f", ${len(row) + 1}::jsonb"
        await conn.execute(f"INSERT INTO cases ({columns}) VALUES ({values})", *row.values(), json.dumps(snapshot))
    finally:
        await conn.close()

    assert "008_finding_work" in await migrate(pg_urls.owner_url, pg_urls.app_url)
    pool = await asyncpg.create_pool(pg_urls.app_url, min_size=1, max_size=2)
    try:
        assert await pool.fetchval("SELECT responsible FROM cases") == "marta.rivelis"
        migrated = await cases.get(pool, state.case_id)
        assert migrated is not None and migrated.responsible == "marta.rivelis"
        found = await cases.page(pool, CaseQuery(q="kvalitetsgranskningen", responsible="marta.rivelis"))
        assert [s.case_id for s in found.cases] == [state.case_id] and found.next is None  # a Swedish stem
    finally:
        await pool.close()
