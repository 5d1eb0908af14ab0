"""The event store: appends events to a case's hash chain, with its read model and notices.

One append is one transaction: the events, the case's ``cases``/``case_areas`` rows and the
notices the events cause are stored together or not at all. Writers of one case are
serialised by a transaction-level advisory lock on the case id, and the primary key
``(case_id, seq)`` backs that up, so racing writers can never leave a gap, a duplicate seq
or a forked chain: the loser gets :class:`ConcurrencyError`, reloads and retries.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Literal

import asyncpg

from domain import events as ev
from domain.notices import notice_id, notices_for
from domain.state import CaseState, evolve
from store import projections
from store.append import write
from store.chain import GENESIS_HASH, encode_json, event_hash, format_timestamp
from store.errors import ConcurrencyError, DuplicateDnr, EventConflict, InvalidBatch
from store.records import RecordedEvents, RecordEvents, StoredEvent
from store.register import RegisterChanges
from store.rows import EVENT_COLUMNS, Source, batches, stored_event


async def read_events(source: Source, case_id: str) -> list[StoredEvent]:
    """The case's events, oldest first (empty for an unknown case), on a connection the caller may hold already."""
    rows = await source.fetch(f"SELECT {EVENT_COLUMNS} FROM events WHERE case_id = $1 ORDER BY seq", case_id)
    return [stored_event(row) for row in rows]


_CASE_LOCK_CLASS = 0x1A5E  # first key of pg_advisory_xact_lock(int, int): "a case's append lock"
_HEAD = """
    SELECT clock_timestamp() AS now, last.seq, last.hash,
           EXISTS (SELECT FROM events WHERE event_id = $2) AS seen,
           (SELECT snapshot FROM cases WHERE case_id = $1) AS snapshot
    FROM (SELECT 1) AS one LEFT JOIN LATERAL
         (SELECT seq, hash FROM events WHERE case_id = $1 ORDER BY seq DESC LIMIT 1) AS last ON true
"""


class EventStore:
    """The audit store over an asyncpg pool (connected as the application role)."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def append(self, request: RecordEvents) -> RecordedEvents:
        """Append ``request.events`` to the case after seq ``request.expected_seq``; answer with the stored events.

        Idempotent: when every event id is already stored with the same content, nothing is
        written and the stored events are returned. Raises :class:`EventConflict` (an id stored
        with other content), :class:`ConcurrencyError` (the case is not at ``expected_seq``),
        :class:`DuplicateDnr` (CaseOpened with a Dnr another case has) or :class:`InvalidBatch`.
        """
        _check_batch(request)
        if not request.events:
            return RecordedEvents(case_id=request.case_id, last_seq=await self.last_seq(request.case_id), events=[])
        async with self.pool.acquire() as conn:
            try:
                async with conn.transaction():
                    return await _append(conn, request)
            except asyncpg.UniqueViolationError as error:
                raise _unique_violation(error, request) from error

    async def read(self, case_id: str) -> list[StoredEvent]:
        """The case's events, oldest first (empty for an unknown case)."""
        return await read_events(self.pool, case_id)

    async def last_seq(self, case_id: str) -> int:
        """The seq of the case's last event; 0 when it has none."""
        return int(await self.pool.fetchval("SELECT coalesce(max(seq), 0) FROM events WHERE case_id = $1", case_id))

    async def stream(
        self, *, order: Literal["case", "position"] = "case", batch_size: int = 5000
    ) -> AsyncIterator[StoredEvent]:
        """Every stored event, by (case_id, seq) or by ``position`` (recording order), one snapshot,
        fetched in batches through a server-side cursor. Close it (``contextlib.aclosing``) when
        stopping early, so its connection goes back to the pool."""
        order_by = "case_id, seq" if order == "case" else "position"
        async with self.pool.acquire() as conn:
            async for rows in batches(
                conn, f"SELECT {EVENT_COLUMNS} FROM events ORDER BY {order_by}", batch_size=batch_size
            ):
                for row in rows:
                    yield stored_event(row)


def _check_batch(request: RecordEvents) -> None:
    ids = [e.event_id for e in request.events]
    if len(set(ids)) != len(ids):
        raise InvalidBatch(f"The batch for case {request.case_id} names an event id twice.")
    for offset, event in enumerate(request.events):
        if event.case_id != request.case_id:
            raise InvalidBatch(f"Event {event.event_id} is for case {event.case_id}, not {request.case_id}.")
        first = request.expected_seq + offset == 0
        if first != isinstance(event, ev.CaseOpened):
            raise InvalidBatch(f"Case {request.case_id}: CaseOpened must be the case's first event, and only it.")


async def _append(conn: asyncpg.Connection, request: RecordEvents) -> RecordedEvents:
    case_id = request.case_id
    # Its own statement: a statement's snapshot is taken before the lock is granted.
    await conn.execute("SELECT pg_advisory_xact_lock($1, hashtext($2))", _CASE_LOCK_CLASS, case_id)
    # A retry is recognised by its first event id; any other id already taken fails the insert on
    # the unique event_id and is reported as EventConflict.
    head = await conn.fetchrow(_HEAD, case_id, request.events[0].event_id)
    if head["seen"]:
        return await _replayed(conn, request)
    now: datetime = head["now"]
    seq, prev_hash = head["seq"] or 0, head["hash"] or GENESIS_HASH
    if seq != request.expected_seq:
        raise ConcurrencyError(case_id, request.expected_seq, seq)
    state = await projections.state_of(conn, case_id, head["snapshot"]) if seq else None
    recorded_at = format_timestamp(now)
    rows, notices, stored = [], [], []
    register = RegisterChanges()
    for event in request.events:
        seq += 1
        data = event.data()
        data_json = encode_json(data)
        actor, occurred_on = event.actor, event.occurred_on
        digest = event_hash(
            case_id,
            seq,
            event.event_id,
            event.type,
            occurred_on.isoformat(),
            recorded_at,
            actor.username,
            actor.role.value,
            data_json,
            prev_hash,
        )
        rows.append(
            (
                seq,
                event.event_id,
                event.type,
                occurred_on,
                actor.username,
                actor.role.value,
                data_json,
                prev_hash,
                digest,
            )
        )
        stored.append(
            StoredEvent(
                case_id=case_id,
                seq=seq,
                event_id=event.event_id,
                type=event.type,
                occurred_on=occurred_on,
                recorded_at=now,
                actor=actor,
                data=data,
                prev_hash=prev_hash,
                hash=digest,
            )
        )
        state = _evolved(state, event)
        register.add(event, seq, now)
        notices.extend(
            (notice_id(case_id, seq, n.kind.value, n.recipient.value), seq, n.kind.value, n.recipient.value, n.subject)
            for n in notices_for(event, state.dnr)
        )
        prev_hash = digest
    await write(
        conn,
        case_id=case_id,
        recorded_at=now,
        events=rows,
        notices=notices,
        case=projections.case_row(state, seq, now),
        areas=projections.area_rows(state),
    )
    await register.write(conn, case_id, state.dnr, state.organiser_id)  # the register, in the same transaction
    return RecordedEvents(case_id=case_id, last_seq=seq, events=stored)


def _evolved(state: CaseState | None, event: ev.Event) -> CaseState:
    try:
        return evolve(state, event)
    except (ValueError, AssertionError) as error:
        raise InvalidBatch(f"Event {event.event_id} ({event.type}) does not apply to the case: {error}") from error


async def _replayed(conn: asyncpg.Connection, request: RecordEvents) -> RecordedEvents:
    """The answer to a retry, or EventConflict when the stored events are not exactly this batch."""
    ids = [e.event_id for e in request.events]
    stored = await conn.fetch(f"SELECT {EVENT_COLUMNS} FROM events WHERE event_id = ANY($1::text[])", ids)
    by_id = {row["event_id"]: row for row in stored}
    for event in request.events:
        row = by_id.get(event.event_id)
        if row is not None and not _same_content(event, row):
            raise EventConflict(
                request.case_id,
                event.event_id,
                f"Event {event.event_id} is already recorded with other content "
                f"(case {row['case_id']}, seq {row['seq']}); it cannot be recorded again.",
            )
    missing = [e.event_id for e in request.events if e.event_id not in by_id]
    if missing:
        raise EventConflict(
            request.case_id,
            missing[0],
            f"Part of this batch is already recorded (event {stored[0]['event_id']}) and part is "
            f"not (event {missing[0]}): a batch is recorded whole or not at all.",
        )
    events = [stored_event(by_id[e.event_id]) for e in request.events]
    return RecordedEvents(case_id=request.case_id, last_seq=events[-1].seq, events=events)


def _same_content(event: ev.Event, row: asyncpg.Record) -> bool:
    return (row["case_id"], row["type"], row["occurred_on"], row["actor_username"], row["actor_role"]) == (
        event.case_id,
        event.type,
        event.occurred_on,
        event.actor.username,
        event.actor.role.value,
    ) and json.loads(row["data"]) == event.data()


def _unique_violation(error: asyncpg.UniqueViolationError, request: RecordEvents) -> Exception:
    """Translate a unique violation into the store's typed error."""
    constraint = getattr(error, "constraint_name", None)
    if constraint == "cases_dnr_key_key":
        opened = next((e for e in request.events if isinstance(e, ev.CaseOpened)), None)
        return DuplicateDnr(request.case_id, opened.dnr if opened else "?")
    if constraint == "events_event_id_key":
        return EventConflict(
            request.case_id,
            request.events[0].event_id,
            f"An event id of this batch for case {request.case_id} is already recorded, "
            "in another batch or another case.",
        )
    if constraint == "events_pkey":
        return ConcurrencyError(request.case_id, request.expected_seq, -1)
    return error
