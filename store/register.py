"""The register (diarium) as rows: written in the transaction of every append, rebuilt from the events.

Which events make which entries, and how a secrecy marking or a disposal changes them, is the
domain's (domain.register); this module only writes that down. An append collects the changes of
its events in :class:`RegisterChanges` and writes them after its events, read model and notices, in
the same transaction (store.events), so an entry exists exactly when its event does. Entries are
numbered 1, 2, … within their case in event order; :func:`rebuild` gives the very same rows from
the events alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import asyncpg

from domain.events import Event
from domain.register import Disposal, NewEntry, SecrecyMark, entries_for, marks_for
from store.rows import EVENT_COLUMNS, batches, domain_event

_INSERT = """
INSERT INTO register_entries (case_id, number, seq, dnr, registered_on, recorded_at, direction, kind, counterpart,
                              description, document_sha256, registered_by)
SELECT $1, base.n + e.ord, e.seq, $2, e.registered_on, e.recorded_at, e.direction, e.kind,
       CASE WHEN e.is_organiser THEN coalesce((SELECT name FROM organisers WHERE organiser_id = $3), $3)
            ELSE e.counterpart END,
       e.description, e.sha256, e.registered_by
FROM unnest($4::int[], $5::date[], $6::timestamptz[], $7::text[], $8::text[], $9::text[], $10::bool[], $11::text[],
            $12::text[], $13::text[])
     WITH ORDINALITY AS e (seq, registered_on, recorded_at, direction, kind, counterpart, is_organiser, description,
                           sha256, registered_by, ord),
     (SELECT coalesce(max(number), 0) AS n FROM register_entries WHERE case_id = $1) AS base
"""
_MARK = """
UPDATE register_entries r SET secrecy_lagrum = m.lagrum, secrecy_marked_on = m.marked_on, secrecy_seq = m.seq
FROM unnest($2::int[], $3::text[], $4::date[], $5::int[]) AS m (number, lagrum, marked_on, seq)
WHERE r.case_id = $1 AND r.number = m.number
"""
_DISPOSE = """
UPDATE register_entries r SET disposed_on = d.disposed_on, disposal_rule = d.rule, disposal_seq = d.seq
FROM unnest($2::text[], $3::text[], $4::date[], $5::int[]) AS d (sha256, rule, disposed_on, seq)
WHERE r.case_id = $1 AND r.document_sha256 = d.sha256 AND r.disposed_on IS NULL
"""


class RegisterChanges:
    """What the events of one append (or of one case, in a rebuild) do to the register, written at once."""

    def __init__(self) -> None:
        self.entries: list[tuple[NewEntry, datetime]] = []
        self.marks: list[SecrecyMark] = []
        self.disposals: list[Disposal] = []

    def add(self, event: Event, seq: int, recorded_at: datetime) -> None:
        """Collect what ``event``, stored as ``seq`` at ``recorded_at``, does to the register."""
        self.entries.extend((entry, recorded_at) for entry in entries_for(event, seq))
        marks, disposals = marks_for(event, seq)
        self.marks.extend(marks)
        self.disposals.extend(disposals)

    async def write(self, conn: asyncpg.Connection, case_id: str, dnr: str, organiser_id: str) -> None:
        """Insert the new entries (numbered after the case's last) and apply markings and disposals.

        Nothing is sent when the events change nothing in the register (most appends). Called inside
        the append's transaction, after its case's advisory lock, so numbers never race.
        """
        if self.entries:
            await conn.execute(_INSERT, case_id, dnr, organiser_id, *_entry_columns(self.entries))
        if self.marks:
            await conn.execute(
                _MARK,
                case_id,
                [m.number for m in self.marks],
                [m.lagrum for m in self.marks],
                [m.marked_on for m in self.marks],
                [m.seq for m in self.marks],
            )
        if self.disposals:
            await conn.execute(
                _DISPOSE,
                case_id,
                [d.document_sha256 for d in self.disposals],
                [d.rule for d in self.disposals],
                [d.disposed_on for d in self.disposals],
                [d.seq for d in self.disposals],
            )


def _entry_columns(entries: Sequence[tuple[NewEntry, datetime]]) -> list[list[object]]:
    return [
        [e.seq for e, _ in entries],
        [e.registered_on for e, _ in entries],
        [at for _, at in entries],
        [e.direction.value for e, _ in entries],
        [e.kind.value for e, _ in entries],
        [e.counterpart for e, _ in entries],
        [e.counterpart_is_organiser for e, _ in entries],
        [e.description for e, _ in entries],
        [e.document_sha256 for e, _ in entries],
        [e.registered_by for e, _ in entries],
    ]


async def rebuild(conn: asyncpg.Connection, batch_size: int = 5000) -> int:
    """Recompute every register entry from the events alone (as the owner, inside the caller's transaction
    or its own); the number of entries written. Counterparts that are the organiser get its name of today."""
    async with conn.transaction():
        await conn.execute("LOCK TABLE register_entries IN EXCLUSIVE MODE")
        await conn.execute("DELETE FROM register_entries")
        changes, case_id, dnr, organiser_id = RegisterChanges(), None, "", ""
        written = 0

        async def flush() -> None:
            nonlocal written
            if case_id is not None:
                await changes.write(conn, case_id, dnr, organiser_id)
                written += len(changes.entries)

        query = f"SELECT {EVENT_COLUMNS} FROM events ORDER BY case_id, seq"
        async for rows in batches(conn, query, batch_size=batch_size):
            for row in rows:
                if row["case_id"] != case_id:
                    await flush()
                    changes, case_id = RegisterChanges(), row["case_id"]
                event = domain_event(row)
                if event.type == "CaseOpened":
                    dnr, organiser_id = event.dnr, event.organiser_id  # type: ignore[union-attr]
                changes.add(event, row["seq"], row["recorded_at"])
        await flush()
    return written
