"""The single pass of store.proofs over every event and its log entry, case by case (the hot loop of verify).

Rows come as ``store.proofs._EVENTS`` selects them: the :data:`store.rows.CHAIN_COLUMNS` (0-10),
``position`` (11), ``log_index`` (12), ``leaf_hash`` (13) and, for an event not in the log, whether
it is queued for it (14); ordered by case and seq. Besides the chain, a case's events must each
match their leaf, be logged in seq order and recorded in time order, and be in the log (or
queued for it: committed after the sequencer ran).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import asyncpg
from pydantic import BaseModel

from domain.messages import render
from store.audit import broken_link
from store.chain import GENESIS_HASH, encode_json, event_hash, parse_json

_NO_LEAF = bytes(32)
Param = str | int | list[str] | None


class Failure(BaseModel):
    """One finding: what is wrong, and where (case, seq, log index as far as they are known).

    ``key`` and ``params`` name it in the message catalogue (``domain.messages.findings``), so each edge
    tells it in its reader's language; ``reason`` is its English words (and an English detail, if any).
    """

    case_id: str | None = None
    seq: int | None = None
    log_index: int | None = None
    reason: str
    key: str | None = None
    params: dict[str, Param] = {}


def finding(
    key: str,
    *,
    case_id: str | None = None,
    seq: int | None = None,
    log_index: int | None = None,
    detail: str | None = None,
    **params: Param,
) -> Failure:
    """The finding ``key``: its words may name the event's ``{seq}`` and ``{index}`` (its log index) besides
    ``params``; ``detail`` (an exception's English text) goes into ``reason`` only."""
    where = {name: value for name, value in (("seq", seq), ("index", log_index)) if value is not None}
    told = {**where, **params}
    reason = render(key, told, "en") + (f": {detail}" if detail else "")
    return Failure(case_id=case_id, seq=seq, log_index=log_index, reason=reason, key=key, params=told)


class Scan:
    """What one pass found, and the leaves of the log's tree (by log index) it collected on the way."""

    def __init__(self, tree_size: int, checkpoint_size: int) -> None:
        self.leaves: list[bytes | None] = [None] * tree_size
        self.checkpoint_size = checkpoint_size
        self.checkpoint_last_recorded: str | None = None
        """``recorded_at`` of the checkpoint's last event (log index ``checkpoint_size - 1``)."""
        self.after_checkpoint: list[tuple[str, str, int, int | None]] = []
        """(recorded_at, case, seq, log index or None) of every event not covered by the checkpoint."""
        self.failures: list[Failure] = []
        self.cases = self.events = self.pending = 0
        self.last_seq: dict[str, int] = {}
        self._reset(None)

    def _start(self, case_id: str) -> None:
        self._end_case()
        self._reset(case_id)
        self.cases += 1

    def _reset(self, case_id: str | None) -> None:
        """The state of a case before its first event."""
        self._case = case_id
        self._seq, self._prev, self._chain_broken, self._last_seen = 0, GENESIS_HASH, False, 0
        self._last_index, self._last_recorded, self._unlogged_at = -1, "", 0
        self._leaf_mismatches: list[tuple[int, int]] = []

    def _end_case(self) -> None:
        if self._case is None:
            return
        self.last_seq[self._case] = self._last_seen
        if self._leaf_mismatches:
            (seq, index), count = self._leaf_mismatches[0], len(self._leaf_mismatches)
            self._fail(seq, index, "log.leaf" if count == 1 else "log.leaves", count=count)

    def rows(self, rows: Sequence[asyncpg.Record]) -> None:
        """Check a batch of rows.

        The hot loop of verify: a row that continues its case's chain, matches its leaf and needs no
        bookkeeping (the common case) is handled with local variables only; any other row, including
        the first of each case, goes through :meth:`_row`, which names what is wrong.
        """
        sha256, fromhex, loads, encode, leaves = hashlib.sha256, bytes.fromhex, parse_json, encode_json, self.leaves
        # The checkpoint's last leaf is noted (slow path); leaves after it are listed for the backdating check.
        last_of_checkpoint = self.checkpoint_size - 1
        after, track_from = self.after_checkpoint, self.checkpoint_size or len(leaves)
        case, expected, prev, last_index, last_recorded, clean = self._local()
        events = 0
        for row in rows:
            index = row[12]
            if (
                clean
                and row[0] == case
                and row[1] == expected
                and row[9] == prev
                and index is not None
                and last_index < index != last_of_checkpoint
                and row[5] >= last_recorded
                and row[10]
                == event_hash(
                    row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], encode(loads(row[8])), row[9]
                )
                and sha256(b"\x00" + fromhex(row[10])).digest() == row[13]
            ):
                leaves[index] = row[13]
                expected, prev, last_index, last_recorded, events = expected + 1, row[10], index, row[5], events + 1
                if index >= track_from:
                    after.append((row[5], row[0], row[1], index))
                continue
            self._keep(expected, prev, last_index, last_recorded)
            self._row(row)
            case, expected, prev, last_index, last_recorded, clean = self._local()
        self._keep(expected, prev, last_index, last_recorded)
        self.events += events

    def _local(self) -> tuple[str | None, int, str, int, str, bool]:
        """The current case's state, for the fast path."""
        clean = self._case is not None and not self._chain_broken and not self._unlogged_at
        clean = clean and not self._leaf_mismatches
        return self._case, self._seq + 1, self._prev, self._last_index, self._last_recorded, clean

    def _keep(self, expected: int, prev: str, last_index: int, last_recorded: str) -> None:
        """The fast path's state back into the case's (it only runs while the chain holds)."""
        if self._case is not None and not self._chain_broken:
            self._seq, self._prev, self._last_seen = expected - 1, prev, expected - 1
            self._last_index, self._last_recorded = last_index, last_recorded

    def _row(self, row: asyncpg.Record) -> None:
        """Check one row in full."""
        if row[0] != self._case:
            self._start(row[0])
        self.events += 1
        seq = self._last_seen = row[1]
        if not self._chain_broken:
            if (
                seq == self._seq + 1
                and row[9] == self._prev
                and row[10]
                == event_hash(
                    row[0], seq, row[2], row[3], row[4], row[5], row[6], row[7], encode_json(parse_json(row[8])), row[9]
                )
            ):
                self._seq, self._prev = seq, row[10]
            else:
                self._chain_broken = True
                key, params = broken_link(row, self._seq + 1, self._prev)
                self._fail(seq, row[12], key, **params)
        if row[5] < self._last_recorded:
            self._fail(seq, row[12], "log.recorded_early", at=row[5], prior_at=self._last_recorded)
        self._last_recorded = row[5]
        index = row[12]
        if index is None:
            self._unlogged(row)
            return
        self.leaves[index] = row[13]
        if hashlib.sha256(b"\x00" + bytes.fromhex(row[10])).digest() != row[13]:
            self._leaf_mismatches.append((seq, index))
        if index < self._last_index or self._unlogged_at:
            self._fail(seq, index, "log.out_of_order")
        self._last_index = index
        if self.checkpoint_size and index >= self.checkpoint_size:
            self.after_checkpoint.append((row[5], row[0], seq, index))
        elif index == self.checkpoint_size - 1:
            self.checkpoint_last_recorded = row[5]

    def _unlogged(self, row: asyncpg.Record) -> None:
        self._unlogged_at = self._unlogged_at or row[1]
        if self.checkpoint_size:
            self.after_checkpoint.append((row[5], row[0], row[1], None))
        if row[14]:
            self.pending += 1
        else:
            self._fail(row[1], None, "log.not_queued")

    def orphan(self, index: int, case_id: str, seq: int, leaf: bytes) -> None:
        """A log entry whose event is gone."""
        if index < len(self.leaves):
            self.leaves[index] = leaf
        last = self.last_seq.get(case_id, 0)
        key = "log.case_truncated" if seq > last else "log.event_deleted"
        self.failures.append(finding(key, case_id=case_id, seq=seq, log_index=index, last=last))

    def finish(self) -> None:
        """End the last case (call after the last batch)."""
        self._end_case()
        self._case = None

    def holes(self) -> list[bytes]:
        """The leaves, with a failure for each run of missing log indexes (filled with zeros); after orphans."""
        leaves = self.leaves
        if None not in leaves:
            return leaves  # type: ignore[return-value]
        start = None
        for i in range(len(leaves) + 1):
            missing = i < len(leaves) and leaves[i] is None
            if missing and start is None:
                start = i
            elif not missing and start is not None:
                key = "log.cut_one" if i - start == 1 else "log.cut"
                self.failures.append(finding(key, log_index=start, first=start, last=i - 1))
                start = None
        return [leaf if leaf is not None else _NO_LEAF for leaf in leaves]

    def _fail(self, seq: int, index: int | None, key: str, **params: Param) -> None:
        self.failures.append(finding(key, case_id=self._case, seq=seq, log_index=index, **params))
