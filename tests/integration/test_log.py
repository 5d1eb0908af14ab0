"""The global log: every committed event once, gap-free, in commit order; the app role cannot rewrite it."""

from __future__ import annotations

import asyncio
import contextlib

import asyncpg
import pytest

from activities.models import RecordEvents
from admin.seeds import LUDVIKA, TRELLEBORG
from store.embedded import PostgresUrls
from store.events import EventStore, _append
from store.log import case_entries, event_leaf, leaf_hashes, log_size, run_sequencer, sequence
from tests.integration.store_support import append_all, renamed, seed_batches

pytestmark = pytest.mark.integration


async def test_every_event_is_logged_once_in_seq_order(seeded_store: EventStore) -> None:
    pool = seeded_store.pool
    assert await log_size(pool) == 0  # appends do not wait for the sequencer
    assert await sequence(pool) == 20
    assert await sequence(pool) == 20  # idempotent
    for case_id in (LUDVIKA.case_id, TRELLEBORG.case_id):
        events, entries = await seeded_store.read(case_id), await case_entries(pool, case_id)
        assert [(e.seq, event_leaf(e.hash)) for e in events] == [(x.seq, x.leaf_hash) for x in entries]
        assert [x.log_index for x in entries] == sorted(x.log_index for x in entries)
    assert len(await leaf_hashes(pool)) == 20


async def test_concurrent_appends_and_sequencers_leave_no_gap_and_no_duplicate(seeded_store: EventStore) -> None:
    cases = [(f"race-{n}", renamed(seed_batches(TRELLEBORG), f"race-{n}", f"R:{n}")) for n in range(12)]

    async def sequencer(stop: asyncio.Event) -> int:
        runs = 0
        while not stop.is_set():
            await sequence(seeded_store.pool)
            runs += 1
            await asyncio.sleep(0)
        return runs

    stop = asyncio.Event()
    sequencers = [asyncio.create_task(sequencer(stop)) for _ in range(3)]
    await asyncio.gather(*(append_all(seeded_store, case_id, batches) for case_id, batches in cases))
    stop.set()
    assert all(runs > 0 for runs in await asyncio.gather(*sequencers))
    total = 20 + sum(len(b) for _, batches in cases for b in batches)
    assert await sequence(seeded_store.pool) == total
    rows = await seeded_store.pool.fetch("SELECT log_index, case_id, seq FROM event_log ORDER BY log_index")
    assert [r["log_index"] for r in rows] == list(range(total))
    assert len({(r["case_id"], r["seq"]) for r in rows}) == total
    by_case: dict[str, list[int]] = {}
    for r in rows:
        by_case.setdefault(r["case_id"], []).append(r["seq"])
    assert all(seqs == list(range(1, len(seqs) + 1)) for seqs in by_case.values())  # a case's order is kept


async def test_an_uncommitted_append_is_logged_only_after_its_commit(
    seeded_store: EventStore, pg_urls: PostgresUrls
) -> None:
    batches = renamed(seed_batches(LUDVIKA), "late-case", "L:1")
    writer = await asyncpg.connect(pg_urls.app_url)
    try:
        transaction = writer.transaction()
        await transaction.start()
        # The store's own append, held open: its rows and its queue entries are invisible until the commit.
        await _append(writer, RecordEvents(case_id="late-case", expected_seq=0, events=batches[0]))
        assert await sequence(seeded_store.pool) == 20
        await transaction.commit()
    finally:
        await writer.close()
    assert await sequence(seeded_store.pool) == 20 + len(batches[0])


async def test_a_failed_sequencer_run_changes_nothing(seeded_store: EventStore, pg_urls: PostgresUrls) -> None:
    conn = await asyncpg.connect(pg_urls.app_url)
    try:
        async with conn.transaction(isolation="repeatable_read"):
            with pytest.raises(asyncpg.PostgresError, match="must run alone"):
                await conn.fetchval("SELECT log_sequence()")
        transaction = conn.transaction()
        await transaction.start()
        assert await conn.fetchval("SELECT log_sequence()") == 20
        await transaction.rollback()  # as if the process died before its commit
    finally:
        await conn.close()
    assert await log_size(seeded_store.pool) == 0
    assert await sequence(seeded_store.pool) == 20


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE event_log SET leaf_hash = leaf_hash WHERE log_index = 0",
        "DELETE FROM event_log WHERE log_index = 0",
        "INSERT INTO event_log SELECT 99, case_id, seq, leaf_hash, logged_at FROM event_log WHERE log_index = 0",
        "TRUNCATE event_log CASCADE",
        "DELETE FROM log_queue",
        "INSERT INTO log_queue VALUES ('{12345}')",
        "UPDATE checkpoints SET note = ''",
        "DELETE FROM checkpoints",
    ],
)
async def test_the_app_role_cannot_rewrite_the_log(seeded_store: EventStore, statement: str) -> None:
    await sequence(seeded_store.pool)
    with pytest.raises(asyncpg.InsufficientPrivilegeError, match="permission denied"):
        await seeded_store.pool.execute(statement)
    assert await log_size(seeded_store.pool) == 20


@pytest.mark.parametrize(
    "statement",
    ["UPDATE event_log SET leaf_hash = leaf_hash", "DELETE FROM event_log", "TRUNCATE event_log CASCADE"],
)
async def test_not_even_the_owner_can_change_the_log(
    seeded_store: EventStore, pg_urls: PostgresUrls, statement: str
) -> None:
    await sequence(seeded_store.pool)
    owner = await asyncpg.connect(pg_urls.owner_url)
    try:
        with pytest.raises(asyncpg.PostgresError, match="The log is append-only"):
            await owner.execute(statement)
    finally:
        await owner.close()


async def test_temporary_tables_cannot_stand_in_for_the_log(seeded_store: EventStore, pg_urls: PostgresUrls) -> None:
    conn = await asyncpg.connect(pg_urls.app_url)
    try:  # the sequencer runs as the owner: a caller's temporary tables must not shadow the real ones
        await conn.execute("CREATE TEMP TABLE events AS SELECT position, case_id, seq, hash FROM public.events")
        await conn.execute("UPDATE events SET hash = repeat('ab', 32)")
        await conn.execute("CREATE TEMP TABLE event_log (LIKE public.event_log)")
        assert await conn.fetchval("SELECT log_sequence()") == 20
        assert await conn.fetchval("SELECT count(*) FROM pg_temp.event_log") == 0
    finally:
        await conn.close()
    for case_id in (LUDVIKA.case_id, TRELLEBORG.case_id):
        events, entries = await seeded_store.read(case_id), await case_entries(seeded_store.pool, case_id)
        assert [event_leaf(e.hash) for e in events] == [x.leaf_hash for x in entries]


async def test_the_periodic_sequencer_follows_the_appends(seeded_store: EventStore) -> None:
    task = asyncio.create_task(run_sequencer(seeded_store.pool, every_seconds=0.01))
    try:
        async with asyncio.timeout(60):  # a condition awaited, not a time slept (generous for busy CI cores)
            while await log_size(seeded_store.pool) < 20:
                await asyncio.sleep(0.01)
            await append_all(seeded_store, "later", renamed(seed_batches(LUDVIKA), "later", "L:2"))
            while await log_size(seeded_store.pool) < 30:
                await asyncio.sleep(0.01)
    finally:
        task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
