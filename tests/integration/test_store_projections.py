"""The read model rebuilt from the events alone equals the one kept up to date by the appends."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import pytest

from activities.models import RecordEvents
from admin.seeds import LUDVIKA, TRELLEBORG
from store.embedded import PostgresUrls
from store.events import EventStore
from store.projections import rebuild
from tests.integration.store_support import append_all, open_store, renamed, seed_batches

pytestmark = pytest.mark.integration


@pytest.fixture
async def store(pg_urls: PostgresUrls) -> AsyncIterator[EventStore]:
    async with open_store(pg_urls) as store:
        yield store


async def contents(conn: asyncpg.Connection) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the read model, in a fixed order, as plain tuples."""
    return {
        table: [tuple(row) for row in await conn.fetch(f"SELECT * FROM {table} ORDER BY {order}")]
        for table, order in (("cases", "case_id"), ("case_areas", "case_id, code"))
    }


async def test_rebuilt_projections_equal_the_live_ones(store: EventStore, pg_urls: PostgresUrls) -> None:
    for seed in (LUDVIKA, TRELLEBORG):
        await append_all(store, seed.case_id, seed_batches(seed))
    for n in range(3):  # cases left in other states: just opened, decision pending, awaiting the account
        await append_all(store, f"partial-{n}", renamed(seed_batches(LUDVIKA)[: n + 1], f"partial-{n}", f"P:{n}"))
    owner = await asyncpg.connect(pg_urls.owner_url)
    try:
        live = await contents(owner)
        assert len(live["cases"]) == 5 and len(live["case_areas"]) == 10
        report = await rebuild(owner, batch_size=7)
        assert (report.cases, report.events) == (5, 20 + 1 + 2 + 4)
        assert await contents(owner) == live
        await owner.execute("UPDATE cases SET state = 'closed', snapshot = '{}' WHERE case_id = 'partial-0'")
        await owner.execute("DELETE FROM case_areas WHERE case_id = 'partial-1'")
        await rebuild(owner)
        assert await contents(owner) == live
    finally:
        await owner.close()


async def test_appends_go_on_after_a_rebuild_and_an_outdated_snapshot(store: EventStore, pg_urls: PostgresUrls) -> None:
    batches = seed_batches(TRELLEBORG)
    await append_all(store, TRELLEBORG.case_id, batches[:4])
    owner = await asyncpg.connect(pg_urls.owner_url)
    try:
        await rebuild(owner)
        # A snapshot an older CaseState wrote: the store folds the events instead.
        await owner.execute("UPDATE cases SET snapshot = '{\"old\": true}'")
    finally:
        await owner.close()
    seq = await store.last_seq(TRELLEBORG.case_id)
    for batch in batches[4:]:
        seq = (await store.append(RecordEvents(case_id=TRELLEBORG.case_id, expected_seq=seq, events=batch))).last_seq
    case = await store.pool.fetchrow("SELECT state, round FROM cases")
    assert (case["state"], case["round"]) == ("awaiting_response", 2)
