"""The global log over all events: the sequencer and reading the log's Merkle tree.

Every committed event gets one ``log_index`` (0, 1, 2… with no gap) in ``event_log``, after its
commit, by the database function ``log_sequence()`` (migration 006): an append's events are queued by
a trigger in the append's own transaction, and a sequencer run, one at a time under an advisory
lock, logs every queued event that is committed, in ``events.position`` order. So the log's order
is commit order: an event committed after a run ends always gets a higher index than every event
that run logged. A run is a single transaction, so it is idempotent and crash-safe.

Leaf ``i`` of the log's RFC 6962 tree is ``SHA-256(0x00 || h)`` where ``h`` is the 32 bytes of the
event's chain hash (store.chain), which covers every field of the event, its case and its seq.

Who runs the sequencer: :func:`sequence` runs it once; checkpoints, verification and export run it
first, and :func:`run_sequencer` runs it every few seconds in a long-lived process (the worker), so
the log follows the events closely without adding any work to an append.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import asyncpg
import structlog

from domain.merkle import MerkleTree, leaf_hash
from store.rows import Source, batches, connection

log = structlog.get_logger(__name__)


class LogBroken(Exception):
    """The stored log is not a gap-free sequence 0, 1, 2…; the message names the first missing index."""


@dataclass(frozen=True)
class LogEntry:
    """One leaf of the log: which event it logs and its leaf hash."""

    log_index: int
    case_id: str
    seq: int
    leaf_hash: bytes


def event_leaf(event_hash: str) -> bytes:
    """The log's leaf hash of an event whose chain hash (64 hex digits) is ``event_hash``."""
    return leaf_hash(bytes.fromhex(event_hash))


async def sequence(source: Source) -> int:
    """Log every committed event that is not in the log yet; the log's size afterwards.

    Waits while another process is sequencing. Must not run inside a transaction (the database
    function refuses to share one).
    """
    async with connection(source) as conn:
        return int(await conn.fetchval("SELECT log_sequence()"))


async def run_sequencer(pool: asyncpg.Pool, every_seconds: float = 2.0) -> None:
    """Run the sequencer every ``every_seconds`` until cancelled; a failed run is logged and tried again."""
    while True:
        try:
            size = await sequence(pool)
            log.debug("log sequenced", tree_size=size)
        except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:  # a lost connection too
            log.warning("log sequencing failed, will retry", error=str(error))
        await asyncio.sleep(every_seconds)


async def log_size(source: Source) -> int:
    """The number of leaves in the log."""
    async with connection(source) as conn:
        return int(await conn.fetchval("SELECT coalesce(max(log_index) + 1, 0) FROM event_log"))


async def leaf_hashes(source: Source, size: int | None = None, batch_size: int = 20_000) -> list[bytes]:
    """The leaf hashes of the log's first ``size`` leaves (default: all), in order; LogBroken when one is missing."""
    where, args = ("WHERE log_index < $1", (size,)) if size is not None else ("", ())
    leaves: list[bytes] = []
    async with connection(source) as conn:
        query = f"SELECT log_index, leaf_hash FROM event_log {where} ORDER BY log_index"
        async for rows in batches(conn, query, *args, batch_size=batch_size, prefetch=True):
            for index, leaf in rows:
                if index != len(leaves):
                    raise LogBroken(f"log index {len(leaves)} is missing from the log")
                leaves.append(leaf)
    if size is not None and len(leaves) != size:
        raise LogBroken(f"the log has {len(leaves)} leaves, fewer than {size}")
    return leaves


async def log_tree(source: Source, size: int | None = None) -> MerkleTree:
    """The Merkle tree of the log's first ``size`` leaves (default: all)."""
    return MerkleTree(await leaf_hashes(source, size))


async def case_entries(source: Source, case_id: str) -> list[LogEntry]:
    """The log's entries of one case, by seq."""
    async with connection(source) as conn:
        rows = await conn.fetch(
            "SELECT log_index, case_id, seq, leaf_hash FROM event_log WHERE case_id = $1 ORDER BY seq", case_id
        )
    return [LogEntry(r["log_index"], r["case_id"], r["seq"], r["leaf_hash"]) for r in rows]
