"""Helpers for the log and proof tests: a signing key, a superuser that tampers past every trigger."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import pytest

from store.chain import chain_hash, chain_record
from store.signed_note import NoteSigner

ORIGIN = "test.skolinspektionen.example/log"


@pytest.fixture
def signer() -> NoteSigner:
    """A fresh checkpoint key."""
    return NoteSigner.generate(ORIGIN)


@asynccontextmanager
async def superuser(owner_url: str) -> AsyncIterator[asyncpg.Connection]:
    """What only a superuser can do: a connection on which no trigger and no foreign key fires."""
    conn = await asyncpg.connect(owner_url)
    try:
        await conn.execute("SET session_replication_role = replica")
        yield conn
    finally:
        await conn.close()


async def rewrite_case(conn: asyncpg.Connection, case_id: str, seq: int, change: dict[str, Any]) -> None:
    """Change event ``seq``'s data and re-hash it and every later event, so the case's chain holds again."""
    rows = await conn.fetch(
        "SELECT case_id, seq, event_id, type, occurred_on, recorded_at, actor_username, actor_role, data, prev_hash"
        " FROM events WHERE case_id = $1 AND seq >= $2 ORDER BY seq",
        case_id,
        seq,
    )
    prev = rows[0]["prev_hash"]
    for row in rows:
        data = json.loads(row["data"])
        if row["seq"] == seq:
            data.update(change)
        record = chain_record(
            case_id=case_id,
            seq=row["seq"],
            event_id=row["event_id"],
            type=row["type"],
            occurred_on=row["occurred_on"],
            recorded_at=row["recorded_at"],
            actor_username=row["actor_username"],
            actor_role=row["actor_role"],
            data=data,
            prev_hash=prev,
        )
        digest = chain_hash(record)
        await conn.execute(
            "UPDATE events SET data = $1::jsonb, prev_hash = $2, hash = $3 WHERE case_id = $4 AND seq = $5",
            json.dumps(data),
            prev,
            digest,
            case_id,
            row["seq"],
        )
        prev = digest


async def relog_case(conn: asyncpg.Connection, case_id: str) -> None:
    """Make the log's leaves of the case agree with its (rewritten) events again, as a thorough forger would."""
    await conn.execute(
        """UPDATE event_log l SET leaf_hash = sha256('\\x00'::bytea || decode(e.hash, 'hex'))
           FROM events e WHERE e.case_id = l.case_id AND e.seq = l.seq AND l.case_id = $1""",
        case_id,
    )
