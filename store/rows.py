"""Rows of the ``events`` table: the columns, their conversions, and streaming them in batches."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg

from domain.events import Event, event_from_record
from store.chain import chain_record
from store.records import StoredEvent

EVENT_COLUMNS = (
    "case_id, seq, event_id, type, occurred_on, recorded_at, actor_username, actor_role, data, prev_hash, hash"
)
"""The columns every query on events selects, in this order (``position`` only where needed)."""

CHAIN_COLUMNS = (
    "case_id, seq, event_id, type, to_char(occurred_on, 'YYYY-MM-DD') AS occurred_on,"
    " to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') AS recorded_at,"
    " actor_username, actor_role, data, prev_hash, hash"
)
"""The columns the verifier and the export read: the arguments of ``store.chain.event_hash`` in order
(dates already in their canonical text form, made by the server), then ``hash``."""

Source = asyncpg.Pool | asyncpg.Connection
"""Where a reader gets its connection: a pool (one is acquired) or a connection (used as is)."""


def stored_event(row: asyncpg.Record) -> StoredEvent:
    """The API's view of one stored event."""
    return StoredEvent(
        case_id=row["case_id"],
        seq=row["seq"],
        event_id=row["event_id"],
        type=row["type"],
        occurred_on=row["occurred_on"],
        recorded_at=row["recorded_at"],
        actor={"username": row["actor_username"], "role": row["actor_role"]},
        data=json.loads(row["data"]),
        prev_hash=row["prev_hash"],
        hash=row["hash"],
    )


def domain_event(row: asyncpg.Record) -> Event:
    """The typed domain event a row holds (for folds)."""
    return event_from_record(
        type=row["type"],
        event_id=row["event_id"],
        case_id=row["case_id"],
        occurred_on=row["occurred_on"],
        actor={"username": row["actor_username"], "role": row["actor_role"]},
        data=json.loads(row["data"]),
    )


def chained_fields(row: asyncpg.Record) -> dict[str, Any]:
    """A :data:`CHAIN_COLUMNS` row's chained fields in JSON form (see store.chain), without its ``hash``."""
    return chain_record(
        case_id=row["case_id"],
        seq=row["seq"],
        event_id=row["event_id"],
        type=row["type"],
        occurred_on=row["occurred_on"],
        recorded_at=row["recorded_at"],
        actor_username=row["actor_username"],
        actor_role=row["actor_role"],
        data=json.loads(row["data"]),
        prev_hash=row["prev_hash"],
    )


@asynccontextmanager
async def connection(source: Source) -> AsyncIterator[asyncpg.Connection]:
    """A connection from ``source``: acquired from a pool, or the connection itself."""
    if isinstance(source, asyncpg.Pool):
        async with source.acquire() as conn:
            yield conn
    else:
        yield source


async def batches(
    conn: asyncpg.Connection, query: str, *args: object, batch_size: int = 5000, prefetch: bool = False
) -> AsyncIterator[list[asyncpg.Record]]:
    """The rows of ``query`` in batches, through a server-side cursor (memory stays flat).

    Runs in a read-only repeatable-read transaction of its own (one consistent snapshot),
    or in the caller's transaction when one is open. With ``prefetch`` the next batch is
    requested before this one is handed out, so the server works while the caller does;
    the caller must then not use ``conn`` until the iteration ends.
    """
    if conn.is_in_transaction():
        async for rows in _fetch(conn, query, args, batch_size, prefetch):
            yield rows
        return
    async with conn.transaction(isolation="repeatable_read", readonly=True):
        async for rows in _fetch(conn, query, args, batch_size, prefetch):
            yield rows


async def _fetch(
    conn: asyncpg.Connection, query: str, args: tuple[object, ...], batch_size: int, prefetch: bool
) -> AsyncIterator[list[asyncpg.Record]]:
    cursor = await conn.cursor(query, *args)
    if not prefetch:
        while rows := await cursor.fetch(batch_size):
            yield rows
        return
    pending = asyncio.ensure_future(cursor.fetch(batch_size))
    try:
        while rows := await pending:
            pending = asyncio.ensure_future(cursor.fetch(batch_size))
            await asyncio.sleep(0)  # let the request go out before the caller's work begins
            yield rows
    finally:
        if not pending.done():
            await pending  # never leave the connection with an operation in flight
