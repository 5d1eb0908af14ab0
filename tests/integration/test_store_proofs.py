"""Verify against a signed checkpoint: each way of tampering (as superuser, past every trigger) is found and named."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import asyncpg
import pytest

from admin.seeds import LUDVIKA, TRELLEBORG
from domain.merkle import verify_consistency
from store.chain import event_hash, format_timestamp
from store.checkpoints import CheckpointRefused, StoredCheckpoint, make_checkpoint, stored_checkpoints
from store.embedded import PostgresUrls
from store.events import EventStore
from store.log import log_tree
from store.proofs import ProofReport, verify_store
from store.signed_note import NoteSigner
from tests.integration.log_support import relog_case, rewrite_case, signer, superuser
from tests.integration.store_support import append_all, open_store, renamed, seed_batches

pytestmark = pytest.mark.integration
__all__ = ["signer"]


@pytest.fixture
async def two_checkpoints(pg_urls: PostgresUrls, signer: NoteSigner) -> AsyncIterator[tuple[EventStore, list]]:
    """Ludvika, a checkpoint of its 10 events; Trelleborg, a checkpoint of all 20."""
    async with open_store(pg_urls) as store:
        await append_all(store, LUDVIKA.case_id, seed_batches(LUDVIKA))
        first = await make_checkpoint(store.pool, signer)
        await append_all(store, TRELLEBORG.case_id, seed_batches(TRELLEBORG))
        second = await make_checkpoint(store.pool, signer)
        yield store, [first, second]


def named(report: ProofReport) -> list[tuple[str | None, int | None, str]]:
    return [(f.case_id, f.seq, f.reason) for f in report.failures]


async def verify(store: EventStore, signer: NoteSigner, checkpoint: StoredCheckpoint | None = None) -> ProofReport:
    return await verify_store(store.pool, signer.verifier, checkpoint.note if checkpoint else None)


async def test_an_untouched_store_holds_and_grows_consistently(two_checkpoints, signer: NoteSigner) -> None:
    store, (first, second) = two_checkpoints
    assert (first.tree_size, second.tree_size) == (10, 20)
    for checkpoint in (first, second, None):
        report = await verify(store, signer, checkpoint)
        assert report.ok, report.failures
        assert (report.events_checked, report.cases_checked, report.tree_size) == (20, 2, 20)
    assert (await verify(store, signer)).checkpoint_size == 20  # the latest stored one by default
    tree = await log_tree(store.pool)  # and the two checkpoints are consistent with each other
    verify_consistency(10, 20, first.root, second.root, tree.consistency_proof(10, 20))
    assert await make_checkpoint(store.pool, signer) == second  # nothing new: the same checkpoint


async def test_a_truncated_case_is_named(two_checkpoints, signer: NoteSigner, pg_urls: PostgresUrls) -> None:
    store, (_, second) = two_checkpoints
    async with superuser(pg_urls.owner_url) as su:
        await su.execute("DELETE FROM events WHERE case_id = $1 AND seq = 10", LUDVIKA.case_id)
    [(case_id, seq, reason)] = named(await verify(store, signer, second))
    assert (case_id, seq) == (LUDVIKA.case_id, 10) and "events end at seq 9" in reason and "truncated" in reason


async def test_a_truncated_log_is_found(two_checkpoints, signer: NoteSigner, pg_urls: PostgresUrls) -> None:
    store, (_, second) = two_checkpoints
    async with superuser(pg_urls.owner_url) as su:  # the last event and its log entry
        await su.execute("DELETE FROM events WHERE case_id = $1 AND seq = 10", TRELLEBORG.case_id)
        await su.execute("DELETE FROM event_log WHERE case_id = $1 AND seq = 10", TRELLEBORG.case_id)
    reasons = [reason for _, _, reason in named(await verify(store, signer, second))]
    assert any("the log has 19 events, fewer than the checkpoint's 20: the log was truncated" in r for r in reasons)


async def test_a_deleted_event_is_named(two_checkpoints, signer: NoteSigner, pg_urls: PostgresUrls) -> None:
    store, (_, second) = two_checkpoints
    async with superuser(pg_urls.owner_url) as su:
        await su.execute("DELETE FROM events WHERE case_id = $1 AND seq = 3", TRELLEBORG.case_id)
    failures = named(await verify(store, signer, second))
    assert (TRELLEBORG.case_id, 4) in [(c, s) for c, s, _ in failures]  # the chain's break
    assert any((c, s) == (TRELLEBORG.case_id, 3) and "the event was deleted" in r for c, s, r in failures)


async def test_a_rewritten_event_is_named(two_checkpoints, signer: NoteSigner, pg_urls: PostgresUrls) -> None:
    store, (_, second) = two_checkpoints
    async with superuser(pg_urls.owner_url) as su:  # changed, not re-hashed
        await su.execute(
            "UPDATE events SET data = jsonb_set(data, '{title}', '\"X\"') WHERE case_id = $1 AND seq = 1",
            LUDVIKA.case_id,
        )
    assert named(await verify(store, signer, second)) == [
        (
            LUDVIKA.case_id,
            1,
            "hash does not match the event's stored fields: the event was changed after it was recorded",
        )
    ]


async def test_a_rewritten_chain_is_named(two_checkpoints, signer: NoteSigner, pg_urls: PostgresUrls) -> None:
    store, (_, second) = two_checkpoints
    async with superuser(pg_urls.owner_url) as su:
        await rewrite_case(su, TRELLEBORG.case_id, 2, {"response_due": "2030-01-01"})
    [(case_id, seq, reason)] = named(await verify(store, signer, second))
    assert (case_id, seq) == (TRELLEBORG.case_id, 2)
    assert "9 events from seq 2 on do not match their log leaves: the case's chain was rewritten" in reason


async def test_a_rewritten_chain_and_log_are_found_and_narrowed_down(
    two_checkpoints, signer: NoteSigner, pg_urls: PostgresUrls
) -> None:
    store, (first, second) = two_checkpoints
    async with superuser(pg_urls.owner_url) as su:  # a thorough forger also recomputes the log's leaves
        await rewrite_case(su, TRELLEBORG.case_id, 2, {"response_due": "2030-01-01"})
        await relog_case(su, TRELLEBORG.case_id)
    [stored] = (await verify(store, signer, first)).failures  # the first 10 events, Ludvika's, are untouched …
    assert "does not extend 1 stored signed checkpoint(s), the first of 20 events" in stored.reason  # … the rest not
    [failure] = (await verify(store, signer, second)).failures
    assert "not a consistent extension of the checkpoint of 20 events" in failure.reason
    assert f"the change lies in log entries 10 to 19 (cases {TRELLEBORG.case_id})" in failure.reason
    with pytest.raises(CheckpointRefused, match="no longer hash"):
        await make_checkpoint(store.pool, signer)  # and no new checkpoint is signed over it


async def test_a_forged_insert_behind_the_checkpoint_is_named(two_checkpoints, signer: NoteSigner) -> None:
    store, (_, second) = two_checkpoints
    last = (await store.read(LUDVIKA.case_id))[-1]
    backdated = datetime(2025, 1, 1, tzinfo=UTC)  # before every event of the checkpoint
    forged = (LUDVIKA.case_id, 11, "forged-1", last.type, last.occurred_on, backdated, last.actor.username)
    forged += (last.actor.role.value, '{"reason":"all_in_line"}', last.hash)
    digest = event_hash(*forged[:4], last.occurred_on.isoformat(), format_timestamp(backdated), *forged[6:])
    # The application's own role, with a correct hash: the chain holds.
    await store.pool.execute(
        """INSERT INTO events (case_id, seq, event_id, type, occurred_on, recorded_at, actor_username, actor_role,
                               data, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)""",
        *forged,
        digest,
    )
    failures = (await verify(store, signer, second)).failures
    assert {(f.case_id, f.seq, f.log_index) for f in failures} == {(LUDVIKA.case_id, 11, 20)}
    assert any("yet not in it: inserted behind the checkpoint" in f.reason for f in failures)
    assert any("before the event before it" in f.reason for f in failures)


async def test_checkpoints_not_signed_by_the_log_are_refused(
    two_checkpoints, signer: NoteSigner, pg_urls: PostgresUrls
) -> None:
    store, (_, second) = two_checkpoints
    text, signature = second.note.split("\n\n")
    changed = text.replace("\n20\n", "\n21\n") + "\n\n" + signature
    [failure] = (await verify_store(store.pool, signer.verifier, changed)).failures
    assert failure.reason == "the checkpoint given cannot be used: the signature of key " + signer.name + (
        " does not verify: the note was changed"
    )
    forged = NoteSigner.generate(signer.name).sign(text.replace("\n20\n", "\n21\n") + "\n")
    [failure] = (await verify_store(store.pool, signer.verifier, forged)).failures
    assert "the checkpoint given cannot be used: the note is not signed by key " + signer.name in failure.reason
    await store.pool.execute(  # the app role may insert a checkpoint row, but cannot sign it
        "INSERT INTO checkpoints (tree_size, root_hash, note) VALUES (21, $1, $2)", second.root, forged
    )
    assert [f.reason for f in (await verify(store, signer)).failures] == [
        "stored checkpoint of 21 events is not signed by the log"
    ]
    assert [c.tree_size for c in await stored_checkpoints(store.pool)] == [10, 20, 21]
    assert (await make_checkpoint(store.pool, signer)).tree_size == 20  # the genuine latest


async def test_an_event_logged_out_of_order_is_named(
    two_checkpoints, signer: NoteSigner, pg_urls: PostgresUrls
) -> None:
    store, (first, _) = two_checkpoints
    extra = renamed(seed_batches(LUDVIKA), "third", "T:1")
    await append_all(store, "third", extra)
    await make_checkpoint(store.pool, signer)
    async with superuser(pg_urls.owner_url) as su:  # swap the log entries of seq 1 and 2 of the third case
        rows = await su.fetch("SELECT log_index, seq FROM event_log WHERE case_id = 'third' AND seq <= 2")
        a, b = sorted(r["log_index"] for r in rows)
        await su.execute("UPDATE event_log SET log_index = log_index + 1000000 WHERE log_index IN ($1, $2)", a, b)
        await su.execute(
            "UPDATE event_log SET log_index = CASE log_index WHEN $1::bigint THEN $2::bigint ELSE $3::bigint END"
            " WHERE log_index >= 1000000",
            a + 1000000,
            b,
            a,
        )
    reasons = [f.reason for f in (await verify(store, signer, first)).failures]
    assert any("logged out of its case's order" in r for r in reasons)
    assert any("does not extend 1 stored signed checkpoint(s), the first of 30 events" in r for r in reasons)


async def test_the_sequencer_runs_first(pg_urls: PostgresUrls, signer: NoteSigner) -> None:
    async with open_store(pg_urls) as store:
        await append_all(store, LUDVIKA.case_id, seed_batches(LUDVIKA))
        report = await verify(store, signer)
        assert report.ok and report.tree_size == 10 and report.checkpoint_size is None and report.pending == 0
        conn = await asyncpg.connect(pg_urls.app_url)
        try:
            assert await conn.fetchval("SELECT count(*) FROM log_queue") == 0
        finally:
            await conn.close()
