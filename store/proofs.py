"""Verify the whole store against a signed checkpoint: every chain, the log, and how they fit together.

One pass over every event (joined with its log entry, one consistent snapshot) recomputes each
event's hash and link (store.chain), checks that its stored log leaf is the leaf of that hash, and
rebuilds the log's Merkle tree; then the tree must be a consistent extension of the checkpoint (an
RFC 6962 consistency proof from the checkpoint's size to today's) and of every genuinely signed
checkpoint stored. Each finding names what it means: a rewritten event, a rewritten chain, a deleted
event, a truncated case, a changed or cut log, an event inserted behind the checkpoint's back.
"""

from __future__ import annotations

import base64
from datetime import datetime, timedelta

import asyncpg
from pydantic import BaseModel

from domain.merkle import MerkleTree, ProofError, verify_consistency
from store.chain import format_timestamp
from store.checkpoints import StoredCheckpoint, is_genuine, latest_checkpoint, stored_checkpoints
from store.log import sequence
from store.proof_scan import Failure, Scan, finding
from store.rows import CHAIN_COLUMNS, Source, batches, connection
from store.signed_note import NoteError, NoteVerifier, open_checkpoint

RECORDING_GRACE = timedelta(minutes=5)
"""How much earlier than its commit an honest event's ``recorded_at`` may lie (an append's duration, generously)."""

_EVENTS = f"""
SELECT e.*, l.log_index, l.leaf_hash,
       CASE WHEN l.log_index IS NULL THEN EXISTS (SELECT FROM log_queue q WHERE e.position = ANY (q.positions)) END
FROM (SELECT {CHAIN_COLUMNS}, position FROM events) AS e
LEFT JOIN event_log l ON l.case_id = e.case_id AND l.seq = e.seq
ORDER BY e.case_id, e.seq
"""
_ORPHANS = """
SELECT l.log_index, l.case_id, l.seq, l.leaf_hash FROM event_log l
WHERE NOT EXISTS (SELECT FROM events e WHERE e.case_id = l.case_id AND e.seq = l.seq)
ORDER BY l.log_index
"""


class ProofReport(BaseModel):
    """The outcome of :func:`verify_store`."""

    ok: bool
    cases_checked: int
    events_checked: int
    tree_size: int
    root_hash: str
    """Today's root, base64."""
    checkpoint_size: int | None
    """The size of the checkpoint checked against (None: there was none)."""
    pending: int
    """Events committed after the sequencer ran, not logged yet (not a failure)."""
    failures: list[Failure]


async def verify_store(
    source: Source, verifier: NoteVerifier, checkpoint_note: str | None = None, batch_size: int = 1000
) -> ProofReport:
    """Verify every chain and the log against ``checkpoint_note`` (default: the latest genuine stored one)."""
    async with connection(source) as conn:
        await sequence(conn)
        failures: list[Failure] = []
        checkpoint = _given_checkpoint(checkpoint_note, verifier, failures)
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            if checkpoint_note is None:
                checkpoint = await latest_checkpoint(conn, verifier)
            size = int(await conn.fetchval("SELECT coalesce(max(log_index) + 1, 0) FROM event_log"))
            scan = Scan(size, checkpoint.tree_size if checkpoint else 0)
            async for rows in batches(conn, _EVENTS, batch_size=batch_size, prefetch=True):
                scan.rows(rows)
            scan.finish()
            for index, case_id, seq, leaf in await conn.fetch(_ORPHANS):
                scan.orphan(index, case_id, seq, leaf)
            tree = MerkleTree(scan.holes())
            failures += scan.failures
            stored = await stored_checkpoints(conn)
            failures += _check_backdated(scan)
            failures += await _check_checkpoints(conn, tree, checkpoint, stored, verifier)
    return ProofReport(
        ok=not failures,
        cases_checked=scan.cases,
        events_checked=scan.events,
        tree_size=tree.size,
        root_hash=base64.b64encode(tree.root()).decode(),
        checkpoint_size=checkpoint.tree_size if checkpoint else None,
        pending=scan.pending,
        failures=failures,
    )


def _given_checkpoint(note: str | None, verifier: NoteVerifier, failures: list[Failure]) -> StoredCheckpoint | None:
    """The checkpoint of a note given by the caller, when it is signed by the log's key."""
    if note is None:
        return None
    try:
        text = open_checkpoint(note, verifier)
    except NoteError as error:
        failures.append(finding("checkpoint.unusable", detail=str(error)))
        return None
    return StoredCheckpoint(tree_size=text.tree_size, root_hash=base64.b64encode(text.root_hash).decode(), note=note)


def _check_backdated(scan: Scan) -> list[Failure]:
    """Events first logged after the checkpoint whose ``recorded_at`` claims they came well before it."""
    if scan.checkpoint_last_recorded is None:
        return []
    last = datetime.fromisoformat(scan.checkpoint_last_recorded.replace("Z", "+00:00"))
    cutoff = format_timestamp(last - RECORDING_GRACE)
    return [
        finding(
            "log.backdated",
            case_id=case_id,
            seq=seq,
            log_index=index,
            at=recorded_at,
            size=scan.checkpoint_size,
            prior_at=scan.checkpoint_last_recorded,
        )
        for recorded_at, case_id, seq, index in scan.after_checkpoint
        if recorded_at < cutoff
    ]


async def _check_checkpoints(
    conn: asyncpg.Connection,
    tree: MerkleTree,
    checkpoint: StoredCheckpoint | None,
    stored: list[StoredCheckpoint],
    verifier: NoteVerifier,
) -> list[Failure]:
    """Today's tree against the checkpoint (a consistency proof), and every stored checkpoint against today's tree.

    A stored checkpoint the tree agrees with needs no signature check; one it disagrees with is either not
    signed by the log (a forged row) or proof that the log was changed.
    """
    failures = []
    broken = []
    for row in stored:
        if _holds(tree, row):
            continue
        if is_genuine(row, verifier):
            broken.append(row)
        else:
            failures.append(finding("checkpoint.forged", size=row.tree_size))
    failure = _consistency(tree, checkpoint) if checkpoint is not None else None
    sizes = [c.tree_size for c in broken[:1]] + ([checkpoint.tree_size] if failure and checkpoint else [])
    where = await _where(conn, tree, stored, min(sizes), verifier) if sizes else {}
    if failure is not None:
        key, params = failure
        failures.append(finding(key, **params, **where))
    if broken and (failure is None or broken[0].tree_size != checkpoint.tree_size):
        failures.append(finding("log.changed", count=len(broken), size=broken[0].tree_size, **where))
    return failures


def _holds(tree: MerkleTree, checkpoint: StoredCheckpoint) -> bool:
    return checkpoint.tree_size <= tree.size and tree.root(checkpoint.tree_size) == checkpoint.root


def _consistency(tree: MerkleTree, checkpoint: StoredCheckpoint) -> tuple[str, dict[str, int]] | None:
    """Why today's tree is not a consistent extension of ``checkpoint``, as a finding's key and parameters
    (None: it is)."""
    old, new = checkpoint.tree_size, tree.size
    if old > new:
        return "log.truncated", {"count": new, "size": old}
    try:
        verify_consistency(old, new, checkpoint.root, tree.root(), tree.consistency_proof(old))
    except ProofError:  # which step of the proof failed says nothing more than that it failed
        return "log.inconsistent", {"size": old}
    return None


async def _where(
    conn: asyncpg.Connection, tree: MerkleTree, stored: list[StoredCheckpoint], broken_size: int, verifier: NoteVerifier
) -> dict[str, int | list[str] | None]:
    """Narrow a changed log down: between the last genuine stored checkpoint that still holds and ``broken_size``
    (the ``first`` and ``last`` log entries and the ``cases`` in them, as a finding's parameters)."""
    good = next(
        (
            c.tree_size
            for c in reversed(stored)
            if c.tree_size < broken_size and _holds(tree, c) and is_genuine(c, verifier)
        ),
        0,
    )
    cases = await conn.fetch(
        "SELECT DISTINCT case_id FROM event_log WHERE log_index >= $1 AND log_index < $2 ORDER BY 1 LIMIT 11",
        good,
        broken_size,
    )
    names = [r["case_id"] for r in cases[:10]] + (["…"] if len(cases) > 10 else [])
    return {"first": good, "last": broken_size - 1, "cases": names or None}
